/* sim.h: the event core of mtcsim (time, errors, event queue, engine, RNG streams).
 *
 * The core knows nothing about radio: modules build on it. No mutable globals:
 * every engine is an independent value so that engines run in parallel threads.
 */
#ifndef MTCSIM_SIM_H
#define MTCSIM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* ------------------------------------------------------------------ time */

/* Simulated time in integer microseconds. No floating-point time anywhere. */
typedef int64_t sim_time_t;

#define SIM_US    ((sim_time_t)1)
#define SIM_MS    ((sim_time_t)1000)
#define SIM_S     ((sim_time_t)1000000)
#define SIM_MIN   (60 * SIM_S)
#define SIM_HOUR  (3600 * SIM_S)
#define SIM_DAY   (86400 * SIM_S)
#define SIM_NEVER INT64_MAX

/* Converts seconds to microseconds, rounding to nearest. Returns 0 on
 * success, -1 when s is not finite or outside [-2^62, 2^62] us. */
int sim_time_from_s(double s, sim_time_t *out);
static inline double sim_time_to_s(sim_time_t t)
{
    return (double)t / 1e6;
}
static inline double sim_time_to_ms(sim_time_t t)
{
    return (double)t / 1e3;
}

/* ------------------------------------------------------------------ bins */

/* Amounts per time bin over [0, span) (bins.c): width-long bins, the last
 * one shorter if span is not a multiple. Each addition costs O(1) however
 * many bins it covers; sim_bins_total gives the sums. */
typedef struct sim_bins {
    sim_time_t width, span;
    uint32_t n;
    double *part; /* [n] amounts in partly covered bins */
    double *step; /* [n + 1] difference array of whole-bin amounts */
} sim_bins;

/* 0, or -1 (bad width or span, out of memory: nothing to free). */
int sim_bins_init(sim_bins *b, sim_time_t width, sim_time_t span);
void sim_bins_free(sim_bins *b);
/* amount at instant t (clipped into the span) */
void sim_bins_add(sim_bins *b, sim_time_t t, double amount);
/* amount spread evenly over [t0, t1): the bins get the share of it that
 * falls inside the span, the rest is not counted (an interval that ends at
 * t0 is an instant: at t0, if t0 is in [0, span]) */
void sim_bins_spread(sim_bins *b, sim_time_t t0, sim_time_t t1, double amount);
/* a level that changes by delta at t and stays: each bin gets delta x the
 * microseconds of it after t (counts of devices in a state, integrated) */
void sim_bins_level(sim_bins *b, sim_time_t t, double delta);
/* out[k]: the sum in bin k, k < n */
void sim_bins_total(const sim_bins *b, double *out);

/* ---------------------------------------------------------------- errors */

enum {
    SIM_OK = 0,
    SIM_ERR_RUNTIME = 1, /* exit code 1: the run failed */
    SIM_ERR_INPUT = 2,   /* exit code 2: usage or scenario error */
};

typedef struct sim_error {
    int code;       /* SIM_OK or an SIM_ERR_* value (doubles as exit code) */
    char msg[1024]; /* complete message, already with file:line: path: prefix */
} sim_error;

void sim_error_clear(sim_error *err);
/* Sets err (if not NULL and not already set) and returns code. */
int sim_error_set(sim_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ----------------------------------------------------------- event queue */

/* A priority queue of (time, id) pairs ordered by time, and among equal
 * times by push order (FIFO). Ids are opaque to the queue (the engine uses
 * event-pool indices). Pushing a time earlier than the last popped time is
 * a broken invariant (discrete-event time never goes back) and aborts. */
typedef enum {
    SIM_QUEUE_HEAP = 0,  /* binary heap on (time, push sequence): the baseline */
    SIM_QUEUE_RADIX = 1, /* monotone radix-256 bucket queue: the default */
} sim_queue_kind;

typedef struct sim_queue sim_queue;

/* capacity_hint preallocates room for that many pending entries. NULL on
 * allocation failure. */
sim_queue *sim_queue_create(sim_queue_kind kind, size_t capacity_hint);
void sim_queue_destroy(sim_queue *q);
/* 0 on success, -1 if memory could not be grown. */
int sim_queue_push(sim_queue *q, sim_time_t t, uint32_t id);
/* Removes the first entry. Returns 1 and fills *t, *id, or 0 when empty. */
int sim_queue_pop(sim_queue *q, sim_time_t *t, uint32_t *id);
/* Like pop without removing. */
int sim_queue_peek(sim_queue *q, sim_time_t *t, uint32_t *id);
size_t sim_queue_size(const sim_queue *q);
const char *sim_queue_kind_name(sim_queue_kind kind);
/* Bytes of memory the queue holds (capacity, not just size). */
size_t sim_queue_bytes(const sim_queue *q);

/* ---------------------------------------------------------------- engine */

typedef uint16_t sim_event_type;

/* A small fixed-size event record. Handlers receive a copy, so they may
 * schedule freely while running. */
typedef struct sim_event {
    sim_time_t time;
    uint32_t target;     /* entity the event is for, usually a device id */
    uint32_t gen;        /* generation of the target's timer when scheduled */
    uint64_t data;       /* small payload */
    sim_event_type type; /* registered handler index */
} sim_event;

/* Handle to a scheduled event: pool slot and the slot's reuse generation,
 * so that cancelling a handle whose event already ran is a harmless no-op. */
typedef struct sim_handle {
    uint32_t slot;
    uint32_t gen;
} sim_handle;

typedef struct sim_engine sim_engine;
typedef void (*sim_handler)(sim_engine *e, const sim_event *ev, void *ctx);
/* Called every progress_every events and at the end; return nonzero to stop. */
typedef int (*sim_progress_fn)(void *ctx, sim_time_t now, uint64_t events);

#define SIM_MAX_EVENT_TYPES 64

typedef struct sim_engine_config {
    sim_queue_kind queue;
    size_t capacity_hint; /* expected pending events (pool and queue preallocation) */
} sim_engine_config;

sim_engine *sim_engine_create(const sim_engine_config *cfg, sim_error *err);
void sim_engine_destroy(sim_engine *e);
/* Registers the handler for an event type (< SIM_MAX_EVENT_TYPES). */
void sim_engine_on(sim_engine *e, sim_event_type type, sim_handler fn, void *ctx);
/* The handler registered for type (NULL fn if none): to wrap it. */
void sim_engine_handler(const sim_engine *e, sim_event_type type, sim_handler *fn, void **ctx);
void sim_engine_set_progress(sim_engine *e, sim_progress_fn fn, void *ctx, uint64_t every);

/* Schedules an event at absolute time `at` (>= now). On allocation failure
 * the engine records an error, stops, and returns a null handle. */
sim_handle sim_schedule(sim_engine *e, sim_time_t at, sim_event_type type, uint32_t target,
                        uint32_t gen, uint64_t data);
/* Cancels a pending event (lazy: its slot is skipped when popped). */
void sim_cancel(sim_engine *e, sim_handle h);

/* Runs the events with time < until (half-open, so consecutive calls cover
 * consecutive intervals), then sets now = until unless stopped. Pass
 * SIM_NEVER to run until the queue is empty. Returns SIM_OK, or an error
 * code (also stored in err) if the engine failed. */
int sim_engine_run(sim_engine *e, sim_time_t until, sim_error *err);
void sim_engine_stop(sim_engine *e);

sim_time_t sim_now(const sim_engine *e);
uint64_t sim_engine_events(const sim_engine *e); /* events dispatched so far */
size_t sim_engine_pending(const sim_engine *e);  /* live scheduled events */
size_t sim_engine_bytes(const sim_engine *e);    /* memory held by pool and queue */

/* ------------------------------------------------------------------- RNG */

/* Counter-based random streams: Philox4x64-10 (Random123). A stream is fully
 * determined by its key, so a draw never depends on the order in which
 * threads or devices run.
 *   key     = { seed, replication << 32 | cell }
 *   counter = { device << 32 | purpose, substream, block, 0 }
 * `purpose` separates independent uses (traffic, access, fading...) of one
 * device; `substream` lets a model restart a fresh stream per item (for
 * example per report) so that adding draws elsewhere does not shift it. */
typedef struct sim_rng_key {
    uint64_t seed;
    uint32_t replication;
    uint32_t cell;
    uint32_t device;
    uint32_t purpose;
    uint64_t substream;
} sim_rng_key;

typedef struct sim_rng {
    uint64_t key[2];
    uint64_t ctr[4];
    uint64_t buf[4];
    unsigned avail; /* unread words left in buf (taken from buf[4 - avail]) */
} sim_rng;

#define SIM_RNG_ALGORITHM "philox4x64-10"

void sim_rng_init(sim_rng *r, const sim_rng_key *key);
/* One Philox4x64-10 block, exposed for known-answer tests. */
void sim_rng_philox4x64(const uint64_t ctr[4], const uint64_t key[2], uint64_t out[4]);

uint64_t sim_rng_u64(sim_rng *r);
double sim_rng_uniform(sim_rng *r);     /* [0, 1), 53-bit resolution */
double sim_rng_uniform_pos(sim_rng *r); /* (0, 1) */
double sim_rng_range(sim_rng *r, double lo, double hi);
uint64_t sim_rng_int(sim_rng *r, uint64_t n); /* uniform in [0, n), unbiased; n > 0 */
int sim_rng_bernoulli(sim_rng *r, double p);
double sim_rng_exponential(sim_rng *r, double mean);
double sim_rng_normal(sim_rng *r, double mean, double sd);
double sim_rng_beta(sim_rng *r, double a, double b);
/* Pareto with shape alpha truncated to [lo, hi] (lo > 0, hi > lo). */
double sim_rng_pareto_bounded(sim_rng *r, double alpha, double lo, double hi);

/* GSL adapter: fills *g so that GSL samplers (gsl_ran_*) draw from r.
 * No allocation; g is valid while r is. Never use gsl_rng_env_setup(). */
void sim_rng_as_gsl(sim_rng *r, gsl_rng *g);

#endif
