/* config_idle.c: schema of idle mode: a group's requests (`devices[i].idle`)
 * and network commands (`devices[i].downlink`), the cell's paging and WUS
 * (`cell.paging`) and what the network grants (`cell.network`). Defaults
 * are set in mac/config.c (sources there). */
#include "sim/app.h"

#include <stddef.h>

#define ARR(a) (sizeof(a) / sizeof((a)[0]))
#define NUM(n, off, lo, hi, d)                                                                     \
    {                                                                                              \
        .name = n, .kind = CF_NUM, .offset = off, .min = lo, .max = hi, .doc = d                   \
    }
#define INT(n, off, lo, hi, d)                                                                     \
    {                                                                                              \
        .name = n, .kind = CF_INT, .offset = off, .int_bytes = 4, .min = lo, .max = hi, .doc = d   \
    }
#define BOOL(n, off, d)                                                                            \
    {                                                                                              \
        .name = n, .kind = CF_BOOL, .offset = off, .doc = d                                        \
    }

#define I(f) offsetof(mac_idle_cfg, f)
static const cf_field idle_fields[] = {
    NUM("drx_cycle_s", I(drx_cycle_s), 0, 10.24,
        "UE-specific DRX request, s (NB-IoT 1.28, 2.56, 5.12, 10.24; LTE-M 0.32, 0.64, 1.28, "
        "2.56); 0: the cell's default (default)"),
    NUM("edrx_cycle_s", I(edrx_cycle_s), 0, 10485.76,
        "eDRX request, s: 20.48 x 2^k up to 10485.76 (NB-IoT) or 2621.44 (LTE-M) (TS 24.008); 0: "
        "none (default)"),
    NUM("ptw_s", I(ptw_s), 1.28, 40.96,
        "paging time window, s: NB-IoT 2.56 x (n + 1), LTE-M 1.28 x (n + 1); default 2.56"),
    BOOL("psm", I(psm), "request PSM; default true"),
    NUM("t3324_s", I(t3324_s), 0, 11160,
        "requested active time (paging monitored after release), s; default 0 (PSM at once, "
        "as the TR 45.820 battery-life method)"),
    NUM("t3412_s", I(t3412_s), 2, 35712000, "requested periodic TAU, s; default 86400"),
    BOOL("wus", I(wus), "wake-up signal capable (Rel-15); default false"),
    BOOL("gwus", I(gwus),
         "group wake-up signal capable (Rel-16; needs wus): wakes for its WUS group's pages only "
         "where cell.paging.gwus_groups > 0; default false"),
    INT("tau_bytes", I(tau_bytes), 1, 1000, "TAU request, bytes; default 30 (unconfirmed)"),
    INT("tau_accept_bytes", I(tau_accept_bytes), 1, 1000,
        "TAU accept, bytes; default 20 (unconfirmed)"),
    NUM("search_scan_s", I(search_scan_s), 0.01, 3600,
        "out of coverage: receiver-on time of one cell search, s; default 10 (assumption)"),
    NUM("search_backoff_s", I(search_backoff_s), 1, 86400,
        "out of coverage: sleep after the first failed search, s, doubling after each; default "
        "60 (assumption)"),
    NUM("search_backoff_max_s", I(search_backoff_max_s), 1, 864000,
        "out of coverage: longest sleep between searches, s; default 3600 (assumption)"),
};
#undef I
const cf_table cf_idle = {.fields = idle_fields, .n = ARR(idle_fields)};

#define D(f) offsetof(mac_downlink_cfg, f)
static const cf_field downlink_fields[] = {
    {.name = "traffic",
     .kind = CF_TABLE,
     .offset = D(traffic),
     .sub = &cf_traffic,
     .doc = "command arrivals and sizes (the payload is the command); default none"},
    INT("answer_bytes", D(answer_bytes), 0, 100000,
        "uplink answer to each command, bytes; 0: none (default)"),
};
#undef D
const cf_table cf_downlink = {.fields = downlink_fields, .n = ARR(downlink_fields)};

static const char *const nb_names[] = {"4T",   "2T",   "T",     "T/2",   "T/4",   "T/8",    "T/16",
                                       "T/32", "T/64", "T/128", "T/256", "T/512", "T/1024", NULL};
#define P(f) offsetof(mac_paging_cfg, f)
static const cf_field paging_fields[] = {
    NUM("cycle_s", P(cycle_s), 0.32, 10.24,
        "default paging cycle T, s: NB-IoT 1.28, 2.56, 5.12, 10.24 (default 2.56); LTE-M 0.32, "
        "0.64, 1.28, 2.56 (default 1.28)"),
    {.name = "nB",
     .kind = CF_ENUM,
     .offset = P(nb),
     .names = nb_names,
     .doc = "paging occasions per cycle: 4T ... T/1024 (TS 36.331); default T"},
    INT("rmax", P(rmax), 1, 2048, "paging NPDCCH/MPDCCH Rmax; default 32 (NB-IoT), 16 (LTE-M)"),
    INT("max_records", P(max_records), 1, 16,
        "paging records per paging message; default 16 (TS 36.331)"),
    NUM("delay_ms", P(delay_ms), 0, 10000, "S1 paging delay, MME to eNB, ms; default 20"),
    INT("max_attempts", P(max_attempts), 1, 100,
        "occasions tried for one command before it is lost; default 4"),
    NUM("wake_ms", P(wake_ms), 0, 1000,
        "per wake-up: clock and timing re-acquisition, receiving, ms; default 3 (unconfirmed)"),
    NUM("long_sleep_s", P(long_sleep_s), 0, 1e6,
        "sleeps longer than this need the full sync_ms of the CE level; default 10.24"),
    NUM("si_validity_s", P(si_validity_s), 0, 1e7,
        "sleeps longer than this re-read system information; default 86400 (24 h for NB-IoT and "
        "BL/CE devices, TS 36.331 5.2.1.3)"),
    NUM("si_ms", P(si_ms), 0, 60000,
        "LTE-M: receive time of a system-information acquisition, ms; default 160 (estimate)"),
    INT("si_tbs", P(si_tbs), 56, 680,
        "NB-IoT: SI message transport block, bits (56, 120, 208, 256, 328, 440, 552, 680); "
        "default 440"),
    NUM("si_period_ms", P(si_period_ms), 640, 40960,
        "NB-IoT: SI message periodicity, ms (640 ... 40960); default 5120"),
    INT("si_repetition_rf", P(si_repetition_rf), 2, 16,
        "NB-IoT: SI message sent every 2nd, 4th, 8th or 16th frame of its window; default 4"),
    INT("si_messages", P(si_messages), 1, 8,
        "NB-IoT: SI messages a device reads (SIB2-NB, SIB3-NB ...); default 1"),
    NUM("wus_factor", P(wus_factor), 0.0078125, 0.5,
        "WUS maxDurationFactor (1/128 ... 1/2 of rmax); default 0.25"),
    NUM("wus_offset_ms", P(wus_offset_ms), 40, 2000,
        "WUS time offset to the occasion, ms (40, 80, 160, 240; 1000, 2000 eDRX); default 40"),
    NUM("wus_snr_db", P(wus_snr_db), -30, 30,
        "one-subframe WUS SNR with 99 % detection, dB; default 0 (calibration, unconfirmed)"),
    NUM("wus_false_alarm", P(wus_false_alarm), 0, 0.5,
        "probability of detecting a WUS that was not sent; default 0.001 (unconfirmed)"),
    INT("gwus_groups", P(gwus_groups), 0, 8,
        "group WUS (Rel-16 GWUS-Config): WUS groups per resource, 1, 2, 4 or 8 "
        "(GWUS-NumGroups); 0: no group WUS, every WUS device of an occasion wakes for any "
        "WUS device's page there; default 0"),
    INT("gwus_resources", P(gwus_resources), 1, 4,
        "group WUS resources (NB-IoT 1 or 2, LTE-M 1 ... 4; maxGWUS-Resources): groups in all "
        "= gwus_resources x gwus_groups; default 1"),
    INT("gwus_common_above", P(gwus_common_above), 0, 32,
        "the eNB sends the common WUS (waking every group-WUS device of the occasion) when "
        "more WUS groups than this are paged at one occasion; 0: never; default 0")};
#undef P
const cf_table cf_paging = {.fields = paging_fields, .n = ARR(paging_fields)};

#define W(f) offsetof(mac_network_cfg, f)
static const cf_field network_fields[] = {
    NUM("t3324_max_s", W(t3324_max_s), 0, 11160,
        "longest active time the network grants, s; default 11160 (no limit)"),
    NUM("t3412_min_s", W(t3412_min_s), 0, 35712000,
        "shortest periodic TAU the network grants, s; default 0 (no limit)"),
    BOOL("edrx_allowed", W(edrx_allowed), "grant eDRX requests; default true"),
    NUM("buffer_s", W(buffer_s), 0, 1e7,
        "downlink data for a device in PSM is kept this long, s; default 3600"),
};
#undef W
const cf_table cf_network = {.fields = network_fields, .n = ARR(network_fields)};

/* ------------------------------------------------------------------ cdrx */
#define X(f) offsetof(mac_cdrx_cfg, f)
static const cf_field cdrx_fields[] = {
    BOOL("enabled", X(enabled),
         "the cell configures connected-mode DRX (TS 36.321 5.7); default true (live NB-IoT "
         "networks configure it: Martinez et al. 2019, Michelinakis et al. 2020; README)"),
    INT("on_duration", X(on_duration), 1, 1600,
        "onDurationTimer: NB-IoT PDCCH periods (pp1, 2, 3, 4, 8, 16, 32), LTE-M PDCCH "
        "subframes (psf1 ... psf1600); default 2 (NB-IoT: assumption), 10 (LTE-M: an LTE vendor's "
        "default DRX profile)"),
    INT("inactivity", X(inactivity), 0, 2560,
        "drx-InactivityTimer: NB-IoT pp0, 1, 2, 3, 4, 8, 16, 32; LTE-M psf0 ... psf2560; default "
        "2 (NB-IoT: assumption), 200 (LTE-M: vendor profile)"),
    INT("retransmission", X(retransmission), 0, 320,
        "drx-RetransmissionTimer: NB-IoT pp0, 1, 2, 4, 6, 8, 16, 24, 33; LTE-M psf0 ... psf320; "
        "default 2 (NB-IoT: assumption), 2 (LTE-M: vendor profile)"),
    INT("ul_retransmission", X(ul_retransmission), 0, 320,
        "drx-ULRetransmissionTimer: pp (NB-IoT) or psf (LTE-M) 0, 1, 2, 4, 6, 8, 16, 24, 33, 40, "
        "64, 80, 96, 112, 128, 160, 320; default 4 (NB-IoT: assumption), 8 (LTE-M: assumption)"),
    INT("cycle_sf", X(cycle_sf), 2, 10240,
        "drx-Cycle (NB-IoT: 256 ... 10240) / longDRX-Cycle (LTE-M: 10 ... 2560), subframes; "
        "default 2048 (NB-IoT: measured in a live network, Martinez et al. 2019), 320 (LTE-M: "
        "vendor profile)"),
    INT("start_offset", X(start_offset), 0, 10239,
        "drxStartOffset in subframes, below the cycle (LTE-M: some search space of every CE "
        "level must start in an on-duration); default 0"),
};
#undef X
const cf_table cf_cdrx = {.fields = cdrx_fields, .n = ARR(cdrx_fields)};

/* ------------------------------------------------------------------- pur */
/* Preconfigured uplink resources (Rel-16): a group's request and the
 * network's PUR-Config (TS 36.331 PUR-Config-NB-r16 / PUR-Config-r16;
 * value sets checked in mac/config.c). */
static const char *const occasion_names[] = {"infinite", "one", NULL};
#define X(f) offsetof(mac_pur_cfg, f)
static const cf_field pur_fields[] = {
    BOOL("enabled", X(enabled),
         "request PUR (Rel-16 PURConfigurationRequest), used where cell.pur.enabled; default "
         "false"),
    NUM("periodicity_s", X(periodicity_s), 81.92, 83886.08,
        "PUR period, s: 81.92 x 2^k (8 ... 8192 hyperframes, TS 36.331 "
        "PUR-PeriodicityAndOffset); the first occasion follows the next report (plus the "
        "resynchronisation): a periodic meter sets its report period to it; default 83886.08"),
    {.name = "occasions",
     .kind = CF_ENUM,
     .offset = X(occasions),
     .names = occasion_names,
     .doc = "pur-NumOccasions: infinite (default) or one (a new configuration with each "
            "connection's release)"},
    INT("tbs_bits", X(tbs_bits), 16, 2536,
        "the resource's transport block, bits (NB-IoT Cat-NB1 at most 1000; LTE-M CE mode A's "
        "largest); a report with the EDT wrap must fit, else it goes by random access; default "
        "1000"),
    NUM("rsrp_change_sd_db", X(rsrp_change_sd_db), 0, 100,
        "serving-cell RSRP at an occasion minus the reference stored with the TA: normal with "
        "this sd, dB, independent between occasions (assumption: a static device; README "
        "measures the sensitivity); default 3"),
};
#undef X
const cf_table cf_pur = {.fields = pur_fields, .n = ARR(pur_fields)};

static const char *const spacing_names[] = {"any", "15khz", "3.75khz", NULL};
#define X(f) offsetof(mac_pur_net_cfg, f)
static const cf_field pur_net_fields[] = {
    BOOL("enabled", X(enabled),
         "the eNB configures PUR for devices that request it (in the release); default false"),
    INT("ta_timer", X(ta_timer), 0, 8,
        "pur-TimeAlignmentTimer, PUR periods 1 ... 8; 0: not configured; default 8"),
    BOOL("ta_update", X(ta_update),
         "the PUR response carries a Timing Advance Command that restarts the TA timer and the "
         "RSRP reference (assumption); default true"),
    NUM("rsrp_increase_db", X(rsrp_increase_db), 0, 34,
        "pur-RSRP-ChangeThreshold increaseThresh, dB: 4, 6, 8, 10, 14, 18, 22, 26, 30, 34; 0: "
        "no RSRP criterion; default 8 (assumption)"),
    NUM("rsrp_decrease_db", X(rsrp_decrease_db), 0, 34,
        "decreaseThresh, dB (same set); 0: as rsrp_increase_db (default)"),
    INT("implicit_release", X(implicit_release), 0, 8,
        "pur-ImplicitReleaseAfter: 2, 4 or 8 consecutive skipped occasions; 0: none; default 2"),
    INT("response_window_pp", X(response_window_pp), 1, 64,
        "NB-IoT pur-ResponseWindowTimer, PDCCH periods of the PUR search space: 1, 2, 3, 4, 8, "
        "16, 32, 64; default 8"),
    INT("response_window_sf", X(response_window_sf), 240, 10240,
        "LTE-M pur-ResponseWindowTimer, subframes: 240, 480, 960, 1920, 3840, 5760, 7680, "
        "10240; default 960"),
    {.name = "spacing",
     .kind = CF_ENUM,
     .offset = X(spacing),
     .names = spacing_names,
     .doc = "NB-IoT: the resource's subcarrier spacing: any (default: the grant of least "
            "tone-time, as every grant of the cell), 15khz or 3.75khz"},
};
#undef X
const cf_table cf_pur_net = {.fields = pur_net_fields, .n = ARR(pur_net_fields)};

/* ----------------------------------------------------------------- stack */
static const char *const dir_names[] = {"ul", "dl", NULL};
#define X(f) offsetof(mac_xchg, f)
static const cf_field xchg_fields[] = {
    {.name = "dir",
     .kind = CF_ENUM,
     .offset = X(dir),
     .names = dir_names,
     .doc = "ul (device to network) or dl"},
    INT("bytes", X(bytes), 0, 65000, "message size, application layer and above, bytes"),
};
#undef X
static const cf_table xchg_table = {.fields = xchg_fields, .n = ARR(xchg_fields)};

static void xchg_init(void *elem, int index)
{
    (void)index;
    mac_xchg *x = elem;
    x->dir = 0;
    x->bytes = 0;
}

#define K(f) offsetof(mac_stack_cfg, f)
static const cf_field stack_fields[] = {
    {.name = "name",
     .kind = CF_STR,
     .offset = K(name),
     .elem_size = 32,
     .doc = "label of the profile; default \"none\""},
    INT("ul_overhead_bytes", K(ul_overhead_bytes), 0, 10000,
        "headers added to every report above NAS/PDCP (IP, UDP, CoAP, DTLS...), bytes; default 0"),
    {.name = "answer_bytes",
     .kind = CF_INT,
     .offset = K(answer_bytes),
     .int_bytes = 4,
     .min = -1,
     .max = 65000,
     .doc = "the application's answer down per report with its headers, bytes; 0: none; -1 "
            "(default): the cell's dl_ack_bytes"},
    {.name = "session",
     .kind = CF_ARRAY,
     .offset = K(session),
     .elem_size = sizeof(mac_xchg),
     .count_offset = K(n_session),
     .min_count = 0,
     .max_count = MAC_MAX_XCHG,
     .init_at = xchg_init,
     .sub = &xchg_table,
     .doc = "exchanges (re)establishing a session before a report (handshakes, registration)"},
    INT("session_every", K(session_every), 0, 1000000,
        "a session before the first report only (0, default) or before every k-th report"),
    {.name = "per_report",
     .kind = CF_ARRAY,
     .offset = K(per_report),
     .elem_size = sizeof(mac_xchg),
     .count_offset = K(n_per_report),
     .min_count = 0,
     .max_count = MAC_MAX_XCHG,
     .init_at = xchg_init,
     .sub = &xchg_table,
     .doc = "further exchanges after each report's data and answer"},
};
#undef K
const cf_table cf_stack = {.fields = stack_fields, .n = ARR(stack_fields)};
