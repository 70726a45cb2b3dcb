/* test_engine.c: the event loop on both queue kinds: ordering, FIFO among
 * equal times, half-open run intervals, cancellation by handle, lazy
 * cancellation by generation, scheduling from handlers while the pool grows,
 * and stopping. */
#include "sim/core/sim.h"
#include "tests/check.h"

#include <stdlib.h>
#include <string.h>

#define LOG_MAX 200000

typedef struct logbook {
    sim_time_t t[LOG_MAX];
    uint64_t data[LOG_MAX];
    size_t n;
    uint32_t timer_gen[16]; /* per-entity generation for lazy cancellation */
    int stop_at;
} logbook;

static void record(sim_engine *e, const sim_event *ev, void *ctx)
{
    logbook *lb = ctx;
    if (lb->n < LOG_MAX) {
        lb->t[lb->n] = ev->time;
        lb->data[lb->n] = ev->data;
        lb->n++;
    }
    CHECK(sim_now(e) == ev->time);
    if (lb->stop_at && (int)lb->n == lb->stop_at) sim_engine_stop(e);
}

/* A timer handler that ignores stale generations (lazy cancellation). */
static void timer(sim_engine *e, const sim_event *ev, void *ctx)
{
    logbook *lb = ctx;
    if (ev->gen != lb->timer_gen[ev->target])
        return; /* restarted or cancelled since it was scheduled */
    record(e, ev, ctx);
}

/* Each event schedules two children until a depth is reached: the pool must
 * grow while handlers run, and the copy handed to the handler stays valid. */
static void fanout(sim_engine *e, const sim_event *ev, void *ctx)
{
    logbook *lb = ctx;
    lb->n++;
    if (ev->data < 15) {
        sim_schedule(e, ev->time + 1 + (sim_time_t)ev->data, 3, ev->target, 0, ev->data + 1);
        sim_schedule(e, ev->time + 1 + (sim_time_t)ev->data, 3, ev->target, 0, ev->data + 1);
    }
    CHECK(ev->data <= 15);
}

static sim_engine *make(sim_queue_kind k, size_t hint)
{
    sim_engine_config c = {k, hint};
    sim_error err;
    sim_error_clear(&err);
    sim_engine *e = sim_engine_create(&c, &err);
    CHECK(e != NULL);
    return e;
}

static void test_order_and_fifo(sim_queue_kind k)
{
    logbook *lb = calloc(1, sizeof *lb);
    sim_engine *e = make(k, 4);
    sim_engine_on(e, 1, record, lb);
    /* Equal times must run in scheduling order (data = scheduling index). */
    sim_time_t times[] = {50, 10, 50, 10, 0, 50, 3 * SIM_HOUR, 10, 0};
    for (uint64_t i = 0; i < sizeof times / sizeof times[0]; i++)
        sim_schedule(e, times[i], 1, 0, 0, i);
    CHECK_EQ_INT(sim_engine_pending(e), 9);
    sim_error err;
    sim_error_clear(&err);
    CHECK_EQ_INT(sim_engine_run(e, SIM_NEVER, &err), SIM_OK);
    uint64_t want[] = {4, 8, 1, 3, 7, 0, 2, 5, 6};
    CHECK_EQ_INT(lb->n, 9);
    for (int i = 0; i < 9; i++)
        CHECK_EQ_INT(lb->data[i], want[i]);
    CHECK_EQ_INT(sim_engine_events(e), 9);
    CHECK_EQ_INT(sim_now(e), 3 * SIM_HOUR);
    sim_engine_destroy(e);
    free(lb);
}

static void test_half_open_runs(sim_queue_kind k)
{
    logbook *lb = calloc(1, sizeof *lb);
    sim_engine *e = make(k, 16);
    sim_engine_on(e, 1, record, lb);
    for (uint64_t i = 0; i < 10; i++)
        sim_schedule(e, (sim_time_t)i * SIM_S, 1, 0, 0, i);
    sim_error err;
    sim_error_clear(&err);
    /* [0, 5 s) runs events 0..4; the event at exactly 5 s waits. */
    sim_engine_run(e, 5 * SIM_S, &err);
    CHECK_EQ_INT(lb->n, 5);
    CHECK_EQ_INT(sim_now(e), 5 * SIM_S);
    sim_engine_run(e, 5 * SIM_S, &err); /* empty interval */
    CHECK_EQ_INT(lb->n, 5);
    sim_engine_run(e, 20 * SIM_S, &err);
    CHECK_EQ_INT(lb->n, 10);
    CHECK_EQ_INT(sim_now(e), 20 * SIM_S); /* time advances to the end */
    CHECK_EQ_INT(sim_engine_pending(e), 0);
    sim_engine_destroy(e);
    free(lb);
}

static void test_cancel(sim_queue_kind k)
{
    logbook *lb = calloc(1, sizeof *lb);
    sim_engine *e = make(k, 2);
    sim_engine_on(e, 1, record, lb);
    sim_handle h[6];
    for (int i = 0; i < 6; i++)
        h[i] = sim_schedule(e, 100 + i, 1, 0, 0, (uint64_t)i);
    sim_cancel(e, h[1]);
    sim_cancel(e, h[4]);
    sim_cancel(e, h[4]); /* twice: harmless */
    CHECK_EQ_INT(sim_engine_pending(e), 4);
    sim_error err;
    sim_error_clear(&err);
    sim_engine_run(e, 103, &err); /* runs 0 and 2 */
    CHECK_EQ_INT(lb->n, 2);
    /* A handle whose event already ran must not cancel the slot's new user. */
    sim_handle again = sim_schedule(e, 200, 1, 0, 0, 99);
    sim_cancel(e, h[0]);
    sim_cancel(e, h[2]);
    sim_engine_run(e, SIM_NEVER, &err);
    uint64_t want[] = {0, 2, 3, 5, 99};
    CHECK_EQ_INT(lb->n, 5);
    for (int i = 0; i < 5 && i < (int)lb->n; i++)
        CHECK_EQ_INT(lb->data[i], want[i]);
    (void)again;
    sim_engine_destroy(e);
    free(lb);
}

static void test_lazy_generation(sim_queue_kind k)
{
    logbook *lb = calloc(1, sizeof *lb);
    sim_engine *e = make(k, 8);
    sim_engine_on(e, 2, timer, lb);
    /* An inactivity timer restarted three times: only the last fires. */
    for (int restart = 0; restart < 4; restart++) {
        lb->timer_gen[3]++;
        sim_schedule(e, 1000 + restart * 10, 2, 3, lb->timer_gen[3], (uint64_t)restart);
    }
    /* Another entity's timer, cancelled by bumping its generation. */
    lb->timer_gen[5]++;
    sim_schedule(e, 500, 2, 5, lb->timer_gen[5], 77);
    lb->timer_gen[5]++;
    sim_error err;
    sim_error_clear(&err);
    sim_engine_run(e, SIM_NEVER, &err);
    CHECK_EQ_INT(lb->n, 1);
    CHECK_EQ_INT(lb->data[0], 3);
    CHECK_EQ_INT(lb->t[0], 1030);
    /* The stale events were still dispatched (to the handler, which ignored
     * them): lazy cancellation costs a pop, not a search. */
    CHECK_EQ_INT(sim_engine_events(e), 5);
    sim_engine_destroy(e);
    free(lb);
}

static void test_growth_and_stop(sim_queue_kind k)
{
    logbook *lb = calloc(1, sizeof *lb);
    sim_engine *e = make(k, 1);
    sim_engine_on(e, 3, fanout, lb);
    sim_schedule(e, 0, 3, 0, 0, 0);
    sim_error err;
    sim_error_clear(&err);
    CHECK_EQ_INT(sim_engine_run(e, SIM_NEVER, &err), SIM_OK);
    CHECK_EQ_INT(lb->n, (1 << 16) - 1); /* a full binary tree of depth 16 */
    CHECK(sim_engine_bytes(e) > 1000);
    sim_engine_destroy(e);

    memset(lb, 0, sizeof *lb);
    e = make(k, 4);
    sim_engine_on(e, 1, record, lb);
    for (uint64_t i = 0; i < 10; i++)
        sim_schedule(e, (sim_time_t)i, 1, 0, 0, i);
    lb->stop_at = 4;
    sim_engine_run(e, SIM_NEVER, &err);
    CHECK_EQ_INT(lb->n, 4);
    CHECK_EQ_INT(sim_now(e), 3); /* stopped: time stays at the last event */
    lb->stop_at = 0;
    sim_engine_run(e, SIM_NEVER, &err); /* resumes */
    CHECK_EQ_INT(lb->n, 10);
    sim_engine_destroy(e);
    free(lb);
}

int main(void)
{
    sim_queue_kind kinds[] = {SIM_QUEUE_HEAP, SIM_QUEUE_RADIX};
    for (int i = 0; i < 2; i++) {
        test_order_and_fifo(kinds[i]);
        test_half_open_runs(kinds[i]);
        test_cancel(kinds[i]);
        test_lazy_generation(kinds[i]);
        test_growth_and_stop(kinds[i]);
    }
    sim_time_t t;
    CHECK(sim_time_from_s(1.5, &t) == 0 && t == 1500000);
    CHECK(sim_time_from_s(86400.0 * 365, &t) == 0 && t == 86400LL * 365 * SIM_S);
    CHECK(sim_time_from_s(1e300, &t) == -1);
    CHECK(sim_time_from_s(0.0 / 0.0, &t) == -1);
    return check_done();
}
