/* test_tline.c: the reservation timeline (mac/timeline.c) against a naive
 * reference, a plain sorted array of the live intervals with the same
 * semantics, over random operation sequences (fixed seeds, splitmix64).
 *
 * Operations: insertions that the reference says are free among the live
 * intervals (random, filling part or all of a gap, appending, at the front
 * before the first live interval, first fit after a random time, a few
 * straddling now), thousands of them so blocks split many times; tl_prune
 * with now never decreasing (small steps, to an interval's start or end,
 * past everything). After every operation, queries at times >= now:
 * tl_find / tl_at / tl_prev_end, tl_conflict, tl_busy_until against the
 * reference; every few operations the whole live content and each block's
 * gap bound. Uplink-style sequences use unaligned microsecond times.
 *
 * Downlink sequences (ms-aligned times, NB-IoT valid-subframe map of the
 * default cell, and one with every subframe valid): tl_busy_until_dl
 * equal to the reference walk, a sound bound (no valid subframe start in
 * [s, result) fits R valid subframes before the next live interval, by
 * brute force over every ms), and a real free start (R valid subframes
 * fit from it). */
#include "../check.h"
#include "ivl_ref.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the PRNG and the reference: ivl_ref.h */

static void ref_prune(ref *r, sim_time_t now)
{
    size_t j = 0;
    while (j < r->n && r->v[j].e <= now)
        j++;
    memmove(r->v, r->v + j, (r->n - j) * sizeof *r->v);
    r->n -= j;
}

static sim_time_t ref_conflict(const ref *r, sim_time_t s, sim_time_t e)
{
    if (e <= s) return 0;
    size_t j = ref_find(r, s);
    return j < r->n && r->v[j].s < e ? r->v[j].e : 0;
}

static sim_time_t ref_prev_end(const ref *r, sim_time_t s)
{
    size_t j = ref_find(r, s);
    return j > 0 ? r->v[j - 1].e : INT64_MIN;
}

static sim_time_t ref_busy_until(const ref *r, sim_time_t s, sim_time_t len)
{
    sim_time_t m = s;
    for (size_t j = ref_find(r, s); j < r->n && r->v[j].s < m + len; j++)
        m = r->v[j].e;
    return m;
}

static sim_time_t ref_busy_until_dl(const ref *r, const phy_dl_map *map, sim_time_t s, int R)
{
    sim_time_t m = s;
    for (size_t j = ref_find(r, m); j < r->n; j++) {
        const sim_time_t gs = r->v[j].s;
        if (gs >= m + (sim_time_t)R * SIM_MS && phy_dl_count(map, m, gs - SIM_MS + 1) >= R) break;
        m = r->v[j].e;
    }
    return m;
}

/* R valid subframes, the first at or after t, end before the next live
 * interval (and t is not inside one) */
static int ref_fits_dl(const ref *r, const phy_dl_map *map, sim_time_t t, int R)
{
    size_t j = ref_find(r, t);
    return j == r->n || phy_dl_span_end(map, t, R) <= r->v[j].s;
}

/* ------------------------------------------------------------- sequences */

typedef struct seq {
    uint64_t seed;
    const char *kind;
    tline t;
    ref r;
    sim_time_t now;
    const phy_dl_map *map; /* downlink sequences; NULL: uplink */
    sim_time_t unit;       /* time granularity: 1 us or 1 ms */
    long op;
    const char *opname;
    int failed; /* failures in this sequence (stops it after a few) */
    long dl_queries;
    size_t max_live;     /* most live intervals at once */
    uint32_t max_blocks; /* most live blocks at once */
} seq;

#define FAIL_LIMIT 20

/* a check; on failure: the seed, the operation, now and the values */
#define EXPECT(q, cond, ...)                                                                       \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passed_++;                                                                       \
        } else {                                                                                   \
            check_failed_++;                                                                       \
            (q)->failed++;                                                                         \
            fprintf(stderr, "%s:%d: seed %llu (%s) op %ld (%s) now %lld: ", __FILE__, __LINE__,    \
                    (unsigned long long)(q)->seed, (q)->kind, (q)->op, (q)->opname,                \
                    (long long)(q)->now);                                                          \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

static sim_time_t last_end(const seq *q)
{
    return q->r.n ? q->r.v[q->r.n - 1].e : q->now;
}

/* a random length: mostly short, sometimes long */
static sim_time_t rand_len(const seq *q)
{
    int64_t k = below(100);
    sim_time_t u = q->unit;
    if (q->map) {
        if (k < 60) return (1 + below(8)) * u;
        if (k < 90) return (1 + below(40)) * u;
        return (1 + below(300)) * u;
    }
    if (k < 50) return 1 + below(2000);
    if (k < 85) return 1 + below(20000);
    if (k < 98) return 1 + below(200000);
    return 1 + below(3000000);
}

/* a random gap: often none (touching intervals) */
static sim_time_t rand_gap(const seq *q)
{
    int64_t k = below(100);
    if (k < 30) return 0;
    if (q->map) return (k < 70 ? below(4) : below(40)) * q->unit;
    return k < 70 ? below(1000) : below(40000);
}

/* a random time >= now, mostly around the live intervals, sometimes on an
 * interval's edge */
static sim_time_t rand_time(const seq *q)
{
    sim_time_t t;
    int64_t k = below(100);
    if (q->r.n && k < 35) {
        const ivl *v = &q->r.v[below((int64_t)q->r.n)];
        switch (below(6)) {
        case 0:
            t = v->s;
            break;
        case 1:
            t = v->e;
            break;
        case 2:
            t = v->s - q->unit;
            break;
        case 3:
            t = v->e - q->unit;
            break;
        case 4:
            t = v->s + q->unit;
            break;
        default:
            t = v->s + below(v->e - v->s) / q->unit * q->unit;
            break;
        }
    } else if (k < 50) {
        t = q->now + below(50) * q->unit;
    } else {
        sim_time_t span = last_end(q) - q->now;
        t = q->now + below(span + span / 8 + 100 * q->unit);
        t -= t % q->unit;
    }
    return t < q->now ? q->now : t;
}

static void add(seq *q, sim_time_t s, sim_time_t e)
{
    if (e <= s || !ref_free(&q->r, s, e)) return;
    ref_add(&q->r, s, e);
    int rc = tl_add(&q->t, s, e);
    EXPECT(q, rc == 0, "tl_add(%lld, %lld) = %d", (long long)s, (long long)e, rc);
}

/* ------------------------------------------------------------------ checks */

/* the module's live content and block invariants against the reference */
static void check_content(seq *q)
{
    const tline *t = &q->t;
    size_t j = 0;
    int ok = 1;
    EXPECT(q, t->first <= t->nb && t->nb <= t->cap, "first %u nb %u cap %u", t->first, t->nb,
           t->cap);
    for (uint32_t k = t->first; ok && k < t->nb; k++) {
        const tl_block *b = t->b[k];
        uint32_t i0 = k == t->first ? t->head : 0;
        if (!(b->n >= 1 && b->n <= TL_BLOCK && i0 < b->n)) {
            EXPECT(q, 0, "block %u: n %u, first live %u", k, b->n, i0);
            ok = 0;
            break;
        }
        for (uint32_t i = i0; i < b->n; i++, j++) {
            if (j >= q->r.n || b->v[i].s != q->r.v[j].s || b->v[i].e != q->r.v[j].e) {
                EXPECT(q, 0, "block %u entry %u: [%lld, %lld), reference #%zu of %zu: [%lld, %lld)",
                       k, i, (long long)b->v[i].s, (long long)b->v[i].e, j, q->r.n,
                       j < q->r.n ? (long long)q->r.v[j].s : -1LL,
                       j < q->r.n ? (long long)q->r.v[j].e : -1LL);
                ok = 0;
                break;
            }
            if (i > i0 && b->v[i].s - b->v[i - 1].e > b->gap) {
                EXPECT(q, 0, "block %u: gap %lld before entry %u above the block's bound %lld", k,
                       (long long)(b->v[i].s - b->v[i - 1].e), i, (long long)b->gap);
                ok = 0;
                break;
            }
        }
    }
    if (ok) EXPECT(q, j == q->r.n, "timeline holds %zu live intervals, reference %zu", j, q->r.n);
}

/* tl_find / tl_at / tl_prev_end, tl_conflict, tl_busy_until at s >= now */
static void check_at(seq *q, sim_time_t s)
{
    const tl_pos p = tl_find(&q->t, s);
    const ivl *v = tl_at(&q->t, p);
    const size_t j = ref_find(&q->r, s);
    if (j == q->r.n)
        EXPECT(q, v == NULL, "tl_at(tl_find(%lld)) = [%lld, %lld), want none", (long long)s,
               v ? (long long)v->s : 0LL, v ? (long long)v->e : 0LL);
    else
        EXPECT(q, v && v->s == q->r.v[j].s && v->e == q->r.v[j].e,
               "tl_at(tl_find(%lld)) = [%lld, %lld), want [%lld, %lld)", (long long)s,
               v ? (long long)v->s : -1LL, v ? (long long)v->e : -1LL, (long long)q->r.v[j].s,
               (long long)q->r.v[j].e);
    const sim_time_t pe = tl_prev_end(&q->t, p), pw = ref_prev_end(&q->r, s);
    EXPECT(q, pe == pw, "tl_prev_end(tl_find(%lld)) = %lld, want %lld", (long long)s, (long long)pe,
           (long long)pw);

    /* conflicts: random ends, an empty range, ends on the next interval's edges */
    sim_time_t ends[5] = {s + rand_len(q), s + below(3) * q->unit, s + rand_len(q) * 8, s, s};
    if (j < q->r.n) {
        ends[3] = q->r.v[j].s;
        ends[4] = q->r.v[j].s + q->unit;
    }
    for (int k = 0; k < 5; k++) {
        const sim_time_t got = tl_conflict(&q->t, s, ends[k]),
                         want = ref_conflict(&q->r, s, ends[k]);
        EXPECT(q, got == want, "tl_conflict(%lld, %lld) = %lld, want %lld", (long long)s,
               (long long)ends[k], (long long)got, (long long)want);
    }

    /* busy runs for short and long items */
    for (int k = 0; k < 3; k++) {
        sim_time_t len = k == 0   ? rand_len(q)
                         : k == 1 ? (1 + below(4)) * q->unit
                                  : rand_len(q) * 16;
        const sim_time_t got = tl_busy_until(&q->t, s, len), want = ref_busy_until(&q->r, s, len);
        EXPECT(q, got == want, "tl_busy_until(%lld, %lld) = %lld, want %lld", (long long)s,
               (long long)len, (long long)got, (long long)want);
    }
}

static const int dl_r[] = {1, 1, 2, 2, 4, 4, 8, 8, 16, 16, 32, 64, 128, 256};

/* tl_busy_until_dl at s (ms-aligned, >= now) for R */
static void check_dl(seq *q, sim_time_t s, int R)
{
    const sim_time_t got = tl_busy_until_dl(&q->t, q->map, s, R);
    const sim_time_t want = ref_busy_until_dl(&q->r, q->map, s, R);
    q->dl_queries++;
    EXPECT(q, got == want, "tl_busy_until_dl(%lld, R %d) = %lld, want %lld", (long long)s, R,
           (long long)got, (long long)want);
    /* a real free start: R valid subframes fit from it */
    EXPECT(q, ref_fits_dl(&q->r, q->map, got, R),
           "tl_busy_until_dl(%lld, R %d) = %lld, where R subframes do not fit", (long long)s, R,
           (long long)got);
    /* sound: no valid subframe start in [s, got) fits, by every ms start */
    size_t j = ref_find(&q->r, s);
    for (sim_time_t x = s; x < got; x += SIM_MS) {
        while (j < q->r.n && q->r.v[j].e <= x)
            j++;
        if (j < q->r.n && q->r.v[j].s <= x) { /* inside a reservation: to its end */
            x = q->r.v[j].e - SIM_MS;
            continue;
        }
        if (phy_dl_next_valid(q->map, x) != x) continue;
        if (j == q->r.n || phy_dl_span_end(q->map, x, R) <= q->r.v[j].s) {
            EXPECT(q, 0, "tl_busy_until_dl(%lld, R %d) = %lld, but R subframes fit from %lld",
                   (long long)s, R, (long long)got, (long long)x);
            break;
        }
    }
}

/* ------------------------------------------------------------- operations */

enum { OP_RANDOM, OP_GAPFILL, OP_APPEND, OP_FRONT, OP_FIRSTFIT, OP_STRADDLE, OP_PRUNE };
static const char *const op_names[] = {
    "insert random", "insert in a gap",   "append", "insert at front",
    "first fit",     "insert across now", "prune"};

static void do_op(seq *q, int op)
{
    const sim_time_t u = q->unit;
    q->opname = op_names[op];
    switch (op) {
    case OP_RANDOM: {
        sim_time_t s = rand_time(q);
        add(q, s, s + rand_len(q));
        break;
    }
    case OP_GAPFILL: { /* from a random time up to (or short of) the next interval */
        sim_time_t s = rand_time(q);
        size_t j = ref_find(&q->r, s);
        if (j < q->r.n && q->r.v[j].s <= s) s = q->r.v[j].e + (chance(50) ? 0 : below(3) * u);
        j = ref_find(&q->r, s);
        sim_time_t e = s + rand_len(q);
        if (j < q->r.n && (e > q->r.v[j].s || chance(30))) e = q->r.v[j].s;
        add(q, s, e);
        break;
    }
    case OP_APPEND: {
        sim_time_t s = last_end(q) + rand_gap(q);
        int n = 1 + (int)below(20);
        for (int k = 0; k < n; k++) {
            sim_time_t e = s + rand_len(q);
            add(q, s, e);
            s = e + rand_gap(q);
        }
        break;
    }
    case OP_FRONT: { /* before the first live interval, several times */
        for (int k = 0; k < 8; k++) {
            if (!q->r.n || q->r.v[0].s <= q->now) break;
            sim_time_t room = (q->r.v[0].s - q->now) / u;
            sim_time_t s = q->now + below(room) * u;
            sim_time_t e = s + (1 + below((q->r.v[0].s - s) / u)) * u;
            add(q, s, e);
        }
        break;
    }
    case OP_FIRSTFIT: { /* the first gap of len after a random time */
        sim_time_t t0 = chance(50) ? q->now + below(20) * u : rand_time(q);
        if (q->map) {
            int R = dl_r[below(10)];
            sim_time_t m = ref_busy_until_dl(&q->r, q->map, t0, R);
            sim_time_t s = phy_dl_next_valid(q->map, m);
            sim_time_t e = phy_dl_span_end(q->map, s, R);
            add(q, s, e);
            /* and a data item a few subframes later, if it fits */
            s = e + below(6) * u;
            add(q, s, phy_dl_span_end(q->map, s, 1 + (int)below(16)));
        } else {
            sim_time_t len = rand_len(q);
            sim_time_t m = ref_busy_until(&q->r, t0, len);
            add(q, m, m + len);
        }
        break;
    }
    case OP_STRADDLE: { /* starts before now, ends after: free among the live ones */
        sim_time_t s = q->now - (1 + below(5)) * u;
        sim_time_t e = q->now + (1 + below(5)) * u;
        if (q->r.n && q->r.v[0].s < e) e = q->r.v[0].s;
        if (e > q->now) add(q, s, e);
        break;
    }
    case OP_PRUNE: {
        sim_time_t now = q->now;
        int64_t k = below(100);
        if (k < 40)
            now += below(30) * u;
        else if (k < 55 && q->r.n)
            now = q->r.v[below((int64_t)(q->r.n < 40 ? q->r.n : 40))].e; /* exactly an end */
        else if (k < 70 && q->r.n)
            now = q->r.v[below((int64_t)(q->r.n < 40 ? q->r.n : 40))].s; /* exactly a start */
        else if (k < 80 && q->r.n)
            now = q->r.v[below((int64_t)q->r.n)].e - below(2) * u; /* anywhere */
        else if (k < 83)
            now = last_end(q) + below(2) * u; /* everything, or all but the last */
        else
            now += below(1000) * u;
        if (now < q->now) now = q->now;
        q->now = now;
        tl_prune(&q->t, now);
        ref_prune(&q->r, now);
        break;
    }
    }
}

/* One random sequence. Phases: growth (rare, small prunes) to thousands of
 * live intervals; steady state; draining; growth again. */
static void run_seq(uint64_t seed, const char *kind, const phy_dl_map *map, long ops,
                    sim_time_t start)
{
    seq q = {.seed = seed, .kind = kind, .map = map, .unit = map ? SIM_MS : 1, .now = start};
    rng_ = seed * 0x2545f4914f6cdd1dull + 1;
    q.opname = "start";
    for (q.op = 0; q.op < ops && q.failed < FAIL_LIMIT; q.op++) {
        const int phase = (int)(4 * q.op / ops);
        static const int prune_pct[4] = {1, 20, 45, 3};
        int op;
        int64_t k = below(100);
        if (k < prune_pct[phase])
            op = OP_PRUNE;
        else {
            k = below(100);
            op = k < 25   ? OP_RANDOM
                 : k < 45 ? OP_GAPFILL
                 : k < 65 ? OP_APPEND
                 : k < 75 ? OP_FRONT
                 : k < 97 ? OP_FIRSTFIT
                          : OP_STRADDLE;
        }
        do_op(&q, op);
        q.opname = op_names[op];
        if (q.r.n > q.max_live) q.max_live = q.r.n;
        if (q.t.nb - q.t.first > q.max_blocks) q.max_blocks = q.t.nb - q.t.first;

        for (int c = 0; c < 2; c++)
            check_at(&q, rand_time(&q));
        check_at(&q, q.now);
        if (q.op % 64 == 0 || q.op == ops - 1) check_content(&q);
        if (map) {
            /* a few searches near now, one far, one from inside the last
             * result's busy run */
            for (int c = 0; c < 3; c++) {
                int R = dl_r[below((int64_t)(sizeof dl_r / sizeof *dl_r))];
                sim_time_t s = c < 2 ? q.now + below(40) * SIM_MS : rand_time(&q);
                check_dl(&q, s, R);
                if (chance(50)) {
                    sim_time_t m = tl_busy_until_dl(&q.t, map, s, R);
                    check_dl(&q, s + (m > s ? below((m - s) / SIM_MS) * SIM_MS : 0), R);
                }
            }
        }
    }
    check_content(&q);
    if (map)
        printf("  seed %llu (%s): up to %zu live in %u blocks; %ld dl searches\n",
               (unsigned long long)seed, kind, q.max_live, q.max_blocks, q.dl_queries);
    else
        printf("  seed %llu (%s): up to %zu live in %u blocks\n", (unsigned long long)seed, kind,
               q.max_live, q.max_blocks);
    tl_free(&q.t);
    free(q.r.v);
}

/* Fixed patterns: many appends then a prune at a time, and insertions at
 * the front of a first block whose head was pruned (full, so it compacts
 * or splits). */
static void run_patterns(void)
{
    seq q = {.seed = 0, .kind = "pattern", .unit = 1, .now = 0};
    rng_ = 12345;
    q.opname = "append 5000";
    for (sim_time_t k = 0; k < 5000; k++)
        add(&q, 10 * k, 10 * k + 7 + (k % 3));
    check_content(&q);
    for (sim_time_t now = 0; now <= 50010; now += 37) {
        q.opname = "prune by 37";
        q.now = now;
        tl_prune(&q.t, now);
        ref_prune(&q.r, now);
        /* refill before the first live interval: the first block's pruned
         * head makes room */
        q.opname = "insert at front";
        if (q.r.n && q.r.v[0].s > now) add(&q, now, now + 1);
        check_at(&q, now);
        check_at(&q, now + below(200));
        if (now % 999 == 0) check_content(&q);
    }
    check_content(&q);
    tl_free(&q.t);
    free(q.r.v);

    /* descending insertions: always at the front */
    seq d = {.seed = 0, .kind = "descending", .unit = 1, .now = 0};
    d.opname = "insert descending";
    for (sim_time_t k = 3000; k > 0; k--) {
        add(&d, 5 * k, 5 * k + 3);
        if (k % 97 == 0) check_at(&d, 5 * k + 1);
    }
    check_content(&d);
    d.opname = "prune and insert at the front";
    for (sim_time_t now = 0; now < 16000; now += 41) {
        d.now = now;
        tl_prune(&d.t, now);
        ref_prune(&d.r, now);
        for (sim_time_t x = now; d.r.n && x < d.r.v[0].s; x++)
            add(&d, x, x + 1); /* fill the free time before the first interval */
        check_at(&d, now);
        if (now % 410 == 0) check_content(&d);
    }
    check_content(&d);
    tl_free(&d.t);
    free(d.r.v);
}

/* An empty timeline, empty intervals, and reuse after tl_free. */
static void run_edges(const phy_dl_map *map)
{
    seq q = {.seed = 0, .kind = "edges", .unit = SIM_MS, .map = map, .now = 0};
    q.opname = "empty";
    for (int pass = 0; pass < 2; pass++) {
        const tl_pos p = tl_find(&q.t, 5);
        EXPECT(&q, tl_at(&q.t, p) == NULL, "tl_at on an empty timeline");
        EXPECT(&q, tl_prev_end(&q.t, p) == INT64_MIN, "tl_prev_end on an empty timeline");
        EXPECT(&q, tl_conflict(&q.t, 5, 10) == 0, "tl_conflict on an empty timeline");
        EXPECT(&q, tl_busy_until(&q.t, 5, 10) == 5, "tl_busy_until on an empty timeline");
        EXPECT(&q, tl_busy_until_dl(&q.t, map, 7 * SIM_MS, 4) == 7 * SIM_MS,
               "tl_busy_until_dl on an empty timeline");
        tl_prune(&q.t, 0);
        q.opname = "empty interval";
        EXPECT(&q, tl_add(&q.t, 9, 9) == 0 && tl_add(&q.t, 9, 3) == 0,
               "tl_add of an empty interval");
        EXPECT(&q, tl_find(&q.t, 0).blk == q.t.nb, "an empty interval was stored");
        q.opname = "reuse after tl_free";
        for (sim_time_t k = 0; k < 100; k++)
            add(&q, 3 * k * SIM_MS, (3 * k + 2) * SIM_MS);
        check_content(&q);
        check_at(&q, 0);
        tl_free(&q.t);
        free(q.r.v);
        q.r = (ref){0};
        q.opname = "empty after tl_free";
    }
}

int main(void)
{
    clock_t t0 = clock();
    static phy_dl_map nb, nb16, all;
    phy_dl_map_init(&nb, 4, 0); /* the default cell (mac/config.c): 4 SIB1 repetitions, PCI 0 */
    phy_dl_map_init(&nb16, 16, 1);
    phy_dl_map_all_valid(&all);

    run_edges(&nb);
    run_patterns();
    for (uint64_t seed = 1; seed <= 6; seed++)
        run_seq(seed, "uplink", NULL, 20000, (sim_time_t)seed * 7777 - 3);
    for (uint64_t seed = 11; seed <= 14; seed++)
        run_seq(seed, "NB-IoT sib1 4", &nb, 8000, (sim_time_t)seed * 10 * SIM_MS);
    run_seq(21, "NB-IoT sib1 16", &nb16, 8000, 0);
    for (uint64_t seed = 31; seed <= 32; seed++)
        run_seq(seed, "all valid", &all, 8000, (sim_time_t)seed * SIM_MS);
    printf("%.2f s CPU\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    return check_done();
}
