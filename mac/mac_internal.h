/* mac_internal.h: state shared by the files of mac/ (not a public API). */
#ifndef MTCSIM_MAC_INTERNAL_H
#define MTCSIM_MAC_INTERNAL_H

#include "mac/mac.h"
#include "mac/idle.h"

#define NO_REPORT     UINT32_MAX
#define MAC_EDT_TBS_N 9    /* EDT TBS values of a radio (NB-IoT 8, LTE-M 9) */
#define MAC_MAX_DL_NB 8    /* LTE-M downlink narrowbands (a 10 MHz carrier has 8) */
#define MAC_GCACHE_N  1024 /* LTE-M grant memo entries (a power of two) */
#define UL_UNITS      48   /* uplink in 3.75 kHz units: 180 kHz */
#define MAC_RAR_MAX   64   /* RARs in one MAC PDU at most: one per RAPID (6 bits) */

enum mac_event {
    EV_REPORT = 1, /* traffic: a report is generated */
    EV_SYNC_DONE,  /* synchronised after sleep: go for an NPRACH opportunity */
    EV_PREAMBLE,   /* NPRACH opportunity starts: send the preamble */
    EV_PRACH_END,  /* cell: opportunity over, resolve it (target = CE level) */
    EV_RAR,        /* RAR received (data: Msg3 start time) */
    EV_RA_FAIL,    /* RAR window or contention resolution timer expired */
    EV_MSG3_START, /* data: duration */
    EV_MSG3_END,
    EV_DL_END,   /* a downlink transport block received (NPDSCH end) */
    EV_ACK_END,  /* HARQ-ACK on NPUSCH format 2 sent */
    EV_UL_START, /* data: duration */
    EV_UL_END,
    EV_INACTIVITY, /* inactivity timer */
    EV_PSM,        /* T3324 expired: enter PSM */
    EV_TAU,        /* T3412 expired: periodic TAU */
    EV_DL_CMD,     /* a network command for the device reaches the core network */
    EV_PAGE,       /* the device's paging occasion with a record for it */
    EV_PAGED,      /* paging message received: go for random access */
    EV_PO,         /* validation mode: a paging occasion (or its WUS) monitored */
    EV_PO_END,
    EV_SEARCH, /* out of coverage: a cell search ends (data 0) or its back-off (1) */
    /* PUR (pur.c), gen: the device's PUR generation */
    EV_PUR_WAKE,   /* a PUR occasion's resynchronisation starts (data: the occasion) */
    EV_PUR_SYNCED, /* synchronised: TA validation, then the occasion (data: the occasion) */
    EV_PUR_TX,     /* the NPUSCH/PUSCH on the resource (or its retransmission) starts */
    EV_PUR_TX_END,
    EV_PUR_RESP,         /* the response window's outcome (data: PUR_ACK, PUR_RETX, PUR_FALLBACK) */
    EV_FOTA,             /* campaign.c: a device's unicast trigger (target: device) */
    EV_FOTA_SESSION,     /* campaign.c: a multicast round starts (target: round) */
    EV_FOTA_SESSION_END, /* campaign.c: a receiver's session ends (data: level) */
    EV_FOTA_VERIFIED,    /* campaign.c: the image verified and written (MCU) */
    EV_FOTA_BLOCK,       /* campaign.c: a session's next block is booked (target: session) */
    EV_COUNT
};

/* Device protocol states. */
enum mac_state {
    ST_SLEEP = 0, /* idle or PSM, nothing to send */
    ST_SYNC,
    ST_WAIT_PRACH,
    ST_PREAMBLE,
    ST_RAR_WAIT,
    ST_MSG3,
    ST_MSG4_WAIT,
    ST_STEP,     /* connected, working through the exchange steps */
    ST_INACTIVE, /* connected, nothing to send, inactivity timer running */
    ST_RELEASE,  /* connected, receiving the release */
    ST_PUR,      /* idle, transmitting on a preconfigured uplink resource (pur.c) */
    ST_MCAST,    /* idle, receiving an SC-PTM session (campaign.c) */
};

/* What a downlink transport block is (EV_DL_END data). */
enum { DL_MSG4 = 1, DL_STEP = 2, DL_RELEASE = 3, DL_COMMAND = 4, DL_NACK = 0x100 };
/* Pseudo step indexes outside the cell's step list. */
enum { STEP_IDX_COMMAND = 0xF0, STEP_IDX_ANSWER = 0xF1 };

/* Exchange steps once connected. */
enum step_kind {
    STEP_UL_DATA,  /* the report: CP Msg5 with NAS data, or UP data */
    STEP_UL_FIXED, /* fixed-size uplink RRC message */
    STEP_DL_FIXED, /* fixed-size downlink message */
    STEP_DL_ACK,   /* application acknowledgement */
};

typedef struct mac_step {
    uint8_t kind;
    uint8_t session; /* part of the stack's session set-up: only when one is due */
    uint8_t stack;   /* an exchange of the application stack (not for a TAU) */
    uint16_t bytes;  /* fixed size, or overhead added to the payload */
} mac_step;

#define MAX_STEPS (5 + 2 * MAC_MAX_XCHG + 2)

/* A group's exchange once connected: [0, n_setup) once per connection
 * (user-plane set-up), the rest per report (stack session, data, stack
 * exchanges, answer). */
typedef struct mac_steps {
    mac_step s[MAX_STEPS];
    int n;
} mac_steps;

/* Reserved intervals [s, e) of one resource, sorted, non-overlapping
 * (timeline.c). */
typedef struct ivl {
    sim_time_t s, e;
} ivl;

#define TL_BLOCK 32
typedef struct tl_block {
    uint32_t n;     /* intervals v[0, n) */
    sim_time_t gap; /* at least the longest gap between consecutive v */
    ivl v[TL_BLOCK];
} tl_block;

typedef struct tline {
    tl_block **b;                  /* blocks b[first, nb) in time order, none empty */
    sim_time_t *last;              /* last[k]: block k's last end (the lookup's keys) */
    uint32_t first, nb, cap, head; /* b[first]'s live intervals start at head */
    tl_block *spare;               /* a block kept for reuse */
    sim_time_t first_end;          /* at most the first live interval's end */
    sim_time_t last_end;           /* the last interval's end (0: none yet) */
} tline;

/* A place in a timeline: block and index (blk == nb: after the last). */
typedef struct tl_pos {
    uint32_t blk, i;
} tl_pos;

/* A queued item: an application report, a periodic TAU, or a network
 * command waiting for its device. */
enum { ITEM_REPORT = 0, ITEM_TAU = 1, ITEM_COMMAND = 2, ITEM_FOTA = 3 };
/* ITEM_FOTA: a firmware image (or a multicast repair) queued with the
 * network commands; never dropped for age (campaign.c). */

typedef struct mac_report {
    sim_time_t generated;
    uint32_t bytes;
    uint32_t next;
    uint8_t kind;
    uint8_t tries; /* commands: paging attempts */
} mac_report;

/* How a device enters idle (idle_enter): after a NAS connection (its
 * release: T3412 and T3324 restart, TS 24.301 5.3.5 and 5.3.11), at
 * creation (as if released long ago), or from idle-mode reception without
 * NAS signalling (an SC-PTM session: both timers run on). */
enum { MAC_IDLE_RELEASE = 0, MAC_IDLE_FIRST = 1, MAC_IDLE_NO_NAS = 2 };

typedef struct mac_dev {
    sim_time_t next_report; /* time of the next application report */
    energy_account energy;
    /* stage time: RAR window start, contention timer end, receive time of a
     * wait...; while idle (ST_SLEEP) the start of the idle interval */
    sim_time_t t_aux;
    sim_time_t ra_t0;    /* first preamble of the current random access */
    sim_time_t tau_at;   /* T3412 deadline; one armed EV_TAU follows it lazily */
    sim_time_t t3324_at; /* T3324 (active time) deadline; SIM_NEVER: no PSM */
    float cl_db;
    uint32_t gen; /* timer generation: stale timer events are ignored */
    uint32_t nd;  /* random draws so far: the substream of the next one */
    uint32_t head, tail, pending;
    uint32_t generated, delivered, dropped, failed;
    uint32_t preambles, collisions, harq_retx, edt_n;
    uint32_t edt_fallbacks;            /* EDT answered with a connection (downlink data queued) */
    uint16_t ra_failures, escalations; /* rare: saturate at 65535 */
    uint32_t data_tbs, data_reps;
    uint32_t dl_head, dl_tail, dl_pending; /* network commands waiting */
    uint32_t pos, wus_mon, pages, dl_gen, dl_deliv, dl_lost, taus;
    /* others' pages at its occasions (po_share.c): woken by their WUS
     * (occasion and message) or, without WUS, their message read; charged
     * at the next booking of its idle time; false_pages: in all */
    uint32_t xwake_po, xwake_msg, false_pages;
    uint32_t bytes;     /* payload delivered (saturates at 4 GB) */
    uint32_t bits_left; /* of the current step */
    uint16_t group;
    uint16_t si_reads; /* system information re-read (saturates at 65535) */
    uint8_t ce_base;   /* by RSRP without error, MAC_MAX_CE if out of coverage */
    uint8_t ce;        /* current level of the access */
    uint8_t car;       /* carrier of its access and connection (c->car index) */
    uint8_t conn_car;  /* the carrier RRC setup gave its connection */
    uint8_t state;
    uint8_t att_ce, att_total;
    uint8_t harq; /* transmissions of the current transport block */
    uint8_t step;
    uint8_t edt_dl; /* network commands riding in this EDT's Msg4 or PUR response */
    /* flags, one bit each: a device record is 560 bytes (224 of them its
     * energy by procedure) */
    unsigned char collided : 1;  /* current Msg3 shares its grant with another device */
    unsigned char rai : 1;       /* release assistance */
    unsigned char conn : 1;      /* RRC connected (setup steps done) */
    unsigned char in_setup : 1;  /* working through the user-plane setup steps */
    unsigned char in_psm : 1;    /* idle and in PSM (not monitoring paging) */
    unsigned char paging : 1;    /* a paging record for it is scheduled */
    unsigned char tau_armed : 1; /* an EV_TAU event is queued */
    unsigned char edt : 1;       /* this access carries its report in Msg3 (EDT) */
    /* NB-IoT: the RAR granted 3.75 kHz; every NPUSCH of the connection,
     * HARQ-ACKs included, uses the RAR's spacing (TS 36.213 16.5.1.1, 16.4.2) */
    unsigned char scs_3k75 : 1;
    unsigned char si_due : 1; /* stored system information expired: read it before access */
    uint8_t ul_levels;        /* CE levels whose NPRACH the current NPUSCH's subcarriers share */
    uint32_t ul_idle_us;      /* current NPUSCH: its gaps and postponements, us */
    /* connected-mode DRX: the window of the timers the last transmission
     * started (drx.c), and the time asleep in the wait before the next one */
    sim_time_t drx_from, drx_until;
    sim_time_t drx_cut; /* NB-IoT: start of the on-duration a DCI stopped, or -1 */
    int64_t drx_sleep_us;
} mac_dev;

/* Devices registered for the NPRACH opportunity in progress at a level. */
typedef struct prach_occ {
    uint32_t *dev;
    uint8_t *sc;
    uint32_t *order; /* scratch for resolving, same capacity */
    uint8_t *det;
    uint32_t n, cap;
    sim_time_t start;
} prach_occ;

/* One carrier's resources. */
typedef struct mac_carrier {
    const phy_dl_map *map;        /* its valid downlink subframes */
    prach_occ occ[MAC_MAX_CE][2]; /* [level][EDT resource] */
    tline dl[MAC_MAX_DL_NB];  /* downlink carrier (LTE-M: narrowband) reservations; LTE-M: DCIs */
    tline dld[MAC_MAX_DL_NB]; /* LTE-M: PDSCHs */
    tline dlw[MAC_MAX_DL_NB]; /* LTE-M: DCIs and PDSCHs wider than their share (2 + 4 PRBs) */
    tline ul[UL_UNITS];       /* uplink unit reservations */
    sim_time_t ul_pruned_at, dl_pruned_at; /* the timelines' last pruning (sched.c) */
    double busy_us[2];                     /* mac_busy's sums: [0] downlink, [1] uplink */
    uint64_t preambles, collided, paging_records, connections;
} mac_carrier;

/* latlog.c: a delivery log, exact until `limit` entries, then binned into
 * per-device histograms of 1 % bins (summaries within +-0.5 %). */
typedef struct lat_run {
    uint32_t dev;
    uint16_t bin, count;
} lat_run;
typedef struct lat_log {
    uint32_t *dev; /* raw entries: device and latency (ms) */
    float *ms;
    size_t n, cap, limit;
    lat_run *hist; /* binned: runs sorted by (device, bin) */
    size_t hn, hcap;
    int binned;
} lat_log;
/* presize: entries to allocate now (at most limit); binned: bin from the
 * start. 0, or -1 out of memory (also from add and summarize). */
int lat_log_init(lat_log *l, size_t presize, size_t limit, int binned);
int lat_log_add(lat_log *l, uint32_t dev, double ms);
int lat_log_binned(const lat_log *l);
size_t lat_log_bytes(const lat_log *l);
void lat_log_free(lat_log *l);
/* A device's preconfigured uplink resource (pur.c); the cell keeps these
 * only when a group requests PUR and the cell enables it. */
typedef struct mac_pur_dev {
    sim_time_t occ;      /* the next occasion booked (its NPUSCH start); SIM_NEVER: none */
    sim_time_t ta_until; /* pur-TimeAlignmentTimer expiry (SIM_NEVER: not configured) */
    sim_time_t dl_rx;    /* the response's NPDSCH received (commands riding in it) */
    uint32_t gen;
    uint32_t reports, tx, fallbacks, ta_invalid, skipped, releases;
    uint32_t ul_idle_us; /* the current NPUSCH's gaps and postponements */
    /* the response: receive time in the window, its HARQ-ACK's transmit
     * time and gaps */
    uint32_t rx_us, ack_tx_us, ack_gap_us;
    uint16_t skip_run; /* consecutive occasions skipped */
    uint8_t levels;    /* the NPRACH levels the booked NPUSCH shares (postponement) */
    uint8_t harq;      /* transmissions of the current transport block */
    uint8_t cfg_due;   /* contention resolved: the release (or EDT complete) configures PUR */
    uint8_t car;       /* the resource's carrier (the configuring connection's) */
} mac_pur_dev;

struct mac_cell {
    mac_cell_cfg cfg;
    mac_radio_cfg r;
    const struct mac_radio *radio; /* the radio's rules (nbiot.c, ltem.c), chosen by cell.c */
    const struct mac_procs *proc;  /* the hand-offs between procedures, wired by cell.c */
    sim_engine *engine;
    phy_dl_map dlmap;
    mac_dev *devs;
    uint32_t n_devs;
    mac_steps *gsteps; /* per group */
    int n_setup;
    sim_time_t ss_period[MAC_MAX_CE], ss_offset[MAC_MAX_CE], ss_rx[MAC_MAX_CE];
    sim_time_t prach_dur[MAC_MAX_CE], prach_period[MAC_MAX_CE], prach_start[MAC_MAX_CE];
    sim_time_t sync[MAC_MAX_CE];
    /* connected-mode DRX (drx.c): cycle, start offset, on-duration per
     * level, and whether it spans the cycle (continuous reception) */
    sim_time_t drx_cycle, drx_offset, drx_on[MAC_MAX_CE];
    int drx_always[MAC_MAX_CE];
    phy_link_cfg *glink;       /* per group: the cell's link with its power class */
    energy_profile *gmod;      /* per group: its module on this radio (LTE-M: wider receiver) */
    double *gtx_ref_mw;        /* per group: energy_tx_ref_mw of gmod (mac_tx_mw) */
    phy_memo *link_memo;       /* the links' Shannon arithmetic (r.link and glink point to it) */
    energy_matrix *genergy;    /* per group: time and energy by procedure x power state */
    struct mac_gcache *gcache; /* memo of grant selections (gcache.c), MAC_GCACHE_N */
    size_t gcache_bytes;
    phy_ul_grant msg3[MAC_MAX_CE]; /* Msg3 grant per level, sized for its edge */
    /* EDT Msg3 per level: the TBSs a device may pick, increasing, the last
     * the level's largest (edt_cap), and their grants (radio edt_grants) */
    int edt_n[MAC_MAX_CE];
    int edt_tb[MAC_MAX_CE][MAC_EDT_TBS_N];
    phy_ul_grant edt_g[MAC_MAX_CE][MAC_EDT_TBS_N];
    const int *edt_tbs;      /* the radio's EDT TBS values */
    int edt_cap[MAC_MAX_CE]; /* largest EDT TBS offered per level (0: none) */
    int n_edt_tbs;
    phy_ltem_prach lprach[MAC_MAX_CE]; /* LTE-M: each level's PRACH configuration */
    /* Timing rules of the radio (its timing function: nbiot.c, ltem.c) */
    sim_time_t rar_win[MAC_MAX_CE], cr_timer[MAC_MAX_CE]; /* RAR window, CR timer */
    sim_time_t rar_delay;    /* last preamble subframe start -> RAR window start */
    int k_ul[4], n_k_ul;     /* DCI end -> PUSCH start candidates, ms */
    int k_msg3[4], n_k_msg3; /* RAR end -> Msg3 start candidates, ms */
    sim_time_t ack_delay;    /* downlink block end -> HARQ-ACK start */
    sim_time_t ul_to_dl;     /* uplink end -> listening again */
    int ack_units;           /* uplink units a HARQ-ACK occupies (LTE-M: 0, PUCCH region) */
    int max_dl_tbs;          /* largest downlink transport block, bits */
    /* the carriers (NB-IoT: anchor first, then the non-anchor ones; LTE-M:
     * one), each with its own timelines and NPRACH opportunities; `cur`:
     * the one the scheduling call in progress works on (sched.c sets it
     * from the call's carrier argument) */
    struct mac_carrier *car, *cur;
    int n_car;
    phy_dl_map dlmap_na; /* non-anchor carriers' valid downlink subframes */
    int n_dl_nb;         /* NB-IoT 1; LTE-M cell.dl_narrowbands */
    /* NB-IoT NPRACH zones of the uplink units, built on first use
     * (sched.c): each zone's CE levels and units, the last the carrier */
    int n_zones;
    unsigned zone_levels[UL_UNITS + 1];
    uint8_t zone_n[UL_UNITS + 1];
    uint8_t zone_unit[UL_UNITS + 1][UL_UNITS];
    unsigned ack_masks[2][8]; /* the HARQ-ACK's distinct level sets: 15 kHz, 3.75 kHz */
    int n_ack_masks[2];
    int n_units, unit_group; /* units in use; a grant stays inside a group */
    double dl_busy_us, ul_busy_unit_us;
    mac_report *reports;
    uint32_t reports_cap, reports_free;
    lat_log lat; /* delivery log of reports (latlog.c) */
    int oom;
    mac_ce_stats ce_stats[MAC_MAX_CE];
    /* random access in TR 37.868 terms: over completed procedures */
    uint64_t ra_tx_sum;
    double ra_delay_sum_ms;
    uint64_t ra_delay_hist[MAC_RACH_CDF_N + 1]; /* bin k: delay in ((k-1) x 10, k x 10] ms */
    /* idle mode, per group: granted schedule and timers */
    idle_paging *gpage;
    sim_time_t *t3324, *t3412;
    sim_time_t po_rx, wus_rx, mon_rx, page_rx; /* receive time per occasion */
    sim_time_t msg_rx;                         /* the paging message after the occasion's DCI */
    struct po_load {
        sim_time_t t;
        uint16_t n;
        uint8_t car;     /* paging carrier */
        uint64_t booked; /* po_share.c: whom the pages booked here wake (PO_SHARE_*) */
        uint64_t woken;  /* ... and whom they have woken */
    } * po_load;         /* paging records booked per future occasion */
    uint32_t po_head, po_n, po_cap;
    uint64_t paging_records, paging_deferrals, paging_failures, wus_sent, paged_occasions;
    uint64_t false_pages;
    /* po_share.c: the devices by group and UE_ID (CSR), NULL: no pages;
     * per entry its WUS code (0 none, 1 Rel-15, 2 + its WUS group) and UE_ID_H */
    uint32_t *ps_start, *ps_dev;
    uint8_t *ps_code;
    uint16_t *ps_uidh;
    lat_log dl_lat;          /* delivery log of network commands */
    mac_pur_dev *pur;        /* per device, NULL: no group uses PUR here (pur.c) */
    double pur_busy_unit_us; /* uplink the PUR occasions reserved, units x us */
    mac_device_stats *dstats;
    mac_cell_stats cstats;
    struct mac_ts_acc *ts; /* time series being counted (tseries.c), NULL: none */
    mac_tseries tsout;     /* the finished series */
    uint8_t *traced;       /* per device: traced (trace.c), NULL: no trace */
    struct mac_trace_wrap *trace_wrap;
    mac_trace trace;
    struct mac_fota *fota; /* the firmware update campaign (campaign.c), NULL: none */
    double fota_dl_us;     /* downlink time its image took (DCIs and blocks) */
};

/* trace.c: wraps the cell's handlers when it traces devices. */
int mac_trace_init(mac_cell *c);
void mac_trace_release(mac_cell *c); /* the simulation's part */
void mac_trace_free(mac_cell *c);    /* the rows too */

/* tseries.c: a cell's time series while it runs. */
typedef struct mac_ts_acc {
    sim_time_t bin;
    uint32_t n;
    uint32_t *count;               /* [n][MAC_TS_COUNTERS] */
    sim_bins ul, dl, conn, energy; /* unit-us, narrowband-us, device-us, J */
} mac_ts_acc;
int mac_ts_init(mac_cell *c, sim_time_t bin);
int mac_ts_finish(mac_cell *c); /* after the devices' energy is closed */
void mac_ts_release(mac_cell *c);
void mac_ts_free_out(mac_tseries *t);
/* A reservation of weight units (uplink units, downlink narrowband
 * shares) over [s, e) on carrier car: the part inside the simulated time
 * goes to the cell's and the carrier's busy totals (the utilisation of
 * [0, duration)) and the cell's series. */
static inline void mac_busy(mac_cell *c, int car, int ul, sim_time_t s, sim_time_t e, double weight)
{
    const sim_time_t lo = s > 0 ? s : 0, hi = e < c->cfg.duration ? e : c->cfg.duration;
    if (hi > lo) {
        *(ul ? &c->ul_busy_unit_us : &c->dl_busy_us) += weight * (double)(hi - lo);
        c->car[car].busy_us[ul != 0] += weight * (double)(hi - lo);
    }
    if (c->ts) sim_bins_spread(ul ? &c->ts->ul : &c->ts->dl, s, e, weight * (double)(e - s));
}

/* The counts of the bin holding t (clipped into the n bins of bin us). */
static inline uint32_t *mac_ts_row(uint32_t *count, sim_time_t bin, uint32_t n, sim_time_t t)
{
    sim_time_t b = t < 0 ? 0 : t / bin;
    if (b >= (sim_time_t)n) b = n - 1;
    return count + (size_t)b * MAC_TS_COUNTERS;
}

/* Counts v at time t in count k. */
static inline void mac_ts_count(mac_cell *c, int k, sim_time_t t, uint32_t v)
{
    if (c->ts) mac_ts_row(c->ts->count, c->ts->bin, c->ts->n, t)[k] += v;
}

/* The state a device is in during the 40 ms gaps of a long NPRACH or
 * NPUSCH transmission (TS 36.211 10.1.3.6, 10.1.6.1), where its uplink is
 * postponed: receiving. The gaps exist so that the device can re-acquire
 * downlink time and frequency (NPSS/NSSS) during a long uplink; that it
 * keeps its receiver on for the whole gap is an assumption (the upper
 * bound; light sleep would be the lower). */
#define GAP_STATE ENERGY_RX

/* common.c: helpers every procedure uses */
sim_rng mac_rng(const mac_cell *c, uint32_t dev, uint32_t purpose, uint64_t sub);
double mac_power(const mac_cell *c, const mac_dev *d, energy_state s);
/* The device's supply draw transmitting at tx_dbm (energy_tx_power_mw). */
double mac_tx_mw(const mac_cell *c, const mac_dev *d, double tx_dbm);
void mac_enter(mac_cell *c, mac_dev *d, energy_state s, sim_time_t now);
/* The device starts procedure p now (energy_set_proc at the engine's time):
 * what follows is charged to it (energy.h says which is which). */
void mac_set_proc(mac_cell *c, mac_dev *d, energy_proc p);
/* The procedure a connected exchange step is charged to: the user-plane
 * set-up to RRC, a TAU's request and accept to TAU, the others by
 * direction (UL_DATA, DL_DATA). */
energy_proc mac_step_proc(const mac_cell *c, const mac_dev *d, const mac_step *st);
/* Power of a HARQ-ACK on NPUSCH format 2 (power control as format 1). */
double mac_ack_power(const mac_cell *c, const mac_dev *d);
/* Transmit power (power control) and BLER of an uplink grant for a device. */
void mac_ul_link(const mac_cell *c, const mac_dev *d, const phy_ul_grant *g, double *tx_dbm,
                 double *bler);

/* config.c, config_ltem.c: value-set tests of the checks */
static inline int mac_in_set(double v, const double *set, int n)
{
    for (int i = 0; i < n; i++)
        if (v - set[i] < 1e-9 && set[i] - v < 1e-9) return 1;
    return 0;
}
static inline int mac_is_pow2(int v)
{
    return v >= 1 && (v & (v - 1)) == 0;
}
/* The value checks of each radio (its table's check entry) and those both
 * share (called by each radio's check). */
int mac_nbiot_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen);
int mac_ltem_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen);
int mac_common_cfg_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen);
int mac_pur_net_check(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen);

/* devices.c: the devices (coupling loss, CE level, first report) and their
 * queues of items (reports, TAUs, commands), the delivery logs */
/* Creates every device of the cell and schedules its first events. */
void mac_devices_init(mac_cell *c, sim_engine *e);
void mac_register_reports(mac_cell *c, sim_engine *e);
void mac_report_done(mac_cell *c, uint32_t id, sim_time_t now, int delivered);
/* A device's traffic state at an arrival at `now`: its period is redrawn
 * from substream 0 of the stream (the draw made at creation), so devices
 * need not store it. */
traffic_state mac_traffic_at(const mac_cell *c, uint32_t id, const traffic_cfg *t, uint32_t purpose,
                             sim_time_t now);
uint32_t mac_item_alloc(mac_cell *c);
/* Appends a new item to a device queue (head, tail, count); NO_REPORT and
 * the engine stopped when memory runs out. */
uint32_t mac_item_push(mac_cell *c, uint32_t *head, uint32_t *tail, uint32_t *count, int kind,
                       sim_time_t generated, uint32_t bytes);
void mac_item_release(mac_cell *c, uint32_t i);
/* Removes the head of the device's downlink queue (delivered or lost: the
 * caller counts it). */
void mac_dl_pop(mac_cell *c, mac_dev *d);
/* Network commands held longer than network.buffer_s by now are lost
 * (counted in dl_lost); a firmware image is never dropped for age. */
void mac_dl_expire(mac_cell *c, mac_dev *d, sim_time_t now);
void mac_log_dl(mac_cell *c, uint32_t dev, int64_t lat_us);

/* sched.c: the shared downlink carrier, uplink units and search spaces.
 * The reserving calls take the carrier (c->car index) they work on. */
/* LTE-M: a DCI on 2 PRBs and a PDSCH on at most 4 share a narrowband
 * subframe (flags of the scheduling calls; 0: each takes the whole
 * narrowband, as always on NB-IoT) */
enum { SCHED_DCI_NARROW = 1, SCHED_DATA_NARROW = 2 };
/* The flags for a device at cl_db whose DCI needs R repetitions and whose
 * data grant is g (NULL: no data). */
int sched_narrow_flags(const mac_cell *c, const phy_link_cfg *l, double cl_db, int R,
                       const phy_dl_grant *g);
typedef struct dl_slot {
    sim_time_t dci_start, dci_end, pdsch_start, pdsch_end;
    int nb; /* downlink narrowband (NB-IoT: 0) */
} dl_slot;

sim_time_t sched_ss_next(const mac_cell *c, int ce, sim_time_t t);
/* Start of the search space n periods after the first one at or after t. */
sim_time_t sched_ss_after(const mac_cell *c, int ce, sim_time_t t, int n);
/* A connected device's DRX timers window [from, until) on level ce (drx.c):
 * the scheduler places its DCIs in the Active Time only. */
typedef struct drx_win {
    sim_time_t from, until;
    sim_time_t cut; /* NB-IoT: the on-duration a DCI stopped (its start), or -1 */
    int ce;
} drx_win;
/* Reserves a DCI of R repetitions on the level's search space at or after
 * t, followed (n_sub > 0) by an NPDSCH of n_sub valid subframes. Returns 0,
 * or -1 if the DCI cannot start by `latest`. */
int sched_dl(mac_cell *c, int car, int ce, sim_time_t t, int R, int n_sub, int flags,
             sim_time_t latest, const drx_win *w, dl_slot *s);
/* Reserves the grant's uplink units at the first of the candidate starts
 * base + k_i (ms) where they are free for the whole NPUSCH (NB-IoT: with
 * its postponement around NPRACH, TS 36.211 10.1.3.6, in the NPRACH zone
 * that ends it first); *levels (may be NULL) gets the CE levels whose
 * NPRACH the NPUSCH's subcarriers share (sched_npusch_end); -1 if none. */
int sched_ul_at(mac_cell *c, int car, sim_time_t base, const int *k_ms, int nk,
                const phy_ul_grant *g, sim_time_t *start, unsigned *levels);
/* A DCI N0 then an NPUSCH: the first search space from t whose DCI can be
 * followed by a free NPUSCH slot (k0 = 8, 16, 32, 64); *levels as above. */
void sched_dci_ul(mac_cell *c, int car, int ce, sim_time_t t, int R, const phy_ul_grant *g,
                  int flags, const drx_win *w, dl_slot *dci, sim_time_t *ul_start,
                  unsigned *levels);
/* Where sched_dci_ul would end the NPUSCH of grant g (postponement
 * included), reserving nothing: to compare grants before taking one. */
sim_time_t sched_dci_ul_end(mac_cell *c, int car, int ce, sim_time_t t, int R,
                            const phy_ul_grant *g, int flags, const drx_win *w);
/* LTE-M bursts: the DCI candidate starting exactly at t, with its PUSCH
 * (DCI end + k_ul[0]) or PDSCH (2nd subframe after it) of n_sub
 * subframes; reserves them, or -1 if t is no candidate or anything is
 * taken. */
int sched_dci_ul_exact(mac_cell *c, int car, int ce, int nb, sim_time_t t, int R,
                       const phy_ul_grant *g, int flags, dl_slot *dci, sim_time_t *ul_start);
/* End of an NPUSCH of grant g starting at s whose subcarriers share the
 * NPRACH of CE levels `levels` (mask): postponed while an NPRACH occasion
 * of those levels lasts, 40 ms gaps after each 256 ms of transmission or
 * postponement (TS 36.211 10.1.3.6); s + g->duration without levels, on
 * LTE-M, or on a radio that does not postpone. */
sim_time_t sched_npusch_end(const mac_cell *c, unsigned levels, sim_time_t s,
                            const phy_ul_grant *g);
/* End of a HARQ-ACK (NPUSCH format 2) of `tx` transmission starting at s
 * on the connection's spacing: on the ACK subcarrier (TS 36.213 Table
 * 16.4.2-1) postponed least around NPRACH, gaps included. For a radio
 * that postpones (NB-IoT) only. */
sim_time_t sched_ack_end(mac_cell *c, int car, int scs_3k75, sim_time_t s, sim_time_t tx);
/* EDT and PUR: what RRCEarlyDataComplete carries besides its own
 * msg4_bytes: the application's answer when the group expects one (the
 * stack's answer_bytes, -1: the cell's dl_ack_bytes) and the first n
 * network commands queued for the device (conn_edt_dl), each with its L2
 * headers. */
static inline uint64_t mac_edt_dl_bytes(const mac_cell *c, const mac_dev *d, uint32_t n)
{
    const mac_group_cfg *gc = &c->cfg.groups[d->group];
    const int a = gc->stack.answer_bytes >= 0 ? gc->stack.answer_bytes : c->r.dl_ack_bytes;
    uint64_t b = gc->answer && a > 0 ? (uint64_t)a + (uint64_t)c->r.l2_overhead_bytes : 0;
    for (uint32_t i = d->dl_head; n > 0 && i != NO_REPORT; i = c->reports[i].next, n--)
        b += (uint64_t)c->reports[i].bytes + (uint64_t)c->r.l2_overhead_bytes;
    return b;
}
/* Whether carrier car has NPRACH resources (the anchor always). */
static inline int mac_car_nprach(const mac_cell *c, int car)
{
    return car == 0 || c->r.carriers.nprach;
}
/* Fills the cell's NPRACH zones: one per distinct set of CE levels whose
 * NPRACH subcarriers cover a unit, then the whole carrier (postpone.c). */
void sched_build_zones(mac_cell *c);
int sched_dl_exact(mac_cell *c, int car, int ce, int nb, sim_time_t t, int R, int n_sub, int flags,
                   dl_slot *s);
/* Receive time spent monitoring the level's search spaces in [a, b). */
int64_t sched_monitor_us(const mac_cell *c, int ce, sim_time_t a, sim_time_t b);

/* gcache.c: a per-cell memo of the pure grant selections */
typedef int (*mac_ul_select_fn)(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                                int ce, int flags, phy_ul_grant *g);
typedef int (*mac_dl_select_fn)(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                                int ce, phy_dl_grant *g);
int mac_gcache_init(mac_cell *c);
int mac_gcache_ul(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  int flags, phy_ul_grant *g, mac_ul_select_fn fn);
int mac_gcache_dl(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  phy_dl_grant *g, mac_dl_select_fn fn);

/* drx.c: connected-mode DRX (TS 36.321 5.7) */
/* The cell configures it and the device's module applies it. */
int drx_applies(const mac_cell *c, const mac_dev *d);
/* DRX cycle starts ([(SFN x 10) + subframe] mod C = off, anew every SFN
 * period of `sfn`), in any one unit: the last start at or before t, the
 * first after t, and the longest cycle (an SFN period's last may exceed C). */
int64_t drx_start_le(int64_t C, int64_t off, int64_t sfn, int64_t t);
int64_t drx_start_gt(int64_t C, int64_t off, int64_t sfn, int64_t t);
int64_t drx_longest_cycle(int64_t C, int64_t off, int64_t sfn);
/* Derived timing (cycle, on-duration per level); after the search spaces. */
void drx_setup(mac_cell *c);
/* The device's window for the scheduler, or NULL without DRX. */
const drx_win *drx_win_for(const mac_cell *c, const mac_dev *d, drx_win *buf);
/* Earliest time at or after t in the Active Time. */
sim_time_t drx_next_active(const mac_cell *c, const drx_win *w, sim_time_t t);
/* A connected wait [a, b): receive time monitoring (returned) and time
 * asleep outside the Active Time (*sleep_us; 0 without DRX). */
int64_t drx_wait(const mac_cell *c, const mac_dev *d, sim_time_t a, sim_time_t b,
                 int64_t *sleep_us);
/* The timers a transmission starts: after an uplink block ending at
 * `end`, after a downlink block's HARQ-ACK (failed: NACK), and at a DCI
 * (NB-IoT: it stops the on-duration in progress; LTE-M: one scheduling a
 * new transmission, new_tx, restarts drx-InactivityTimer). */
void drx_after_ul(mac_cell *c, mac_dev *d, sim_time_t end);
void drx_after_dl(mac_cell *c, mac_dev *d, sim_time_t ack_end, int failed);
void drx_on_dci(mac_cell *c, mac_dev *d, sim_time_t dci_start, sim_time_t dci_end, int new_tx);
/* A new access: no timer window, no stopped on-duration. */
void drx_reset(mac_dev *d);
int ul_units(const phy_ul_grant *g);

/* ---------------------------------------------------------------- radios */

/* The rules that differ between radios, one table per radio (nbiot.c,
 * ltem.c; cell.c picks it by cell.rat). The shared procedures call them
 * through the mac_* wrappers below, so they never branch on the radio for
 * these. A new radio is a new table. */
typedef struct mac_radio {
    const char *name;
    /* the configuration's value checks (config.c, config_ltem.c) */
    int (*check)(const mac_radio_cfg *r, char *field, size_t flen, char *why, size_t wlen);
    /* at cell creation: downlink subframe map, uplink units, narrowbands,
     * receiver draw, memos; 0, or -1 when memory runs out */
    int (*carrier)(mac_cell *c);
    /* procedure timing: RAR window and contention timer per level, RAR
     * delay, DCI -> uplink and RAR -> Msg3 delays, HARQ-ACK delay, EDT TBS
     * set (after the search spaces are known) */
    void (*timing)(mac_cell *c);
    double (*rsrp)(const mac_cell *c, double cl_db);
    double (*dl_snr)(const mac_cell *c, const phy_link_cfg *l, double cl_db);
    int (*ul_select)(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                     int flags, phy_ul_grant *g);
    int (*dl_select)(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                     phy_dl_grant *g);
    int (*dci_reps)(const mac_cell *c, const phy_link_cfg *l, double cl_db, int rmax, double *bler);
    double (*prach_detect)(const mac_cell *c, const phy_link_cfg *l, double cl_db, double tx_dbm,
                           int reps);
    sim_time_t (*prach_next)(const mac_cell *c, int ce, sim_time_t t);
    sim_time_t (*prach_end)(const mac_cell *c, int ce, sim_time_t start, sim_time_t *tx_us);
    uint64_t (*prach_attempts_before)(const mac_cell *c, int ce, sim_time_t end);
    /* HARQ-ACK duration of a device, and (tx_us, may be NULL) the part
     * transmitted */
    sim_time_t (*ack_duration)(const mac_cell *c, const mac_dev *d, sim_time_t *tx_us);
    int (*max_ul_tbs)(const mac_cell *c, int ce);
    /* Whether an EDT TBS of the radio's list exists at a CE level (LTE-M:
     * the list's last entry is 1000 bits in CE mode A, 456 in mode B) */
    int (*edt_tbs_ok)(const mac_cell *c, int ce, int tbs);
    /* The EDT TBSs a device may pick at a level whose largest is cap (its
     * grant gmax, sized for the level's edge at edge_db), with their
     * grants, increasing; returns how many (<=
     * MAC_EDT_TBS_N). Without edt-SmallTBS only cap. */
    int (*edt_grants)(const mac_cell *c, int ce, double edge_db, int cap, const phy_ul_grant *gmax,
                      int *tb, phy_ul_grant *g);
    /* Reading system information after it expired: receive time and the
     * time it takes (the device sleeps lightly in between) */
    void (*si_read)(const mac_cell *c, const mac_dev *d, sim_time_t *rx, sim_time_t *elapsed);
    int (*fit_tb)(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  int uplink);
    /* the downlink control channel, whose repetition loss a WUS shares */
    phy_chan dci_chan;
    /* NPUSCH postponed around the NPRACH resources (TS 36.211 10.1.3.6) */
    int ul_postpone;
} mac_radio;

extern const mac_radio mac_radio_nbiot; /* nbiot.c */
extern const mac_radio mac_radio_ltem;  /* ltem.c */
/* The radio of a cell.rat value (cell.c's wiring); NULL if there is none. */
const mac_radio *mac_radio_of(int rat);

/* Out of coverage (devices.c): at the last level the preamble is missed
 * more than 10 times the DCI target (MAC_LIMIT_PREAMBLE), or Msg3
 * (MAC_LIMIT_MSG3) or the DCI (MAC_LIMIT_DCI) cannot reach its target; 0
 * in coverage. */
enum { MAC_LIMIT_PREAMBLE = 1, MAC_LIMIT_MSG3 = 2, MAC_LIMIT_DCI = 3 };
int mac_coverage_limit(const mac_cell *c, const phy_link_cfg *l, double cl);

/* RSRP (NRSRP on NB-IoT) of a device at cl_db. */
static inline double mac_rsrp(const mac_cell *c, double cl_db)
{
    return c->radio->rsrp(c, cl_db);
}
static inline double mac_dl_snr(const mac_cell *c, const phy_link_cfg *l, double cl_db)
{
    return c->radio->dl_snr(c, l, cl_db);
}
/* Data grants at the device's level (LTE-M: its CE mode); flags
 * (PHY_UL_*) 0: the NB-IoT single-tone Msg3 grant. Nonzero: the link misses the target
 * within the level's repetitions (the grant is the strongest one). */
static inline int mac_ul_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                                int ce, int flags, phy_ul_grant *g)
{
    return c->radio->ul_select(c, l, cl_db, bits, ce, flags, g);
}
static inline int mac_dl_select(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                                int ce, phy_dl_grant *g)
{
    return c->radio->dl_select(c, l, cl_db, bits > c->max_dl_tbs ? c->max_dl_tbs : bits, ce, g);
}
/* DCI repetitions (NPDCCH / MPDCCH) out of Rmax. */
static inline int mac_dci_reps(const mac_cell *c, const phy_link_cfg *l, double cl_db, int rmax,
                               double *bler)
{
    return c->radio->dci_reps(c, l, cl_db, rmax, bler);
}
static inline double mac_prach_detect(const mac_cell *c, const phy_link_cfg *l, double cl_db,
                                      double tx_dbm, int reps)
{
    return c->radio->prach_detect(c, l, cl_db, tx_dbm, reps);
}
/* Start of the first PRACH attempt of the level at or after t. */
static inline sim_time_t mac_prach_next(const mac_cell *c, int ce, sim_time_t t)
{
    return c->radio->prach_next(c, ce, t);
}
/* End of the attempt that starts at `start`, and the time the device
 * actually transmits in it. */
static inline sim_time_t mac_prach_end(const mac_cell *c, int ce, sim_time_t start,
                                       sim_time_t *tx_us)
{
    return c->radio->prach_end(c, ce, start, tx_us);
}
/* Attempts (opportunity blocks) of a level in [0, end). */
static inline uint64_t mac_prach_attempts_before(const mac_cell *c, int ce, sim_time_t end)
{
    return c->radio->prach_attempts_before(c, ce, end);
}
/* HARQ-ACK duration, and (tx_us, may be NULL) the part the device
 * transmits (without NPUSCH gaps). */
static inline sim_time_t mac_ack_duration(const mac_cell *c, const mac_dev *d, sim_time_t *tx_us)
{
    return c->radio->ack_duration(c, d, tx_us);
}
/* The uplink grants a connected device may get: multi-tone, on the
 * spacing its RAR fixed (NB-IoT; LTE-M ignores the flags). */
static inline int mac_conn_ul_flags(const mac_dev *d)
{
    return PHY_UL_MULTITONE | (d->scs_3k75 ? PHY_UL_ONLY_3K75 : PHY_UL_ONLY_15K);
}
/* Largest uplink transport block at a level, bits. */
static inline int mac_max_ul_tbs(const mac_cell *c, int ce)
{
    return c->radio->max_ul_tbs(c, ce);
}
/* LTE-M: the largest block of at most `bits` the link carries at the
 * target within the level's repetitions (NB-IoT: bits). */
static inline int mac_fit_tb(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                             int ce, int uplink)
{
    return c->radio->fit_tb(c, l, cl_db, bits, ce, uplink);
}

/* ----------------------------------------------------- procedure hand-offs */

/* Where one procedure hands a device to another. cell.c wires one table
 * per radio; a procedure calls another only through c->proc, never its
 * functions directly (tests/integration/test_architecture.py checks). */
typedef struct mac_procs {
    /* idle -> random access: a report, a page or a TAU wakes the device
     * (after sync_us of resynchronisation, 0: none); also a retry */
    void (*access_start)(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t sync_us);
    /* idle: how long a device resynchronises after a long sleep (access.c) */
    sim_time_t (*access_sync_time)(const mac_cell *c, const mac_dev *d);
    /* random access -> connection: contention resolved, exchange begins */
    void (*conn_start)(mac_cell *c, uint32_t id, sim_time_t now);
    /* random access -> connection's downlink: Msg4 as a downlink block of
     * `kind` (DL_MSG4), listening from `listen`; -1 if its DCI cannot start
     * by `latest` */
    int (*conn_dl_send)(mac_cell *c, uint32_t id, int kind, sim_time_t listen, sim_time_t latest);
    /* random access asks the connection: is a stack session set-up due? */
    int (*conn_session_due)(const mac_cell *c, const mac_dev *d);
    /* random access and PUR ask the connection, an EDT Msg3 or a PUR
     * transmission decoded: how many queued network commands ride in
     * RRCEarlyDataComplete (commands older than buffer_s lost first), or
     * -1: the network falls back to a connection */
    int (*conn_edt_dl)(mac_cell *c, uint32_t id, sim_time_t now);
    /* random access, PUR -> connection: the commands that rode in an EDT
     * Msg4 or a PUR response received at msg4_rx are delivered */
    void (*conn_edt_dl_done)(mac_cell *c, uint32_t id, sim_time_t msg4_rx);
    /* connection -> random access: Msg4 decoded (received at msg4_rx) and
     * acknowledged by now, or lost */
    void (*msg4_done)(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t msg4_rx);
    void (*msg4_lost)(mac_cell *c, uint32_t id, sim_time_t now);
    /* reports / idle -> connection: new data or a network command for a
     * connected, inactive device */
    void (*conn_new_data)(mac_cell *c, uint32_t id, sim_time_t now);
    void (*conn_new_command)(mac_cell *c, uint32_t id, sim_time_t now);
    /* any procedure -> idle: the device sleeps; how: MAC_IDLE_* */
    void (*idle_enter)(mac_cell *c, uint32_t id, sim_time_t now, int how);
    /* idle -> random access: books the idle interval up to now (counted
     * occasions); returns how long the device must resynchronise */
    sim_time_t (*idle_leave)(mac_cell *c, uint32_t id, sim_time_t now);
    /* reports -> PUR: a sleeping device's new report waits for its next
     * PUR occasion (1) or goes to random access (0) */
    int (*pur_hold)(mac_cell *c, uint32_t id, sim_time_t now);
    /* random access -> PUR: contention resolved, so the connection's
     * release (or RRCEarlyDataComplete) will carry a PUR-Config */
    void (*pur_resolved)(mac_cell *c, uint32_t id);
    /* idle -> PUR: the device is idle again after a connection or EDT: the
     * configuration it was given applies from now */
    void (*pur_released)(mac_cell *c, uint32_t id, sim_time_t now);
    /* campaign -> idle: page the device for its queued downlink at its
     * first occasion from t (if it monitors and is not being paged) */
    void (*idle_page)(mac_cell *c, uint32_t id, sim_time_t t);
    /* connection -> campaign: the image (an ITEM_FOTA) was received by
     * rx_end (1) or given up (0) */
    void (*fota_received)(mac_cell *c, uint32_t id, sim_time_t rx_end, int ok);
    /* idle -> campaign: paging for the image gave up (max_attempts); the
     * image waits for the device's next connection */
    void (*fota_unreached)(mac_cell *c, uint32_t id, sim_time_t now);
    /* idle asks the campaign: does the device stay out of PSM (waiting for
     * a multicast session it was told of)? */
    int (*fota_hold)(const mac_cell *c, uint32_t id, sim_time_t now);
    /* reports -> campaign: device id's report generated at `gen` delivered
     * after lat_us */
    void (*fota_report_logged)(mac_cell *c, uint32_t id, sim_time_t gen, int64_t lat_us);
} mac_procs;

/* Entry points, for cell.c's table and their own file only. */
/* access.c: random access */
void access_register(mac_cell *c, sim_engine *e);
void access_start(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t sync_us);
sim_time_t access_sync_time(const mac_cell *c, const mac_dev *d);
void access_msg4_done(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t msg4_rx);
void access_msg4_lost(mac_cell *c, uint32_t id, sim_time_t now);
/* connected.c: exchange steps, release */
void conn_register(mac_cell *c, sim_engine *e);
void conn_start(mac_cell *c, uint32_t id, sim_time_t now);
int conn_dl_send(mac_cell *c, uint32_t id, int kind, sim_time_t listen, sim_time_t latest);
int conn_edt_dl(mac_cell *c, uint32_t id, sim_time_t now);
void conn_edt_dl_done(mac_cell *c, uint32_t id, sim_time_t msg4_rx);
int conn_session_due(const mac_cell *c, const mac_dev *d);
void conn_new_data(mac_cell *c, uint32_t id, sim_time_t now);
void conn_new_command(mac_cell *c, uint32_t id, sim_time_t now);
/* End of the run: a device waiting in its inactivity tail books the tail's
 * monitoring (and DRX sleep) up to `end`. */
void conn_close(mac_cell *c, uint32_t id, sim_time_t end);
/* sleep.c: idle mode (paging, DRX, eDRX, PSM, TAU, WUS, network commands) */
void sleep_register(mac_cell *c, sim_engine *e);
int sleep_setup(mac_cell *c, sim_error *err); /* per-group grants and costs */
void sleep_enter(mac_cell *c, uint32_t id, sim_time_t now, int how);
sim_time_t sleep_leave(mac_cell *c, uint32_t id, sim_time_t now);
void sleep_finish(mac_cell *c);
/* The device's paging schedule (UE_ID and UE_ID_H redrawn from its stream). */
idle_paging sleep_dev_paging(const mac_cell *c, uint32_t id);
int sleep_monitors(const mac_cell *c, const mac_dev *d);

/* carriers.c: a device's NPRACH carrier (a draw from r), its paging
 * carrier (from its UE_ID) and its connection's carrier (at RRC setup). */
int mac_nprach_carrier(const mac_cell *c, sim_rng *r);
int mac_paging_carrier(const mac_cell *c, const idle_paging *p);
int mac_data_carrier(const mac_cell *c, const mac_dev *d);
void sleep_page(mac_cell *c, uint32_t id, sim_time_t t);
/* campaign.c: the firmware update campaign */
int campaign_setup(mac_cell *c, sim_engine *e); /* -1: out of memory */
void campaign_register(mac_cell *c, sim_engine *e);
void campaign_received(mac_cell *c, uint32_t id, sim_time_t rx_end, int ok);
void campaign_unreached(mac_cell *c, uint32_t id, sim_time_t now);
int campaign_hold(const mac_cell *c, uint32_t id, sim_time_t now);
void campaign_report_logged(mac_cell *c, uint32_t id, sim_time_t gen, int64_t lat_us);
/* The campaign's statistics into the cell's and devices' (mac_cell_finish) */
int campaign_finish(mac_cell *c);
/* Books the reception of receivers still in a session at the end. */
void campaign_close(mac_cell *c, sim_time_t end);
void campaign_free(mac_cell *c);

/* po_share.c: who else a page wakes. Devices monitoring the occasion of a
 * page read its DCI; those without WUS read the paging message too, those
 * with WUS wake for it only when their WUS is sent: the Rel-15 WUS for any
 * WUS device's page, a Rel-16 group WUS for a page of its group (or the
 * common WUS). Bits of struct po_load's booked/woken: */
enum { PO_SHARE_NOWUS = 1u, PO_SHARE_WUS = 2u, PO_SHARE_GROUP0 = 4u };
int po_share_setup(mac_cell *c);
void po_share_free(mac_cell *c);
/* The bit of device id: its WUS group, Rel-15 WUS or none. */
uint64_t po_share_bit(const mac_cell *c, uint32_t id);
/* A page goes out for device x in the paging message of slot (subframe
 * `at` on the slot's carrier): wakes the other monitoring devices whose
 * occasion is there (moved there from an invalid subframe or not) and
 * whose bit is in the slot's booked set and not yet woken there. */
void po_share_wake(mac_cell *c, uint32_t x, sim_time_t at, struct po_load *slot);

/* pur.c: transmission using preconfigured uplink resources (Rel-16) */
int pur_setup(mac_cell *c); /* -1: out of memory */
void pur_register(mac_cell *c, sim_engine *e);
int pur_hold(mac_cell *c, uint32_t id, sim_time_t now);
void pur_resolved(mac_cell *c, uint32_t id);
void pur_released(mac_cell *c, uint32_t id, sim_time_t now);
void pur_finish(mac_cell *c); /* the counts into dstats and cstats */

/* study.c: ra_model tr37868, after the cell's (empty) run and
 * mac_cell_finish: runs the access evaluation and fills the statistics. */
int mac_cell_rach_study(mac_cell *c, sim_error *err);

/* Mean, p50, p95 (linear interpolation between order statistics) and max
 * of v; sorts v in place. NaN everywhere when n is 0. (cell.c) */
typedef struct lat_summary {
    double mean, p50, p95, max;
} lat_summary;
lat_summary mac_lat_summary(double *v, size_t n);
/* layout_pass.c: one pass over a layout's cells (as tasks; over ranks
 * with cfg->dist): cells get their devices from count/start/cgrp/ccl,
 * prad receives the devices' radiated powers (non-final passes), cell_ev
 * and by accumulate each cell's events and largest memory over the
 * passes. And the single cell of a scenario without a layout. */
int mac_layout_pass(const mac_run_cfg *cfg, const mac_radio_cfg *rc_k, uint32_t cells,
                    const uint32_t *count, const uint32_t *start, const uint16_t *cgrp,
                    const float *ccl, uint32_t n_dev, uint32_t pass, uint32_t passes, double *prad,
                    uint64_t *cell_ev, size_t *by, mac_run *out, sim_error *err);
int mac_layout_one_cell(const mac_run_cfg *cfg, mac_run *out, sim_error *err);
/* layout.c: body(ctx, i) for i in [0, n) as OpenMP tasks: on the current
 * team inside an active parallel region, else on cfg->threads threads of
 * a region opened here (its thread 0 is the caller). Every i must write
 * only its own slots. */
void mac_tasks(const mac_run_cfg *cfg, uint32_t n, void (*body)(void *, uint32_t), void *ctx);

/* latlog.c: per device (n_devs) and overall; bins what is left if the log
 * is binned. */
int lat_log_summarize(lat_log *l, uint32_t n_devs, lat_summary *per_dev, lat_summary *all);

/* timeline.c: reserved intervals of a resource */
void tl_free(tline *t);
void tl_prune(tline *t, sim_time_t now); /* drops intervals ended by now */
/* The lookups every slot search makes, inline (a call per unit and
 * candidate was measurable). tl_block_from: block k's first live index. */
static inline uint32_t tl_block_from(const tline *t, uint32_t k)
{
    return k == t->first ? t->head : 0;
}

/* Position of the first live interval ending after s (blk == t->nb: none):
 * the block by its last end, then the index within it. */
static inline tl_pos tl_find(const tline *t, sim_time_t s)
{
    uint32_t lo = t->first, hi = t->nb;
    if (hi - lo > 1)
        while (lo < hi) {
            const uint32_t mid = lo + (hi - lo) / 2;
            if (t->last[mid] <= s)
                lo = mid + 1;
            else
                hi = mid;
        }
    else if (lo < hi && t->last[lo] <= s)
        lo = hi;
    if (lo == t->nb) return (tl_pos){t->nb, 0};
    const tl_block *b = t->b[lo];
    uint32_t i = tl_block_from(t, lo), j = b->n;
    while (i < j) {
        const uint32_t mid = i + (j - i) / 2;
        if (b->v[mid].e <= s)
            i = mid + 1;
        else
            j = mid;
    }
    return (tl_pos){lo, i};
}

/* The interval at p; NULL past the last. */
static inline const ivl *tl_at(const tline *t, tl_pos p)
{
    return p.blk < t->nb ? &t->b[p.blk]->v[p.i] : NULL;
}

/* The end of the live interval before p; INT64_MIN if none. */
static inline sim_time_t tl_prev_end(const tline *t, tl_pos p)
{
    if (p.blk < t->nb && p.i > tl_block_from(t, p.blk)) return t->b[p.blk]->v[p.i - 1].e;
    if (p.blk > t->first) return t->last[p.blk - 1];
    return INT64_MIN;
}

/* 0 if [s, e) is free; otherwise the end of the first conflicting interval */
sim_time_t tl_conflict(const tline *t, sim_time_t s, sim_time_t e);
int tl_add(tline *t, sim_time_t s, sim_time_t e); /* -1: out of memory */
/* The end of the busy run from s for items of at least len: every start
 * s' in [s, result) overlaps a reservation within [s', s' + len). */
sim_time_t tl_busy_walk(const tline *t, sim_time_t s, sim_time_t len);
static inline sim_time_t tl_busy_until(const tline *t, sim_time_t s, sim_time_t len)
{
    return t->last_end <= s ? s : tl_busy_walk(t, s, len); /* mostly free: no walk */
}
/* The same for downlink items of R valid subframes (a gap with fewer is
 * busy). */
sim_time_t tl_busy_until_dl(const tline *t, const phy_dl_map *map, sim_time_t s, int R);

#endif
