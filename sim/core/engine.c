/* engine.c: the discrete-event loop.
 *
 * Events live in a preallocated pool of fixed-size slots (grown by doubling,
 * never one malloc per event); the queue orders pool indices by time. A
 * handler gets a copy of its event, so it may schedule (and grow the pool)
 * freely. Cancellation is lazy: a cancelled slot stays queued and is dropped
 * when it reaches the front, which avoids searching the queue.
 */
#include "sim/core/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sim_slot {
    uint64_t data;
    uint32_t target;
    uint32_t ev_gen; /* the event's gen field (per-entity generation) */
    uint32_t gen;    /* bumped on every release, invalidates old handles */
    uint32_t next;   /* free-list link; SLOT_LIVE while scheduled and not cancelled */
    sim_event_type type;
} sim_slot; /* 32 bytes: the time lives in the queue entry only */

#define SLOT_NONE UINT32_MAX
#define SLOT_LIVE (UINT32_MAX - 1)
#define SLOT_DEAD (UINT32_MAX - 2) /* cancelled, still queued */

struct sim_engine {
    sim_queue *queue;
    sim_slot *pool;
    uint32_t pool_cap;
    uint32_t free_head;
    size_t live;
    sim_time_t now;
    uint64_t events;
    int stopped;
    int failed;
    struct {
        sim_handler fn;
        void *ctx;
    } handlers[SIM_MAX_EVENT_TYPES];
    sim_progress_fn progress;
    void *progress_ctx;
    uint64_t progress_every;
};

static int pool_grow(sim_engine *e, uint32_t want)
{
    if (want <= e->pool_cap) return 0;
    uint64_t cap = e->pool_cap ? e->pool_cap : 1024;
    while (cap < want)
        cap *= 2;
    if (cap >= SLOT_NONE) cap = SLOT_NONE - 1;
    if (cap < want) return -1;
    sim_slot *p = realloc(e->pool, (size_t)cap * sizeof *p);
    if (!p) return -1;
    /* Thread the new slots onto the free list in index order, so slot use
     * (and thus memory layout) is deterministic. */
    for (uint32_t i = (uint32_t)cap; i-- > e->pool_cap;) {
        p[i].gen = 0;
        p[i].next = e->free_head;
        e->free_head = i;
    }
    e->pool = p;
    e->pool_cap = (uint32_t)cap;
    return 0;
}

sim_engine *sim_engine_create(const sim_engine_config *cfg, sim_error *err)
{
    sim_engine *e = calloc(1, sizeof *e);
    size_t hint = cfg && cfg->capacity_hint ? cfg->capacity_hint : 1024;
    if (hint > SLOT_NONE / 2) hint = SLOT_NONE / 2;
    if (!e) goto nomem;
    e->free_head = SLOT_NONE;
    e->queue = sim_queue_create(cfg ? cfg->queue : SIM_QUEUE_RADIX, hint);
    if (!e->queue || pool_grow(e, (uint32_t)hint) != 0) goto nomem;
    return e;
nomem:
    sim_engine_destroy(e);
    sim_error_set(err, SIM_ERR_RUNTIME, "engine: out of memory creating an engine for %zu events",
                  hint);
    return NULL;
}

void sim_engine_destroy(sim_engine *e)
{
    if (!e) return;
    if (e->queue) sim_queue_destroy(e->queue);
    free(e->pool);
    free(e);
}

void sim_engine_handler(const sim_engine *e, sim_event_type type, sim_handler *fn, void **ctx)
{
    *fn = type < SIM_MAX_EVENT_TYPES ? e->handlers[type].fn : NULL;
    *ctx = type < SIM_MAX_EVENT_TYPES ? e->handlers[type].ctx : NULL;
}

void sim_engine_on(sim_engine *e, sim_event_type type, sim_handler fn, void *ctx)
{
    if (type >= SIM_MAX_EVENT_TYPES) {
        fprintf(stderr, "sim_engine_on: event type %u out of range\n", (unsigned)type);
        abort();
    }
    e->handlers[type].fn = fn;
    e->handlers[type].ctx = ctx;
}

void sim_engine_set_progress(sim_engine *e, sim_progress_fn fn, void *ctx, uint64_t every)
{
    e->progress = fn;
    e->progress_ctx = ctx;
    e->progress_every = every ? every : 1;
}

sim_handle sim_schedule(sim_engine *e, sim_time_t at, sim_event_type type, uint32_t target,
                        uint32_t gen, uint64_t data)
{
    sim_handle none = {SLOT_NONE, 0};
    if (at < e->now) {
        fprintf(stderr, "sim_schedule: event type %u at %lld us is before now %lld us\n",
                (unsigned)type, (long long)at, (long long)e->now);
        abort();
    }
    if (e->free_head == SLOT_NONE) {
        uint64_t want = (uint64_t)e->pool_cap + 1;
        if (want >= SLOT_DEAD || pool_grow(e, (uint32_t)want) != 0) {
            e->failed = 1;
            e->stopped = 1;
            return none;
        }
    }
    uint32_t s = e->free_head;
    sim_slot *sl = &e->pool[s];
    if (sim_queue_push(e->queue, at, s) != 0) {
        e->failed = 1;
        e->stopped = 1;
        return none;
    }
    e->free_head = sl->next;
    sl->type = type;
    sl->target = target;
    sl->ev_gen = gen;
    sl->data = data;
    sl->next = SLOT_LIVE;
    e->live++;
    return (sim_handle){s, sl->gen};
}

void sim_cancel(sim_engine *e, sim_handle h)
{
    if (h.slot >= e->pool_cap) return;
    sim_slot *sl = &e->pool[h.slot];
    if (sl->gen == h.gen && sl->next == SLOT_LIVE) {
        sl->next = SLOT_DEAD;
        e->live--;
    }
}

static void slot_release(sim_engine *e, uint32_t s)
{
    sim_slot *sl = &e->pool[s];
    sl->gen++;
    sl->next = e->free_head;
    e->free_head = s;
}

int sim_engine_run(sim_engine *e, sim_time_t until, sim_error *err)
{
    e->stopped = e->failed;
    while (!e->stopped) {
        sim_time_t t;
        uint32_t s;
        if (!sim_queue_peek(e->queue, &t, &s) || t >= until) break;
        sim_queue_pop(e->queue, &t, &s);
        sim_slot *sl = &e->pool[s];
        if (sl->next != SLOT_LIVE) { /* cancelled: drop lazily */
            slot_release(e, s);
            continue;
        }
        sim_event ev = {t, sl->target, sl->ev_gen, sl->data, sl->type};
        e->live--;
        slot_release(e, s);
        e->now = t;
        const sim_handler fn = e->handlers[ev.type].fn;
        if (!fn) {
            fprintf(stderr, "sim_engine_run: no handler for event type %u\n", (unsigned)ev.type);
            abort();
        }
        fn(e, &ev, e->handlers[ev.type].ctx);
        e->events++;
        if (e->progress && e->events % e->progress_every == 0 &&
            e->progress(e->progress_ctx, e->now, e->events))
            e->stopped = 1;
    }
    if (e->failed)
        return sim_error_set(err, SIM_ERR_RUNTIME,
                             "engine: out of memory with %zu events pending at t = %.6f s", e->live,
                             sim_time_to_s(e->now));
    if (!e->stopped && until != SIM_NEVER && until > e->now) e->now = until;
    return SIM_OK;
}

void sim_engine_stop(sim_engine *e)
{
    e->stopped = 1;
}
sim_time_t sim_now(const sim_engine *e)
{
    return e->now;
}
uint64_t sim_engine_events(const sim_engine *e)
{
    return e->events;
}
size_t sim_engine_pending(const sim_engine *e)
{
    return e->live;
}

size_t sim_engine_bytes(const sim_engine *e)
{
    return sizeof *e + (size_t)e->pool_cap * sizeof(sim_slot) + sim_queue_bytes(e->queue);
}
