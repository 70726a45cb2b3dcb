/* ltem.c: LTE-M (Cat-M1, Rel-13) physical-layer tables: PRACH
 * configurations, preamble formats, the LTE TBS table within a narrowband,
 * the MAC timer value sets the LTE-M access procedure uses, the timing of
 * a repeated PRACH attempt and the HD-FDD peak rates. The LTE-M link
 * abstraction is in link.c. */
#include "phy/phy.h"

#include <stddef.h>

/* TS 36.211 Table 5.7.1-2 (frame structure type 1): within each preamble
 * format the 16 configurations share one pattern of system frames and
 * subframes; bit k of `mask` is subframe k. Index 14 is every subframe. */
static const struct {
    uint8_t even_sfn;
    uint16_t mask;
} prach_pattern[16] = {
    {1, 1u << 1},
    {1, 1u << 4},
    {1, 1u << 7},
    {0, 1u << 1},
    {0, 1u << 4},
    {0, 1u << 7},
    {0, (1u << 1) | (1u << 6)},
    {0, (1u << 2) | (1u << 7)},
    {0, (1u << 3) | (1u << 8)},
    {0, (1u << 1) | (1u << 4) | (1u << 7)},
    {0, (1u << 2) | (1u << 5) | (1u << 8)},
    {0, (1u << 3) | (1u << 6) | (1u << 9)},
    {0, 0x155},
    {0, 0x2aa},
    {0, 0x3ff},
    {1, 1u << 9},
};

/* TS 36.211 Table 5.7.1-1: T_CP and T_SEQ in units of Ts = 1/30.72 MHz,
 * and the whole subframes the preamble occupies (with its guard time). */
static const struct {
    int32_t cp_ts, seq_ts, subframes;
} prach_format[4] = {{3168, 24576, 1}, {21024, 24576, 2}, {6240, 49152, 2}, {21024, 49152, 3}};

int phy_ltem_prach_config(int index, phy_ltem_prach *out)
{
    if (index < 0 || index > 63) return -1;
    int fmt = index / 16, row = index % 16;
    /* Not available in Table 5.7.1-2: 30 and 46 (every subframe with a
     * two-subframe preamble), 60 to 62 (format 3's dense patterns). */
    if (index == 30 || index == 46 || (index >= 60 && index <= 62)) return -1;
    out->index = index;
    out->format = fmt;
    out->even_sfn = prach_pattern[row].even_sfn;
    out->subframe_mask = prach_pattern[row].mask;
    out->cp_ts = prach_format[fmt].cp_ts;
    out->seq_ts = prach_format[fmt].seq_ts;
    out->subframes = prach_format[fmt].subframes;
    return 0;
}

int phy_ltem_prach_per_20ms(const phy_ltem_prach *p)
{
    int n = 0;
    for (int k = 0; k < 10; k++)
        n += (p->subframe_mask >> k) & 1u;
    return p->even_sfn ? n : 2 * n;
}

int64_t phy_ltem_prach_next(const phy_ltem_prach *p, int64_t subframe)
{
    if (subframe < 0) subframe = 0;
    /* The pattern repeats every two frames (20 subframes). */
    for (int64_t s = subframe; s < subframe + 20; s++) {
        int64_t sfn = s / 10;
        int sf = (int)(s % 10);
        if (p->even_sfn && (sfn & 1)) continue;
        if ((p->subframe_mask >> sf) & 1u) return s;
    }
    return -1; /* unreachable for a valid configuration */
}

/* TS 36.213 Table 7.1.7.2.1-1, columns N_PRB = 1..6 (one narrowband),
 * rows I_TBS = 0..15. */
static const uint16_t ltem_tbs[16][6] = {
    {16, 32, 56, 88, 120, 152},        {24, 56, 88, 144, 176, 208},
    {32, 72, 144, 176, 208, 256},      {40, 104, 176, 208, 256, 328},
    {56, 120, 208, 256, 328, 408},     {72, 144, 224, 328, 424, 504},
    {88, 176, 256, 392, 504, 600},     {104, 224, 328, 472, 584, 712},
    {120, 256, 392, 536, 680, 808},    {136, 296, 456, 616, 776, 936},
    {144, 328, 504, 680, 872, 1032},   {176, 376, 584, 776, 1000, 1192},
    {208, 440, 680, 904, 1128, 1352},  {224, 488, 744, 1000, 1256, 1544},
    {256, 552, 840, 1128, 1416, 1736}, {280, 600, 904, 1224, 1544, 1800},
};

int phy_ltem_tbs(int i_tbs, int n_prb)
{
    if (i_tbs < 0 || i_tbs > 15 || n_prb < 1 || n_prb > 6) return 0;
    int tbs = ltem_tbs[i_tbs][n_prb - 1];
    /* TS 36.306 4.1 / 36.213 7.1.7: a Rel-13 Cat-M1 transport block holds
     * at most 1000 bits in either direction. */
    return tbs <= PHY_LTEM_MAX_TBS ? tbs : 0;
}

/* TS 36.321 Table 7.2-1: backoff parameter values, ms (indices 0..12;
 * 13..15 reserved). */
static const int16_t ltem_backoff[13] = {0, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 960};

int phy_ltem_backoff_ms(int index)
{
    return index >= 0 && index < 13 ? ltem_backoff[index] : -1;
}

/* TS 36.331 RACH-ConfigCommon: ra-ResponseWindowSize (subframes) and
 * mac-ContentionResolutionTimer (subframes); the -r13 value sets apply per
 * CE level to BL/CE UEs. */
static const int16_t rar_window[8] = {2, 3, 4, 5, 6, 7, 8, 10};
static const int16_t rar_window_ce[8] = {20, 50, 80, 120, 180, 240, 320, 400};
static const int16_t cr_timer[8] = {8, 16, 24, 32, 40, 48, 56, 64};
static const int16_t cr_timer_ce[8] = {80, 100, 120, 160, 200, 240, 480, 960};

static int set_has(const int16_t *v, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (v[i] == x) return 1;
    return 0;
}

int phy_ltem_rar_window_valid(int subframes, int ce)
{
    return ce ? set_has(rar_window_ce, 8, subframes) : set_has(rar_window, 8, subframes);
}

int phy_ltem_cr_timer_valid(int subframes, int ce)
{
    return ce ? set_has(cr_timer_ce, 8, subframes) : set_has(cr_timer, 8, subframes);
}

/* ------------------------------------------------------------ PRACH attempt */

#define LTEM_SFN_CYCLE_SF 10240 /* 1024 frames: the SFN cycle */

/* Opportunities of p in [0, s), s >= 0. The pattern repeats every 20
 * subframes, and 20 divides the SFN cycle. */
static int64_t prach_count_before(const phy_ltem_prach *p, int64_t s)
{
    int64_t n = (s / 20) * phy_ltem_prach_per_20ms(p);
    for (int64_t t = (s / 20) * 20; t < s; t++) {
        if (p->even_sfn && ((t / 10) & 1)) continue;
        n += (p->subframe_mask >> (t % 10)) & 1u;
    }
    return n;
}

int64_t phy_ltem_prach_attempt_end(const phy_ltem_prach *p, int64_t first_sf, int reps)
{
    /* numRepetitionPerPreambleAttempt-r13: n1 ... n128 (TS 36.331). */
    if (reps < 1 || reps > 128 || (reps & (reps - 1)) != 0) return -1;
    if (first_sf < 0 || phy_ltem_prach_next(p, first_sf) != first_sf) return -1;
    /* TS 36.211 5.7.1 (BL/CE): number the subframes allowed for preambles
     * n = 0 .. N - 1 within the SFN cycle; without prach-StartingSubframe-r13
     * the allowed starts are n = j x reps, and none with n > N - reps. */
    int64_t cycle0 = first_sf - first_sf % LTEM_SFN_CYCLE_SF;
    int64_t idx = prach_count_before(p, first_sf) - prach_count_before(p, cycle0);
    int64_t per_cycle = (int64_t)phy_ltem_prach_per_20ms(p) * (LTEM_SFN_CYCLE_SF / 20);
    if (idx % reps != 0 || idx > per_cycle - reps) return -1;
    /* Repetition k in the k-th opportunity from first_sf (consecutive
     * opportunities of a configuration never overlap). */
    int64_t s = first_sf;
    for (int k = 1; k < reps; k++)
        s = phy_ltem_prach_next(p, s + 1);
    return s + p->subframes;
}

/* ------------------------------------------------------------- peak rates */

/* Longest schedule period searched, subframes (2^17 patterns, a few ms).
 * The optima have periods 10 (DL) and 8 (UL); a search up to 20 finds the
 * same (checked once, ~0.5 s). */
#define LTEM_PEAK_TMAX 16

/* One transport block's events relative to its DCI subframe s (Rel-13
 * Cat-M1, FDD, every subframe a BL/CE subframe):
 * DL: MPDCCH (DCI 6-1A) in s; PDSCH in s + 2, the second BL/CE DL subframe
 *     after the DCI (TS 36.213 7.1.11); HARQ-ACK on PUCCH 4 subframes after
 *     the PDSCH, s + 6 (the FDD HARQ-ACK timing; for BL/CE an assumption,
 *     TS 36.213 10.1); the HARQ process is busy from s through the ACK.
 * UL: MPDCCH (DCI 6-0A) in s; PUSCH in s + 4 (TS 36.213 8.0); no PHICH, so
 *     the process is busy from s until the eNB has the PUSCH, taken as the
 *     PUSCH subframe itself.
 * Half duplex: the UE receives (MPDCCH, PDSCH) or transmits (PUSCH, PUCCH)
 * in a subframe, never both, with one idle guard subframe at each switch
 * (half-duplex guard period type B of BL/CE UEs, TS 36.211 4.1: the DL
 * subframe just before and just after an UL subframe is not received). A
 * DL subframe may carry the MPDCCH of one block and the PDSCH of
 * another (frequency multiplexed in the narrowband; an assumption that the
 * published 300 kbit/s figure needs), but one of each at most; one PUSCH or
 * PUCCH per subframe. At most 8 HARQ processes each way in CE mode A
 * (TS 36.213 7 and 8). */
typedef struct ltem_tb_timing {
    int rx[2], n_rx; /* receive offsets: MPDCCH, and PDSCH for DL */
    int tx;          /* transmit offset: PUCCH ACK (DL) or PUSCH (UL) */
    int busy;        /* HARQ process busy over offsets 0 .. busy */
    int harq;
} ltem_tb_timing;

/* Whether DCI subframes `mask` (bit i: a block scheduled at i), repeated
 * with period T, meet the half-duplex, one-per-subframe and HARQ limits. */
static int peak_feasible(const ltem_tb_timing *tm, int T, uint32_t mask)
{
    int kind[LTEM_PEAK_TMAX][3] = {{0}}; /* per subframe: MPDCCH, PDSCH, UL tx */
    for (int s = 0; s < T; s++) {
        if (!((mask >> s) & 1u)) continue;
        for (int i = 0; i < tm->n_rx; i++)
            if (++kind[(s + tm->rx[i]) % T][i] > 1) return 0;
        if (++kind[(s + tm->tx) % T][2] > 1) return 0;
    }
    for (int s = 0; s < T; s++) {
        int rx = kind[s][0] || kind[s][1], tx = kind[s][2];
        int n = (s + 1) % T;
        int rx1 = kind[n][0] || kind[n][1], tx1 = kind[n][2];
        if (rx && tx) return 0;
        if ((rx && tx1) || (tx && rx1)) return 0; /* no guard subframe */
    }
    /* Blocks in flight at subframe t: the periodic copies s + jT with
     * 0 <= t - (s + jT) <= busy. */
    for (int t = 0; t < T; t++) {
        int busy = 0;
        for (int s = 0; s < T; s++) {
            if (!((mask >> s) & 1u)) continue;
            int d = ((t - s) % T + T) % T;
            if (d <= tm->busy) busy += (tm->busy - d) / T + 1;
        }
        if (busy > tm->harq) return 0;
    }
    return 1;
}

double phy_ltem_peak_kbps(int downlink)
{
    static const ltem_tb_timing dl = {{0, 2}, 2, 6, 6, 8};
    static const ltem_tb_timing ul = {{0, 0}, 1, 4, 4, 8};
    const ltem_tb_timing *tm = downlink ? &dl : &ul;
    /* Exhaustive over periods and DCI patterns: the best blocks per
     * subframe. Found: DL period 10, DCIs in 0, 1, 2 -> subframe roles
     * 0 M1, 1 M2, 2 M3 + P1, 3 P2, 4 P3, 5 guard, 6-8 ACK1-3, 9 guard;
     * UL period 8, DCIs in 0, 1, 2 -> 0-2 M1-M3, 3 guard, 4-6 PUSCH1-3,
     * 7 guard (M: MPDCCH, P: PDSCH). */
    int best_k = 0, best_t = 1;
    for (int T = 1; T <= LTEM_PEAK_TMAX; T++) {
        for (uint32_t mask = 1; mask < (1u << T); mask++) {
            int k = 0;
            for (uint32_t m = mask; m; m &= m - 1)
                k++;
            if ((long)k * best_t <= (long)best_k * T) continue; /* not better */
            if (peak_feasible(tm, T, mask)) best_k = k, best_t = T;
        }
    }
    /* kbit/s = bits per ms */
    return (double)best_k * PHY_LTEM_MAX_TBS / best_t;
}
