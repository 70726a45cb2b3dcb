/* queue.c: the public event-queue API; dispatches to the heap (baseline) or
 * the radix (default) implementation through a small const ops table, so the
 * two can be swapped by configuration and benchmarked against each other. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/core/queue_impl.h"
#include "sim/core/sim.h"

sim_queue *sim_queue_create(sim_queue_kind kind, size_t capacity_hint)
{
    const sim_queue_ops *ops;
    void *st;
    switch (kind) {
    case SIM_QUEUE_HEAP:
        ops = &sim_queue_heap_ops;
        st = sim_queue_heap_create(capacity_hint);
        break;
    case SIM_QUEUE_RADIX:
        ops = &sim_queue_radix_ops;
        st = sim_queue_radix_create(capacity_hint);
        break;
    default:
        return NULL;
    }
    if (!st) return NULL;
    sim_queue *q = malloc(sizeof *q);
    if (!q) {
        ops->destroy(st);
        return NULL;
    }
    q->ops = ops;
    q->st = st;
    q->kind = kind;
    return q;
}

void sim_queue_destroy(sim_queue *q)
{
    if (!q) return;
    q->ops->destroy(q->st);
    free(q);
}

int sim_queue_push(sim_queue *q, sim_time_t t, uint32_t id)
{
    return q->ops->push(q->st, t, id);
}

int sim_queue_pop(sim_queue *q, sim_time_t *t, uint32_t *id)
{
    return q->ops->pop(q->st, t, id);
}

int sim_queue_peek(sim_queue *q, sim_time_t *t, uint32_t *id)
{
    return q->ops->peek(q->st, t, id);
}

size_t sim_queue_size(const sim_queue *q)
{
    return q->ops->size(q->st);
}

size_t sim_queue_bytes(const sim_queue *q)
{
    return sizeof *q + q->ops->bytes(q->st);
}

const char *sim_queue_kind_name(sim_queue_kind kind)
{
    switch (kind) {
    case SIM_QUEUE_HEAP:
        return "heap";
    case SIM_QUEUE_RADIX:
        return "radix";
    }
    return "unknown";
}

void sim_queue_time_went_back(const char *impl, sim_time_t t, sim_time_t last)
{
    fprintf(stderr,
            "sim_queue (%s): push at t = %lld us, earlier than the last popped time %lld us: "
            "simulated time went back\n",
            impl, (long long)t, (long long)last);
    abort();
}
