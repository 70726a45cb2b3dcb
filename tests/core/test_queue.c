/* test_queue.c: the event queue, both implementations (heap and radix).
 *
 * Fixed cases (empty queue, ordering, FIFO among equal times, peek, size,
 * bytes, abort on time going back), then long randomized runs in lockstep
 * against an independent reference: a sorted array on (time, push order).
 * A large run (far more pending entries than the sorted array can afford)
 * is checked instead by an invariant that determines the pop sequence
 * exactly: every pushed entry pops once, with its own time, and the popped
 * (time, push order) pairs strictly increase. (If the queue ever popped X
 * while a smaller Y was pending, Y would pop later and break the increase.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "sim/core/sim.h"
#include "tests/check.h"

static const sim_queue_kind kinds[2] = {SIM_QUEUE_HEAP, SIM_QUEUE_RADIX};

/* --------------------------------------------------------------- fixed cases */

static void test_empty(sim_queue_kind kind)
{
    sim_queue *q = sim_queue_create(kind, 0);
    CHECK(q != NULL);
    if (!q) return;
    sim_time_t t = 77;
    uint32_t id = 99;
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 0);
    CHECK_EQ_INT(sim_queue_peek(q, &t, &id), 0);
    CHECK_EQ_INT(sim_queue_size(q), 0);
    /* push then drain: empty again */
    CHECK_EQ_INT(sim_queue_push(q, 5, 1), 0);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 0);
    CHECK_EQ_INT(sim_queue_peek(q, &t, &id), 0);
    CHECK_EQ_INT(sim_queue_size(q), 0);
    sim_queue_destroy(q);
    sim_queue_destroy(NULL); /* harmless */
}

static void test_order_fifo(sim_queue_kind kind)
{
    sim_queue *q = sim_queue_create(kind, 16);
    CHECK(q != NULL);
    if (!q) return;
    /* times pushed out of order, with repeats */
    const sim_time_t in[10] = {5, 3, 5, 3, 5, 0, 1000000, 3, 2 * SIM_HOUR, 0};
    for (uint32_t i = 0; i < 10; i++) {
        CHECK_EQ_INT(sim_queue_push(q, in[i], i), 0);
        CHECK_EQ_INT(sim_queue_size(q), i + 1);
    }
    /* expected: sorted by time, equal times in push order */
    const sim_time_t want_t[10] = {0, 0, 3, 3, 3, 5, 5, 5, 1000000, 2 * SIM_HOUR};
    const uint32_t want_id[10] = {5, 9, 1, 3, 7, 0, 2, 4, 6, 8};
    for (int i = 0; i < 10; i++) {
        sim_time_t pt = -1, t = -1;
        uint32_t pid = 0, id = 0;
        CHECK_EQ_INT(sim_queue_peek(q, &pt, &pid), 1);
        CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
        CHECK_EQ_INT(t, want_t[i]);
        CHECK_EQ_INT(id, want_id[i]);
        CHECK_EQ_INT(pt, t);
        CHECK_EQ_INT(pid, id);
        CHECK_EQ_INT(sim_queue_size(q), 9 - i);
    }

    /* FIFO among equal far times pushed at different moments (the radix
     * queue has moved the early ones between buckets in between) */
    sim_time_t far = 5 * SIM_HOUR + 123;
    sim_time_t t;
    uint32_t id;
    CHECK_EQ_INT(sim_queue_push(q, 3 * SIM_HOUR, 100), 0);
    CHECK_EQ_INT(sim_queue_push(q, far, 1), 0);
    CHECK_EQ_INT(sim_queue_push(q, 3 * SIM_HOUR + 1, 101), 0);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1); /* 3 h */
    CHECK_EQ_INT(sim_queue_push(q, far, 2), 0);
    CHECK_EQ_INT(sim_queue_push(q, far - 1, 102), 0);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1); /* 3 h + 1 us */
    CHECK_EQ_INT(id, 101);
    CHECK_EQ_INT(sim_queue_push(q, far, 3), 0);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
    CHECK_EQ_INT(t, far - 1);
    CHECK_EQ_INT(sim_queue_push(q, far, 4), 0);
    for (uint32_t k = 1; k <= 4; k++) {
        CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
        CHECK_EQ_INT(t, far);
        CHECK_EQ_INT(id, k);
    }
    CHECK_EQ_INT(sim_queue_size(q), 0);

    /* a push at exactly the last popped time is allowed and comes next */
    CHECK_EQ_INT(sim_queue_push(q, far + 10, 7), 0);
    CHECK_EQ_INT(sim_queue_push(q, far, 8), 0);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
    CHECK_EQ_INT(id, 8);

    /* the engine's pattern: peek an event beyond `until`, then schedule
     * earlier than it (but not before the last popped time) */
    CHECK_EQ_INT(sim_queue_peek(q, &t, &id), 1);
    CHECK_EQ_INT(t, far + 10);
    CHECK_EQ_INT(sim_queue_push(q, far + 5, 9), 0);
    CHECK_EQ_INT(sim_queue_push(q, far + 10, 10), 0);
    CHECK_EQ_INT(sim_queue_peek(q, &t, &id), 1);
    CHECK_EQ_INT(t, far + 5);
    CHECK_EQ_INT(id, 9);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
    CHECK_EQ_INT(id, 9);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
    CHECK_EQ_INT(id, 7);
    CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
    CHECK_EQ_INT(id, 10);
    sim_queue_destroy(q);
}

/* Negative times and the extremes of the time range keep their order. */
static void test_extremes(sim_queue_kind kind)
{
    sim_queue *q = sim_queue_create(kind, 0);
    CHECK(q != NULL);
    if (!q) return;
    const sim_time_t in[8] = {0, -1,       INT64_MAX,           INT64_MIN,
                              1, -SIM_DAY, (sim_time_t)1 << 62, INT64_MAX};
    for (uint32_t i = 0; i < 8; i++)
        CHECK_EQ_INT(sim_queue_push(q, in[i], i), 0);
    const uint32_t want[8] = {3, 5, 1, 0, 4, 6, 2, 7};
    for (int i = 0; i < 8; i++) {
        sim_time_t t;
        uint32_t id;
        CHECK_EQ_INT(sim_queue_pop(q, &t, &id), 1);
        CHECK_EQ_INT(id, want[i]);
        CHECK_EQ_INT(t, in[want[i]]);
    }
    sim_queue_destroy(q);
}

static void test_bytes(sim_queue_kind kind)
{
    sim_queue *q = sim_queue_create(kind, 0);
    CHECK(q != NULL);
    if (!q) return;
    size_t b0 = sim_queue_bytes(q);
    CHECK(b0 > 0);
    const size_t n = 100000;
    for (size_t i = 0; i < n; i++)
        sim_queue_push(q, (sim_time_t)((i * 7919) % 100003) * SIM_MS, (uint32_t)i);
    size_t b1 = sim_queue_bytes(q);
    /* at least a time and an id (12 bytes) per pending entry */
    CHECK_MSG(b1 >= b0 + 12 * n, "bytes %zu -> %zu for %zu entries", b0, b1, n);
    /* and not absurdly more: 8x a 16-byte entry */
    CHECK_MSG(b1 <= b0 + 128 * n, "bytes %zu -> %zu for %zu entries", b0, b1, n);
    CHECK_EQ_INT(sim_queue_size(q), n);
    sim_queue_destroy(q);
}

/* A push earlier than the last popped time aborts (checked in a child). */
static void test_time_back_aborts(sim_queue_kind kind)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        sim_queue *q = sim_queue_create(kind, 0);
        sim_time_t t;
        uint32_t id;
        sim_queue_push(q, 100, 0);
        sim_queue_pop(q, &t, &id);
        sim_queue_push(q, 100, 1); /* equal: allowed */
        sim_queue_push(q, 99, 2);  /* earlier: must abort */
        _exit(0);
    }
    CHECK(pid > 0);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "%s: child status %d, want SIGABRT", sim_queue_kind_name(kind), status);
}

/* ------------------------------------------------------ sorted-array reference */

typedef struct ref_entry {
    sim_time_t t;
    uint64_t seq;
    uint32_t id;
} ref_entry;

/* Sorted by (t, seq) descending, so the minimum is at the end. */
typedef struct ref_queue {
    ref_entry *a;
    size_t n, cap;
    uint64_t seq;
} ref_queue;

static void ref_push(ref_queue *r, sim_time_t t, uint32_t id)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->a = realloc(r->a, r->cap * sizeof *r->a);
        if (!r->a) abort();
    }
    /* the new entry has the largest seq, so it goes before every entry with
     * time <= t: find the first such index */
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->a[mid].t <= t)
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(r->a + lo + 1, r->a + lo, (r->n - lo) * sizeof *r->a);
    r->a[lo] = (ref_entry){t, r->seq++, id};
    r->n++;
}

static int ref_pop(ref_queue *r, sim_time_t *t, uint32_t *id)
{
    if (r->n == 0) return 0;
    r->n--;
    *t = r->a[r->n].t;
    *id = r->a[r->n].id;
    return 1;
}

/* ---------------------------------------------------------- randomized runs */

typedef enum {
    MIX_EQUAL,   /* most increments 0: long runs of equal times */
    MIX_TINY,    /* increments of 0..15 us */
    MIX_FAR,     /* 1 to 24 h ahead, from a base near 2^50 us */
    MIX_BIMODAL, /* 90 % within 100 ms, 10 % 1 to 24 h ahead */
    MIX_BURST,   /* bimodal, plus bursts of equal times at the current time */
    MIX_HUGE,    /* increments up to 2^44 us, starting below zero */
} mix_kind;

static const char *const mix_names[] = {"equal", "tiny", "far", "bimodal", "burst", "huge"};

static sim_time_t draw_increment(sim_rng *r, mix_kind mix)
{
    switch (mix) {
    case MIX_EQUAL:
        return sim_rng_int(r, 10) < 7 ? 0 : (sim_time_t)sim_rng_int(r, 3) + 1;
    case MIX_TINY:
        return (sim_time_t)sim_rng_int(r, 16);
    case MIX_FAR:
        return SIM_HOUR + (sim_time_t)sim_rng_int(r, (uint64_t)(23 * SIM_HOUR));
    case MIX_BIMODAL:
    case MIX_BURST:
        if (sim_rng_int(r, 10) < 9) return (sim_time_t)sim_rng_int(r, (uint64_t)(100 * SIM_MS));
        return SIM_HOUR + (sim_time_t)sim_rng_int(r, (uint64_t)(23 * SIM_HOUR));
    case MIX_HUGE:
        return (sim_time_t)(sim_rng_u64(r) >> (20 + sim_rng_int(r, 44)));
    }
    return 0;
}

static sim_time_t mix_base(mix_kind mix)
{
    switch (mix) {
    case MIX_FAR:
        return ((sim_time_t)1 << 50) - 2 * SIM_DAY; /* crosses 2^50 */
    case MIX_HUGE:
        return -((sim_time_t)1 << 45); /* crosses zero (the key's sign bit) */
    default:
        return 0;
    }
}

typedef struct lockstep {
    sim_queue *q[2];
    ref_queue ref;
    long mismatches;
    long ops;
    char first[256];
} lockstep;

static void note_mismatch(lockstep *ls, const char *what, long op, sim_time_t want_t,
                          uint32_t want_id, sim_time_t got_t, uint32_t got_id)
{
    if (ls->mismatches++ == 0)
        snprintf(ls->first, sizeof ls->first, "%s at op %ld: want (%lld, %u), got (%lld, %u)", what,
                 op, (long long)want_t, (unsigned)want_id, (long long)got_t, (unsigned)got_id);
}

static void ls_push(lockstep *ls, sim_time_t t, uint32_t id)
{
    ref_push(&ls->ref, t, id);
    for (int k = 0; k < 2; k++)
        if (sim_queue_push(ls->q[k], t, id) != 0)
            note_mismatch(ls, "push failed", ls->ops, t, id, 0, 0);
    ls->ops++;
}

/* Pops from all three; returns 0 when the reference was empty. */
static int ls_pop(lockstep *ls, sim_time_t *t_out)
{
    sim_time_t rt = 0;
    uint32_t rid = 0;
    int rok = ref_pop(&ls->ref, &rt, &rid);
    for (int k = 0; k < 2; k++) {
        sim_time_t t = -7;
        uint32_t id = 7;
        int ok = sim_queue_pop(ls->q[k], &t, &id);
        if (ok != rok || (ok && (t != rt || id != rid)))
            note_mismatch(ls, sim_queue_kind_name(kinds[k]), ls->ops, rt, rid, t, id);
        if (sim_queue_size(ls->q[k]) != ls->ref.n)
            note_mismatch(ls, "size", ls->ops, (sim_time_t)ls->ref.n, 0,
                          (sim_time_t)sim_queue_size(ls->q[k]), 0);
    }
    ls->ops++;
    if (rok) *t_out = rt;
    return rok;
}

/* Peeks all three; returns 0 when empty. */
static int ls_peek(lockstep *ls, sim_time_t *t_out)
{
    int rok = ls->ref.n > 0;
    sim_time_t rt = rok ? ls->ref.a[ls->ref.n - 1].t : 0;
    uint32_t rid = rok ? ls->ref.a[ls->ref.n - 1].id : 0;
    for (int k = 0; k < 2; k++) {
        sim_time_t t = -7;
        uint32_t id = 7;
        int ok = sim_queue_peek(ls->q[k], &t, &id);
        if (ok != rok || (ok && (t != rt || id != rid)))
            note_mismatch(ls, "peek", ls->ops, rt, rid, t, id);
    }
    *t_out = rt;
    return rok;
}

/* Interleaved pushes and pops, pending kept below max_pending. Phases
 * alternate push-heavy and pop-heavy so the pending count sweeps up and
 * down (and hits zero). */
static void random_run(mix_kind mix, long nops, size_t max_pending, uint64_t seed)
{
    sim_rng r;
    sim_rng_init(&r, &(sim_rng_key){.seed = seed, .purpose = (uint32_t)mix});
    lockstep ls;
    memset(&ls, 0, sizeof ls);
    for (int k = 0; k < 2; k++) {
        ls.q[k] = sim_queue_create(kinds[k], k ? 0 : 256);
        CHECK(ls.q[k] != NULL);
        if (!ls.q[k]) return;
    }
    sim_time_t now = mix_base(mix);
    uint32_t next_id = 0;
    double p_push = 0.6;
    while (ls.ops < nops) {
        if (ls.ops % 20000 < 2) p_push = 0.3 + 0.4 * sim_rng_uniform(&r);
        int do_push = ls.ref.n == 0 || (ls.ref.n < max_pending && sim_rng_uniform(&r) < p_push);
        if (do_push) {
            if (mix == MIX_BURST && sim_rng_int(&r, 50) == 0) {
                /* a burst at exactly the current time */
                int len = 1 + (int)sim_rng_int(&r, 40);
                for (int i = 0; i < len && ls.ref.n < max_pending; i++)
                    ls_push(&ls, now, next_id++);
            } else {
                ls_push(&ls, now + draw_increment(&r, mix), next_id++);
            }
            continue;
        }
        sim_time_t pt = 0;
        if (sim_rng_int(&r, 3) == 0 && ls_peek(&ls, &pt) && sim_rng_int(&r, 3) == 0) {
            /* between peek and pop, push at or before the peeked time (never
             * before now): it must be honoured */
            sim_time_t t = now + (sim_time_t)sim_rng_int(&r, (uint64_t)(pt - now) + 1);
            ls_push(&ls, t, next_id++);
        }
        ls_pop(&ls, &now);
        if (mix == MIX_BURST && sim_rng_int(&r, 100) == 0) {
            /* equal-time burst pushed while popping it */
            for (int i = 0; i < 30; i++) {
                ls_push(&ls, now, next_id++);
                if (i % 3 == 2) ls_pop(&ls, &now);
            }
        }
    }
    /* drain */
    while (ls.ref.n > 0)
        ls_pop(&ls, &now);
    ls_pop(&ls, &now); /* all empty */
    CHECK_MSG(ls.mismatches == 0, "mix %s: %ld mismatches in %ld ops; first: %s", mix_names[mix],
              ls.mismatches, ls.ops, ls.first);
    CHECK(ls.ops >= nops);
    for (int k = 0; k < 2; k++)
        sim_queue_destroy(ls.q[k]);
    free(ls.ref.a);
}

/* ---------------------------------------------- large run, invariant check */

/* A bulk fill of n entries, a hold phase (pop the minimum, push it back
 * later) with bursts, then a drain, on one queue. Checked with the
 * strictly-increasing (time, push order) invariant; id = push order. Also
 * returns a hash of the popped (time, id) sequence to compare the two
 * implementations. */
static uint64_t large_run(sim_queue_kind kind, size_t n, long holds, uint64_t seed)
{
    sim_queue *q = sim_queue_create(kind, kind == SIM_QUEUE_HEAP ? n : 0);
    CHECK(q != NULL);
    if (!q) return 0;
    size_t maxpush = n + 2 * (size_t)holds + 64;
    sim_time_t *times = malloc(maxpush * sizeof *times);
    unsigned char *popped = calloc(maxpush, 1);
    if (!times || !popped) abort();
    sim_rng r;
    sim_rng_init(&r, &(sim_rng_key){.seed = seed, .purpose = 99});
    uint32_t next = 0;
    long bad_push = 0, bad_time = 0, bad_order = 0, bad_dup = 0;
    sim_time_t now = 0, last_t = INT64_MIN;
    uint32_t last_id = 0;
    int have_last = 0;

    for (size_t i = 0; i < n; i++) {
        times[next] = draw_increment(&r, MIX_BIMODAL);
        bad_push += sim_queue_push(q, times[next], next) != 0;
        next++;
    }
    uint64_t hash = 1469598103934665603ull;
    for (long h = 0;; h++) {
        sim_time_t t;
        uint32_t id;
        if (!sim_queue_pop(q, &t, &id)) break;
        if (id >= next || popped[id])
            bad_dup++;
        else {
            popped[id] = 1;
            bad_time += times[id] != t;
        }
        if (have_last && !(t > last_t || (t == last_t && id > last_id))) bad_order++;
        have_last = 1;
        last_t = t;
        last_id = id;
        now = t;
        hash = (hash ^ (uint64_t)t) * 1099511628211ull;
        hash = (hash ^ id) * 1099511628211ull;
        if (h < holds) {
            int reps = sim_rng_int(&r, 200) == 0 ? 5 : 1; /* occasional equal-time burst */
            for (int k = 0; k < reps; k++) {
                times[next] = now + (k ? 0 : draw_increment(&r, MIX_BIMODAL));
                bad_push += sim_queue_push(q, times[next], next) != 0;
                next++;
            }
        }
    }
    size_t left = sim_queue_size(q);
    size_t unpopped = 0;
    for (uint32_t i = 0; i < next; i++)
        unpopped += !popped[i];
    CHECK_EQ_INT(bad_push, 0);
    CHECK_EQ_INT(bad_dup, 0);
    CHECK_EQ_INT(bad_time, 0);
    CHECK_MSG(bad_order == 0, "%s: %ld pops out of (time, push order)", sim_queue_kind_name(kind),
              bad_order);
    CHECK_EQ_INT(left, 0);
    CHECK_EQ_INT(unpopped, 0);
    free(times);
    free(popped);
    sim_queue_destroy(q);
    return hash;
}

int main(void)
{
    for (int k = 0; k < 2; k++) {
        test_empty(kinds[k]);
        test_order_fifo(kinds[k]);
        test_extremes(kinds[k]);
        test_bytes(kinds[k]);
        test_time_back_aborts(kinds[k]);
    }
    CHECK(strcmp(sim_queue_kind_name(SIM_QUEUE_HEAP), "heap") == 0);
    CHECK(strcmp(sim_queue_kind_name(SIM_QUEUE_RADIX), "radix") == 0);
    CHECK(sim_queue_create((sim_queue_kind)7, 0) == NULL); /* unknown kind */

    /* ~1.4 million operations per implementation against the reference */
    random_run(MIX_EQUAL, 200000, 3000, 11);
    random_run(MIX_TINY, 200000, 3000, 12);
    random_run(MIX_FAR, 200000, 3000, 13);
    random_run(MIX_BIMODAL, 300000, 3000, 14);
    random_run(MIX_BURST, 300000, 3000, 15);
    random_run(MIX_HUGE, 200000, 3000, 16);
    /* small pending: the queue empties often */
    random_run(MIX_BIMODAL, 50000, 8, 17);

    /* 300,000 pending (slots far larger than the radix queue keeps) */
    uint64_t h0 = large_run(SIM_QUEUE_HEAP, 300000, 300000, 21);
    uint64_t h1 = large_run(SIM_QUEUE_RADIX, 300000, 300000, 21);
    CHECK_MSG(h0 == h1, "heap and radix pop sequences differ (hash %llx vs %llx)",
              (unsigned long long)h0, (unsigned long long)h1);
    return check_done();
}
