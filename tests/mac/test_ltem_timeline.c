/* test_ltem_timeline.c: one LTE-M report at 130, 143, 150 and 155 dB
 * coupling loss (CE levels 0 and 1 in CE mode A, 2 and 3 in CE mode B),
 * time in every power state, transmit energy and report latency against
 * the sequence worked out by hand from the spec timing.
 *
 * The LTE-M twin of test_timeline.c: one device, alone in the default
 * LTE-M cell (mac_radio_cfg_default_ltem), reports once at t0 (periodic
 * with no phase, period one day), control plane with RAI, PSM at once. The
 * calculation takes only the grant sizes from phy/ (phy_ltem_ul_select,
 * phy_ltem_dl_select, phy_ltem_mpdcch_reps, phy_ltem_max_tbs) and writes
 * every timing rule out here, subframe by subframe. Every subframe of the
 * MTC narrowband is a BL/CE DL subframe (fdd-DownlinkOrTddSubframeBitmapLC
 * absent), so n subframes are n ms. Subframes are counted from SFN 0,
 * subframe 0; the SFN wraps after 1024 frames (10240 subframes).
 *  1. resynchronise: receive for sync_ms of the CE level;
 *  2. light sleep until the level's next PRACH attempt: prach-ConfigIndex 6
 *     is format 0 in subframes 1 and 6 of every frame (TS 36.211 Table
 *     5.7.1-2); an attempt of R = numRepetitionPerPreambleAttempt-r13
 *     repetitions starts at an opportunity whose index in the SFN cycle is
 *     a multiple of R and takes R consecutive opportunities (TS 36.211
 *     5.7.1, prach-StartingSubframe-r13 absent). Each repetition sends CP +
 *     sequence, (3168 + 24576) Ts = 903 us (Table 5.7.1-1, Ts = 1/30.72 us);
 *     the rest of the attempt the device is idle. Power: CE 0 open loop,
 *     target -104 dBm + CL, others P_CMAX (TS 36.213 6.1);
 *  3. RAR window from the subframe holding the end of the last repetition
 *     + 3 subframes, ra-ResponseWindowSize-r13 long (TS 36.321 5.1.4);
 *  4. every DCI (RAR, Msg4, the data's, the downlink's): MPDCCH Type-2 CSS
 *     starting in the subframes with (10 SFN + subframe) mod T =
 *     floor(offset x T), T = Rmax x G (TS 36.213 9.1.5); a DCI of R
 *     repetitions (phy_ltem_mpdcch_reps) in candidate j, j x R subframes
 *     into a search space (j x R < Rmax); the eNB takes the first candidate
 *     that starts at or after the subframe the device listens from (in the
 *     search space in progress too). While waiting the device receives in
 *     the search spaces' first Rmax subframes;
 *  5. PDSCH from the 2nd BL/CE DL subframe after the MPDCCH's last
 *     subframe n, i.e. n + 2 (TS 36.213 7.1.11), reps subframes;
 *  6. Msg3 in n + 6 after the RAR PDSCH's last subframe n (k1 = 6, UL delay
 *     0, TS 36.213 6.2), its grant sized for the CE level's edge (RSRP
 *     threshold; MCL for the last level);
 *  7. after every uplink the device listens again hd_guard_sf = 1 subframe
 *     later (HD-FDD guard, TS 36.211 4.1); Msg4's DCI within
 *     mac-ContentionResolutionTimer-r13 of Msg3's end (TS 36.321 5.1.5);
 *     HARQ-ACK on PUCCH from n + 4 after a PDSCH's last subframe n,
 *     pucch-NumRepetitionCE subframes (TS 36.213 10.2, assumed for BL/CE
 *     as for LTE FDD);
 *  8. Msg5 with the CP data (payload + 44 + 9 bytes) in transport blocks of
 *     at most the mode's largest TBS (1000 bits mode A, 936 mode B), each
 *     cut by 3/4 until the link carries it within the level's repetitions;
 *     each a DCI 6-0A/B (last subframe n) then PUSCH in n + 4 (TS 36.213
 *     8.0); delivered at the end of its last PUSCH;
 *  9. application ACK down (20 + 9 bytes), HARQ-ACK; RRC release (10
 *     bytes), HARQ-ACK; then PSM.
 * Connected time not receiving or sending is CONNECTED; the rest PSM. PUSCH
 * and PUCCH power as modelled (full power beyond 2 repetitions, else the
 * need + margin, TS 36.213 5.1.1.1). The seed is fixed and every run must
 * see a single preamble and no HARQ retransmission (checked), so every
 * block decodes first time; every block here has repetitions or is the
 * last of its message (checked), so no two blocks share a burst of HARQ
 * processes (connected.c), which the calculation leaves out.
 * EDT (Rel-15): where the report (12 + 45 bytes) fits the level's EDT cap
 * (the largest EDT TBS <= edt_tbs whose Msg3 grant at the level's edge
 * meets the BLER target: with the defaults CE 0 504, CE 1 408, CE 2 504,
 * CE 3 600 bits) the report rides in Msg3 with the smallest LTE-M EDT TBS
 * that holds it (456 bits), Msg4 carries the application ACK, and after
 * Msg4's HARQ-ACK the device is idle again; at CE 1 it does not fit and the
 * legacy procedure runs.
 * t0 = 2 s, and once more t0 = 10 s at 155 dB: that timeline crosses the
 * SFN wrap at 10.24 s, which moves the search spaces when T does not
 * divide 10240 (CE 3: T = 192) and is where the simulator once counted them
 * from SFN 0 without the wrap (96 ms late with a 100-byte report).
 */
#include "mac/mac.h"
#include "tests/check.h"
#include "tests/mac/one_report.h"

/* bytes per report: small enough for EDT (12 + 45 bytes of overhead = 456
 * bits) at the levels whose edt-TBS is 504 or 600, not at the 408 one */
#define PAYLOAD 12

#include <math.h>
#include <string.h>

#define SF           SIM_MS /* one subframe */
#define SFN_CYCLE_SF 10240  /* 1024 frames of 10 subframes */

typedef struct expect {
    int64_t t[ENERGY_STATE_COUNT];
    double tx_j;
    sim_time_t delivered;
    sim_time_t first_preamble, msg4_rx; /* the access delay (TR 37.868 terms) */
    int ce, edt;
} expect;

/* The hand calculation's state: the device, its level, what it has booked
 * so far and a log of the milestones (ms from t0). */
typedef struct hand {
    const mac_radio_cfg *r;
    const mac_ce_cfg *k;
    const energy_profile *m;
    phy_link_cfg link; /* the cell's link with the group's power class */
    double cl;
    int ce, mode_b;
    sim_time_t t0;
    int64_t rx, tx; /* us */
    double tx_j;
    char log[2048];
    size_t len;
} hand;

static void note(hand *h, const char *what, sim_time_t t)
{
    if (h->len < sizeof h->log)
        h->len += (size_t)snprintf(h->log + h->len, sizeof h->log - h->len, " %s %.3f", what,
                                   sim_time_to_ms(t - h->t0));
}

/* Whether a search space of the level starts in subframe sf (TS 36.213
 * 9.1.5: (10 SFN + subframe) mod T = floor(offset x T), SFN mod 1024). */
static int ss_starts(const hand *h, int64_t sf)
{
    const int64_t T = llround(h->k->npdcch_rmax * h->k->npdcch_g);
    return (sf % SFN_CYCLE_SF) % T == (int64_t)floor(h->k->npdcch_offset * (double)T);
}

/* Subframes since the start of the last search space starting at or before
 * sf (T >= Rmax: search spaces never overlap); a large number before the
 * first. */
static int64_t ss_into(const hand *h, int64_t sf)
{
    for (int64_t s = sf; s >= 0; s--)
        if (ss_starts(h, s)) return sf - s;
    return INT64_MAX;
}

/* The first DCI candidate of R repetitions starting at or after t:
 * j x R subframes into a search space, j x R < Rmax. */
static sim_time_t dci_next(const hand *h, sim_time_t t, int R)
{
    for (int64_t sf = (t + SF - 1) / SF;; sf++) {
        int64_t j = ss_into(h, sf);
        if (j < h->k->npdcch_rmax && j % R == 0) return sf * SF;
    }
}

/* Receive time monitoring search spaces in [a, b): the subframes in the
 * first Rmax of a search space. */
static int64_t monitor(const hand *h, sim_time_t a, sim_time_t b)
{
    int64_t n = 0;
    for (int64_t sf = a / SF; sf * SF < b; sf++)
        n += ss_into(h, sf) < h->k->npdcch_rmax;
    return n * SF;
}

static double clamp_dbm(const phy_link_cfg *l, double p)
{
    return p < l->ue_min_dbm ? l->ue_min_dbm : p < l->ue_max_dbm ? p : l->ue_max_dbm;
}

static void book_tx(hand *h, int64_t us, double dbm)
{
    h->tx += us;
    h->tx_j += energy_tx_power_mw(h->m, dbm) * (double)us * 1e-9;
}

/* A downlink block listened for from `listen`: the DCI, the PDSCH from
 * n + 2. Books its receive time; returns the PDSCH end, in *dci the DCI
 * start. */
static sim_time_t dl_block(hand *h, const char *what, int bits, sim_time_t listen, sim_time_t *dci)
{
    phy_dl_grant g;
    phy_ltem_dl_select(&h->link, h->cl, bits < PHY_LTEM_MAX_TBS ? bits : PHY_LTEM_MAX_TBS,
                       h->k->max_dl_reps, h->mode_b, &g);
    const int R = phy_ltem_mpdcch_reps(&h->link, h->cl, h->k->npdcch_rmax, NULL);
    const sim_time_t d0 = dci_next(h, listen, R);
    const sim_time_t n = d0 + (R - 1) * SF; /* the MPDCCH's last subframe */
    const sim_time_t ps = n + 2 * SF;       /* TS 36.213 7.1.11 */
    const sim_time_t pe = ps + g.reps * SF;
    h->rx += monitor(h, listen, d0) + R * SF + (pe - ps);
    if (h->len < sizeof h->log)
        h->len +=
            (size_t)snprintf(h->log + h->len, sizeof h->log - h->len,
                             "\n    %s: DCI %.0f (R %d), PDSCH %.0f-%.0f (%d bits, %d x %d PRB)",
                             what, sim_time_to_ms(d0 - h->t0), R, sim_time_to_ms(ps - h->t0),
                             sim_time_to_ms(pe - h->t0), g.tbs, g.reps, g.n_prb);
    if (dci) *dci = d0;
    return pe;
}

/* HARQ-ACK on PUCCH after a PDSCH ending at pe: from n + 4 (n = the
 * PDSCH's last subframe), ack_reps subframes. Books it; returns its end. */
static sim_time_t harq_ack(hand *h, sim_time_t pe)
{
    const int reps = h->k->ack_reps;
    const sim_time_t s = pe - SF + 4 * SF, e = s + reps * SF;
    /* PUCCH format 1a over one PRB (180 kHz): the channel's calibrated
     * one-repetition need */
    const phy_link_cfg *l = &h->link;
    double p = l->ue_max_dbm;
    if (reps <= 2)
        p = clamp_dbm(l, phy_chan_need_db(l, PHY_CH_PUCCH) -
                             phy_rep_snr_db(l, PHY_CH_PUCCH, 0, reps) + l->pc_margin_db +
                             phy_noise_dbm(180e3, l->enb_nf_db) + l->ul_interference_db + h->cl);
    book_tx(h, e - s, p);
    note(h, "ACK", s);
    return e;
}

/* PUSCH power: full beyond 2 repetitions, else the need of the grant's
 * block (+ 24-bit CRC over n_prb x 144 REs) + margin. */
static double pusch_power(const hand *h, const phy_ul_grant *g)
{
    const phy_link_cfg *l = &h->link;
    if (g->reps > 2) return l->ue_max_dbm;
    double req = phy_required_snr_db(l, PHY_CH_PUSCH, g->tbs + 24.0,
                                     (double)g->n_prb * l->ltem_ul_re_per_prb);
    return clamp_dbm(l, req - phy_rep_snr_db(l, PHY_CH_PUSCH, 0, g->reps) + l->pc_margin_db +
                            phy_noise_dbm(180e3 * g->n_prb, l->enb_nf_db) + l->ul_interference_db +
                            h->cl);
}

/* The largest block of at most `bits`, in steps of 3/4, that the link
 * carries at the target within the level's repetitions (the request if
 * none does); a reduced block fills its grant's TBS (at most `bits`). */
static int fit_tb(const hand *h, int bits, int uplink)
{
    for (int b = bits; b >= 16; b = b * 3 / 4) {
        phy_ul_grant g;
        phy_dl_grant d;
        int weak = uplink
                       ? phy_ltem_ul_select(&h->link, h->cl, b, h->k->max_ul_reps, h->mode_b, &g)
                       : phy_ltem_dl_select(&h->link, h->cl, b, h->k->max_dl_reps, h->mode_b, &d);
        if (weak) continue;
        if (b == bits) return b;
        int t = uplink ? g.tbs : d.tbs;
        return t < bits ? t : bits;
    }
    return bits;
}

/* PRACH opportunity i (from SFN 0) of prach-ConfigIndex 6, subframes 1
 * and 6 of every frame: its subframe. */
static int64_t prach_sf(int64_t i)
{
    return 10 * (i / 2) + (i % 2 ? 6 : 1);
}

/* 8-9: the connected part after Msg4's HARQ-ACK; returns the end of the
 * release's HARQ-ACK. */
static sim_time_t connected(hand *h, sim_time_t ack_end, sim_time_t *delivered)
{
    const mac_radio_cfg *r = h->r;
    const mac_ce_cfg *k = h->k;
    const sim_time_t guard = r->hd_guard_sf * SF;
    sim_time_t listen = ack_end + guard;
    /* 8: Msg5, the data in blocks: DCI 6-0A/B, PUSCH in n + 4 */
    const int max_tb = phy_ltem_max_tbs(1, h->mode_b);
    for (int bits = 8 * (PAYLOAD + r->cp_overhead_bytes + r->l2_overhead_bytes); bits > 0;) {
        const int tb = fit_tb(h, bits < max_tb ? bits : max_tb, 1);
        phy_ul_grant g;
        phy_ltem_ul_select(&h->link, h->cl, tb, k->max_ul_reps, h->mode_b, &g);
        const int R = phy_ltem_mpdcch_reps(&h->link, h->cl, k->npdcch_rmax, NULL);
        /* a block without repetitions with more to follow would start a
         * burst over several HARQ processes, which this calculation leaves
         * out */
        CHECK_MSG(g.reps > 1 || R > 1 || bits == tb, "CL %.0f: Msg5 burst", h->cl);
        const sim_time_t d0 = dci_next(h, listen, R);
        const sim_time_t n = d0 + (R - 1) * SF;
        h->rx += monitor(h, listen, d0) + R * SF;
        const sim_time_t us = n + 4 * SF, ue = us + g.reps * SF;
        book_tx(h, ue - us, pusch_power(h, &g));
        if (h->len < sizeof h->log)
            h->len += (size_t)snprintf(h->log + h->len, sizeof h->log - h->len,
                                       "\n    Msg5 %d of %d bits: DCI %.0f (R %d), PUSCH %.0f-%.0f "
                                       "(TBS %d, %d x %d PRB)",
                                       tb, bits, sim_time_to_ms(d0 - h->t0), R,
                                       sim_time_to_ms(us - h->t0), sim_time_to_ms(ue - h->t0),
                                       g.tbs, g.reps, g.n_prb);
        listen = ue + guard;
        *delivered = ue;
        bits -= tb;
    }
    /* 9: application ACK (in blocks the link carries), then the release,
     * each block with its HARQ-ACK */
    sim_time_t pe;
    for (int bits = 8 * (r->dl_ack_bytes + r->l2_overhead_bytes); bits > 0;) {
        const int tb = fit_tb(h, bits < PHY_LTEM_MAX_TBS ? bits : PHY_LTEM_MAX_TBS, 0);
        phy_dl_grant g;
        phy_ltem_dl_select(&h->link, h->cl, tb, k->max_dl_reps, h->mode_b, &g);
        const int R = phy_ltem_mpdcch_reps(&h->link, h->cl, k->npdcch_rmax, NULL);
        CHECK_MSG(g.reps > 1 || R > 1 || k->ack_reps > 1 || bits == tb, "CL %.0f: DL burst", h->cl);
        pe = dl_block(h, "app ACK", tb, listen, NULL);
        listen = harq_ack(h, pe) + guard;
        bits -= tb;
    }
    pe = dl_block(h, "release", 8 * r->release_bytes, listen, NULL);
    return harq_ack(h, pe);
}

/* the last level is planned for the MCL moved into the link's budget:
 * TR 36.888's 155.7 dB at 20 dBm and a 5 dB eNB noise figure, with this
 * link's 23 dBm and 3 dB (two receive antennas in both) */
static double planned_edge(const mac_radio_cfg *r)
{
    return r->mcl_db + (r->link.ue_max_dbm - r->mcl_tx_dbm) +
           (r->mcl_enb_nf_db - r->link.enb_nf_db);
}

static expect by_hand(double cl, const mac_radio_cfg *r, const mac_group_cfg *grp, sim_time_t t0,
                      sim_time_t end, int edt_on, hand *h)
{
    memset(h, 0, sizeof *h);
    h->r = r;
    h->m = &grp->module;
    h->link = r->link;
    h->link.ue_max_dbm = grp->tx_max_dbm;
    h->cl = cl;
    h->t0 = t0;
    expect x = {{0}, 0, 0, 0, 0, 0, 0};
    /* CE level from RSRP = per-RE power - CL against the thresholds of all
     * levels but the last (TS 36.321 5.1.1) */
    const double rsrp = phy_ltem_rsrp_dbm(&r->link, cl);
    int ce = 0;
    while (ce < r->n_ce - 1 && rsrp < r->ce[ce].rsrp_threshold_dbm)
        ce++;
    h->ce = x.ce = ce;
    h->k = &r->ce[ce];
    h->mode_b = ce >= 2; /* TS 36.213 6.2: the RAR of levels 2-3 is a mode B grant */
    const mac_ce_cfg *k = h->k;
    CHECK_EQ_INT(k->prach_config_index, 6); /* the pattern of prach_sf */
    /* EDT if the data fits the largest EDT TBS <= the level's edt_tbs whose
     * Msg3 grant, sized for the level's edge, meets the BLER target */
    const double edge0 =
        ce + 1 < r->n_ce ? phy_ltem_rsrp_dbm(&r->link, 0) - k->rsrp_threshold_dbm : planned_edge(r);
    static const int edt_set[9] = {328, 408, 456, 504, 600, 712, 808, 936, 1000};
    int cap = 0;
    for (int e = 0; e < 9; e++) {
        phy_ul_grant ge;
        if (edt_set[e] <= k->edt_tbs &&
            phy_ltem_ul_select(&r->link, edge0, edt_set[e], k->max_ul_reps, h->mode_b, &ge) == 0)
            cap = edt_set[e];
    }
    x.edt = edt_on && grp->edt && cap >= 8 * (PAYLOAD + r->edt_overhead_bytes);

    /* 1: resynchronise */
    const sim_time_t sync = llround(k->sync_ms * 1000.0);
    h->rx += sync;
    const sim_time_t ready = t0 + sync;
    note(h, "ready", ready);

    /* 2: the first opportunity at or after `ready` whose index in the SFN
     * cycle (2048 opportunities) is a multiple of R */
    const int R = k->nprach_reps;
    const int64_t rsf = (ready + SF - 1) / SF;
    int64_t i = 2 * (rsf / 10) + (rsf % 10 <= 1 ? 0 : rsf % 10 <= 6 ? 1 : 2);
    while (i % 2048 % R != 0)
        i++;
    const sim_time_t last_rep = prach_sf(i + R - 1) * SF; /* subframe of the last repetition */
    const sim_time_t p_end = last_rep + SF;               /* format 0: one subframe */
    const int64_t rep_us = llround((3168.0 + 24576.0) / 30.72); /* 903 us */
    double pp = grp->tx_max_dbm;
    if (ce == 0) /* open loop, first attempt: no ramping; target - 10 log10(R), TS 36.321 5.1.3 */
        pp = clamp_dbm(&h->link, r->preamble_target_dbm - 10 * log10(R) + cl);
    book_tx(h, R * rep_us, pp);
    x.first_preamble = prach_sf(i) * SF;
    x.t[ENERGY_IDLE] = (p_end - ready) - R * rep_us;
    note(h, "PRACH", prach_sf(i) * SF);
    note(h, "to", p_end);

    /* 3: RAR (one preamble: BI subheader + 7 bytes) in the window */
    const sim_time_t ws = last_rep + 3 * SF, we = ws + k->rar_window_sf * SF;
    note(h, "window", ws);
    sim_time_t dci;
    const sim_time_t rar_end = dl_block(h, "RAR", 8 * (1 + 7), ws, &dci);
    CHECK_MSG(dci < we, "CL %.0f: RAR DCI at %lld us, window ends %lld us", cl, (long long)dci,
              (long long)we);

    /* 6: Msg3 in n + 6, sized for the level's edge: legacy 88 bits, EDT the
     * smallest LTE-M EDT TBS >= payload + edt_overhead_bytes (edt-SmallTBS) */
    const double edge =
        ce + 1 < r->n_ce ? phy_ltem_rsrp_dbm(&r->link, 0) - k->rsrp_threshold_dbm : planned_edge(r);
    static const int edt_tbs[9] = {328, 408, 456, 504, 600, 712, 808, 936, 1000};
    int t = 0;
    while (edt_tbs[t] < 8 * (PAYLOAD + r->edt_overhead_bytes))
        t++;
    phy_ul_grant g3;
    phy_ltem_ul_select(&r->link, edge, x.edt ? edt_tbs[t] : r->msg3_bits, k->max_ul_reps, h->mode_b,
                       &g3);
    const sim_time_t m3s = rar_end - SF + 6 * SF, m3e = m3s + g3.reps * SF;
    book_tx(h, m3e - m3s, pusch_power(h, &g3));
    if (h->len < sizeof h->log)
        h->len += (size_t)snprintf(
            h->log + h->len, sizeof h->log - h->len, "\n    Msg3 %.0f-%.0f (TBS %d, %d x %d PRB)",
            sim_time_to_ms(m3s - t0), sim_time_to_ms(m3e - t0), g3.tbs, g3.reps, g3.n_prb);

    /* 7: Msg4 after the HD-FDD guard, within the CR timer, and its ACK */
    const int msg4 = 8 * (r->msg4_bytes + (x.edt ? r->dl_ack_bytes + r->l2_overhead_bytes : 0));
    const sim_time_t pe = dl_block(h, "Msg4", msg4, m3e + r->hd_guard_sf * SF, &dci);
    x.msg4_rx = pe;
    CHECK_MSG(dci < m3e + k->cr_timer_sf * SF, "CL %.0f: Msg4 DCI after the CR timer", cl);
    sim_time_t idle_at = harq_ack(h, pe);
    if (x.edt) /* delivered with Msg3; idle after Msg4's HARQ-ACK */
        x.delivered = m3e;
    else
        idle_at = connected(h, idle_at, &x.delivered);
    note(h, "idle", idle_at);

    x.t[ENERGY_RX] = h->rx;
    x.t[ENERGY_TX] = h->tx;
    x.tx_j = h->tx_j;
    x.t[ENERGY_CONNECTED] = (idle_at - p_end) - (h->rx - sync) - (h->tx - R * rep_us);
    x.t[ENERGY_PSM] = t0 + (end - idle_at);
    return x;
}

/* Simulates one report and checks it against the hand timeline; returns
 * the simulated total energy and, in *hand_j, the hand-computed one. */
static double check_cl(double cl, int edt, double t0_s, uint64_t seed, double *hand_j)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default_ltem(&radio);
    radio.edt = edt;
    /* the walk below is without connected-mode DRX (tests/mac/test_cdrx.c
     * walks a report with it) */
    radio.cdrx.enabled = 0;
    /* The hand timelines below fix the link outcomes (no retransmission at
     * the seed used) with the uncalibrated Shannon link of slope 2; the
     * conformance calibration has its own test (tests/phy/test_calib.c). */
    phy_link_calibrate(&radio.link, PHY_CAL_SHANNON);
    char field[64], why[160];
    CHECK(mac_radio_cfg_check(&radio, field, sizeof field, why, sizeof why) == 0);
    mac_group_cfg g;
    one_report_group(&g, t0_s, PAYLOAD, cl);
    g.rai = 1;
    const sim_time_t end = 60 * SIM_S, t0 = llround(t0_s * 1e6);
    mac_cell_cfg cc = {.radio = &radio, .groups = &g, .n_groups = 1, .duration = end, .seed = seed};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 64};
    sim_engine *e = sim_engine_create(&ec, &err);
    mac_cell *c = e ? mac_cell_create(&cc, e, &err) : NULL;
    CHECK(c != NULL);
    if (!c) {
        sim_engine_destroy(e);
        *hand_j = 0;
        return 0;
    }
    CHECK(sim_engine_run(e, end, &err) == SIM_OK && mac_cell_finish(c, &err) == SIM_OK);
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(c, &n);
    hand h;
    expect x = by_hand(cl, &radio, &g, t0, end, edt, &h);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(s->ce_level, x.ce);
    CHECK_EQ_INT(s->harq_retx, 0); /* preconditions of the calculation */
    CHECK_EQ_INT(s->preambles, 1);
    CHECK_EQ_INT(s->taus, 0);
    CHECK_EQ_INT(s->reports_delivered, 1);
    CHECK_EQ_INT(s->edt_reports, x.edt);
    printf("CL %.0f dB (CE %d, mode %c)%s, ms from t0:%s\n", cl, x.ce, x.ce >= 2 ? 'B' : 'A',
           x.edt ? " EDT" : "", h.log);
    printf("  ");
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        printf(" %s %.6f", energy_state_name((energy_state)k), x.t[k] / 1e6);
    printf(" s, latency %.1f ms, tx %.6f J\n", sim_time_to_ms(x.delivered - t0), x.tx_j);
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        CHECK_MSG(s->energy.time_us[k] == x.t[k], "CL %.0f%s state %s: %lld us, by hand %lld us",
                  cl, edt ? " EDT" : "", energy_state_name((energy_state)k),
                  (long long)s->energy.time_us[k], (long long)x.t[k]);
    CHECK_NEAR(s->latency_ms_mean, sim_time_to_ms(x.delivered - t0), 1e-3);
    /* access delay: first preamble to the end of Msg4's PDSCH */
    const mac_cell_stats *cs = mac_cell_stats_get(c);
    CHECK_NEAR(cs->ra_delay_ms_mean, sim_time_to_ms(x.msg4_rx - x.first_preamble), 1e-9);
    CHECK_EQ_INT(cs->ra_successes, 1);
    CHECK_NEAR(s->energy_j[ENERGY_TX], x.tx_j, 1e-9 * x.tx_j);
    *hand_j = x.tx_j;
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        if (k != ENERGY_TX) {
            /* the LTE-M receiver draws rx_bw_factor x the module's rx_mw */
            double mw = g.module.power_mw[k] * (k == ENERGY_RX ? radio.rx_bw_factor : 1.0);
            CHECK_NEAR(s->energy_j[k], mw * (double)x.t[k] * 1e-9, 1e-12);
            *hand_j += mw * (double)x.t[k] * 1e-9;
        }
    double total = energy_total_j(&s->energy);
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return total;
}

int main(void)
{
    /* CE 0 and 1: CE mode A; CE 2 and 3: CE mode B. EDT changes the energy
     * by exactly the difference of the two hand timelines (nothing at CE 1,
     * where the report does not fit edt-TBS). */
    static const double cls[] = {130, 143, 150, 155};
    for (int i = 0; i < 4; i++) {
        double h_leg, h_edt;
        double e_leg = check_cl(cls[i], 0, 2.0, 1, &h_leg);
        double e_edt = check_cl(cls[i], 1, 2.0, 1, &h_edt);
        printf("CL %.0f dB: EDT saves %.6f J of %.6f J per report (by hand %.6f J)\n", cls[i],
               e_leg - e_edt, e_leg, h_leg - h_edt);
        CHECK_NEAR(e_leg - e_edt, h_leg - h_edt, 1e-9 * e_leg);
    }
    double h_wrap;
    check_cl(155, 0, 10.0, 1, &h_wrap); /* across the SFN wrap */
    {
        mac_radio_cfg r;
        mac_radio_cfg_default_ltem(&r);
        CHECK_NEAR(planned_edge(&r), 160.7, 1e-9); /* 155.7 + 3 + 2 */
        CHECK_NEAR(mac_planned_edge_db(&r), planned_edge(&r), 1e-9);
        r.link.enb_rx_antennas = 4; /* twice the antennas: 3 dB deeper */
        CHECK_NEAR(mac_planned_edge_db(&r), 160.7 + 10 * log10(2.0), 1e-9);
    }
    return check_done();
}
