/* phy.h: NB-IoT and LTE-M coverage and link abstraction.
 *
 * Pure functions and precomputed tables: coupling loss draws, link budget
 * (RSRP, SNR), CE level choice, NPUSCH/NPDSCH/NPDCCH/NPRACH link adaptation
 * against a target BLER, and transmission durations from TS 36.211/36.213.
 * Nothing here schedules events; mac/ asks and acts.
 */
#ifndef MTCSIM_PHY_H
#define MTCSIM_PHY_H

#include "sim/core/sim.h"

/* ------------------------------------------------------------ coverage */

typedef enum {
    PHY_CL_FIXED = 0, /* every device at fixed_db */
    PHY_CL_TABLE,     /* inverse CDF: piecewise linear through (table_db[i], table_cdf[i]) */
    PHY_CL_TR45820,   /* TR 45.820 composition: position in a hexagonal sector, path loss,
                         log-normal shadowing, building penetration, antenna gains */
    PHY_CL_KIND_COUNT
} phy_cl_kind;

#define PHY_CL_TABLE_MAX 64

typedef struct phy_coverage_cfg {
    phy_cl_kind kind;
    double fixed_db;
    int table_n;
    double table_db[PHY_CL_TABLE_MAX];  /* increasing */
    double table_cdf[PHY_CL_TABLE_MAX]; /* increasing, first 0, last 1 */
    /* PHY_CL_TR45820 */
    double isd_m;           /* inter-site distance, 1732 m (TR 45.820) */
    double min_distance_m;  /* closest device to the site, 35 m (TR 36.814 macro) */
    double pl_intercept_db; /* path loss A + B log10(R km): 120.9 (TR 36.942 900 MHz) */
    double pl_slope_db;     /* 37.6 */
    double shadowing_sd_db; /* 8 dB (TR 45.820) */
    double bs_gain_dbi;     /* 18 dBi (TR 45.820) */
    double ue_gain_dbi;     /* -4 dBi (TR 45.820) */
    double beamwidth_deg;   /* 3-sector antenna 3 dB beamwidth, 65 deg (TR 36.942) */
    double front_back_db;   /* 20 dB */
    double other_loss_db;   /* cable, body, ... 0 */
    int indoor;             /* apply the TR 45.820 building penetration loss */
} phy_coverage_cfg;

void phy_coverage_default(phy_coverage_cfg *c);
/* Draws one device's coupling loss in dB (path gain included with sign:
 * larger is worse). Uses the stream r only. */
double phy_coupling_loss_draw(const phy_coverage_cfg *c, sim_rng *r);
/* TR 45.820 building penetration loss alone (external wall + max(tor1, tor3)). */
double phy_penetration_draw(sim_rng *r);

/* ---------------------------------------------------------- link budget */

/* The channels of the link abstraction, each calibrated on its own
 * (phy/calib.c): the need of a block is the attenuated-Shannon term of its
 * bits over its REs plus the channel's offset (minus its two-port transmit
 * diversity gain, downlink); a channel without a block (NPUSCH format 2,
 * PUCCH, NPRACH, PRACH) has a fixed one-repetition need instead. Every
 * doubling of repetitions adds 10 log10(2) dB minus the channel's loss. */
typedef enum phy_chan {
    PHY_CH_NPUSCH_ST_3K75 = 0, /* NPUSCH format 1, single tone, 3.75 kHz */
    PHY_CH_NPUSCH_ST_15K,      /* single tone, 15 kHz */
    PHY_CH_NPUSCH_3T,          /* 3 tones of 15 kHz */
    PHY_CH_NPUSCH_6T,          /* 6 tones */
    PHY_CH_NPUSCH_12T,         /* 12 tones */
    PHY_CH_NPUSCH_F2_3K75,     /* NPUSCH format 2 (HARQ-ACK), 3.75 kHz: no block */
    PHY_CH_NPUSCH_F2_15K,      /* format 2, 15 kHz: no block */
    PHY_CH_NPRACH,             /* preamble, SNR over 3.75 kHz: no block */
    PHY_CH_NPDSCH,
    PHY_CH_NPDCCH,
    PHY_CH_PUSCH,  /* LTE-M */
    PHY_CH_PUCCH,  /* LTE-M format 1a HARQ-ACK: no block */
    PHY_CH_PRACH,  /* LTE-M, SNR over 1.08 MHz: no block */
    PHY_CH_PDSCH,  /* LTE-M */
    PHY_CH_MPDCCH, /* LTE-M */
    PHY_CH_COUNT
} phy_chan;

/* Calibration sets (link.calibration). */
typedef enum phy_cal_set {
    PHY_CAL_CONFORMANCE = 0, /* fitted to TS 36.104 / TS 36.101 minimum requirements */
    PHY_CAL_SHANNON,         /* uncalibrated TR 36.942 attenuated Shannon (before 2026-12) */
    PHY_CAL_LINKLEVEL,       /* ideal receivers: link-level simulation results (AWGN) */
    PHY_CAL_SET_COUNT
} phy_cal_set;

typedef struct phy_chan_cal {
    double offset_db;   /* added to the Shannon need; a no-block channel: its one-repetition
                           need at its target (NPRACH, PRACH 99 % detection; ACK 99 %) */
    double rep_loss_db; /* repetition combining loss per doubling */
    double div_db;      /* downlink: gain of two transmit ports (SFBC) over one */
    int ir;             /* repetitions combine as incremental redundancy: R repetitions need
                           what one block over R times the REs needs (rep_loss_db unused) */
} phy_chan_cal;

/* A memo of the link abstraction's Shannon arithmetic (phy/link.c): exact
 * keys, so results never depend on it. Owned by whoever owns the
 * configuration that points to it (a cell); one thread at a time. */
typedef struct phy_memo phy_memo;
phy_memo *phy_memo_new(void); /* NULL: out of memory */
void phy_memo_free(phy_memo *m);
size_t phy_memo_bytes(void);

typedef struct phy_link_cfg {
    double enb_tx_dbm;              /* NB-IoT downlink power over 180 kHz: 43 dBm standalone */
    double enb_nf_db;               /* eNB noise figure, 3 dB (Adhikary et al. 2016) */
    double ue_nf_db;                /* UE noise figure, 5 dB */
    double ue_max_dbm;              /* UE power class: 23 dBm (20, 14 allowed) */
    double ue_min_dbm;              /* UE minimum output, -40 dBm (TS 36.101) */
    double ul_interference_db;      /* uplink interference over thermal, 0 dB in one cell */
    double shannon_alpha;           /* attenuated Shannon efficiency factor, 0.6 (TR 36.942 A.2) */
    double shannon_max_bps_hz;      /* cap on the Shannon efficiency, 4.4 bit/s/Hz (TR 36.942) */
    int enb_rx_antennas;            /* eNB receive antennas, 2 (TS 36.104 requirements, TR 45.820
                                       link budgets): the uplink SNR gains 10 log10(n / 2) dB */
    int calibration;                /* phy_cal_set, PHY_CAL_CONFORMANCE */
    phy_chan_cal cal[PHY_CH_COUNT]; /* per channel, from the calibration set (phy/calib.c) */
    double bler_slope;              /* logistic BLER slope per dB: 1 in the conformance set (fading
                                       with two receive branches; assumption), 2 in the Shannon set */
    double bler_target;             /* data target BLER, 0.1 */
    double dci_bler_target;         /* NPDCCH target BLER, 0.01 */
    double pc_margin_db;            /* power control: SNR margin over the grant's need, 1 dB */
    /* LTE-M (Cat-M1 on an LTE carrier); NB-IoT ignores these. Defaults set
     * by phy_ltem_link_default (phy_link_default calls it). */
    double ltem_enb_tx_dbm; /* total DL power of the host LTE carrier, 46 dBm: the usual 10 MHz
                               macro eNB, as in TR 36.888's MTC coverage analysis (assumption:
                               the table was not read); spread evenly over the PRBs */
    int ltem_carrier_prb;   /* PRBs of the host carrier, 50 (10 MHz, TS 36.101 Table 5.6-1);
                               per-PRB power = ltem_enb_tx_dbm - 10 log10(ltem_carrier_prb) */
    int ltem_dl_re_per_prb; /* PDSCH/MPDCCH REs per PRB per subframe, 120: 12 x 14 = 168, minus
                               the LTE control region, startSymbolBR = 3 (TS 36.331; 3 covers the
                               largest CFI of a 10 MHz carrier, TS 36.211 Table 6.7-1): 3 x 12 =
                               36, minus the CRS of ports 0/1 in OFDM symbols 4, 7 and 11 (4 REs
                               each, TS 36.211 6.10.1.2): 12; 168 - 36 - 12 = 120 */
    int ltem_ul_re_per_prb; /* PUSCH REs per PRB per subframe, 144: 12 subcarriers x 12 SC-FDMA
                               data symbols (2 of 14 carry DMRS, TS 36.211 5.5.2.1.2) */
    phy_memo *memo;         /* NULL (the default): compute every time */
} phy_link_cfg;

void phy_link_default(phy_link_cfg *c);
/* Puts calibration set `set` (phy_cal_set) into c->cal, c->bler_slope and
 * c->shannon_alpha (phy/calib.c). */
void phy_link_calibrate(phy_link_cfg *c, int set);
/* Lua name of a calibration set / a channel ("conformance", "npusch_st_3k75"). */
const char *phy_cal_set_name(int set);
const char *phy_chan_name(phy_chan ch);
/* Where a channel's calibration in a set comes from (one line). */
const char *phy_chan_source(int set, phy_chan ch);
/* Whether channel ch of c still has its calibration set's values (offset,
 * repetition loss, diversity gain, ir, and the set's shannon_alpha and
 * bler_slope): if not, the set's source no longer describes it. */
int phy_cal_is_set(const phy_link_cfg *c, phy_chan ch);
/* Sets the LTE-M fields of c to their defaults and leaves the rest alone. */
void phy_ltem_link_default(phy_link_cfg *c);
/* Thermal noise power over bw_hz with noise figure nf_db: -174 dBm/Hz. */
double phy_noise_dbm(double bw_hz, double nf_db);
/* NRSRP: downlink power per 15 kHz resource element minus coupling loss. */
double phy_rsrp_dbm(const phy_link_cfg *c, double cl_db);
/* Downlink SNR over the 180 kHz carrier. */
double phy_dl_snr_db(const phy_link_cfg *c, double cl_db);
/* Uplink SNR per receive antenna of a transmission at tx_dbm over bw_hz,
 * interference included, plus 10 log10(enb_rx_antennas / 2): the needs are
 * calibrated to two receive antennas (TS 36.104 8.1: SNR per antenna over
 * the transmission bandwidth); other counts shift by the combining gain
 * only (assumption: the change in diversity order is not modelled). */
double phy_ul_snr_db(const phy_link_cfg *c, double cl_db, double tx_dbm, double bw_hz);
/* That receive-antenna term: 10 log10(enb_rx_antennas / 2), 0 for 2. */
double phy_ul_rx_gain_db(const phy_link_cfg *c);
/* CE level: 0 if rsrp >= thr[0], 1 if >= thr[1], ..., n_thr otherwise
 * (TS 36.331 rsrp-ThresholdsPrachInfoList, thresholds decreasing). */
int phy_ce_level(const double *thr_dbm, int n_thr, double rsrp_dbm);

/* Effective SNR after `reps` repetitions on channel ch: + 10 log10(reps)
 * minus the channel's combining loss per doubling. */
double phy_rep_snr_db(const phy_link_cfg *c, phy_chan ch, double snr_db, int reps);
/* SNR a code block of `bits` (CRC included) over `res` resource elements
 * of channel ch needs at the target BLER (attenuated Shannon + the
 * channel's offset - its two-port diversity gain). */
double phy_required_snr_db(const phy_link_cfg *c, phy_chan ch, double bits, double res);
/* Effective SNR of `reps` repetitions at snr_db for a block whose
 * one-repetition need is req_db, comparable with req_db: phy_rep_snr_db,
 * or on an incremental-redundancy channel snr_db + req_db - the need of the
 * block over reps times its REs. */
double phy_eff_snr_db(const phy_link_cfg *c, phy_chan ch, double snr_db, int reps, double req_db);
/* One-repetition need of a channel without a block (NPUSCH format 2,
 * PUCCH, NPRACH, PRACH). */
double phy_chan_need_db(const phy_link_cfg *c, phy_chan ch);
/* NPUSCH format 1 channel of a grant's tones and spacing. */
phy_chan phy_npusch_chan(int tones, int scs_3k75);
/* Block error rate of a transmission whose effective SNR is snr_db when
 * req_db is the SNR of the target BLER: logistic in dB through
 * (req_db, bler_target) with slope bler_slope. */
double phy_bler(const phy_link_cfg *c, double snr_db, double req_db, double target);
/* NPRACH detection probability of one attempt of `reps` repetitions. */
double phy_nprach_detect_prob(const phy_link_cfg *c, double cl_db, double tx_dbm, int reps);

/* ------------------------------------------------------------ durations */

/* NPRACH attempt: reps x 5.6 ms (format 0) or 6.4 ms (format 1), plus a
 * 40 ms gap after every 64 repetitions except the last (TS 36.211 10.1.6.1). */
sim_time_t phy_nprach_duration(int reps, int format);
/* NPUSCH format 1 resource-unit length: 12 tones 1 ms, 6 tones 2 ms, 3 tones
 * 4 ms, 1 tone 8 ms (15 kHz) or 32 ms (3.75 kHz) (TS 36.211 10.1.2.3). */
sim_time_t phy_ru_duration(int tones, int scs_3k75);
/* NPUSCH transmission time for n_ru x reps resource units, with a 40 ms gap
 * after every 256 ms of transmission (TS 36.211 10.1.3.6). */
sim_time_t phy_npusch_duration(int tones, int scs_3k75, int n_ru, int reps);
/* NPUSCH format 2 (HARQ-ACK): reps x 2 ms (15 kHz) or 8 ms (3.75 kHz), with
 * the 40 ms gaps. */
sim_time_t phy_ack_duration(int reps, int scs_3k75);
/* The part of those durations the device actually transmits: the duration
 * without its 40 ms gaps. In a gap the transmission is postponed
 * (TS 36.211 10.1.3.6, 10.1.6.1); the device is not transmitting. */
sim_time_t phy_nprach_tx_time(int reps, int format);
sim_time_t phy_ack_tx_time(int reps, int scs_3k75);
/* NPUSCH TBS, TS 36.213 Table 16.5.1.2-2: i_tbs 0..12, n_ru_idx 0..7 for
 * N_RU = 1,2,3,4,5,6,8,10; 0 where not allowed. */
int phy_npusch_tbs(int i_tbs, int n_ru_idx);
/* NPDSCH TBS, TS 36.213 Table 16.4.1.5.1-1: i_tbs 0..12, n_sf_idx 0..7 for
 * N_SF = 1,2,3,4,5,6,8,10; 0 where not allowed (Rel-13 Cat-NB1 max 680). */
int phy_npdsch_tbs(int i_tbs, int n_sf_idx);
extern const int phy_n_ru_values[8]; /* 1,2,3,4,5,6,8,10 */

/* Valid NB-IoT downlink subframes (TS 36.213 16.4, TS 36.211 10.2): not
 * subframe 0 (NPBCH), 5 (NPSS), 9 of even frames (NSSS), nor the SIB1-NB
 * subframes (subframe 4 of every other frame in 16-frame blocks, 4/8/16
 * repetitions per 2560 ms, start frame by PCI). One map per cell. */
typedef struct phy_dl_map {
    uint8_t valid[2560];
    uint16_t before[2561]; /* valid subframes in [0, i) */
    uint16_t at[2560];     /* the subframe of each rank: valid, before[at[k]] == k */
} phy_dl_map;

void phy_dl_map_init(phy_dl_map *m, int sib1_reps, int pci);
/* Every subframe valid (an LTE-M narrowband of BL/CE DL subframes). */
void phy_dl_map_all_valid(phy_dl_map *m);
/* First valid DL subframe starting at or after t (t rounded up to 1 ms). */
sim_time_t phy_dl_next_valid(const phy_dl_map *m, sim_time_t t);
/* End time of n valid DL subframes, the first at or after t. n >= 1. */
sim_time_t phy_dl_span_end(const phy_dl_map *m, sim_time_t t, int n);
/* Valid DL subframes in [a, b). */
int64_t phy_dl_count(const phy_dl_map *m, sim_time_t a, sim_time_t b);

/* ------------------------------------------------------ link adaptation */

/* An uplink (NPUSCH format 1) grant chosen for a device. */
typedef struct phy_ul_grant {
    uint8_t tones;    /* 1, 3, 6, 12 */
    uint8_t scs_3k75; /* 1: single tone at 3.75 kHz */
    uint8_t i_tbs;
    uint8_t n_ru;
    uint8_t n_prb; /* LTE-M PUSCH PRBs 1..6; 0: NB-IoT */
    uint16_t reps;
    uint16_t tbs; /* bits */
    float tx_dbm; /* after power control */
    float bler;   /* at the device's SNR */
    sim_time_t duration;
} phy_ul_grant;

/* Transmitting time of an uplink grant: its duration without the 40 ms
 * NPUSCH gaps (TS 36.211 10.1.3.6); LTE-M PUSCH has none. */
sim_time_t phy_ul_tx_time(const phy_ul_grant *g);

typedef struct phy_dl_grant {
    uint8_t i_tbs;
    uint8_t n_sf;
    uint8_t n_prb; /* LTE-M PDSCH PRBs 1..6; 0: NB-IoT */
    uint16_t reps;
    uint16_t tbs;
    int n_subframes; /* valid DL subframes: n_sf x reps */
    float bler;
} phy_dl_grant;

/* Which NPUSCH grants phy_ul_select may choose (flags): 0 is single tone at
 * either spacing (Msg3, TS 36.213 16.3.3); PHY_UL_MULTITONE adds 3, 6 and 12
 * tones at 15 kHz; PHY_UL_ONLY_15K / PHY_UL_ONLY_3K75 keep one spacing, the
 * one the RAR fixed for the whole connection (TS 36.213 16.5.1.1). */
enum { PHY_UL_MULTITONE = 1, PHY_UL_ONLY_15K = 2, PHY_UL_ONLY_3K75 = 4 };
/* With PHY_UL_MULTITONE: at most 6 or at most 3 tones (the scheduler's
 * narrower alternatives when the carrier is busy). */
enum { PHY_UL_MAX_6T = 8, PHY_UL_MAX_3T = 16 };
/* (ONLY_15K and ONLY_3K75 together allow nothing: a programming error that
 * aborts.) */
/* Picks the NPUSCH grant carrying `bits` (<= 1000) that uses the least
 * tone-time (tones x duration; ties: shorter duration) with BLER <= target
 * at the device's coupling loss, reps <= max_reps, among those `flags`
 * allows. If none meets the target, returns the grant with the most
 * repetitions at the lowest rate and returns 1 (the link is too weak); 0
 * otherwise. */
int phy_ul_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, int flags,
                  phy_ul_grant *g);
/* A broadcast block (SIB1-NB, an SI message) of tbs bits over n_sf
 * subframes, sent again and again: how many transmissions a device at
 * cl_db combines to decode it at the BLER target, at most max_tx (max_tx
 * when even that falls short). */
int phy_bcast_tx_needed(const phy_link_cfg *c, double cl_db, int tbs, int n_sf, int max_tx);
/* Same for NPDSCH (bits <= 680). */
int phy_dl_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, phy_dl_grant *g);
/* BLER of an NPDSCH grant chosen for another device (a broadcast or
 * SC-PTM block sized for its worst receiver) at coupling loss cl_db. */
double phy_dl_grant_bler(const phy_link_cfg *c, double cl_db, const phy_dl_grant *g);
/* NPDCCH repetitions for a DCI at this coupling loss: the smallest R of
 * {Rmax/8, Rmax/4, Rmax/2, Rmax} (or 1..Rmax powers of two when Rmax < 8)
 * meeting dci_bler_target; Rmax if none. *bler gets its BLER. */
int phy_npdcch_reps(const phy_link_cfg *c, double cl_db, int rmax, double *bler);

/* ------------------------------------------------------ multi-cell layout */

/* A layout of `sites` three-sector sites (1, 7 or 19: centre, one ring, two
 * rings) with inter-site distance c->isd_m and wrap-around (each site seen
 * through its nearest periodic image), cells numbered site * 3 + sector.
 * Geometry (phy/hex.c): site (q, r) in axial coordinates at q a1 + r a2 with
 * a1 = ISD at 30 deg, a2 = ISD at 90 deg (neighbours at 30 + 60 k deg); site 0
 * at the origin, then ring 1 and ring 2 counter-clockwise from 30 deg. Sector
 * k has its boresight at 30 + 120 k deg. Wrap-around translations: axial
 * (2, 1) for 7 sites, (3, 2) for 19 sites, and their 60 deg rotations
 * (q, r) -> (-r, q + r). One site: no wrap-around. The ISD is fixed at
 * creation; min_distance and the losses come from the cfg given to each draw. */
typedef struct phy_hex phy_hex;
/* NULL on bad sites (not 1, 7, 19), c NULL, isd_m <= 0, or OOM. */
phy_hex *phy_hex_create(const phy_coverage_cfg *c, int sites);
void phy_hex_free(phy_hex *h);
int phy_hex_cells(const phy_hex *h);
int phy_hex_sites(const phy_hex *h);
/* Site position in m (centre site at the origin). */
void phy_hex_site_xy(const phy_hex *h, int site, double *x_m, double *y_m);
/* Distance in m between sites a and b through wrap-around (nearest image). */
double phy_hex_site_distance(const phy_hex *h, int a, int b);
/* Draws one device uniformly over the layout area (the union of the sites'
 * hexagons, rejecting positions closer than min_distance_m to a site) with
 * its losses, fills cl_db[0 .. cells-1] with its coupling loss to every cell,
 * and returns the best cell (lowest coupling loss; ties: lowest index).
 * Shadowing correlated between sites with coefficient 0.5 (s_site =
 * sd (sqrt(0.5) a + sqrt(0.5) b_site), TR 36.942 / TR 45.820), shared by a
 * site's three sectors; penetration (when indoor) one draw per device, the
 * same for all cells. Uses only stream r, in a fixed order (site, position,
 * a, b_0 .. b_{sites-1}, penetration), so the same stream gives the same
 * array. Devices are independent: no spatial shadowing correlation between
 * them. */
int phy_hex_device(const phy_hex *h, const phy_coverage_cfg *c, sim_rng *r, double *cl_db);
/* Same draw (same stream use, same array), also giving the device position
 * in m (layout coordinates, inside the central cluster); x_m, y_m may be NULL. */
int phy_hex_device_pos(const phy_hex *h, const phy_coverage_cfg *c, sim_rng *r, double *cl_db,
                       double *x_m, double *y_m);

/* ---- LTE-M (Cat-M1, Rel-13) tables: phy/ltem.c ---- */

/* TS 36.306 / 36.213 7.1.7: largest Cat-M1 transport block, bits. */
#define PHY_LTEM_MAX_TBS 1000

/* One PRACH configuration (TS 36.211 Table 5.7.1-2, FDD). */
typedef struct phy_ltem_prach {
    int index;              /* prach-ConfigIndex 0..63 */
    int format;             /* preamble format 0..3 */
    int even_sfn;           /* 1: only in even system frames */
    uint16_t subframe_mask; /* bit k: a preamble may start in subframe k */
    int32_t cp_ts, seq_ts;  /* cyclic prefix and sequence, Ts = 1/30.72 MHz */
    int subframes;          /* subframes the preamble occupies */
} phy_ltem_prach;

/* Fills out for prach-ConfigIndex index; -1 if it does not exist for FDD. */
int phy_ltem_prach_config(int index, phy_ltem_prach *out);
/* PRACH opportunities per 20 ms (two frames). */
int phy_ltem_prach_per_20ms(const phy_ltem_prach *p);
/* First subframe >= subframe (counted from SFN 0, subframe 0) where a
 * preamble may start. */
int64_t phy_ltem_prach_next(const phy_ltem_prach *p, int64_t subframe);
/* TS 36.213 Table 7.1.7.2.1-1 within a narrowband: TBS in bits for I_TBS
 * 0..15 and 1..6 PRBs; 0 when out of range or above the Cat-M1 maximum. */
int phy_ltem_tbs(int i_tbs, int n_prb);
/* TS 36.321 Table 7.2-1: backoff in ms for a backoff indicator; -1 if
 * reserved. */
int phy_ltem_backoff_ms(int index);
/* Whether a RAR window / contention-resolution timer in subframes is one of
 * TS 36.331's values (ce: the -r13 set for BL/CE UEs). */
int phy_ltem_rar_window_valid(int subframes, int ce);
int phy_ltem_cr_timer_valid(int subframes, int ce);

/* ---- LTE-M link abstraction and link adaptation: phy/link.c ----
 *
 * The NB-IoT machinery (phy_required_snr_db over the grant's REs with a
 * 24-bit CRC, phy_rep_snr_db, phy_bler) applied to the LTE-M channels, so
 * that the two RATs are compared on one abstraction. An LTE-M grant fills
 * the NB-IoT grant structs with tones = 0, scs_3k75 = 0, n_ru = 1, n_sf = 1
 * and n_prb PRBs of one narrowband: one transport block occupies one
 * subframe and is repeated `reps` times in consecutive subframes. mode_b
 * selects CE mode B (0: CE mode A). */

/* RSRP: the carrier's power per 15 kHz RE (ltem_enb_tx_dbm spread over
 * ltem_carrier_prb x 12 subcarriers) minus the coupling loss. */
double phy_ltem_rsrp_dbm(const phy_link_cfg *c, double cl_db);
/* DL SNR per PRB: per-PRB power over 180 kHz of noise (ue_nf_db). A grant
 * of n PRBs gets n times the power over n times the noise, so the SNR does
 * not depend on the number of PRBs. */
double phy_ltem_dl_snr_db(const phy_link_cfg *c, double cl_db);
/* UL SNR of tx_dbm spread over n_prb x 180 kHz (enb_nf_db, interference
 * over thermal included, as phy_ul_snr_db). */
double phy_ltem_ul_snr_db(const phy_link_cfg *c, double cl_db, double tx_dbm, int n_prb);

/* Repetition sets of PUSCH (TS 36.213 Table 8-2b mode A, 8-2c mode B) and
 * PDSCH (Tables 7.1.11-1/-2, assumed the same rows: not read). max_reps
 * selects the row: the configured pusch/pdsch-maxNumRepetitionCEmodeA
 * (16, 32) or -B (192, 256, 384, 512, 768, 1024, 1536, 2048), or 0 for
 * "not configured" (mode A {1,2,4,8}, also selected by 8; mode B {4, 8,
 * ..., 512}). Any other max_reps (a modelling convenience, not a 3GPP row):
 * the union of the mode's rows cut at max_reps, i.e. mode A {1,2,4,8,16,32},
 * mode B {1,4,8,16,32,64,128,192,256,384,512,768,1024,1536,2048}. */
int phy_ltem_pusch_reps_valid(int reps, int mode_b, int max_reps);
int phy_ltem_pdsch_reps_valid(int reps, int mode_b, int max_reps);
/* Whether max_reps is 0 (not configured) or a value of
 * pusch-maxNumRepetitionCEmodeA/-B (mode A also accepts 8, the
 * not-configured maximum). */
int phy_ltem_max_reps_valid(int max_reps, int mode_b);
/* pucch-NumRepetitionCE-Msg4 (TS 36.331 PUCCH-ConfigCommon-v1310): CE
 * levels 0-1 (mode A) {1, 2, 4, 8}, levels 2-3 (mode B) {4, 8, 16, 32}. */
int phy_ltem_pucch_ack_reps_valid(int reps, int mode_b);
/* Largest TBS a grant of the mode can carry, bits: the selections clamp
 * larger payloads to it (mac segments by the grant's tbs). UL mode A 1000,
 * UL mode B 936 (I_TBS <= 10 on the N_PRB' = 6 column), DL 1000. */
int phy_ltem_max_tbs(int uplink, int mode_b);

/* PUSCH grant for `bits` (clamped to phy_ltem_max_tbs): n_prb 1..6 in CE
 * mode A (TS 36.213 8.1.1), 1 or 2 in mode B (Table 8.1.3-1); I_TBS from
 * I_MCS by Table 8.6.1-2 (mode A I_MCS 0..15 -> I_TBS 0..14, mode B
 * I_MCS <= 10 -> I_TBS 0..10, TS 36.213 8.6.1), TBS from phy_ltem_tbs
 * with N_PRB = n_prb in mode A and N_PRB' = 3 (1 PRB) or 6 (2 PRBs) in mode
 * B (TS 36.213 8.6.2); repetitions from the row of max_reps. Chooses the
 * grant with the fewest PRB x subframes (ties: fewer subframes) whose BLER
 * at full power meets bler_target, then sets the power as phy_ul_select
 * does (open loop aiming at the need + pc_margin_db when mode A and
 * reps <= 2, else P_CMAX, TS 36.213 5.1.1.1). Returns 0; 1 if nothing meets
 * the target (g: the row's most repetitions on the largest-margin
 * candidate). duration = reps x 1 ms. */
int phy_ltem_ul_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, int mode_b,
                       phy_ul_grant *g);
/* PDSCH grant: n_prb 1..6 in mode A, 4 or 6 in mode B (DCI 6-1B,
 * unconfirmed); I_TBS 0..14 in mode A (I_MCS 0..15 by TS 36.213 Table
 * 7.1.7.1-1), I_TBS = I_MCS 0..15 in mode B (QPSK; TS 36.213 v13 7.1.7 as
 * summarised by sharetechnote, unconfirmed); TBS with N_PRB = n_prb; the
 * same least-resources rule at the per-PRB SNR; n_subframes = reps.
 * Returns 0, or 1 as phy_ltem_ul_select. */
int phy_ltem_dl_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, int mode_b,
                       phy_dl_grant *g);
/* BLER of a PDSCH grant chosen for another device (an SC-PTM block sized
 * for its worst receiver) at coupling loss cl_db: phy_ltem_dl_select's
 * rule for the grant's TBS, PRBs and repetitions (its own g->bler at the
 * cl_db it was chosen for). */
double phy_ltem_dl_grant_bler(const phy_link_cfg *c, double cl_db, const phy_dl_grant *g);
/* MPDCCH repetitions for one DCI: format 6-1A/6-0A, 29 bits at 10 MHz
 * (6-1A with its SRS-request bit; 6-0A, 28 bits, is padded to it, TS 36.212
 * 5.3.3.1.10-12) + 16-bit CRC, at the highest aggregation level (24 ECCEs =
 * the 6 PRBs of the narrowband, 6 x ltem_dl_re_per_prb REs). Candidates
 * (TS 36.213 Table 9.1.5-1a): Rmax/8, Rmax/4, Rmax/2, Rmax for Rmax >= 8,
 * else 1, 2, 4 up to Rmax; the smallest meeting dci_bler_target, Rmax if
 * none. *bler (may be NULL) gets its BLER. */
int phy_ltem_mpdcch_reps(const phy_link_cfg *c, double cl_db, int rmax, double *bler);
/* PRACH detection probability of one attempt of `reps` repetitions: the
 * phy_nprach_detect_prob curve (logistic in the effective SNR through 99 %
 * at the PRACH calibration) with the SNR over 1.08 MHz. */
double phy_ltem_prach_detect_prob(const phy_link_cfg *c, double cl_db, double tx_dbm, int reps);
/* Whether one MPDCCH repetition on n_prb PRBs (aggregation 4 n_prb ECCEs)
 * meets dci_bler_target: an MPDCCH on 2 PRBs leaves 4 for a PDSCH in the
 * same subframe (the "2 + 4 PRB" arrangement of the Rel-13 peak rate). */
int phy_ltem_mpdcch_fits(const phy_link_cfg *c, double cl_db, int n_prb);

/* ---- LTE-M timing: phy/ltem.c ---- */

/* One CE-level PRACH attempt of `reps` repetitions (numRepetitionPer-
 * PreambleAttempt-r13: 1, 2, 4, ..., 128) starting in subframe first_sf
 * (counted from SFN 0 subframe 0): repetition k in the k-th PRACH
 * opportunity of p from first_sf on (TS 36.211 5.7.1). prach-Starting-
 * Subframe-r13 is assumed not configured, so first_sf must be an allowed
 * starting subframe: an opportunity whose index among the opportunities of
 * its 1024-frame SFN cycle is a multiple of reps, with all reps
 * repetitions inside the cycle (TS 36.211 5.7.1, BL/CE). Returns the
 * subframe just after the last repetition (which occupies p->subframes
 * subframes), or -1 if first_sf is not an allowed start or reps is not a
 * valid value. */
int64_t phy_ltem_prach_attempt_end(const phy_ltem_prach *p, int64_t first_sf, int reps);
/* Peak Cat-M1 HD-FDD throughput, kbit/s (downlink != 0: PDSCH, else
 * PUSCH), found by searching the best periodic schedule of 1000-bit
 * transport blocks under the Rel-13 timing: DCI 6-1A in n -> PDSCH in n+2
 * -> HARQ-ACK (PUCCH) in n+6; DCI 6-0A in n -> PUSCH in n+4; one guard
 * subframe at each DL <-> UL switch; at most 8 HARQ processes. Gives
 * 3 TBs / 10 ms = 300 (DL) and 3 TBs / 8 ms = 375 (UL). */
double phy_ltem_peak_kbps(int downlink);

#endif
