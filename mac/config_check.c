/* config_check.c: the value checks of a cell's configuration: those both
 * radios share, the NB-IoT ones (NPRACH resources, search spaces, RRC
 * value sets of TS 36.331) and a device group's idle-mode requests. The
 * LTE-M checks are in config_ltem.c; the defaults in config.c. An illegal
 * value names its field and the allowed set. */
#include "mac/mac_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

/* Connected-mode DRX: the TS 36.331 value sets (DRX-Config-NB-r13 with
 * drx-Cycle-v1430 for NB-IoT; DRX-Config with its v1130 and v1310/r13
 * extensions for LTE-M), one row per field and radio. */
typedef struct cdrx_set {
    const char *field;
    size_t offset; /* int within mac_cdrx_cfg */
    int ltem;
    const double *v;
    int n;
    const char *text;
} cdrx_set;

#define CDRX_SET(f, lt, arr, t)                                                                    \
    {                                                                                              \
        .field = #f, .offset = offsetof(mac_cdrx_cfg, f), .ltem = lt, .v = arr,                    \
        .n = (int)(sizeof(arr) / sizeof((arr)[0])), .text = t                                      \
    }

static const double nb_on[] = {1, 2, 3, 4, 8, 16, 32};
static const double nb_in[] = {0, 1, 2, 3, 4, 8, 16, 32};
static const double nb_re[] = {0, 1, 2, 4, 6, 8, 16, 24, 33};
static const double ulre[] = {0, 1, 2, 4, 6, 8, 16, 24, 33, 40, 64, 80, 96, 112, 128, 160, 320};
static const double nb_cy[] = {256,  512,  1024, 1280, 1536, 2048, 2560, 3072,
                               4096, 4608, 5120, 6144, 7680, 8192, 9216, 10240};
static const double lt_on[] = {1,  2,  3,   4,   5,   6,   8,   10,  20,  30,   40,   50,
                               60, 80, 100, 200, 300, 400, 500, 600, 800, 1000, 1200, 1600};
static const double lt_in[] = {0,  1,  2,  3,   4,   5,   6,   8,   10,   20,   30,  40,
                               50, 60, 80, 100, 200, 300, 500, 750, 1280, 1920, 2560};
static const double lt_cy[] = {10,  20,  32,  40,  60,  64,   70,   80,   128,
                               160, 256, 320, 512, 640, 1024, 1280, 2048, 2560};
#define ULRE_TEXT "0, 1, 2, 4, 6, 8, 16, 24, 33, 40, 64, 80, 96, 112, 128, 160, 320"
static const cdrx_set cdrx_sets[] = {
    CDRX_SET(on_duration, 0, nb_on, "1, 2, 3, 4, 8, 16, 32 PDCCH periods (onDurationTimer-r13)"),
    CDRX_SET(inactivity, 0, nb_in,
             "0, 1, 2, 3, 4, 8, 16, 32 PDCCH periods (drx-InactivityTimer-r13)"),
    CDRX_SET(retransmission, 0, nb_re,
             "0, 1, 2, 4, 6, 8, 16, 24, 33 PDCCH periods (drx-RetransmissionTimer-r13)"),
    CDRX_SET(ul_retransmission, 0, ulre,
             ULRE_TEXT " PDCCH periods (drx-ULRetransmissionTimer-r13)"),
    CDRX_SET(cycle_sf, 0, nb_cy,
             "256, 512, 1024, 1280, 1536, 2048, 2560, 3072, 4096, 4608, 5120, 6144, 7680, 8192, "
             "9216, 10240 subframes (drx-Cycle-r13, -v1430)"),
    CDRX_SET(on_duration, 1, lt_on,
             "1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 200, 300, 400, 500, 600, 800, "
             "1000, 1200, 1600 PDCCH subframes (onDurationTimer, -v1310)"),
    CDRX_SET(inactivity, 1, lt_in,
             "0, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 200, 300, 500, 750, 1280, "
             "1920, 2560 PDCCH subframes (drx-InactivityTimer)"),
    CDRX_SET(retransmission, 1, ulre,
             ULRE_TEXT " PDCCH subframes (drx-RetransmissionTimer, -v1130, -v1310)"),
    CDRX_SET(ul_retransmission, 1, ulre,
             ULRE_TEXT " PDCCH subframes (drx-ULRetransmissionTimer-r13)"),
    CDRX_SET(cycle_sf, 1, lt_cy,
             "10, 20, 32, 40, 60, 64, 70, 80, 128, 160, 256, 320, 512, 640, 1024, 1280, 2048, "
             "2560 (longDRX-CycleStartOffset, -v1130)"),
};

static int cdrx_check(const mac_cdrx_cfg *x, int lt, char *field, size_t flen, char *why,
                      size_t wlen)
{
    for (size_t i = 0; i < sizeof cdrx_sets / sizeof cdrx_sets[0]; i++) {
        const cdrx_set *c = &cdrx_sets[i];
        const int v = *(const int *)((const char *)x + c->offset);
        if (c->ltem != lt || mac_in_set(v, c->v, c->n)) continue;
        snprintf(field, flen, "cdrx.%s", c->field);
        snprintf(why, wlen, "must be one of %s", c->text);
        return -1;
    }
    if (x->start_offset >= x->cycle_sf) {
        snprintf(field, flen, "cdrx.start_offset");
        snprintf(why, wlen, "must be below the cycle (%d subframes)", x->cycle_sf);
        return -1;
    }
    return 0;
}

/* LTE-M: the eNB sends a DCI only in a candidate that starts in the Active
 * Time (drx.c), and a device at its level's edge (R = Rmax) has one
 * candidate per search space, at its start. If no search space of a level
 * starts in an on-duration, such a device cannot be reached once its
 * timers have expired (the release after the inactivity tail, a command):
 * the scheduler would look for ever. Both patterns repeat every SFN cycle
 * (TS 36.321 5.7; TS 36.213 9.1.5), so one SFN cycle decides. (NB-IoT's
 * on-durations last at least one search-space period: always reachable.) */
static int cdrx_ltem_reachable(const mac_radio_cfg *r, char *field, size_t flen, char *why,
                               size_t wlen)
{
    const mac_cdrx_cfg *x = &r->cdrx;
    const int64_t C = x->cycle_sf, off = x->start_offset, on = x->on_duration, sfn = 10240;
    /* in subframes: the cycle arithmetic of drx.c */
    if (!x->enabled || on >= drx_longest_cycle(C, off, sfn)) return 0;
    for (int k = 0; k < r->n_ce; k++) {
        const mac_ce_cfg *ce = &r->ce[k];
        const int64_t T = llround(ce->npdcch_rmax * ce->npdcch_g);
        const int64_t so = (int64_t)floor(ce->npdcch_offset * (double)T);
        int found = 0;
        for (int64_t s = so; s < sfn && !found; s += T) {
            /* the cycle start at or before s, and the next one */
            const int64_t st = drx_start_le(C, off, sfn, s), nx = drx_start_gt(C, off, sfn, st);
            found = s < (st + on < nx ? st + on : nx);
        }
        if (!found) {
            snprintf(field, flen, "cdrx.on_duration");
            snprintf(why, wlen,
                     "no MPDCCH search space of CE level %d (every %lld subframes from %lld) "
                     "starts in an on-duration (%lld of every %lld subframes from %lld): a "
                     "device at the level's edge could never be scheduled after its DRX timers "
                     "expire; lengthen on_duration or move start_offset",
                     k + 1, (long long)T, (long long)so, (long long)on, (long long)C,
                     (long long)off);
            return -1;
        }
    }
    return 0;
}

/* Checks both radios share: paging nB against the cycle, preambleTransMax. */
int mac_common_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    if (mac_pur_net_check(r, field, flen, why, wlen)) return -1;
    /* nB must leave at least one paging frame per cycle */
    if (r->paging.nb > 2 && (1 << (r->paging.nb - 2)) > (int)llround(r->paging.cycle_s * 100)) {
        snprintf(field, flen, "paging.nB");
        snprintf(why, wlen, "T/%d is less than one paging frame per cycle",
                 1 << (r->paging.nb - 2));
        return -1;
    }
    static const double ptm[] = {3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200};
    if (!mac_in_set(r->preamble_trans_max, ptm, 11)) {
        snprintf(field, flen, "preamble_trans_max");
        snprintf(why, wlen, "must be one of 3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200 (TS 36.331)");
        return -1;
    }
    /* TS 36.331 PowerRampingParameters: -120 ... -90 dBm in 2 dB steps */
    const double tgt = r->preamble_target_dbm;
    if (tgt < -120 || tgt > -90 || fabs(tgt / 2 - nearbyint(tgt / 2)) > 1e-9) {
        snprintf(field, flen, "preamble_target_dbm");
        snprintf(why, wlen,
                 "must be -120, -118, ... -90 dBm (TS 36.331 preambleInitialReceivedTargetPower)");
        return -1;
    }
    static const double ramp[] = {0, 2, 4, 6};
    if (!mac_in_set(r->ramp_step_db, ramp, 4)) {
        snprintf(field, flen, "ramp_step_db");
        snprintf(why, wlen, "must be 0, 2, 4 or 6 dB (TS 36.331 powerRampingStep)");
        return -1;
    }
    for (int k = 0; k < r->n_ce; k++) {
        static const double mna[] = {3, 4, 5, 6, 7, 8, 10};
        if (!mac_in_set(r->ce[k].max_attempts, mna, 7)) {
            snprintf(field, flen, "ce_levels[%d].max_attempts", k + 1);
            snprintf(why, wlen,
                     "must be 3, 4, 5, 6, 7, 8 or 10 (TS 36.331 maxNumPreambleAttemptCE-r13)");
            return -1;
        }
    }
    /* WUS (Rel-15): maxDurationFactor and the DRX time offset */
    const int lt = r->rat == MAC_RAT_LTEM;
    static const double wf_nb[] = {1.0 / 128, 1.0 / 64, 1.0 / 32, 1.0 / 16,
                                   1.0 / 8,   1.0 / 4,  1.0 / 2};
    static const double wf_lt[] = {1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4};
    if (!(lt ? mac_in_set(r->paging.wus_factor, wf_lt, 4)
             : mac_in_set(r->paging.wus_factor, wf_nb, 7))) {
        snprintf(field, flen, "paging.wus_factor");
        snprintf(why, wlen,
                 lt ? "must be 1/32, 1/16, 1/8 or 1/4 (TS 36.331 maxDurationFactor-r15, LTE-M)"
                    : "must be 1/128, 1/64 ... 1/2 (TS 36.331 maxDurationFactor-r15, NB-IoT)");
        return -1;
    }
    static const double wo[] = {40, 80, 160, 240, 1000, 2000};
    if (!mac_in_set(r->paging.wus_offset_ms, wo, 6)) {
        snprintf(field, flen, "paging.wus_offset_ms");
        snprintf(why, wlen,
                 "must be 40, 80, 160 or 240 ms (timeoffsetDRX-r15), or 1000 or 2000 ms "
                 "(timeoffset-eDRX-Long-r15)");
        return -1;
    }
    /* group WUS (TS 36.331 GWUS-NumGroups-r16 n1, n2, n4, n8; maxGWUS-Resources
     * 2 for NB-IoT, 4 for LTE-M) */
    static const double ng[] = {0, 1, 2, 4, 8};
    if (!mac_in_set(r->paging.gwus_groups, ng, 5)) {
        snprintf(field, flen, "paging.gwus_groups");
        snprintf(why, wlen, "must be 0 (no group WUS), 1, 2, 4 or 8 (GWUS-NumGroups-r16)");
        return -1;
    }
    if (r->paging.gwus_resources > (lt ? 4 : 2)) {
        snprintf(field, flen, "paging.gwus_resources");
        snprintf(why, wlen,
                 lt ? "LTE-M has at most 4 group WUS resources (maxGWUS-Resources-r16)"
                    : "NB-IoT has at most 2 group WUS resources "
                      "(maxGWUS-Resources-NB-r16)");
        return -1;
    }
    if (r->p_max_dbm != floor(r->p_max_dbm)) {
        snprintf(field, flen, "p_max_dbm");
        snprintf(why, wlen, "must be a whole number of dBm (TS 36.331 P-Max INTEGER -30 ... 33)");
        return -1;
    }
    /* non-anchor carriers (NB-IoT, Rel-14) */
    const mac_carrier_cfg *cc = &r->carriers;
    if (lt && cc->non_anchor > 0) {
        snprintf(field, flen, "carriers.non_anchor");
        snprintf(why, wlen, "NB-IoT only (LTE-M: cell.dl_narrowbands and ul_narrowbands)");
        return -1;
    }
    int p_ok = cc->nprach_prob_anchor == -1 || cc->nprach_prob_anchor == 0;
    for (int k = 2; k <= 16; k++)
        p_ok |= cc->nprach_prob_anchor == 1.0 / k;
    if (!p_ok) {
        snprintf(field, flen, "carriers.nprach_probability_anchor");
        snprintf(why, wlen,
                 "must be 0 or 1/k, k = 2 ... 16 (nprach-ProbabilityAnchor-r14), or -1 (1 / "
                 "carriers)");
        return -1;
    }
    if (cc->nprach_prob_anchor == 0 && (cc->non_anchor == 0 || !cc->nprach)) {
        snprintf(field, flen, "carriers.nprach_probability_anchor");
        snprintf(why, wlen, "0 leaves no NPRACH carrier (no non-anchor carrier carries NPRACH)");
        return -1;
    }
    if (cc->paging_weight_anchor == 0 && (cc->non_anchor == 0 || !cc->paging)) {
        snprintf(field, flen, "carriers.paging_weight_anchor");
        snprintf(why, wlen, "0 leaves no paging carrier (no non-anchor carrier carries paging)");
        return -1;
    }
    /* LTE nB (TS 36.331 PCCH-Config, nB-v1310) stops at T/256 */
    if (lt && r->paging.nb > 10) {
        snprintf(field, flen, "paging.nB");
        snprintf(why, wlen, "LTE-M allows 4T ... T/256 (TS 36.331 nB, nB-v1310)");
        return -1;
    }
    if (cdrx_check(&r->cdrx, lt, field, flen, why, wlen)) return -1;
    return lt ? cdrx_ltem_reachable(r, field, flen, why, wlen) : 0;
}

/* The link calibration's fields that only some channels use: a value the
 * model would ignore or misapply is an error, not a silent no-op. */
static int link_cal_check(const phy_link_cfg *l, char *field, size_t flen, char *why, size_t wlen)
{
    for (int ch = 0; ch < PHY_CH_COUNT; ch++) {
        const phy_chan_cal *k = &l->cal[ch];
        const int dl =
            ch == PHY_CH_NPDSCH || ch == PHY_CH_NPDCCH || ch == PHY_CH_PDSCH || ch == PHY_CH_MPDCCH;
        const int noblock = ch == PHY_CH_NPUSCH_F2_3K75 || ch == PHY_CH_NPUSCH_F2_15K ||
                            ch == PHY_CH_NPRACH || ch == PHY_CH_PUCCH || ch == PHY_CH_PRACH;
        if (k->div_db != 0 && !dl) {
            snprintf(field, flen, "link.cal.%s.div_db", phy_chan_name((phy_chan)ch));
            snprintf(why, wlen,
                     "a transmit-diversity gain applies to the downlink channels only "
                     "(npdsch, npdcch, pdsch, mpdcch)");
            return -1;
        }
        if (k->ir && noblock) {
            snprintf(field, flen, "link.cal.%s.ir", phy_chan_name((phy_chan)ch));
            snprintf(why, wlen,
                     "incremental redundancy needs a transport block; this channel "
                     "has none");
            return -1;
        }
    }
    return 0;
}

/* One link budget: the last level is planned for the MCL moved into this
 * link's budget, which must lie beyond the previous level's edge and
 * within the coverage the link abstraction gives (else the plan sizes
 * grants for devices that cannot be there, or leaves reachable ones with
 * grants that cannot close). */
static int budget_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    mac_budget b;
    if (mac_budget_of(r, &b) != 0) return 0; /* unknown radio: reported elsewhere */
    const double in = b.planned_db - r->mcl_db;
    snprintf(field, flen, "mcl_db");
    if (r->n_ce > 1 && b.planned_db <= b.level_edge_db[r->n_ce - 2]) {
        snprintf(why, wlen,
                 "%g dB (%.1f dB in this link budget) does not reach beyond CE level %d's "
                 "edge at %.1f dB",
                 r->mcl_db, b.planned_db, r->n_ce - 1, b.level_edge_db[r->n_ce - 2]);
        return -1;
    }
    if (b.planned_db > b.edge_db + 0.005) {
        snprintf(why, wlen,
                 "%g dB at %g dBm, eNB noise figure %g dB, %d receive antennas is %.1f dB with "
                 "this link's %g dBm, %g dB, %d antennas (%+.1f dB), beyond the %.1f dB this "
                 "link reaches at the last CE level (%s ends it): lower mcl_db, or give the "
                 "level more repetitions",
                 r->mcl_db, r->mcl_tx_dbm, r->mcl_enb_nf_db, r->mcl_rx_antennas, b.planned_db,
                 mac_pcmax_dbm(r, r->link.ue_max_dbm), r->link.enb_nf_db, r->link.enb_rx_antennas,
                 in, b.edge_db, b.limit);
        return -1;
    }
    field[0] = '\0';
    return 0;
}

int mac_radio_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    const mac_radio *radio = mac_radio_of(r->rat);
    if (!radio) {
        snprintf(field, flen, "rat");
        snprintf(why, wlen, "unknown radio %d", r->rat);
        return -1;
    }
    if (link_cal_check(&r->link, field, flen, why, wlen) != 0) return -1;
    if (radio->check(r, field, flen, why, wlen) != 0) return -1;
    return budget_check(r, field, flen, why, wlen);
}

/* Two levels' NPRACH resources may share subcarriers only if their
 * occasions never coincide (TS 36.211 10.1.6.1 gives each level its own
 * resource): checked over one common period of the two (at most 7.68 s). */
static int nprach_overlap(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    for (int a = 0; a < r->n_ce; a++)
        for (int b = a + 1; b < r->n_ce; b++) {
            const mac_ce_cfg *x = &r->ce[a], *y = &r->ce[b];
            if (x->subcarrier_offset + x->subcarriers <= y->subcarrier_offset ||
                y->subcarrier_offset + y->subcarriers <= x->subcarrier_offset)
                continue; /* disjoint subcarriers */
            const int64_t px = llround(x->nprach_period_ms), py = llround(y->nprach_period_ms);
            int64_t g = px, h = py;
            while (h) {
                int64_t t = g % h;
                g = h;
                h = t;
            }
            const int64_t lcm = px / g * py;
            const double dx = sim_time_to_ms(phy_nprach_duration(x->nprach_reps, r->nprach_format));
            const double dy = sim_time_to_ms(phy_nprach_duration(y->nprach_reps, r->nprach_format));
            for (int64_t i = 0; i * px < lcm; i++)
                for (int64_t j = 0; j * py < lcm; j++) {
                    double sx = x->nprach_start_ms + (double)(i * px);
                    double sy = y->nprach_start_ms + (double)(j * py);
                    if (sx < sy + dy && sy < sx + dx) {
                        snprintf(field, flen, "ce_levels[%d].subcarrier_offset", b + 1);
                        snprintf(
                            why, wlen,
                            "level %d's NPRACH (subcarriers %d-%d) overlaps level %d's (%d-%d) "
                            "in time and frequency; give them disjoint subcarriers or "
                            "occasions that never coincide",
                            b + 1, y->subcarrier_offset, y->subcarrier_offset + y->subcarriers - 1,
                            a + 1, x->subcarrier_offset, x->subcarrier_offset + x->subcarriers - 1);
                        return -1;
                    }
                }
        }
    return 0;
}

int mac_nbiot_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    if (r->n_ce > MAC_NBIOT_MAX_CE) {
        snprintf(field, flen, "ce_levels");
        snprintf(why, wlen, "NB-IoT has at most %d CE levels", MAC_NBIOT_MAX_CE);
        return -1;
    }
    if (r->ra_model != MAC_RA_CELL) {
        snprintf(field, flen, "ra_model");
        snprintf(why, wlen, "\"tr37868\" is the LTE random access: it needs rat = \"ltem\"");
        return -1;
    }
    static const double periods[] = {40, 80, 160, 240, 320, 640, 1280, 2560};
    static const double scs[] = {12, 24, 36, 48};
    static const double starts[] = {8, 16, 32, 64, 128, 256, 512, 1024};
    static const double sc_offs[] = {0, 12, 24, 36, 2, 18, 34};
    static const double gs[] = {1.5, 2, 4, 8, 16, 32, 48, 64};
    static const double offs[] = {0, 0.125, 0.25, 0.375};
    static const double bi[] = {0,     256,   512,   1024,   2048,   4096,  8192,
                                16384, 32768, 65536, 131072, 262144, 524288};
    for (int k = 0; k < r->n_ce; k++) {
        const mac_ce_cfg *c = &r->ce[k];
        const char *f = NULL;
        if (!mac_in_set(c->nprach_period_ms, periods, 8))
            f = "nprach_period_ms", snprintf(why, wlen,
                                             "must be one of 40, 80, 160, 240, 320, "
                                             "640, 1280, 2560 (TS 36.331)");
        else if (!mac_in_set(c->subcarriers, scs, 4))
            f = "subcarriers", snprintf(why, wlen, "must be 12, 24, 36 or 48 (TS 36.331)");
        else if (!mac_in_set(c->nprach_start_ms, starts, 8))
            f = "nprach_start_ms", snprintf(why, wlen,
                                            "must be one of 8, 16, 32, 64, 128, 256, 512, 1024 "
                                            "(TS 36.331 nprach-StartTime-r13)");
        else if (!mac_in_set(c->subcarrier_offset, sc_offs, 7))
            f = "subcarrier_offset", snprintf(why, wlen,
                                              "must be one of 0, 12, 24, 36, 2, 18, 34 (TS 36.331 "
                                              "nprach-SubcarrierOffset-r13)");
        else if (c->subcarrier_offset + c->subcarriers > 48)
            f = "subcarriers", snprintf(why, wlen,
                                        "offset %d + %d subcarriers exceed the 48 NPRACH "
                                        "subcarriers (TS 36.211 10.1.6.1)",
                                        c->subcarrier_offset, c->subcarriers);
        else if (!mac_in_set(c->npdcch_g, gs, 8))
            f = "npdcch_g", snprintf(why, wlen, "must be one of 1.5, 2, 4, 8, 16, 32, 48, 64");
        else if (!mac_in_set(c->npdcch_offset, offs, 4))
            f = "npdcch_offset", snprintf(why, wlen, "must be 0, 0.125, 0.25 or 0.375");
        else if (c->nprach_start_ms >= c->nprach_period_ms)
            f = "nprach_start_ms", snprintf(why, wlen, "must be less than nprach_period_ms");
        else if (sim_time_to_ms(phy_nprach_duration(c->nprach_reps, r->nprach_format)) +
                     c->nprach_start_ms >
                 c->nprach_period_ms)
            f = "nprach_reps",
            snprintf(why, wlen,
                     "the preamble (%.1f ms) does not fit the "
                     "period after the start time",
                     sim_time_to_ms(phy_nprach_duration(c->nprach_reps, r->nprach_format)));
        else if (c->npdcch_rmax * c->npdcch_g > 10240)
            f = "npdcch_g", snprintf(why, wlen,
                                     "npdcch_rmax x npdcch_g above 10240 subframes (one SFN "
                                     "cycle) is not modelled");
        else if (c->npdcch_rmax * c->npdcch_g < 4 ||
                 fabs(c->npdcch_rmax * c->npdcch_g - floor(c->npdcch_rmax * c->npdcch_g)) > 1e-9)
            f = "npdcch_g", snprintf(why, wlen,
                                     "npdcch_rmax x npdcch_g must be a whole number "
                                     "of subframes >= 4 (TS 36.213 16.6)");
        else if (k + 1 < r->n_ce && k > 0 &&
                 c->rsrp_threshold_dbm >= r->ce[k - 1].rsrp_threshold_dbm)
            f = "rsrp_threshold_dbm", snprintf(why, wlen, "must be below the previous level's");
        static const double raw[] = {2, 3, 4, 5, 6, 7, 8, 10};
        static const double crt[] = {1, 2, 3, 4, 8, 16, 32, 64};
        static const double dlr[] = {1,   2,   4,   8,   16,  32,   64,   128,
                                     192, 256, 384, 512, 768, 1024, 1536, 2048};
        if (!f && !mac_in_set(c->rar_window_pp, raw, 8))
            f = "rar_window_pp", snprintf(why, wlen,
                                          "must be 2, 3, 4, 5, 6, 7, 8 or 10 NPDCCH periods (TS "
                                          "36.331 ra-ResponseWindowSize-r13)");
        if (!f && !mac_in_set(c->cr_timer_pp, crt, 8))
            f = "cr_timer_pp", snprintf(why, wlen,
                                        "must be 1, 2, 3, 4, 8, 16, 32 or 64 NPDCCH periods (TS "
                                        "36.331 mac-ContentionResolutionTimer-r13)");
        if (!f && !mac_in_set(c->max_dl_reps, dlr, 16))
            f = "max_dl_reps", snprintf(why, wlen,
                                        "must be an NPDSCH repetition number of TS 36.213 Table "
                                        "16.4.1.3-2 (1, 2, 4 ... 128, 192, 256, 384 ... 2048)");
        if (!f && c->max_ul_reps > 128)
            f = "max_ul_reps", snprintf(why, wlen, "NPUSCH repetitions are at most 128");
        static const double edt_set[] = {0, 328, 408, 504, 584, 680, 808, 936, 1000};
        if (!f && !mac_in_set(c->edt_tbs, edt_set, 9))
            f = "edt_tbs", snprintf(why, wlen,
                                    "must be 0 or one of 328, 408, 504, 584, 680, 808, "
                                    "936, 1000 (TS 36.331 edt-TBS-r15)");
        /* TS 36.331 value sets: repetitions are powers of two */
        static const char *const pow2_name[] = {"nprach_reps", "npdcch_rmax", "max_ul_reps",
                                                "ack_reps"};
        const int pow2_val[] = {c->nprach_reps, c->npdcch_rmax, c->max_ul_reps, c->ack_reps};
        for (int i = 0; !f && i < 4; i++)
            if (pow2_val[i] < 1 || (pow2_val[i] & (pow2_val[i] - 1)))
                f = pow2_name[i], snprintf(why, wlen, "must be a power of two (TS 36.331)");
        if (f) {
            snprintf(field, flen, "ce_levels[%d].%s", k + 1, f);
            return -1;
        }
    }

    if (nprach_overlap(r, field, flen, why, wlen)) return -1;
    static const double sites[] = {0, 1, 7, 19};
    if (!mac_in_set(r->layout_sites, sites, 4)) {
        snprintf(field, flen, "layout_sites");
        snprintf(why, wlen, "must be 0 (one cell), 1, 7 or 19 sites");
        return -1;
    }
    static const double cycles[] = {1.28, 2.56, 5.12, 10.24};
    if (!mac_in_set(r->paging.cycle_s, cycles, 4)) {
        snprintf(field, flen, "paging.cycle_s");
        snprintf(why, wlen, "must be 1.28, 2.56, 5.12 or 10.24 (TS 36.331 defaultPagingCycle)");
        return -1;
    }
    if (mac_common_cfg_check(r, field, flen, why, wlen)) return -1;
    static const double sib1_tbs[] = {208, 328, 440, 680};
    static const double si_tbs[] = {56, 120, 208, 256, 328, 440, 552, 680};
    static const double si_per[] = {640, 1280, 2560, 5120, 10240, 20480, 40960};
    static const double si_rep[] = {2, 4, 8, 16};
    const char *sf = NULL;
    if (!mac_in_set(r->sib1_tbs, sib1_tbs, 4))
        sf = "sib1_tbs", snprintf(why, wlen,
                                  "must be 208, 328, 440 or 680 bits (TS 36.213 "
                                  "Table 16.4.1.5.2-1)");
    else if (!mac_in_set(r->paging.si_tbs, si_tbs, 8))
        sf = "paging.si_tbs", snprintf(why, wlen,
                                       "must be 56, 120, 208, 256, 328, 440, 552 or "
                                       "680 bits (TS 36.331 si-TB-r13)");
    else if (!mac_in_set(r->paging.si_period_ms, si_per, 7))
        sf = "paging.si_period_ms", snprintf(why, wlen,
                                             "must be 640, 1280 ... 40960 ms (TS "
                                             "36.331 si-Periodicity-r13)");
    else if (!mac_in_set(r->paging.si_repetition_rf, si_rep, 4))
        sf = "paging.si_repetition_rf", snprintf(why, wlen,
                                                 "must be 2, 4, 8 or 16 (TS 36.331 "
                                                 "si-RepetitionPattern-r13)");
    else if (r->paging.si_messages * 160 > r->paging.si_period_ms)
        sf = "paging.si_messages", snprintf(why, wlen,
                                            "%d SI windows of 160 ms do not fit the %g ms "
                                            "SI period",
                                            r->paging.si_messages, r->paging.si_period_ms);
    else if (!mac_is_pow2(r->paging.rmax) || r->paging.rmax > 2048)
        sf = "paging.rmax", snprintf(why, wlen,
                                     "must be 1, 2, 4 ... 2048 (TS 36.331 "
                                     "npdcch-NumRepetitionPaging-r13)");
    if (sf) {
        snprintf(field, flen, "%s", sf);
        return -1;
    }
    static const double sib1[] = {4, 8, 16};
    if (!mac_in_set(r->sib1_reps, sib1, 3)) {
        snprintf(field, flen, "sib1_reps");
        snprintf(why, wlen, "must be 4, 8 or 16 (TS 36.213 16.4.1.3)");
        return -1;
    }
    if (!mac_in_set(r->backoff_ms, bi, 13)) {
        snprintf(field, flen, "backoff_ms");
        snprintf(why, wlen, "must be a value of TS 36.321 Table 7.2-2 (0, 256, 512, ... 524288)");
        return -1;
    }
    return 0;
}

int mac_idle_cfg_check(const mac_idle_cfg *i, int rat, const char **field, char *why, size_t wlen)
{
    static const double drx[] = {0, 1.28, 2.56, 5.12, 10.24};
    static const double drx_lte[] = {0, 0.32, 0.64, 1.28, 2.56};
    if (!mac_radio_of(rat)) {
        *field = "rat";
        snprintf(why, wlen, "unknown radio %d", rat);
        return -1;
    }
    /* value sets of the two radios (a new radio adds its own here) */
    const int lt = rat == MAC_RAT_LTEM;
    if (!mac_in_set(i->drx_cycle_s, lt ? drx_lte : drx, 5)) {
        *field = "drx_cycle_s";
        snprintf(why, wlen,
                 lt ? "must be 0 (cell default), 0.32, 0.64, 1.28 or 2.56 (LTE-M)"
                    : "must be 0 (cell default), 1.28, 2.56, 5.12 or 10.24");
        return -1;
    }
    if (i->edrx_cycle_s != 0 && (lt ? idle_edrx_hyperframes_ltem(i->edrx_cycle_s)
                                    : idle_edrx_hyperframes(i->edrx_cycle_s)) < 0) {
        *field = "edrx_cycle_s";
        snprintf(why, wlen,
                 lt ? "must be 0 or 20.48 x 2^k s up to 2621.44 (TS 24.008, WB-S1; the 5.12 and "
                      "10.24 s cycles are not modelled)"
                    : "must be 0 or 20.48 x 2^k s up to 10485.76 (TS 24.008, NB-IoT)");
        return -1;
    }
    if (i->gwus && !i->wus) {
        *field = "gwus";
        snprintf(why, wlen, "needs wus = true (a group-WUS device is a WUS device)");
        return -1;
    }
    if ((lt ? idle_ptw_frames_ltem(i->ptw_s) : idle_ptw_frames(i->ptw_s)) < 0) {
        *field = "ptw_s";
        snprintf(why, wlen,
                 lt ? "must be 1.28 x (n + 1) s, n = 0 ... 15 (TS 24.008, WB-S1)"
                    : "must be 2.56 x (n + 1) s, n = 0 ... 15 (TS 24.008, NB-IoT)");
        return -1;
    }
    return 0;
}
