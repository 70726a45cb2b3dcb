/* test_ltem_link.c: the LTE-M link abstraction (phy/link.c) and LTE-M
 * timing helpers (phy/ltem.c) against hand calculation and brute force.
 *
 * Link budget: RSRP and SNRs at 156 dB with the defaults, worked by hand.
 * Link adaptation: every PUSCH/PDSCH grant is compared with a brute-force
 * search over all (n_prb, I_TBS, repetitions) of the mode at 120 ... 160 dB
 * for 100, 500 and 1000 bits: tbs >= bits (or the mode's largest TBS), the
 * target met when 0 is returned, nothing cheaper (PRB x subframes, then
 * subframes) meeting it, and n_prb and reps in the mode's sets. MPDCCH
 * repetitions never decrease with the coupling loss. PRACH: the attempt end
 * for prach-ConfigIndex 6 by hand and by scanning, the detection curve in
 * closed form. Value sets, and the HD-FDD peak rates against the published
 * hand calculation. */
#include "phy/phy.h"

#include <math.h>

#include "tests/check.h"

#define CRC 24 /* LTE transport block CRC, TS 36.212 5.3.2 */

static void link_budget(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    /* NB-IoT fields untouched by the LTE-M additions. */
    CHECK(c.enb_tx_dbm == 43.0 && c.enb_nf_db == 3.0 && c.ue_nf_db == 5.0);
    CHECK(c.pc_margin_db == 1.0);
    CHECK(c.ltem_enb_tx_dbm == 46.0 && c.ltem_carrier_prb == 50);
    /* TS 36.104 8.4.2.1, EPA 1, no hopping: 8 reps -13.0 dB, 32 reps -19.0 dB */
    CHECK(c.cal[PHY_CH_PRACH].offset_db == -4.0);
    /* 12 x 14 REs, minus 3 control symbols x 12, minus CRS ports 0/1 in
     * symbols 4, 7, 11 (4 REs each); PUSCH 12 x 12. */
    CHECK_EQ_INT(c.ltem_dl_re_per_prb, 12 * 14 - 3 * 12 - 3 * 4);
    CHECK_EQ_INT(c.ltem_ul_re_per_prb, 12 * 12);

    /* Per PRB: 46 - 10 log10(50) = 46 - 16.9897 = 29.0103 dBm; per RE a
     * further - 10 log10(12) = - 10.7918: 18.2185 dBm. RSRP at 156 dB:
     * -137.7815 dBm. */
    CHECK_NEAR(phy_ltem_rsrp_dbm(&c, 156), -137.7815, 1e-3);
    /* DL SNR: 29.0103 - 156 - (-174 + 52.5527 + 5) = -10.5424 dB. */
    CHECK_NEAR(phy_ltem_dl_snr_db(&c, 156), -10.5424, 1e-3);
    /* UL, 23 dBm on 1 PRB: 23 - 156 - (-174 + 52.5527 + 3) = -14.5527 dB;
     * on 6 PRBs 10 log10(6) = 7.7815 dB less. */
    CHECK_NEAR(phy_ltem_ul_snr_db(&c, 156, 23, 1), -14.5527, 1e-3);
    CHECK_NEAR(phy_ltem_ul_snr_db(&c, 156, 23, 6), -22.3342, 1e-3);
    CHECK_NEAR(phy_ltem_ul_snr_db(&c, 150, 20, 2), phy_ul_snr_db(&c, 150, 20, 360e3), 1e-12);
    /* RSRP and SNR move dB for dB with the coupling loss. */
    CHECK_NEAR(phy_ltem_rsrp_dbm(&c, 140) - phy_ltem_rsrp_dbm(&c, 156), 16, 1e-9);

    /* NB-IoT grants say n_prb = 0. */
    phy_ul_grant g;
    phy_dl_grant d;
    phy_ul_select(&c, 140, 500, 128, 1, &g);
    phy_dl_select(&c, 140, 500, 2048, &d);
    CHECK_EQ_INT(g.n_prb, 0);
    CHECK_EQ_INT(d.n_prb, 0);
}

static void value_sets(void)
{
    /* PUSCH, TS 36.213 Table 8-2b: not configured {1,2,4,8}, 16 {1,4,8,16},
     * 32 {1,4,16,32}. */
    CHECK(phy_ltem_pusch_reps_valid(2, 0, 0) && phy_ltem_pusch_reps_valid(2, 0, 8));
    CHECK(!phy_ltem_pusch_reps_valid(16, 0, 8));
    CHECK(phy_ltem_pusch_reps_valid(8, 0, 16) && !phy_ltem_pusch_reps_valid(2, 0, 16));
    CHECK(phy_ltem_pusch_reps_valid(16, 0, 32) && !phy_ltem_pusch_reps_valid(8, 0, 32));
    /* Table 8-2c: not configured {4, 8, ..., 512}; 192 starts at 1; 768 at
     * 8; 2048 {4,16,64,128,256,512,1024,2048}. */
    CHECK(phy_ltem_pusch_reps_valid(4, 1, 0) && phy_ltem_pusch_reps_valid(256, 1, 0));
    CHECK(!phy_ltem_pusch_reps_valid(1, 1, 0) && !phy_ltem_pusch_reps_valid(192, 1, 0));
    CHECK(phy_ltem_pusch_reps_valid(1, 1, 192) && phy_ltem_pusch_reps_valid(192, 1, 192));
    CHECK(phy_ltem_pusch_reps_valid(192, 1, 512) && !phy_ltem_pusch_reps_valid(8, 1, 512));
    CHECK(phy_ltem_pusch_reps_valid(8, 1, 768) && !phy_ltem_pusch_reps_valid(4, 1, 768));
    CHECK(phy_ltem_pusch_reps_valid(2048, 1, 2048) && !phy_ltem_pusch_reps_valid(32, 1, 2048));
    CHECK(!phy_ltem_pusch_reps_valid(1536, 1, 2048) && phy_ltem_pusch_reps_valid(1536, 1, 1536));
    /* Other maxima: the union of the rows cut at max_reps. */
    CHECK(phy_ltem_pusch_reps_valid(32, 0, 64) && !phy_ltem_pusch_reps_valid(64, 0, 64));
    CHECK(phy_ltem_pusch_reps_valid(2, 0, 2) && !phy_ltem_pusch_reps_valid(4, 0, 2));
    CHECK(phy_ltem_pusch_reps_valid(64, 1, 100) && !phy_ltem_pusch_reps_valid(128, 1, 100));
    CHECK(!phy_ltem_pusch_reps_valid(2, 1, 100)); /* never in a mode B row */
    CHECK(phy_ltem_pdsch_reps_valid(4, 0, 32) && !phy_ltem_pdsch_reps_valid(2, 0, 32));
    CHECK(phy_ltem_pdsch_reps_valid(1024, 1, 1024) && !phy_ltem_pdsch_reps_valid(32, 1, 1024));
    /* Configured maxima (TS 36.331 -v1310: mode A r16 r32, mode B r192 ...
     * r2048; 0 or, in mode A, 8: not configured). */
    CHECK(phy_ltem_max_reps_valid(0, 0) && phy_ltem_max_reps_valid(8, 0));
    CHECK(phy_ltem_max_reps_valid(32, 0) && !phy_ltem_max_reps_valid(64, 0));
    CHECK(phy_ltem_max_reps_valid(192, 1) && phy_ltem_max_reps_valid(2048, 1));
    CHECK(!phy_ltem_max_reps_valid(128, 1) && !phy_ltem_max_reps_valid(8, 1));
    /* pucch-NumRepetitionCE-Msg4: levels 0-1 {1,2,4,8}, 2-3 {4,8,16,32}. */
    const int ack_a[] = {1, 2, 4, 8}, ack_b[] = {4, 8, 16, 32};
    for (int i = 0; i < 4; i++) {
        CHECK(phy_ltem_pucch_ack_reps_valid(ack_a[i], 0));
        CHECK(phy_ltem_pucch_ack_reps_valid(ack_b[i], 1));
    }
    CHECK(!phy_ltem_pucch_ack_reps_valid(16, 0) && !phy_ltem_pucch_ack_reps_valid(0, 0));
    CHECK(!phy_ltem_pucch_ack_reps_valid(2, 1) && !phy_ltem_pucch_ack_reps_valid(64, 1));
    CHECK(!phy_ltem_pucch_ack_reps_valid(3, 0) && !phy_ltem_pucch_ack_reps_valid(12, 1));
    /* Largest TBS: UL mode B I_TBS 10 on column 6 is 1032 > 1000, so 936. */
    CHECK_EQ_INT(phy_ltem_max_tbs(1, 0), 1000);
    CHECK_EQ_INT(phy_ltem_max_tbs(1, 1), 936);
    CHECK_EQ_INT(phy_ltem_max_tbs(0, 0), 1000);
    CHECK_EQ_INT(phy_ltem_max_tbs(0, 1), 1000);
}

/* The allocations of a mode, restated from TS 36.213 for the brute force:
 * PRB counts, TBS column, largest I_TBS. */
static int allocs(int uplink, int mode_b, int *prb, int *col, int *max_itbs)
{
    if (!mode_b) {
        for (int i = 0; i < 6; i++)
            prb[i] = col[i] = i + 1;
        *max_itbs = 14; /* I_MCS 15 -> I_TBS 14 (Tables 8.6.1-2, 7.1.7.1-1) */
        return 6;
    }
    if (uplink) { /* 1 PRB or a pair, TBS on N_PRB' = 3 or 6; I_MCS <= 10 */
        prb[0] = 1, col[0] = 3, prb[1] = 2, col[1] = 6;
        *max_itbs = 10;
        return 2;
    }
    prb[0] = col[0] = 4, prb[1] = col[1] = 6; /* 6-1B: 4 or 6 PRBs */
    *max_itbs = 15;
    return 2;
}

/* Brute force over every (n_prb, I_TBS, reps): the least PRB x subframes,
 * then the fewest subframes, among those holding `need_bits` that meet the
 * target at full power; 0 if none (then *cost = 0). */
static void brute(const phy_link_cfg *c, double cl, int uplink, int mode_b, int max_reps,
                  int need_bits, long *cost, int *reps)
{
    int prb[6], col[6], max_itbs;
    int n = allocs(uplink, mode_b, prb, col, &max_itbs);
    *cost = 0, *reps = 0;
    for (int k = 0; k < n; k++)
        for (int it = 0; it <= max_itbs; it++) {
            int tbs = phy_ltem_tbs(it, col[k]);
            if (tbs < need_bits) continue;
            double res = prb[k] * (uplink ? c->ltem_ul_re_per_prb : c->ltem_dl_re_per_prb);
            const phy_chan ch = uplink ? PHY_CH_PUSCH : PHY_CH_PDSCH;
            double req = phy_required_snr_db(c, ch, tbs + CRC, res);
            double snr = uplink ? phy_ltem_ul_snr_db(c, cl, c->ue_max_dbm, prb[k])
                                : phy_ltem_dl_snr_db(c, cl);
            for (int r = 1; r <= 2048; r++) {
                int ok = uplink ? phy_ltem_pusch_reps_valid(r, mode_b, max_reps)
                                : phy_ltem_pdsch_reps_valid(r, mode_b, max_reps);
                if (!ok || phy_rep_snr_db(c, ch, snr, r) < req) continue;
                long k_cost = (long)prb[k] * r;
                if (!*cost || k_cost < *cost || (k_cost == *cost && r < *reps))
                    *cost = k_cost, *reps = r;
            }
        }
}

static int in_mode_prbs(int uplink, int mode_b, int n_prb)
{
    if (!mode_b) return n_prb >= 1 && n_prb <= 6;
    return uplink ? (n_prb == 1 || n_prb == 2) : (n_prb == 4 || n_prb == 6);
}

static int max_of_row(int uplink, int mode_b, int max_reps)
{
    int m = 0;
    for (int r = 1; r <= 2048; r++)
        if (uplink ? phy_ltem_pusch_reps_valid(r, mode_b, max_reps)
                   : phy_ltem_pdsch_reps_valid(r, mode_b, max_reps))
            m = r;
    return m;
}

static void selection_brute_force(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    phy_link_calibrate(&c, PHY_CAL_SHANNON); /* the hand figures use the old model */
    const double cls[] = {120, 140, 150, 156, 160};
    const int bitsv[] = {100, 500, 1000};
    const int max_a[] = {8, 16, 32}, max_b[] = {0, 192, 512, 2048};
    int n_ok = 0, n_weak = 0;
    for (int mode_b = 0; mode_b < 2; mode_b++)
        for (int mi = 0; mi < (mode_b ? 4 : 3); mi++) {
            int max_reps = mode_b ? max_b[mi] : max_a[mi];
            for (unsigned ci = 0; ci < sizeof cls / sizeof cls[0]; ci++)
                for (unsigned bi = 0; bi < 3; bi++)
                    for (int uplink = 0; uplink < 2; uplink++) {
                        double cl = cls[ci];
                        int bits = bitsv[bi];
                        int cap = phy_ltem_max_tbs(uplink, mode_b);
                        int need_bits = bits < cap ? bits : cap;
                        long cost;
                        int reps;
                        brute(&c, cl, uplink, mode_b, max_reps, need_bits, &cost, &reps);
                        int weak, g_prb, g_reps, g_tbs, valid;
                        double g_bler;
                        if (uplink) {
                            phy_ul_grant g;
                            weak = phy_ltem_ul_select(&c, cl, bits, max_reps, mode_b, &g);
                            g_prb = g.n_prb, g_reps = g.reps, g_tbs = g.tbs, g_bler = g.bler;
                            CHECK(g.tones == 0 && g.scs_3k75 == 0 && g.n_ru == 1);
                            CHECK(g.duration == (sim_time_t)g.reps * SIM_MS);
                            CHECK(g_tbs == phy_ltem_tbs(g.i_tbs, mode_b ? 3 * g_prb : g_prb));
                            CHECK(g.tx_dbm <= c.ue_max_dbm && g.tx_dbm >= c.ue_min_dbm);
                            valid = phy_ltem_pusch_reps_valid(g_reps, mode_b, max_reps);
                        } else {
                            phy_dl_grant g;
                            weak = phy_ltem_dl_select(&c, cl, bits, max_reps, mode_b, &g);
                            g_prb = g.n_prb, g_reps = g.reps, g_tbs = g.tbs, g_bler = g.bler;
                            CHECK(g.n_sf == 1 && g.n_subframes == g.reps);
                            CHECK(g_tbs == phy_ltem_tbs(g.i_tbs, g_prb));
                            valid = phy_ltem_pdsch_reps_valid(g_reps, mode_b, max_reps);
                            /* another receiver's BLER at this grant: the
                             * grant's own at its coupling loss (float),
                             * less 3 dB nearer, more 3 dB farther */
                            CHECK_MSG(fabs(phy_ltem_dl_grant_bler(&c, cl, &g) - g.bler) <= 1e-6,
                                      "%g vs %g", phy_ltem_dl_grant_bler(&c, cl, &g), g.bler);
                            CHECK(phy_ltem_dl_grant_bler(&c, cl - 3, &g) <= g.bler + 1e-6);
                            CHECK(phy_ltem_dl_grant_bler(&c, cl + 3, &g) >= g.bler - 1e-6);
                        }
                        CHECK_MSG(g_tbs >= need_bits, "tbs %d bits %d", g_tbs, need_bits);
                        CHECK(in_mode_prbs(uplink, mode_b, g_prb));
                        CHECK(valid);
                        if (cost) {
                            n_ok++;
                            CHECK_EQ_INT(weak, 0);
                            CHECK_MSG((long)g_prb * g_reps == cost && g_reps == reps,
                                      "%s mode %c max %d cl %.0f bits %d: got %d x %d, want "
                                      "cost %ld reps %d",
                                      uplink ? "UL" : "DL", mode_b ? 'B' : 'A', max_reps, cl, bits,
                                      g_prb, g_reps, cost, reps);
                            CHECK(g_bler <= c.bler_target + 1e-6);
                        } else {
                            n_weak++;
                            CHECK_EQ_INT(weak, 1);
                            CHECK_EQ_INT(g_reps, max_of_row(uplink, mode_b, max_reps));
                            CHECK(g_bler > c.bler_target);
                        }
                    }
        }
    /* Both branches exercised. */
    CHECK(n_ok > 50 && n_weak > 10);
}

static void coverage_examples(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    phy_link_calibrate(&c, PHY_CAL_SHANNON); /* the hand figures use the old model */
    phy_ul_grant g;
    /* A 100-bit PUSCH at the LTE-M MCL: mode A (up to 32 repetitions)
     * cannot, mode B within 2048 repetitions can. At 156 dB one PRB has
     * -14.55 dB; a PRB pair carries 152 bits (column 6) over 288 REs:
     * need 10 log10(2^((176/288)/0.6) - 1) + 1.2 = 1.31 dB against
     * -17.56 dB, 18.87 dB of gain at 2.71 dB per doubling: 7 doublings,
     * 128 repetitions (256 PRB-subframes; one PRB would need 144 bits over
     * 144 REs, 5.75 dB, 256 repetitions: the same cost, more subframes). */
    CHECK_EQ_INT(phy_ltem_ul_select(&c, 156, 100, 32, 0, &g), 1);
    CHECK_EQ_INT(phy_ltem_ul_select(&c, 156, 100, 2048, 1, &g), 0);
    CHECK(g.reps <= 2048 && g.bler <= c.bler_target);
    CHECK_EQ_INT(g.n_prb, 2);
    CHECK_EQ_INT(g.tbs, 152);
    CHECK_EQ_INT(g.reps, 128);
    CHECK_NEAR(g.tx_dbm, 23, 1e-6); /* mode B: full power */
    /* At 140 dB mode A is enough: 1 PRB has 1.45 dB and 104 bits need
     * 10 log10(2^((128/144)/0.6) - 1) + 1.2 = 3.73 dB, so 2 repetitions;
     * the r32 row {1,4,16,32} has 4, the not-configured row {1,2,4,8} 2. */
    CHECK_EQ_INT(phy_ltem_ul_select(&c, 140, 100, 32, 0, &g), 0);
    CHECK(g.n_prb == 1 && g.tbs == 104 && g.reps == 4);
    CHECK_NEAR(g.tx_dbm, 23, 1e-6); /* more than 2 repetitions: P_CMAX */
    CHECK_EQ_INT(phy_ltem_ul_select(&c, 140, 100, 8, 0, &g), 0);
    CHECK(g.n_prb == 1 && g.reps == 2);
    /* 2 repetitions: open loop, but 23 + 3.73 + 1 - 4.16 = 23.58 dBm is
     * above P_CMAX, so 23 dBm and a 0.42 dB margin. */
    double need = phy_required_snr_db(&c, PHY_CH_PUSCH, 104 + CRC, 144);
    CHECK_NEAR(need, 3.7346, 1e-3);
    CHECK_NEAR(g.tx_dbm, 23, 1e-6);
    CHECK_NEAR(g.bler, 1 / (1 + 9 * exp(2 * (1.4473 + 2.7103 - 3.7346))), 1e-4);
    /* At 130 dB one transmission: 23 + 3.73 + 1 - 11.45 = 16.29 dBm puts
     * the SNR 1 dB above the need. */
    CHECK_EQ_INT(phy_ltem_ul_select(&c, 130, 100, 8, 0, &g), 0);
    CHECK(g.n_prb == 1 && g.reps == 1);
    CHECK_NEAR(g.tx_dbm, 23 + need + 1 - phy_ltem_ul_snr_db(&c, 130, 23, 1), 1e-4);
    CHECK_NEAR(g.tx_dbm, 16.287, 1e-3);
    CHECK_NEAR(g.bler, 1 / (1 + 9 * exp(2.0)), 1e-6);
    /* Payloads above the mode's largest TBS are clamped (mac segments). */
    CHECK_EQ_INT(phy_ltem_ul_select(&c, 120, 1000, 2048, 1, &g), 0);
    CHECK_EQ_INT(g.tbs, 936);
}

static void mpdcch(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    phy_link_calibrate(&c, PHY_CAL_SHANNON); /* the hand figures use the old model */
    const int rmaxs[] = {1, 2, 4, 8, 64, 256};
    /* 45 bits over 6 x 120 REs: 10 log10(2^(0.0625/0.6) - 1) + 1.2. */
    double req = phy_required_snr_db(&c, PHY_CH_MPDCCH, 45, 720);
    CHECK_NEAR(req, 10 * log10(pow(2, 0.0625 / 0.6) - 1) + 1.2, 1e-12);
    for (unsigned i = 0; i < sizeof rmaxs / sizeof rmaxs[0]; i++) {
        int rmax = rmaxs[i], prev = 0, mono = 1, in_set = 1;
        for (double cl = 100; cl <= 190; cl += 0.5) {
            double bler;
            int r = phy_ltem_mpdcch_reps(&c, cl, rmax, &bler);
            mono &= r >= prev;
            prev = r;
            if (rmax >= 8)
                in_set &= r == rmax / 8 || r == rmax / 4 || r == rmax / 2 || r == rmax;
            else
                in_set &= r >= 1 && r <= rmax && (r & (r - 1)) == 0;
            if (r < rmax) CHECK(bler <= c.dci_bler_target + 1e-12);
            /* the smallest candidate meeting the need: the one below it
             * (r / 2 in both candidate sets) does not */
            double snr = phy_ltem_dl_snr_db(&c, cl);
            int smallest = rmax >= 8 ? rmax / 8 : 1;
            if (r > smallest && phy_rep_snr_db(&c, PHY_CH_MPDCCH, snr, r) >= req)
                CHECK(phy_rep_snr_db(&c, PHY_CH_MPDCCH, snr, r / 2) < req);
        }
        CHECK(mono);
        CHECK(in_set);
        CHECK_EQ_INT(prev, rmax); /* at 190 dB nothing suffices */
    }
}

static void prach_detect(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    phy_link_calibrate(&c, PHY_CAL_SHANNON); /* the hand figures use the old model */
    /* 99 % where the one-repetition SNR over 1.08 MHz is -14.2 dB:
     * 23 + 174 - 10 log10(1.08e6) - 3 + 14.2 = 147.866 dB. */
    double cl99 = 23 - phy_noise_dbm(1.08e6, 3) + 14.2;
    CHECK_NEAR(cl99, 147.866, 1e-3);
    CHECK_NEAR(phy_ltem_prach_detect_prob(&c, cl99, 23, 1), 0.99, 1e-12);
    /* Closed form with 8 repetitions at 156 dB: miss = 1 / (1 + 99
     * exp(2 (eff + 14.2))), eff = SNR + 10 log10(8) - 0.9. */
    double eff = 23 - 156 - phy_noise_dbm(1.08e6, 3) + 10 * log10(8.0) - 0.9;
    CHECK_NEAR(phy_ltem_prach_detect_prob(&c, 156, 23, 8), 1 - 1 / (1 + 99 * exp(2 * (eff + 14.2))),
               1e-12);
    int mono = 1;
    for (double cl = 120; cl < 180; cl += 1)
        mono &= phy_ltem_prach_detect_prob(&c, cl + 1, 23, 4) <=
                phy_ltem_prach_detect_prob(&c, cl, 23, 4);
    CHECK(mono);
}

static void prach_attempt(void)
{
    phy_ltem_prach p;
    CHECK_EQ_INT(phy_ltem_prach_config(6, &p), 0); /* subframes 1 and 6, format 0 */
    /* Opportunities 1, 6, 11, 16, ... (index 0, 1, 2, 3 in the SFN cycle).
     * reps 1: the preamble in subframe 1 ends with it: 2. reps 2: 1 and 6,
     * end 7. reps 4: 1, 6, 11, 16, end 17. */
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 1), 2);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 2), 7);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 4), 17);
    /* Subframe 6 is opportunity 1: a start for reps 1 only (TS 36.211
     * 5.7.1: starts at multiples of the repetitions). Subframe 11 (index 2)
     * starts a 2-repetition attempt: 11, 16 -> 17. */
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 6, 1), 7);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 6, 2), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 11, 2), 17);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 11, 4), -1);
    /* Not an opportunity, or not a valid repetition number. */
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 2, 1), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 0, 1), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, -1, 1), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 3), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 0), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 256), -1);
    /* 128 repetitions from subframe 1: opportunity 127 is subframe
     * 5 x 127 + 1 = 636, end 637. */
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 128), 637);
    /* The end of the SFN cycle (10240 subframes, 2048 opportunities):
     * 10231 is index 2046 (a start for 2), 10236 index 2047 (odd). The next
     * cycle starts counting again at 10241. */
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 10231, 2), 10237);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 10236, 2), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 10236, 1), 10237);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 10241, 4), 10257);

    /* Even frames only (index 0: subframe 1 of even SFNs): 1, 21. */
    CHECK_EQ_INT(phy_ltem_prach_config(0, &p), 0);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 2), 22);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 21, 2), -1);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 11, 1), -1); /* odd frame */
    /* Format 1 (two subframes), index 22 = subframes 1 and 6: 1, 6 -> 8. */
    CHECK_EQ_INT(phy_ltem_prach_config(22, &p), 0);
    CHECK_EQ_INT(phy_ltem_prach_attempt_end(&p, 1, 2), 8);

    /* Scan: for configuration 6 and reps 1, 2, 4, 8, a start is valid iff
     * it is an opportunity whose index from SFN 0 is a multiple of reps
     * (2048 per cycle is a multiple of every reps), and the end is the
     * (reps-1)-th next opportunity + 1. */
    phy_ltem_prach_config(6, &p);
    for (int reps = 1; reps <= 8; reps *= 2) {
        int idx = 0, ok = 1;
        for (int64_t s = 0; s < 400; s++) {
            int opp = (s % 10 == 1 || s % 10 == 6);
            int64_t want = -1;
            if (opp && idx % reps == 0) {
                /* subframes 1 and 6 of every frame: 5 apart */
                want = s + 5 * (reps - 1) + 1;
            }
            ok &= phy_ltem_prach_attempt_end(&p, s, reps) == want;
            idx += opp;
        }
        CHECK_MSG(ok, "reps %d", reps);
    }
}

static void peak_rates(void)
{
    /* Hand calculation (Rel-13 Cat-M1, HD-FDD, 1000-bit blocks):
     * UL: DCIs in 0, 1, 2 -> PUSCH in 4, 5, 6; guards 3 and 7; a fourth DCI
     *     in 3 would put a receive subframe next to the PUSCH in 4. 3 blocks
     *     per 8 ms = 3000 / 8 = 375 kbit/s.
     * DL: DCIs in 0, 1, 2 -> PDSCH in 2, 3, 4 -> ACKs in 6, 7, 8; guards 5
     *     and 9 (a subframe may carry one MPDCCH and one PDSCH); a fourth
     *     DCI in 3 would put its PDSCH in 5, next to the first ACK in 6.
     *     3 blocks per 10 ms = 3000 / 10 = 300 kbit/s. */
    CHECK_NEAR(phy_ltem_peak_kbps(0), 3000.0 / 8, 1e-9);
    CHECK_NEAR(phy_ltem_peak_kbps(1), 3000.0 / 10, 1e-9);
}

int main(void)
{
    link_budget();
    value_sets();
    selection_brute_force();
    coverage_examples();
    mpdcch();
    prach_detect();
    prach_attempt();
    peak_rates();
    return check_done();
}
