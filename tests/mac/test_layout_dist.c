/* test_layout_dist.c: a layout's cells spread over processes, without MPI.
 *
 * Two "ranks" are two threads of this process, each calling mac_run_all
 * with a mac_run_dist whose exchange is done in memory (a barrier for the
 * sum of radiated powers, a queue for the packed cells): rank 0 must end
 * with the replication one process computes (interference rises, events,
 * memory, every cell's stats, device results and group energies, no
 * pointer of the sender's in the device results), rank 1
 * with no cells; cell_done is called once per cell, on rank 0 only. Then
 * a cell_done error ptr_same a parallel region (cells as tasks) fails the
 * replication with its message, whatever thread ran the cell.
 */
#include "mac/mac.h"
#include "tests/check.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { RANKS = 2, MAX_MSG = 64 };

typedef struct fake_mpi {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_barrier_t bar;
    double *slot[RANKS]; /* each rank's vector during a sum */
    void *msg[MAX_MSG];  /* rank 1 -> rank 0, by cell (NULL: not sent, or received) */
    size_t len[MAX_MSG];
    int head, tail;
    int sums[RANKS];
} fake_mpi;

typedef struct rank_ctx {
    fake_mpi *m;
    int rank;
} rank_ctx;

static int fake_sum(void *ctx, double *v, size_t n, sim_error *err)
{
    rank_ctx *r = ctx;
    fake_mpi *m = r->m;
    (void)err;
    double *copy = malloc((n ? n : 1) * sizeof *copy);
    memcpy(copy, v, n * sizeof *v);
    m->slot[r->rank] = copy;
    pthread_barrier_wait(&m->bar);
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < RANKS; k++)
            s += m->slot[k][i];
        v[i] = s;
    }
    pthread_barrier_wait(&m->bar);
    free(copy);
    m->sums[r->rank]++;
    return 0;
}

static int fake_send(void *ctx, uint32_t cell, const void *buf, size_t n, sim_error *err)
{
    rank_ctx *r = ctx;
    fake_mpi *m = r->m;
    if (cell >= MAX_MSG || m->msg[cell])
        return sim_error_set(err, SIM_ERR_RUNTIME, "test: cell %u sent twice", cell);
    void *copy = malloc(n);
    memcpy(copy, buf, n);
    pthread_mutex_lock(&m->mu);
    m->msg[cell] = copy;
    m->len[cell] = n;
    m->tail++;
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
    return 0;
}

static int fake_ready(void *ctx, int from, uint32_t cell)
{
    rank_ctx *r = ctx;
    fake_mpi *m = r->m;
    pthread_mutex_lock(&m->mu);
    int ok = from == 1 && cell < MAX_MSG && m->msg[cell] != NULL;
    pthread_mutex_unlock(&m->mu);
    return ok;
}

static int fake_recv(void *ctx, int from, uint32_t cell, void **buf, size_t *n, sim_error *err)
{
    rank_ctx *r = ctx;
    fake_mpi *m = r->m;
    if (from != 1 || cell >= MAX_MSG)
        return sim_error_set(err, SIM_ERR_RUNTIME, "test: recv of cell %u from %d", cell, from);
    pthread_mutex_lock(&m->mu);
    while (!m->msg[cell])
        pthread_cond_wait(&m->cv, &m->mu);
    *buf = m->msg[cell];
    *n = m->len[cell];
    m->msg[cell] = NULL;
    m->head++;
    pthread_mutex_unlock(&m->mu);
    return 0;
}

typedef struct done_log {
    int calls[64];
    int total;
} done_log;

static int log_done(void *ctx, uint32_t cell, sim_error *err)
{
    done_log *d = ctx;
    (void)err;
#pragma omp critical(test_done_log)
    {
        if (cell < 64) d->calls[cell]++;
        d->total++;
    }
    return 0;
}

static void setup(mac_radio_cfg *r, mac_group_cfg *g, uint32_t n)
{
    mac_radio_cfg_default(r);
    r->layout_sites = 7;
    r->interference_passes = 2;
    mac_group_cfg_default(g);
    g->count = n;
    g->traffic.kind = TRAFFIC_PERIODIC;
    g->traffic.period_s = 600;
    g->rai = 1;
}

static mac_run_cfg run_cfg(const mac_radio_cfg *r, const mac_group_cfg *g)
{
    return (mac_run_cfg){.radio = r,
                         .groups = g,
                         .n_groups = 1,
                         .duration = 1800 * SIM_S,
                         .seed = 7,
                         .replication = 0,
                         .queue = SIM_QUEUE_RADIX};
}

typedef struct rank_job {
    mac_run_cfg cfg;
    mac_run_dist dist;
    rank_ctx ctx;
    mac_run out;
    int rc;
    sim_error err;
} rank_job;

static void *rank_main(void *arg)
{
    rank_job *j = arg;
    sim_error_clear(&j->err);
    j->rc = mac_run_all(&j->cfg, &j->out, &j->err);
    return NULL;
}

/* Device results equal (the account's matrix pointer compared apart). */
static int same_device(const mac_device_stats *a, const mac_device_stats *b)
{
    mac_device_stats x = *a, y = *b;
    x.energy.matrix = y.energy.matrix = NULL;
    return a->group == b->group && a->reports_generated == b->reports_generated &&
           a->reports_delivered == b->reports_delivered && a->preambles == b->preambles &&
           a->energy.total_j == b->energy.total_j &&
           !memcmp(x.energy.time_us, y.energy.time_us, sizeof x.energy.time_us) &&
           !memcmp(x.energy_j, y.energy_j, sizeof x.energy_j) &&
           a->avg_power_mw == b->avg_power_mw && a->battery_life_years == b->battery_life_years &&
           (a->latency_ms_mean == b->latency_ms_mean ||
            (isnan(a->latency_ms_mean) && isnan(b->latency_ms_mean)));
}

static void test_two_ranks(const mac_radio_cfg *r, const mac_group_cfg *g, int threads)
{
    mac_run_cfg base = run_cfg(r, g);
    mac_run ref;
    sim_error err;
    sim_error_clear(&err);
    if (mac_run_all(&base, &ref, &err) != SIM_OK) {
        CHECK_MSG(0, "%s", err.msg);
        return;
    }

    fake_mpi m;
    memset(&m, 0, sizeof m);
    pthread_mutex_init(&m.mu, NULL);
    pthread_cond_init(&m.cv, NULL);
    pthread_barrier_init(&m.bar, NULL, RANKS);
    done_log log[RANKS];
    memset(log, 0, sizeof log);
    rank_job job[RANKS];
    pthread_t th[RANKS];
    for (int k = 0; k < RANKS; k++) {
        job[k].ctx = (rank_ctx){&m, k};
        job[k].dist = (mac_run_dist){.rank = k,
                                     .size = RANKS,
                                     .ctx = &job[k].ctx,
                                     .sum = fake_sum,
                                     .send = fake_send,
                                     .recv = fake_recv,
                                     .ready = fake_ready};
        job[k].cfg = base;
        job[k].cfg.dist = &job[k].dist;
        job[k].cfg.threads = threads;
        job[k].cfg.cell_done = log_done;
        job[k].cfg.cell_done_ctx = &log[k];
        pthread_create(&th[k], NULL, rank_main, &job[k]);
    }
    for (int k = 0; k < RANKS; k++)
        pthread_join(th[k], NULL);
    for (int k = 0; k < RANKS; k++)
        CHECK_MSG(job[k].rc == SIM_OK, "rank %d: %s", k, job[k].err.msg);
    CHECK_EQ_INT(m.sums[0], 1); /* one exchange: between the two passes */
    CHECK_EQ_INT(m.sums[1], 1);
    CHECK_EQ_INT(m.head, m.tail); /* every cell rank 1 sent was received */

    const mac_run *o = &job[0].out;
    CHECK_EQ_INT(o->n_cells, ref.n_cells);
    CHECK_EQ_INT(o->events, ref.events);
    CHECK_EQ_INT(o->bytes, ref.bytes);
    CHECK_EQ_INT(log[0].total, ref.n_cells);
    CHECK_EQ_INT(log[1].total, 0);
    for (uint32_t k = 0; k < ref.n_cells && k < o->n_cells; k++) {
        CHECK_EQ_INT(log[0].calls[k], 1);
        CHECK_MSG(o->iot_db[k] == ref.iot_db[k], "cell %u: rise %.17g, want %.17g", k, o->iot_db[k],
                  ref.iot_db[k]);
        CHECK(job[1].out.cells[k] == NULL);
        if (!o->cells[k]) {
            CHECK_MSG(0, "rank 0 has no cell %u", k);
            continue;
        }
        const mac_cell_stats *a = mac_cell_stats_get(o->cells[k]);
        const mac_cell_stats *b = mac_cell_stats_get(ref.cells[k]);
        CHECK_MSG(a->devices == b->devices && a->events == b->events &&
                      a->reports_delivered == b->reports_delivered && a->energy_j == b->energy_j &&
                      !memcmp(a->ce, b->ce, sizeof a->ce),
                  "cell %u: stats differ", k);
        uint32_t na, nb, ga, gb;
        const mac_device_stats *da = mac_cell_device_stats(o->cells[k], &na);
        const mac_device_stats *db = mac_cell_device_stats(ref.cells[k], &nb);
        const energy_matrix *ma = mac_cell_group_energy(o->cells[k], &ga);
        const energy_matrix *mb = mac_cell_group_energy(ref.cells[k], &gb);
        CHECK_EQ_INT(na, nb);
        CHECK_EQ_INT(ga, gb);
        CHECK_MSG(ga == gb && !memcmp(ma, mb, ga * sizeof *ma), "cell %u: group energy", k);
        int same = na == nb, ptr_same = 1;
        for (uint32_t i = 0; same && i < na; i++) {
            same = same_device(&da[i], &db[i]);
            ptr_same &= da[i].energy.matrix == db[i].energy.matrix; /* NULL, as finished */
        }
        CHECK_MSG(same, "cell %u: device results differ", k);
        CHECK_MSG(ptr_same, "cell %u: an account's matrix pointer differs (%p, want %p)", k,
                  (void *)da[0].energy.matrix, (void *)db[0].energy.matrix);
    }
    for (int k = 0; k < RANKS; k++)
        mac_run_free(&job[k].out);
    mac_run_free(&ref);
    pthread_barrier_destroy(&m.bar);
    pthread_cond_destroy(&m.cv);
    pthread_mutex_destroy(&m.mu);
}

static int fail_cell(void *ctx, uint32_t cell, sim_error *err)
{
    return cell == *(const uint32_t *)ctx
               ? sim_error_set(err, SIM_ERR_RUNTIME, "test: cell %u refused", cell)
               : SIM_OK;
}

static void test_cell_done_error(const mac_radio_cfg *r, const mac_group_cfg *g)
{
    const uint32_t bad = 5;
    mac_run_cfg cfg = run_cfg(r, g);
    cfg.cell_done = fail_cell;
    cfg.cell_done_ctx = (void *)&bad;
    mac_run out;
    sim_error err;
    sim_error_clear(&err);
    int rc = SIM_OK;
#pragma omp parallel num_threads(2)
#pragma omp single
    rc = mac_run_all(&cfg, &out, &err);
    CHECK(rc == SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(err.msg, "cell 5 refused") != NULL, "%s", err.msg);
    mac_run_free(&out);
}

int main(void)
{
    mac_radio_cfg r;
    mac_group_cfg g;
    setup(&r, &g, 1500);
    test_two_ranks(&r, &g, 1);
    test_two_ranks(&r, &g, 2);
    test_cell_done_error(&r, &g);
    return check_done();
}
