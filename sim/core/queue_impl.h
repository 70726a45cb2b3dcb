/* queue_impl.h: private interface between the event-queue front end
 * (queue.c) and its implementations (queue_heap.c, queue_radix.c). Not for
 * use outside these three files.
 */
#ifndef MTCSIM_QUEUE_IMPL_H
#define MTCSIM_QUEUE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/core/sim.h"

/* One implementation's operations. `st` is the state that create returned.
 * Semantics are those of the matching sim_queue_* function in sim.h; bytes
 * counts only the state and what it owns, not struct sim_queue. */
typedef struct sim_queue_ops {
    int (*push)(void *st, sim_time_t t, uint32_t id);
    int (*pop)(void *st, sim_time_t *t, uint32_t *id);
    int (*peek)(void *st, sim_time_t *t, uint32_t *id);
    size_t (*size)(const void *st);
    size_t (*bytes)(const void *st);
    void (*destroy)(void *st);
} sim_queue_ops;

struct sim_queue {
    const sim_queue_ops *ops;
    void *st;
    sim_queue_kind kind;
};

/* Each returns NULL on allocation failure. */
void *sim_queue_heap_create(size_t capacity_hint);
void *sim_queue_radix_create(size_t capacity_hint);

extern const sim_queue_ops sim_queue_heap_ops;
extern const sim_queue_ops sim_queue_radix_ops;

/* Reports a push earlier than the last popped time and aborts: it is a bug
 * in the caller (discrete-event time never goes back), not a runtime error. */
_Noreturn void sim_queue_time_went_back(const char *impl, sim_time_t t, sim_time_t last);

#endif
