/* config.c: the NB-IoT cell's default configuration, the value checks both
 * radios share and the NB-IoT ones, and a device group's defaults.
 * (LTE-M defaults and checks: config_ltem.c.)
 *
 * Every default names its field and says where its value comes from: a
 * TS 36.331 value set, a report (TR 45.820), an open implementation
 * (LENA-NB, srsRAN) or "assumption" when no public source fixes it. */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Three CE levels with periods, subcarriers and repetitions from the
 * TS 36.331 NPRACH-ConfigSIB-NB value sets, growing with coverage. The
 * NPRACH resources are a valid cell (TS 36.211 10.1.6.1, checked in
 * mac_nbiot_cfg_check): each level on its own subcarriers of the 48, as
 * the OpenAirInterface NB-IoT eNB's default SIB2-NB lays them out (offsets
 * 0, 12, 24; here 0/24 subcarriers, 24/12, 36/12), so that levels never
 * collide; CE level 0 gets half the carrier. The periods and the
 * repetitions (enough for the level's edge) are our choice (assumption:
 * no deployed or 3GPP-evaluated three-level configuration at hand). The
 * thresholds put the level edges at 144.2 and 154.2 dB coupling loss with
 * a 43 dBm carrier: NRSRP = 43 - 10.8 - CL (phy/coverage.c). The LTE-M
 * fields (prach_config_index, rar_window_sf, cr_timer_sf) are unused on
 * NB-IoT; they hold the LTE-M level-0 values. */
static const mac_ce_cfg nbiot_ce[3] = {
    {
        .rsrp_threshold_dbm = -112,
        .nprach_period_ms = 160, /* nprach-Periodicity-r13 ms160 */
        .nprach_start_ms = 8,    /* nprach-StartTime-r13 ms8 */
        .subcarriers = 24,       /* nprach-NumSubcarriers-r13 n24 */
        .subcarrier_offset = 0,  /* nprach-SubcarrierOffset-r13 n0 */
        .nprach_reps = 2,        /* numRepetitionsPerPreambleAttempt-r13 n2 */
        .max_attempts = 5,       /* maxNumPreambleAttemptCE-r13 n5 */
        .npdcch_rmax = 8,        /* npdcch-NumRepetitions-RA-r13 r8 */
        .npdcch_g = 2,           /* npdcch-StartSF-CSS-RA-r13 v2 */
        .npdcch_offset = 0,      /* npdcch-Offset-RA-r13 zero */
        .rar_window_pp = 10,     /* ra-ResponseWindowSize-r13 pp10 */
        .cr_timer_pp = 32,       /* mac-ContentionResolutionTimer-r13 pp32 */
        .max_ul_reps = 16,       /* NPUSCH repetitions the eNB may grant (assumption) */
        .max_dl_reps = 32,       /* NPDSCH repetitions (assumption) */
        .ack_reps = 1,           /* ack-NACK-NumRepetitions-Msg4-r13 r1 */
        .sync_ms = 100,          /* NPSS/NSSS + MIB-NB after sleep at 144 dB (assumption) */
        .edt_tbs = 1000,         /* edt-TBS-r15 b1000 */
        .prach_config_index = 6,
        .rar_window_sf = 20,
        .cr_timer_sf = 80,
    },
    {
        .rsrp_threshold_dbm = -122,
        .nprach_period_ms = 320,
        .nprach_start_ms = 8,
        .subcarriers = 12,
        .subcarrier_offset = 24,
        .nprach_reps = 8,
        .max_attempts = 5,
        .npdcch_rmax = 64,
        .npdcch_g = 2,
        .npdcch_offset = 0,
        .rar_window_pp = 8,
        .cr_timer_pp = 16,
        .max_ul_reps = 64,
        .max_dl_reps = 256,
        .ack_reps = 4,
        .sync_ms = 400, /* assumption */
        .edt_tbs = 1000,
        .prach_config_index = 6,
        .rar_window_sf = 20,
        .cr_timer_sf = 80,
    },
    {
        .rsrp_threshold_dbm = 0, /* last level: unused */
        .nprach_period_ms = 1280,
        .nprach_start_ms = 8,
        .subcarriers = 12,
        .subcarrier_offset = 36,
        .nprach_reps = 32,
        .max_attempts = 5,
        .npdcch_rmax = 256,
        .npdcch_g = 2,
        .npdcch_offset = 0,
        .rar_window_pp = 8,
        .cr_timer_pp = 16,
        .max_ul_reps = 128,
        .max_dl_reps = 2048,
        .ack_reps = 16,
        .sync_ms = 1200, /* assumption */
        .edt_tbs = 1000,
        .prach_config_index = 6,
        .rar_window_sf = 20,
        .cr_timer_sf = 80,
    },
};

void mac_radio_cfg_default(mac_radio_cfg *r)
{
    *r = (mac_radio_cfg){
        .rat = MAC_RAT_NBIOT,
        .n_ce = 3,
        .nprach_format = 0,          /* nprach-CP-Length-r13 us66dot7 */
        .preamble_trans_max = 10,    /* preambleTransMax-CE-r13 n10, as LENA-NB */
        .preamble_target_dbm = -120, /* lowest preambleInitialReceivedTargetPower */
        .ramp_step_db = 2,           /* powerRampingStep dB2 */
        .mcl_db = 164,               /* TR 45.820 NB-IoT coverage target */
        .backoff_ms = 256,           /* smallest non-zero NB-IoT BI (TS 36.321 Table 7.2-2) */
        .capture = 0,                /* collided Msg3s are lost (no capture) */
        .capture_margin_db = 6,      /* when capture is on (assumption) */
        .harq_max_tx = 4,            /* transmissions of a transport block (assumption) */
        .inactivity_s = 20,          /* common operator DataInactivityTimer (TS 36.331 set) */
        .sib1_reps = 4,              /* schedulingInfoSIB1: 4 repetitions (TS 36.213 16.4.1.3) */
        .sib1_tbs = 440,             /* SIB1-NB TBS (TS 36.213 Table 16.4.1.5.2-1; assumption) */
        .pci = 0,                    /* physical cell id: SIB1-NB placement */
        .rsrp_error_sd_db = 0,       /* ideal RSRP measurement */
        .user_plane = 0,             /* control-plane CIoT optimisation */
        .msg3_bits = 88,             /* NB-IoT Msg3 (CCCH SDU + MAC), as srsRAN and LENA-NB */
        .msg4_bytes = 26, /* 6-byte contention-resolution identity + RRC setup (assumption) */
        .cp_overhead_bytes = 44,     /* RRC + NAS around CP data (assumption) */
        .l2_overhead_bytes = 9,      /* PDCP 5 + RLC/MAC 4 (assumption) */
        .setup_complete_bytes = 20,  /* RRCConnectionSetupComplete, as LENA-NB's Msg5 */
        .smc_bytes = 10,             /* SecurityModeCommand (assumption) */
        .smc_complete_bytes = 13,    /* SecurityModeComplete (assumption) */
        .reconf_bytes = 30,          /* RRCConnectionReconfiguration (assumption) */
        .reconf_complete_bytes = 10, /* RRCConnectionReconfigurationComplete (assumption) */
        .dl_ack_bytes = 20,          /* application acknowledgement, e.g. CoAP ACK + headers */
        .release_bytes = 10,         /* RRCConnectionRelease (assumption) */
        .edt = 0,                    /* early data transmission off */
        /* CP-EDT Msg3: RRCEarlyDataRequest-NB carries the same NAS PDU that
         * legacy Msg5 carries (cp_overhead_bytes of RRC + NAS around the data,
         * TS 36.331 5.3.3.1b), on CCCH with a 1-byte MAC subheader (TS 36.321
         * 6.1.2) instead of Msg5's PDCP/RLC/MAC headers; was LENA-NB's 5 */
        .edt_overhead_bytes = 45,
        .edt_small_tbs = 1, /* edt-SmallTBS-Enabled-r15 (TS 36.213 Table 16.3.3-2) */
        /* UP-EDT Msg3: RRCConnectionResumeRequest (resume id 40 bits, MAC-I
         * 16 bits, cause) with the data's PDCP/RLC/MAC headers (assumption) */
        .edt_up_overhead_bytes = 15,
        .paging =
            {
                .cycle_s = 2.56,       /* defaultPagingCycle rf256 */
                .nb = 2,               /* nB = T */
                .rmax = 32,            /* npdcch-NumRepetitionPaging (operator choice) */
                .max_records = 16,     /* maxPageRec (TS 36.331) */
                .delay_ms = 20,        /* S1 paging latency (assumption) */
                .max_attempts = 4,     /* MME paging repetitions (operator choice) */
                .wake_ms = 3,          /* clock start-up, timing re-acquisition (assumption) */
                .long_sleep_s = 10.24, /* beyond one hyperframe: full resynchronisation */
                /* TS 36.331 5.2.1.3: an NB-IoT UE considers stored SI
                 * invalid 24 h after it was last confirmed valid; BL/CE
                 * UEs likewise unless si-ValidityTime asks for 3 h; other
                 * UEs 3 h. A device confirms it at each wake-up through the
                 * value tag (MIB-NB / SIB1-BR), so only longer sleeps
                 * re-read it. */
                .si_validity_s = 86400,
                .si_ms = 160, /* LTE-M only (config_ltem.c) */
                /* SI messages with SIB2-NB and SIB3-NB: si-TB 440 bits in 8
                 * subframes, si-Periodicity 512 frames, every 4th frame of
                 * the 160 ms window (as open eNB example configurations
                 * set them; assumption) */
                .si_tbs = 440,
                .si_period_ms = 5120,
                .si_repetition_rf = 4,
                .si_messages = 1,
                .wus_factor = 0.25,  /* maxDurationFactor-r15 one4th */
                .wus_offset_ms = 40, /* timeoffsetDRX-r15 ms40 */
                .wus_snr_db = 0,
                .wus_false_alarm = 0.001,
            },
        .network =
            {
                .t3324_max_s = 11160, /* 31 decihours: no limit */
                .t3412_min_s = 0,
                .edrx_allowed = 1,
                .buffer_s = 3600, /* extended buffering (operator choice) */
            },
        .simulate_occasions = 0,
        .layout_sites = 0,
        .interference_passes = 2,
        /* LTE-M fields (unused by NB-IoT; config_ltem.c) */
        .ul_narrowbands = 2,
        .dl_narrowbands = 2,
        .hd_guard_sf = 1,
        /* LTE-M receive draw: the module's rx_mw was measured on 180 kHz; the
         * 1.08 MHz receiver samples 6x faster, and we assume that adds a
         * quarter to the draw (baseband share; assumption, no public
         * measurement of one module on both radios at hand) */
        .rx_bw_factor = 1.25,
        .ra_model = MAC_RA_CELL,
    };
    for (int k = 0; k < 3; k++)
        r->ce[k] = nbiot_ce[k];
    r->ce[3] = r->ce[2]; /* a fourth level exists only on LTE-M */
    phy_link_default(&r->link);
    mac_rach_default(&r->rach);
}

/* Checks both radios share: paging nB against the cycle, preambleTransMax. */
int mac_common_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
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
    /* LTE nB (TS 36.331 PCCH-Config, nB-v1310) stops at T/256 */
    if (lt && r->paging.nb > 10) {
        snprintf(field, flen, "paging.nB");
        snprintf(why, wlen, "LTE-M allows 4T ... T/256 (TS 36.331 nB, nB-v1310)");
        return -1;
    }
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
    return radio->check(r, field, flen, why, wlen);
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
    if ((lt ? idle_ptw_frames_ltem(i->ptw_s) : idle_ptw_frames(i->ptw_s)) < 0) {
        *field = "ptw_s";
        snprintf(why, wlen,
                 lt ? "must be 1.28 x (n + 1) s, n = 0 ... 15 (TS 24.008, WB-S1)"
                    : "must be 2.56 x (n + 1) s, n = 0 ... 15 (TS 24.008, NB-IoT)");
        return -1;
    }
    return 0;
}

void mac_idle_grant_of(const mac_radio_cfg *r, const mac_idle_cfg *ic, mac_idle_grant *g)
{
    const mac_network_cfg *nw = &r->network;
    const double cell = r->paging.cycle_s;
    g->drx_cycle_s = ic->drx_cycle_s > 0 && ic->drx_cycle_s < cell ? ic->drx_cycle_s : cell;
    double t3324 = ic->t3324_s < nw->t3324_max_s ? ic->t3324_s : nw->t3324_max_s;
    double t3412 = ic->t3412_s > nw->t3412_min_s ? ic->t3412_s : nw->t3412_min_s;
    g->t3324_s = ic->psm ? idle_t3324_round(t3324) : -1;
    g->t3412_s = idle_t3412_round(t3412);
    g->edrx_cycle_s = ic->edrx_cycle_s > 0 && nw->edrx_allowed ? ic->edrx_cycle_s : 0;
    g->ptw_s = g->edrx_cycle_s > 0 ? ic->ptw_s : 0;
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
    /* Cell search out of coverage: modem firmware behaviour, not
     * specified by 3GPP (TS 36.304 only asks the device to keep searching);
     * scan time and back-off are assumptions (README: sensitivity). */
    g->idle.search_scan_s = 10;
    g->idle.search_backoff_s = 60;
    g->idle.search_backoff_max_s = 3600;
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
