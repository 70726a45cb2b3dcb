/* config_ltem.c: the LTE-M (Cat-M1, Rel-13 BL/CE) cell's default
 * configuration and value checks (the NB-IoT ones and those both radios
 * share: config.c). */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Four CE levels growing with coverage (operator-style choices from the
 * TS 36.331 -r13 value sets). LTE-M RSRP is the per-RE power of a 46 dBm,
 * 50-PRB carrier: 18.2 dBm - CL, so the thresholds put the level edges at
 * 140.2, 146.2 and 152.2 dB. Levels 0-1 are CE mode A, 2-3 CE mode B. All
 * levels use prach-ConfigIndex 6 with their own preamble ranges (36 + 12 +
 * 8 + 8 = 64), so attempts of different levels never collide. PRACH
 * repetitions 2/8/32/128: enough for 99 % detection at each level's edge
 * (140.2, 146.2, 152.2, 156 dB) with the conformance-calibrated PRACH
 * (phy/calib.c: -4.0 dB at one repetition, TS 36.104 8.4.2.1, EPA 1).
 * MPDCCH G is 1 at level 0: a
 * candidate in every subframe, which the multi-block bursts of
 * connected.c need for the Rel-13 peak rates (the model uses this space
 * as the UE-specific one too). PUSCH/PDSCH repetitions at most: mode A
 * <= 32, mode B <= 2048; PUCCH repetitions: mode A {1, 2, 4, 8}, mode B
 * {4, 8, 16, 32}. EDT TBS: the largest whose Msg3, sized for the level's
 * edge, meets 10 % BLER within the level's repetitions. Each RAR window
 * covers at least one MPDCCH period and each timer a Msg4 at the level's
 * edge. */
static const mac_ce_cfg ltem_ce[4] = {
    {
        .rsrp_threshold_dbm = -122,
        .nprach_period_ms = 0,   /* NB-IoT only */
        .nprach_start_ms = 0,    /* NB-IoT only */
        .subcarriers = 36,       /* preambles: firstPreamble-r13 .. lastPreamble-r13 */
        .nprach_reps = 2,        /* numRepetitionPerPreambleAttempt-r13 */
        .max_attempts = 5,       /* maxNumPreambleAttemptCE-r13 */
        .npdcch_rmax = 4,        /* mpdcch-NumRepetition-RA-r13 */
        .npdcch_g = 1,           /* mpdcch-startSF-CSS-RA-r13 (FDD) */
        .npdcch_offset = 0,      /* mpdcch-Offset-RA-r13 */
        .rar_window_pp = 0,      /* NB-IoT only */
        .cr_timer_pp = 0,        /* NB-IoT only */
        .max_ul_reps = 8,        /* pusch-maxNumRepetitionCEmodeA/B-r13 */
        .max_dl_reps = 16,       /* pdsch-maxNumRepetitionCEmodeA/B-r13 */
        .ack_reps = 1,           /* pucch-NumRepetitionCE-Msg4-Level*-r13 */
        .sync_ms = 30,           /* PSS/SSS every 5 ms + repeated PBCH (assumption) */
        .edt_tbs = 504,          /* edt-TBS-r15 */
        .prach_config_index = 6, /* prach-ConfigIndex-r13 6: subframes 1 and 6 */
        .rar_window_sf = 20,     /* ra-ResponseWindowSize-r13 */
        .cr_timer_sf = 80,       /* mac-ContentionResolutionTimer-r13 */
    },
    {
        .rsrp_threshold_dbm = -128,
        .nprach_period_ms = 0,
        .nprach_start_ms = 0,
        .subcarriers = 12,
        .nprach_reps = 8,
        .max_attempts = 5,
        .npdcch_rmax = 8,
        .npdcch_g = 2,
        .npdcch_offset = 0,
        .rar_window_pp = 0,
        .cr_timer_pp = 0,
        .max_ul_reps = 32,
        .max_dl_reps = 32,
        .ack_reps = 4,
        .sync_ms = 80,
        .edt_tbs = 408,
        .prach_config_index = 6,
        .rar_window_sf = 50,
        .cr_timer_sf = 120,
    },
    {
        .rsrp_threshold_dbm = -134,
        .nprach_period_ms = 0,
        .nprach_start_ms = 0,
        .subcarriers = 8,
        .nprach_reps = 32,
        .max_attempts = 5,
        .npdcch_rmax = 64,
        .npdcch_g = 2,
        .npdcch_offset = 0,
        .rar_window_pp = 0,
        .cr_timer_pp = 0,
        .max_ul_reps = 512,
        .max_dl_reps = 512,
        .ack_reps = 16,
        .sync_ms = 300,
        .edt_tbs = 504,
        .prach_config_index = 6,
        .rar_window_sf = 240,
        .cr_timer_sf = 480,
    },
    {
        .rsrp_threshold_dbm = 0, /* last level: unused */
        .nprach_period_ms = 0,
        .nprach_start_ms = 0,
        .subcarriers = 8,
        .nprach_reps = 128,
        .max_attempts = 5,
        .npdcch_rmax = 128,
        .npdcch_g = 1.5,
        .npdcch_offset = 0,
        .rar_window_pp = 0,
        .cr_timer_pp = 0,
        .max_ul_reps = 2048,
        .max_dl_reps = 2048,
        .ack_reps = 32,
        .sync_ms = 800,
        .edt_tbs = 600,
        .prach_config_index = 6,
        .rar_window_sf = 400,
        .cr_timer_sf = 960,
    },
};

void mac_radio_cfg_default_ltem(mac_radio_cfg *r)
{
    mac_radio_cfg_default(r);
    r->rat = MAC_RAT_LTEM;
    r->n_ce = 4;
    for (int k = 0; k < 4; k++)
        r->ce[k] = ltem_ce[k];
    r->preamble_target_dbm = -104; /* common LTE preambleInitialReceivedTargetPower (assumption) */
    /* LTE-M coverage target 155.7 dB: a 20 dBm device and TR 36.888's eNB
     * noise figure, 5 dB (LTE-M coverage white paper, Ericsson, Nokia et al.,
     * 2017); mac_planned_edge_db moves it into the link's budget (160.7 dB
     * with 23 dBm and 3 dB) */
    r->mcl_db = 155.7;
    r->mcl_tx_dbm = 20;
    r->mcl_enb_nf_db = 5;
    r->mcl_rx_antennas = 2;
    r->backoff_ms = 20;       /* TS 36.321 Table 7.2-1 (LTE table) */
    r->paging.cycle_s = 1.28; /* LTE defaultPagingCycle rf128 */
    r->paging.rmax = 16;      /* mpdcch-NumRepetition-Paging-r13 (operator choice) */
    r->paging.si_ms = 160;    /* MIB + SIB1-BR (80 ms period) + SIB2, estimate (assumption) */
    /* two narrowbands each way: one long mode-B PDSCH or PUSCH (up to 2048
     * subframes) then does not stall every other level's RAR windows and
     * Msg3s (whose timing the RAR fixes) */
    r->ul_narrowbands = 2;
    r->dl_narrowbands = 2;
    r->hd_guard_sf = 1;
    /* connected-mode DRX: an LTE vendor's default DRX profile (Ericsson
     * DrxProfile: longDrxCycle sf320, onDurationTimer psf10,
     * drxInactivityTimer psf200, drxRetransmissionTimer psf2); no LTE-M
     * specific values found; drx-ULRetransmissionTimer-r13 (BL/CE only)
     * psf8 is our choice (assumption) */
    r->cdrx.cycle_sf = 320;
    r->cdrx.on_duration = 10;
    r->cdrx.inactivity = 200;
    r->cdrx.retransmission = 2;
    r->cdrx.ul_retransmission = 8;
}

int mac_ltem_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    static const double gs[] = {1, 1.5, 2, 2.5, 4, 5, 8, 10};
    static const double offs[] = {0, 0.125, 0.25, 0.375};
    static const double bi[] = {0, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 960};
    static const double edt_a[] = {0, 328, 408, 504, 600, 712, 808, 936, 1000};
    static const double edt_b[] = {0, 328, 408, 456, 504, 600, 712, 808, 936};
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
        else if (!mac_is_pow2(c->nprach_reps) || c->nprach_reps > 128)
            f = "prach_reps", snprintf(why, wlen, "must be 1, 2, 4, ... 128 (TS 36.331)");
        else if (!mac_is_pow2(c->npdcch_rmax) || c->npdcch_rmax > 256)
            f = "mpdcch_rmax", snprintf(why, wlen, "must be 1, 2, 4, ... 256 (TS 36.331)");
        else if (!mac_in_set(c->npdcch_g, gs, 8))
            f = "mpdcch_g", snprintf(why, wlen, "must be one of 1, 1.5, 2, 2.5, 4, 5, 8, 10 (FDD)");
        else if (!mac_in_set(c->npdcch_offset, offs, 4))
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
        else if (!(mb ? mac_in_set(c->max_ul_reps, maxb, 8)
                      : mac_in_set(c->max_ul_reps, maxa_ul, 3)))
            f = "max_ul_reps", snprintf(why, wlen,
                                        mb ? "CE mode B (levels 3-4): 192, 256, 384, 512, 768, "
                                             "1024, 1536 or 2048 (pusch-maxNumRepetitionCEmodeB)"
                                           : "CE mode A (levels 1-2): 8, 16 or 32 "
                                             "(pusch-maxNumRepetitionCEmodeA)");
        else if (!(mb ? mac_in_set(c->max_dl_reps, maxb, 8)
                      : mac_in_set(c->max_dl_reps, maxa_dl, 2)))
            f = "max_dl_reps", snprintf(why, wlen,
                                        mb ? "CE mode B: 192, 256, 384, 512, 768, 1024, 1536 or "
                                             "2048 (pdsch-maxNumRepetitionCEmodeB)"
                                           : "CE mode A: 16 or 32 "
                                             "(pdsch-maxNumRepetitionCEmodeA)");
        else if (!(mb ? mac_in_set(c->ack_reps, ackb, 4) : mac_in_set(c->ack_reps, acka, 4)))
            f = "ack_reps", snprintf(why, wlen,
                                     mb ? "CE mode B: 4, 8, 16 or 32 (pucch-NumRepetitionCE)"
                                        : "CE mode A: 1, 2, 4 or 8 (pucch-NumRepetitionCE)");
        else if (!mac_in_set(c->edt_tbs, mb ? edt_b : edt_a, 9))
            f = "edt_tbs", snprintf(why, wlen,
                                    mb ? "must be 0 or one of 328, 408, 456, 504, 600, 712, 808, "
                                         "936 in CE mode B (TS 36.331 edt-TBS-r15: b1000or456 "
                                         "is 456 bits here)"
                                       : "must be 0 or one of 328, 408, 504, 600, 712, 808, 936, "
                                         "1000 in CE mode A (TS 36.331 edt-TBS-r15)");
        else if (k + 1 < r->n_ce && k > 0 &&
                 c->rsrp_threshold_dbm >= r->ce[k - 1].rsrp_threshold_dbm)
            f = "rsrp_threshold_dbm", snprintf(why, wlen, "must be below the previous level's");
        if (f) {
            snprintf(field, flen, "ce_levels[%d].%s", k + 1, f);
            return -1;
        }
    }
    if (!mac_in_set(r->backoff_ms, bi, 13)) {
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
    if (!mac_in_set(r->paging.cycle_s, cycles, 4)) {
        snprintf(field, flen, "paging.cycle_s");
        snprintf(why, wlen, "must be 0.32, 0.64, 1.28 or 2.56 (TS 36.331 defaultPagingCycle, LTE)");
        return -1;
    }

    if (!mac_is_pow2(r->paging.rmax) || r->paging.rmax > 256) {
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
        else if (!mac_in_set(q->backoff_ms, bi, 13))
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
    return mac_common_cfg_check(r, field, flen, why, wlen);
}
