/* nbiot.c: the NB-IoT radio: the rules of NB-IoT's timing and link that
 * the shared procedures (access.c, connected.c, sleep.c) call through the
 * table mac_radio_nbiot (NPRACH opportunities, RAR window and contention
 * resolution timer in NPDCCH periods, NPDCCH -> NPUSCH / NPDSCH delays,
 * NPUSCH format 2 HARQ-ACK). Defaults and value checks: config.c.
 */
#include "mac/mac_internal.h"

/* TS 36.331 edt-TBS-r15 values of NB-IoT, increasing (8 of the 9 slots). */
static const int nbiot_edt_tbs[MAC_EDT_TBS_N] = {328, 408, 504, 584, 680, 808, 936, 1000, 0};

static int nbiot_carrier(mac_cell *c)
{
    /* valid downlink subframes: NPBCH, NPSS, NSSS and SIB1-NB excluded */
    phy_dl_map_init(&c->dlmap, c->r.sib1_reps, c->r.pci);
    if (mac_gcache_init(c) != 0) return -1;
    c->n_units = c->unit_group = UL_UNITS;
    c->n_dl_nb = 1;
    return 0;
}

static void nbiot_timing(mac_cell *c)
{
    for (int k = 0; k < c->r.n_ce; k++) {
        const mac_ce_cfg *ce = &c->r.ce[k];
        c->rar_win[k] = (sim_time_t)ce->rar_window_pp * c->ss_period[k];
        c->cr_timer[k] = (sim_time_t)ce->cr_timer_pp * c->ss_period[k];
        c->prach_dur[k] = phy_nprach_duration(ce->nprach_reps, c->r.nprach_format);
    }
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
    c->max_dl_tbs = 680; /* Cat-NB1 (TS 36.306 4.1C) */
    c->edt_tbs = nbiot_edt_tbs;
    c->n_edt_tbs = 8;
}

static double nbiot_rsrp(const mac_cell *c, double cl_db)
{
    return phy_rsrp_dbm(&c->r.link, cl_db);
}

static double nbiot_dl_snr(const mac_cell *c, const phy_link_cfg *l, double cl_db)
{
    return phy_dl_snr_db(l, cl_db);
}

/* Grant selection, memoised per cell (gcache.c): the tone-width probes and
 * the NPUSCH's start and end ask the same question. */
static int nbiot_ul_compute(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                            int ce, int flags, phy_ul_grant *g)
{
    return phy_ul_select(l, cl_db, bits, c->r.ce[ce].max_ul_reps, flags, g);
}

static int nbiot_ul_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                           int flags, phy_ul_grant *g)
{
    return mac_gcache_ul(c, l, cl_db, bits, ce, flags, g, nbiot_ul_compute);
}

static int nbiot_dl_compute(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                            int ce, phy_dl_grant *g)
{
    return phy_dl_select(l, cl_db, bits, c->r.ce[ce].max_dl_reps, g);
}

static int nbiot_dl_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                           phy_dl_grant *g)
{
    return mac_gcache_dl(c, l, cl_db, bits, ce, g, nbiot_dl_compute);
}

static int nbiot_dci_reps(const mac_cell *c, const phy_link_cfg *l, double cl_db, int rmax,
                          double *bler)
{
    return phy_npdcch_reps(l, cl_db, rmax, bler);
}

static double nbiot_prach_detect(const mac_cell *c, const phy_link_cfg *l, double cl_db,
                                 double tx_dbm, int reps)
{
    return phy_nprach_detect_prob(l, cl_db, tx_dbm, reps);
}

static sim_time_t nbiot_prach_next(const mac_cell *c, int ce, sim_time_t t)
{
    /* TS 36.211 10.1.6.1: nprach-StartTime ms after frames with
     * SFN mod (period / 10 ms) = 0. */
    sim_time_t P = c->prach_period[ce], s0 = c->prach_start[ce];
    if (t <= s0) return s0;
    return s0 + ((t - s0 + P - 1) / P) * P;
}

static sim_time_t nbiot_prach_end(const mac_cell *c, int ce, sim_time_t start, sim_time_t *tx_us)
{
    /* the 40 ms gaps after every 64 repetitions are not transmission
     * (TS 36.211 10.1.6.1) */
    *tx_us = phy_nprach_tx_time(c->r.ce[ce].nprach_reps, c->r.nprach_format);
    return start + c->prach_dur[ce];
}

static uint64_t nbiot_prach_attempts_before(const mac_cell *c, int ce, sim_time_t end)
{
    if (end <= 0) return 0;
    /* NPRACH opportunities in [0, end): start + j x period < end */
    return end > c->prach_start[ce]
               ? (uint64_t)((end - 1 - c->prach_start[ce]) / c->prach_period[ce]) + 1
               : 0;
}

static sim_time_t nbiot_ack_duration(const mac_cell *c, const mac_dev *d, sim_time_t *tx_us)
{
    /* NPUSCH format 2 on the RAR's spacing: 2 ms (15 kHz) or 8 ms
     * (3.75 kHz) per repetition (TS 36.211 Table 10.1.2.3-1) */
    const int reps = c->r.ce[d->ce].ack_reps;
    if (tx_us) *tx_us = phy_ack_tx_time(reps, d->scs_3k75);
    return phy_ack_duration(reps, d->scs_3k75);
}

static void nbiot_si_read(const mac_cell *c, const mac_dev *d, sim_time_t *rx, sim_time_t *elapsed)
{
    /* Only the scheduled subframes are received (TS 36.331 5.2.1.2a, TS
     * 36.213 16.4.1.3): SIB1-NB is 8 subframes per repetition, sib1_reps
     * repetitions spread over 2560 ms; the device combines as many as it
     * needs at its coupling loss. Then each SI message: 8 subframes (2 if
     * si-TB <= 120 bits) every si_repetition_rf frames of its 160 ms
     * window, once per si_period_ms; on average half a period passes
     * before its first window. MIB-NB is read with the synchronisation. */
    const phy_link_cfg *l = &c->glink[d->group];
    const mac_paging_cfg *p = &c->r.paging;
    const int R = c->r.sib1_reps;
    const sim_time_t gap = (sim_time_t)(2560 / R) * SIM_MS;
    const int n1 = phy_bcast_tx_needed(l, d->cl_db, c->r.sib1_tbs, 8, 4 * R);
    const int nsf = p->si_tbs <= 120 ? 2 : 8;
    const int per_window = 16 / p->si_repetition_rf; /* 160 ms = 16 frames */
    const int n2 = phy_bcast_tx_needed(l, d->cl_db, p->si_tbs, nsf, 16 * per_window);
    const int windows = (n2 + per_window - 1) / per_window;
    sim_time_t period;
    if (sim_time_from_s(p->si_period_ms / 1e3, &period) != 0) period = 0;
    *rx = (sim_time_t)n1 * 8 * SIM_MS + (sim_time_t)p->si_messages * n2 * nsf * SIM_MS;
    *elapsed = (sim_time_t)n1 * gap + period / 2 + (sim_time_t)(windows - 1) * period +
               (sim_time_t)p->si_messages * 160 * SIM_MS;
}

static int nbiot_edt_tbs_ok(const mac_cell *c, int ce, int tbs)
{
    return tbs > 0; /* the whole edt-TBS-r15 list at every level */
}

static int nbiot_edt_grants(const mac_cell *c, int ce, double edge_db, int cap,
                            const phy_ul_grant *gmax, int *tb, phy_ul_grant *g)
{
    /* TS 36.213 16.3.3, Table 16.3.3-2: with edt-SmallTBS-Enabled the
     * device picks among these TBSs for the configured edt-TBS (cap); the
     * resource units stay those of edt-TBS (Table 16.3.3-3) and the Msg3
     * repetitions scale with the TBS: the smallest multiple of L (1 for a
     * single tone) >= N_Rep x TBS / edt-TBS. */
    static const struct {
        int cap, n, tbs[4];
    } rows[] = {
        {.cap = 328, .n = 1, .tbs = {328}},
        {.cap = 408, .n = 2, .tbs = {328, 408}},
        {.cap = 504, .n = 3, .tbs = {328, 408, 504}},
        {.cap = 584, .n = 4, .tbs = {328, 408, 504, 584}},
        {.cap = 680, .n = 4, .tbs = {328, 456, 584, 680}},
        {.cap = 808, .n = 4, .tbs = {328, 504, 680, 808}},
        {.cap = 936, .n = 4, .tbs = {328, 504, 712, 936}},
        {.cap = 1000, .n = 4, .tbs = {328, 536, 776, 1000}},
    };
    int n = 0;
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        if (rows[r].cap == cap) {
            for (int i = c->r.edt_small_tbs ? 0 : rows[r].n - 1; i < rows[r].n; i++) {
                phy_ul_grant x = *gmax;
                const int T = rows[r].tbs[i];
                const int64_t reps = ((int64_t)gmax->reps * T + cap - 1) / cap;
                x.tbs = (uint16_t)T;
                x.reps = (uint16_t)(reps < 1 ? 1 : reps);
                x.duration = phy_npusch_duration(x.tones, x.scs_3k75, x.n_ru, x.reps);
                tb[n] = T;
                g[n++] = x;
            }
            break;
        }
    return n;
}

static int nbiot_max_ul_tbs(const mac_cell *c, int ce)
{
    return 1000; /* TS 36.213 Table 16.5.1.2-2: largest NPUSCH TBS (Cat-NB1) */
}

static int nbiot_fit_tb(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                        int uplink)
{
    return bits; /* an NPUSCH spreads a block over more resource units instead */
}

const mac_radio mac_radio_nbiot = {
    .name = "nbiot",
    .check = mac_nbiot_cfg_check,
    .carrier = nbiot_carrier,
    .timing = nbiot_timing,
    .rsrp = nbiot_rsrp,
    .dl_snr = nbiot_dl_snr,
    .ul_select = nbiot_ul_select,
    .dl_select = nbiot_dl_select,
    .dci_reps = nbiot_dci_reps,
    .prach_detect = nbiot_prach_detect,
    .prach_next = nbiot_prach_next,
    .prach_end = nbiot_prach_end,
    .prach_attempts_before = nbiot_prach_attempts_before,
    .ack_duration = nbiot_ack_duration,
    .max_ul_tbs = nbiot_max_ul_tbs,
    .si_read = nbiot_si_read,
    .edt_tbs_ok = nbiot_edt_tbs_ok,
    .edt_grants = nbiot_edt_grants,
    .fit_tb = nbiot_fit_tb,
    .dci_chan = PHY_CH_NPDCCH,
    .ul_postpone = 1,
};
