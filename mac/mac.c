/* mac.c: the cell, its devices and their reports.
 *
 * Creates the devices (coupling loss, CE level, traffic), keeps each
 * device's report buffer and the delivery log, and provides the helpers the
 * procedures share (power per state, uplink power control and BLER). Random
 * draws come from per-device counter-based streams indexed by a per-device
 * draw counter, so no draw depends on how devices' events interleave.
 */
#include "mac/mac_internal.h"
#include "mac/idle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mac_radio_cfg_default(mac_radio_cfg *r)
{
    memset(r, 0, sizeof *r);
    /* Three CE levels in the style of operator configurations (LENA-NB's
     * "Vodafone" cell and the DESIGN example): periods, subcarriers and
     * repetitions from TS 36.331's value sets, growing with coverage. The
     * thresholds put the level edges at 144.2 and 154.2 dB coupling loss
     * with 43 dBm: NRSRP = 43 - 10.8 - CL. */
    static const mac_ce_cfg ce[3] = {
        {-112, 160, 8, 48, 2, 5, 8, 2, 0, 10, 32, 16, 32, 1, 100, 1000, 6, 20, 80},
        {-122, 320, 8, 24, 8, 5, 64, 2, 0, 8, 16, 64, 256, 4, 400, 1000, 6, 20, 80},
        {0, 1280, 8, 12, 32, 5, 256, 2, 0, 8, 16, 128, 2048, 16, 1200, 1000, 6, 20, 80},
    };
    r->n_ce = 3;
    for (int k = 0; k < 3; k++)
        r->ce[k] = ce[k];
    r->nprach_format = 0;
    r->preamble_trans_max = 10;    /* LENA-NB */
    r->preamble_target_dbm = -120; /* lowest preambleInitialReceivedTargetPower */
    r->ramp_step_db = 2;
    r->mcl_db = 164;     /* TR 45.820 NB-IoT target */
    r->backoff_ms = 256; /* smallest non-zero NB-IoT BI (TS 36.321 Table 7.2-2) */
    r->capture = 0;
    r->capture_margin_db = 6;
    r->harq_max_tx = 4;
    r->inactivity_s = 20; /* common operator DataInactivityTimer (params.md) */
    r->sib1_reps = 4;
    r->pci = 0;
    r->rsrp_error_sd_db = 0;
    r->user_plane = 0;
    r->msg3_bits = 88;         /* srsRAN, LENA-NB, timing.md section 7 */
    r->msg4_bytes = 26;        /* 6-byte contention-resolution identity + RRC setup (unconfirmed) */
    r->cp_overhead_bytes = 44; /* RRC + NAS around CP data (peteryej model) */
    r->l2_overhead_bytes = 9;  /* PDCP 5 + RLC/MAC 4 (SCHC over NB-IoT draft) */
    r->setup_complete_bytes = 20;  /* peteryej; LENA-NB Msg5 */
    r->smc_bytes = 10;             /* SecurityModeCommand (unconfirmed) */
    r->smc_complete_bytes = 13;    /* peteryej */
    r->reconf_bytes = 30;          /* RRCConnectionReconfiguration (unconfirmed) */
    r->reconf_complete_bytes = 10; /* peteryej */
    r->dl_ack_bytes = 20;          /* application acknowledgement (e.g. CoAP ACK + headers) */
    r->release_bytes = 10;         /* RRCConnectionRelease (unconfirmed) */
    phy_link_default(&r->link);
    r->layout_sites = 0;
    r->interference_passes = 2;
    r->edt = 0;
    r->edt_overhead_bytes = 5; /* LENA-NB's EDT eligibility: (payload + 5) x 8 bits */
    r->edt_small_tbs = 1;
    /* UP-EDT Msg3: RRCConnectionResumeRequest (resume id 40 bits, MAC-I 16
     * bits, cause) multiplexed with the data's PDCP/RLC/MAC headers
     * (unconfirmed total) */
    r->edt_up_overhead_bytes = 15;
    mac_paging_cfg *p = &r->paging;
    p->cycle_s = 2.56;   /* a common defaultPagingCycle (rf256) */
    p->nb = 2;           /* nB = T */
    p->rmax = 32;        /* npdcch-NumRepetitionPaging (operator choice) */
    p->max_records = 16; /* maxPageRec (TS 36.331) */
    p->delay_ms = 20;    /* S1 paging latency (unconfirmed) */
    p->max_attempts = 4; /* MME paging repetitions (operator choice) */
    p->wake_ms = 3;      /* clock start-up and timing re-acquisition (unconfirmed) */
    p->long_sleep_s = 10.24;
    p->si_validity_s = 10800; /* system information valid 3 h (TS 36.331 5.2.1.3) */
    p->si_ms = 2560;          /* one SIB1-NB period (timing.md 5) */
    p->wus_factor = 0.25;
    p->wus_offset_ms = 40; /* timeOffsetDRX 40 ms */
    p->wus_snr_db = 0;
    p->wus_false_alarm = 0.001;
    r->network.t3324_max_s = 11160; /* 31 decihours: no limit */
    r->network.t3412_min_s = 0;
    r->network.edrx_allowed = 1;
    r->network.buffer_s = 3600; /* extended buffering (operator choice) */
    r->simulate_occasions = 0;
    /* LTE-M fields (unused by NB-IoT; mac_radio_cfg_default_ltem) */
    r->ul_narrowbands = 2;
    r->dl_narrowbands = 2;
    r->hd_guard_sf = 1;
    /* LTE-M receive draw: the module's rx_mw was measured on 180 kHz; the
     * 1.08 MHz receiver samples 6x faster, and we assume that adds a quarter
     * to the draw (baseband share; unconfirmed, no public measurement of
     * one module on both radios at hand) */
    r->rx_bw_factor = 1.25;
    r->ra_model = MAC_RA_CELL;
    mac_rach_default(&r->rach);
    r->ce[3] = r->ce[2]; /* a fourth level exists only on LTE-M */
}

static int is_in(double v, const double *set, int n)
{
    for (int i = 0; i < n; i++)
        if (fabs(v - set[i]) < 1e-9) return 1;
    return 0;
}

/* Checks both radios share: paging nB against the cycle, preambleTransMax. */
static int common_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    /* nB must leave at least one paging frame per cycle */
    if (r->paging.nb > 2 && (1 << (r->paging.nb - 2)) > (int)llround(r->paging.cycle_s * 100)) {
        snprintf(field, flen, "paging.nB");
        snprintf(why, wlen, "T/%d is less than one paging frame per cycle",
                 1 << (r->paging.nb - 2));
        return -1;
    }
    static const double ptm[] = {3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200};
    if (!is_in(r->preamble_trans_max, ptm, 11)) {
        snprintf(field, flen, "preamble_trans_max");
        snprintf(why, wlen, "must be one of 3, 4, 5, 6, 7, 8, 10, 20, 50, 100, 200 (TS 36.331)");
        return -1;
    }
    return 0;
}

int mac_radio_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    if (r->rat == MAC_RAT_LTEM)
        return mac_ltem_cfg_check(r, field, flen, why, wlen) ||
                       common_check(r, field, flen, why, wlen)
                   ? -1
                   : 0;
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
    static const double gs[] = {1.5, 2, 4, 8, 16, 32, 48, 64};
    static const double offs[] = {0, 0.125, 0.25, 0.375};
    static const double bi[] = {0,     256,   512,   1024,   2048,   4096,  8192,
                                16384, 32768, 65536, 131072, 262144, 524288};
    for (int k = 0; k < r->n_ce; k++) {
        const mac_ce_cfg *c = &r->ce[k];
        const char *f = NULL;
        if (!is_in(c->nprach_period_ms, periods, 8))
            f = "nprach_period_ms", snprintf(why, wlen,
                                             "must be one of 40, 80, 160, 240, 320, "
                                             "640, 1280, 2560 (TS 36.331)");
        else if (!is_in(c->subcarriers, scs, 4))
            f = "subcarriers", snprintf(why, wlen, "must be 12, 24, 36 or 48 (TS 36.331)");
        else if (!is_in(c->npdcch_g, gs, 8))
            f = "npdcch_g", snprintf(why, wlen, "must be one of 1.5, 2, 4, 8, 16, 32, 48, 64");
        else if (!is_in(c->npdcch_offset, offs, 4))
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
        static const double edt_set[] = {0, 328, 408, 504, 584, 680, 808, 936, 1000};
        if (!f && !is_in(c->edt_tbs, edt_set, 9))
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

    static const double sites[] = {0, 1, 7, 19};
    if (!is_in(r->layout_sites, sites, 4)) {
        snprintf(field, flen, "layout_sites");
        snprintf(why, wlen, "must be 0 (one cell), 1, 7 or 19 sites");
        return -1;
    }
    static const double cycles[] = {1.28, 2.56, 5.12, 10.24};
    if (!is_in(r->paging.cycle_s, cycles, 4)) {
        snprintf(field, flen, "paging.cycle_s");
        snprintf(why, wlen, "must be 1.28, 2.56, 5.12 or 10.24 (TS 36.331 defaultPagingCycle)");
        return -1;
    }
    if (common_check(r, field, flen, why, wlen)) return -1;
    static const double sib1[] = {4, 8, 16};
    if (!is_in(r->sib1_reps, sib1, 3)) {
        snprintf(field, flen, "sib1_reps");
        snprintf(why, wlen, "must be 4, 8 or 16 (TS 36.213 16.4.1.3)");
        return -1;
    }
    if (!is_in(r->backoff_ms, bi, 13)) {
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
    const int lt = rat == MAC_RAT_LTEM;
    if (!is_in(i->drx_cycle_s, lt ? drx_lte : drx, 5)) {
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
    if ((lt ? idle_ptw_frames_ltem(i->ptw_s) : idle_ptw_frames(i->ptw_s)) < 0) {
        *field = "ptw_s";
        snprintf(why, wlen,
                 lt ? "must be 1.28 x (n + 1) s, n = 0 ... 15 (TS 24.008, WB-S1)"
                    : "must be 2.56 x (n + 1) s, n = 0 ... 15 (TS 24.008, NB-IoT)");
        return -1;
    }
    return 0;
}

void mac_group_cfg_default(mac_group_cfg *g)
{
    memset(g, 0, sizeof *g);
    strcpy(g->name, "devices");
    g->count = 1;
    traffic_cfg_default(&g->traffic);
    phy_coverage_default(&g->coverage);
    energy_profile_default(&g->module);
    energy_battery_default(&g->battery);
    g->idle.drx_cycle_s = 0;
    g->idle.edrx_cycle_s = 0;
    g->idle.ptw_s = 2.56;
    g->idle.psm = 1;
    g->idle.t3324_s = 0;     /* PSM at once, as the TR 45.820 battery-life method */
    g->idle.t3412_s = 86400; /* daily periodic TAU request */
    g->idle.wus = 0;
    g->idle.tau_bytes = 30; /* TAU request (unconfirmed) */
    g->idle.tau_accept_bytes = 20;
    traffic_cfg_default(&g->downlink.traffic);
    g->downlink.traffic.kind = TRAFFIC_NONE;
    g->downlink.traffic.payload.kind = PAYLOAD_FIXED;
    g->downlink.traffic.payload.bytes = 20;
    g->downlink.answer_bytes = 0;
    g->max_pending = 16; /* application buffer (modelling choice) */
    g->rai = 0;
    g->answer = 1;
    g->edt = 1;
    strcpy(g->stack.name, "none");
    g->stack.answer_bytes = -1; /* the cell's dl_ack_bytes */
    g->tx_max_dbm = 23;         /* power class 3 */
}

/* ------------------------------------------------------------- helpers */

sim_rng mac_rng(const mac_cell *c, uint32_t dev, uint32_t purpose, uint64_t sub)
{
    sim_rng r;
    sim_rng_key k = {c->cfg.seed, c->cfg.replication, c->cfg.cell, dev, purpose, sub};
    sim_rng_init(&r, &k);
    return r;
}

double mac_power(const mac_cell *c, const mac_dev *d, energy_state s)
{
    return c->gmod[d->group].power_mw[s];
}

void mac_enter(mac_cell *c, mac_dev *d, energy_state s, sim_time_t now)
{
    energy_enter(&d->energy, s, mac_power(c, d, s), now);
}

void mac_ul_link(const mac_cell *c, const mac_dev *d, const phy_ul_grant *g, double *tx_dbm,
                 double *bler)
{
    const phy_link_cfg *l = &c->glink[d->group];
    double bw = g->scs_3k75 ? 3750.0 : 15000.0 * g->tones;
    double res = (double)g->n_ru * (g->tones == 1 ? 96.0 : 144.0);
    if (g->n_prb) { /* LTE-M PUSCH: one subframe per repetition */
        bw = 180e3 * g->n_prb;
        res = (double)g->n_prb * l->ltem_ul_re_per_prb;
    }
    double req = phy_required_snr_db(l, g->tbs + 24.0, res);
    double gain = phy_rep_snr_db(l, 0.0, g->reps);
    double p = l->ue_max_dbm;
    /* TS 36.213 16.2.1.1 (NB-IoT), 5.1.1.1 (BL/CE): full power beyond 2
     * repetitions; otherwise the power that reaches the grant's need plus a
     * margin (alpha = 1). */
    if (g->reps <= 2) {
        double need = req - gain + l->pc_margin_db + phy_noise_dbm(bw, l->enb_nf_db) +
                      l->ul_interference_db + d->cl_db;
        p = need < l->ue_min_dbm ? l->ue_min_dbm : need < p ? need : p;
    }
    *tx_dbm = p;
    *bler = phy_bler(l, phy_rep_snr_db(l, phy_ul_snr_db(l, d->cl_db, p, bw), g->reps), req,
                     l->bler_target);
}

double mac_ack_power(const mac_cell *c, const mac_dev *d)
{
    /* NPUSCH format 2 carries 1 bit over 16 data REs per repetition (4
     * slots x 4 symbols, TS 36.211 10.1.3); same power control as format 1:
     * full power beyond 2 repetitions, else just enough with the margin. */
    const phy_link_cfg *l = &c->glink[d->group];
    int reps = c->r.ce[d->ce].ack_reps;
    if (reps > 2) return l->ue_max_dbm;
    /* LTE-M PUCCH format 1a: 1 bit over one PRB-subframe's 8 data symbols
     * (3 DMRS symbols per slot, TS 36.211 5.4), 96 REs over 180 kHz */
    const int lt = c->r.rat == MAC_RAT_LTEM;
    double need = phy_required_snr_db(l, 1.0, lt ? 96.0 : 16.0) - phy_rep_snr_db(l, 0.0, reps) +
                  l->pc_margin_db + phy_noise_dbm(lt ? 180e3 : 15000.0, l->enb_nf_db) +
                  l->ul_interference_db + d->cl_db;
    return need < l->ue_min_dbm ? l->ue_min_dbm : need < l->ue_max_dbm ? need : l->ue_max_dbm;
}

uint32_t mac_item_alloc(mac_cell *c)
{
    if (c->reports_free == NO_REPORT) {
        uint32_t cap = c->reports_cap ? c->reports_cap * 2 : 1024;
        mac_report *r = realloc(c->reports, (size_t)cap * sizeof *r);
        if (!r) {
            c->oom = 1;
            return NO_REPORT;
        }
        for (uint32_t i = cap; i-- > c->reports_cap;) {
            r[i].next = c->reports_free;
            c->reports_free = i;
        }
        c->reports = r;
        c->reports_cap = cap;
    }
    uint32_t i = c->reports_free;
    c->reports_free = c->reports[i].next;
    c->reports[i].next = NO_REPORT;
    c->reports[i].kind = ITEM_REPORT;
    c->reports[i].tries = 0;
    return i;
}

uint32_t mac_item_push(mac_cell *c, uint32_t *head, uint32_t *tail, uint32_t *count, int kind,
                       sim_time_t generated, uint32_t bytes)
{
    uint32_t r = mac_item_alloc(c);
    if (r == NO_REPORT) {
        sim_engine_stop(c->engine);
        return NO_REPORT;
    }
    c->reports[r].kind = (uint8_t)kind;
    c->reports[r].generated = generated;
    c->reports[r].bytes = bytes;
    if (*count == 0)
        *head = r;
    else
        c->reports[*tail].next = r;
    *tail = r;
    (*count)++;
    return r;
}

void mac_item_release(mac_cell *c, uint32_t i)
{
    c->reports[i].next = c->reports_free;
    c->reports_free = i;
}

void mac_log_dl(mac_cell *c, uint32_t dev, int64_t lat_us)
{
    if (c->dl_lat_n == c->dl_lat_cap) {
        size_t cap = c->dl_lat_cap ? c->dl_lat_cap * 2 : 1024;
        uint32_t *d = realloc(c->dl_lat_dev, cap * sizeof *d);
        if (d) c->dl_lat_dev = d;
        float *l = d ? realloc(c->dl_lat_ms, cap * sizeof *l) : NULL;
        if (!l) {
            c->oom = 1;
            return;
        }
        c->dl_lat_ms = l;
        c->dl_lat_cap = cap;
    }
    c->dl_lat_dev[c->dl_lat_n] = dev;
    c->dl_lat_ms[c->dl_lat_n] = (float)((double)lat_us / 1e3);
    c->dl_lat_n++;
}

/* Appends to the delivery log (8 bytes a report: float milliseconds keep
 * 24 bits, sub-millisecond up to hours). Presized at creation from the
 * expected report count; grows by half when exceeded. */
static void log_latency(mac_cell *c, uint32_t dev, int64_t lat_us)
{
    if (c->lat_n == c->lat_cap) {
        size_t cap = c->lat_cap ? c->lat_cap + c->lat_cap / 2 : 4096;
        uint32_t *d = realloc(c->lat_dev, cap * sizeof *d);
        if (d) c->lat_dev = d;
        float *l = d ? realloc(c->lat_ms, cap * sizeof *l) : NULL;
        if (!l) {
            c->oom = 1;
            return;
        }
        c->lat_ms = l;
        c->lat_cap = cap;
    }
    c->lat_dev[c->lat_n] = dev;
    c->lat_ms[c->lat_n] = (float)((double)lat_us / 1e3);
    c->lat_n++;
}

void mac_report_done(mac_cell *c, uint32_t id, sim_time_t now, int delivered)
{
    mac_dev *d = &c->devs[id];
    if (d->pending == 0) return;
    uint32_t r = d->head;
    d->head = c->reports[r].next;
    d->pending--;
    if (c->reports[r].kind == ITEM_TAU) {
        d->taus += delivered != 0; /* a periodic TAU, not an application report */
    } else if (delivered) {
        d->delivered++;
        uint32_t b = c->reports[r].bytes;
        d->bytes = d->bytes > UINT32_MAX - b ? UINT32_MAX : d->bytes + b;
        log_latency(c, id, now - c->reports[r].generated);
    } else {
        d->failed++;
    }
    mac_item_release(c, r);
    if (c->oom) sim_engine_stop(c->engine);
}

void mac_go_idle(mac_cell *c, uint32_t id, sim_time_t now)
{
    sleep_enter(c, id, now, 0);
}

static void on_report(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *g = &c->cfg.groups[d->group];
    uint32_t n = d->generated++;

    sim_rng pr = mac_rng(c, id, MAC_RNG_PAYLOAD, n);
    uint32_t bytes = traffic_payload_bytes(&g->traffic.payload, &pr);
    /* substream 0 drew the first arrival, report n draws the gap after it */
    sim_rng tr = mac_rng(c, id, MAC_RNG_TRAFFIC, (uint64_t)n + 1);
    traffic_state st = mac_traffic_at(c, id, &g->traffic, MAC_RNG_TRAFFIC, ev->time);
    traffic_advance(&g->traffic, &st, &tr);
    d->next_report = st.next;
    if (st.next < c->cfg.duration) sim_schedule(e, st.next, EV_REPORT, id, 0, 0);

    if (d->ce_base >= MAC_MAX_CE) {
        d->failed++; /* out of coverage: no cell to send to */
        return;
    }
    if (d->pending >= g->max_pending) {
        d->dropped++;
        return;
    }
    if (mac_item_push(c, &d->head, &d->tail, &d->pending, ITEM_REPORT, ev->time, bytes) ==
        NO_REPORT)
        return;
    if (d->state == ST_SLEEP)
        access_start(c, id, ev->time, sleep_leave(c, id, ev->time));
    else if (d->state == ST_INACTIVE)
        conn_new_data(c, id, ev->time);
}

traffic_state mac_traffic_at(const mac_cell *c, uint32_t id, const traffic_cfg *t, uint32_t purpose,
                             sim_time_t now)
{
    traffic_state st;
    sim_rng r = mac_rng(c, id, purpose, 0);
    traffic_device_init(t, &st, &r, 0);
    st.next = now;
    return st;
}

void mac_register_reports(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_REPORT, on_report, c);
}
