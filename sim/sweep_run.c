/* sweep_run.c: runs every point x replication of a sweep.
 *
 * Tasks (point, replication) are handed to OpenMP threads one at a time
 * (dynamic schedule: points of unequal cost balance themselves). A task's
 * results depend only on its configuration and RNG keys; they are written
 * in task order, each as soon as every earlier task is written, so the
 * file is the same whatever the thread count, and finished tasks do not
 * wait in memory for the slowest. */
#include "sim/app.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct task {
    uint32_t point, rep;
} task;

/* Per point: what the summary prints. */
typedef struct point_sum {
    uint64_t devices, gen, del;
    double lat_sum, life_sum;
} point_sum;

static void add_sum(point_sum *ps, const run_rep_result *rr)
{
    for (uint32_t c = 0; c < rr->run.n_cells; c++) {
        uint32_t nd;
        const mac_device_stats *s = mac_cell_device_stats(rr->run.cells[c], &nd);
        for (uint32_t i = 0; i < nd; i++) {
            ps->devices++;
            ps->gen += s[i].reports_generated;
            ps->del += s[i].reports_delivered;
            if (s[i].reports_delivered)
                ps->lat_sum += s[i].latency_ms_mean * s[i].reports_delivered;
            ps->life_sum += s[i].battery_life_years;
        }
    }
}

static int run_task(const scen_config *cfg, const task *t, run_rep_result *out, sim_error *err)
{
    sim_time_t duration;
    if (sim_time_from_s(cfg->duration_s, &duration) != 0)
        return sim_error_set(err, SIM_ERR_INPUT, "duration: out of range");
    double t0 = wall_now();
    mac_run_cfg mc = {.radio = &cfg->radio,
                      .groups = cfg->groups,
                      .n_groups = cfg->n_groups,
                      .duration = duration,
                      .seed = cfg->seed,
                      .replication = t->rep,
                      .queue = (sim_queue_kind)cfg->queue};
    int rc = mac_run_all(&mc, &out->run, err);
    out->point = t->point;
    out->replication = t->rep;
    out->sim_time_s = sim_time_to_s(duration);
    out->events = out->run.events;
    out->model_bytes = out->run.bytes;
    out->wall_s = wall_now() - t0;
    return rc;
}

static void print_summary(FILE *out, const scen_config *cfgs, const scen_sweep *sw,
                          const point_sum *ps, double wall, uint64_t tasks)
{
    fprintf(out, "\nmtcsim %s: sweep \"%s\", %u points, %llu runs, %.1f s wall\n\n", MTCSIM_VERSION,
            cfgs[0].name, sw->n_points, (unsigned long long)tasks, wall);
    fprintf(out, "  %-6s", "point");
    for (uint32_t k = 0; k < sw->n_paths; k++)
        fprintf(out, "  %s", sw->path[k]);
    fprintf(out, "  %5s %10s %11s %12s %9s\n", "reps", "devices", "delivered", "latency ms",
            "life y");
    for (uint32_t p = 0; p < sw->n_points; p++) {
        const point_sum *s = &ps[p];
        fprintf(out, "  %-6u", p);
        for (uint32_t k = 0; k < sw->n_paths; k++)
            fprintf(out, "  %*s", (int)strlen(sw->path[k]), sw->lit[(size_t)p * sw->n_paths + k]);
        fprintf(
            out, "  %5u %10llu %10.2f%% %12.1f %9.2f\n", cfgs[p].replications,
            (unsigned long long)(s->devices / (cfgs[p].replications ? cfgs[p].replications : 1)),
            s->gen ? 100.0 * (double)s->del / (double)s->gen : NAN,
            s->del ? s->lat_sum / (double)s->del : NAN,
            s->devices ? s->life_sum / (double)s->devices : NAN);
    }
}

int runner_sweep(const scen_config *cfgs, const scen_sweep *sw, const scen_source *src,
                 const run_options *opt, sim_error *err)
{
    const double t_start = wall_now();
    uint64_t n = 0;
    for (uint32_t p = 0; p < sw->n_points; p++)
        n += cfgs[p].replications;
    task *tasks = malloc((n ? n : 1) * sizeof *tasks);
    run_rep_result **done = calloc(n ? n : 1, sizeof *done);
    point_sum *ps = calloc(sw->n_points ? sw->n_points : 1, sizeof *ps);
    int rc = SIM_OK;
    if (!tasks || !done || !ps) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        goto out;
    }
    for (uint32_t p = 0, i = 0; p < sw->n_points; p++)
        for (uint32_t r = 0; r < cfgs[p].replications; r++)
            tasks[i++] = (task){p, r};
    results *res = runner_open_results(&cfgs[0], src, opt, err);
    if (!res) {
        rc = err->code;
        goto out;
    }
    /* the points, as mtcsim sweep --list prints them */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f) {
        sweep_print_points(f, sw);
        fclose(f);
    }
    rc = text ? results_write_text(res, "/config/sweep", text, err)
              : sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
    free(text);
    uint64_t next = 0; /* next task to write */
    atomic_int stop = rc != SIM_OK;
    int threads = opt->threads > 0 ? opt->threads : 1;
    if ((uint64_t)threads > n) threads = (int)(n ? n : 1);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint64_t i = 0; i < n; i++) {
        if (atomic_load(&stop)) continue;
        run_rep_result *rr = calloc(1, sizeof *rr);
        sim_error e;
        sim_error_clear(&e);
        int trc = rr ? run_task(&cfgs[tasks[i].point], &tasks[i], rr, &e)
                     : sim_error_set(&e, SIM_ERR_RUNTIME, "out of memory");
#pragma omp critical(sweep_write)
        {
            if (trc && !rc)
                rc = sim_error_set(err, trc, "point %u replication %u: %s", tasks[i].point,
                                   tasks[i].rep, e.msg);
            if (rc) atomic_store(&stop, 1);
            done[i] = rr;
            /* write every finished task that is next in order */
            while (!rc && next < n && done[next]) {
                const task *t = &tasks[next];
                rc = runner_write_rep(res, &cfgs[t->point], done[next], sw, err);
                add_sum(&ps[t->point], done[next]);
                mac_run_free(&done[next]->run);
                free(done[next]);
                done[next] = NULL;
                next++;
            }
        }
    }
    if (rc) {
        results_abort(res);
    } else {
        rc = results_commit(res, err);
        if (!rc && !opt->quiet) {
            print_summary(stdout, cfgs, sw, ps, wall_now() - t_start, n);
            printf("results: %s\n", opt->out_path);
        }
    }
out:
    for (uint64_t i = 0; done && i < n; i++)
        if (done[i]) {
            mac_run_free(&done[i]->run);
            free(done[i]);
        }
    free(done);
    free(tasks);
    free(ps);
    return rc;
}

int sweep_main(const char *path, const char *const *ovr, size_t n_ovr, const scen_config *base,
               const scen_source *src, const scen_sweep *sw, const run_options *opt, sim_error *err)
{
    const size_t n_extra = sw->n_paths + 1;
    const char **all = calloc(n_ovr + n_extra, sizeof *all);
    char **mine = calloc(n_extra, sizeof *mine);
    scen_config *cfgs = calloc(sw->n_points, sizeof *cfgs);
    int rc = SIM_OK;
    uint32_t loaded = 0;
    if (!all || !mine || !cfgs) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        goto out;
    }
    int swept_seed = 0;
    for (uint32_t k = 0; k < sw->n_paths; k++)
        swept_seed |= !strcmp(sw->path[k], "seed");
    for (size_t i = 0; i < n_ovr; i++)
        all[i] = ovr[i];
    for (uint32_t p = 0; p < sw->n_points && !rc; p++) {
        size_t n = n_ovr;
        for (uint32_t k = 0; k < sw->n_paths && !rc; k++) {
            const char *v = sw->lit[(size_t)p * sw->n_paths + k];
            free(mine[k]);
            mine[k] = malloc(strlen(sw->path[k]) + strlen(v) + 2);
            if (!mine[k]) {
                rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
                break;
            }
            sprintf(mine[k], "%s=%s", sw->path[k], v);
            all[n++] = mine[k];
        }
        if (!swept_seed && !rc) {
            free(mine[sw->n_paths]);
            mine[sw->n_paths] = malloc(32);
            if (!mine[sw->n_paths]) {
                rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
                break;
            }
            snprintf(
                mine[sw->n_paths], 32, "seed=%llu",
                (unsigned long long)sweep_point_seed(base->seed, p, base->common_random_numbers));
            all[n++] = mine[sw->n_paths];
        }
        scen_source psrc;
        scen_sweep psw;
        if (!rc) {
            rc = scen_load_sweep(path, all, n, &cfgs[p], &psrc, &psw, err);
            if (rc) {
                char msg[sizeof err->msg];
                snprintf(msg, sizeof msg, "%s", err->msg);
                sim_error_set(err, rc, "sweep point %u: %s", p, msg);
            } else {
                loaded++;
                scen_source_free(&psrc);
                scen_sweep_free(&psw);
            }
        }
    }
    if (!rc) rc = runner_sweep(cfgs, sw, src, opt, err);
out:
    for (uint32_t p = 0; p < loaded; p++)
        scen_config_free(&cfgs[p]);
    for (size_t k = 0; mine && k < n_extra; k++)
        free(mine[k]);
    free(mine);
    free(all);
    free(cfgs);
    return rc;
}
