/* npusch_ref.h: the hand timing the timeline tests (test_timeline.c,
 * test_pur.c) share: the NPDCCH search spaces of a CE level (TS 36.213
 * 16.6), uplink power control (TS 36.213 16.2.1.1), an NPUSCH's transmit
 * time (TS 36.211 Table 10.1.2.3-1) and its postponement around NPRACH
 * (TS 36.211 10.1.3.6) and a HARQ-ACK's (TS 36.213 Table 16.4.2-1),
 * written out from the specification, not from
 * mac/. The including test sets R_ (its cell) and map_ (its valid
 * downlink subframes). */
#ifndef MTCSIM_TESTS_NPUSCH_REF_H
#define MTCSIM_TESTS_NPUSCH_REF_H

#include "mac/mac.h"

#include <math.h>

static const mac_radio_cfg *R_;
static phy_dl_map map_;
static int acks_postponed_; /* HARQ-ACKs the hand timelines postponed */

static inline sim_time_t ss_next(int ce, sim_time_t t)
{
    const mac_ce_cfg *k = &R_->ce[ce];
    sim_time_t T = (sim_time_t)llround(k->npdcch_rmax * k->npdcch_g) * SIM_MS;
    sim_time_t off = (sim_time_t)floor(k->npdcch_offset * (double)(T / SIM_MS)) * SIM_MS;
    return t <= off ? off : off + ((t - off + T - 1) / T) * T;
}

/* Receive span of a search space: Rmax valid subframes, at most T. */
static inline sim_time_t ss_rx_(int ce)
{
    const mac_ce_cfg *k = &R_->ce[ce];
    sim_time_t T = (sim_time_t)llround(k->npdcch_rmax * k->npdcch_g) * SIM_MS;
    sim_time_t first_ss = ss_next(ce, 0);
    sim_time_t rx = phy_dl_span_end(&map_, first_ss, k->npdcch_rmax) - first_ss;
    return rx < T ? rx : T;
}

static inline int64_t monitor(int ce, sim_time_t a, sim_time_t b)
{
    const mac_ce_cfg *k = &R_->ce[ce];
    sim_time_t T = (sim_time_t)llround(k->npdcch_rmax * k->npdcch_g) * SIM_MS;
    const sim_time_t rx = ss_rx_(ce);
    int64_t total = 0;
    for (sim_time_t s = ss_next(ce, a); s < b; s += T) /* one search space at a time */
        total += b - s < rx ? b - s : rx;
    return total;
}

/* Uplink power control as in TS 36.213 16.2.1.1 (see mac_ul_link). */
static inline double ul_power(const phy_ul_grant *g, double cl)
{
    const phy_link_cfg *l = &R_->link;
    double bw = g->scs_3k75 ? 3750.0 : 15000.0 * g->tones;
    double res = (double)g->n_ru * (g->tones == 1 ? 96.0 : 144.0);
    phy_chan ch = phy_npusch_chan(g->tones, g->scs_3k75);
    double req = phy_required_snr_db(l, ch, g->tbs + 24.0, res);
    if (g->reps > 2) return l->ue_max_dbm;
    double p = req - phy_rep_snr_db(l, ch, 0, g->reps) + l->pc_margin_db +
               phy_noise_dbm(bw, l->enb_nf_db) + l->ul_interference_db + cl;
    return p < l->ue_min_dbm ? l->ue_min_dbm : p < l->ue_max_dbm ? p : l->ue_max_dbm;
}

/* Transmitting time of an NPUSCH: resource units x repetitions, written
 * out from TS 36.211 Table 10.1.2.3-1 (the gaps come on top). */
static inline sim_time_t ul_tx(const phy_ul_grant *g)
{
    /* RU length: 1 tone 8 ms (32 ms at 3.75 kHz), 3 tones 4 ms, 6 tones
     * 2 ms, 12 tones 1 ms */
    sim_time_t ru = g->scs_3k75     ? 32
                    : g->tones == 1 ? 8
                    : g->tones == 3 ? 4
                    : g->tones == 6 ? 2
                                    : 1;
    return ru * SIM_MS * g->n_ru * g->reps;
}

/* TS 36.211 10.1.3.6 by hand, 100 us at a time: an NPUSCH of tx us on
 * subcarriers that share the NPRACH of the CE levels in `levels` transmits
 * in every step outside those levels' NPRACH occasions (nprach-StartTime +
 * n x period, for the attempt's duration) and pauses in the others; after
 * 256 ms transmitted or paused it pauses 40 ms (none after its end). */
static inline sim_time_t npusch_end_by_hand(sim_time_t s, sim_time_t tx, unsigned levels)
{
    const mac_radio_cfg *r = R_;
    const sim_time_t step = 100;
    sim_time_t t = s, left = tx, since = 0;
    while (left > 0) {
        if (since == 256 * SIM_MS) {
            t += 40 * SIM_MS;
            since = 0;
            continue;
        }
        int busy = 0;
        for (int k = 0; k < r->n_ce; k++) {
            if (!(levels & 1u << k)) continue;
            sim_time_t P = (sim_time_t)llround(r->ce[k].nprach_period_ms) * SIM_MS;
            sim_time_t s0 = (sim_time_t)llround(r->ce[k].nprach_start_ms) * SIM_MS;
            sim_time_t D = phy_nprach_duration(r->ce[k].nprach_reps, r->nprach_format);
            busy |= t >= s0 && (t - s0) % P < D;
        }
        t += step;
        since += step;
        if (!busy) left -= step;
    }
    return t;
}

/* The NPRACH zone a lone NPUSCH of grant `res` (the reservation's grant)
 * starting at s takes: each CE level's NPRACH subcarriers wide enough for
 * its units (3.75 kHz: 1, 15 kHz: 4 per tone), or the whole carrier (every
 * level); the one ending first, ties to the lowest subcarriers. Returns
 * its levels. */
static inline unsigned zone_by_hand(sim_time_t s, const phy_ul_grant *res)
{
    const mac_radio_cfg *r = R_;
    int units = res->scs_3k75 ? 1 : 4 * res->tones;
    unsigned best = (1u << r->n_ce) - 1;
    sim_time_t best_end = npusch_end_by_hand(s, ul_tx(res), best);
    for (int k = r->n_ce - 1; k >= 0; k--) { /* ties: the lowest subcarriers */
        if (r->ce[k].subcarriers < units) continue;
        sim_time_t e = npusch_end_by_hand(s, ul_tx(res), 1u << k);
        if (e <= best_end) best = 1u << k, best_end = e;
    }
    return best;
}

/* End of a HARQ-ACK of ack_tx transmission starting at s: TS 36.213
 * Table 16.4.2-1 offers subcarriers 38 ... 45 at 3.75 kHz and 0 ... 3 at
 * 15 kHz (3.75 kHz units 4n ... 4n + 3); each is postponed around the
 * NPRACH of the levels whose subcarriers it overlaps; the earliest end. */
static inline sim_time_t ack_end_by_hand(sim_time_t s, sim_time_t ack_tx, int scs_3k75)
{
    const mac_radio_cfg *r = R_;
    sim_time_t best = SIM_NEVER;
    for (int i = 0; i < (scs_3k75 ? 8 : 4); i++) {
        int lo = scs_3k75 ? 38 + i : 4 * i, hi = scs_3k75 ? lo : lo + 3;
        unsigned levels = 0;
        for (int k = 0; k < r->n_ce; k++) {
            int a = r->ce[k].subcarrier_offset, b = a + r->ce[k].subcarriers - 1;
            if (lo <= b && hi >= a) levels |= 1u << k;
        }
        sim_time_t e = npusch_end_by_hand(s, ack_tx, levels);
        if (e < best) best = e;
    }
    acks_postponed_ += best > npusch_end_by_hand(s, ack_tx, 0);
    return best;
}

#endif
