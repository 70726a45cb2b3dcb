/* timeline.c: the reserved intervals of one resource (a downlink carrier or
 * narrowband, an uplink unit), as an index the schedulers search.
 *
 * Intervals are sorted and disjoint, kept in blocks of TL_BLOCK in time
 * order, each block with the longest gap between its own intervals. An
 * insertion moves at most one block's entries (and, on a split, the block
 * pointers), not the whole timeline; a search for the first gap long
 * enough passes over a block whose gaps are all too short in one step, so
 * a timeline booked far ahead costs its blocks, not its reservations.
 * Intervals that ended are dropped from the front (tl_prune): reservations
 * are made in event order, so those can never matter again.
 */
#include "mac/mac_internal.h"

#include <stdlib.h>
#include <string.h>

static sim_time_t block_gap(const tl_block *b)
{
    sim_time_t g = 0;
    for (uint32_t i = 1; i < b->n; i++)
        if (b->v[i].s - b->v[i - 1].e > g) g = b->v[i].s - b->v[i - 1].e;
    return g;
}

static tl_block *block_new(tline *t)
{
    tl_block *b = t->spare;
    if (b)
        t->spare = NULL;
    else
        b = malloc(sizeof *b);
    if (b) {
        b->n = 0;
        b->gap = 0;
    }
    return b;
}

void tl_free(tline *t)
{
    for (uint32_t k = 0; k < t->nb; k++)
        free(t->b[k]);
    free(t->b);
    free(t->last);
    free(t->spare);
    memset(t, 0, sizeof *t);
}

void tl_prune(tline *t, sim_time_t now)
{
    if (now < t->first_end) return; /* nothing ended yet */
    t->first_end = SIM_NEVER;
    while (t->first < t->nb) {
        tl_block *b = t->b[t->first];
        while (t->head < b->n && b->v[t->head].e <= now)
            t->head++;
        if (t->head < b->n) {
            t->first_end = b->v[t->head].e;
            break;
        }
        /* every interval of the block ended: keep it as the spare */
        if (!t->spare)
            t->spare = b;
        else
            free(b);
        t->b[t->first++] = NULL;
        t->head = 0;
    }
    if (t->first > 16 && t->first * 2 > t->nb) {
        memmove(t->b, t->b + t->first, (t->nb - t->first) * sizeof *t->b);
        memmove(t->last, t->last + t->first, (t->nb - t->first) * sizeof *t->last);
        t->nb -= t->first;
        t->first = 0;
    }
}

sim_time_t tl_conflict(const tline *t, sim_time_t s, sim_time_t e)
{
    if (e <= s) return 0;
    const ivl *v = tl_at(t, tl_find(t, s));
    return v && v->s < e ? v->e : 0;
}

/* Makes room for one more block pointer at index k. */
static int dir_insert(tline *t, uint32_t k, tl_block *b)
{
    if (t->nb == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 4;
        tl_block **d = realloc(t->b, cap * sizeof *d);
        if (!d) return -1;
        t->b = d;
        sim_time_t *l = realloc(t->last, cap * sizeof *l);
        if (!l) return -1;
        t->last = l;
        t->cap = cap;
    }
    memmove(t->b + k + 1, t->b + k, (t->nb - k) * sizeof *t->b);
    memmove(t->last + k + 1, t->last + k, (t->nb - k) * sizeof *t->last);
    t->b[k] = b;
    t->last[k] = b->n ? b->v[b->n - 1].e : INT64_MIN;
    t->nb++;
    return 0;
}

int tl_add(tline *t, sim_time_t s, sim_time_t e)
{
    if (e <= s) return 0;
    if (e < t->first_end) t->first_end = e;
    if (e > t->last_end) t->last_end = e;
    tl_pos p = tl_find(t, s);
    if (p.blk == t->nb) { /* after every interval: the last block's end */
        if (t->nb > t->first && t->b[t->nb - 1]->n < TL_BLOCK) {
            p.blk = t->nb - 1;
            p.i = t->b[p.blk]->n;
        } else {
            tl_block *nb = block_new(t);
            if (!nb) return -1;
            if (dir_insert(t, t->nb, nb) != 0) {
                t->spare = nb;
                return -1;
            }
            p.blk = t->nb - 1;
            p.i = 0;
        }
    }
    tl_block *b = t->b[p.blk];
    if (b->n == TL_BLOCK && p.blk == t->first && t->head > 0) {
        /* the first block's ended entries make room */
        memmove(b->v, b->v + t->head, (b->n - t->head) * sizeof *b->v);
        b->n -= t->head;
        p.i -= t->head;
        t->head = 0;
        b->gap = block_gap(b);
    }
    if (b->n == TL_BLOCK) { /* full: split in halves */
        tl_block *h = block_new(t);
        if (!h) return -1;
        if (dir_insert(t, p.blk + 1, h) != 0) {
            t->spare = h;
            return -1;
        }
        const uint32_t keep = TL_BLOCK / 2;
        h->n = TL_BLOCK - keep;
        memcpy(h->v, b->v + keep, h->n * sizeof *h->v);
        b->n = keep;
        h->gap = block_gap(h);
        b->gap = block_gap(b);
        t->last[p.blk] = b->v[b->n - 1].e;
        t->last[p.blk + 1] = h->v[h->n - 1].e;
        if (p.i > keep) { /* (one between the halves ends the first) */
            p.blk++;
            p.i -= keep;
            b = h;
        }
    }
    /* the gap the new interval splits, if it was the block's longest */
    const int split = p.i > 0 && p.i < b->n && b->v[p.i].s - b->v[p.i - 1].e >= b->gap;
    memmove(b->v + p.i + 1, b->v + p.i, (b->n - p.i) * sizeof *b->v);
    b->v[p.i] = (ivl){s, e};
    b->n++;
    t->last[p.blk] = b->v[b->n - 1].e;
    if (split) {
        b->gap = block_gap(b);
    } else {
        /* at a block's edge the gap to the neighbour is new to the block */
        if (p.i > 0 && s - b->v[p.i - 1].e > b->gap) b->gap = s - b->v[p.i - 1].e;
        if (p.i + 1 < b->n && b->v[p.i + 1].s - e > b->gap) b->gap = b->v[p.i + 1].s - e;
    }
    return 0;
}

/* The walk behind both: from s over the reservations, a gap [m, next
 * start) ends the busy run when it lasts len or more and, on the downlink
 * (map given), holds R valid subframes. A block whose gaps are all shorter
 * than len, reached through a short gap, is busy throughout. */
static sim_time_t busy_walk(const tline *t, sim_time_t s, sim_time_t len, const phy_dl_map *map,
                            int R)
{
    sim_time_t m = s;
    const tl_pos p = tl_find(t, s);
    for (uint32_t k = p.blk; k < t->nb; k++) {
        const tl_block *b = t->b[k];
        uint32_t i = k == p.blk ? p.i : 0;
        if (i == 0 && b->gap < len && b->v[0].s < m + len) {
            m = b->v[b->n - 1].e;
            continue;
        }
        for (; i < b->n; i++) {
            const sim_time_t gs = b->v[i].s;
            if (gs >= m + len && (!map || phy_dl_count(map, m, gs - SIM_MS + 1) >= R)) return m;
            m = b->v[i].e;
        }
    }
    return m;
}

sim_time_t tl_busy_walk(const tline *t, sim_time_t s, sim_time_t len)
{
    return busy_walk(t, s, len, NULL, 0);
}

sim_time_t tl_busy_until_dl(const tline *t, const phy_dl_map *map, sim_time_t s, int R)
{
    /* R valid subframes last at least R ms */
    return busy_walk(t, s, (sim_time_t)R * SIM_MS, map, R);
}
