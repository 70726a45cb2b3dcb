/* test_timeline.c: one report at 144, 154 and 164 dB coupling loss, time in
 * every power state against the sequence worked out from the spec timing.
 *
 * One device, alone in the cell, reports once at t0 = 10 s (periodic with
 * no phase, period one day), control plane with RAI, default cell. The
 * calculation below walks the procedure step by step, using only phy/'s
 * public primitives (durations, valid DL subframes, link adaptation) and
 * the timing rules written out here:
 *  1. resynchronise: receive for sync_ms of the CE level;
 *  2. light sleep until the next NPRACH opportunity, start + k x period
 *     (TS 36.211 10.1.6.1); send the preamble (CE 0: open-loop power
 *     -120 dBm + CL capped at 23 dBm; others 23 dBm; TS 36.213 16.3.1);
 *  3. RAR window from the subframe holding the preamble end + 4 subframes
 *     (TS 36.321 5.1.4); search spaces every T = Rmax x G from
 *     floor(offset x T) (TS 36.213 16.6), each monitored for Rmax valid DL
 *     subframes; the RAR's DCI at the first search space, its NPDSCH from the
 *     first valid subframe >= n + 5 (TS 36.213 16.4.1);
 *  4. Msg3 at RAR end + 12 ms (k0 = 12, TS 36.213 16.3.3), grant sized for
 *     the CE level's edge, power control at <= 2 repetitions;
 *  5. Msg4 from 3 ms after Msg3 (half-duplex switch, TS 36.213 16.6); its
 *     HARQ-ACK 12 ms after the NPDSCH (k0 = 13, TS 36.213 16.4.2), 1 bit over
 *     16 REs per repetition, power-controlled like NPUSCH at <= 2 reps, on
 *     the RAR's subcarrier spacing: 2 ms per repetition at 15 kHz, 8 ms at
 *     3.75 kHz (TS 36.211 Table 10.1.2.3-1);
 *  6. Msg5 with the CP data (payload + 44 + 9 bytes) in blocks of <= 1000
 *     bits, each a DCI N0 then NPUSCH at DCI end + 8 ms (TS 36.213 16.5.1),
 *     on the RAR's spacing too (TS 36.213 16.5.1.1): 3.75 kHz single tone,
 *     or 15 kHz with 1, 3, 6 or 12 tones;
 *  7. application ACK down (20 + 9 bytes), HARQ-ACK; RRC release (10 bytes),
 *     HARQ-ACK; then PSM.
 * Gaps are not transmission: the 40 ms gap after every 64 NPRACH
 * repetitions (TS 36.211 10.1.6.1) and after every 256 ms of NPUSCH
 * (10.1.3.6, Msg3, data and HARQ-ACK alike) postpone the uplink, and so
 * do the configured NPRACH occasions its subcarriers overlap (10.1.3.6;
 * a HARQ-ACK on the least postponed of the subcarriers TS 36.213 Table
 * 16.4.2-1 offers); the device receives in them (mtcsim's assumption: it
 * re-acquires the downlink) and transmits only the rest.
 * Connected time not spent receiving or sending is CONNECTED; the rest PSM.
 * The seed is fixed and the run must see no HARQ retransmission (checked),
 * so every block decodes first time.
 * EDT (Rel-15): the same access, but the report rides in Msg3 with the
 * smallest EDT TBS that holds it and its overhead (edt_overhead_bytes: the
 * legacy RRC + NAS wrap, 44 bytes, + a 1-byte MAC subheader), Msg4 carries
 * the application ACK, and after Msg4's HARQ-ACK the device is idle again.
 * A 50-byte report needs 95 bytes = 760 bits: the 776-bit TBS of TS 36.213
 * Table 16.3.3-2, with 776/1000 of the 1000-bit grant's repetitions. A 100-byte
 * report needs 1160 bits, more than the largest EDT TBS (1000): it goes the
 * legacy way even with EDT on. Both sizes at 144, 154 and 164 dB.
 */
#include "mac/mac.h"
#include "tests/check.h"
#include "tests/mac/npusch_ref.h"
#include "tests/mac/one_report.h"

#include <math.h>

typedef struct expect {
    int64_t t[ENERGY_STATE_COUNT];
    double tx_j;
    sim_time_t delivered;
} expect;

static int drx_;             /* connected-mode DRX (the cell's default configuration) */
static int rai_ = 1;         /* release assistance; without it the inactivity tail */
static int64_t sleep_;       /* DRX sleep by hand */
static sim_time_t cut_ = -1; /* the on-duration a DCI stopped (its start) */
static sim_time_t dci_;      /* the last DCI's first subframe (dl_block) */

/* Connected-mode DRX by hand (TS 36.321 5.7): a DRX cycle starts where
 * [(SFN x 10) + subframe] mod cycle = offset (every 10.24 s anew), its
 * on-duration lasts onDurationTimer PDCCH periods (T = Rmax x G), cut by
 * the next start. Time of [a, b) inside on-durations. */
static int64_t on_overlap(int ce, sim_time_t a, sim_time_t b)
{
    const mac_cdrx_cfg *x = &R_->cdrx;
    const mac_ce_cfg *k = &R_->ce[ce];
    const sim_time_t T = (sim_time_t)llround(k->npdcch_rmax * k->npdcch_g) * SIM_MS;
    const sim_time_t C = x->cycle_sf * SIM_MS, off = x->start_offset * SIM_MS, sfn = 10240 * SIM_MS;
    int64_t sum = 0;
    for (sim_time_t base = (a / sfn - 1) * sfn; base < b; base += sfn)
        for (sim_time_t st = base + off; st < base + sfn; st += C) {
            if (st == cut_) continue; /* stopped by a DCI */
            sim_time_t e = st + x->on_duration * T,
                       nx = st + C < base + sfn ? st + C : base + sfn + off;
            if (e > nx) e = nx;
            sim_time_t lo = st > a ? st : a, hi = e < b ? e : b;
            if (hi > lo) sum += hi - lo;
        }
    return sum;
}

/* A DCI for the device at t stops the on-duration it comes in (TS 36.321
 * 5.7, NB-IoT): the rest of it is no longer Active Time. */
static void dci_stops_on(int ce, sim_time_t t)
{
    const mac_cdrx_cfg *x = &R_->cdrx;
    const mac_ce_cfg *k = &R_->ce[ce];
    const sim_time_t T = (sim_time_t)llround(k->npdcch_rmax * k->npdcch_g) * SIM_MS;
    const sim_time_t C = x->cycle_sf * SIM_MS, off = x->start_offset * SIM_MS, sfn = 10240 * SIM_MS;
    const sim_time_t base = t / sfn * sfn;
    if (t - base < off) return; /* (offset 0 in these walks) */
    const sim_time_t st = base + off + (t - base - off) / C * C;
    const sim_time_t nx = st + C < base + sfn ? st + C : base + sfn + off;
    const sim_time_t e = st + x->on_duration * T < nx ? st + x->on_duration * T : nx;
    if (t < e) cut_ = st;
}

/* Whether t lies in an on-duration. */
static int in_on(int ce, sim_time_t t)
{
    return on_overlap(ce, t, t + 1) > 0;
}

/* A connected wait [listen, ss) for the DCI at ss, the first search space
 * from listen: with DRX the device sleeps in it outside on-durations (the
 * HARQ RTT timer runs until the NPDCCH occasion at ss). */
static void conn_wait(int ce, sim_time_t listen, sim_time_t ss)
{
    if (drx_) sleep_ += (ss - listen) - on_overlap(ce, listen, ss);
}

static double draw(const energy_profile *m, double dbm)
{
    return energy_tx_power_mw(m, dbm);
}

/* A downlink block: DCI at the first search space >= listen, NPDSCH after.
 * Books its receive time and returns the NPDSCH end. */
static sim_time_t dl_block(int ce, double cl, int bits, sim_time_t listen, int64_t *rx)
{
    const mac_ce_cfg *k = &R_->ce[ce];
    phy_dl_grant g;
    phy_dl_select(&R_->link, cl, bits, k->max_dl_reps, &g);
    int Rr = phy_npdcch_reps(&R_->link, cl, k->npdcch_rmax, NULL);
    sim_time_t ss = ss_next(ce, listen);
    sim_time_t dci_end = phy_dl_span_end(&map_, ss, Rr);
    dci_ = phy_dl_next_valid(&map_, ss);
    sim_time_t ps = phy_dl_next_valid(&map_, dci_end + 4 * SIM_MS);
    sim_time_t pe = phy_dl_span_end(&map_, ps, g.n_subframes);
    *rx += monitor(ce, listen, ss) + (dci_end - ss) + (pe - ps);
    return pe;
}

static double ack_power(int reps, int scs_3k75, double cl)
{
    const phy_link_cfg *l = &R_->link;
    if (reps > 2) return l->ue_max_dbm;
    /* NPUSCH format 2: the calibrated one-repetition need of its spacing */
    phy_chan ch = scs_3k75 ? PHY_CH_NPUSCH_F2_3K75 : PHY_CH_NPUSCH_F2_15K;
    double p = phy_chan_need_db(l, ch) - phy_rep_snr_db(l, ch, 0, reps) + l->pc_margin_db +
               phy_noise_dbm(scs_3k75 ? 3750.0 : 15000.0, l->enb_nf_db) + l->ul_interference_db +
               cl;
    return p < l->ue_min_dbm ? l->ue_min_dbm : p < l->ue_max_dbm ? p : l->ue_max_dbm;
}

/* the last level is planned for TR 45.820's 164 dB, computed with this
 * link's 23 dBm, 3 dB eNB noise figure and two receive antennas */
static double planned_edge(const mac_radio_cfg *r)
{
    return r->mcl_db + (r->link.ue_max_dbm - r->mcl_tx_dbm) +
           (r->mcl_enb_nf_db - r->link.enb_nf_db);
}

static expect by_hand(double cl, const mac_group_cfg *grp, sim_time_t t0, sim_time_t end, int edt,
                      int bytes)
{
    const mac_radio_cfg *r = R_;
    const energy_profile *m = &grp->module;
    expect x = {{0}, 0, 0};
    double thr[2] = {r->ce[0].rsrp_threshold_dbm, r->ce[1].rsrp_threshold_dbm};
    int ce = phy_ce_level(thr, 2, phy_rsrp_dbm(&r->link, cl));
    const mac_ce_cfg *k = &r->ce[ce];
    int64_t rx = 0, tx = 0;
    /* 1-2: sync, wait, preamble */
    sim_time_t sync = (sim_time_t)llround(k->sync_ms * 1000);
    rx += sync;
    sim_time_t P = (sim_time_t)llround(k->nprach_period_ms) * SIM_MS;
    sim_time_t s0 = (sim_time_t)llround(k->nprach_start_ms) * SIM_MS;
    sim_time_t ready = t0 + sync;
    sim_time_t occ = ready <= s0 ? s0 : s0 + ((ready - s0 + P - 1) / P) * P;
    x.t[ENERGY_IDLE] = occ - ready;
    sim_time_t D = phy_nprach_duration(k->nprach_reps, r->nprach_format);
    /* 4 symbol groups of 1.4 ms per repetition transmitted; gaps received */
    sim_time_t D_tx = (sim_time_t)k->nprach_reps * 5600;
    /* CE 0: target + PL, the target lowered by 10 log10(repetitions)
     * (TS 36.321 5.1.3); beyond: P_CMAX (TS 36.213 16.3.1) */
    double pp =
        ce == 0 ? fmin(23.0, r->preamble_target_dbm - 10 * log10(k->nprach_reps) + cl) : 23.0;
    tx += D_tx;
    rx += D - D_tx;
    x.tx_j += draw(m, pp) * (double)D_tx * 1e-9;
    const int64_t rx0 = rx; /* before the connection: sync and preamble gaps */
    /* 3: RAR (one preamble: 1 + 7 bytes) */
    sim_time_t pend = occ + D;
    sim_time_t ws = (pend - 1) / SIM_MS * SIM_MS + (k->nprach_reps >= 64 ? 41 : 4) * SIM_MS;
    sim_time_t rar_end = dl_block(ce, cl, 64, ws, &rx);
    /* 4: Msg3, sized for the level's edge */
    double edge =
        ce < 2 ? r->link.enb_tx_dbm - 10 * log10(12.0) - k->rsrp_threshold_dbm : planned_edge(r);
    phy_ul_grant g3;
    /* EDT (TS 36.213 16.3.3): the level offers the largest edt-TBS whose
     * grant, sized for the edge, meets the target (here 1000 bits); with
     * edt-SmallTBS the device picks the smallest of Table 16.3.3-2's sizes
     * for 1000 bits (328, 536, 776, 1000) that holds its data, on the same
     * resource units with the repetitions scaled by TBS / 1000, rounded up */
    static const int list[8] = {328, 408, 504, 584, 680, 808, 936, 1000};
    static const int small[4] = {328, 536, 776, 1000};
    int edt_bits = 8 * (bytes + r->edt_overhead_bytes);
    if (edt_bits > 1000) edt = 0; /* does not fit the largest EDT TBS: legacy */
    phy_ul_grant gm, gx;          /* gm: the grant the RAR reserves */
    if (edt) {
        int cap = 0;
        for (int i = 0; i < 8; i++)
            if (phy_ul_select(&r->link, edge, list[i], k->max_ul_reps, 0, &gx) == 0) {
                cap = list[i];
                gm = gx;
            }
        CHECK_EQ_INT(cap, 1000); /* precondition of the rows below */
        int t = 0;
        while (t < 3 && small[t] < edt_bits)
            t++;
        g3 = gm;
        g3.tbs = (uint16_t)small[t];
        g3.reps = (uint16_t)((gm.reps * small[t] + 999) / 1000);
        g3.duration = phy_npusch_duration(g3.tones, g3.scs_3k75, g3.n_ru, g3.reps);
    } else {
        phy_ul_select(&r->link, edge, r->msg3_bits, k->max_ul_reps, 0, &g3);
        gm = g3;
    }
    sim_time_t m3s = rar_end + 12 * SIM_MS;
    sim_time_t g3_tx = ul_tx(&g3);
    /* postponed around the NPRACH of the zone the RAR's grant took */
    sim_time_t m3e = npusch_end_by_hand(m3s, g3_tx, zone_by_hand(m3s, &gm));
    tx += g3_tx;
    rx += (m3e - m3s) - g3_tx;
    x.tx_j += draw(m, ul_power(&g3, cl)) * (double)g3_tx * 1e-9;
    /* 5: Msg4 and its ACK */
    const int scs = g3.scs_3k75; /* the RAR's spacing, for the whole connection */
    sim_time_t ack = phy_ack_duration(k->ack_reps, scs);
    /* 4 slots of 0.5 ms (15 kHz) or 2 ms (3.75 kHz) */
    sim_time_t ack_tx = (sim_time_t)k->ack_reps * (scs ? 8 : 2) * SIM_MS;
    /* EDT: RRCEarlyDataComplete in Msg4 also carries the application ACK */
    int msg4 = 8 * (r->msg4_bytes + (edt ? r->dl_ack_bytes + r->l2_overhead_bytes : 0));
    sim_time_t pe = dl_block(ce, cl, msg4, m3e + 3 * SIM_MS, &rx);
    dci_stops_on(ce, dci_); /* Msg4's DCI too (the configuration comes with it) */
    /* each HARQ-ACK postponed around NPRACH (TS 36.211 10.1.3.6) */
    sim_time_t ae = ack_end_by_hand(pe + 12 * SIM_MS, ack_tx, scs);
    sim_time_t acks = ae - (pe + 12 * SIM_MS); /* their spans, gaps included */
    CHECK(ae - (pe + 12 * SIM_MS) >= ack);
    sim_time_t listen = ae + 3 * SIM_MS;
    int n_acks = 1;
    if (edt) { /* delivered with Msg3; idle after Msg4's HARQ-ACK */
        sim_time_t idle_at = ae;
        x.delivered = m3e;
        tx += ack_tx;
        rx += acks - ack_tx;
        x.tx_j += draw(m, ack_power(k->ack_reps, scs, cl)) * (double)ack_tx * 1e-9;
        x.t[ENERGY_RX] = rx;
        x.t[ENERGY_TX] = tx;
        x.t[ENERGY_CONNECTED] = (idle_at - pend) - (rx - rx0) - (tx - D_tx);
        x.t[ENERGY_PSM] = t0 + (end - idle_at);
        return x;
    }
    /* 6: data in blocks of at most 1000 bits */
    int bits = 8 * (bytes + r->cp_overhead_bytes + r->l2_overhead_bytes);
    while (bits > 0) {
        int tb = bits < 1000 ? bits : 1000;
        phy_ul_grant g;
        phy_ul_select(&r->link, cl, tb, k->max_ul_reps,
                      PHY_UL_MULTITONE | (scs ? PHY_UL_ONLY_3K75 : PHY_UL_ONLY_15K), &g);
        int Rr = phy_npdcch_reps(&r->link, cl, k->npdcch_rmax, NULL);
        sim_time_t ss = ss_next(ce, listen);
        sim_time_t dci_end = phy_dl_span_end(&map_, ss, Rr);
        rx += monitor(ce, listen, ss) + (dci_end - ss);
        conn_wait(ce, listen, ss);
        dci_stops_on(ce, phy_dl_next_valid(&map_, ss));
        sim_time_t us = dci_end + 8 * SIM_MS;
        sim_time_t g_tx = ul_tx(&g);
        sim_time_t ue = npusch_end_by_hand(us, g_tx, zone_by_hand(us, &g));
        tx += g_tx;
        rx += (ue - us) - g_tx;
        x.tx_j += draw(m, ul_power(&g, cl)) * (double)g_tx * 1e-9;
        listen = ue + 3 * SIM_MS;
        x.delivered = ue;
        bits -= tb;
    }
    /* 7: application ACK, then release, each with a HARQ-ACK */
    conn_wait(ce, listen, ss_next(ce, listen));
    pe = dl_block(ce, cl, 8 * (r->dl_ack_bytes + r->l2_overhead_bytes), listen, &rx);
    dci_stops_on(ce, dci_);
    ae = ack_end_by_hand(pe + 12 * SIM_MS, ack_tx, scs);
    acks += ae - (pe + 12 * SIM_MS);
    listen = ae + 3 * SIM_MS;
    sim_time_t rel_dci = ss_next(ce, listen);
    if (!rai_) {
        /* no RAI: the network releases after inactivity_s (the tail);
         * meanwhile the device monitors every search space, or with DRX
         * those in its Active Time: drx-InactivityTimer pp from the first
         * NPDCCH occasion after the HARQ-ACK + 3 subframes (the HARQ RTT
         * timer's end), and the on-durations; asleep the rest */
        const sim_time_t expiry = listen + (sim_time_t)llround(r->inactivity_s * 1e6);
        if (!drx_) {
            rx += monitor(ce, listen, expiry);
            rel_dci = ss_next(ce, expiry);
        } else {
            const sim_time_t T = (sim_time_t)llround(k->npdcch_rmax * k->npdcch_g) * SIM_MS;
            const sim_time_t w0 = ss_next(ce, listen), w1 = w0 + r->cdrx.inactivity * T;
            /* awake: the window, then what the on-durations add after it */
            int64_t awake = (w1 - w0) + on_overlap(ce, listen, w0) + on_overlap(ce, w1, expiry);
            int64_t mon = monitor(ce, w0, w1);
            /* spaces in on-durations outside the window, one by one */
            for (sim_time_t sp = ss_next(ce, listen); sp < expiry; sp += T)
                if ((sp < w0 || sp >= w1) && in_on(ce, sp)) {
                    /* monitored until the on-duration (or the tail) ends */
                    sim_time_t e = sp;
                    while (e < sp + ss_rx_(ce) && e < expiry && in_on(ce, e))
                        e += SIM_MS;
                    mon += e - sp;
                }
            rx += mon;
            sleep_ += (expiry - listen) - awake;
            /* the release waits for the next search space in an on-duration */
            rel_dci = ss_next(ce, expiry);
            while (!in_on(ce, rel_dci))
                rel_dci += T;
            sleep_ += (rel_dci - expiry) - on_overlap(ce, expiry, rel_dci);
        }
        listen = rel_dci; /* the release's DCI there */
    } else {
        conn_wait(ce, listen, rel_dci);
    }
    pe = dl_block(ce, cl, 8 * r->release_bytes, listen, &rx);
    sim_time_t idle_at = ack_end_by_hand(pe + 12 * SIM_MS, ack_tx, scs);
    acks += idle_at - (pe + 12 * SIM_MS);
    n_acks += 2;
    tx += n_acks * ack_tx;
    rx += acks - n_acks * ack_tx;
    x.tx_j += draw(m, ack_power(k->ack_reps, scs, cl)) * (double)(n_acks * ack_tx) * 1e-9;
    x.t[ENERGY_RX] = rx;
    x.t[ENERGY_TX] = tx;
    x.t[ENERGY_CDRX] = sleep_;
    x.t[ENERGY_CONNECTED] = (idle_at - pend) - (rx - rx0) - (tx - D_tx) - sleep_;
    x.t[ENERGY_PSM] = t0 + (end - idle_at);
    (void)rel_dci;
    return x;
}

/* Simulates one report and checks it against the hand timeline; returns
 * the simulated total energy and, in *hand_j, the hand-computed one. */
static double check_cl(double cl, int edt, int bytes, double *hand_j)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default(&radio);
    radio.edt = edt;
    R_ = &radio;
    radio.cdrx.enabled = drx_;
    /* The hand timelines below fix the link outcomes (no retransmission at
     * the seed used) with the uncalibrated Shannon link of slope 2; the
     * conformance calibration has its own test (tests/phy/test_calib.c). */
    phy_link_calibrate(&radio.link, PHY_CAL_SHANNON);
    phy_dl_map_init(&map_, radio.sib1_reps, radio.pci);
    mac_group_cfg g;
    one_report_group(&g, 10, (uint32_t)bytes, cl);
    g.rai = rai_;
    mac_group_cfg_resolve(&g); /* cdrx_mw: idle_mw */
    sleep_ = 0;
    cut_ = -1;
    const sim_time_t end = 120 * SIM_S, t0 = 10 * SIM_S;
    mac_cell_cfg cc = {.radio = &radio, .groups = &g, .n_groups = 1, .duration = end, .seed = 7};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 64};
    sim_engine *e = sim_engine_create(&ec, &err);
    mac_cell *c = mac_cell_create(&cc, e, &err);
    CHECK(sim_engine_run(e, end, &err) == SIM_OK && mac_cell_finish(c, &err) == SIM_OK);
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(c, &n);
    expect x = by_hand(cl, &g, t0, end, edt, bytes);
    /* EDT only where the report fits the largest EDT TBS */
    const int edt_used = edt && 8 * (bytes + radio.edt_overhead_bytes) <= 1000;
    CHECK_EQ_INT(s->harq_retx, 0); /* precondition of the calculation */
    CHECK_EQ_INT(s->preambles, 1);
    CHECK_EQ_INT(s->reports_delivered, 1);
    CHECK_EQ_INT(s->edt_reports, edt_used);
    printf("CL %.0f dB (CE %d), %d B%s%s%s:", cl, s->ce_level, bytes, drx_ ? " DRX" : "",
           rai_ ? "" : " no RAI",
           edt_used ? " EDT"
           : edt    ? " EDT on, too large: legacy"
                    : "");
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        printf(" %s %.6f", energy_state_name((energy_state)k), x.t[k] / 1e6);
    printf(" s, latency %.1f ms, tx %.4f J\n", sim_time_to_ms(x.delivered - t0), x.tx_j);
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        CHECK_MSG(s->energy.time_us[k] == x.t[k], "CL %.0f%s state %s: %lld us, by hand %lld us",
                  cl, edt ? " EDT" : "", energy_state_name((energy_state)k),
                  (long long)s->energy.time_us[k], (long long)x.t[k]);
    CHECK_NEAR(s->latency_ms_mean, sim_time_to_ms(x.delivered - t0), 1e-3);
    CHECK_NEAR(s->energy_j[ENERGY_TX], x.tx_j, 1e-9 * x.tx_j);
    *hand_j = x.tx_j;
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        if (k != ENERGY_TX) {
            CHECK_NEAR(s->energy_j[k], g.module.power_mw[k] * x.t[k] * 1e-9, 1e-12);
            *hand_j += g.module.power_mw[k] * x.t[k] * 1e-9;
        }
    double total = energy_total_j(&s->energy);
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return total;
}

int main(void)
{
    /* EDT saves exactly the energy of what it avoids (Msg3 of 88 bits
     * becomes one of 776, Msg5 with its DCIs, the separate application ACK
     * and the release with their HARQ-ACKs; Msg4 grows by the ACK): the
     * simulated saving equals the difference of the two hand timelines. A
     * 100-byte report does not fit EDT: both runs are the legacy one. */
    static const double cls[] = {144, 154, 164};
    static const int sizes[] = {50, 100};
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 3; i++) {
            double h_leg, h_edt;
            double e_leg = check_cl(cls[i], 0, sizes[j], &h_leg);
            double e_edt = check_cl(cls[i], 1, sizes[j], &h_edt);
            printf("CL %.0f dB, %d B: EDT saves %.6f J of %.6f J per report (by hand %.6f J)\n",
                   cls[i], sizes[j], e_leg - e_edt, e_leg, h_leg - h_edt);
            if (sizes[j] == 100) {
                CHECK(e_edt == e_leg);
            } else if (cls[i] > 160) {
                /* at 164 dB EDT saves (Msg5's DCIs, the ACK and the release);
                 * at 144 dB the legacy data goes on 15 kHz tones while the EDT
                 * Msg3, sized for the level's edge, is single tone at 3.75 kHz,
                 * and at 154 dB the two come out about even */
                CHECK(e_edt < e_leg);
            }
            CHECK_NEAR(e_leg - e_edt, h_leg - h_edt, 1e-9 * e_leg);
        }
    /* Connected-mode DRX (the default configuration: cycle 2048 ms,
     * on-duration 2 pp, inactivity 2 pp), 50 bytes: with RAI the waits for
     * the DCIs are asleep outside on-durations (the report at 10 s meets the
     * on-duration at 10.24 s); without RAI the 20 s inactivity tail is
     * monitored only in the Active Time and the release waits for an
     * on-duration. DRX saves energy and leaves the report's latency alone. */
    for (int i = 0; i < 3; i++) {
        double h, e_drx, e_plain, e_tail;
        drx_ = 1;
        e_drx = check_cl(cls[i], 0, 50, &h);
        drx_ = 0;
        e_plain = check_cl(cls[i], 0, 50, &h);
        CHECK(e_drx <= e_plain);
        rai_ = 0;
        e_tail = check_cl(cls[i], 0, 50, &h);
        drx_ = 1;
        double e_tail_drx = check_cl(cls[i], 0, 50, &h);
        rai_ = 1;
        drx_ = 0;
        printf("CL %.0f dB, 50 B: with RAI %.6f J (DRX %.6f J); no RAI, 20 s tail %.6f J, "
               "with DRX %.6f J\n",
               cls[i], e_plain, e_drx, e_tail, e_tail_drx);
        CHECK(e_tail_drx < e_tail && e_tail > e_plain);
    }
    /* the cases above include HARQ-ACKs that NPRACH postpones */
    printf("HARQ-ACKs postponed around NPRACH: %d\n", acks_postponed_);
    CHECK(acks_postponed_ > 0);
    return check_done();
}
