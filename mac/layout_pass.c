/* layout_pass.c: the cells of a layout's pass run as OpenMP tasks and,
 * in distributed runs, over MPI ranks through the program's exchange
 * (mac_run_dist); and the single cell of a scenario without a layout.
 * Each cell runs on its own engine and touches only its own slots; events,
 * memory and the first error are gathered in cell order, so the result
 * does not depend on which thread or rank ran which cell. */
#include "mac/mac_internal.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Progress of a replication whose cells may run at the same time on
 * several threads: each cell stores its clock and events, and the
 * replication's share done is the mean over the cells of the pass. */
typedef struct progress_ctx {
    const mac_run_cfg *cfg;
    uint32_t cells; /* cells this process runs */
    uint32_t n_now; /* slots in now and events (every cell) */
    uint32_t passes, pass;
    uint64_t events_before; /* events of the earlier passes */
    _Atomic int64_t *now;   /* per cell */
    _Atomic uint64_t *events;
} progress_ctx;

typedef struct cell_progress {
    progress_ctx *p;
    uint32_t cell;
} cell_progress;

static int on_progress(void *ctx, sim_time_t now, uint64_t events)
{
    cell_progress *cp = ctx;
    progress_ctx *p = cp->p;
    atomic_store_explicit(&p->now[cp->cell], now, memory_order_relaxed);
    atomic_store_explicit(&p->events[cp->cell], events, memory_order_relaxed);
    if (!p->cfg->progress) return 0;
    double t = 0;
    uint64_t ev = p->events_before;
    for (uint32_t k = 0; k < p->n_now; k++) {
        t += (double)atomic_load_explicit(&p->now[k], memory_order_relaxed);
        ev += atomic_load_explicit(&p->events[k], memory_order_relaxed);
    }
    double f = (p->pass + t / ((double)p->cfg->duration * p->cells)) / p->passes;
    return p->cfg->progress(p->cfg->progress_ctx, f, ev);
}

/* One cell on its own engine. Called for several cells at once: it
 * touches nothing but its arguments. *events: the cell's events so far
 * (earlier passes), to which this run's are added; *bytes: the cell's
 * largest memory so far, raised to this run's if larger. */
static int run_cell(const mac_run_cfg *cfg, const mac_cell_cfg *mc, cell_progress *pc,
                    mac_cell **out, uint64_t *events, size_t *bytes, sim_error *err)
{
    uint64_t n = mc->dev_cl ? mc->n_dev : 0;
    if (!mc->dev_cl)
        for (uint32_t g = 0; g < mc->n_groups; g++)
            n += mc->groups[g].count;
    sim_engine_config ec = {cfg->queue, (size_t)(n + n / 16 + 1024)};
    sim_engine *e = sim_engine_create(&ec, err);
    if (!e) return err->code;
    mac_cell *c = mac_cell_create(mc, e, err);
    int rc = c ? SIM_OK : err->code;
    if (!rc) {
        sim_engine_set_progress(e, on_progress, pc, 1u << 16);
        rc = sim_engine_run(e, mc->duration, err);
    }
    if (!rc) rc = mac_cell_finish(c, err);
    if (!rc && mc->radio->ra_model == MAC_RA_TR37868) rc = mac_cell_rach_study(c, err);
    *events += sim_engine_events(e);
    if (c) c->cstats.events = *events;
    const size_t b = (c ? mac_cell_bytes(c) : 0) + sim_engine_bytes(e);
    if (b > *bytes) *bytes = b;
    sim_engine_destroy(e);
    mac_cell_release(c); /* only the results are read from here on */
    *out = c;
    return rc;
}

/* Mean radiated power of a device over the run, mW: transmit draw is affine
 * in output power (energy_tx_power_mw), so the output energy is recovered
 * exactly from the transmit energy and time. */
static double radiated_mw(const mac_device_stats *s, const energy_profile *m, double dur_s)
{
    double t_tx = (double)s->energy.time_us[ENERGY_TX] / 1e6;
    double circuit = m->power_mw[ENERGY_TX] - pow(10, m->tx_ref_dbm / 10) / m->pa_efficiency;
    double out_mj = m->pa_efficiency * (s->energy_j[ENERGY_TX] * 1e3 - circuit * t_tx);
    return out_mj > 0 ? out_mj / dur_s : 0;
}

/* One pass over the cells of a layout: what every cell task reads, and
 * the slots each writes (its own only). */
typedef struct pass_ctx {
    const mac_run_cfg *cfg;
    const mac_radio_cfg *rc_k;
    const uint32_t *count, *start;
    const uint16_t *cgrp;
    const float *ccl;
    int final;
    double *prad;      /* per device (layout order): mean radiated power, mW */
    uint64_t *cell_ev; /* per cell: events over the passes so far */
    size_t *by;        /* per cell: largest memory over the passes so far */
    int *rcs;
    sim_error *errs;
    cell_progress *cp;
    mac_run *out;
    _Atomic uint32_t next; /* the next cell to start */
    /* distributed final pass: cells finished here (any thread), cells sent
     * or received (main thread only), rank 0's next cell to receive, and
     * the exchange's first error (main thread) */
    _Atomic uint8_t *done;
    uint8_t *moved;
    uint32_t next_remote;
    int own_region, comm_rc;
    sim_error comm_err;
    uint32_t cells; /* of the layout */
} pass_ctx;

static int exchange(pass_ctx *p, int block, sim_error *err);

static int owns(const mac_run_cfg *cfg, uint32_t k)
{
    return !cfg->dist || (int)(k % (uint32_t)cfg->dist->size) == cfg->dist->rank;
}

static void pass_cell(pass_ctx *p, uint32_t k)
{
    const mac_run_cfg *cfg = p->cfg;
    mac_run *out = p->out;
    mac_cell_cfg mc = {.radio = &p->rc_k[k],
                       .groups = cfg->groups,
                       .n_groups = cfg->n_groups,
                       .duration = cfg->duration,
                       .seed = cfg->seed,
                       .replication = cfg->replication,
                       .cell = k,
                       .n_dev = p->count[k],
                       .dev_group = p->cgrp + p->start[k],
                       .dev_cl = p->ccl + p->start[k],
                       .ts_bin = p->final ? cfg->ts_bin : 0,
                       .trace = p->final ? cfg->trace : NULL};
    int rc = run_cell(cfg, &mc, &p->cp[k], &out->cells[k], &p->cell_ev[k], &p->by[k], &p->errs[k]);
    if (!rc && !p->final) {
        /* the next pass needs only each device's mean radiated power */
        const double dur_s = sim_time_to_s(cfg->duration);
        uint32_t nd;
        const mac_device_stats *s = mac_cell_device_stats(out->cells[k], &nd);
        for (uint32_t j = 0; j < nd; j++)
            p->prad[p->start[k] + j] =
                radiated_mw(&s[j], &cfg->groups[p->cgrp[p->start[k] + j]].module, dur_s);
        mac_cell_destroy(out->cells[k]);
        out->cells[k] = NULL;
    } else if (!rc && cfg->cell_done && (!cfg->dist || cfg->dist->rank == 0)) {
        rc = cfg->cell_done(cfg->cell_done_ctx, k, &p->errs[k]);
    }
    p->rcs[k] = rc;
    if (cfg->dist && p->final) {
        atomic_store_explicit(&p->done[k], (uint8_t)!rc, memory_order_release);
        /* thread 0 of the region mac_layout_pass opened is the main thread */
        if (p->own_region && omp_get_thread_num() == 0 && !p->comm_rc)
            p->comm_rc = exchange(p, 0, &p->comm_err);
    }
}

/* One of as many workers as the team has threads, each taking the next
 * cell in order: cells start in cell order whatever order the tasks run
 * in, so a finished cell seldom waits for an earlier one to be written (a
 * task per cell may run last first, and then every cell's results wait
 * for cell 0). */
static void pass_worker(void *ctx, uint32_t w)
{
    pass_ctx *p = ctx;
    (void)w;
    for (uint32_t k; (k = atomic_fetch_add(&p->next, 1)) < p->cells;)
        if (owns(p->cfg, k)) pass_cell(p, k);
}

/* Rank > 0: cell k's results to rank 0 (tagged with k), freed here. */
static int send_cell(pass_ctx *p, uint32_t k, sim_error *err)
{
    const mac_run_dist *d = p->cfg->dist;
    mac_run *out = p->out;
    size_t n = mac_cell_pack_size(out->cells[k]);
    void *buf = malloc(n);
    if (!buf) return sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory");
    mac_cell_pack(out->cells[k], p->by[k], buf);
    int rc = d->send(d->ctx, k, buf, n, err);
    free(buf);
    mac_cell_destroy(out->cells[k]);
    out->cells[k] = NULL;
    p->moved[k] = 1;
    return rc;
}

/* Rank 0: the results of cell k from its rank, handed to cell_done. */
static int recv_cell(pass_ctx *p, uint32_t k, sim_error *err)
{
    const mac_run_dist *d = p->cfg->dist;
    mac_run *out = p->out;
    void *buf = NULL;
    size_t n = 0;
    int rc = d->recv(d->ctx, (int)(k % (uint32_t)d->size), k, &buf, &n, err);
    if (!rc) {
        out->cells[k] = mac_cell_unpack(buf, n, &p->by[k], err);
        rc = out->cells[k] ? SIM_OK : err->code;
    }
    free(buf);
    p->moved[k] = 1;
    if (rc) return rc;
    p->cell_ev[k] = mac_cell_stats_get(out->cells[k])->events;
    if (p->cfg->cell_done) rc = p->cfg->cell_done(p->cfg->cell_done_ctx, k, err);
    return rc;
}

/* The final pass's exchange, on the main thread (MPI_THREAD_FUNNELED):
 * during the pass, between cells (nonblocking: what has finished here is
 * sent, what has arrived there is received, in cell order, so neither
 * side holds every cell until the end), and after it (block: the rest). */
static int exchange(pass_ctx *p, int block, sim_error *err)
{
    const uint32_t cells = p->cells;
    const mac_run_dist *d = p->cfg->dist;
    int rc = SIM_OK;
    if (d->rank > 0) {
        for (uint32_t k = 0; k < cells && !rc; k++)
            if (owns(p->cfg, k) && !p->moved[k] &&
                (block || atomic_load_explicit(&p->done[k], memory_order_acquire)))
                rc = send_cell(p, k, err);
        return rc;
    }
    for (; p->next_remote < cells && !rc; p->next_remote++) {
        uint32_t k = p->next_remote;
        if (owns(p->cfg, k)) continue;
        if (!block && !d->ready(d->ctx, (int)(k % (uint32_t)d->size), k)) break;
        rc = recv_cell(p, k, err);
    }
    return rc;
}

/* One pass over the cells of a layout. The cells are independent tasks
 * (mac_tasks): inside a parallel region they spread over its threads;
 * outside one, over cfg->threads threads. Each writes
 * only its own slots, and the events, memory and first error are gathered
 * in cell order afterwards, so the result does not depend on which thread
 * or rank ran which cell. */
int mac_layout_pass(const mac_run_cfg *cfg, const mac_radio_cfg *rc_k, uint32_t cells,
                    const uint32_t *count, const uint32_t *start, const uint16_t *cgrp,
                    const float *ccl, uint32_t n_dev, uint32_t pass, uint32_t passes, double *prad,
                    uint64_t *cell_ev, size_t *by, mac_run *out, sim_error *err)
{
    pass_ctx p = {0};
    int *rcs = calloc(cells, sizeof *rcs);
    sim_error *errs = calloc(cells, sizeof *errs);
    _Atomic int64_t *now = calloc(cells, sizeof *now);
    _Atomic uint64_t *pev = calloc(cells, sizeof *pev);
    cell_progress *cp = calloc(cells, sizeof *cp);
    int rc = SIM_OK;
    if (!rcs || !errs || !now || !pev || !cp) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory");
        goto done;
    }
    uint64_t before = 0;
    uint32_t mine = 0;
    for (uint32_t k = 0; k < cells; k++) {
        before += cell_ev[k];
        mine += owns(cfg, k);
    }
    progress_ctx pc = {.cfg = cfg,
                       .cells = mine ? mine : 1,
                       .n_now = cells,
                       .passes = passes,
                       .pass = pass,
                       .events_before = before,
                       .now = now,
                       .events = pev};
    for (uint32_t k = 0; k < cells; k++) {
        mac_cell_destroy(out->cells[k]);
        out->cells[k] = NULL;
        cp[k] = (cell_progress){&pc, k};
    }
    p = (pass_ctx){.cfg = cfg,
                   .rc_k = rc_k,
                   .count = count,
                   .start = start,
                   .cgrp = cgrp,
                   .ccl = ccl,
                   .final = pass + 1 == passes,
                   .prad = prad,
                   .cell_ev = cell_ev,
                   .by = by,
                   .rcs = rcs,
                   .errs = errs,
                   .cp = cp,
                   .out = out,
                   .cells = cells};
    if (cfg->dist && p.final) {
        p.done = calloc(cells, sizeof *p.done);
        p.moved = calloc(cells, 1);
        if (!p.done || !p.moved) {
            rc = sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory");
            goto done;
        }
    }
    /* outside a parallel region (distributed runs: the exchange stays on
     * this thread) mac_tasks opens one, whose thread 0 is this thread */
    p.own_region = !omp_in_parallel();
    uint32_t workers = p.own_region ? (uint32_t)(cfg->threads > 1 ? cfg->threads : 1)
                                    : (uint32_t)omp_get_num_threads();
    mac_tasks(cfg, workers < cells ? workers : cells, pass_worker, &p);
    for (uint32_t k = 0; k < cells && !rc; k++)
        if (rcs[k]) {
            *err = errs[k];
            rc = rcs[k];
        }
    if (!rc && p.comm_rc) {
        *err = p.comm_err;
        rc = p.comm_rc;
    }
    /* a failed rank cannot take part in the exchange: the caller stops
     * the run (mtcsim aborts every rank) */
    if (!rc && cfg->dist && p.final) rc = exchange(&p, 1, err);
    if (!rc && cfg->dist && !p.final) rc = cfg->dist->sum(cfg->dist->ctx, prad, n_dev, err);
    out->events = 0;
    for (uint32_t k = 0; k < cells; k++) {
        out->events += cell_ev[k];
        if (by[k] > out->bytes) out->bytes = by[k];
    }
done:
    free(rcs);
    free(errs);
    free(now);
    free(pev);
    free(cp);
    free(p.done);
    free(p.moved);
    return rc;
}

/* The single cell of a scenario without a layout. */
int mac_layout_one_cell(const mac_run_cfg *cfg, mac_run *out, sim_error *err)
{
    mac_cell_cfg mc = {.radio = cfg->radio,
                       .groups = cfg->groups,
                       .n_groups = cfg->n_groups,
                       .duration = cfg->duration,
                       .seed = cfg->seed,
                       .replication = cfg->replication,
                       .ts_bin = cfg->ts_bin,
                       .trace = cfg->trace};
    _Atomic int64_t now = 0;
    _Atomic uint64_t ev = 0;
    progress_ctx pc = {.cfg = cfg, .cells = 1, .n_now = 1, .passes = 1, .now = &now, .events = &ev};
    cell_progress cp = {&pc, 0};
    int rc = run_cell(cfg, &mc, &cp, &out->cells[0], &out->events, &out->bytes, err);
    if (!rc && cfg->cell_done) rc = cfg->cell_done(cfg->cell_done_ctx, 0, err);
    return rc;
}
