/* bins.c: quantities accumulated per time bin in O(1) per addition, for
 * time series. An amount spread over an interval goes to its two edge
 * bins directly and to the whole bins between as a difference array of
 * per-bin amounts (a prefix sum at the end), so a PSM sleep of hours costs
 * what a 1 ms transmission does. */
#include "sim/core/sim.h"

#include <stdlib.h>

int sim_bins_init(sim_bins *b, sim_time_t width, sim_time_t span)
{
    b->width = width;
    b->span = span;
    b->n = 0;
    b->part = b->step = NULL;
    if (width <= 0 || span <= 0) return -1;
    const sim_time_t n = (span + width - 1) / width;
    if (n > UINT32_MAX - 1) return -1;
    b->n = (uint32_t)n;
    b->part = calloc(b->n, sizeof *b->part);
    b->step = calloc((size_t)b->n + 1, sizeof *b->step);
    if (!b->part || !b->step) {
        sim_bins_free(b);
        return -1;
    }
    return 0;
}

void sim_bins_free(sim_bins *b)
{
    free(b->part);
    free(b->step);
    b->part = b->step = NULL;
    b->n = 0;
}

/* Bin of t, t clipped to [0, span): a last instant at the end of the run
 * belongs to the last bin. */
static uint32_t bin_of(const sim_bins *b, sim_time_t t)
{
    if (t <= 0) return 0;
    const sim_time_t k = t / b->width;
    return k >= (sim_time_t)b->n ? b->n - 1 : (uint32_t)k;
}

void sim_bins_add(sim_bins *b, sim_time_t t, double amount)
{
    b->part[bin_of(b, t)] += amount;
}

void sim_bins_spread(sim_bins *b, sim_time_t t0, sim_time_t t1, double amount)
{
    if (t1 == t0) { /* an instant */
        if (t0 >= 0 && t0 <= b->span) sim_bins_add(b, t0, amount);
        return;
    }
    /* the part of [t0, t1) inside the span, with its share of the amount */
    const double per_us = amount / (double)(t1 - t0);
    const int clipped = t0 < 0 || t1 > b->span;
    if (t0 < 0) t0 = 0;
    if (t1 > b->span) t1 = b->span;
    if (t1 <= t0) return; /* outside the span */
    const uint32_t b0 = bin_of(b, t0), b1 = bin_of(b, t1 - 1);
    if (b0 == b1) { /* the whole amount when all of it is inside: exactly */
        b->part[b0] += clipped ? per_us * (double)(t1 - t0) : amount;
        return;
    }
    const sim_time_t e0 = (sim_time_t)(b0 + 1) * b->width, s1 = (sim_time_t)b1 * b->width;
    b->part[b0] += per_us * (double)(e0 - t0);
    b->part[b1] += per_us * (double)(t1 - s1);
    if (b1 > b0 + 1) {
        b->step[b0 + 1] += per_us * (double)b->width;
        b->step[b1] -= per_us * (double)b->width;
    }
}

void sim_bins_level(sim_bins *b, sim_time_t t, double delta)
{
    if (t < 0) t = 0;
    if (t >= b->span) return;
    const uint32_t k = bin_of(b, t);
    const sim_time_t end = (sim_time_t)(k + 1) * b->width;
    b->part[k] += delta * (double)((end < b->span ? end : b->span) - t);
    if (k + 1 < b->n) b->step[k + 1] += delta * (double)b->width;
}

void sim_bins_total(const sim_bins *b, double *out)
{
    double run = 0;
    for (uint32_t k = 0; k < b->n; k++) {
        run += b->step[k];
        out[k] = b->part[k] + run;
    }
    /* a level still on at the end covers only the last bin's own length */
    if (b->n && b->span % b->width) {
        const sim_time_t last = b->span - (sim_time_t)(b->n - 1) * b->width;
        out[b->n - 1] -= run - run * (double)last / (double)b->width;
    }
}
