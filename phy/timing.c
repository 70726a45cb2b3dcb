/* timing.c: NB-IoT transmission durations (NPRACH, NPUSCH, HARQ-ACK) and the
 * map of valid downlink subframes.
 *
 * Time is integer microseconds; subframe k is [k ms, k+1 ms) and sim time 0 is
 * the start of SFN 0, subframe 0. */
#include <stdint.h>

#include "phy/phy.h"

#define PHY_UL_GAP_AFTER (256 * SIM_MS) /* TS 36.211 10.1.3.6 (FDD) */
#define PHY_UL_GAP_LEN   (40 * SIM_MS)
#define PHY_DL_PERIOD    2560 /* SIB1-NB period in subframes (256 frames) */

/* ------------------------------------------------------------ durations */

sim_time_t phy_nprach_tx_time(int reps, int format)
{
    if (reps < 1) reps = 1;
    return (sim_time_t)reps * (format == 1 ? 6400 * SIM_US : 5600 * SIM_US);
}

sim_time_t phy_nprach_duration(int reps, int format)
{
    /* One repetition is 4 symbol groups: 4 x 1.4 ms (format 0, CP 66.7 us)
     * or 4 x 1.6 ms (format 1, CP 266.7 us); TS 36.211 10.1.6.1. The 40 ms
     * gap follows every 64 repetitions (4 x 64 symbol groups), none after the
     * last one. Any format other than 1 is taken as format 0. */
    if (reps < 1) reps = 1;
    sim_time_t gaps = (sim_time_t)((reps - 1) / 64);
    return phy_nprach_tx_time(reps, format) + gaps * PHY_UL_GAP_LEN;
}

sim_time_t phy_ru_duration(int tones, int scs_3k75)
{
    /* TS 36.211 Table 10.1.2.3-1: 16 slots for one tone, 8/4/2 slots for
     * 3/6/12 tones; a slot is 0.5 ms at 15 kHz and 2 ms at 3.75 kHz.
     * Returns 0 for a combination the standard does not define. */
    if (scs_3k75) return tones == 1 ? 32 * SIM_MS : 0;
    switch (tones) {
    case 1:
        return 8 * SIM_MS;
    case 3:
        return 4 * SIM_MS;
    case 6:
        return 2 * SIM_MS;
    case 12:
        return 1 * SIM_MS;
    default:
        return 0;
    }
}

/* Adds the 40 ms uplink gap after every 256 ms of transmission, none after
 * the end (TS 36.211 10.1.3.6; NPRACH postponements are mac's business). */
static sim_time_t with_ul_gaps(sim_time_t tx)
{
    if (tx <= 0) return 0;
    return tx + (tx - 1) / PHY_UL_GAP_AFTER * PHY_UL_GAP_LEN;
}

sim_time_t phy_npusch_duration(int tones, int scs_3k75, int n_ru, int reps)
{
    if (n_ru < 1) n_ru = 1;
    if (reps < 1) reps = 1;
    return with_ul_gaps(phy_ru_duration(tones, scs_3k75) * n_ru * reps);
}

sim_time_t phy_ack_duration(int reps, int scs_3k75)
{
    /* NPUSCH format 2 is one RU of 4 slots: 2 ms at 15 kHz, 8 ms at
     * 3.75 kHz (TS 36.211 Table 10.1.2.3-1). The 10.1.3.6 gap rule covers
     * all NPUSCH, so long 3.75 kHz ACK bundles (>= 64 reps) get gaps too. */
    if (reps < 1) reps = 1;
    return with_ul_gaps((sim_time_t)reps * (scs_3k75 ? 8 : 2) * SIM_MS);
}

sim_time_t phy_ack_tx_time(int reps, int scs_3k75)
{
    if (reps < 1) reps = 1;
    return (sim_time_t)reps * (scs_3k75 ? 8 : 2) * SIM_MS;
}

sim_time_t phy_ul_tx_time(const phy_ul_grant *g)
{
    if (g->n_prb) return g->duration; /* LTE-M PUSCH */
    return phy_ru_duration(g->tones, g->scs_3k75) * (g->n_ru < 1 ? 1 : g->n_ru) *
           (g->reps < 1 ? 1 : g->reps);
}

/* ------------------------------------------------------- valid DL subframes */

void phy_dl_map_init(phy_dl_map *m, int sib1_reps, int pci)
{
    /* SIB1-NB (TS 36.213 16.4.1.3; srsRAN ra_nbiot.c first_frame_sib1, OAI
     * init_tool_sib1): each repetition takes subframe 4 of every other frame
     * over 16 frames (8 subframes), starting at frame `start`; the
     * repetitions are evenly spaced 256/reps frames apart in the 256-frame
     * period. Start frame (Table 16.4.1.3-4): 4 reps: 0/16/32/48 by PCI mod 4;
     * 8 reps: 0/16 by PCI mod 2; 16 reps: 0/1 by PCI mod 2. Any other
     * sib1_reps (e.g. 0) removes no SIB1 subframe. */
    static const int start4[4] = {0, 16, 32, 48};
    static const int start8[2] = {0, 16};
    static const int start16[2] = {0, 1};
    unsigned upci = (unsigned)(pci < 0 ? -(long)pci : pci);
    uint8_t sib1_frame[PHY_DL_PERIOD / 10] = {0};
    int start = -1;
    if (sib1_reps == 4) start = start4[upci % 4];
    if (sib1_reps == 8) start = start8[upci % 2];
    if (sib1_reps == 16) start = start16[upci % 2];
    if (start >= 0) {
        int spacing = 256 / sib1_reps;
        for (int rep = 0; rep < sib1_reps; rep++)
            for (int j = 0; j < 8; j++)
                sib1_frame[(start + rep * spacing + 2 * j) % 256] = 1;
    }
    m->before[0] = 0;
    for (int i = 0; i < PHY_DL_PERIOD; i++) {
        int frame = i / 10, sf = i % 10;
        int v = 1;
        if (sf == 0 || sf == 5) v = 0;           /* NPBCH, NPSS (TS 36.211 10.2.4, 10.2.7.1) */
        if (sf == 9 && frame % 2 == 0) v = 0;    /* NSSS in even frames (10.2.7.2) */
        if (sf == 4 && sib1_frame[frame]) v = 0; /* SIB1-NB */
        m->valid[i] = (uint8_t)v;
        if (v) m->at[m->before[i]] = (uint16_t)i;
        m->before[i + 1] = (uint16_t)(m->before[i] + v);
    }
}

void phy_dl_map_all_valid(phy_dl_map *m)
{
    for (int i = 0; i < PHY_DL_PERIOD; i++) {
        m->valid[i] = 1;
        m->before[i] = (uint16_t)i;
        m->at[i] = (uint16_t)i;
    }
    m->before[PHY_DL_PERIOD] = PHY_DL_PERIOD;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0)) q--;
    return q;
}

/* First subframe index k with k ms >= t. */
static int64_t ceil_ms(sim_time_t t)
{
    return -floor_div(-t, SIM_MS);
}

/* Valid subframes among subframes [0, k). */
static int64_t valid_before(const phy_dl_map *m, int64_t k)
{
    int64_t q = floor_div(k, PHY_DL_PERIOD);
    int r = (int)(k - q * PHY_DL_PERIOD);
    return q * m->before[PHY_DL_PERIOD] + m->before[r];
}

sim_time_t phy_dl_next_valid(const phy_dl_map *m, sim_time_t t)
{
    /* Invalid runs are at most two subframes (4-5 with SIB1, 9-0 with NSSS),
     * so this loop is bounded. */
    int64_t k = ceil_ms(t);
    int64_t q = floor_div(k, PHY_DL_PERIOD);
    int r = (int)(k - q * PHY_DL_PERIOD);
    while (!m->valid[r]) {
        if (++r == PHY_DL_PERIOD) {
            r = 0;
            q++;
        }
    }
    return (q * PHY_DL_PERIOD + r) * SIM_MS;
}

sim_time_t phy_dl_span_end(const phy_dl_map *m, sim_time_t t, int n)
{
    if (n < 1) n = 1;
    int64_t per = m->before[PHY_DL_PERIOD];
    /* Rank (0-based, counted from the start of period q) of the n-th valid
     * subframe at or after t, then whole periods out of it. */
    int64_t k = ceil_ms(t);
    int64_t q = floor_div(k, PHY_DL_PERIOD);
    int r = (int)(k - q * PHY_DL_PERIOD);
    int64_t rank = m->before[r] + (int64_t)(n - 1);
    q += rank / per;
    rank %= per;
    /* the subframe of that rank, from the table */
    return (q * PHY_DL_PERIOD + m->at[rank] + 1) * SIM_MS;
}

int64_t phy_dl_count(const phy_dl_map *m, sim_time_t a, sim_time_t b)
{
    /* A subframe counts when its start lies in [a, b). */
    if (b <= a) return 0;
    return valid_before(m, ceil_ms(b)) - valid_before(m, ceil_ms(a));
}
