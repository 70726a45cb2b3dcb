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
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct task {
    uint32_t point, rep;
    double cost; /* estimated (point_cost) */
} task;

static double point_cost(const scen_config *cfg)
{
    double c = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        c += scen_group_reports(cfg, g);
    return c;
}

/* Decreasing cost; ties in (point, replication) order: deterministic. */
static int by_cost(const void *a, const void *b)
{
    const task *x = a, *y = b;
    if (x->cost != y->cost) return x->cost > y->cost ? -1 : 1;
    if (x->point != y->point) return x->point < y->point ? -1 : 1;
    return (x->rep > y->rep) - (x->rep < y->rep);
}

/* Per point: what the summary prints. */
typedef struct point_sum {
    uint64_t devices, gen, del;
    double lat_sum, life_sum;
    /* random access in TR 37.868 terms: sums over cells x replications */
    double coll, succ, tx, delay;
    uint32_t cells;
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
        const mac_cell_stats *cs = mac_cell_stats_get(rr->run.cells[c]);
        ps->coll += cs->ra_collision_prob;
        ps->succ += cs->ra_success_prob;
        ps->tx += cs->ra_mean_tx;
        ps->delay += cs->ra_delay_ms_mean;
        ps->cells++;
    }
}

static int run_task(const scen_config *cfg, const task *t, run_rep_result *out, sim_error *err)
{
    return runner_rep(cfg, t->point, t->rep, NULL, NULL, NULL, NULL, NULL, 0, out, err);
}

static void print_summary(FILE *out, const scen_config *cfgs, const scen_sweep *sw,
                          const point_sum *ps, const uint8_t *skip, double wall, uint64_t tasks)
{
    fprintf(out, "\nmtcsim %s: sweep \"%s\", %u points, %llu runs, %.1f s wall\n\n", MTCSIM_VERSION,
            cfgs[0].name, sw->n_points, (unsigned long long)tasks, wall);
    fprintf(out, "  per point: devices of one replication; delivered, latency and life over "
                 "all its replications and cells; RA: random access in TR 37.868 terms, mean "
                 "over cells and replications: collision probability per opportunity and "
                 "preamble, success, preamble transmissions, delay to Msg4; -: no such value\n\n");
    fprintf(out, "  %-6s", "point");
    for (uint32_t k = 0; k < sw->n_paths; k++)
        fprintf(out, "  %s", sw->path[k]);
    fprintf(out, "  %5s %10s %11s %12s %9s %11s %10s %8s %9s\n", "reps", "devices", "delivered",
            "latency ms", "life y", "RA coll.", "RA succ.", "RA tx", "RA ms");
    for (uint32_t p = 0; p < sw->n_points; p++) {
        const point_sum *s = &ps[p];
        if (skip[p]) continue;
        fprintf(out, "  %-6u", p);
        for (uint32_t k = 0; k < sw->n_paths; k++)
            fprintf(out, "  %*s", (int)strlen(sw->path[k]), sw->lit[(size_t)p * sw->n_paths + k]);
        const double nc = s->cells ? s->cells : NAN; /* means over cells x replications */
        /* "-" where a value does not exist (no report delivered, no access) */
        const double v[7] = {s->gen ? 100.0 * (double)s->del / (double)s->gen : NAN,
                             s->del ? s->lat_sum / (double)s->del : NAN,
                             s->devices ? s->life_sum / (double)s->devices : NAN,
                             100 * s->coll / nc,
                             100 * s->succ / nc,
                             s->tx / nc,
                             s->delay / nc};
        static const char *const fmt[7] = {"%.2f%%", "%.1f", "%.2f", "%.4f%%",
                                           "%.2f%%", "%.3f", "%.1f"};
        char t[7][32];
        for (int k = 0; k < 7; k++)
            if (isfinite(v[k]))
                snprintf(t[k], sizeof t[k], fmt[k], v[k]);
            else
                snprintf(t[k], sizeof t[k], "-");
        fprintf(
            out, "  %5u %10llu %11s %12s %9s %11s %10s %8s %9s\n", cfgs[p].replications,
            (unsigned long long)(s->devices / (cfgs[p].replications ? cfgs[p].replications : 1)),
            t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
    }
}

/* The folder of a sweep's point files, and point p's file in it. */
static void part_dir(const run_options *opt, char *buf, size_t n)
{
    snprintf(buf, n, "%s.parts", opt->out_path);
}

static void part_path(const run_options *opt, uint32_t p, char *buf, size_t n)
{
    snprintf(buf, n, "%s.parts/point-%06u.h5", opt->out_path, p);
}

static char *points_text(const scen_sweep *sw)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    sweep_print_points(f, sw);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Whether the results file at path was made from this scenario text, point
 * list and resolved configuration (seed, overrides and all): 1 or 0; -1
 * (err set) if one of its texts fails its CRC-32. */
static int same_run(const char *path, const scen_config *cfg, const scen_source *src,
                    const char *points, sim_error *err)
{
    static const char *const sets[3] = {"/config/scenario", "/config/sweep", "/config/resolved"};
    char *t[3] = {NULL, NULL, NULL}, *json = scen_config_json(cfg);
    int same = json != NULL;
    for (int i = 0; i < 3 && same; i++) {
        sim_error e;
        sim_error_clear(&e);
        if (results_read_text(path, sets[i], &t[i], &e) != SIM_OK) {
            same = strstr(e.msg, " is corrupt: ") ? -1 : 0;
            if (same < 0 && err) *err = e;
        }
    }
    if (same > 0) same = !strcmp(t[0], src->text) && !strcmp(t[1], points) && !strcmp(t[2], json);
    for (int i = 0; i < 3; i++)
        free(t[i]);
    free(json);
    return same;
}

static int part_done(const run_options *opt, const scen_config *cfg, uint32_t p,
                     const scen_source *src, const char *points, sim_error *err)
{
    char path[4200];
    part_path(opt, p, path, sizeof path);
    if (!results_is_complete(path)) {
        /* A point file is put in place only once complete: one that is
         * there but does not read as complete was damaged since. */
        struct stat st;
        if (stat(path, &st) != 0) return 0;
        return sim_error_set(err, SIM_ERR_RUNTIME,
                             "%s is corrupt: not a complete results file (damaged after it was "
                             "written); remove it and run its point again (--resume)",
                             path),
               -1;
    }
    const int same = same_run(path, cfg, src, points, err);
    if (same < 0) return -1;
    if (!same)
        return sim_error_set(err, SIM_ERR_INPUT,
                             "%s: made by a different scenario, sweep or settings (seed, --set); "
                             "remove %s.parts",
                             path, opt->out_path),
               -1;
    return 1;
}

/* Writes point p's file (all its replications, in order) under a temporary
 * name and renames it into place. */
static int write_part(const scen_config *cfg, const scen_sweep *sw, const scen_source *src,
                      const run_options *opt, uint32_t p, run_rep_result **reps, const char *points,
                      sim_error *err)
{
    char path[4200];
    part_path(opt, p, path, sizeof path);
    run_options po = *opt;
    po.out_path = path;
    po.force = 1; /* point files of this sweep: part_done decided to write them */
    results *r = runner_open_results(cfg, src, &po, err);
    if (!r) return err->code;
    results_set_scratch(r);
    int rc = results_write_text(r, "/config/sweep", points, err);
    for (uint32_t i = 0; i < cfg->replications && !rc; i++)
        rc = runner_write_rep(r, cfg, reps[i], sw, err);
    if (rc) {
        results_abort(r);
        return rc;
    }
    return results_commit(r, err);
}

/* Joins every point file into opt->out_path (in point order) and removes
 * them. */
static int merge_parts(const scen_config *base, const scen_config *cfgs, const scen_sweep *sw,
                       const scen_source *src, const run_options *opt, const char *points,
                       sim_error *err)
{
    for (uint32_t p = 0; p < sw->n_points; p++) {
        int d = part_done(opt, &cfgs[p], p, src, points, err);
        if (d < 0) return err->code;
        if (!d) {
            char path[4200];
            part_path(opt, p, path, sizeof path);
            return sim_error_set(err, SIM_ERR_INPUT,
                                 "%s is missing: point %u has not been run (all tasks done?)", path,
                                 p);
        }
    }
    results *r = runner_open_results(base, src, opt, err);
    if (!r) return err->code;
    int rc = results_write_text(r, "/config/sweep", points, err);
    for (uint32_t p = 0; p < sw->n_points && !rc; p++) {
        char path[4200];
        part_path(opt, p, path, sizeof path);
        rc = results_copy_tables(r, path, err);
    }
    if (rc) {
        results_abort(r);
        return rc;
    }
    rc = results_commit(r, err);
    if (rc) return rc;
    for (uint32_t p = 0; p < sw->n_points; p++) {
        char path[4200];
        part_path(opt, p, path, sizeof path);
        remove(path);
    }
    char dir[4200];
    part_dir(opt, dir, sizeof dir);
    rmdir(dir); /* fails harmlessly if something else is in it */
    return SIM_OK;
}

/* Distributed: take points one at a time from opt->next_point, run each
 * point's replications on this process's threads, write its file. */
static int run_dynamic(const scen_config *cfgs, const scen_sweep *sw, const scen_source *src,
                       const run_options *opt, const char *points, sim_error *err)
{
    int rc = SIM_OK;
    for (;;) {
        int64_t p = opt->next_point(opt->next_ctx);
        if (p < 0 || p >= (int64_t)sw->n_points) break;
        int d = part_done(opt, &cfgs[p], (uint32_t)p, src, points, err);
        if (d < 0) return err->code;
        if (d && !opt->resume)
            return sim_error_set(err, SIM_ERR_INPUT,
                                 "%s.parts holds complete points of an earlier run: --resume "
                                 "to keep them, or remove the folder",
                                 opt->out_path);
        if (d) continue;
        const scen_config *cfg = &cfgs[p];
        const uint32_t nr = cfg->replications;
        run_rep_result **reps = calloc(nr, sizeof *reps);
        sim_error *errs = calloc(nr, sizeof *errs);
        if (!reps || !errs) {
            free(reps);
            free(errs);
            return sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        }
        int threads = opt->threads > 0 ? opt->threads : 1;
        uint64_t units = (uint64_t)nr * mac_run_cells(&cfg->radio); /* cells run as tasks */
        if ((uint64_t)threads > units) threads = (int)units;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (uint32_t r = 0; r < nr; r++) {
            task t = {(uint32_t)p, r, 0};
            reps[r] = calloc(1, sizeof *reps[r]);
            if (reps[r])
                run_task(cfg, &t, reps[r], &errs[r]);
            else
                sim_error_set(&errs[r], SIM_ERR_RUNTIME, "out of memory");
        }
        for (uint32_t r = 0; r < nr && !rc; r++)
            if (errs[r].code)
                rc = sim_error_set(err, errs[r].code, "point %lld replication %u: %s", (long long)p,
                                   r, errs[r].msg);
        if (!rc) rc = write_part(cfg, sw, src, opt, (uint32_t)p, reps, points, err);
        for (uint32_t r = 0; r < nr; r++)
            if (reps[r]) {
                mac_run_free(&reps[r]->run);
                free(reps[r]);
            }
        free(reps);
        free(errs);
        if (rc) return rc;
    }
    return SIM_OK;
}

int sweep_finished(const scen_config *base, const scen_sweep *sw, const scen_source *src,
                   const run_options *opt)
{
    if (!results_is_complete(opt->out_path)) return 0;
    char *points = points_text(sw);
    /* a finished file whose texts fail their CRC-32 is not this sweep's */
    int same = points && same_run(opt->out_path, base, src, points, NULL) > 0;
    free(points);
    return same;
}

int runner_sweep(const scen_config *base, const scen_config *cfgs, const scen_sweep *sw,
                 const scen_source *src, const run_options *opt, sim_error *err)
{
    const double t_start = wall_now();
    const uint32_t np = sw->n_points;
    const uint32_t tc = opt->task_count ? opt->task_count : 1, ti = opt->task_index;
    char *points = points_text(sw);
    uint8_t *skip = calloc(np ? np : 1, 1);
    uint32_t *left = calloc(np ? np : 1, sizeof *left);         /* replications still running */
    run_rep_result ***held = calloc(np ? np : 1, sizeof *held); /* per point, until complete */
    point_sum *ps = calloc(np ? np : 1, sizeof *ps);
    task *tasks = NULL;
    uint64_t n = 0, resumed = 0;
    int rc = SIM_OK;
    if (!points || !skip || !left || !held || !ps) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        goto out;
    }
    if (opt->merge_only && !opt->force && !opt->next_point && sweep_finished(base, sw, src, opt)) {
        /* like --resume on a finished sweep: nothing left to do */
        if (!opt->quiet) printf("%s: already merged (all %u points)\n", opt->out_path, np);
        goto out;
    }
    if (opt->merge_only) {
        rc = merge_parts(base, cfgs, sw, src, opt, points, err);
        if (!rc && !opt->quiet) printf("merged %u points: %s\n", np, opt->out_path);
        goto out;
    }
    if (opt->resume && tc == 1 && !opt->next_point && sweep_finished(base, sw, src, opt)) {
        /* the joined file of this very sweep is there: nothing is left */
        if (!opt->quiet) printf("%s: all %u points are complete already\n", opt->out_path, np);
        goto out;
    }
    char dir[4200];
    part_dir(opt, dir, sizeof dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: cannot create: %s", dir, strerror(errno));
        goto out;
    }
    if (opt->next_point) {
        rc = run_dynamic(cfgs, sw, src, opt, points, err);
        goto out;
    }
    /* this task's points; with --resume, less the complete ones */
    for (uint32_t p = 0; p < np && !rc; p++) {
        skip[p] = p % tc != ti;
        if (skip[p]) continue;
        int d = part_done(opt, &cfgs[p], p, src, points, err);
        if (d < 0) {
            rc = err->code;
        } else if (d && !opt->resume) {
            rc = sim_error_set(err, SIM_ERR_INPUT,
                               "%s holds complete points of an earlier run: --resume to keep "
                               "them, or remove the folder",
                               dir);
        } else if (d) {
            skip[p] = 1;
            resumed++;
        } else {
            n += cfgs[p].replications;
            left[p] = cfgs[p].replications;
            held[p] = calloc(cfgs[p].replications, sizeof *held[p]);
            if (!held[p]) rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        }
    }
    if (rc) goto out;
    tasks = malloc((n ? n : 1) * sizeof *tasks);
    if (!tasks) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        goto out;
    }
    uint64_t nt = 0;
    for (uint32_t p = 0; p < np; p++)
        for (uint32_t r = 0; !skip[p] && r < cfgs[p].replications; r++)
            tasks[nt++] = (task){p, r, 0};
    /* Longest first (LPT): a costly point started last would leave the
     * other threads idle at the end. Cost estimate: the reports the point
     * expects (plus one per device). Only the order of execution changes:
     * each point's file, and the joined file, are the same. */
    for (uint64_t i = 0; i < n; i++)
        tasks[i].cost = point_cost(&cfgs[tasks[i].point]);
    qsort(tasks, n, sizeof *tasks, by_cost);
    atomic_int stop = 0;
    /* progress on a terminal: points written, elapsed, ETA */
    const int tty = isatty(STDERR_FILENO);
    uint32_t points_done = 0, points_todo = 0;
    for (uint32_t p = 0; p < np; p++)
        points_todo += !skip[p];
    /* a layout's cells run as tasks on threads the replications leave idle */
    int threads = opt->threads > 0 ? opt->threads : 1;
    uint64_t units = 0;
    for (uint64_t i = 0; i < n; i++)
        units += mac_run_cells(&cfgs[tasks[i].point].radio);
    if ((uint64_t)threads > units) threads = (int)(units ? units : 1);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint64_t i = 0; i < n; i++) {
        if (atomic_load(&stop)) continue;
        const task *t = &tasks[i];
        run_rep_result *rr = calloc(1, sizeof *rr);
        sim_error e;
        sim_error_clear(&e);
        int trc = rr ? run_task(&cfgs[t->point], t, rr, &e)
                     : sim_error_set(&e, SIM_ERR_RUNTIME, "out of memory");
#pragma omp critical(sweep_write)
        {
            if (trc && !rc)
                rc =
                    sim_error_set(err, trc, "point %u replication %u: %s", t->point, t->rep, e.msg);
            held[t->point][t->rep] = rr;
            /* a point is written as soon as all its replications are done:
             * a completed point is never lost, whatever runs elsewhere */
            if (!rc && --left[t->point] == 0) {
                rc = write_part(&cfgs[t->point], sw, src, opt, t->point, held[t->point], points,
                                err);
                points_done++;
                if (tty && !opt->quiet) {
                    double el = wall_now() - t_start;
                    fprintf(stderr, "\r\033[Ksweep: %u of %u points  %.0f s  ETA %.0f s",
                            points_done, points_todo, el,
                            el * (points_todo - points_done) / points_done);
                }
                for (uint32_t r = 0; r < cfgs[t->point].replications; r++) {
                    add_sum(&ps[t->point], held[t->point][r]);
                    mac_run_free(&held[t->point][r]->run);
                    free(held[t->point][r]);
                    held[t->point][r] = NULL;
                }
            }
            if (rc) atomic_store(&stop, 1);
        }
    }
    if (tty && !opt->quiet && points_done) fputs("\r\033[K", stderr);
    if (!rc && tc == 1) rc = merge_parts(base, cfgs, sw, src, opt, points, err);
    if (!rc && !opt->quiet) {
        print_summary(stdout, cfgs, sw, ps, skip, wall_now() - t_start, n);
        if (resumed)
            printf("  %llu points kept from the earlier run\n", (unsigned long long)resumed);
        if (tc == 1)
            printf("results: %s\n", opt->out_path);
        else
            printf("task %u of %u: points written to %s; `mtcsim merge` joins them\n", ti, tc, dir);
    }
out:
    for (uint32_t p = 0; held && p < np; p++) {
        for (uint32_t r = 0; held[p] && r < cfgs[p].replications; r++)
            if (held[p][r]) {
                mac_run_free(&held[p][r]->run);
                free(held[p][r]);
            }
        free(held[p]);
    }
    free(held);
    free(tasks);
    free(points);
    free(skip);
    free(left);
    free(ps);
    return rc;
}

static int sweep_points(const char *path, const char *const *ovr, size_t n_ovr,
                        const scen_config *base, const scen_source *src, const scen_sweep *sw,
                        const run_options *opt, sim_error *err);

int sweep_main(const char *path, const char *const *ovr, size_t n_ovr, const scen_config *base,
               const scen_source *src, const scen_sweep *sw, const run_options *opt, sim_error *err)
{
    return sweep_points(path, ovr, n_ovr, base, src, sw, opt, err);
}

int sweep_check(const char *path, const char *const *ovr, size_t n_ovr, const scen_config *base,
                const scen_sweep *sw, sim_error *err)
{
    return sweep_points(path, ovr, n_ovr, base, NULL, sw, NULL, err);
}

/* Loads every point's configuration; with opt, runs the sweep. */
static int sweep_points(const char *path, const char *const *ovr, size_t n_ovr,
                        const scen_config *base, const scen_source *src, const scen_sweep *sw,
                        const run_options *opt, sim_error *err)
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
    /* a --set (or --seed) of a swept path would be silently replaced */
    for (size_t i = 0; i < n_ovr && !rc; i++)
        for (uint32_t k = 0; k < sw->n_paths && !rc; k++) {
            size_t len = strlen(sw->path[k]);
            if (!strncmp(ovr[i], sw->path[k], len) && ovr[i][len] == '=')
                rc = sim_error_set(err, SIM_ERR_INPUT,
                                   "--set %s: %s is swept; change the sweep instead", ovr[i],
                                   sw->path[k]);
        }
    if (rc) goto out;
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
        if (!rc) {
            rc = scen_load_point(path, all, n, n_ovr, &cfgs[p], &psrc, err);
            if (rc) {
                char msg[sizeof err->msg];
                snprintf(msg, sizeof msg, "%s", err->msg);
                sim_error_clear(err);
                /* after the message's "file:line: " if it has one */
                size_t pl = strlen(path), at = 0;
                if (!strncmp(msg, path, pl) && msg[pl] == ':') {
                    size_t d = strspn(msg + pl + 1, "0123456789");
                    if (d > 0 && msg[pl + 1 + d] == ':' && msg[pl + 2 + d] == ' ') at = pl + 3 + d;
                }
                sim_error_set(err, rc, "%.*ssweep point %u: %s", (int)at, msg, p, msg + at);
            } else {
                loaded++;
                scen_source_free(&psrc);
            }
        }
    }
    if (!rc && opt) rc = runner_sweep(base, cfgs, sw, src, opt, err);
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
