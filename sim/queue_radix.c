/* queue_radix.c: the default event queue, a monotone radix-256 bucket queue
 * ("radix heap" with byte digits).
 *
 * Why: pending events are a mix of protocol steps milliseconds ahead and
 * wake-ups hours ahead. A comparison heap pays log2(n) cache-missing levels
 * per operation whatever the shape; here an entry is moved at most once per
 * byte level (8 in all, in practice 2-4) over its whole life, and a pop of a
 * near-term event touches one slot and a 256-bit bitmap.
 *
 * Keys. A time t maps to the unsigned key k = t ^ 2^63, which orders like
 * the signed time. `last` is the key of the last popped entry (0, below
 * every key, before the first pop); pushes below it abort because simulated
 * time never goes back.
 *
 * Buckets. With x = k ^ last, an entry sits at level L = index of the most
 * significant nonzero byte of x (0 when x == 0) and slot s = byte L of k.
 * Every entry at level L agrees with `last` above byte L and has byte L
 * >= last's, so buckets are totally ordered: lower level first, and within
 * a level lower slot first. Level 0 holds keys that differ from `last` only
 * in their low byte, including keys equal to `last` (slot = last's low
 * byte), so level 0 also serves as the "current" list; each level-0 slot
 * holds one time only and is a FIFO with a head index.
 *
 * Pop. If level 0 is empty, take the lowest slot of the lowest nonempty
 * level, find its minimum key m, set last = m and re-append the slot's
 * entries, in order, to the buckets they now belong to (all at lower levels,
 * since they agree with m at byte L and above). Then pop the front of the
 * lowest level-0 slot. Entries elsewhere stay valid: `last` changed only at
 * and below byte L, and lower levels were empty.
 *
 * FIFO among equal times without a sequence number: the bucket is a
 * function of (k, last), and the invariant above keeps every entry in the
 * bucket its key maps to for the current `last`. So equal keys always share
 * one bucket; appends and in-order redistribution (into buckets that are
 * empty at that moment, as all lower levels are) keep push order. The tests
 * check this against a (time, push order) reference.
 *
 * Peek does not redistribute: it would have to advance `last` to the
 * minimum, and the engine legitimately pushes below a peeked time (it peeks
 * an event beyond `until`, stops, then schedules from `until`). Instead peek
 * scans the slot and caches (m, id); the next pop reuses m unless a push
 * below m came in between, so the engine's peek-then-pop costs one scan.
 *
 * Memory. Slot arrays keep their capacity when drained, so steady state
 * does no malloc. The exception is large slots at levels >= 1: when one
 * that held more than RQ_SHRINK_MIN entries is drained it is freed, so that
 * transient heaps (the initial fill lands in one slot) do not pin memory
 * for the rest of the run; refilling such a slot costs O(1) amortized per
 * entry by doubling, negligible beside the move itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/queue_impl.h"
#include "sim/sim.h"

#define RQ_LEVELS     8
#define RQ_SLOTS      256
#define RQ_MIN_CAP    8
#define RQ_SHRINK_MIN 65536u

typedef struct rq_entry {
    uint64_t key;
    uint32_t id;
} rq_entry;

typedef struct rq_slot {
    rq_entry *e;
    uint32_t head; /* first live entry (nonzero only at level 0) */
    uint32_t n;    /* entries used, including the popped ones before head */
    uint32_t cap;
} rq_slot;

typedef struct radix_queue {
    uint64_t last;
    size_t size;
    size_t cap_entries;         /* sum of slot capacities, for bytes() */
    uint32_t levels;            /* bit L set when level L has an occupied slot */
    int cache_valid;            /* peek's result for the lowest slot, see above */
    uint64_t cache_key;
    uint32_t cache_id;
    uint64_t occ[RQ_LEVELS][4]; /* occupancy bitmap of each level's slots */
    rq_slot slot[RQ_LEVELS][RQ_SLOTS];
} radix_queue;

static inline uint64_t rq_key(sim_time_t t) { return (uint64_t)t ^ ((uint64_t)1 << 63); }
static inline sim_time_t rq_time(uint64_t k) { return (sim_time_t)(k ^ ((uint64_t)1 << 63)); }

static inline unsigned rq_level(uint64_t k, uint64_t last)
{
    /* x | 1 maps x == 0 to level 0 without a branch */
    return (unsigned)(63 - __builtin_clzll((k ^ last) | 1)) >> 3;
}

void *sim_queue_radix_create(size_t capacity_hint)
{
    /* The hint is not used: how entries spread over slots is unknown until
     * they arrive, and slots grow by doubling. */
    radix_queue *q = calloc(1, sizeof *q);
    return q;
}

static void radix_destroy(void *st)
{
    radix_queue *q = st;
    for (int l = 0; l < RQ_LEVELS; l++)
        for (int s = 0; s < RQ_SLOTS; s++)
            free(q->slot[l][s].e);
    free(q);
}

/* Makes room for one more entry in sl. 0 on success, -1 on failure. */
static int rq_reserve(radix_queue *q, rq_slot *sl)
{
    if (sl->n < sl->cap)
        return 0;
    if (sl->head >= sl->n / 2 && sl->head > 0) {
        /* a level-0 FIFO that is pushed at the current time while popped:
         * slide it down rather than grow (at least half becomes free, so the
         * copy is amortized) */
        uint32_t live = sl->n - sl->head;
        memmove(sl->e, sl->e + sl->head, (size_t)live * sizeof *sl->e);
        sl->head = 0;
        sl->n = live;
        return 0;
    }
    if (sl->cap > UINT32_MAX / 2)
        return -1;
    uint32_t ncap = sl->cap ? 2 * sl->cap : RQ_MIN_CAP;
    rq_entry *ne = realloc(sl->e, (size_t)ncap * sizeof *ne);
    if (!ne)
        return -1;
    q->cap_entries += ncap - sl->cap;
    sl->e = ne;
    sl->cap = ncap;
    return 0;
}

/* Appends (key, id) to the bucket it maps to for the current `last`. */
static inline int rq_append(radix_queue *q, uint64_t k, uint32_t id)
{
    unsigned l = rq_level(k, q->last);
    unsigned s = (unsigned)(k >> (8 * l)) & 0xff;
    rq_slot *sl = &q->slot[l][s];
    if (sl->n == sl->cap && rq_reserve(q, sl) != 0)
        return -1;
    sl->e[sl->n].key = k;
    sl->e[sl->n].id = id;
    sl->n++;
    q->occ[l][s >> 6] |= (uint64_t)1 << (s & 63);
    q->levels |= 1u << l;
    return 0;
}

/* Lowest occupied slot of a nonempty level. */
static inline unsigned rq_lowest(const radix_queue *q, unsigned l)
{
    const uint64_t *w = q->occ[l];
    if (w[0])
        return (unsigned)__builtin_ctzll(w[0]);
    if (w[1])
        return 64 + (unsigned)__builtin_ctzll(w[1]);
    if (w[2])
        return 128 + (unsigned)__builtin_ctzll(w[2]);
    return 192 + (unsigned)__builtin_ctzll(w[3]);
}

static inline void rq_clear(radix_queue *q, unsigned l, unsigned s)
{
    uint64_t *w = q->occ[l];
    w[s >> 6] &= ~((uint64_t)1 << (s & 63));
    if (!(w[0] | w[1] | w[2] | w[3]))
        q->levels &= ~(1u << l);
}

/* Index of the first entry with the minimum key in a slot. */
static uint32_t rq_scan_min(const rq_slot *sl)
{
    const rq_entry *e = sl->e;
    uint32_t best = 0;
    uint64_t m = e[0].key;
    for (uint32_t i = 1; i < sl->n; i++)
        if (e[i].key < m) {
            m = e[i].key;
            best = i;
        }
    return best;
}

/* Level 0 is empty and the queue is not: moves the lowest bucket down so
 * that its minimum reaches level 0. */
static void rq_refill(radix_queue *q)
{
    unsigned l = (unsigned)__builtin_ctz(q->levels);
    unsigned s = rq_lowest(q, l);
    rq_slot *src = &q->slot[l][s];
    uint64_t m = q->cache_valid ? q->cache_key : src->e[rq_scan_min(src)].key;
    q->cache_valid = 0;
    q->last = m;
    rq_entry *e = src->e;
    uint32_t n = src->n;
    src->n = 0;
    rq_clear(q, l, s);
    /* Destinations are all at levels < l, never src itself. */
    for (uint32_t i = 0; i < n; i++)
        if (rq_append(q, e[i].key, e[i].id) != 0) {
            /* pop has no error return and a half-moved slot cannot be kept
             * consistent; running out of memory here is fatal */
            fprintf(stderr, "sim_queue (radix): out of memory while moving %u entries\n",
                    (unsigned)n);
            abort();
        }
    if (src->cap > RQ_SHRINK_MIN) {
        free(src->e);
        q->cap_entries -= src->cap;
        src->e = NULL;
        src->cap = 0;
    }
}

static int radix_push(void *st, sim_time_t t, uint32_t id)
{
    radix_queue *q = st;
    uint64_t k = rq_key(t);
    if (k < q->last)
        sim_queue_time_went_back("radix", t, rq_time(q->last));
    if (rq_append(q, k, id) != 0)
        return -1;
    q->size++;
    if (k < q->cache_key)
        q->cache_valid = 0;
    return 0;
}

static int radix_pop(void *st, sim_time_t *t, uint32_t *id)
{
    radix_queue *q = st;
    if (q->size == 0)
        return 0;
    if (!(q->levels & 1))
        rq_refill(q);
    unsigned s = rq_lowest(q, 0);
    rq_slot *sl = &q->slot[0][s];
    const rq_entry *e = &sl->e[sl->head++];
    *t = rq_time(e->key);
    *id = e->id;
    q->last = e->key;
    if (sl->head == sl->n) {
        sl->head = sl->n = 0;
        rq_clear(q, 0, s);
    }
    q->size--;
    q->cache_valid = 0;
    return 1;
}

static int radix_peek(void *st, sim_time_t *t, uint32_t *id)
{
    radix_queue *q = st;
    if (q->size == 0)
        return 0;
    if (q->levels & 1) {
        const rq_slot *sl = &q->slot[0][rq_lowest(q, 0)];
        *t = rq_time(sl->e[sl->head].key);
        *id = sl->e[sl->head].id;
        return 1;
    }
    if (!q->cache_valid) {
        unsigned l = (unsigned)__builtin_ctz(q->levels);
        const rq_slot *sl = &q->slot[l][rq_lowest(q, l)];
        uint32_t i = rq_scan_min(sl);
        q->cache_key = sl->e[i].key;
        q->cache_id = sl->e[i].id;
        q->cache_valid = 1;
    }
    *t = rq_time(q->cache_key);
    *id = q->cache_id;
    return 1;
}

static size_t radix_size(const void *st) { return ((const radix_queue *)st)->size; }

static size_t radix_bytes(const void *st)
{
    const radix_queue *q = st;
    return sizeof *q + q->cap_entries * sizeof(rq_entry);
}

const sim_queue_ops sim_queue_radix_ops = {
    .push = radix_push,
    .pop = radix_pop,
    .peek = radix_peek,
    .size = radix_size,
    .bytes = radix_bytes,
    .destroy = radix_destroy,
};
