/* config_radio.c: schema of the cell (`cell`) and of a device group's
 * coupling loss (`devices[i].coverage`). Defaults are those of
 * mac_radio_cfg_default and phy_coverage_default; their sources are cited
 * in mac/config.c, mac/config_ltem.c and phy/. */
#include "sim/app.h"

#include <stddef.h>
#include <string.h>

#define ARR(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(k) (1u << (k))
#define NUM(n, off, lo, hi, d)                                                                     \
    {                                                                                              \
        .name = n, .kind = CF_NUM, .offset = off, .min = lo, .max = hi, .doc = d                   \
    }
#define INT(n, off, lo, hi, d)                                                                     \
    {                                                                                              \
        .name = n, .kind = CF_INT, .offset = off, .int_bytes = 4, .min = lo, .max = hi, .doc = d   \
    }

/* ------------------------------------------------------------- CE level */
#define K(f) offsetof(mac_ce_cfg, f)
static const cf_field ce_fields[] = {
    NUM("rsrp_threshold_dbm", K(rsrp_threshold_dbm), -156, -44,
        "lowest NRSRP of this level, dBm (rsrp-ThresholdsPrachInfoList); unused by the last level; "
        "defaults -112, -122 (edges at 144.2 and 154.2 dB)"),
    NUM("nprach_period_ms", K(nprach_period_ms), 40, 2560,
        "NPRACH periodicity, ms (40, 80, 160, 240, 320, 640, 1280, 2560); defaults 160, 320, "
        "1280"),
    NUM("nprach_start_ms", K(nprach_start_ms), 8, 1024,
        "nprach-StartTime, ms (8, 16, 32 ... 1024); default 8"),
    INT("subcarriers", K(subcarriers), 12, 48,
        "NPRACH subcarriers = preambles per opportunity (12, 24, 36, 48); defaults 24, 12, 12"),
    INT("subcarrier_offset", K(subcarrier_offset), 0, 36,
        "nprach-SubcarrierOffset: first of the level's subcarriers (0, 12, 24, 36, 2, 18, 34); "
        "defaults 0, 24, 36"),
    INT("nprach_reps", K(nprach_reps), 1, 128,
        "preamble repetitions (1 ... 128, powers of two); defaults 2, 16, 128"),
    INT("max_attempts", K(max_attempts), 3, 10,
        "maxNumPreambleAttemptCE before the next level; default 5"),
    INT("npdcch_rmax", K(npdcch_rmax), 1, 2048,
        "npdcch-NumRepetitions-RA Rmax; defaults 8, 64, 256"),
    NUM("npdcch_g", K(npdcch_g), 1.5, 64, "npdcch-StartSF-CSS-RA G (period Rmax x G); default 2"),
    NUM("npdcch_offset", K(npdcch_offset), 0, 0.375, "npdcch-Offset-RA; default 0"),
    INT("rar_window_pp", K(rar_window_pp), 2, 10,
        "ra-ResponseWindowSize, NPDCCH periods; defaults 10, 8, 8"),
    INT("cr_timer_pp", K(cr_timer_pp), 1, 64,
        "mac-ContentionResolutionTimer, NPDCCH periods; defaults 32, 16, 16"),
    INT("max_ul_reps", K(max_ul_reps), 1, 128, "NPUSCH repetitions the eNB grants at most"),
    INT("max_dl_reps", K(max_dl_reps), 1, 2048, "NPDSCH repetitions at most"),
    INT("ack_reps", K(ack_reps), 1, 128, "ack-NACK-NumRepetitions; defaults 1, 4, 16"),
    NUM("sync_ms", K(sync_ms), 0, 60000,
        "resynchronisation and MIB-NB after sleep, ms, receiving; defaults 100, 400, 1200 "
        "(estimates from the NPSS/NSSS/NPBCH structure, unconfirmed)"),
    INT("edt_tbs", K(edt_tbs), 0, 1000,
        "EDT Msg3 TBS at this level, bits (328 ... 1000, TS 36.331; offered up to the largest "
        "whose Msg3 at the level's edge meets the BLER target); 0: no EDT; default 1000"),
};
#undef K

static void ce_init_at(void *elem, int index)
{
    mac_radio_cfg d;
    mac_radio_cfg_default(&d);
    memcpy(elem, &d.ce[index < d.n_ce ? index : d.n_ce - 1], sizeof d.ce[0]);
}

static const cf_table ltem_ce_table;
static const cf_table ce_table = {.fields = ce_fields,
                                  .n = ARR(ce_fields),
                                  .rat = "nbiot",
                                  .rat_name = "NB-IoT",
                                  .other_rat = &ltem_ce_table};

/* ----------------------------------------------------- LTE-M CE level */
#define K(f) offsetof(mac_ce_cfg, f)
static const cf_field ltem_ce_fields[] = {
    NUM("rsrp_threshold_dbm", K(rsrp_threshold_dbm), -156, -44,
        "lowest RSRP of this level, dBm (rsrp-ThresholdsPrachInfoList-r13); unused by the last "
        "level; defaults -122, -128, -134 (edges at 140.2, 146.2, 152.2 dB)"),
    INT("prach_config_index", K(prach_config_index), 0, 63,
        "prach-ConfigurationIndex-r13 (TS 36.211 Table 5.7.1-2, FDD); default 6"),
    INT("preambles", K(subcarriers), 1, 64,
        "contention preambles of this level (firstPreamble ... lastPreamble-r13); defaults 36, "
        "12, 8, 8"),
    INT("prach_reps", K(nprach_reps), 1, 128,
        "numRepetitionPerPreambleAttempt-r13 (1 ... 128, powers of two); defaults 2, 8, 32, 128"),
    INT("max_attempts", K(max_attempts), 3, 10,
        "maxNumPreambleAttemptCE-r13 before the next level; default 5"),
    INT("mpdcch_rmax", K(npdcch_rmax), 1, 256,
        "mpdcch-NumRepetition-RA-r13 Rmax (1 ... 256); defaults 4, 8, 64, 128"),
    NUM("mpdcch_g", K(npdcch_g), 1, 10,
        "mpdcch-startSF-CSS-RA-r13 G (period Rmax x G); defaults 1, 2, 2, 1.5"),
    NUM("mpdcch_offset", K(npdcch_offset), 0, 0.375, "mpdcch-Offset-RA-r13; default 0"),
    INT("rar_window_sf", K(rar_window_sf), 20, 400,
        "ra-ResponseWindowSize-r13, subframes (20, 50, 80, 120, 180, 240, 320, 400); defaults "
        "20, 50, 240, 400"),
    INT("cr_timer_sf", K(cr_timer_sf), 80, 960,
        "mac-ContentionResolutionTimer-r13, subframes (80 ... 960); defaults 80, 120, 480, 960"),
    INT("max_ul_reps", K(max_ul_reps), 1, 2048,
        "PUSCH repetitions at most: mode A 8, 16, 32; mode B 192 ... 2048; defaults 8, 32, 512, "
        "2048"),
    INT("max_dl_reps", K(max_dl_reps), 1, 2048,
        "PDSCH repetitions at most: mode A 16, 32; mode B 192 ... 2048; defaults 16, 32, 512, "
        "2048"),
    INT("ack_reps", K(ack_reps), 1, 32,
        "pucch-NumRepetitionCE (HARQ-ACK): mode A 1, 2, 4, 8; mode B 4, 8, 16, 32; defaults 1, "
        "4, 16, 32"),
    NUM("sync_ms", K(sync_ms), 0, 60000,
        "resynchronisation (PSS/SSS, repeated PBCH) after sleep, ms, receiving; defaults 30, 80, "
        "300, 800 (estimates, unconfirmed)"),
    INT("edt_tbs", K(edt_tbs), 0, 1000,
        "EDT Msg3 TBS, bits (328, 408, 456, 504, 600, 712, 808, 936, 1000); 0: no EDT; EDT is "
        "offered up to the largest of them whose Msg3 at the level's edge meets the BLER "
        "target; defaults 504, 408, 504, 600"),
};
#undef K

static void ltem_ce_init_at(void *elem, int index)
{
    mac_radio_cfg d;
    mac_radio_cfg_default_ltem(&d);
    memcpy(elem, &d.ce[index < d.n_ce ? index : d.n_ce - 1], sizeof d.ce[0]);
}

static const cf_table ltem_ce_table = {.fields = ltem_ce_fields,
                                       .n = ARR(ltem_ce_fields),
                                       .rat = "ltem",
                                       .rat_name = "LTE-M",
                                       .other_rat = &ce_table};

/* ---------------------------------------- TR 37.868 random-access model */
#define Q(f) offsetof(mac_rach_cfg, f)
static const cf_field rach_fields[] = {
    INT("prach_config_index", Q(prach_config_index), 0, 63, "prach-ConfigIndex; default 6"),
    INT("preambles", Q(preambles), 1, 64, "contention preambles; default 54"),
    INT("max_preamble_tx", Q(max_preamble_tx), 1, 200, "preambleTransMax; default 10"),
    INT("backoff_ms", Q(backoff_ms), 0, 960, "backoff indicator, ms (Table 7.2-1); default 20"),
    INT("rar_window_sf", Q(rar_window_sf), 2, 10, "ra-ResponseWindowSize, subframes; default 5"),
    INT("rar_grants_per_sf", Q(rar_grants_per_sf), 1, 64,
        "uplink grants per RAR subframe; default 3"),
    INT("rar_processing_sf", Q(rar_processing_sf), 0, 10,
        "preamble end to the earliest RAR, subframes; default 2"),
    INT("msg3_delay_sf", Q(msg3_delay_sf), 6, 20,
        "RAR to Msg3, subframes (TS 36.213 6.1.1: >= 6); default 6"),
    INT("msg4_delay_sf", Q(msg4_delay_sf), 1, 20,
        "Msg3 to Msg4, subframes; default 4 (assumption)"),
    INT("harq_rtt_sf", Q(harq_rtt_sf), 1, 20, "HARQ round trip, subframes; default 8"),
    INT("harq_max_tx", Q(harq_max_tx), 1, 8, "Msg3 / Msg4 transmissions; default 5"),
    NUM("harq_error", Q(harq_error), 0, 1, "error probability per transmission; default 0.1"),
    INT("cr_timer_sf", Q(cr_timer_sf), 8, 64,
        "mac-ContentionResolutionTimer, subframes; default 48"),
    {.name = "detect_always",
     .kind = CF_BOOL,
     .offset = Q(detect_always),
     .doc = "every preamble is detected (else 1 - e^-i at the i-th transmission, TR 37.868); "
            "default false"},
    {.name = "collided_detected",
     .kind = CF_BOOL,
     .offset = Q(collided_detected),
     .doc = "collided preambles are detected and their Msg3s collide (else lost, as the TR "
            "37.868 evaluation); default false"},
};
#undef Q
static const cf_table rach_table = {.fields = rach_fields, .n = ARR(rach_fields)};

/* ---------------------------------------------------------------- link */
#define K(f) offsetof(phy_chan_cal, f)
static const cf_field chan_cal_fields[] = {
    NUM("offset_db", K(offset_db), -30, 40,
        "added to the attenuated-Shannon need of a block, dB; for npusch_f2_*, pucch, nprach, "
        "prach (no block): the one-repetition SNR at the target"),
    NUM("rep_loss_db", K(rep_loss_db), 0, 3,
        "repetition gain lost per doubling of the repetitions, dB"),
    NUM("div_db", K(div_db), 0, 10,
        "downlink: gain of the two transmit ports of the model's carrier over one, dB"),
    {.name = "ir",
     .kind = CF_BOOL,
     .offset = K(ir),
     .doc = "repetitions combine as incremental redundancy (the need of R repetitions is that "
            "of the block over R times the REs; rep_loss_db unused)"},
};
#undef K
static const cf_table chan_cal_table = {.fields = chan_cal_fields, .n = ARR(chan_cal_fields)};
#define CH(n, ch)                                                                                  \
    {                                                                                              \
        .name = n, .kind = CF_TABLE, .offset = (PHY_CH_##ch) * sizeof(phy_chan_cal),               \
        .sub = &chan_cal_table,                                                                    \
        .doc = "calibration of this channel (phy/calib.c names the points)"                        \
    }
static const cf_field cal_fields[] = {
    CH("npusch_st_3k75", NPUSCH_ST_3K75),
    CH("npusch_st_15k", NPUSCH_ST_15K),
    CH("npusch_3t", NPUSCH_3T),
    CH("npusch_6t", NPUSCH_6T),
    CH("npusch_12t", NPUSCH_12T),
    CH("npusch_f2_3k75", NPUSCH_F2_3K75),
    CH("npusch_f2_15k", NPUSCH_F2_15K),
    CH("nprach", NPRACH),
    CH("npdsch", NPDSCH),
    CH("npdcch", NPDCCH),
    CH("pusch", PUSCH),
    CH("pucch", PUCCH),
    CH("prach", PRACH),
    CH("pdsch", PDSCH),
    CH("mpdcch", MPDCCH),
};
#undef CH
static const cf_table cal_table = {.fields = cal_fields, .n = ARR(cal_fields)};
static const char *const cal_set_names[] = {"conformance", "shannon", "linklevel", NULL};

#define L(f) offsetof(phy_link_cfg, f)
static const cf_field link_fields[] = {
    {.name = "calibration",
     .kind = CF_ENUM,
     .offset = L(calibration),
     .names = cal_set_names,
     .doc = "calibration set of the link abstraction (set first: it fills cal, bler_slope and "
            "shannon_alpha): "
            "\"conformance\" (default; fitted to the TS 36.104 / TS 36.101 minimum requirements, "
            "fading, 2 receive antennas) or \"shannon\" (uncalibrated TR 36.942 attenuated "
            "Shannon, 1.2 dB, 0.3 dB per doubling: the model before the fit, for comparison) or "
            "\"linklevel\" (ideal receivers in AWGN: NPUSCH fitted to a public link-level "
            "table, the other channels as phy/calib.c says)"},
    {.name = "cal",
     .kind = CF_TABLE,
     .offset = L(cal),
     .sub = &cal_table,
     .doc = "per-channel calibration: offset_db, rep_loss_db, div_db"},
    INT("enb_rx_antennas", L(enb_rx_antennas), 1, 8,
        "eNB receive antennas; default 2 (as the requirements and the TR 45.820 link budgets); "
        "other counts shift the uplink SNR by 10 log10(n / 2) dB"),
    NUM("enb_tx_dbm", L(enb_tx_dbm), 0, 46, "NB-IoT downlink power, dBm; default 43 (standalone)"),
    NUM("enb_nf_db", L(enb_nf_db), 0, 20, "eNB noise figure, dB; default 3"),
    NUM("ue_nf_db", L(ue_nf_db), 0, 20, "UE noise figure, dB; default 5"),
    NUM("ul_interference_db", L(ul_interference_db), 0, 40,
        "uplink interference over thermal, dB; default 0"),
    NUM("shannon_alpha", L(shannon_alpha), 0.05, 1,
        "attenuated Shannon efficiency factor; default from the calibration: 0.6 (TR 36.942 A.2; "
        "conformance, shannon), 1 (linklevel)"),
    NUM("shannon_max_bps_hz", L(shannon_max_bps_hz), 0.1, 10,
        "cap on spectral efficiency, bit/s/Hz; default 4.4 (TR 36.942)"),
    NUM("bler_slope", L(bler_slope), 0.1, 20,
        "BLER curve slope, per dB; default from the calibration: 1 (conformance, an assumption), "
        "2 (linklevel, shannon)"),
    NUM("bler_target", L(bler_target), 0.001, 0.5, "data BLER target; default 0.1"),
    NUM("dci_bler_target", L(dci_bler_target), 0.0001, 0.5, "NPDCCH BLER target; default 0.01"),
    NUM("pc_margin_db", L(pc_margin_db), 0, 20, "power control margin, dB; default 1"),
    NUM("ltem_enb_tx_dbm", L(ltem_enb_tx_dbm), 0, 50,
        "LTE-M: downlink power of the host LTE carrier, dBm; default 46 (10 MHz macro)"),
    INT("ltem_carrier_prb", L(ltem_carrier_prb), 6, 100,
        "LTE-M: PRBs of the host carrier (power is spread over them); default 50 (10 MHz)"),
    INT("ltem_dl_re_per_prb", L(ltem_dl_re_per_prb), 12, 168,
        "LTE-M: PDSCH/MPDCCH REs per PRB and subframe; default 120 (3-symbol control region, "
        "2-port CRS)"),
    INT("ltem_ul_re_per_prb", L(ltem_ul_re_per_prb), 12, 168,
        "LTE-M: PUSCH REs per PRB and subframe; default 144 (2 DMRS symbols)"),
};
#undef L
static void link_tag_defaults(void *base, int set)
{
    phy_link_calibrate(base, set);
}
static const cf_table link_table = {.fields = link_fields,
                                    .n = ARR(link_fields),
                                    .tag = "calibration",
                                    .tag_defaults = link_tag_defaults};

/* ---------------------------------------------------------------- cell */
static const char *const rat_names[] = {"nbiot", "ltem", NULL};
static const char *const ra_names[] = {"cell", "tr37868", NULL};
#define NB   BIT(MAC_RAT_NBIOT)
#define LTEM BIT(MAC_RAT_LTEM)
static const char *const plane_names[] = {"cp", "up", NULL};

/* ----------------------------------------------- non-anchor carriers */
static const char *const car_data_names[] = {"nprach", "balanced", NULL};
#define C(f) offsetof(mac_carrier_cfg, f)
static const cf_field carrier_fields[] = {
    INT("non_anchor", C(non_anchor), 0, 15,
        "non-anchor carriers besides the anchor (Rel-14 SIB22-NB dl-ConfigList-r14 / "
        "ul-ConfigList-r14, at most 15), each with its own downlink, uplink and timelines; "
        "default 0"),
    {.name = "nprach",
     .kind = CF_BOOL,
     .offset = C(nprach),
     .doc = "the non-anchor carriers carry NPRACH (nprach-ParametersList-r14: the anchor's "
            "resources per CE level); default true"},
    NUM("nprach_probability_anchor", C(nprach_prob_anchor), -1, 0.5,
        "nprach-ProbabilityAnchor-r14: a device draws the anchor's NPRACH with this "
        "probability, else one non-anchor NPRACH carrier uniformly (TS 36.321 5.1.1); 0 or "
        "1/k, k = 2 ... 16; -1: 1 / carriers (all equally loaded); default -1"),
    {.name = "paging",
     .kind = CF_BOOL,
     .offset = C(paging),
     .doc = "the non-anchor carriers carry paging (pcch-Config-r14), each its own paging "
            "messages; default true"},
    INT("paging_weight_anchor", C(paging_weight_anchor), 0, 16,
        "pagingWeightAnchor-r14: the anchor's weight in the paging-carrier choice (TS 36.304 "
        "7.1: carrier n for floor(UE_ID / nB) mod W below W(0) + ... + W(n)); 0: no paging on "
        "the anchor; default 1"),
    INT("paging_weight", C(paging_weight), 1, 16,
        "pagingWeight-r14 of each non-anchor carrier (w1 ... w16); default 1"),
    {.name = "data",
     .kind = CF_ENUM,
     .offset = C(data),
     .names = car_data_names,
     .doc = "the carrier the eNB gives a connection at RRC setup: \"nprach\" (default) the "
            "carrier of its random access, \"balanced\" the one whose downlink is free "
            "earliest"},
};
#undef C
static const cf_table carrier_table = {.fields = carrier_fields, .n = ARR(carrier_fields)};

#define R(f) offsetof(mac_radio_cfg, f)
static const cf_field cell_fields[] = {
    {.name = "rat",
     .kind = CF_ENUM,
     .offset = R(rat),
     .names = rat_names,
     .doc = "radio: nbiot (default) or ltem (Cat-M1; set first: it selects the LTE-M defaults "
            "of every other cell field)"},
    {.name = "ce_levels",
     .kind = CF_ARRAY,
     .offset = R(ce),
     .elem_size = sizeof(mac_ce_cfg),
     .count_offset = R(n_ce),
     .min_count = 1,
     .max_count = MAC_NBIOT_MAX_CE,
     .init_at = ce_init_at,
     .sub = &ce_table,
     .when = NB,
     .doc = "NB-IoT coverage-enhancement levels (at most 3), best coverage first"},
    {.name = "ce_levels",
     .kind = CF_ARRAY,
     .offset = R(ce),
     .elem_size = sizeof(mac_ce_cfg),
     .count_offset = R(n_ce),
     .min_count = 1,
     .max_count = MAC_MAX_CE,
     .init_at = ltem_ce_init_at,
     .sub = &ltem_ce_table,
     .when = LTEM,
     .doc = "LTE-M coverage-enhancement levels (at most 4; 1-2 CE mode A, 3-4 mode B), best "
            "coverage first"},
    {.name = "ra_model",
     .kind = CF_ENUM,
     .offset = R(ra_model),
     .names = ra_names,
     .when = LTEM,
     .doc = "cell: the whole procedure event by event (default); tr37868: only each device's "
            "first random access, as TR 37.868 evaluates it (cell.rach)"},
    {.name = "rach",
     .kind = CF_TABLE,
     .offset = R(rach),
     .sub = &rach_table,
     .when = LTEM,
     .doc = "ra_model tr37868: the evaluation's parameters (defaults: TR 37.868)"},
    {.name = "ul_narrowbands",
     .kind = CF_INT,
     .offset = R(ul_narrowbands),
     .int_bytes = 4,
     .min = 1,
     .max = 8,
     .when = LTEM,
     .doc = "uplink narrowbands of 6 PRBs for PUSCH (a grant stays inside one); default 2"},
    {.name = "dl_narrowbands",
     .kind = CF_INT,
     .offset = R(dl_narrowbands),
     .int_bytes = 4,
     .min = 1,
     .max = 8,
     .when = LTEM,
     .doc = "downlink narrowbands for MPDCCH and PDSCH (per subframe one DCI and one PDSCH as 2 + "
            "4 PRBs, else one of them); default 2"},
    {.name = "hd_guard_sf",
     .kind = CF_INT,
     .offset = R(hd_guard_sf),
     .int_bytes = 4,
     .min = 0,
     .max = 2,
     .when = LTEM,
     .doc = "half-duplex FDD guard subframes at a DL <-> UL switch; default 1 (TS 36.211 6.2.5)"},
    {.name = "rx_bw_factor",
     .kind = CF_NUM,
     .offset = R(rx_bw_factor),
     .min = 1,
     .max = 4,
     .when = LTEM,
     .doc = "receive draw on LTE-M (1.08 MHz) relative to the module's rx_mw; default 1.25 "
            "(assumption)"},
    {.name = "nprach_format",
     .kind = CF_INT,
     .offset = R(nprach_format),
     .int_bytes = 4,
     .min = 0,
     .max = 1,
     .when = NB,
     .doc = "NPRACH format: 0 (66.7 us CP, 5.6 ms per repetition) or 1 (6.4 ms); default 0"},
    INT("preamble_trans_max", R(preamble_trans_max), 3, 200, "preambleTransMax-CE; default 10"),
    NUM("preamble_target_dbm", R(preamble_target_dbm), -120, -90,
        "preambleInitialReceivedTargetPower (level 0), dBm; default -120 (NB-IoT), -104 (LTE-M)"),
    NUM("ramp_step_db", R(ramp_step_db), 0, 6, "powerRampingStep, dB; default 2"),
    NUM("mcl_db", R(mcl_db), 100, 200,
        "maximum coupling loss the last CE level is planned for (its Msg3 and paging grants), "
        "dB, in the budget of mcl_tx_dbm, mcl_enb_nf_db and mcl_rx_antennas (moved into this "
        "link's: cell.budget.planned_db); default 164 (NB-IoT, TR 45.820), 155.7 (LTE-M, TR "
        "36.888 target)"),
    NUM("mcl_tx_dbm", R(mcl_tx_dbm), -10, 40,
        "device power the MCL was computed with, dBm; default 23 (NB-IoT, TR 45.820), 20 "
        "(LTE-M, TR 36.888)"),
    NUM("mcl_enb_nf_db", R(mcl_enb_nf_db), 0, 20,
        "eNB noise figure the MCL was computed with, dB; default 3 (NB-IoT, TR 45.820), 5 "
        "(LTE-M, TR 36.888)"),
    INT("mcl_rx_antennas", R(mcl_rx_antennas), 1, 8,
        "eNB receive antennas the MCL was computed with; default 2"),
    NUM("p_max_dbm", R(p_max_dbm), -30, 33,
        "P-Max (TS 36.331 SIB1, P_EMAX), dBm: every device transmits at most min(p_max_dbm, "
        "its devices[i].tx_max_dbm) (TS 36.101 6.2.5F); default 33 (the largest value: no cap "
        "below a power class)"),
    NUM("backoff_ms", R(backoff_ms), 0, 524288,
        "backoff indicator, ms: NB-IoT TS 36.321 Table 7.2-2, default 256; LTE-M Table 7.2-1, "
        "default 20"),
    {.name = "capture",
     .kind = CF_BOOL,
     .offset = R(capture),
     .doc = "a collided Msg3 is decoded when the strongest wins by capture_margin_db; default "
            "false"},
    NUM("capture_margin_db", R(capture_margin_db), 0, 40, "capture margin, dB; default 6"),
    INT("harq_max_tx", R(harq_max_tx), 1, 8,
        "transmissions of one transport block (HARQ); default 4"),
    {.name = "inactivity_s",
     .kind = CF_NUM,
     .offset = R(inactivity_s),
     .min = 0,
     .min_open = 1,
     .max = 3600,
     .doc = "release after this long without data (no RAI), s; default 20 (an operator "
            "setting operators do not publish; an LTE-IoT field test shows 5 s, LTE phones "
            "about 10 s; assumption, README: sensitivity)"},
    {.name = "sib1_reps",
     .kind = CF_INT,
     .offset = R(sib1_reps),
     .int_bytes = 4,
     .min = 4,
     .max = 16,
     .when = NB,
     .doc = "SIB1-NB repetitions (4, 8, 16); default 4"},
    {.name = "sib1_tbs",
     .kind = CF_INT,
     .offset = R(sib1_tbs),
     .int_bytes = 4,
     .min = 208,
     .max = 680,
     .when = NB,
     .doc = "SIB1-NB transport block, bits (208, 328, 440, 680); default 440"},
    {.name = "pci",
     .kind = CF_INT,
     .offset = R(pci),
     .int_bytes = 4,
     .min = 0,
     .max = 503,
     .when = NB,
     .doc = "physical cell id (SIB1-NB position); default 0"},
    NUM("rsrp_error_sd_db", R(rsrp_error_sd_db), 0, 20,
        "RSRP measurement error for the CE-level choice, dB; default 0"),
    {.name = "plane",
     .kind = CF_ENUM,
     .offset = R(user_plane),
     .names = plane_names,
     .doc = "cp: control-plane CIoT optimisation, data over NAS (default); up: user plane"},
    INT("msg3_bits", R(msg3_bits), 56, 1000, "Msg3 TBS, bits; default 88"),
    INT("msg4_bytes", R(msg4_bytes), 1, 1000, "Msg4, bytes; default 26 (unconfirmed)"),
    INT("cp_overhead_bytes", R(cp_overhead_bytes), 0, 1000,
        "RRC + NAS around CP data, bytes; default 44"),
    INT("l2_overhead_bytes", R(l2_overhead_bytes), 0, 100, "PDCP + RLC + MAC, bytes; default 9"),
    INT("setup_complete_bytes", R(setup_complete_bytes), 1, 1000,
        "RRCConnectionSetupComplete (UP), bytes; default 20"),
    INT("smc_bytes", R(smc_bytes), 1, 1000, "SecurityModeCommand (UP), bytes; default 10"),
    INT("smc_complete_bytes", R(smc_complete_bytes), 1, 1000,
        "SecurityModeComplete (UP), bytes; default 13"),
    INT("reconf_bytes", R(reconf_bytes), 1, 1000,
        "RRCConnectionReconfiguration (UP), bytes; default 30"),
    INT("reconf_complete_bytes", R(reconf_complete_bytes), 1, 1000,
        "RRCConnectionReconfigurationComplete (UP), bytes; default 10"),
    INT("dl_ack_bytes", R(dl_ack_bytes), 0, 1000,
        "application acknowledgement down per report, bytes (0: none); default 20"),
    INT("release_bytes", R(release_bytes), 1, 1000, "RRCConnectionRelease, bytes; default 10"),
    {.name = "edt",
     .kind = CF_BOOL,
     .offset = R(edt),
     .doc = "early data transmission (Rel-15): reports that fit edt_tbs ride in Msg3; default "
            "false"},
    {.name = "edt_small_tbs",
     .kind = CF_BOOL,
     .offset = R(edt_small_tbs),
     .doc = "edt-SmallTBS-Enabled: the device uses the smallest EDT TBS that holds its data "
            "(else edt_tbs); default true"},
    INT("edt_up_overhead_bytes", R(edt_up_overhead_bytes), 0, 125,
        "user-plane EDT: resume request, MAC-I and L2 headers around the data in Msg3, bytes; "
        "default 15 (unconfirmed)"),
    INT("edt_overhead_bytes", R(edt_overhead_bytes), 0, 125,
        "control-plane EDT: RRCEarlyDataRequest, NAS and MAC around the data in Msg3, bytes; "
        "default 45 (the legacy cp_overhead_bytes 44 carried on CCCH, + 1 MAC subheader)"),
    {.name = "link",
     .kind = CF_TABLE,
     .offset = R(link),
     .sub = &link_table,
     .doc = "link budget and link abstraction"},
    {.name = "paging",
     .kind = CF_TABLE,
     .offset = R(paging),
     .sub = &cf_paging,
     .doc = "paging and wake-up signal"},
    {.name = "network",
     .kind = CF_TABLE,
     .offset = R(network),
     .sub = &cf_network,
     .doc = "what the core network grants and buffers"},
    {.name = "cdrx",
     .kind = CF_TABLE,
     .offset = R(cdrx),
     .sub = &cf_cdrx,
     .doc = "connected-mode DRX (TS 36.321 5.7, TS 36.331 DRX-Config-NB-r13 / DRX-Config)"},
    {.name = "carriers",
     .kind = CF_TABLE,
     .offset = R(carriers),
     .sub = &carrier_table,
     .when = NB,
     .doc = "NB-IoT non-anchor carriers (Rel-14)"},
    {.name = "pur",
     .kind = CF_TABLE,
     .offset = R(pur),
     .sub = &cf_pur_net,
     .doc = "preconfigured uplink resources (Rel-16 PUR, TS 36.331 PUR-Config-NB-r16)"},
    {.name = "simulate_occasions",
     .kind = CF_BOOL,
     .offset = R(simulate_occasions),
     .doc = "validation: simulate every paging occasion as an event instead of counting "
            "them; default false"},
    INT("layout_sites", R(layout_sites), 0, 19,
        "0: one cell (default); 1, 7 or 19 three-sector sites with wrap-around, devices on "
        "their best cell (coverage must be tr45820)"),
    INT("interference_passes", R(interference_passes), 1, 2,
        "layouts: 2 (default) adds each cell's uplink interference rise from a first pass; 1 "
        "ignores inter-cell interference"),
    INT("latency_exact_per_device", R(latency_exact_per_device), 0, 1000000,
        "latency mean, percentiles and max exact while a cell's delivery log holds at most "
        "this many reports per device (8 bytes each); beyond, and with 0, from 1 % "
        "logarithmic bins, within +-0.5 % (/cells/latency_binned says which); default 32"),
};
#undef R
static void cell_tag_defaults(void *base, int rat)
{
    if (rat == MAC_RAT_LTEM) mac_radio_cfg_default_ltem(base);
}

const cf_table cf_cell = {
    .fields = cell_fields, .n = ARR(cell_fields), .tag = "rat", .tag_defaults = cell_tag_defaults};

/* ------------------------------------------------------------- coverage */
static const char *const cl_names[] = {"fixed", "table", "tr45820", NULL};
#define C(f) offsetof(phy_coverage_cfg, f)
#define TR   BIT(PHY_CL_TR45820)
static const cf_field coverage_fields[] = {
    {.name = "kind",
     .kind = CF_ENUM,
     .offset = C(kind),
     .names = cl_names,
     .doc = "fixed, table (inverse CDF) or tr45820 (sector geometry, path loss, shadowing, "
            "penetration); default tr45820"},
    {.name = "fixed_db",
     .kind = CF_NUM,
     .offset = C(fixed_db),
     .min = 0,
     .max = 250,
     .when = BIT(PHY_CL_FIXED),
     .doc = "coupling loss, dB"},
    {.name = "table_db",
     .kind = CF_NUMLIST,
     .offset = C(table_db),
     .min = 0,
     .max = 250,
     .elem_size = PHY_CL_TABLE_MAX,
     .count_offset = C(table_n),
     .min_count = 2,
     .max_count = PHY_CL_TABLE_MAX,
     .when = BIT(PHY_CL_TABLE),
     .doc = "coupling-loss points of the CDF, dB, increasing"},
    {.name = "table_cdf",
     .kind = CF_NUMLIST,
     .offset = C(table_cdf),
     .min = 0,
     .max = 1,
     .elem_size = PHY_CL_TABLE_MAX,
     .count_offset = C(table_n),
     .min_count = 2,
     .max_count = PHY_CL_TABLE_MAX,
     .when = BIT(PHY_CL_TABLE),
     .doc = "P(CL <= table_db[i]), from 0 to 1"},
    {.name = "isd_m",
     .kind = CF_NUM,
     .offset = C(isd_m),
     .min = 10,
     .max = 1e5,
     .when = TR,
     .doc = "inter-site distance, m; default 1732 (TR 45.820)"},
    {.name = "min_distance_m",
     .kind = CF_NUM,
     .offset = C(min_distance_m),
     .min = 0,
     .max = 1e4,
     .when = TR,
     .doc = "closest device to the site, m; default 35"},
    {.name = "pl_intercept_db",
     .kind = CF_NUM,
     .offset = C(pl_intercept_db),
     .min = 0,
     .max = 300,
     .when = TR,
     .doc = "path loss A in A + B log10(R km); default 120.9 (900 MHz)"},
    {.name = "pl_slope_db",
     .kind = CF_NUM,
     .offset = C(pl_slope_db),
     .min = 0,
     .max = 100,
     .when = TR,
     .doc = "path loss B; default 37.6"},
    {.name = "shadowing_sd_db",
     .kind = CF_NUM,
     .offset = C(shadowing_sd_db),
     .min = 0,
     .max = 30,
     .when = TR,
     .doc = "log-normal shadowing, dB; default 8"},
    {.name = "bs_gain_dbi",
     .kind = CF_NUM,
     .offset = C(bs_gain_dbi),
     .min = -20,
     .max = 30,
     .when = TR,
     .doc = "base-station antenna gain, dBi; default 18"},
    {.name = "ue_gain_dbi",
     .kind = CF_NUM,
     .offset = C(ue_gain_dbi),
     .min = -30,
     .max = 10,
     .when = TR,
     .doc = "device antenna gain, dBi; default -4"},
    {.name = "beamwidth_deg",
     .kind = CF_NUM,
     .offset = C(beamwidth_deg),
     .min = 1,
     .max = 360,
     .when = TR,
     .doc = "sector antenna 3 dB beamwidth, degrees; default 65"},
    {.name = "front_back_db",
     .kind = CF_NUM,
     .offset = C(front_back_db),
     .min = 0,
     .max = 60,
     .when = TR,
     .doc = "antenna front-to-back ratio, dB; default 20"},
    {.name = "other_loss_db",
     .kind = CF_NUM,
     .offset = C(other_loss_db),
     .min = -50,
     .max = 100,
     .when = TR,
     .doc = "further losses, dB; default 0"},
    {.name = "indoor",
     .kind = CF_BOOL,
     .offset = C(indoor),
     .when = TR,
     .doc = "apply the TR 45.820 building penetration loss; default true"},
};
#undef C
const cf_table cf_coverage = {.fields = coverage_fields, .n = ARR(coverage_fields), .tag = "kind"};

int cf_coverage_check(const phy_coverage_cfg *c, const char **field, char *why, size_t why_len)
{
    if (c->kind != PHY_CL_TABLE) return 0;
    for (int i = 1; i < c->table_n; i++) {
        if (!(c->table_db[i] > c->table_db[i - 1])) {
            *field = "table_db";
            snprintf(why, why_len, "must increase (item %d)", i + 1);
            return -1;
        }
        if (c->table_cdf[i] < c->table_cdf[i - 1]) {
            *field = "table_cdf";
            snprintf(why, why_len, "must not decrease (item %d)", i + 1);
            return -1;
        }
    }
    if (c->table_cdf[0] != 0 || c->table_cdf[c->table_n - 1] != 1) {
        *field = "table_cdf";
        snprintf(why, why_len, "must start at 0 and end at 1");
        return -1;
    }
    return 0;
}
