/* ltem.c: the LTE-M (Cat-M1, Rel-13 BL/CE UE) radio: the rules where its
 * procedure timing and link differ from NB-IoT's (PRACH opportunities with
 * repetitions, RAR window and contention resolution timer in subframes,
 * MPDCCH -> PDSCH / PUSCH delays, PUCCH HARQ-ACK, half-duplex guard, LTE
 * TBS grants), as the table mac_radio_ltem. The procedures themselves
 * (access.c, connected.c, sleep.c) are shared with NB-IoT; the defaults
 * and value checks are in config_ltem.c.
 */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* TS 36.331 edt-TBS-r15 values of LTE-M, increasing. */
static const int ltem_edt_tbs[MAC_EDT_TBS_N] = {328, 408, 456, 504, 600, 712, 808, 936, 1000};

static int ltem_carrier(mac_cell *c)
{
    if (mac_gcache_init(c) != 0) return -1;
    /* a 1.08 MHz receiver draws more than the 180 kHz one the module's
     * rx_mw describes (rx_bw_factor, an assumption) */
    for (uint32_t g = 0; g < c->cfg.n_groups; g++)
        c->gmod[g].power_mw[ENERGY_RX] *= c->r.rx_bw_factor;
    /* every subframe of the MTC narrowband is a BL/CE DL subframe
     * (fdd-DownlinkOrTddSubframeBitmapLC absent, TS 36.331; PBCH, PSS/SSS
     * and SIB1-BR are assumed in other narrowbands) */
    phy_dl_map_all_valid(&c->dlmap);
    c->n_units = 6 * c->r.ul_narrowbands;
    c->n_dl_nb = c->r.dl_narrowbands;
    c->unit_group = 6;
    return 0;
}

static void ltem_timing(mac_cell *c)
{
    for (int k = 0; k < c->r.n_ce; k++) {
        const mac_ce_cfg *ce = &c->r.ce[k];
        phy_ltem_prach_config(ce->prach_config_index, &c->lprach[k]);
        c->rar_win[k] = (sim_time_t)ce->rar_window_sf * SIM_MS;
        c->cr_timer[k] = (sim_time_t)ce->cr_timer_sf * SIM_MS;
    }
    /* TS 36.321 5.1.4: the window starts 3 subframes after the end of the
     * preamble's last repetition. */
    c->rar_delay = 3 * SIM_MS;
    /* TS 36.213 8.0: DCI 6-0A/6-0B in subframe n -> PUSCH in n + 4, i.e.
     * 3 ms after the DCI's end. */
    c->k_ul[0] = 3;
    c->n_k_ul = 1;
    /* TS 36.213 6.2: Msg3 in n + k1, k1 >= 6, one subframe later with the
     * RAR's UL delay bit: 5 or 6 ms after the RAR's last subframe ends. */
    c->k_msg3[0] = 5;
    c->k_msg3[1] = 6;
    c->n_k_msg3 = 2;
    /* HARQ-ACK on PUCCH in n + 4 after the PDSCH's last subframe n
     * (TS 36.213 10.2, assumed for BL/CE); PUCCH sits at the carrier edges,
     * outside the PUSCH narrowbands. */
    c->ack_delay = 3 * SIM_MS;
    c->ack_units = 0;
    /* Half-duplex FDD: a guard subframe after transmitting before the
     * device can receive (TS 36.211 6.2.5 / 36.213 8.0). */
    c->ul_to_dl = (sim_time_t)c->r.hd_guard_sf * SIM_MS;
    c->max_dl_tbs = PHY_LTEM_MAX_TBS;
    c->edt_tbs = ltem_edt_tbs;
    c->n_edt_tbs = 9;
}

static double ltem_rsrp(const mac_cell *c, double cl_db)
{
    return phy_ltem_rsrp_dbm(&c->r.link, cl_db);
}

static double ltem_dl_snr(const mac_cell *c, const phy_link_cfg *l, double cl_db)
{
    return phy_ltem_dl_snr_db(l, cl_db);
}

/* LTE-M grant selection searches every allocation: memoised (gcache.c) */
static int ltem_ul_compute(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                           int flags, phy_ul_grant *g)
{
    (void)flags;
    return phy_ltem_ul_select(l, cl_db, bits, c->r.ce[ce].max_ul_reps, MAC_LTEM_MODE_B(ce), g);
}

static int ltem_dl_compute(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                           phy_dl_grant *g)
{
    return phy_ltem_dl_select(l, cl_db, bits, c->r.ce[ce].max_dl_reps, MAC_LTEM_MODE_B(ce), g);
}

static int ltem_ul_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                          int flags, phy_ul_grant *g)
{
    /* the selection ignores flags on LTE-M: one memo entry for all */
    (void)flags;
    return mac_gcache_ul(c, l, cl_db, bits, ce, 0, g, ltem_ul_compute);
}

static int ltem_dl_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                          phy_dl_grant *g)
{
    return mac_gcache_dl(c, l, cl_db, bits, ce, g, ltem_dl_compute);
}

static int ltem_dci_reps(const mac_cell *c, const phy_link_cfg *l, double cl_db, int rmax,
                         double *bler)
{
    return phy_ltem_mpdcch_reps(l, cl_db, rmax, bler);
}

static double ltem_prach_detect(const mac_cell *c, const phy_link_cfg *l, double cl_db,
                                double tx_dbm, int reps)
{
    return phy_ltem_prach_detect_prob(l, cl_db, tx_dbm, reps);
}

/* LTE-M: PRACH opportunities that start before subframe sf. */
static int64_t opp_before(const phy_ltem_prach *p, int64_t sf)
{
    int64_t blk = sf / 20, n = blk * phy_ltem_prach_per_20ms(p);
    for (int64_t s = blk * 20; s < sf; s++)
        n += phy_ltem_prach_next(p, s) == s;
    return n;
}

static sim_time_t ltem_prach_next(const mac_cell *c, int ce, sim_time_t t)
{
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

static sim_time_t ltem_prach_end(const mac_cell *c, int ce, sim_time_t start, sim_time_t *tx_us)
{
    const phy_ltem_prach *p = &c->lprach[ce];
    const int R = c->r.ce[ce].nprach_reps;
    /* the device transmits CP + sequence (TS 36.211 Table 5.7.1-1, Ts =
     * 1/30.72 us) in each repetition; the rest of the span it waits */
    *tx_us = (sim_time_t)R * (sim_time_t)llround((p->cp_ts + p->seq_ts) / 30.72);
    int64_t end = phy_ltem_prach_attempt_end(p, start / SIM_MS, R);
    return (sim_time_t)end * SIM_MS;
}

static uint64_t ltem_prach_attempts_before(const mac_cell *c, int ce, sim_time_t end)
{
    if (end <= 0) return 0;
    const int64_t R = c->r.ce[ce].nprach_reps;
    int64_t n = opp_before(&c->lprach[ce], (end + SIM_MS - 1) / SIM_MS);
    return (uint64_t)((n + R - 1) / R);
}

static sim_time_t ltem_ack_duration(const mac_cell *c, const mac_dev *d, sim_time_t *tx_us)
{
    /* PUCCH format 1a, one subframe per repetition, no gaps */
    sim_time_t dur = (sim_time_t)c->r.ce[d->ce].ack_reps * SIM_MS;
    if (tx_us) *tx_us = dur;
    return dur;
}

static void ltem_si_read(const mac_cell *c, const mac_dev *d, sim_time_t *rx, sim_time_t *elapsed)
{
    /* MIB, SIB1-BR and SIB2 in about si_ms of reception (estimate) */
    if (sim_time_from_s(c->r.paging.si_ms / 1e3, rx) != 0) *rx = 0;
    *elapsed = *rx;
}

static int ltem_edt_tbs_ok(const mac_cell *c, int ce, int tbs)
{
    /* TS 36.331 edt-TBS-r15 b1000or456: 1000 bits at CE levels 0 and 1
     * (mode A), 456 bits at levels 2 and 3 (mode B) */
    if (tbs == 1000) return !MAC_LTEM_MODE_B(ce);
    if (tbs == 456) return MAC_LTEM_MODE_B(ce);
    return tbs > 0;
}

static int ltem_edt_grants(const mac_cell *c, int ce, double edge_db, int cap,
                           const phy_ul_grant *gmax, int *tb, phy_ul_grant *g)
{
    /* The list's sizes up to cap that exist at the level, each with the
     * grant that carries it at the level's edge (the BL/CE small-TBS rules
     * of TS 36.213 are not modelled yet); without edt-SmallTBS only cap */
    int n = 0;
    for (int t = 0; t < c->n_edt_tbs; t++) {
        const int T = c->edt_tbs[t];
        if (T > cap || !ltem_edt_tbs_ok(c, ce, T) || (!c->r.edt_small_tbs && T != cap)) continue;
        phy_ul_grant x;
        if (T == cap)
            x = *gmax;
        else if (mac_ul_select(c, &c->r.link, edge_db, T, ce, 0, &x) != 0)
            continue;
        tb[n] = T;
        g[n++] = x;
    }
    return n;
}

static int ltem_max_ul_tbs(const mac_cell *c, int ce)
{
    return phy_ltem_max_tbs(1, MAC_LTEM_MODE_B(ce));
}

static int ltem_fit_tb(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                       int uplink)
{
    /* An LTE-M transport block fills one subframe per repetition, so a
     * block too large for the link cannot be spread over more time as an
     * NB-IoT NPUSCH spreads over more resource units: the eNB schedules
     * smaller blocks instead. The largest size, in steps of 3/4, whose
     * grant meets the target within the level's repetitions; the request
     * itself if none does (the link is too weak anyway). The block then
     * carries its grant's whole TBS (MAC and RLC fill the grant, TS 36.321
     * 5.4.3.1), at most the data waiting. */
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

const mac_radio mac_radio_ltem = {
    .name = "ltem",
    .check = mac_ltem_cfg_check,
    .carrier = ltem_carrier,
    .timing = ltem_timing,
    .rsrp = ltem_rsrp,
    .dl_snr = ltem_dl_snr,
    .ul_select = ltem_ul_select,
    .dl_select = ltem_dl_select,
    .dci_reps = ltem_dci_reps,
    .prach_detect = ltem_prach_detect,
    .prach_next = ltem_prach_next,
    .prach_end = ltem_prach_end,
    .prach_attempts_before = ltem_prach_attempts_before,
    .ack_duration = ltem_ack_duration,
    .max_ul_tbs = ltem_max_ul_tbs,
    .si_read = ltem_si_read,
    .edt_tbs_ok = ltem_edt_tbs_ok,
    .edt_grants = ltem_edt_grants,
    .fit_tb = ltem_fit_tb,
    .dci_chan = PHY_CH_MPDCCH,
    .ul_postpone = 0,
};
