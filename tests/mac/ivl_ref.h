/* ivl_ref.h: what the timeline tests (test_tline.c, test_dci_search.c)
 * share: a splitmix64 sequence (fixed seeds, set rng_) and the naive
 * reference of a resource's reservations, a sorted array of disjoint
 * intervals searched by bisection. Each test file has its own copy of the
 * sequence's state. */
#ifndef MTCSIM_TESTS_IVL_REF_H
#define MTCSIM_TESTS_IVL_REF_H

#include "mac/mac_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_;

static inline uint64_t rnd(void)
{
    uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* uniform in [0, n), n >= 1 */
static inline int64_t below(int64_t n)
{
    return n <= 1 ? 0 : (int64_t)(rnd() % (uint64_t)n);
}

static inline int chance(int pct)
{
    return below(100) < pct;
}

typedef struct ref {
    ivl *v; /* live intervals, sorted, disjoint */
    size_t n, cap;
} ref;

/* index of the first interval ending after s */
static inline size_t ref_find(const ref *r, sim_time_t s)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->v[mid].e <= s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* [s, e) meets no interval */
static inline int ref_free(const ref *r, sim_time_t s, sim_time_t e)
{
    size_t j = ref_find(r, s);
    return j == r->n || r->v[j].s >= e;
}

/* [s, e) inserted in order (the caller knows it is free) */
static inline void ref_add(ref *r, sim_time_t s, sim_time_t e)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (!r->v) abort();
    }
    size_t j = ref_find(r, s);
    memmove(r->v + j + 1, r->v + j, (r->n - j) * sizeof *r->v);
    r->v[j] = (ivl){s, e};
    r->n++;
}

#endif
