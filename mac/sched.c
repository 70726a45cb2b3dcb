/* sched.c: the cell's shared resources and search-space arithmetic.
 *
 * Downlink: one NB-IoT carrier (LTE-M: one narrowband) that carries one
 * DCI or data block at a time; a DCI starts at a search-space start
 * (TS 36.213 16.6, 9.1.5) and its NPDSCH at the first valid subframe
 * >= n + 5 (TS 36.213 16.4.1, k0 = 0); an LTE-M PDSCH in the second BL/CE
 * DL subframe after the MPDCCH's last subframe n (TS 36.213 7.1.11). Uplink:
 * NB-IoT 48 units of 3.75 kHz (a 15 kHz tone is 4 units); LTE-M the PRBs
 * of ul_narrowbands narrowbands, a PUSCH inside one narrowband. Each resource keeps its
 * reserved intervals, so a request takes the earliest slot that fits,
 * before or between existing reservations (first fit in time; requests are
 * served in the order the procedures make them).
 */
#include "mac/mac_internal.h"

#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- search */

/* TS 36.213 16.6 (NB-IoT), 9.1.5 (MPDCCH): a search space starts where
 * (10 SFN + subframe) mod T = floor(alpha T), SFN counting 0 ... 1023: the
 * grid restarts every 10240 subframes, so with a period that does not
 * divide 10240 (G = 1.5, 2.5) the last space of a cycle is followed sooner
 * than T by the next cycle's first. Spaces are numbered k = 0, 1, ... from
 * time 0: `per` in each cycle. */
#define SFN_CYCLE (10240 * SIM_MS)

static int64_t ss_per_cycle(const mac_cell *c, int ce)
{
    return (SFN_CYCLE - 1 - c->ss_offset[ce]) / c->ss_period[ce] + 1;
}

/* Search spaces starting before t (t >= 0). */
static int64_t ss_before(const mac_cell *c, int ce, sim_time_t t)
{
    const sim_time_t T = c->ss_period[ce], off = c->ss_offset[ce], x = t % SFN_CYCLE;
    return (t / SFN_CYCLE) * ss_per_cycle(c, ce) + (x <= off ? 0 : (x - 1 - off) / T + 1);
}

static sim_time_t ss_start(const mac_cell *c, int ce, int64_t k)
{
    const int64_t per = ss_per_cycle(c, ce);
    return (k / per) * SFN_CYCLE + c->ss_offset[ce] + (k % per) * c->ss_period[ce];
}

/* Receive span of space k: Rmax valid subframes (ss_rx), cut short by the
 * next space (the cycle's last one may be followed early). */
static sim_time_t ss_len(const mac_cell *c, int ce, int64_t k)
{
    sim_time_t gap = ss_start(c, ce, k + 1) - ss_start(c, ce, k);
    return c->ss_rx[ce] < gap ? c->ss_rx[ce] : gap;
}

sim_time_t sched_ss_next(const mac_cell *c, int ce, sim_time_t t)
{
    return ss_start(c, ce, ss_before(c, ce, t < 0 ? 0 : t));
}

sim_time_t sched_ss_after(const mac_cell *c, int ce, sim_time_t t, int n)
{
    return ss_start(c, ce, ss_before(c, ce, t < 0 ? 0 : t) + n);
}

/* Downlink reservations of a narrowband. NB-IoT: one timeline, one DCI or
 * NPDSCH at a time. LTE-M: DCIs (dl) and PDSCHs (dld) may share a subframe
 * when the DCI is narrow (2 PRBs) and the PDSCH is narrow (at most 4 PRBs);
 * an item wider than its share also goes to dlw, where the other kind
 * finds it. `data`: 1 for a PDSCH, 0 for a DCI. */
static sim_time_t dl_conflict(const mac_cell *c, int nb, int data, int narrow, sim_time_t s,
                              sim_time_t e)
{
    if (c->r.rat != MAC_RAT_LTEM) return tl_conflict(&c->cur->dl[nb], s, e);
    sim_time_t x = tl_conflict(data ? &c->cur->dld[nb] : &c->cur->dl[nb], s, e);
    if (x) return x;
    return tl_conflict(narrow ? &c->cur->dlw[nb] : data ? &c->cur->dl[nb] : &c->cur->dld[nb], s, e);
}

static void reserve_dl(mac_cell *c, int nb, int data, int narrow, sim_time_t s, sim_time_t e)
{
    if (e <= s) return;
    if (c->r.rat != MAC_RAT_LTEM) {
        if (tl_add(&c->cur->dl[nb], s, e) != 0) c->oom = 1;
        mac_busy(c, (int)(c->cur - c->car), 0, s, e, 1.0);
        return;
    }
    if (tl_add(data ? &c->cur->dld[nb] : &c->cur->dl[nb], s, e) != 0) c->oom = 1;
    if (!narrow && tl_add(&c->cur->dlw[nb], s, e) != 0) c->oom = 1;
    /* busy counts PRB-time: a narrow DCI 2 of 6 PRBs, a narrow PDSCH 4 */
    mac_busy(c, (int)(c->cur - c->car), 0, s, e, narrow ? (data ? 4.0 : 2.0) / 6.0 : 1.0);
}

int sched_narrow_flags(const mac_cell *c, const phy_link_cfg *l, double cl_db, int R,
                       const phy_dl_grant *g)
{
    if (c->r.rat != MAC_RAT_LTEM) return 0;
    int f = R == 1 && phy_ltem_mpdcch_fits(l, cl_db, 2) ? SCHED_DCI_NARROW : 0;
    if (g && g->n_prb && g->n_prb <= 4) f |= SCHED_DATA_NARROW;
    return f;
}

/* Candidate j of an R-repetition DCI in the search space starting at ss:
 * it starts after j x R valid subframes of the space (TS 36.213 16.6). */
static sim_time_t candidate(const mac_cell *c, sim_time_t ss, int j, int R)
{
    return j == 0 ? phy_dl_next_valid(c->cur->map, ss)
                  : phy_dl_next_valid(c->cur->map, phy_dl_span_end(c->cur->map, ss, j * R));
}

/* The start of the first search space after the one at ss with a
 * candidate at or after lo: the space in progress at lo, or an earlier one
 * still running then (a space of Rmax valid subframes can outlast its
 * period, NB-IoT with G = 1.5 around invalid subframes, and the last space
 * of an SFN cycle is followed early). */
static sim_time_t space_reaching(const mac_cell *c, int ce, sim_time_t ss, sim_time_t lo, int R,
                                 int cands)
{
    int64_t k = ss_before(c, ce, lo + 1) - 1;
    const int64_t k_ss = ss_before(c, ce, ss + 1) - 1;
    while (k - 1 > k_ss && candidate(c, ss_start(c, ce, k - 1), cands - 1, R) >= lo)
        k--;
    return ss_start(c, ce, k);
}

/* Index of the first candidate of the space at ss that starts at or after
 * x: candidate j starts at the (j R)-th valid subframe from ss. */
static int64_t first_cand_at(const mac_cell *c, sim_time_t ss, sim_time_t x, int R)
{
    return x > ss ? (phy_dl_count(c->cur->map, ss, x) + R - 1) / R : 0;
}

/* Adds [a, b) to the starts known to fail, [*from, *to): joined when they
 * meet, else in its place (an older stretch is then searched again). */
static void known_busy(sim_time_t *from, sim_time_t *to, sim_time_t a, sim_time_t b)
{
    if (a <= *to && b >= *from) {
        if (a < *from) *from = a;
        if (b > *to) *to = b;
    } else {
        *from = a;
        *to = b;
    }
}

/* Free DCI slot on the level's search spaces at or after t: the first
 * candidate, space by space and j by j, whose R subframes are not reserved
 * and that starts at or after t. Returns 0 and the DCI interval, or -1 if
 * none starts by `latest`. With `pdsch` > 0, the NPDSCH of that many valid
 * subframes after it (TS 36.213 16.4.1) must be free too. */
static int dci_slot(mac_cell *c, int ce, sim_time_t t, int R, int pdsch, int flags,
                    sim_time_t latest, const drx_win *w, dl_slot *s)
{
    const int nd = flags & SCHED_DCI_NARROW, np = (flags & SCHED_DATA_NARROW) != 0;
    const int rmax = c->r.ce[ce].npdcch_rmax;
    const int cands = R < rmax ? rmax / R : 1;
    /* LTE-M: a device listening from t can take any later candidate of the
     * search space in progress (MPDCCH candidates are self-contained, TS
     * 36.213 9.1.5); NB-IoT: from the next search space on (a conservative
     * reading kept from the first NB-IoT model). */
    sim_time_t from = t;
    if (c->r.rat == MAC_RAT_LTEM && ss_before(c, ce, t + 1) > 0)
        from = ss_start(c, ce, ss_before(c, ce, t + 1) - 1);
    /* Starts known to fail, [k_from, k_to): a busy run of the downlink, or
     * outside LTE-M's Active Time. Such a bound, learnt at a candidate,
     * covers the starts after it only: a space can outlast the next one's
     * start (NB-IoT G = 1.5 around invalid subframes; the last space of an
     * SFN cycle), so candidates are not visited in time order. */
    sim_time_t k_from = t, k_to = t;
    for (;;) {
        sim_time_t ss = sched_ss_next(c, ce, from);
        if (ss > latest) return -1;
        /* connected-mode DRX: NB-IoT monitors the search spaces that start
         * in its Active Time (counted in PDCCH periods) */
        if (w && c->r.rat == MAC_RAT_NBIOT) {
            const sim_time_t a = drx_next_active(c, w, ss);
            if (a > ss) {
                from = a;
                continue;
            }
        }
        const int64_t j0 = first_cand_at(c, ss, t, R); /* none before t */
        for (int j = (int)(j0 < cands ? j0 : cands); j < cands; j++) {
            sim_time_t d0 = candidate(c, ss, j, R);
            if (d0 >= k_from && d0 < k_to) {
                /* known to fail: on to the first candidate after them,
                 * their spans uncomputed (an overloaded downlink walked
                 * them one by one) */
                const int64_t f = first_cand_at(c, ss, k_to, R);
                if (f >= cands) break;
                j = (int)f;
                d0 = candidate(c, ss, j, R);
            }
            if (d0 > latest) break; /* this space's later candidates start later */
            if (w && c->r.rat == MAC_RAT_LTEM) {
                /* LTE-M: a candidate that starts in the Active Time */
                const sim_time_t a = drx_next_active(c, w, d0);
                if (a > d0) {
                    known_busy(&k_from, &k_to, d0, a);
                    continue;
                }
            }
            sim_time_t d1 = phy_dl_span_end(c->cur->map, d0, R);
            s->dci_start = d0;
            s->dci_end = d1;
            if (pdsch > 0) {
                if (c->r.rat == MAC_RAT_LTEM)
                    /* the 2nd BL/CE DL subframe after the MPDCCH's last one */
                    s->pdsch_start =
                        phy_dl_next_valid(c->cur->map, phy_dl_next_valid(c->cur->map, d1) + SIM_MS);
                else /* NPDSCH from the first valid subframe at or after n + 5 */
                    s->pdsch_start = phy_dl_next_valid(c->cur->map, d1 + 4 * SIM_MS);
                s->pdsch_end = phy_dl_span_end(c->cur->map, s->pdsch_start, pdsch);
            } else {
                s->pdsch_start = s->pdsch_end = d1;
            }
            /* the first narrowband where the DCI and its data are both free
             * (a device's DCI and PDSCH share a narrowband: no retuning) */
            sim_time_t busy = SIM_NEVER; /* no DCI free from d0 before */
            for (int nb = 0; nb < c->n_dl_nb; nb++) {
                const sim_time_t x = dl_conflict(c, nb, 0, nd, d0, d1);
                if (x) {
                    /* LTE-M: the conflict's end (a narrowband's two
                     * timelines are each full of gaps the other fills, so
                     * a walk of each gains nothing; measured) */
                    const sim_time_t b =
                        c->r.rat == MAC_RAT_LTEM
                            ? x
                            : tl_busy_until_dl(&c->cur->dl[nb], c->cur->map, d0, R);
                    if (b < busy) busy = b;
                    continue;
                }
                busy = 0;
                if (pdsch <= 0 || !dl_conflict(c, nb, 1, np, s->pdsch_start, s->pdsch_end)) {
                    s->nb = nb;
                    return 0;
                }
            }
            /* the DCI met a reservation on every narrowband */
            if (busy != SIM_NEVER) known_busy(&k_from, &k_to, d0, busy);
        }
        /* On to the next space, or past the spaces whose candidates all
         * start in the stretch known to fail (the next one's first
         * candidate is in it, and first candidates only grow). */
        from = ss + 1;
        if (k_to > from) { /* (nothing is known to fail past this space otherwise) */
            const sim_time_t next = sched_ss_next(c, ce, from);
            if (k_to > next && candidate(c, next, 0, R) >= k_from) {
                const sim_time_t f = space_reaching(c, ce, ss, k_to, R, cands);
                if (f > from) from = f;
            }
        }
    }
}

/* Pruning only drops intervals that ended (searches start at now or
 * later and skip them anyway), so once per instant is enough. */
static void prune_dl(mac_cell *c)
{
    const sim_time_t now = sim_now(c->engine);
    if (now == c->cur->dl_pruned_at) return;
    c->cur->dl_pruned_at = now;
    for (int nb = 0; nb < c->n_dl_nb; nb++) {
        tl_prune(&c->cur->dl[nb], now);
        tl_prune(&c->cur->dld[nb], now);
        tl_prune(&c->cur->dlw[nb], now);
    }
}

int sched_dl(mac_cell *c, int car, int ce, sim_time_t t, int R, int n_sub, int flags,
             sim_time_t latest, const drx_win *w, dl_slot *s)
{
    c->cur = &c->car[car];
    prune_dl(c);
    if (dci_slot(c, ce, t, R, n_sub, flags, latest, w, s) != 0) return -1;
    reserve_dl(c, s->nb, 0, flags & SCHED_DCI_NARROW, s->dci_start, s->dci_end);
    reserve_dl(c, s->nb, 1, (flags & SCHED_DATA_NARROW) != 0, s->pdsch_start, s->pdsch_end);
    return 0;
}

int ul_units(const phy_ul_grant *g)
{
    if (g->n_prb) return g->n_prb; /* LTE-M: PRBs */
    return g->scs_3k75 ? 1 : 4 * g->tones;
}

/* Among the units in list[0..nl), takes `units` free over [s, s + dur),
 * preferring those whose previous reservation ends closest before s (tight
 * packing); -1 if too few are free (*first_free: the earliest end of a
 * conflicting reservation). */
static int pick_units(mac_cell *c, const int *list, int nl, int units, sim_time_t s, sim_time_t dur,
                      sim_time_t *first_free, int commit)
{
    int cand[UL_UNITS], nc = 0;
    sim_time_t prev[UL_UNITS];
    for (int i = 0; i < nl; i++) {
        const tline *t = &c->cur->ul[list[i]];
        if (t->last_end <= s) { /* free from s on: no lookup */
            prev[nc] = t->first < t->nb ? t->last_end : INT64_MIN;
            cand[nc++] = list[i];
            continue;
        }
        const tl_pos j = tl_find(t, s);
        const ivl *v = tl_at(t, j);
        if (v && v->s < s + dur) { /* busy somewhere in [s, s + dur) */
            if (v->e < *first_free) *first_free = v->e;
            continue;
        }
        prev[nc] = tl_prev_end(t, j);
        cand[nc++] = list[i];
    }
    if (nc < units) return -1;
    if (!commit) return 0; /* a probe: it fits, nothing is reserved */
    for (int k = 0; k < units; k++) {
        int best = k;
        if (nc > units)
            for (int j = k + 1; j < nc; j++)
                if (prev[j] > prev[best]) best = j;
        int u = cand[best];
        sim_time_t pb = prev[best];
        cand[best] = cand[k];
        prev[best] = prev[k];
        cand[k] = u;
        prev[k] = pb;
        if (tl_add(&c->cur->ul[u], s, s + dur) != 0) c->oom = 1;
    }
    mac_busy(c, (int)(c->cur - c->car), 1, s, s + dur, (double)units);
    return 0;
}

/* The earliest start >= s at which `units` of list[0..nl) could all be free
 * for txmin: the units-th smallest busy-run end (SIM_NEVER if nl < units).
 * A start before it cannot succeed: an NPUSCH lasts at least its
 * transmission time, postponed or not. */
static sim_time_t zone_free_from(const mac_cell *c, const int *list, int nl, int units,
                                 sim_time_t s, sim_time_t txmin)
{
    sim_time_t best[UL_UNITS];
    int nb = 0, at_s = 0;
    for (int i = 0; i < nl; i++) {
        sim_time_t m = tl_busy_until(&c->cur->ul[list[i]], s, txmin);
        /* no result is below s: `units` units free at s settle it */
        if (m == s && ++at_s == units) return s;
        if (nb == units && m >= best[nb - 1]) continue;
        int j = nb < units ? nb++ : nb - 1;
        for (; j > 0 && best[j - 1] > m; j--)
            best[j] = best[j - 1];
        best[j] = m;
    }
    return nb < units ? SIM_NEVER : best[units - 1];
}

/* Reserves the grant's units for its transmission from s: LTE-M in one
 * narrowband (the first with room) for g->duration; NB-IoT within one
 * NPRACH zone (the subcarriers of one CE level's NPRACH, or those of none),
 * the zone whose postponement around NPRACH ends the NPUSCH first, for
 * that postponed span; a grant wider than every zone spans the carrier.
 * *levels (may be NULL) gets the zone's NPRACH levels, *end the NPUSCH's
 * end. -1 if nothing fits (*free_at as pick_units; *no_start, if not NULL:
 * no start in [s, *no_start) can succeed either, as long as no reservation
 * is added). */
static int take_units_hint(mac_cell *c, const phy_ul_grant *g, sim_time_t s, sim_time_t *end,
                           unsigned *levels, sim_time_t *free_at, sim_time_t *no_start, int commit)
{
    const int units = ul_units(g);
    sim_time_t first_free = SIM_NEVER;
    int list[UL_UNITS];
    /* no NPRACH zones: LTE-M, or a non-anchor carrier without NPRACH (only
     * the 40 ms gaps of TS 36.211 10.1.3.6 there) */
    const int no_zones = !c->radio->ul_postpone || g->n_prb;
    if (no_zones || !mac_car_nprach(c, (int)(c->cur - c->car))) {
        const sim_time_t dur = no_zones ? g->duration : sched_npusch_end(c, 0, s, g) - s;
        for (int g0 = 0; g0 < c->n_units; g0 += c->unit_group) {
            for (int u = 0; u < c->unit_group; u++)
                list[u] = g0 + u;
            if (pick_units(c, list, c->unit_group, units, s, dur, &first_free, commit) == 0) {
                *end = s + dur;
                if (levels) *levels = 0;
                return 0;
            }
        }
        if (free_at) *free_at = first_free;
        if (no_start) {
            *no_start = SIM_NEVER;
            for (int g0 = 0; g0 < c->n_units; g0 += c->unit_group) {
                for (int u = 0; u < c->unit_group; u++)
                    list[u] = g0 + u;
                sim_time_t f = zone_free_from(c, list, c->unit_group, units, s, g->duration);
                if (f < *no_start) *no_start = f;
            }
        }
        return -1;
    }
    if (c->n_zones == 0) sched_build_zones(c);
    sim_time_t zend[UL_UNITS + 1], from = SIM_NEVER;
    const sim_time_t txmin = phy_ul_tx_time(g);
    /* the end without postponement: no zone's NPUSCH ends earlier */
    const sim_time_t unpostponed = sched_npusch_end(c, 0, s, g);
    int order[UL_UNITS + 1], no = 0;
    for (int z = 0; z < c->n_zones; z++)
        if (c->zone_n[z] >= units) {
            /* a zone without enough units free for the bare transmission
             * cannot hold the postponed one: spare the postponement walk */
            int zl[UL_UNITS];
            for (int j = 0; j < c->zone_n[z]; j++)
                zl[j] = c->zone_unit[z][j];
            sim_time_t f = zone_free_from(c, zl, c->zone_n[z], units, s, txmin);
            if (f < from) from = f;
            if (f > s) continue;
            zend[z] = sched_npusch_end(c, c->zone_levels[z], s, g);
            order[no++] = z;
            /* Ending unpostponed, z comes first in the order below after
             * the zones listed before it with that end, which have been
             * tried here already: try it now (a failure is tried again
             * below, with no effect). */
            if (zend[z] == unpostponed &&
                pick_units(c, zl, c->zone_n[z], units, s, zend[z] - s, &first_free, commit) == 0) {
                *end = zend[z];
                if (levels) *levels = c->zone_levels[z];
                return 0;
            }
        }
    /* earliest end first; ties: the zone listed first */
    for (int i = 1; i < no; i++)
        for (int j = i; j > 0 && zend[order[j]] < zend[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < no; i++) {
        int z = order[i];
        for (int j = 0; j < c->zone_n[z]; j++)
            list[j] = c->zone_unit[z][j];
        if (pick_units(c, list, c->zone_n[z], units, s, zend[z] - s, &first_free, commit) == 0) {
            *end = zend[z];
            if (levels) *levels = c->zone_levels[z];
            return 0;
        }
    }
    if (free_at) *free_at = first_free;
    if (no_start) *no_start = from;
    return -1;
}

static int take_units(mac_cell *c, const phy_ul_grant *g, sim_time_t s)
{
    sim_time_t end;
    return take_units_hint(c, g, s, &end, NULL, NULL, NULL, 1);
}

static void prune_ul(mac_cell *c)
{
    sim_time_t now = sim_now(c->engine);
    if (now == c->cur->ul_pruned_at) return;
    c->cur->ul_pruned_at = now;
    for (int u = 0; u < c->n_units; u++)
        tl_prune(&c->cur->ul[u], now);
}

int sched_ul_at(mac_cell *c, int car, sim_time_t base, const int *k_ms, int nk,
                const phy_ul_grant *g, sim_time_t *start, unsigned *levels)
{
    c->cur = &c->car[car];
    prune_ul(c);
    for (int i = 0; i < nk; i++) {
        sim_time_t s = base + (sim_time_t)k_ms[i] * SIM_MS, end;
        if (take_units_hint(c, g, s, &end, levels, NULL, NULL, 1) == 0) {
            *start = s;
            return 0;
        }
    }
    return -1;
}

/* sched_dci_ul's search; commit 0: a probe that reserves nothing and
 * returns the NPUSCH's end (postponement included). */
static sim_time_t dci_ul_search(mac_cell *c, int ce, sim_time_t t, int R, const phy_ul_grant *g,
                                int flags, const drx_win *w, int commit, dl_slot *dci,
                                sim_time_t *ul_start, unsigned *levels)
{
    /* DCI end -> PUSCH candidates (the radio's timing: nbiot.c, ltem.c) */
    prune_dl(c);
    prune_ul(c);
    /* NB-IoT: per PUSCH delay, no start before no_start[i] can succeed
     * (DCI ends only grow, nothing is reserved during the search), so
     * candidates known to fail are passed over without searching the
     * uplink again: the same result, a much shorter search under load.
     * LTE-M skips whole DCI candidates instead (below). */
    sim_time_t no_start[4] = {0, 0, 0, 0};
    for (;;) {
        if (dci_slot(c, ce, t, R, 0, flags, SIM_NEVER, w, dci) != 0)
            abort(); /* unreachable: no deadline */
        sim_time_t free_at = SIM_NEVER;
        for (int i = 0; i < c->n_k_ul; i++) {
            sim_time_t s = dci->dci_end + (sim_time_t)c->k_ul[i] * SIM_MS;
            sim_time_t end;
            const int known = c->n_k_ul > 1;
            if (known && s < no_start[i]) continue;
            if (take_units_hint(c, g, s, &end, levels, &free_at, known ? &no_start[i] : NULL,
                                commit) == 0) {
                if (commit)
                    reserve_dl(c, dci->nb, 0, flags & SCHED_DCI_NARROW, dci->dci_start,
                               dci->dci_end);
                *ul_start = s;
                return end;
            }
        }
        t = dci->dci_start + 1;
        /* LTE-M (one PUSCH delay): no DCI whose PUSCH starts before the
         * uplink frees up can succeed; skip those candidates */
        if (c->n_k_ul == 1 && free_at != SIM_NEVER) {
            sim_time_t skip = free_at - (dci->dci_end - dci->dci_start) - c->k_ul[0] * SIM_MS;
            if (skip > t) t = skip;
        }
    }
}

void sched_dci_ul(mac_cell *c, int car, int ce, sim_time_t t, int R, const phy_ul_grant *g,
                  int flags, const drx_win *w, dl_slot *dci, sim_time_t *ul_start, unsigned *levels)
{
    c->cur = &c->car[car];
    dci_ul_search(c, ce, t, R, g, flags, w, 1, dci, ul_start, levels);
}

sim_time_t sched_dci_ul_end(mac_cell *c, int car, int ce, sim_time_t t, int R,
                            const phy_ul_grant *g, int flags, const drx_win *w)
{
    c->cur = &c->car[car];
    dl_slot dci;
    sim_time_t start;
    unsigned levels;
    return dci_ul_search(c, ce, t, R, g, flags, w, 0, &dci, &start, &levels);
}

int64_t sched_monitor_us(const mac_cell *c, int ce, sim_time_t a, sim_time_t b)
{
    /* Each search space is monitored for Rmax valid DL subframes (a device
     * not addressed listens to them all, TS 36.213 16.6); the wall-clock
     * span of those subframes, ss_rx, is taken from the level's first
     * search space (it varies by at most a subframe with SIB1-NB). */
    if (b <= a) return 0;
    const int64_t k0 = ss_before(c, ce, a), k1 = ss_before(c, ce, b), per = ss_per_cycle(c, ce);
    int64_t part = 0;
    if (c->r.rat == MAC_RAT_LTEM && k0 > 0) {
        /* LTE-M listens from a inside the search space in progress too */
        sim_time_t cur = ss_start(c, ce, k0 - 1), end = cur + ss_len(c, ce, k0 - 1);
        if (a < end) part = (b < end ? b : end) - a;
    }
    if (k1 <= k0) return part;
    /* spaces k0 .. k1 - 1 start in [a, b): every one but a cycle's last
     * lasts ss_len of a regular space; the last one only up to b */
    const sim_time_t full = ss_len(c, ce, 0 < per - 1 ? 0 : per); /* a regular space */
    const sim_time_t lastc = ss_len(c, ce, per - 1);              /* a cycle's last */
    int64_t n_last = (k1 - 1) / per - k0 / per; /* k in [k0, k1 - 1) with k % per == per - 1 */
    int64_t sum = (k1 - 1 - k0) * full + n_last * (lastc - full);
    sim_time_t s = ss_start(c, ce, k1 - 1), len = ss_len(c, ce, k1 - 1);
    return part + sum + (b - s < len ? b - s : len);
}

/* Whether t starts a DCI candidate of R repetitions in one of the level's
 * search spaces (LTE-M: every subframe is a BL/CE DL subframe, so
 * candidate j starts j x R subframes into the space, TS 36.213 9.1.5). */
static int is_candidate(const mac_cell *c, int ce, sim_time_t t, int R)
{
    int64_t k = ss_before(c, ce, t + 1) - 1; /* the space in progress at t */
    if (k < 0 || t % SIM_MS) return 0;
    sim_time_t j = (t - ss_start(c, ce, k)) / SIM_MS;
    return j < c->r.ce[ce].npdcch_rmax && j % R == 0;
}

int sched_dci_ul_exact(mac_cell *c, int car, int ce, int nb, sim_time_t t, int R,
                       const phy_ul_grant *g, int flags, dl_slot *dci, sim_time_t *ul_start)
{
    c->cur = &c->car[car];
    if (!is_candidate(c, ce, t, R)) return -1;
    const int nd = flags & SCHED_DCI_NARROW;
    sim_time_t d1 = t + (sim_time_t)R * SIM_MS;
    if (dl_conflict(c, nb, 0, nd, t, d1)) return -1;
    sim_time_t s = d1 + (sim_time_t)c->k_ul[0] * SIM_MS;
    if (take_units(c, g, s) != 0) return -1;
    reserve_dl(c, nb, 0, nd, t, d1);
    dci->nb = nb;
    dci->dci_start = t;
    dci->dci_end = d1;
    dci->pdsch_start = dci->pdsch_end = d1;
    *ul_start = s;
    return 0;
}

int sched_dl_exact(mac_cell *c, int car, int ce, int nb, sim_time_t t, int R, int n_sub, int flags,
                   dl_slot *s)
{
    c->cur = &c->car[car];
    if (!is_candidate(c, ce, t, R)) return -1;
    const int nd = flags & SCHED_DCI_NARROW, np = (flags & SCHED_DATA_NARROW) != 0;
    sim_time_t d1 = t + (sim_time_t)R * SIM_MS;
    /* the 2nd BL/CE DL subframe after the MPDCCH (every subframe valid) */
    sim_time_t p0 = d1 + SIM_MS, p1 = p0 + (sim_time_t)n_sub * SIM_MS;
    if (dl_conflict(c, nb, 0, nd, t, d1) || dl_conflict(c, nb, 1, np, p0, p1)) return -1;
    reserve_dl(c, nb, 0, nd, t, d1);
    reserve_dl(c, nb, 1, np, p0, p1);
    *s = (dl_slot){t, d1, p0, p1, nb};
    return 0;
}
