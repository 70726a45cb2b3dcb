/* test_pur.c: transmission using a preconfigured uplink resource (Rel-16
 * PUR) against a hand-worked timeline, and its fallbacks and release.
 *
 * One device, alone in a default NB-IoT cell with cell.pur enabled, reports
 * 50 bytes every P = 81.92 s (8 hyperframes, the shortest PUR period) from
 * t = 10 s, control plane with RAI. The first report goes by random access
 * (no configuration yet); its release carries the PUR-Config, whose first
 * occasion is the next report plus the device's resynchronisation
 * (mac/pur.c). The second report then, by hand:
 *  1. occasion: t_occ = 10 s + P + sync_ms of the CE level, rounded up to a
 *     subframe; the device wakes sync_ms before it (PSM: full
 *     resynchronisation, receiving, charged to `sync`);
 *  2. the NPUSCH of the resource: the grant for 1000 bits at the device's
 *     coupling loss (phy_ul_select, any tone width), its transmit time RU x
 *     repetitions (TS 36.211 Table 10.1.2.3-1), postponed around NPRACH
 *     and by the 40 ms gaps (TS 36.211 10.1.3.6; the device receives in
 *     them), power control as TS 36.213 16.2.1.1;
 *  3. the response window from 4 subframes after the subframe holding the
 *     NPUSCH's end (TS 36.321 5.24): the first search space of the level
 *     at or after it (TS 36.213 16.6) carries the L1 ACK, a DCI of the
 *     repetitions the link needs (the group expects no application answer);
 *     with an answer: the DCI, the NPDSCH from the first valid subframe
 *     >= DCI end + 4 ms (TS 36.213 16.4.1) and its HARQ-ACK 12 ms after it
 *     (TS 36.213 16.4.2), postponed around NPRACH as the connection's;
 *  4. asleep (PSM) from the response on: no RRC connection.
 * Procedure `pur` holds steps 2 and 3 (awake between search spaces is
 * CONNECTED, as the random access's RAR wait); the report is delivered at
 * the NPUSCH's end. The seed is fixed and the run must see no
 * retransmission (checked).
 * Fallbacks: an RSRP change beyond pur-RSRP-ChangeThreshold (TS 36.331
 * 5.3.3.1b; sd 1e6 dB makes it certain) falls back at the occasion, after
 * the resynchronisation, without a second one; pur-TimeAlignmentTimer of
 * one period without TA updates runs out before the third report's
 * occasion: random access at the report. Release: reports every 3 P on a
 * PUR of period P skip two occasions after each use: pur-ImplicitReleaseAfter
 * n2 releases the configuration (the third report by random access), n4
 * does not. pur-NumOccasions one: one PUR per configuration.
 */
#include "mac/mac.h"
#include "tests/check.h"
#include "tests/mac/npusch_ref.h"
#include "tests/mac/one_report.h"

#define P_US (81920 * SIM_MS)

typedef struct run {
    mac_device_stats s;
    mac_cell_stats cs;
    energy_matrix m;
} run;

/* One device at cl dB, reports every `every` PUR periods, for `reports`
 * reports; the cell's and group's PUR settings adjusted by the caller. */
static void simulate(mac_radio_cfg *radio, mac_group_cfg *g, double cl, int every, int reports,
                     run *out)
{
    R_ = radio;
    phy_link_calibrate(&radio->link, PHY_CAL_SHANNON);
    phy_dl_map_init(&map_, radio->sib1_reps, radio->pci);
    g->traffic.period_s = every * 81.92;
    g->coverage.fixed_db = cl;
    const sim_time_t end = 10 * SIM_S + (sim_time_t)(reports - 1) * every * P_US + 20 * SIM_S;
    mac_cell_cfg cc = {.radio = radio, .groups = g, .n_groups = 1, .duration = end, .seed = 7};
    sim_engine *e;
    mac_cell *c = one_cell_run(&cc, &e);
    CHECK(c != NULL);
    uint32_t n, ng;
    out->s = *mac_cell_device_stats(c, &n);
    out->cs = *mac_cell_stats_get(c);
    out->m = *mac_cell_group_energy(c, &ng);
    /* the invariant: every report delivered, dropped, failed or pending */
    CHECK_EQ_INT(out->s.reports_generated, out->s.reports_delivered + out->s.reports_dropped +
                                               out->s.reports_failed + out->s.reports_pending);
    mac_cell_destroy(c);
    sim_engine_destroy(e);
}

static void setup(mac_radio_cfg *radio, mac_group_cfg *g)
{
    mac_radio_cfg_default(radio);
    radio->pur.enabled = 1;
    one_report_group(g, 10, 50, 144);
    g->rai = 1;
    g->answer = 0; /* L1 ACK */
    g->pur.enabled = 1;
    g->pur.periodicity_s = 81.92;
    g->pur.rsrp_change_sd_db = 0; /* TA valid by RSRP */
    mac_group_cfg_resolve(g);
}

/* Steps 1-4 by hand for the second report; checks the run against them. */
static void check_timeline(double cl, int answer)
{
    mac_radio_cfg radio;
    mac_group_cfg g;
    setup(&radio, &g);
    g.answer = answer;
    run r;
    simulate(&radio, &g, cl, 1, 2, &r);
    const double thr[2] = {radio.ce[0].rsrp_threshold_dbm, radio.ce[1].rsrp_threshold_dbm};
    const int ce = phy_ce_level(thr, 2, phy_rsrp_dbm(&radio.link, cl));
    const mac_ce_cfg *k = &radio.ce[ce];
    /* 1 */
    const sim_time_t sync = (sim_time_t)llround(k->sync_ms * 1000);
    const sim_time_t t2 = 10 * SIM_S + P_US;
    const sim_time_t occ = (t2 + sync + SIM_MS - 1) / SIM_MS * SIM_MS;
    /* 2 */
    phy_ul_grant ug;
    phy_ul_select(&radio.link, cl, 1000, k->max_ul_reps, PHY_UL_MULTITONE, &ug);
    const sim_time_t tx = ul_tx(&ug);
    const sim_time_t ue = npusch_end_by_hand(occ, tx, zone_by_hand(occ, &ug));
    /* 3 */
    const sim_time_t ws = (ue - 1) / SIM_MS * SIM_MS + 4 * SIM_MS;
    const int R = phy_npdcch_reps(&radio.link, cl, k->npdcch_rmax, NULL);
    const sim_time_t ss = ss_next(ce, ws), dci_end = phy_dl_span_end(&map_, ss, R);
    int64_t rx = monitor(ce, ws, ss) + (dci_end - ss) + (ue - occ - tx), ack_tx = 0, ack = 0;
    sim_time_t done = dci_end;
    if (answer) {
        phy_dl_grant dg;
        const int bits = 8 * (radio.msg4_bytes + radio.dl_ack_bytes + radio.l2_overhead_bytes);
        phy_dl_select(&radio.link, cl, bits, k->max_dl_reps, &dg);
        const sim_time_t ps = phy_dl_next_valid(&map_, dci_end + 4 * SIM_MS);
        const sim_time_t pe = phy_dl_span_end(&map_, ps, dg.n_subframes);
        rx += pe - ps;
        /* NPUSCH format 2 on the resource's spacing: 4 slots of 0.5 ms
         * (15 kHz) or 2 ms (3.75 kHz) per repetition, postponed around
         * NPRACH on the least postponed of its subcarriers */
        ack_tx = (int64_t)k->ack_reps * (ug.scs_3k75 ? 8 : 2) * SIM_MS;
        done = ack_end_by_hand(pe + 12 * SIM_MS, ack_tx, ug.scs_3k75);
        ack = done - (pe + 12 * SIM_MS);
        CHECK(ack >= phy_ack_duration(k->ack_reps, ug.scs_3k75));
        rx += ack - ack_tx;
    }
    const int64_t *pt = r.m.time_us[ENERGY_PROC_PUR];
    printf("CL %.0f dB (CE %d)%s: report %.3f s, occasion %.6f s, NPUSCH %d tone(s)%s x %d RU x %d "
           "reps, end %.6f s, window %.6f s, response %.6f s; pur: tx %.6f rx %.6f connected "
           "%.6f s, %.6f J\n",
           cl, ce, answer ? ", answer" : ", L1 ACK", t2 / 1e6, occ / 1e6, ug.tones,
           ug.scs_3k75 ? " 3.75 kHz" : "", ug.n_ru, ug.reps, ue / 1e6, ws / 1e6, done / 1e6,
           pt[ENERGY_TX] / 1e6, pt[ENERGY_RX] / 1e6, pt[ENERGY_CONNECTED] / 1e6,
           r.m.j[ENERGY_PROC_PUR][ENERGY_TX] + r.m.j[ENERGY_PROC_PUR][ENERGY_RX] +
               r.m.j[ENERGY_PROC_PUR][ENERGY_CONNECTED]);
    /* preconditions: one access, one PUR transmission, no retransmission */
    CHECK_EQ_INT(r.s.harq_retx, 0);
    CHECK_EQ_INT(r.s.preambles, 1);
    CHECK_EQ_INT(r.s.pur_transmissions, 1);
    CHECK_EQ_INT(r.s.pur_reports, 1);
    CHECK_EQ_INT(r.s.pur_fallbacks, 0);
    CHECK_EQ_INT(r.s.reports_delivered, 2);
    /* the instants: transmitting, receiving (postponements, the window's
     * search spaces, the DCI, the NPDSCH, the HARQ-ACK's gaps), awake */
    CHECK_EQ_INT(pt[ENERGY_TX], tx + ack_tx);
    CHECK_EQ_INT(pt[ENERGY_RX], rx);
    CHECK_EQ_INT(pt[ENERGY_CONNECTED], (done - ue) - (rx - (ue - occ - tx)) - ack_tx);
    CHECK_EQ_INT(pt[ENERGY_IDLE], 0); /* synchronised exactly at the occasion */
    CHECK_EQ_INT(pt[ENERGY_PSM] + pt[ENERGY_EDRX] + pt[ENERGY_CDRX], 0);
    /* two resynchronisations: the random access's and the occasion's */
    CHECK_EQ_INT(r.m.time_us[ENERGY_PROC_SYNC][ENERGY_RX], 2 * sync);
    /* the report's latency: generated at t2, delivered at the NPUSCH's end
     * (one of the two reports' latencies) */
    const double l2 = sim_time_to_ms(ue - t2), lo = 2 * r.s.latency_ms_mean - r.s.latency_ms_max;
    CHECK(fabs(r.s.latency_ms_max - l2) < 1e-3 || fabs(lo - l2) < 1e-3);
    /* the transmit energy: the grant's power control (and the HARQ-ACK's) */
    const double npusch_j = energy_tx_power_mw(&g.module, ul_power(&ug, cl)) * (double)tx * 1e-9;
    if (answer)
        CHECK(r.m.j[ENERGY_PROC_PUR][ENERGY_TX] > npusch_j);
    else
        CHECK_NEAR(r.m.j[ENERGY_PROC_PUR][ENERGY_TX], npusch_j, 1e-9 * npusch_j);
    /* the cell: one occasion reserved and used */
    CHECK_EQ_INT(r.cs.pur_reports, 1);
    CHECK(r.cs.pur_ul_util > 0);
}

/* The counts of a run, every report delivered. */
static void expect_counts(const char *what, const run *r, int pur, int fallbacks, int ta_invalid,
                          int skipped, int releases, int preambles)
{
    printf("%s: PUR %u, fallbacks %u (TA invalid %u), skipped %u, released %u, preambles %u\n",
           what, r->s.pur_reports, r->s.pur_fallbacks, r->s.pur_ta_invalid, r->s.pur_skipped,
           r->s.pur_releases, r->s.preambles);
    CHECK_EQ_INT(r->s.pur_reports, pur);
    CHECK_EQ_INT(r->s.pur_fallbacks, fallbacks);
    CHECK_EQ_INT(r->s.pur_ta_invalid, ta_invalid);
    CHECK_EQ_INT(r->s.pur_skipped, skipped);
    CHECK_EQ_INT(r->s.pur_releases, releases);
    CHECK_EQ_INT(r->s.preambles, preambles);
    CHECK_EQ_INT(r->s.reports_delivered, r->s.reports_generated);
}

int main(void)
{
    static const double cls[] = {144, 154, 164};
    for (int i = 0; i < 3; i++)
        for (int answer = 0; answer < 2; answer++)
            check_timeline(cls[i], answer);

    mac_radio_cfg radio;
    mac_group_cfg g;
    run r;
    /* invalid TA by RSRP: falls back at the occasion (synchronised), no
     * third resynchronisation */
    setup(&radio, &g);
    g.pur.rsrp_change_sd_db = 1e6;
    simulate(&radio, &g, 144, 1, 2, &r);
    expect_counts("RSRP change beyond the threshold", &r, 0, 1, 1, 0, 0, 2);
    CHECK_EQ_INT(r.s.pur_transmissions, 0);
    {
        const double thr[2] = {radio.ce[0].rsrp_threshold_dbm, radio.ce[1].rsrp_threshold_dbm};
        const int ce = phy_ce_level(thr, 2, phy_rsrp_dbm(&radio.link, 144));
        const sim_time_t sync = (sim_time_t)llround(radio.ce[ce].sync_ms * 1000);
        CHECK_EQ_INT(r.m.time_us[ENERGY_PROC_SYNC][ENERGY_RX], 2 * sync);
    }
    /* the RSRP criterion not configured: the same device uses its PUR */
    radio.pur.rsrp_increase_db = 0;
    simulate(&radio, &g, 144, 1, 2, &r);
    expect_counts("no RSRP criterion", &r, 1, 0, 0, 0, 0, 1);

    /* TA timer of one period, not restarted by the response: the third
     * report's occasion is past it: random access at the report; two
     * periods restarted by each response: every report after the first */
    setup(&radio, &g);
    radio.pur.ta_timer = 1;
    radio.pur.ta_update = 0;
    simulate(&radio, &g, 144, 1, 3, &r);
    /* (the third occasion passes unused: skipped) */
    expect_counts("TA timer 1 period, no TA update", &r, 1, 1, 1, 1, 0, 2);
    radio.pur.ta_timer = 2;
    radio.pur.ta_update = 1;
    simulate(&radio, &g, 144, 1, 3, &r);
    expect_counts("TA timer 2 periods, TA updates", &r, 2, 0, 0, 0, 0, 1);

    /* reports every 3 periods: two occasions skipped after each use */
    setup(&radio, &g);
    radio.pur.implicit_release = 2;
    simulate(&radio, &g, 144, 3, 3, &r);
    expect_counts("reports every 3 P, release after n2", &r, 1, 0, 0, 2, 1, 2);
    radio.pur.implicit_release = 4;
    simulate(&radio, &g, 144, 3, 3, &r);
    expect_counts("reports every 3 P, release after n4", &r, 2, 0, 0, 2, 0, 1);

    /* pur-NumOccasions one: PUR, then random access (whose release
     * configures the next), alternately */
    setup(&radio, &g);
    g.pur.occasions = MAC_PUR_ONE;
    simulate(&radio, &g, 144, 1, 4, &r);
    expect_counts("one occasion per configuration, 4 reports", &r, 2, 0, 0, 0, 0, 2);
    return check_done();
}
