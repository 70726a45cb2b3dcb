/* queue_heap.c: the baseline event queue, a plain binary min-heap in one
 * growable array. Entries are ordered by (time, seq), where seq counts
 * pushes, so equal times pop in push (FIFO) order. Sifting moves a hole
 * instead of swapping, which is the textbook form and nothing more. */
#include <stdint.h>
#include <stdlib.h>

#include "sim/core/queue_impl.h"
#include "sim/core/sim.h"

typedef struct heap_entry {
    sim_time_t time;
    uint64_t seq;
    uint32_t id;
} heap_entry;

typedef struct heap_queue {
    heap_entry *a;
    size_t n, cap;
    uint64_t next_seq;
    sim_time_t last; /* last popped time: pushes below it abort */
} heap_queue;

static inline int heap_less(const heap_entry *x, const heap_entry *y)
{
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

void *sim_queue_heap_create(size_t capacity_hint)
{
    heap_queue *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->last = INT64_MIN;
    if (capacity_hint) {
        if (capacity_hint > SIZE_MAX / sizeof *h->a) {
            free(h);
            return NULL;
        }
        h->a = malloc(capacity_hint * sizeof *h->a);
        if (!h->a) {
            free(h);
            return NULL;
        }
        h->cap = capacity_hint;
    }
    return h;
}

static void heap_destroy(void *st)
{
    heap_queue *h = st;
    free(h->a);
    free(h);
}

static int heap_push(void *st, sim_time_t t, uint32_t id)
{
    heap_queue *h = st;
    if (t < h->last) sim_queue_time_went_back("heap", t, h->last);
    if (h->n == h->cap) {
        size_t ncap = h->cap ? 2 * h->cap : 64;
        if (ncap > SIZE_MAX / sizeof *h->a) return -1;
        heap_entry *na = realloc(h->a, ncap * sizeof *na);
        if (!na) return -1;
        h->a = na;
        h->cap = ncap;
    }
    heap_entry e = {t, h->next_seq++, id};
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!heap_less(&e, &h->a[p])) break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = e;
    return 0;
}

static int heap_peek(void *st, sim_time_t *t, uint32_t *id)
{
    heap_queue *h = st;
    if (h->n == 0) return 0;
    *t = h->a[0].time;
    *id = h->a[0].id;
    return 1;
}

static int heap_pop(void *st, sim_time_t *t, uint32_t *id)
{
    heap_queue *h = st;
    if (h->n == 0) return 0;
    *t = h->a[0].time;
    *id = h->a[0].id;
    h->last = h->a[0].time;
    heap_entry e = h->a[--h->n];
    size_t n = h->n, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && heap_less(&h->a[c + 1], &h->a[c])) c++;
        if (!heap_less(&h->a[c], &e)) break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (n > 0) h->a[i] = e;
    return 1;
}

static size_t heap_size(const void *st)
{
    return ((const heap_queue *)st)->n;
}

static size_t heap_bytes(const void *st)
{
    const heap_queue *h = st;
    return sizeof *h + h->cap * sizeof *h->a;
}

const sim_queue_ops sim_queue_heap_ops = {
    .push = heap_push,
    .pop = heap_pop,
    .peek = heap_peek,
    .size = heap_size,
    .bytes = heap_bytes,
    .destroy = heap_destroy,
};
