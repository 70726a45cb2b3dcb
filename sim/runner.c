/* runner.c: runs a scenario's replications and writes the results file.
 *
 * One engine per replication, replications spread over OpenMP threads
 * (dynamic schedule: one at a time). Each replication's draws depend only on
 * its RNG keys, and results are written in replication order after all have
 * finished, so the file is identical whatever the thread count.
 */
#include "sim/app.h"
#include "gitsha.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Shared progress state; each replication writes only its own slots. */
typedef struct progress {
    _Atomic int64_t *now;
    _Atomic uint64_t *events;
    uint32_t reps;
    sim_time_t duration;
    double t0;
    double last;
    int tty;
    int printed;
} progress;

typedef struct rep_ctx {
    progress *pg;
    uint32_t rep;
} rep_ctx;

static void progress_print(progress *pg, int final)
{
    double done = 0;
    uint64_t ev = 0;
    for (uint32_t r = 0; r < pg->reps; r++) {
        done += (double)atomic_load_explicit(&pg->now[r], memory_order_relaxed);
        ev += atomic_load_explicit(&pg->events[r], memory_order_relaxed);
    }
    done /= (double)pg->duration * pg->reps;
    double el = wall_now() - pg->t0;
    double eta = done > 0 ? el * (1 - done) / done : 0;
    if (final) {
        fputs("\r\033[K", stderr);
        return;
    }
    fprintf(stderr, "\r\033[Ksim %.0f s of %.0f s  %5.1f %%  %.2f M events/s  ETA %.0f s",
            sim_time_to_s((sim_time_t)(done * (double)pg->duration)), sim_time_to_s(pg->duration),
            100 * done, el > 0 ? ev / el / 1e6 : 0, eta);
    pg->printed = 1;
}

static int on_progress(void *ctx, sim_time_t now, uint64_t events)
{
    rep_ctx *rc = ctx;
    progress *pg = rc->pg;
    atomic_store_explicit(&pg->now[rc->rep], now, memory_order_relaxed);
    atomic_store_explicit(&pg->events[rc->rep], events, memory_order_relaxed);
    /* Only thread 0 prints: no locking, and the line is only cosmetic. */
    if (pg->tty && omp_get_thread_num() == 0) {
        double t = wall_now();
        if (t - pg->t0 > 2.0 && t - pg->last > 0.5) {
            pg->last = t;
            progress_print(pg, 0);
        }
    }
    return 0;
}

static int run_one(const scen_config *cfg, sim_time_t duration, uint32_t rep, progress *pg,
                   run_rep_result *out, sim_error *err)
{
    double t0 = wall_now();
    uint64_t devices = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        devices += cfg->groups[g].count;
    /* Roughly one pending event per device plus protocol steps in flight. */
    sim_engine_config ec = {(sim_queue_kind)cfg->queue, (size_t)(devices + devices / 4 + 1024)};
    sim_engine *e = sim_engine_create(&ec, err);
    if (!e) return err->code;
    mac_cell_cfg mc = {cfg->groups, cfg->n_groups, duration, cfg->seed, rep, 0};
    mac_cell *cell = mac_cell_create(&mc, e, err);
    if (!cell) {
        sim_engine_destroy(e);
        return err->code;
    }
    rep_ctx rc = {pg, rep};
    sim_engine_set_progress(e, on_progress, &rc, 1u << 16);
    int code = sim_engine_run(e, duration, err);
    if (code == SIM_OK) code = mac_cell_finish(cell, err);
    atomic_store_explicit(&pg->now[rep], duration, memory_order_relaxed);
    out->replication = rep;
    out->events = sim_engine_events(e);
    out->model_bytes = mac_cell_bytes(cell) + sim_engine_bytes(e);
    out->cell = cell;
    sim_engine_destroy(e);
    out->wall_s = wall_now() - t0;
    return code;
}

/* ------------------------------------------------------------------ write */

#define COL(n, t, d, u, doc) ((res_column){n, t, d, u, doc})

static int write_points(results *r, const scen_config *cfg, const run_rep_result *reps, uint32_t n,
                        sim_error *err)
{
    uint32_t *point = calloc(n, 4), *rep = calloc(n, 4);
    uint64_t *seed = calloc(n, 8), *events = calloc(n, 8), *bytes = calloc(n, 8);
    uint8_t *status = calloc(n, 1);
    double *wall = calloc(n, 8), *simt = calloc(n, 8);
    int rc = SIM_ERR_RUNTIME;
    if (!point || !rep || !seed || !events || !bytes || !status || !wall || !simt) {
        sim_error_set(err, rc, "results: out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        rep[i] = reps[i].replication;
        seed[i] = cfg->seed;
        events[i] = reps[i].events;
        bytes[i] = reps[i].model_bytes;
        status[i] = 1;
        wall[i] = reps[i].wall_s;
        simt[i] = cfg->duration_s;
    }
    res_column cols[] = {
        COL("point_id", RES_U32, point, "", "sweep point (0 without a sweep)"),
        COL("replication", RES_U32, rep, "", "replication index, part of every RNG key"),
        COL("seed", RES_U64, seed, "", "base seed"),
        COL("status", RES_U8, status, "", "1 = complete"),
        COL("wall_s", RES_F64, wall, "s", "wall-clock time of the run (machine-dependent)"),
        COL("events", RES_U64, events, "", "events dispatched"),
        COL("sim_time_s", RES_F64, simt, "s", "simulated time"),
        COL("model_bytes", RES_U64, bytes, "B", "memory of the model and event engine"),
    };
    rc = results_append(r, "/points", cols, sizeof cols / sizeof cols[0], n, err);
out:
    free(point);
    free(rep);
    free(seed);
    free(events);
    free(bytes);
    free(status);
    free(wall);
    free(simt);
    return rc;
}

static int write_devices(results *r, const run_rep_result *rr, sim_error *err)
{
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(rr->cell, &n);
    enum { NU32 = 9, NF64 = 7 + 2 * ENERGY_STATE_COUNT };
    uint32_t *u[NU32];
    double *f[NF64];
    uint64_t *bytes = malloc((n ? n : 1) * sizeof *bytes);
    int ok = bytes != NULL;
    for (int k = 0; k < NU32; k++)
        ok &= (u[k] = malloc((n ? n : 1) * sizeof(uint32_t))) != NULL;
    for (int k = 0; k < NF64; k++)
        ok &= (f[k] = malloc((n ? n : 1) * sizeof(double))) != NULL;
    int rc = SIM_ERR_RUNTIME;
    if (!ok) {
        sim_error_set(err, rc, "results: out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        u[0][i] = 0;
        u[1][i] = rr->replication;
        u[2][i] = 0;
        u[3][i] = i;
        u[4][i] = s[i].group;
        u[5][i] = s[i].reports_generated;
        u[6][i] = s[i].reports_delivered;
        u[7][i] = s[i].reports_dropped;
        u[8][i] = s[i].reports_pending;
        bytes[i] = s[i].bytes_delivered;
        f[0][i] = s[i].latency_ms_mean;
        f[1][i] = s[i].latency_ms_p50;
        f[2][i] = s[i].latency_ms_p95;
        f[3][i] = s[i].latency_ms_max;
        f[4][i] = energy_total_j(&s[i].energy);
        f[5][i] = s[i].avg_power_mw;
        f[6][i] = s[i].battery_life_years;
        for (int k = 0; k < ENERGY_STATE_COUNT; k++) {
            f[7 + k][i] = (double)s[i].energy.time_us[k] / 1e6;
            f[7 + ENERGY_STATE_COUNT + k][i] = s[i].energy.energy_j[k];
        }
    }
    res_column cols[NU32 + 1 + NF64] = {
        COL("point_id", RES_U32, u[0], "", "sweep point"),
        COL("replication", RES_U32, u[1], "", "replication index"),
        COL("cell", RES_U32, u[2], "", "cell index"),
        COL("device", RES_U32, u[3], "", "device id within the cell"),
        COL("group", RES_U32, u[4], "", "index into the scenario's devices list (0-based)"),
        COL("reports_generated", RES_U32, u[5], "", "reports the application produced"),
        COL("reports_delivered", RES_U32, u[6], "", "reports delivered"),
        COL("reports_dropped", RES_U32, u[7], "", "reports dropped (buffer full)"),
        COL("reports_pending", RES_U32, u[8], "", "reports still buffered or in flight at the end"),
        COL("bytes_delivered", RES_U64, bytes, "B", "payload bytes delivered"),
        COL("latency_ms_mean", RES_F64, f[0], "ms", "report latency, generation to delivery"),
        COL("latency_ms_p50", RES_F64, f[1], "ms", "median latency (linear interpolation)"),
        COL("latency_ms_p95", RES_F64, f[2], "ms", "95th percentile latency"),
        COL("latency_ms_max", RES_F64, f[3], "ms", "maximum latency"),
        COL("energy_j", RES_F64, f[4], "J", "energy over the simulated time"),
        COL("avg_power_mw", RES_F64, f[5], "mW", "average power"),
        COL("battery_life_years", RES_F64, f[6], "y", "battery capacity / average power"),
    };
    static const char *const tnames[ENERGY_STATE_COUNT] = {
        "time_s_psm", "time_s_idle", "time_s_connected", "time_s_rx", "time_s_tx"};
    static const char *const enames[ENERGY_STATE_COUNT] = {
        "energy_j_psm", "energy_j_idle", "energy_j_connected", "energy_j_rx", "energy_j_tx"};
    for (int k = 0; k < ENERGY_STATE_COUNT; k++) {
        cols[17 + k] = COL(tnames[k], RES_F64, f[7 + k], "s", "time in this power state");
        cols[17 + ENERGY_STATE_COUNT + k] =
            COL(enames[k], RES_F64, f[7 + ENERGY_STATE_COUNT + k], "J", "energy in this state");
    }
    rc = results_append(r, "/devices", cols, NU32 + 1 + NF64, n, err);
out:
    free(bytes);
    for (int k = 0; k < NU32; k++)
        free(u[k]);
    for (int k = 0; k < NF64; k++)
        free(f[k]);
    return rc;
}

static int write_cells(results *r, const run_rep_result *rr, sim_error *err)
{
    const mac_cell_stats *c = mac_cell_stats_get(rr->cell);
    uint32_t zero = 0, rep = rr->replication, dev = c->devices;
    uint64_t gen = c->reports_generated, del = c->reports_delivered, drop = c->reports_dropped,
             pend = c->reports_pending, bytes = c->bytes_delivered, ev = rr->events;
    res_column cols[] = {
        COL("point_id", RES_U32, &zero, "", "sweep point"),
        COL("replication", RES_U32, &rep, "", "replication index"),
        COL("cell", RES_U32, &zero, "", "cell index"),
        COL("devices", RES_U32, &dev, "", "devices in the cell"),
        COL("reports_generated", RES_U64, &gen, "", "reports generated"),
        COL("reports_delivered", RES_U64, &del, "", "reports delivered"),
        COL("reports_dropped", RES_U64, &drop, "", "reports dropped"),
        COL("reports_pending", RES_U64, &pend, "", "reports pending at the end"),
        COL("bytes_delivered", RES_U64, &bytes, "B", "payload bytes delivered"),
        COL("latency_ms_mean", RES_F64, &c->latency_ms_mean, "ms", "report latency"),
        COL("latency_ms_p50", RES_F64, &c->latency_ms_p50, "ms", "median latency"),
        COL("latency_ms_p95", RES_F64, &c->latency_ms_p95, "ms", "95th percentile latency"),
        COL("latency_ms_max", RES_F64, &c->latency_ms_max, "ms", "maximum latency"),
        COL("energy_j", RES_F64, &c->energy_j, "J", "energy of all devices"),
        COL("events", RES_U64, &ev, "", "events dispatched"),
    };
    return results_append(r, "/cells", cols, sizeof cols / sizeof cols[0], 1, err);
}

/* Creates the results file (under its temporary name) with provenance and
 * configuration before the run, so that an unwritable path fails at once. */
static results *open_results(const scen_config *cfg, const scen_source *src, const run_options *opt,
                             sim_error *err)
{
    res_meta meta = {MTCSIM_VERSION, MTCSIM_GIT_SHA, opt->command_line, SIM_RNG_ALGORITHM,
                     cfg->name,      src->path,      cfg->seed};
    results *r = results_create(opt->out_path, &meta, err);
    if (!r) return NULL;
    char *json = scen_config_json(cfg);
    int rc = json ? SIM_OK : sim_error_set(err, SIM_ERR_RUNTIME, "results: out of memory");
    if (!rc) rc = results_write_text(r, "/config/scenario", src->text, err);
    if (!rc) rc = results_write_text(r, "/config/resolved", json, err);
    free(json);
    if (rc) {
        results_abort(r);
        return NULL;
    }
    return r;
}

/* Writes the tables in replication order and commits; aborts on failure. */
static int finish_results(results *r, const scen_config *cfg, const run_rep_result *reps,
                          uint32_t n, sim_error *err)
{
    int rc = write_points(r, cfg, reps, n, err);
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = write_devices(r, &reps[i], err);
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = write_cells(r, &reps[i], err);
    if (rc) {
        results_abort(r);
        return rc;
    }
    return results_commit(r, err);
}

int runner_run(const scen_config *cfg, const scen_source *src, const run_options *opt,
               sim_error *err)
{
    sim_time_t duration;
    if (sim_time_from_s(cfg->duration_s, &duration) != 0)
        return sim_error_set(err, SIM_ERR_INPUT, "duration: out of range");
    uint32_t n = cfg->replications;
    run_rep_result *reps = calloc(n, sizeof *reps);
    sim_error *errs = calloc(n, sizeof *errs);
    progress pg = {calloc(n, sizeof(_Atomic int64_t)),
                   calloc(n, sizeof(_Atomic uint64_t)),
                   n,
                   duration,
                   wall_now(),
                   0,
                   isatty(STDERR_FILENO),
                   0};
    int rc = SIM_OK;
    results *res = NULL;
    if (!reps || !errs || !pg.now || !pg.events) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        goto out;
    }
    res = open_results(cfg, src, opt, err);
    if (!res) {
        rc = err->code;
        goto out;
    }
    int threads = opt->threads > 0 ? opt->threads : 1;
    if ((uint32_t)threads > n) threads = (int)n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint32_t i = 0; i < n; i++)
        run_one(cfg, duration, i, &pg, &reps[i], &errs[i]);
    if (pg.printed) progress_print(&pg, 1);
    for (uint32_t i = 0; i < n && !rc; i++)
        if (errs[i].code) {
            rc = sim_error_set(err, errs[i].code, "replication %u: %s", i, errs[i].msg);
        }
    if (!rc)
        rc = finish_results(res, cfg, reps, n, err);
    else
        results_abort(res);
    res = NULL;
    if (!rc && !opt->quiet) {
        report_summary(stdout, cfg, reps, n);
        printf("results: %s\n", opt->out_path);
    }
out:
    for (uint32_t i = 0; reps && i < n; i++)
        mac_cell_destroy(reps[i].cell);
    free(reps);
    free(errs);
    free(pg.now);
    free(pg.events);
    return rc;
}
