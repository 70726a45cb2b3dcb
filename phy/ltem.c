/* ltem.c: LTE-M (Cat-M1, Rel-13) physical-layer tables: PRACH
 * configurations, preamble formats, the LTE TBS table within a narrowband,
 * and the MAC timer value sets the LTE-M access procedure uses. */
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
