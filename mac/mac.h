/* mac.h: the procedures of an NB-IoT or LTE-M (Cat-M1) cell and its devices
 * (TS 36.321, TS 36.331, TS 36.213 timing): random access with collisions,
 * backoff and CE-level escalation, RAR, Msg3 with HARQ, contention
 * resolution, RRC connection with control-plane (default) or user-plane
 * data, NPDCCH/NPDSCH/NPUSCH on one shared carrier, downlink acknowledgement,
 * release at once with RAI or after the inactivity timer.
 */
#ifndef MTCSIM_MAC_H
#define MTCSIM_MAC_H

#include "sim/core/sim.h"
#include "phy/phy.h"
#include "traffic/traffic.h"
#include "energy/energy.h"

#define MAC_MAX_CE 4 /* LTE-M: up to 4 CE levels (TS 36.331 rsrp-ThresholdsPrachInfoList) */
/* NB-IoT: the anchor and up to 15 non-anchor carriers (TS 36.331
 * maxNonAnchorCarriers-NB-r14) */
#define MAC_MAX_CARRIERS 16
#define MAC_NBIOT_MAX_CE 3 /* NB-IoT: up to 3 */

enum { MAC_RAT_NBIOT = 0, MAC_RAT_LTEM = 1 };
/* How an LTE-M cell is simulated: the whole procedure event by event, or
 * only the random access as TR 37.868 evaluates it (mac/rach.c). */
enum { MAC_RA_CELL = 0, MAC_RA_TR37868 = 1 };

/* One coverage-enhancement level: its PRACH resource and its Type-2 common
 * search space. NB-IoT: NPRACH-ConfigSIB-NB and the NPDCCH; LTE-M:
 * PRACH-ParametersCE-r13 and the MPDCCH. Fields shared by both radios keep
 * their NB-IoT names here; the Lua names of the LTE-M table say what they
 * mean there (in brackets). */
typedef struct mac_ce_cfg {
    double rsrp_threshold_dbm; /* devices with RSRP >= this use this level (not the last) */
    double nprach_period_ms;   /* NB-IoT: 40 ... 2560 */
    double nprach_start_ms;    /* NB-IoT: 8 ... 1024, offset in the period */
    int subcarriers;           /* preambles per opportunity: NB 12..48 [LTE-M preambles 1..64] */
    int subcarrier_offset;     /* NB-IoT: first NPRACH subcarrier (0, 12, 24, 36, 2, 18, 34) */
    int nprach_reps;           /* repetitions per attempt 1 ... 128 [prach_reps] */
    int max_attempts;          /* maxNumPreambleAttemptCE, then the next level */
    int npdcch_rmax;           /* RA search space Rmax: NB 1 ... 2048 [mpdcch_rmax 1 ... 256] */
    double npdcch_g;           /* start-subframe factor G [mpdcch_g] */
    double npdcch_offset;      /* search-space offset 0, 1/8, 1/4, 3/8 [mpdcch_offset] */
    int rar_window_pp;         /* NB-IoT ra-ResponseWindowSize, NPDCCH periods */
    int cr_timer_pp;           /* NB-IoT mac-ContentionResolutionTimer, NPDCCH periods */
    int max_ul_reps;           /* NPUSCH / PUSCH repetitions the eNB may grant */
    int max_dl_reps;           /* NPDSCH / PDSCH repetitions */
    int ack_reps;              /* HARQ-ACK repetitions (NPUSCH format 2 / PUCCH) */
    double sync_ms;            /* resynchronisation and MIB after sleep */
    int edt_tbs;               /* EDT Msg3 TBS at this level (328 ... 1000 bits); 0: no EDT */
    /* LTE-M only */
    int prach_config_index; /* prach-ConfigurationIndex-r13 (TS 36.211 Table 5.7.1-2) */
    int rar_window_sf;      /* ra-ResponseWindowSize-r13, subframes: 20 ... 400 */
    int cr_timer_sf;        /* mac-ContentionResolutionTimer-r13, subframes: 80 ... 960 */
} mac_ce_cfg;

/* CE mode of an LTE-M level: levels 0 and 1 use CE mode A, 2 and 3 CE
 * mode B (TS 36.213 6.2: the RAR of CE levels 2 and 3 is a mode B grant). */
#define MAC_LTEM_MODE_B(ce) ((ce) >= 2)

/* Paging and wake-up signal of the cell (TS 36.304 7, TS 36.331 PCCH-Config-NB). */
typedef struct mac_paging_cfg {
    double cycle_s;       /* default paging cycle T: 1.28, 2.56, 5.12, 10.24 s */
    int nb;               /* nB index: 0 = 4T, 1 = 2T, 2 = T, 3 = T/2, ... 12 = T/1024 */
    int rmax;             /* npdcch-NumRepetitionPaging */
    int max_records;      /* paging records per paging message: 16 (TS 36.331) */
    double delay_ms;      /* S1 paging: MME to eNB */
    int max_attempts;     /* occasions tried before a command is lost */
    double wake_ms;       /* per wake-up: clock and timing re-acquisition, receiving */
    double long_sleep_s;  /* sleeps longer than this need a full resynchronisation */
    double si_validity_s; /* sleeps longer than this re-read system information */
    double si_ms;         /* LTE-M: system-information acquisition, receiving */
    /* NB-IoT SI messages carrying SIB2-NB and SIB3-NB (TS 36.331
     * SchedulingInfo-NB): transport block, periodicity, repetition pattern
     * inside the 160 ms window */
    int si_tbs;
    double si_period_ms;
    int si_repetition_rf;
    int si_messages;
    /* WUS (Rel-15) */
    double wus_factor;      /* maxDurationFactor: L_max = factor x rmax subframes */
    double wus_offset_ms;   /* timeOffsetDRX (or -eDRX-Short): WUS end to occasion */
    double wus_snr_db;      /* one-subframe WUS SNR for 99 % detection */
    double wus_false_alarm; /* probability a device detects a WUS that was not sent */
    /* Group WUS (Rel-16, TS 36.331 GWUS-Config-NB-r16 / GWUS-Config-r16) */
    int gwus_groups;       /* WUS groups per resource: 1, 2, 4, 8; 0: no group WUS (Rel-15) */
    int gwus_resources;    /* WUS resources: NB-IoT 1, 2; LTE-M 1 ... 4 */
    int gwus_common_above; /* the common WUS when more groups are paged at an occasion; 0: never */
} mac_paging_cfg;

/* What the network grants of the devices' requests (TS 24.301 5.3.11-13). */
typedef struct mac_network_cfg {
    double t3324_max_s; /* active time granted at most */
    double t3412_min_s; /* periodic TAU granted at least */
    int edrx_allowed;   /* 0: eDRX requests are refused (DRX instead) */
    double buffer_s;    /* downlink data for a device in PSM is kept this long */
} mac_network_cfg;

/* A firmware update campaign (mac/campaign.c): an image delivered to the
 * devices of some groups, by unicast (each device fetches it over its own
 * connection: NPDSCH/PDSCH blocks with HARQ) or by SC-PTM multicast
 * (Rel-14, TS 36.331 5.8a: SC-MCCH then SC-MTCH at the repetitions the
 * worst covered receiver needs), with the device's secure-update cost
 * (signature verification, hashing, flash write) on its MCU. */
enum { MAC_FOTA_NONE = 0, MAC_FOTA_UNICAST = 1, MAC_FOTA_MULTICAST = 2 };
enum { MAC_FOTA_PAGE = 0, MAC_FOTA_NEXT_CONNECTION = 1 }; /* unicast trigger */
#define MAC_FOTA_GROUPS_LEN 256
#define MAC_FOTA_CURVE_N    20 /* share updated at 20 instants (mac_cell_stats) */
typedef struct mac_campaign_cfg {
    int mode;                         /* MAC_FOTA_* */
    double image_bytes;               /* the signed image, bytes */
    double start_s;                   /* the campaign starts (the server has the image) */
    char groups[MAC_FOTA_GROUPS_LEN]; /* comma-separated group names; "": every group */
    /* unicast */
    int trigger;         /* MAC_FOTA_PAGE: paged (DRX/eDRX) or next connection (PSM) */
    double spread_s;     /* triggers spread uniformly over [start_s, start_s + spread_s) */
    int max_block_tries; /* RLC ARQ: a block HARQ gave up on is sent again, at most this often */
    int max_parallel;    /* the server triggers at most this many targets at a time (0: all) */
    /* multicast (SC-PTM) */
    int per_level;   /* one session per CE level, else one at the worst receiver's */
    int sessions;    /* rounds at most: a round again for the targets a round missed */
    double repeat_s; /* between rounds */
    double lead_s;   /* announcement to session: SC-MCCH change notification */
    int mcch_reps;   /* npdcch-NumRepetitions-SC-MCCH-r14 (1 ... 2048; 0: the level's) */
    int mtch_reps;   /* npdcch-NumRepetitions-SC-MTCH-r14 (1 ... 2048; 0: the level's) */
    int mcch_bytes;  /* SCPTMConfiguration-NB message */
    int repair;      /* blocks a receiver missed: fetched by unicast afterwards */
    /* the device's secure update (host MCU) */
    double verify_s;       /* signature verification (ECDSA P-256), s */
    double hash_s_per_kb;  /* SHA-256 per KiB hashed, s */
    double flash_s_per_kb; /* flash erase + write per KiB, s */
    double mcu_mw;         /* MCU draw while verifying, hashing and writing, mW */
} mac_campaign_cfg;

/* The defaults (mac/campaign.c: their sources). */
void mac_campaign_default(mac_campaign_cfg *k);
/* The group name at p in a comma-separated list (spaces trimmed): its
 * start, *len its length; NULL at the end. The next one follows the next
 * comma after the start. */
const char *mac_campaign_group_next(const char *p, size_t *len);

/* ---- LTE contention-based random access as TR 37.868 evaluates it ---- */
#define MAC_RACH_NBINS       64 /* contenders per opportunity tracked for closed-form checks */
#define MAC_RACH_CDF_N       51 /* access-delay CDF points, every MAC_RACH_CDF_STEP_MS */
#define MAC_RACH_CDF_STEP_MS 10

typedef struct mac_rach_cfg {
    int prach_config_index; /* TS 36.211 Table 5.7.1-2; TR 37.868: 6 */
    int preambles;          /* contention preambles; TR 37.868: 54 */
    int max_preamble_tx;    /* preambleTransMax; TR 37.868: 10 */
    int backoff_ms;         /* backoff indicator value; TR 37.868: 20 */
    int rar_window_sf;      /* ra-ResponseWindowSize; TR 37.868: 5 */
    int rar_grants_per_sf;  /* uplink grants per RAR subframe; TR 37.868: 3 */
    int rar_processing_sf;  /* preamble end -> earliest RAR; TR 37.868: 2 */
    int msg3_delay_sf;      /* RAR -> Msg3, TS 36.213 6.1.1 k1 >= 6: 6 */
    int msg4_delay_sf;      /* Msg3 -> Msg4 (eNB decoding); 4 (assumption) */
    int harq_rtt_sf;        /* between HARQ transmissions, LTE FDD: 8 */
    int harq_max_tx;        /* Msg3 / Msg4 transmissions; TR 37.868: 5 */
    double harq_error;      /* per transmission; TR 37.868: 0.1 */
    int cr_timer_sf;        /* mac-ContentionResolutionTimer; TR 37.868: 48 */
    int detect_always;      /* 0: detection 1 - e^-i (TR 37.868); 1: always */
    int collided_detected;  /* 0: collided preambles are lost (TR 37.868
                               evaluation); 1: detected, their Msg3s collide */
} mac_rach_cfg;

/* Connected-mode DRX (TS 36.321 5.7; TS 36.331 DRX-Config-NB-r13 for
 * NB-IoT, DRX-Config with its v1130/v1310 extensions for LTE-M). Timers
 * in the radio's unit: NB-IoT PDCCH periods (pp: the device's NPDCCH
 * search-space period), LTE-M PDCCH subframes (psf: every subframe in
 * FDD). */
typedef struct mac_cdrx_cfg {
    int enabled;
    int on_duration;       /* onDurationTimer */
    int inactivity;        /* drx-InactivityTimer */
    int retransmission;    /* drx-RetransmissionTimer (after a failed downlink block) */
    int ul_retransmission; /* drx-ULRetransmissionTimer (after every uplink block) */
    int cycle_sf;          /* drx-Cycle (NB-IoT) / longDRX-Cycle (LTE-M), subframes */
    int start_offset;      /* drxStartOffset in subframes, below the cycle (NB-IoT's RRC
                              field drx-StartOffset-r13 is 0..255: its scaling unconfirmed) */
} mac_cdrx_cfg;

/* NB-IoT non-anchor carriers (Rel-14: TS 36.331 SIB22-NB dl-ConfigList-r14
 * and ul-ConfigList-r14 with nprach-ParametersList-r14, pcch-Config-r14;
 * TS 36.321 5.1.1 and TS 36.304 7.1 for the devices' choices). */
enum { MAC_CAR_DATA_NPRACH = 0, MAC_CAR_DATA_BALANCED = 1 };
typedef struct mac_carrier_cfg {
    int non_anchor;            /* carriers besides the anchor: 0 ... 15 */
    int nprach;                /* they carry NPRACH (the anchor's resources per CE level) */
    double nprach_prob_anchor; /* nprach-ProbabilityAnchor: 0, 1/16 ... 1/2; -1: 1/(carriers) */
    int paging;                /* they carry paging (their own paging messages) */
    int paging_weight_anchor;  /* pagingWeightAnchor-r14: 0 (none) ... 16 */
    int paging_weight;         /* pagingWeight-r14 of each non-anchor carrier: 1 ... 16 */
    int data;                  /* connection carrier: MAC_CAR_DATA_* */
} mac_carrier_cfg;
/* The network's side of preconfigured uplink resources (Rel-16 PUR, TS
 * 36.331 PUR-Config-NB-r16 / PUR-Config-r16, TS 36.321 5.24): whether the
 * eNB configures PUR for devices that request it, and the values it puts
 * in the configuration it gives in RRCConnectionRelease (or
 * RRCEarlyDataComplete). */
typedef struct mac_pur_net_cfg {
    int enabled;
    int ta_timer;            /* pur-TimeAlignmentTimer 1..8, in PUR periods; 0: not configured */
    int ta_update;           /* the response carries a TA command: the timer and RSRP reference
                                restart (assumption) */
    double rsrp_increase_db; /* pur-RSRP-ChangeThreshold increaseThresh: 4 ... 34; 0: none */
    double rsrp_decrease_db; /* decreaseThresh; 0: as increaseThresh (field absent) */
    int implicit_release;    /* pur-ImplicitReleaseAfter: 2, 4, 8 skipped occasions; 0: none */
    int response_window_pp; /* NB-IoT pur-ResponseWindowTimer: 1, 2, 3, 4, 8 ... 64 PDCCH periods */
    int response_window_sf; /* LTE-M pur-ResponseWindowTimer: 240 ... 10240 subframes */
    int spacing;            /* NB-IoT: the resource's subcarrier spacing, MAC_PUR_SCS_* */
} mac_pur_net_cfg;
/* NB-IoT PUR grant: either spacing (the least tone-time, as every grant of
 * the cell), or 15 kHz only (single or multi-tone), or 3.75 kHz only */
enum { MAC_PUR_SCS_ANY = 0, MAC_PUR_SCS_15K = 1, MAC_PUR_SCS_3K75 = 2 };

/* The cell (Lua `cell`). */
typedef struct mac_radio_cfg {
    int rat; /* MAC_RAT_NBIOT or MAC_RAT_LTEM */
    int n_ce;
    mac_ce_cfg ce[MAC_MAX_CE];
    int nprach_format;          /* 0 (66.7 us CP) or 1 (266.7 us CP) */
    int preamble_trans_max;     /* preambleTransMax-CE */
    double preamble_target_dbm; /* preambleInitialReceivedTargetPower (CE level 0) */
    double ramp_step_db;        /* powerRampingStep */
    double mcl_db;              /* maximum coupling loss the last level is planned for ... */
    double mcl_tx_dbm;          /* ... computed with this device power, */
    double mcl_enb_nf_db;       /* this eNB noise figure */
    int mcl_rx_antennas;        /* and this many eNB receive antennas */
    double p_max_dbm;  /* P-Max (TS 36.331 SIB1, P_EMAX): the cell's cap on device output */
    double backoff_ms; /* backoff indicator value (TS 36.321 Table 7.2-2) */
    int capture;       /* a collided Msg3 is decoded if the strongest wins by margin */
    double capture_margin_db;
    int harq_max_tx;         /* transmissions of one transport block */
    double inactivity_s;     /* release after this long without data (no RAI) */
    int sib1_reps;           /* SIB1-NB repetitions: 4, 8, 16 */
    int sib1_tbs;            /* SIB1-NB transport block: 208, 328, 440, 680 bits */
    int pci;                 /* physical cell id */
    double rsrp_error_sd_db; /* CE-level choice: RSRP measurement error */
    int user_plane;          /* 0: control-plane CIoT optimisation (data over NAS) */
    /* message sizes, bytes (Msg3 in bits) */
    int msg3_bits;
    int msg4_bytes;
    int cp_overhead_bytes;    /* RRC + NAS around the data in Msg5 (CP) */
    int l2_overhead_bytes;    /* PDCP + RLC + MAC */
    int setup_complete_bytes; /* UP Msg5 */
    int smc_bytes, smc_complete_bytes, reconf_bytes, reconf_complete_bytes; /* UP */
    int dl_ack_bytes; /* application acknowledgement down; 0: none */
    int release_bytes;
    int edt;                   /* early data transmission (Rel-15) allowed */
    int edt_overhead_bytes;    /* RRCEarlyDataRequest + NAS around the data in Msg3 */
    int edt_small_tbs;         /* edt-SmallTBS-Enabled: the smallest EDT TBS that fits */
    int edt_up_overhead_bytes; /* user plane: resume request, MAC-I and L2 headers in Msg3 */
    phy_link_cfg link;
    mac_paging_cfg paging;
    mac_network_cfg network;
    mac_cdrx_cfg cdrx;
    mac_carrier_cfg carriers; /* NB-IoT non-anchor carriers */
    mac_pur_net_cfg pur;
    int simulate_occasions;  /* validation: every paging occasion an event, not counted */
    int layout_sites;        /* 0: one cell; 1, 7, 19: hexagonal layout of 3-sector sites */
    int interference_passes; /* layout: 1 without, 2 with the uplink interference rise */
    /* latency percentiles exact up to this many delivered reports per
     * device of a cell on average, then from 1 % bins (latlog.c); 0: bins */
    int latency_exact_per_device;
    /* LTE-M */
    int ul_narrowbands;        /* uplink narrowbands of 6 PRBs for PUSCH (1 ... 8) */
    int dl_narrowbands;        /* downlink narrowbands for MPDCCH and PDSCH (1 ... 8) */
    int hd_guard_sf;           /* half-duplex FDD guard subframes at a DL <-> UL switch */
    double rx_bw_factor;       /* receive draw on LTE-M relative to the module's rx_mw */
    int ra_model;              /* MAC_RA_CELL or MAC_RA_TR37868 (access only) */
    mac_rach_cfg rach;         /* MAC_RA_TR37868: the evaluation's parameters */
    mac_campaign_cfg campaign; /* `campaign` (a top-level table of the scenario) */
} mac_radio_cfg;

/* NB-IoT defaults (every field). */
void mac_radio_cfg_default(mac_radio_cfg *r);
/* LTE-M defaults: the NB-IoT ones with the LTE-M CE levels, link,
 * backoff, paging and message values (mac/config_ltem.c). */
void mac_radio_cfg_default_ltem(mac_radio_cfg *r);
/* Cross-field checks (NPRACH fits its period, thresholds decrease, ...). On
 * failure: field relative to `cell` (e.g. "ce_levels[2].nprach_reps") and
 * reason, returns -1. */
int mac_radio_cfg_check(const mac_radio_cfg *r, char *field, size_t field_len, char *why,
                        size_t why_len);

/* The cell's link budget (mac/budget.c). planned_db: the MCL moved into
 * this link's device power, eNB noise figure and receive antennas (the
 * coupling loss the last level's grants are sized for); edge_db: the
 * largest coupling loss at which a device of the link's power class still
 * reaches the last level (preamble, Msg3 and DCI), `limit` the channel that
 * ends it; level_edge_db[k]: where level k ends by its RSRP threshold
 * (k < n_ce - 1). */
typedef struct mac_budget {
    double planned_db, edge_db;
    const char *limit;
    double level_edge_db[MAC_MAX_CE];
} mac_budget;
int mac_budget_of(const mac_radio_cfg *r, mac_budget *b);
/* The same for a device of another power class (tx_max_dbm before P-Max):
 * edge_db is that device's coverage edge; the plan stays the cell's. */
int mac_budget_at(const mac_radio_cfg *r, double class_dbm, mac_budget *b);
double mac_planned_edge_db(const mac_radio_cfg *r);
/* P_CMAX of a device of power class class_dbm in this cell (TS 36.101
 * 6.2.5F, 6.2.5EA: min(P_EMAX, P_PowerClass); MPR is 0 dB for the single
 * tone and QPSK allocations modelled). */
double mac_pcmax_dbm(const mac_radio_cfg *r, double class_dbm);

/* A device's idle-mode requests (Lua `devices[i].idle`). */
typedef struct mac_idle_cfg {
    double drx_cycle_s;   /* UE-specific DRX request; 0: the cell's default */
    double edrx_cycle_s;  /* 0: no eDRX; 20.48 x 2^k s */
    double ptw_s;         /* paging time window: 2.56 x (n + 1) s */
    int psm;              /* request PSM */
    double t3324_s;       /* requested active time */
    double t3412_s;       /* requested periodic TAU */
    int wus;              /* WUS capable */
    int gwus;             /* group WUS capable (Rel-16; needs wus) */
    int tau_bytes;        /* TAU request (uplink), bytes */
    int tau_accept_bytes; /* TAU accept (downlink), bytes */
    /* Out of coverage (no CE level reachable): the device keeps searching
     * for a cell, receiver on for search_scan_s, then sleeps a back-off that
     * doubles from search_backoff_s up to search_backoff_max_s. */
    double search_scan_s;
    double search_backoff_s;
    double search_backoff_max_s;
} mac_idle_cfg;

/* Network-triggered traffic (TR 45.820 network command). */
typedef struct mac_downlink_cfg {
    traffic_cfg traffic; /* arrivals and command sizes; kind none by default */
    int answer_bytes;    /* uplink answer to each command; 0: none */
} mac_downlink_cfg;

/* A group's request for preconfigured uplink resources (Rel-16 PUR, TS
 * 36.300 7.3d.2 PURConfigurationRequest): periodicity, occasions, the
 * resource's transport block, and how the devices' serving-cell RSRP moves
 * between occasions (an assumption: no measurement in the literature). */
enum { MAC_PUR_INFINITE = 0, MAC_PUR_ONE = 1 };
typedef struct mac_pur_cfg {
    int enabled;
    double periodicity_s;     /* 8 ... 8192 hyperframes of 10.24 s: 81.92 x 2^k s */
    int occasions;            /* pur-NumOccasions: MAC_PUR_INFINITE or MAC_PUR_ONE */
    int tbs_bits;             /* the resource's transport block */
    double rsrp_change_sd_db; /* RSRP at an occasion minus the stored reference: normal, this sd */
} mac_pur_cfg;

/* The application protocol stack of a group (scenarios/lib/stacks.lua):
 * bytes above NAS/PDCP, and exchanges besides the report itself. */
#define MAC_MAX_XCHG 12
typedef struct mac_xchg {
    int dir; /* 0: uplink, 1: downlink */
    int bytes;
} mac_xchg;

typedef struct mac_stack_cfg {
    char name[32];
    int ul_overhead_bytes; /* headers added to every report */
    int answer_bytes;      /* the answer down per report; -1: the cell's dl_ack_bytes */
    int n_session;
    mac_xchg session[MAC_MAX_XCHG]; /* (re)establishing a session before a report */
    int session_every;              /* 0: before the first report only; k: every k-th */
    int n_per_report;
    mac_xchg per_report[MAC_MAX_XCHG]; /* after each report's data and answer */
} mac_stack_cfg;

/* One group of identical devices (a row of the scenario's `devices`). */
typedef struct mac_group_cfg {
    char name[64];
    uint32_t count;
    traffic_cfg traffic;
    phy_coverage_cfg coverage;
    energy_profile module;
    energy_battery battery;
    mac_idle_cfg idle;
    mac_downlink_cfg downlink;
    uint32_t max_pending; /* device buffer: reports beyond it are dropped */
    int rai;              /* release assistance: release once the buffer is empty */
    int answer;           /* the application expects its acknowledgement down */
    int edt;              /* EDT capable (Rel-15); used where the cell allows EDT */
    mac_stack_cfg stack;
    double tx_max_dbm; /* power class (TS 36.101 Table 6.2.2F-1, 6.2.2EA-1): 23, 20 or 14 dBm */
    mac_pur_cfg pur;   /* PUR requested (Rel-16); used where cell.pur enables it */
} mac_group_cfg;

void mac_group_cfg_default(mac_group_cfg *g);
/* Fills the defaults that follow other fields (cdrx_mw: idle_mw). */
void mac_group_cfg_resolve(mac_group_cfg *g);
/* Value sets of the idle requests; on failure the field name and reason. */
int mac_idle_cfg_check(const mac_idle_cfg *i, int rat, const char **field, char *why, size_t wlen);
/* Value sets of a group's PUR request (TS 36.331 PUR-Config-NB-r16) for
 * radio rat; on failure the field name and reason. */
int mac_pur_cfg_check(const mac_pur_cfg *p, int rat, const char **field, char *why, size_t wlen);

/* What the network grants a group's idle-mode requests: the paging cycle
 * the device uses (TS 36.304 7.1: min(UE-specific DRX, default cycle)),
 * T3324 capped by the network and rounded up to a GPRS timer 2 value and
 * T3412 floored by the network and rounded up to a GPRS timer 3 value
 * (TS 24.008 10.5.7.4a, 10.5.7.3), eDRX only when the network allows it,
 * with its PTW. */
typedef struct mac_idle_grant {
    double drx_cycle_s;
    double t3324_s; /* -1: no PSM requested */
    double t3412_s;
    double edrx_cycle_s; /* 0: no eDRX */
    double ptw_s;        /* 0 without eDRX */
} mac_idle_grant;
void mac_idle_grant_of(const mac_radio_cfg *r, const mac_idle_cfg *ic, mac_idle_grant *g);

typedef struct mac_cell_cfg {
    const mac_radio_cfg *radio;
    const mac_group_cfg *groups;
    uint32_t n_groups;
    sim_time_t duration; /* simulated interval [0, duration) */
    uint64_t seed;
    uint32_t replication;
    uint32_t cell;
    /* Optional (multi-cell layouts): the cell's devices given explicitly,
     * group and coupling loss each; otherwise every group's count of
     * devices is created with coupling losses drawn from its coverage. */
    uint32_t n_dev;
    const uint16_t *dev_group;
    const float *dev_cl;
    /* Optional: the cell's time series in bins of ts_bin us (0: none). */
    sim_time_t ts_bin;
    /* Optional: a per-event trace of some devices (NULL: none). */
    const struct mac_trace_cfg *trace;
} mac_cell_cfg;

/* RNG purposes (the `purpose` word of sim_rng_key). */
enum {
    MAC_RNG_TRAFFIC = 1,
    MAC_RNG_PAYLOAD = 2,
    MAC_RNG_COVERAGE = 3,
    MAC_RNG_ACCESS = 4, /* CE measurement, subcarrier, backoff, detection */
    MAC_RNG_LINK = 5,   /* decoding outcomes */
};

/* Per-device results, filled by mac_cell_finish. */
typedef struct mac_device_stats {
    uint32_t group;
    uint8_t ce_level; /* from RSRP (3 = out of coverage) */
    float coupling_loss_db;
    float rsrp_dbm;
    float ul_snr_db; /* single tone 15 kHz at full power */
    float dl_snr_db;
    uint32_t reports_generated;
    uint32_t reports_delivered;
    uint32_t reports_dropped; /* buffer full */
    uint32_t reports_failed;  /* access or transfer failed */
    uint32_t reports_pending; /* generated, not finished at the end */
    uint64_t bytes_delivered;
    uint32_t preambles;   /* NPRACH transmissions */
    uint32_t collisions;  /* attempts whose preamble collided */
    uint32_t ra_failures; /* random-access procedures that failed */
    uint32_t ce_escalations;
    uint8_t out_of_coverage; /* no CE level reachable: searched for a cell all along */
    uint32_t cell_searches;  /* cell searches made (out of coverage only) */
    uint32_t si_reads;       /* system information read again after it expired */
    uint32_t edt_reports;    /* reports sent in Msg3 (EDT) */
    uint32_t edt_fallbacks;  /* EDT attempts the network answered with a connection */
    /* PUR (Rel-16): reports delivered on the preconfigured resource,
     * transmissions (retransmissions included), fallbacks to random access
     * (or EDT), of which for an invalid TA (RSRP change or TA timer),
     * occasions skipped, implicit releases */
    uint32_t pur_reports, pur_transmissions, pur_fallbacks, pur_ta_invalid, pur_skipped,
        pur_releases;
    uint32_t harq_retx;      /* retransmissions, up and down */
    double npusch_reps_mean; /* over data transport blocks */
    uint32_t occasions;      /* paging occasions monitored (NPDCCH) */
    uint32_t wus_monitored;  /* WUS occasions monitored */
    uint32_t false_pages;    /* occasions with a page for others it woke for or read */
    uint8_t paging_carrier;  /* carrier it is paged on (0: anchor) */
    uint8_t carrier;         /* carrier of its last connection (0: anchor) */
    uint32_t pages;          /* paging messages received for it */
    uint32_t taus;           /* periodic tracking-area updates done */
    uint32_t dl_generated, dl_delivered, dl_lost, dl_pending; /* network commands */
    double dl_latency_ms_mean, dl_latency_ms_p50, dl_latency_ms_p95, dl_latency_ms_max;
    double latency_ms_mean; /* NAN when nothing was delivered */
    double latency_ms_p50;
    double latency_ms_p95;
    double latency_ms_max;
    energy_account energy;               /* closed at the end of the run */
    double energy_j[ENERGY_STATE_COUNT]; /* per state (energy_state_j) */
    double avg_power_mw;
    double battery_life_years;
    /* firmware update campaign (campaign.c): 0 not a target, 1 updated, 2
     * failed, 3 pending at the end */
    uint8_t fota_status;
    double fota_done_s;          /* image verified and written, s since the start (NaN: not) */
    double fota_radio_j;         /* radio energy charged to the fota procedure, J */
    double fota_mcu_j;           /* verification, hashing, flash write on the MCU, J */
    uint32_t fota_blocks_missed; /* multicast: blocks lost in sessions (repaired by unicast) */
} mac_device_stats;

/* Per CE level of a cell. */
typedef struct mac_ce_stats {
    uint64_t opportunities; /* NPRACH opportunities in the simulated time */
    uint64_t preambles;
    uint64_t collided;           /* preambles sharing a subcarrier with another */
    uint64_t collided_preambles; /* (opportunity, preamble) pairs chosen by >= 2 devices */
    uint64_t detected;           /* distinct preambles the eNB detected */
    uint64_t successes;          /* random-access procedures completed at this level */
    uint64_t failures;           /* procedures given up at this level */
    uint64_t rar_pdus;           /* RAR MAC PDUs sent (as many RARs as one block holds) */
    uint64_t rar_missed;         /* detected preambles left without a RAR in the window (no room) */
    uint64_t edt_tbs; /* EDT TBS offered at the level: the largest of edt_tbs and below whose Msg3
                         the level's edge can send (0: no EDT) */
} mac_ce_stats;

typedef struct mac_cell_stats {
    uint32_t devices;
    uint64_t events;    /* dispatched by the cell's engine, every pass of a layout */
    int latency_binned; /* latency summaries from 1 % bins (+-0.5 %), not exact */
    uint32_t out_of_coverage;
    uint64_t reports_generated;
    uint64_t reports_delivered;
    uint64_t reports_dropped;
    uint64_t reports_failed;
    uint64_t reports_pending;
    uint64_t edt_reports;   /* reports sent in Msg3 (EDT) */
    uint64_t edt_fallbacks; /* EDT attempts the network answered with a connection */
    /* PUR: the devices' counts (mac_device_stats) summed, and the share of
     * the uplink data resource x time its occasions reserved, used or not
     * (as ul_util, which includes it) */
    uint64_t pur_reports, pur_transmissions, pur_fallbacks, pur_ta_invalid, pur_skipped,
        pur_releases;
    double pur_ul_util;
    uint64_t bytes_delivered;
    double latency_ms_mean;
    double latency_ms_p50;
    double latency_ms_p95;
    double latency_ms_max;
    double energy_j;
    mac_ce_stats ce[MAC_MAX_CE];
    double dl_busy_s; /* NPDCCH + NPDSCH occupancy (LTE-M: per narrowband) */
    uint64_t dl_generated, dl_delivered, dl_lost;
    double dl_latency_ms_mean, dl_latency_ms_p95;
    uint64_t paging_records;   /* records sent in paging messages */
    uint64_t paged_occasions;  /* occasions with at least one record */
    uint64_t paging_deferrals; /* records moved on because a message was full */
    uint64_t paging_failures;  /* commands lost after max_attempts missed pages */
    uint64_t wus_sent;
    uint64_t false_pages; /* device occasions woken or read for others' pages */
    /* per carrier (0: the anchor; NB-IoT non-anchor carriers after it) */
    uint32_t carriers;
    struct mac_carrier_stats {
        double dl_util, ul_util; /* reserved share of [0, duration) */
        uint64_t preambles, collided, paging_records, connections;
    } car[MAC_MAX_CARRIERS];
    double ul_busy_tone_s; /* NB-IoT: NPUSCH occupancy in 15 kHz tone-seconds */
    double ul_util;        /* share of the uplink data resource x time reserved */
    /* Random access in TR 37.868's terms, all CE levels together */
    uint64_t ra_successes, ra_failures;
    double ra_collision_prob; /* collided (opportunity, preamble) pairs / (opportunities x
                                 preambles) */
    double ra_success_prob;   /* successes / (successes + failures) */
    double ra_mean_tx;        /* preamble transmissions per successful access */
    double ra_delay_ms_mean;  /* first preamble to Msg4, successful accesses */
    double ra_delay_ms_p95;   /* NaN in the event model (a 10 ms histogram is kept) */
    /* share of accesses that succeeded within k x MAC_RACH_CDF_STEP_MS ms */
    double ra_delay_cdf[MAC_RACH_CDF_N];
    /* firmware update campaign (campaign.c) */
    uint32_t fota_targets, fota_updated, fota_failed, fota_pending;
    double fota_done_s_p50, fota_done_s_p90, fota_done_s_max; /* since start_s, updated ones */
    double fota_curve_t_s[MAC_FOTA_CURVE_N];   /* since start_s, to the last completion */
    double fota_curve_share[MAC_FOTA_CURVE_N]; /* of the targets updated by then */
    double fota_dl_s; /* downlink (NPDCCH + NPDSCH) time the image took, s */
    double fota_radio_j_mean, fota_radio_j_p95, fota_mcu_j_mean;
    uint32_t fota_sessions; /* multicast sessions sent (rounds x levels) */
    /* latency of the reports generated before start_s (all devices), and
     * from start_s until the last target finished: of the devices not
     * targeted (the cell's other traffic) and of the targets */
    double fota_lat_before_ms_mean, fota_lat_before_ms_p95;
    double fota_lat_during_ms_mean, fota_lat_during_ms_p95;
    uint64_t fota_lat_during_n;
    double fota_lat_targets_ms_mean, fota_lat_targets_ms_p95;
} mac_cell_stats;

/* A cell's time series (mac_cell_cfg.ts_bin): counts per bin, in the
 * order of these indexes (level k of a per-level count at index + k), and
 * per-bin integrals. mac_ts_counter_info names each count. */
enum {
    MAC_TS_CE_PREAMBLES = 0,
    MAC_TS_CE_COLLIDED = MAC_MAX_CE,
    MAC_TS_CE_DETECTED = 2 * MAC_MAX_CE,
    MAC_TS_CE_SUCCESSES = 3 * MAC_MAX_CE,
    MAC_TS_CE_FAILURES = 4 * MAC_MAX_CE,
    MAC_TS_MSG3_FAILURES = 5 * MAC_MAX_CE,
    MAC_TS_MSG4_FAILURES,
    MAC_TS_REPORTS_GENERATED,
    MAC_TS_REPORTS_DELIVERED,
    MAC_TS_REPORTS_DROPPED,
    MAC_TS_REPORTS_FAILED,
    MAC_TS_PAGING_RECORDS,
    MAC_TS_PAGING_DEFERRALS,
    MAC_TS_COUNTERS
};

typedef struct mac_tseries {
    sim_time_t bin;    /* bin length, us (the last bin ends at the duration) */
    uint32_t n;        /* bins */
    uint32_t *count;   /* [n][MAC_TS_COUNTERS] */
    double *ul_busy;   /* [n] share of the uplink data resource x time reserved */
    double *dl_busy;   /* [n] share of the downlink (per narrowband, LTE-M) reserved */
    double *connected; /* [n] devices in RRC connected, mean over the bin */
    double *energy_j;  /* [n] energy the cell's devices drew in the bin */
} mac_tseries;

/* Name ("ce0_preambles", "msg3_failures" ...) and doc of count k; 0, or
 * -1 if there is no count k. */
int mac_ts_counter_info(int k, char *name, size_t n, const char **doc);

/* A per-event trace (mac/trace.c): the events that changed something of
 * the chosen devices inside [from, to), at most max_rows per cell; then
 * tracing stops and the rows left out are counted (mac_trace.dropped). */
#define MAC_TRACE_MAX_DEVICES 256
#define MAC_TRACE_MAX_CELLS   64
typedef struct mac_trace_cfg {
    uint32_t n_devices;                      /* 0: every device of a traced cell */
    uint32_t devices[MAC_TRACE_MAX_DEVICES]; /* 1-based within the cell, as /devices */
    uint32_t n_cells;                        /* 0: every cell */
    uint32_t cells[MAC_TRACE_MAX_CELLS];     /* 0-based, as /cells */
    sim_time_t from, to;
    uint32_t max_rows;
} mac_trace_cfg;

/* What changed at a traced event (mac_trace_row.what), in this order of
 * names (mac_trace_what_name). */
enum {
    MAC_TR_GENERATED = 0,
    MAC_TR_DELIVERED,
    MAC_TR_DROPPED,
    MAC_TR_FAILED,
    MAC_TR_PREAMBLE,
    MAC_TR_COLLIDED,
    MAC_TR_ACCESS_FAILED,
    MAC_TR_CE_LEVEL,
    MAC_TR_EDT,
    MAC_TR_HARQ_RETX,
    MAC_TR_CONNECTED,
    MAC_TR_RELEASED,
    MAC_TR_PAGED,
    MAC_TR_OCCASION,
    MAC_TR_TAU,
    MAC_TR_COMMAND,
    MAC_TR_COMMAND_DONE,
    MAC_TR_COMMAND_LOST,
    MAC_TR_SI_READ,
    MAC_TR_N
};
typedef struct mac_trace_row {
    sim_time_t t;
    uint32_t device; /* 0-based index in the cell */
    uint32_t what;   /* bit k: MAC_TR_k happened */
    uint32_t pending;
    uint8_t event, state, power_state, procedure, ce_level;
    double energy_j; /* booked up to the event */
} mac_trace_row;
typedef struct mac_trace {
    mac_trace_row *rows;
    uint32_t n, cap;
    uint64_t dropped; /* rows past max_rows */
} mac_trace;
const char *mac_trace_what_name(int k);
const char *mac_event_name(int type);
const char *mac_state_name(int state);

typedef struct mac_cell mac_cell;

mac_cell *mac_cell_create(const mac_cell_cfg *cfg, sim_engine *e, sim_error *err);
void mac_cell_destroy(mac_cell *c);
/* Frees what only the simulation needs (devices, timelines, logs, memos),
 * keeping the results of mac_cell_finish (and mac_cell_rach_study): the
 * stats and group energy accessors below stay valid; nothing else does. */
void mac_cell_release(mac_cell *c);
/* Frees the per-device results too (mac_cell_device_stats then gives
 * none); the cell stats and group energy stay. For results written out
 * as each cell finishes. */
void mac_cell_drop_devices(mac_cell *c);
/* A finished cell's results (stats, device stats, group energy) and its
 * memory figure as bytes (mac/cell_pack.c), and back: the unpacked cell
 * answers the stats and group energy accessors only. */
size_t mac_cell_pack_size(const mac_cell *c);
void mac_cell_pack(const mac_cell *c, size_t bytes, void *buf);
mac_cell *mac_cell_unpack(const void *buf, size_t n, size_t *bytes, sim_error *err);
int mac_cell_finish(mac_cell *c, sim_error *err);
const mac_device_stats *mac_cell_device_stats(const mac_cell *c, uint32_t *n);
const mac_cell_stats *mac_cell_stats_get(const mac_cell *c);
/* Per group of the configuration (n_groups of them): time and energy of
 * the cell's devices by procedure x power state, booked as they happened
 * (closed with the devices by mac_cell_finish). */
const energy_matrix *mac_cell_group_energy(const mac_cell *c, uint32_t *n_groups);
/* The finished cell's time series; NULL without one (or once dropped). */
const mac_tseries *mac_cell_tseries(const mac_cell *c);
/* The cell's trace; NULL if it traced nothing (or once dropped). */
const mac_trace *mac_cell_trace(const mac_cell *c);
size_t mac_cell_bytes(const mac_cell *c);

/* ---------------------------------------------------------- a replication */

/* A layout's cells spread over processes (MPI ranks): cell k runs on rank
 * k % size, the ranks exchange each device's radiated power between the
 * interference passes and send their cells' final results to rank 0 as
 * they finish, which gets every cell (and calls cell_done for each, in
 * cell order).
 * The library never links MPI: the program supplies the exchange. */
typedef struct mac_run_dist {
    int rank, size;
    void *ctx;
    /* every rank's v[0..n) summed element by element into every rank's v
     * (collective; each value is nonzero on one rank only, so exact) */
    int (*sum)(void *ctx, double *v, size_t n, sim_error *err);
    /* rank > 0: cell `cell`'s packed results to rank 0 */
    int (*send)(void *ctx, uint32_t cell, const void *buf, size_t n, sim_error *err);
    /* rank 0: cell `cell`'s packed results from rank `from` (malloc'd;
     * freed by the caller); waits for them */
    int (*recv)(void *ctx, int from, uint32_t cell, void **buf, size_t *n, sim_error *err);
    /* rank 0: whether they have arrived (recv would not wait) */
    int (*ready)(void *ctx, int from, uint32_t cell);
} mac_run_dist;

typedef struct mac_run_cfg {
    const mac_radio_cfg *radio;
    const mac_group_cfg *groups;
    uint32_t n_groups;
    sim_time_t duration;
    uint64_t seed;
    uint32_t replication;
    sim_queue_kind queue;
    /* share of the replication done (0..1); nonzero return stops */
    int (*progress)(void *ctx, double done, uint64_t events);
    void *progress_ctx;
    /* Optional: called once per cell as soon as its final results are in
     * mac_run.cells[cell] (last pass; its rise in mac_run.iot_db), from
     * whichever thread ran the cell (cells of a layout may finish in any
     * order and at the same time); a nonzero return fails the replication.
     * The callee may mac_cell_drop_devices the cell. */
    int (*cell_done)(void *ctx, uint32_t cell, sim_error *err);
    void *cell_done_ctx;
    /* Optional (layouts): the cells spread over processes. Every rank calls
     * mac_run_all with the same configuration, outside any OpenMP parallel
     * region (the exchange happens on the calling thread); the cells of a
     * pass then run on `threads` threads. On ranks > 0, mac_run.cells are
     * NULL afterwards (their results went to rank 0). */
    const mac_run_dist *dist;
    int threads;
    /* Optional: each cell's time series (of the last pass) in bins of
     * ts_bin us (0: none). */
    sim_time_t ts_bin;
    /* Optional: the per-event trace (of the last pass; NULL: none). */
    const mac_trace_cfg *trace;
} mac_run_cfg;

typedef struct mac_run {
    uint32_t n_cells;
    mac_cell **cells;
    double *iot_db; /* uplink interference rise per cell (layout, second pass) */
    uint64_t events;
    size_t bytes; /* largest cell: model and engine memory */
} mac_run;

/* Runs one replication: the single cell, or every cell of the layout
 * (devices attached to their best cell; with two passes, each cell's
 * uplink sees the interference the others' devices caused in the first). */
int mac_run_all(const mac_run_cfg *cfg, mac_run *out, sim_error *err);
void mac_run_free(mac_run *r);
/* Cells a replication simulates: 1, or 3 per site of a layout. Called
 * inside an OpenMP parallel region, mac_run_all runs the cells of each
 * pass as tasks on the region's threads (same results on any number). */
uint32_t mac_run_cells(const mac_radio_cfg *radio);

/* ---- LTE contention-based random access (mac/rach.c) ----
 * The LTE RACH procedure as TR 37.868 evaluates it: PRACH opportunities
 * from prach-ConfigIndex, preamble choice, collisions, power-ramped
 * detection, RAR windows with a grant limit per subframe, Msg3 and Msg4
 * with HARQ, the contention-resolution timer, uniform backoff and the
 * preamble transmission limit. Time is counted in 1 ms subframes from
 * SFN 0, subframe 0. Access only: what follows Msg4 is not modelled here.
 * An LTE-M cell with ra_model = MAC_RA_TR37868 runs it on its devices'
 * first reports (mac_run_all). */

typedef struct mac_rach_result {
    uint32_t devices, successes, failures;
    uint64_t opportunities;      /* PRACH opportunities up to the last outcome */
    uint64_t preamble_tx;        /* preamble transmissions */
    uint64_t preamble_collided;  /* transmissions that shared their preamble */
    uint64_t collided_preambles; /* (opportunity, preamble) pairs with >= 2 users */
    double collision_prob;       /* TR 37.868: collided pairs / (opportunities x preambles) */
    double mean_preamble_tx;     /* per successful device */
    double mean_delay_ms;        /* first preamble to Msg4 received, per successful device */
    double delay_p50_ms, delay_p95_ms, delay_max_ms;
    /* share of all devices with access within k x MAC_RACH_CDF_STEP_MS ms of
     * their first preamble (failures never count), k = 0 .. MAC_RACH_CDF_N - 1 */
    double delay_cdf[MAC_RACH_CDF_N];
    /* per number n of contenders in an opportunity (bin MAC_RACH_NBINS - 1
     * holds n >= that): transmissions and collided transmissions */
    uint64_t bin_tx[MAC_RACH_NBINS], bin_collided[MAC_RACH_NBINS];
} mac_rach_result;

void mac_rach_default(mac_rach_cfg *c);
/* Runs the procedure for n devices arriving at arrival_ms[i] (ms from SFN
 * 0). Per device, if not NULL: delay_ms[i] (negative when access failed),
 * tx[i] preamble transmissions, end_sf[i] subframe of the outcome. Draws
 * from streams keyed by seed and device. 0, or -1 on bad input or memory. */
int mac_rach_run(const mac_rach_cfg *c, const double *arrival_ms, uint32_t n, uint64_t seed,
                 mac_rach_result *res, double *delay_ms, uint8_t *tx, int64_t *end_sf);
/* The same, calling per_opportunity (if not NULL) after each opportunity
 * with its subframe, the transmissions in it, those that collided and the
 * distinct preambles detected (for a time series). */
typedef void (*mac_rach_opp_fn)(void *ctx, int64_t sf, uint32_t tx, uint32_t collided,
                                uint32_t detected);
int mac_rach_run_opp(const mac_rach_cfg *c, const double *arrival_ms, uint32_t n, uint64_t seed,
                     mac_rach_result *res, double *delay_ms, uint8_t *tx, int64_t *end_sf,
                     mac_rach_opp_fn per_opportunity, void *ctx);

#endif
