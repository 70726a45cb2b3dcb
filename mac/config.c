/* config.c: the NB-IoT cell's default configuration, what the network
 * grants a group's idle-mode requests, and a device group's defaults.
 * (Value checks: config_check.c; LTE-M defaults and checks: config_ltem.c.)
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
 * repetitions (enough for 99 % detection at the level's edge with the
 * conformance-calibrated NPRACH, TS 36.104 8.5.3 fading) are our choice (assumption:
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
        .nprach_reps = 16, /* n16: 99 % at the 154.2 dB edge (phy/calib.c NPRACH) */
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
        .nprach_reps = 128, /* n128, the largest: 98 % at 164 dB (phy/calib.c NPRACH) */
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
        .mcl_db = 164,               /* TR 45.820 NB-IoT coverage target ... */
        .mcl_tx_dbm = 23,            /* ... for a 23 dBm device, */
        .mcl_enb_nf_db = 3,          /* eNB noise figure 3 dB (TR 45.820 link budgets) */
        .mcl_rx_antennas = 2,        /* and two receive antennas */
        .p_max_dbm = 33,             /* P-Max's largest value (TS 36.331): no cap below a class */
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
                .gwus_groups = 0,    /* no group WUS (a Rel-16 cell sets GWUS-Config) */
                .gwus_resources = 1, /* one WUS resource */
                .gwus_common_above = 0,
            },
        /* one carrier; when non-anchor carriers are added: NPRACH and
         * paging on each, spread evenly (a cell configuration of ours, not
         * a 3GPP default), connections on the carrier of their access */
        .carriers =
            {
                .non_anchor = 0,
                .nprach = 1,
                .nprach_prob_anchor = -1,
                .paging = 1,
                .paging_weight_anchor = 1,
                .paging_weight = 1,
                .data = MAC_CAR_DATA_NPRACH,
            },
        /* Connected-mode DRX is configured in live NB-IoT networks:
         * on-durations every 2.048 s were measured on Vodafone's network
         * (Martinez et al. 2019, as quoted by D. Robinson, Stellenbosch MSc
         * thesis 2019, which saw 256 ms cycles on another); Michelinakis et
         * al. (2020) found the connected-mode cycle the base station sets
         * dominates a device's energy. The timers are not published: pp2
         * on-duration, pp2 inactivity, pp2 DL and pp4 UL retransmission
         * are our choice (assumption; README: sensitivity). */
        .cdrx =
            {
                .enabled = 1,
                .on_duration = 2,
                .inactivity = 2,
                .retransmission = 2,
                .ul_retransmission = 4,
                .cycle_sf = 2048,
                .start_offset = 0,
            },
        .network =
            {
                .t3324_max_s = 11160, /* 31 decihours: no limit */
                .t3412_min_s = 0,
                .edrx_allowed = 1,
                .buffer_s = 3600, /* extended buffering (operator choice) */
            },
        /* PUR (Rel-16) off, as EDT; when on, the values the eNB puts in
         * PUR-Config (TS 36.331 PUR-Config-NB-r16 value sets; the choices
         * are ours, no operator's configuration is published: README,
         * "Preconfigured uplink resources (PUR)", measures their effect) */
        .pur =
            {
                .enabled = 0,
                .ta_timer = 8,              /* pur-TimeAlignmentTimer: the longest, 8 periods */
                .ta_update = 1,             /* the response carries a TA command (assumption) */
                .rsrp_increase_db = 8,      /* increaseThresh dB8 (assumption) */
                .rsrp_decrease_db = 0,      /* decreaseThresh absent: as increaseThresh */
                .implicit_release = 2,      /* pur-ImplicitReleaseAfter n2: the smallest */
                .response_window_pp = 8,    /* pur-ResponseWindowTimer pp8 (NB-IoT) */
                .response_window_sf = 960,  /* sf960 (LTE-M) */
                .spacing = MAC_PUR_SCS_ANY, /* as every grant: the least tone-time */
            },
        .simulate_occasions = 0,
        .layout_sites = 0,
        .interference_passes = 2,
        /* a memory bound (assumption): 32 reports a device on average
         * (256 bytes) keep a day of the TR 45.820 mix exact (about 6 a
         * device); beyond, the log would outgrow the device's record */
        .latency_exact_per_device = 32,
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
    mac_campaign_default(&r->campaign);
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

void mac_group_cfg_resolve(mac_group_cfg *g)
{
    if (g->module.power_mw[ENERGY_CDRX] < 0)
        g->module.power_mw[ENERGY_CDRX] = g->module.power_mw[ENERGY_IDLE];
}

void mac_group_cfg_default(mac_group_cfg *g)
{
    memset(g, 0, sizeof *g);
    strcpy(g->name, "devices");
    g->count = 1;
    traffic_cfg_default(&g->traffic);
    phy_coverage_default(&g->coverage);
    energy_profile_default(&g->module);
    /* connected-mode DRX sleep: as idle_mw unless the module gives it
     * (mac_group_cfg_resolve) */
    g->module.power_mw[ENERGY_CDRX] = -1;
    energy_battery_default(&g->battery);
    g->idle.drx_cycle_s = 0;
    g->idle.edrx_cycle_s = 0;
    g->idle.ptw_s = 2.56;
    g->idle.psm = 1;
    g->idle.t3324_s = 0;     /* PSM at once, as the TR 45.820 battery-life method */
    g->idle.t3412_s = 86400; /* daily periodic TAU request */
    g->idle.wus = 0;
    g->idle.gwus = 0;
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
    /* PUR not requested; when requested: the longest period (8192
     * hyperframes, 23.3 h), every occasion, the largest TBS of Rel-16 NB-IoT
     * PUR without pur-NB-MaxTBS (1000 bits, as EDT's), and the RSRP change
     * between occasions of a static device (3 dB sd: assumption) */
    g->pur.enabled = 0;
    g->pur.periodicity_s = 83886.08;
    g->pur.occasions = MAC_PUR_INFINITE;
    g->pur.tbs_bits = 1000;
    g->pur.rsrp_change_sd_db = 3;
}

/* The value sets of PUR-Config-NB-r16 / PUR-Config-r16 (TS 36.331), the
 * network's side (called by mac_common_cfg_check): one row a field. */
int mac_pur_net_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen)
{
    static const double ta[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    static const double thr[] = {0, 4, 6, 8, 10, 14, 18, 22, 26, 30, 34};
    static const double rel[] = {0, 2, 4, 8};
    static const double pp[] = {1, 2, 3, 4, 8, 16, 32, 64};
    static const double sf[] = {240, 480, 960, 1920, 3840, 5760, 7680, 10240};
#define THR "must be 4, 6, 8, 10, 14, 18, 22, 26, 30 or 34 dB (TS 36.331 "
    const mac_pur_net_cfg *p = &r->pur;
    const struct {
        const char *field;
        double v;
        const double *set;
        int n;
        const char *why;
    } rows[] = {
        {"pur.ta_timer", p->ta_timer, ta, 9,
         "must be 1 ... 8 PUR periods (TS 36.331 pur-TimeAlignmentTimer-r16) or 0 (not "
         "configured)"},
        {"pur.rsrp_increase_db", p->rsrp_increase_db, thr, 11,
         THR "increaseThresh-r16) or 0 (none)"},
        {"pur.rsrp_decrease_db", p->rsrp_decrease_db, thr, 11,
         THR "decreaseThresh-r16) or 0 (as rsrp_increase_db)"},
        {"pur.implicit_release", p->implicit_release, rel, 4,
         "must be 2, 4 or 8 skipped occasions (TS 36.331 pur-ImplicitReleaseAfter-r16) or 0 "
         "(none)"},
        {"pur.response_window_pp", p->response_window_pp, pp, 8,
         "must be 1, 2, 3, 4, 8, 16, 32 or 64 PDCCH periods (TS 36.331 PUR-Config-NB-r16 "
         "pur-ResponseWindowTimer-r16)"},
        {"pur.response_window_sf", p->response_window_sf, sf, 8,
         "must be 240, 480, 960, 1920, 3840, 5760, 7680 or 10240 subframes (TS 36.331 "
         "PUR-Config-r16 pur-ResponseWindowTimer-r16)"},
    };
#undef THR
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        if (!mac_in_set(rows[k].v, rows[k].set, rows[k].n)) {
            snprintf(field, flen, "%s", rows[k].field);
            snprintf(why, wlen, "%s", rows[k].why);
            return -1;
        }
    return 0;
}

int mac_pur_cfg_check(const mac_pur_cfg *p, int rat, const char **field, char *why, size_t wlen)
{
    double per = 81.92;
    int ok = 0;
    /* PUR-PeriodicityAndOffset: periodicity8 ... periodicity8192, in
     * hyperframes of 10.24 s (the start time names an H-SFN) */
    for (int k = 0; k <= 10 && !ok; k++, per *= 2)
        ok = fabs(p->periodicity_s - per) < 1e-6;
    if (!ok) {
        *field = "periodicity_s";
        snprintf(why, wlen,
                 "must be 81.92 x 2^k s, k = 0 ... 10 (8 ... 8192 hyperframes, TS 36.331 "
                 "PUR-PeriodicityAndOffset)");
        return -1;
    }
    /* the largest uplink block: NB-IoT Cat-NB1 1000 bits (TS 36.213 Table
     * 16.5.1.2-2; pur-PUSCH-NB-MaxTBS's 2536 needs Cat-NB2, not modelled),
     * LTE-M in CE mode A (mode B devices get none beyond theirs) */
    const int max = rat == MAC_RAT_LTEM ? phy_ltem_max_tbs(1, 0) : 1000;
    if (p->tbs_bits > max) {
        *field = "tbs_bits";
        snprintf(why, wlen, "must be at most %d bits (%s)", max,
                 rat == MAC_RAT_LTEM ? "LTE-M PUSCH, CE mode A" : "NB-IoT Cat-NB1 NPUSCH");
        return -1;
    }
    if (p->rsrp_change_sd_db < 0) {
        *field = "rsrp_change_sd_db";
        snprintf(why, wlen, "must be >= 0 dB");
        return -1;
    }
    return 0;
}
