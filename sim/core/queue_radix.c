/* queue_radix.c: the default event queue, a monotone radix-256 bucket queue
 * ("radix heap" with byte digits).
 *
 * Why: pending events are a mix of protocol steps milliseconds ahead and
 * wake-ups hours ahead. A comparison heap pays log2(n) cache-missing levels
 * per operation whatever the shape; here an entry is moved at most once per
 * byte level (8 in all, in practice 2-4) over its whole life, and the pop of
 * a near-term event touches one bucket and a 256-bit bitmap.
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
 * byte), so level 0 doubles as the "current" list; each level-0 slot holds
 * one time only and is popped as a FIFO.
 *
 * Pop. If level 0 is empty, take the lowest slot of the lowest nonempty
 * level, with minimum key m, set last = m and re-append the slot's entries,
 * in order, to the buckets they now belong to (all at lower levels, since
 * they agree with m at byte L and above). Then pop the front of the lowest
 * level-0 slot. Entries elsewhere stay valid: `last` changed only at and
 * below byte L, and lower levels were empty. A slot holding one entry is
 * popped in place instead (common when pending times are sparse).
 *
 * Each slot keeps its minimum key and the id of the first entry with it,
 * updated on append (one compare). So the minimum is known without a scan:
 * a redistribution reads the slot once, and peek is O(1) and does not
 * change anything. (Peek must not redistribute: that would advance `last`
 * to the minimum, and the engine legitimately pushes below a peeked time:
 * it peeks an event beyond `until`, stops, then schedules from `until`.)
 *
 * FIFO among equal times without a sequence number: the bucket is a
 * function of (k, last), and the invariant above keeps every entry in the
 * bucket its key maps to for the current `last`. So equal keys always share
 * one bucket; appends and in-order redistribution (into buckets that are
 * empty at that moment, as all lower levels are) keep push order. The tests
 * check this against a (time, push order) reference.
 *
 * Storage (a change from one growable array per slot). A bucket is a list
 * of fixed-size chunks taken from a free list shared by all 2048 slots, and
 * a chunk goes back to the free list as soon as it is drained. With an
 * array per slot that keeps its capacity, each slot retains the largest
 * content it ever had; in a long hold run the current time sweeps through
 * every slot of a level, so memory grew to hundreds of bytes per pending
 * entry (measured: 140-340 B at 1e5-1e6 pending, exponential increments).
 * With shared chunks memory follows the peak number of pending entries
 * (16.3 B per entry, plus at most one partial chunk per occupied slot, plus
 * the fixed 82 KB of slot headers and bitmaps), and steady state still does
 * no malloc. Chunks are carved from slabs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/core/queue_impl.h"
#include "sim/core/sim.h"

#define RQ_LEVELS 8
#define RQ_SLOTS  256
/* Entries per chunk: 31 makes a 504-byte chunk. 15 and 63 measured about
 * the same speed in the hold benchmark; smaller chunks waste less in
 * partly filled ones when slots hold few entries, larger ones follow fewer
 * pointers. */
#define RQ_CHUNK 31
/* Chunks per new slab: a quarter of the chunks so far, within these bounds,
 * so that unused slab space stays under about 25 % and slabs are few. */
#define RQ_SLAB_MIN 32
#define RQ_SLAB_MAX 4096

typedef struct rq_entry {
    uint64_t key;
    uint32_t id;
} rq_entry;

typedef struct rq_chunk {
    struct rq_chunk *next;
    rq_entry e[RQ_CHUNK];
} rq_chunk;

typedef struct rq_slab {
    struct rq_slab *next;
    size_t count;
    rq_chunk c[];
} rq_slab;

/* A bucket: a chain of chunks, all full except `first` (entries before
 * `head` already popped, level 0 only) and `last` (`tail` entries used).
 * When n == 0 the slot holds no chunk. min_key/min_id: the first entry with
 * the smallest key (maintained at levels >= 1; level-0 slots hold one key). */
typedef struct rq_slot {
    rq_chunk *first, *last;
    uint64_t min_key;
    uint32_t min_id;
    uint32_t head, tail, n;
} rq_slot;

typedef struct radix_queue {
    uint64_t last;
    size_t size;
    rq_chunk *free; /* free chunks */
    rq_slab *slabs;
    size_t nchunks; /* chunks in all slabs */
    size_t slab_bytes;
    uint32_t levels;            /* bit L set when level L has an occupied slot */
    uint64_t occ[RQ_LEVELS][4]; /* occupancy bitmap of each level's slots */
    rq_slot slot[RQ_LEVELS][RQ_SLOTS];
} radix_queue;

static inline uint64_t rq_key(sim_time_t t)
{
    return (uint64_t)t ^ ((uint64_t)1 << 63);
}
static inline sim_time_t rq_time(uint64_t k)
{
    return (sim_time_t)(k ^ ((uint64_t)1 << 63));
}

static inline unsigned rq_level(uint64_t k, uint64_t last)
{
    /* x | 1 maps x == 0 to level 0 without a branch */
    return (unsigned)(63 - __builtin_clzll((k ^ last) | 1)) >> 3;
}

/* Adds a slab of `count` chunks to the free list. 0 or -1. */
static int rq_add_slab(radix_queue *q, size_t count)
{
    if (count > (SIZE_MAX - sizeof(rq_slab)) / sizeof(rq_chunk)) return -1;
    size_t bytes = sizeof(rq_slab) + count * sizeof(rq_chunk);
    rq_slab *sb = malloc(bytes);
    if (!sb) return -1;
    sb->next = q->slabs;
    sb->count = count;
    q->slabs = sb;
    /* link in reverse so that chunks are handed out in address order */
    for (size_t i = count; i-- > 0;) {
        sb->c[i].next = q->free;
        q->free = &sb->c[i];
    }
    q->nchunks += count;
    q->slab_bytes += bytes;
    return 0;
}

static inline rq_chunk *rq_get_chunk(radix_queue *q)
{
    if (__builtin_expect(!q->free, 0)) {
        size_t count = q->nchunks / 4;
        count = count < RQ_SLAB_MIN ? RQ_SLAB_MIN : count > RQ_SLAB_MAX ? RQ_SLAB_MAX : count;
        if (rq_add_slab(q, count) != 0) return NULL;
    }
    rq_chunk *c = q->free;
    q->free = c->next;
    return c;
}

static inline void rq_put_chunk(radix_queue *q, rq_chunk *c)
{
    c->next = q->free;
    q->free = c;
}

void *sim_queue_radix_create(size_t capacity_hint)
{
    radix_queue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    if (capacity_hint) {
        /* room for the hinted entries plus some partial chunks */
        size_t count = capacity_hint / RQ_CHUNK + RQ_SLAB_MIN;
        if (rq_add_slab(q, count) != 0) {
            free(q);
            return NULL;
        }
    }
    return q;
}

static void radix_destroy(void *st)
{
    radix_queue *q = st;
    while (q->slabs) {
        rq_slab *next = q->slabs->next;
        free(q->slabs);
        q->slabs = next;
    }
    free(q);
}

/* Appends (key, id) to the bucket it maps to for the current `last`. */
static inline int rq_append(radix_queue *q, uint64_t k, uint32_t id)
{
    unsigned l = rq_level(k, q->last);
    unsigned s = (unsigned)(k >> (8 * l)) & 0xff;
    rq_slot *sl = &q->slot[l][s];
    if (sl->n == 0) {
        rq_chunk *c = rq_get_chunk(q);
        if (!c) return -1;
        sl->first = sl->last = c;
        sl->head = sl->tail = 0;
        sl->min_key = k;
        sl->min_id = id;
        q->occ[l][s >> 6] |= (uint64_t)1 << (s & 63);
        q->levels |= 1u << l;
    } else {
        if (sl->tail == RQ_CHUNK) {
            if (sl->n > UINT32_MAX - RQ_CHUNK) /* checked once per chunk */
                return -1;
            rq_chunk *c = rq_get_chunk(q);
            if (!c) return -1;
            sl->last->next = c;
            sl->last = c;
            sl->tail = 0;
        }
        if (k < sl->min_key) { /* strict: the first of equal keys stays */
            sl->min_key = k;
            sl->min_id = id;
        }
    }
    rq_entry *e = &sl->last->e[sl->tail++];
    e->key = k;
    e->id = id;
    sl->n++;
    return 0;
}

/* Lowest occupied slot of a nonempty level. */
static inline unsigned rq_lowest(const radix_queue *q, unsigned l)
{
    const uint64_t *w = q->occ[l];
    if (w[0]) return (unsigned)__builtin_ctzll(w[0]);
    if (w[1]) return 64 + (unsigned)__builtin_ctzll(w[1]);
    if (w[2]) return 128 + (unsigned)__builtin_ctzll(w[2]);
    return 192 + (unsigned)__builtin_ctzll(w[3]);
}

static inline void rq_clear(radix_queue *q, unsigned l, unsigned s)
{
    uint64_t *w = q->occ[l];
    w[s >> 6] &= ~((uint64_t)1 << (s & 63));
    if (!(w[0] | w[1] | w[2] | w[3])) q->levels &= ~(1u << l);
}

/* Level 0 is empty and (l, s) is the lowest occupied bucket: moves it down
 * so that its minimum reaches level 0. */
static void rq_refill(radix_queue *q, unsigned l, unsigned s)
{
    rq_slot *src = &q->slot[l][s];
    q->last = src->min_key;
    rq_chunk *c = src->first;
    uint32_t left = src->n;
    src->n = 0;
    rq_clear(q, l, s);
    /* Destinations are all at levels < l, never src itself. Each source
     * chunk is released once read, so destinations reuse it while hot. */
    while (left) {
        uint32_t cnt = left < RQ_CHUNK ? left : RQ_CHUNK;
        if (left > RQ_CHUNK) {
            /* chunks are scattered, so the hardware prefetcher cannot see
             * the next one coming; fetch it while this one is moved */
            const char *nx = (const char *)c->next;
            for (size_t off = 0; off < sizeof(rq_chunk); off += 64)
                __builtin_prefetch(nx + off);
        }
        for (uint32_t i = 0; i < cnt; i++)
            if (rq_append(q, c->e[i].key, c->e[i].id) != 0) {
                /* pop has no error return and a half-moved bucket cannot be
                 * kept consistent: running out of memory here is fatal */
                fprintf(stderr, "sim_queue (radix): out of memory with %zu entries\n", q->size);
                abort();
            }
        left -= cnt;
        rq_chunk *next = c->next;
        rq_put_chunk(q, c);
        c = next;
    }
}

static int radix_push(void *st, sim_time_t t, uint32_t id)
{
    radix_queue *q = st;
    uint64_t k = rq_key(t);
    if (k < q->last) sim_queue_time_went_back("radix", t, rq_time(q->last));
    if (rq_append(q, k, id) != 0) return -1;
    q->size++;
    return 0;
}

static int radix_pop(void *st, sim_time_t *t, uint32_t *id)
{
    radix_queue *q = st;
    if (q->size == 0) return 0;
    q->size--;
    unsigned s;
    if (q->levels & 1) {
        s = rq_lowest(q, 0);
    } else {
        unsigned l = (unsigned)__builtin_ctz(q->levels);
        s = rq_lowest(q, l);
        rq_slot *src = &q->slot[l][s];
        if (src->n == 1) {
            /* a lone entry is the minimum: pop it where it is rather than
             * moving it down (common when pending entries are sparse) */
            rq_chunk *c = src->first;
            q->last = c->e[0].key;
            *t = rq_time(c->e[0].key);
            *id = c->e[0].id;
            src->n = 0;
            rq_put_chunk(q, c);
            rq_clear(q, l, s);
            return 1;
        }
        rq_refill(q, l, s);
        s = (unsigned)(q->last & 0xff); /* where the minimum went */
    }
    rq_slot *sl = &q->slot[0][s];
    rq_chunk *c = sl->first;
    const rq_entry *e = &c->e[sl->head++];
    *t = rq_time(e->key);
    *id = e->id;
    q->last = e->key;
    if (--sl->n == 0) {
        rq_put_chunk(q, c);
        rq_clear(q, 0, s);
    } else if (sl->head == RQ_CHUNK) {
        sl->first = c->next;
        sl->head = 0;
        rq_put_chunk(q, c);
    }
    return 1;
}

static int radix_peek(void *st, sim_time_t *t, uint32_t *id)
{
    radix_queue *q = st;
    if (q->size == 0) return 0;
    if (q->levels & 1) {
        const rq_slot *sl = &q->slot[0][rq_lowest(q, 0)];
        const rq_entry *e = &sl->first->e[sl->head];
        *t = rq_time(e->key);
        *id = e->id;
    } else {
        unsigned l = (unsigned)__builtin_ctz(q->levels);
        const rq_slot *sl = &q->slot[l][rq_lowest(q, l)];
        *t = rq_time(sl->min_key);
        *id = sl->min_id;
    }
    return 1;
}

static size_t radix_size(const void *st)
{
    return ((const radix_queue *)st)->size;
}

static size_t radix_bytes(const void *st)
{
    const radix_queue *q = st;
    return sizeof *q + q->slab_bytes;
}

const sim_queue_ops sim_queue_radix_ops = {
    .push = radix_push,
    .pop = radix_pop,
    .peek = radix_peek,
    .size = radix_size,
    .bytes = radix_bytes,
    .destroy = radix_destroy,
};
