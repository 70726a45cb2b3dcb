/* ltem.c: the LTE-M (Cat-M1, Rel-13 BL/CE UE) cell: its defaults and value
 * checks, and the rules where its procedure timing differs from NB-IoT's
 * (PRACH opportunities with repetitions, RAR window and contention
 * resolution timer in subframes, MPDCCH -> PDSCH / PUSCH delays, PUCCH
 * HARQ-ACK, half-duplex guard). The procedure itself (mac/access.c,
 * connected.c, sleep.c) is shared with NB-IoT.
 */
#include "mac/mac_internal.h"

#include <stdint.h>
#include <math.h>
#include <string.h>

void mac_radio_cfg_default_ltem(mac_radio_cfg *r)
{
    mac_radio_cfg_default(r);
    r->rat = MAC_RAT_LTEM;
    /* Four CE levels growing with coverage (operator-style choices from the
     * TS 36.331 value sets, ../shared/reference/params.md). LTE-M RSRP is the
     * per-RE power of a 46 dBm, 50-PRB carrier: 18.2 dBm - CL, so the
     * thresholds put the level edges at 140.2, 146.2 and 152.2 dB. Levels
     * 0-1 are CE mode A, 2-3 CE mode B. All levels use prach-ConfigIndex 6
     * with their own preamble ranges (firstPreamble/lastPreamble-r13: 36 +
     * 12 + 8 + 8 = 64), so attempts of different levels never collide.
     * Columns: threshold, (NB-IoT period, start unused), preambles, PRACH
     * repetitions (enough for 99 % detection at the level's edge with the
     * -14.2 dB one-repetition requirement), maxNumPreambleAttemptCE, MPDCCH
     * Rmax, G (1 at level 0: a candidate in every subframe, which the
     * multi-block bursts of connected.c need for the Rel-13 peak rates; the
     * model uses this space as the UE-specific one too), offset, (NB-IoT
     * window and timer unused), PUSCH and PDSCH
     * repetitions at most (mode A <= 32, mode B <= 2048), PUCCH
     * repetitions (mode A {1,2,4,8}, mode B {4,8,16,32}), resync time
     * (estimates: PSS/SSS every 5 ms and a repeated PBCH, unconfirmed), EDT
     * TBS (the largest whose Msg3, sized for the level's edge, meets 10 %
     * BLER within the level's repetitions), prach-ConfigIndex, RAR window and contention resolution
     * timer (subframes, the -r13 sets; each window covers at least one MPDCCH period and each timer
     * a Msg4 at the level's edge). */
    static const mac_ce_cfg ce[4] = {
        {-122, 0, 0, 36, 1, 5, 4, 1, 0, 0, 0, 8, 16, 1, 30, 504, 6, 20, 80},
        {-128, 0, 0, 12, 2, 5, 8, 2, 0, 0, 0, 32, 32, 4, 80, 408, 6, 50, 120},
        {-134, 0, 0, 8, 8, 5, 64, 2, 0, 0, 0, 512, 512, 16, 300, 504, 6, 240, 480},
        {0, 0, 0, 8, 32, 5, 128, 1.5, 0, 0, 0, 2048, 2048, 32, 800, 600, 6, 400, 960},
    };
    r->n_ce = 4;
    for (int k = 0; k < 4; k++)
        r->ce[k] = ce[k];
    r->preamble_target_dbm = -104; /* common LTE preambleInitialReceivedTargetPower (unconfirmed) */
    r->mcl_db = 156;               /* LTE-M coverage target, params.md */
    r->backoff_ms = 20;            /* TS 36.321 Table 7.2-1 (LTE table) */
    r->paging.cycle_s = 1.28;      /* LTE defaultPagingCycle rf128 */
    r->paging.rmax = 16;           /* mpdcch-NumRepetition-Paging-r13 (operator choice) */
    r->paging.si_ms = 160;         /* MIB + SIB1-BR (80 ms period) + SIB2, estimate (unconfirmed) */
    /* two narrowbands each way: one long mode-B PDSCH or PUSCH (up to 2048
     * subframes) then does not stall every other level's RAR windows and
     * Msg3s (whose timing the RAR fixes) */
    r->ul_narrowbands = 2;
    r->dl_narrowbands = 2;
    r->hd_guard_sf = 1;
}

static int is_in(double v, const double *set, int n)
{
    for (int i = 0; i < n; i++)
        if (fabs(v - set[i]) < 1e-9) return 1;
    return 0;
}

static int is_pow2(int v)
{
    return v >= 1 && (v & (v - 1)) == 0;
}

const int mac_ltem_edt_tbs[MAC_EDT_TBS_N] = {328, 408, 456, 504, 600, 712, 808, 936, 1000};
const int mac_nbiot_edt_tbs[MAC_EDT_TBS_N] = {328, 408, 504, 584, 680, 808, 936, 1000, 0};

int mac_ltem_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    static const double gs[] = {1, 1.5, 2, 2.5, 4, 5, 8, 10};
    static const double offs[] = {0, 0.125, 0.25, 0.375};
    static const double bi[] = {0, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 960};
    static const double edt_set[] = {0, 328, 408, 456, 504, 600, 712, 808, 936, 1000};
    /* TS 36.331 PDSCH/PUSCH-ConfigCommon-v1310 maxima, pucch-NumRepetitionCE */
    static const double maxa_ul[] = {8, 16, 32}, maxa_dl[] = {16, 32};
    static const double maxb[] = {192, 256, 384, 512, 768, 1024, 1536, 2048};
    static const double acka[] = {1, 2, 4, 8}, ackb[] = {4, 8, 16, 32};
    for (int k = 0; k < r->n_ce; k++) {
        const mac_ce_cfg *c = &r->ce[k];
        const int mb = MAC_LTEM_MODE_B(k);
        const char *f = NULL;
        phy_ltem_prach p;
        if (phy_ltem_prach_config(c->prach_config_index, &p) != 0)
            f = "prach_config_index",
            snprintf(why, wlen, "is not an FDD configuration of TS 36.211 Table 5.7.1-2");
        else if (!is_pow2(c->nprach_reps) || c->nprach_reps > 128)
            f = "prach_reps", snprintf(why, wlen, "must be 1, 2, 4, ... 128 (TS 36.331)");
        else if (!is_pow2(c->npdcch_rmax) || c->npdcch_rmax > 256)
            f = "mpdcch_rmax", snprintf(why, wlen, "must be 1, 2, 4, ... 256 (TS 36.331)");
        else if (!is_in(c->npdcch_g, gs, 8))
            f = "mpdcch_g", snprintf(why, wlen, "must be one of 1, 1.5, 2, 2.5, 4, 5, 8, 10 (FDD)");
        else if (!is_in(c->npdcch_offset, offs, 4))
            f = "mpdcch_offset", snprintf(why, wlen, "must be 0, 0.125, 0.25 or 0.375");
        else if (fabs(c->npdcch_rmax * c->npdcch_g - floor(c->npdcch_rmax * c->npdcch_g)) > 1e-9)
            f = "mpdcch_g",
            snprintf(why, wlen, "mpdcch_rmax x mpdcch_g must be a whole number of subframes");
        else if (!phy_ltem_rar_window_valid(c->rar_window_sf, 1))
            f = "rar_window_sf", snprintf(why, wlen,
                                          "must be one of 20, 50, 80, 120, 180, 240, 320, 400 "
                                          "(ra-ResponseWindowSize-r13)");
        else if (c->rar_window_sf < c->npdcch_rmax * c->npdcch_g)
            f = "rar_window_sf", snprintf(why, wlen,
                                          "shorter than one MPDCCH search-space period (%g "
                                          "subframes): a RAR could never be sent",
                                          c->npdcch_rmax * c->npdcch_g);
        else if (!phy_ltem_cr_timer_valid(c->cr_timer_sf, 1))
            f = "cr_timer_sf", snprintf(why, wlen,
                                        "must be one of 80, 100, 120, 160, 200, 240, 480, 960 "
                                        "(mac-ContentionResolutionTimer-r13)");
        else if (!(mb ? is_in(c->max_ul_reps, maxb, 8) : is_in(c->max_ul_reps, maxa_ul, 3)))
            f = "max_ul_reps", snprintf(why, wlen,
                                        mb ? "CE mode B (levels 3-4): 192, 256, 384, 512, 768, "
                                             "1024, 1536 or 2048 (pusch-maxNumRepetitionCEmodeB)"
                                           : "CE mode A (levels 1-2): 8, 16 or 32 "
                                             "(pusch-maxNumRepetitionCEmodeA)");
        else if (!(mb ? is_in(c->max_dl_reps, maxb, 8) : is_in(c->max_dl_reps, maxa_dl, 2)))
            f = "max_dl_reps", snprintf(why, wlen,
                                        mb ? "CE mode B: 192, 256, 384, 512, 768, 1024, 1536 or "
                                             "2048 (pdsch-maxNumRepetitionCEmodeB)"
                                           : "CE mode A: 16 or 32 "
                                             "(pdsch-maxNumRepetitionCEmodeA)");
        else if (!(mb ? is_in(c->ack_reps, ackb, 4) : is_in(c->ack_reps, acka, 4)))
            f = "ack_reps", snprintf(why, wlen,
                                     mb ? "CE mode B: 4, 8, 16 or 32 (pucch-NumRepetitionCE)"
                                        : "CE mode A: 1, 2, 4 or 8 (pucch-NumRepetitionCE)");
        else if (!is_in(c->edt_tbs, edt_set, 10))
            f = "edt_tbs", snprintf(why, wlen,
                                    "must be 0 or one of 328, 408, 456, 504, 600, 712, 808, 936, "
                                    "1000 (TS 36.331 edt-TBS-r15, LTE-M)");
        else if (k + 1 < r->n_ce && k > 0 &&
                 c->rsrp_threshold_dbm >= r->ce[k - 1].rsrp_threshold_dbm)
            f = "rsrp_threshold_dbm", snprintf(why, wlen, "must be below the previous level's");
        if (f) {
            snprintf(field, flen, "ce_levels[%d].%s", k + 1, f);
            return -1;
        }
    }
    if (!is_in(r->backoff_ms, bi, 13)) {
        snprintf(field, flen, "backoff_ms");
        snprintf(why, wlen,
                 "must be a value of TS 36.321 Table 7.2-1 (0, 10, 20, 30, 40, 60, 80, 120, 160, "
                 "240, 320, 480, 960)");
        return -1;
    }

    if (r->layout_sites != 0) {
        snprintf(field, flen, "layout_sites");
        snprintf(why, wlen, "multi-cell layouts are NB-IoT only so far (LTE-M: 0, one cell)");
        return -1;
    }
    static const double cycles[] = {0.32, 0.64, 1.28, 2.56};
    if (!is_in(r->paging.cycle_s, cycles, 4)) {
        snprintf(field, flen, "paging.cycle_s");
        snprintf(why, wlen, "must be 0.32, 0.64, 1.28 or 2.56 (TS 36.331 defaultPagingCycle, LTE)");
        return -1;
    }

    if (!is_pow2(r->paging.rmax) || r->paging.rmax > 256) {
        snprintf(field, flen, "paging.rmax");
        snprintf(why, wlen, "must be 1, 2, 4, ... 256 (mpdcch-NumRepetition-Paging-r13)");
        return -1;
    }
    if (r->ra_model == MAC_RA_TR37868) {
        const mac_rach_cfg *q = &r->rach;
        phy_ltem_prach p;
        const char *f = NULL;
        if (phy_ltem_prach_config(q->prach_config_index, &p) != 0)
            f = "prach_config_index",
            snprintf(why, wlen, "is not an FDD configuration of TS 36.211 Table 5.7.1-2");
        else if (!is_in(q->backoff_ms, bi, 13))
            f = "backoff_ms", snprintf(why, wlen, "must be a value of TS 36.321 Table 7.2-1");
        else if (!phy_ltem_rar_window_valid(q->rar_window_sf, 0))
            f = "rar_window_sf", snprintf(why, wlen, "must be 2 ... 8 or 10 subframes (TS 36.331)");
        else if (!phy_ltem_cr_timer_valid(q->cr_timer_sf, 0))
            f = "cr_timer_sf",
            snprintf(why, wlen, "must be 8, 16, 24, ... 64 subframes (TS 36.331)");
        if (f) {
            snprintf(field, flen, "rach.%s", f);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------- the radio's rules */

void mac_rat_timing(mac_cell *c)
{
    const int ltem = c->r.rat == MAC_RAT_LTEM;
    for (int k = 0; k < c->r.n_ce; k++) {
        const mac_ce_cfg *ce = &c->r.ce[k];
        if (ltem) {
            phy_ltem_prach_config(ce->prach_config_index, &c->lprach[k]);
            c->rar_win[k] = (sim_time_t)ce->rar_window_sf * SIM_MS;
            c->cr_timer[k] = (sim_time_t)ce->cr_timer_sf * SIM_MS;
        } else {
            c->rar_win[k] = (sim_time_t)ce->rar_window_pp * c->ss_period[k];
            c->cr_timer[k] = (sim_time_t)ce->cr_timer_pp * c->ss_period[k];
        }
    }
    if (ltem) {
        /* TS 36.321 5.1.4: the window starts 3 subframes after the end of
         * the preamble's last repetition (timing.md 2b). */
        c->rar_delay = 3 * SIM_MS;
        /* TS 36.213 8.0: DCI 6-0A/6-0B in subframe n -> PUSCH in n + 4,
         * i.e. 3 ms after the DCI's end. */
        c->k_ul[0] = 3;
        c->n_k_ul = 1;
        /* TS 36.213 6.2: Msg3 in n + k1, k1 >= 6, one subframe later with
         * the RAR's UL delay bit: 5 or 6 ms after the RAR's last subframe
         * ends. */
        c->k_msg3[0] = 5;
        c->k_msg3[1] = 6;
        c->n_k_msg3 = 2;
        /* HARQ-ACK on PUCCH in n + 4 after the PDSCH's last subframe n
         * (timing.md 2b, assumed for BL/CE); PUCCH sits at the carrier
         * edges, outside the PUSCH narrowbands. */
        c->ack_delay = 3 * SIM_MS;
        c->ack_units = 0;
        /* Half-duplex FDD: a guard subframe after transmitting before the
         * device can receive (TS 36.211 6.2.5 / 36.213 8.0). */
        c->ul_to_dl = (sim_time_t)c->r.hd_guard_sf * SIM_MS;
        c->max_dl_tbs = PHY_LTEM_MAX_TBS;
        c->edt_tbs = mac_ltem_edt_tbs;
        c->n_edt_tbs = 9;
    } else {
        /* TS 36.321 5.1.4: the RAR window starts 4 subframes after the
         * preamble's last subframe (41 with 64 or more repetitions, past the
         * NPRACH gap: access.c). */
        c->rar_delay = 4 * SIM_MS;
        /* TS 36.213 16.5.1: NPUSCH after subframe n + k0, k0 = 8, 16, 32, 64 */
        static const int k0[] = {8, 16, 32, 64};
        /* TS 36.213 16.3.3: Msg3 k0 = 12, 16, 32, 64 after the RAR */
        static const int k3[] = {12, 16, 32, 64};
        for (int i = 0; i < 4; i++) {
            c->k_ul[i] = k0[i];
            c->k_msg3[i] = k3[i];
        }
        c->n_k_ul = c->n_k_msg3 = 4;
        /* TS 36.213 16.4.2: NPUSCH format 2 k0 = 13 subframes after the NPDSCH */
        c->ack_delay = 12 * SIM_MS;
        c->ack_units = 4;
        /* TS 36.213 16.6: the device monitors again 3 subframes after its uplink */
        c->ul_to_dl = 3 * SIM_MS;
        c->max_dl_tbs = 680; /* Cat-NB1 */
        c->edt_tbs = mac_nbiot_edt_tbs;
        c->n_edt_tbs = 8;
    }
}

double mac_rsrp(const mac_cell *c, double cl_db)
{
    return c->r.rat == MAC_RAT_LTEM ? phy_ltem_rsrp_dbm(&c->r.link, cl_db)
                                    : phy_rsrp_dbm(&c->r.link, cl_db);
}

double mac_dl_snr(const mac_cell *c, const phy_link_cfg *l, double cl_db)
{
    return c->r.rat == MAC_RAT_LTEM ? phy_ltem_dl_snr_db(l, cl_db) : phy_dl_snr_db(l, cl_db);
}

/* LTE-M grant selection searches every allocation, and the procedure asks
 * the same question (device, size, level) several times per block: a
 * direct-mapped memo of the pure selection functions, per cell, so results
 * do not depend on it. Only exact keys hit (coupling losses stored as
 * float, as the devices hold them). */
struct mac_gcache {
    const phy_link_cfg *l; /* NULL: empty */
    float cl;
    int32_t bits;
    int16_t ce, dir;
    int weak;
    phy_ul_grant u;
    phy_dl_grant d;
};

static struct mac_gcache *gcache_slot(const mac_cell *c, const phy_link_cfg *l, double cl_db,
                                      int bits, int ce, int dir, int *hit)
{
    *hit = 0;
    if (!c->gcache || (double)(float)cl_db != cl_db) return NULL;
    float f = (float)cl_db;
    uint32_t fb;
    memcpy(&fb, &f, sizeof fb);
    uint64_t h = (uint64_t)fb * 0x9E3779B97F4A7C15ull ^ (uint64_t)bits * 0xC2B2AE3D27D4EB4Full ^
                 (uint64_t)(uintptr_t)l ^ (uint64_t)(ce * 2 + dir) << 40;
    h ^= h >> 29;
    struct mac_gcache *e = &c->gcache[(h * 0xBF58476D1CE4E5B9ull >> 52) & (MAC_GCACHE_N - 1)];
    *hit = e->l == l && e->cl == f && e->bits == bits && e->ce == ce && e->dir == dir;
    return e;
}

int mac_ul_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  int multitone, phy_ul_grant *g)
{
    const int reps = c->r.ce[ce].max_ul_reps;
    if (c->r.rat != MAC_RAT_LTEM) return phy_ul_select(l, cl_db, bits, reps, multitone, g);
    int hit;
    struct mac_gcache *e = gcache_slot(c, l, cl_db, bits, ce, 0, &hit);
    if (hit) {
        *g = e->u;
        return e->weak;
    }
    int weak = phy_ltem_ul_select(l, cl_db, bits, reps, MAC_LTEM_MODE_B(ce), g);
    if (e) *e = (struct mac_gcache){l, (float)cl_db, bits, (int16_t)ce, 0, weak, *g, {0}};
    return weak;
}

int mac_dl_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  phy_dl_grant *g)
{
    const int reps = c->r.ce[ce].max_dl_reps;
    if (bits > c->max_dl_tbs) bits = c->max_dl_tbs;
    if (c->r.rat != MAC_RAT_LTEM) return phy_dl_select(l, cl_db, bits, reps, g);
    int hit;
    struct mac_gcache *e = gcache_slot(c, l, cl_db, bits, ce, 1, &hit);
    if (hit) {
        *g = e->d;
        return e->weak;
    }
    int weak = phy_ltem_dl_select(l, cl_db, bits, reps, MAC_LTEM_MODE_B(ce), g);
    if (e) *e = (struct mac_gcache){l, (float)cl_db, bits, (int16_t)ce, 1, weak, {0}, *g};
    return weak;
}

int mac_dci_reps(const mac_cell *c, const phy_link_cfg *l, double cl_db, int rmax, double *bler)
{
    return c->r.rat == MAC_RAT_LTEM ? phy_ltem_mpdcch_reps(l, cl_db, rmax, bler)
                                    : phy_npdcch_reps(l, cl_db, rmax, bler);
}

double mac_prach_detect(const mac_cell *c, const phy_link_cfg *l, double cl_db, double tx_dbm,
                        int reps)
{
    return c->r.rat == MAC_RAT_LTEM ? phy_ltem_prach_detect_prob(l, cl_db, tx_dbm, reps)
                                    : phy_nprach_detect_prob(l, cl_db, tx_dbm, reps);
}

/* LTE-M: PRACH opportunities that start before subframe sf. */
static int64_t opp_before(const phy_ltem_prach *p, int64_t sf)
{
    int64_t blk = sf / 20, n = blk * phy_ltem_prach_per_20ms(p);
    for (int64_t s = blk * 20; s < sf; s++)
        n += phy_ltem_prach_next(p, s) == s;
    return n;
}

sim_time_t mac_prach_next(const mac_cell *c, int ce, sim_time_t t)
{
    if (c->r.rat != MAC_RAT_LTEM) {
        /* TS 36.211 10.1.6.1: nprach-StartTime ms after frames with
         * SFN mod (period / 10 ms) = 0. */
        sim_time_t P = c->prach_period[ce], s0 = c->prach_start[ce];
        if (t <= s0) return s0;
        return s0 + ((t - s0 + P - 1) / P) * P;
    }
    /* An attempt of R repetitions occupies R consecutive opportunities of
     * the level's configuration and starts at an opportunity whose index
     * (counted from SFN 0) is a multiple of R, so that attempts of the level
     * never overlap (our reading of TS 36.211 5.7.1 without
     * prach-StartingSubframe-r13; an assumption). */
    const phy_ltem_prach *p = &c->lprach[ce];
    const int64_t R = c->r.ce[ce].nprach_reps;
    int64_t sf = (t + SIM_MS - 1) / SIM_MS;
    for (;;) {
        int64_t o = phy_ltem_prach_next(p, sf);
        int64_t k = opp_before(p, o);
        if (k % R == 0) return (sim_time_t)o * SIM_MS;
        /* skip to the next multiple of R: walk the remaining opportunities */
        sf = o + 1;
        for (int64_t left = R - k % R - 1; left > 0; left--)
            sf = phy_ltem_prach_next(p, sf) + 1;
    }
}

sim_time_t mac_prach_end(const mac_cell *c, int ce, sim_time_t start, sim_time_t *tx_us)
{
    if (c->r.rat != MAC_RAT_LTEM) {
        *tx_us = c->prach_dur[ce];
        return start + c->prach_dur[ce];
    }
    const phy_ltem_prach *p = &c->lprach[ce];
    const int R = c->r.ce[ce].nprach_reps;
    /* the device transmits CP + sequence (TS 36.211 Table 5.7.1-1, Ts =
     * 1/30.72 us) in each repetition; the rest of the span it waits */
    *tx_us = (sim_time_t)R * (sim_time_t)llround((p->cp_ts + p->seq_ts) / 30.72);
    int64_t end = phy_ltem_prach_attempt_end(p, start / SIM_MS, R);
    return (sim_time_t)end * SIM_MS;
}

sim_time_t mac_ack_duration(const mac_cell *c, int ce)
{
    /* LTE-M: PUCCH format 1a, one subframe per repetition */
    if (c->r.rat == MAC_RAT_LTEM) return (sim_time_t)c->r.ce[ce].ack_reps * SIM_MS;
    return phy_ack_duration(c->r.ce[ce].ack_reps, 0);
}

uint64_t mac_prach_attempts_before(const mac_cell *c, int ce, sim_time_t end)
{
    if (end <= 0) return 0;
    if (c->r.rat != MAC_RAT_LTEM) {
        /* NPRACH opportunities in [0, end): start + j x period < end */
        return end > c->prach_start[ce]
                   ? (uint64_t)((end - 1 - c->prach_start[ce]) / c->prach_period[ce]) + 1
                   : 0;
    }
    const int64_t R = c->r.ce[ce].nprach_reps;
    int64_t n = opp_before(&c->lprach[ce], (end + SIM_MS - 1) / SIM_MS);
    return (uint64_t)((n + R - 1) / R);
}

int mac_max_ul_tbs(const mac_cell *c, int ce)
{
    return c->r.rat == MAC_RAT_LTEM ? phy_ltem_max_tbs(1, MAC_LTEM_MODE_B(ce)) : 1000;
}

int mac_fit_tb(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce, int uplink)
{
    /* An LTE-M transport block fills one subframe per repetition, so a
     * block too large for the link cannot be spread over more time as an
     * NB-IoT NPUSCH spreads over more resource units: the eNB schedules
     * smaller blocks instead. The largest size, in steps of 3/4, whose
     * grant meets the target within the level's repetitions; the request
     * itself if none does (the link is too weak anyway). The block then
     * carries its grant's whole TBS (MAC and RLC fill the grant, TS 36.321
     * 5.4.3.1), at most the data waiting. */
    if (c->r.rat != MAC_RAT_LTEM) return bits;
    for (int b = bits; b >= 16; b = b * 3 / 4) {
        phy_ul_grant g;
        phy_dl_grant h;
        int weak = uplink ? mac_ul_select(c, l, cl_db, b, ce, 1, &g)
                          : mac_dl_select(c, l, cl_db, b, ce, &h);
        if (weak) continue;
        if (b == bits) return b;
        int t = uplink ? g.tbs : h.tbs;
        t = t < bits ? t : bits;
        weak = uplink ? mac_ul_select(c, l, cl_db, t, ce, 1, &g)
                      : mac_dl_select(c, l, cl_db, t, ce, &h);
        return weak ? b : t;
    }
    return bits;
}

size_t mac_gcache_size(void)
{
    return sizeof(struct mac_gcache);
}
