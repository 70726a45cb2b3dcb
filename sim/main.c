/* main.c: the mtcsim command line. */
#include "sim/cli.h"
#include "gitsha.h"
#ifdef MTCSIM_MPI
#include "sim/mpi_dist.h"

#include <zlib.h>
#endif

#include <errno.h>
#include <omp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* mtcsim check --modules [SCENARIO.lua]: the profiles `require "modules"`
 * gives in the scenario's folder (none: the installed library). */
static int list_modules(const char *scenario)
{
    char dir[4096];
    const char *slash = scenario ? strrchr(scenario, '/') : NULL;
    if (scenario)
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - scenario) : 1,
                 slash ? scenario : ".");
    if (slash == scenario && scenario) snprintf(dir, sizeof dir, "/");
    scen_module_info *m;
    size_t n;
    sim_error err;
    sim_error_clear(&err);
    int rc = scen_load_modules(scenario ? dir : NULL, &m, &n, &err);
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
        return rc;
    }
    scen_modules_print(m, n, stdout);
    free(m);
    return SIM_OK;
}

/* A sweep: on one process, or (MPI build, several ranks) every rank taking
 * points from the shared counter, then rank 0 joining the point files. */
static int run_sweep(void *dist, const char *scenario, const char *const *ovr, size_t n_ovr,
                     const scen_config *cfg, const scen_source *src, const scen_sweep *sw,
                     run_options *opt, sim_error *err)
{
#ifdef MTCSIM_MPI
    mpi_dist *d = dist;
    if (d && mpi_dist_size(d) > 1 && opt->merge_only) {
        /* one join, by rank 0 */
        return mpi_dist_rank(d) == 0 ? sweep_main(scenario, ovr, n_ovr, cfg, src, sw, opt, err)
                                     : SIM_OK;
    }
    if (d && mpi_dist_size(d) > 1 && opt->resume && sweep_finished(cfg, sw, src, opt)) {
        if (mpi_dist_rank(d) == 0 && !opt->quiet)
            printf("%s: all %u points are complete already\n", opt->out_path, sw->n_points);
        return SIM_OK;
    }
    if (d && mpi_dist_size(d) > 1) {
        if (opt->task_count > 1)
            return sim_error_set(err, SIM_ERR_INPUT,
                                 "--task-count and mpirun do not mix: use one or the other");
        const int quiet = opt->quiet;
        opt->next_point = mpi_dist_next;
        opt->next_ctx = d;
        opt->quiet = 1;
        int rc = sweep_main(scenario, ovr, n_ovr, cfg, src, sw, opt, err);
        if (rc) {
            fprintf(stderr, "mtcsim (rank %d): %s\n", mpi_dist_rank(d), err->msg);
            mpi_dist_abort(d, rc);
        }
        mpi_dist_barrier(d);
        if (mpi_dist_rank(d) != 0) return SIM_OK;
        opt->next_point = NULL;
        opt->merge_only = 1;
        opt->quiet = quiet;
        return sweep_main(scenario, ovr, n_ovr, cfg, src, sw, opt, err);
    }
#else
    (void)dist;
#endif
    return sweep_main(scenario, ovr, n_ovr, cfg, src, sw, opt, err);
}

static int run_main(int argc, char **argv, void *dist)
{
    if (argc < 2) return cli_usage_error(NULL, "missing command%s", "");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        /* mtcsim help COMMAND: that command's text */
        const char *text = cli_help(argc > 2 && !strcmp(cmd, "help") ? argv[2] : NULL);
        if (!text) return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
        fputs(text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
#ifdef MTCSIM_MPI
        printf("mtcsim %s (git %s, rng %s, mpi)\n", MTCSIM_VERSION, MTCSIM_GIT_SHA,
               SIM_RNG_ALGORITHM);
#else
        printf("mtcsim %s (git %s, rng %s)\n", MTCSIM_VERSION, MTCSIM_GIT_SHA, SIM_RNG_ALGORITHM);
#endif
        return 0;
    }
    if (!strcmp(cmd, "life")) return life_main(argc, argv);
    cli o = {.cmd = cmd, .task_index = -1, .task_count = -1};
    o.bit = !strcmp(cmd, "run")     ? C_RUN
            : !strcmp(cmd, "check") ? C_CHECK
            : !strcmp(cmd, "sweep") ? C_SWEEP
            : !strcmp(cmd, "merge") ? C_MERGE
                                    : 0;
    if (!o.bit) return cli_usage_error(NULL, "unknown command '%s'", cmd);
    o.ovr = calloc((size_t)argc, sizeof *o.ovr);
    o.owned = calloc((size_t)argc, sizeof *o.owned);
    if (!o.ovr || !o.owned) {
        cli_free(&o);
        return SIM_ERR_RUNTIME;
    }
    int rc = cli_parse(argc, argv, &o);
    if (!rc && o.help) fputs(cli_help(cmd), stdout);
    const int is_check = o.bit == C_CHECK, is_merge = o.bit == C_MERGE;
    const int is_sweep = o.bit & (C_SWEEP | C_MERGE), is_run = !is_check;
    const int list = o.list, resume = o.resume, modules = o.modules;
    long task_index = o.task_index, task_count = o.task_count;
    const char *scenario = o.scenario, *out = o.out;
    const int threads = o.threads, quiet = o.quiet, force = o.force;
    const char **ovr = o.ovr;
    const size_t n_ovr = o.n_ovr;
    if (!rc && (o.help || modules)) {
        if (modules && n_ovr)
            rc = cli_usage_error(cmd, "--modules takes no --seed, --set or --sweep%s", "");
        else if (modules)
            rc = list_modules(scenario);
        cli_free(&o);
        return rc;
    }
    if (!rc && !scenario) rc = cli_usage_error(cmd, "missing scenario file%s", "");

    scen_config cfg;
    scen_source src;
    sim_error err;
    sim_error_clear(&err);
    char *cmdline = NULL;
    char default_out[sizeof cfg.name + 8];
    int loaded = 0;
    scen_sweep sw;
    memset(&sw, 0, sizeof sw);
    if (!rc) {
        rc = scen_load_sweep(scenario, ovr, n_ovr, &cfg, &src, is_run && !is_sweep ? NULL : &sw,
                             &err);
        if (rc) fprintf(stderr, "%s\n", err.msg);
        loaded = rc == SIM_OK;
        if (!rc && is_sweep && sw.n_points == 0) {
            fprintf(stderr,
                    "%s: no `sweep` in the scenario (use mtcsim run, or give --sweep "
                    "path=v1,v2,...)\n",
                    scenario);
            rc = SIM_ERR_INPUT;
        }
    }
    if (!rc && is_sweep) {
        if (list) {
            sweep_print_points(stdout, &sw);
        } else {
            if (!out) {
                outputs_default_name(cfg.name, default_out, sizeof default_out);
                out = default_out;
            }
            cmdline = outputs_command_line(argc, argv);
            /* job arrays: SLURM's task id and count unless given */
            const char *sid = getenv("SLURM_ARRAY_TASK_ID");
            const char *smin = getenv("SLURM_ARRAY_TASK_MIN");
            const char *scount = getenv("SLURM_ARRAY_TASK_COUNT");
            /* stepped arrays (--array=0-15:4): the index is (id - min) / step */
            const char *sstep = getenv("SLURM_ARRAY_TASK_STEP");
            long step = sstep && strtol(sstep, NULL, 10) > 0 ? strtol(sstep, NULL, 10) : 1;
            if (task_index < 0 && sid)
                task_index = (strtol(sid, NULL, 10) - (smin ? strtol(smin, NULL, 10) : 0)) / step;
            if (task_count < 0 && scount) task_count = strtol(scount, NULL, 10);
            if (task_count < 0) task_count = 1;
            if (task_index < 0) task_index = 0;
            if (task_count < 1 || task_index >= task_count) {
                rc = cli_usage_error(cmd,
                                     "--task-index must be below --task-count (and the count at "
                                     "least 1)%s",
                                     "");
            } else {
                run_options opt = {.out_path = out,
                                   .threads = threads ? threads : omp_get_max_threads(),
                                   .quiet = quiet,
                                   .command_line = cmdline,
                                   .resume = resume,
                                   .task_index = (uint32_t)task_index,
                                   .task_count = (uint32_t)task_count,
                                   .merge_only = is_merge,
                                   .force = force};
                /* A job-array task writes only point files; --resume or merge
                 * onto this very sweep's finished file replaces nothing (they
                 * report it and stop). */
                const int writes = is_merge || task_count == 1;
                const int done =
                    (resume || is_merge) && writes && sweep_finished(&cfg, &sw, &src, &opt);
                /* job-array tasks (and MPI ranks) share .parts; one writer of
                 * the joined file at a time */
                int excl = task_count == 1;
#ifdef MTCSIM_MPI
                if (dist && mpi_dist_size(dist) > 1) excl = 0;
#endif
                int lock;
                rc =
                    outputs_claim(out, scenario, &src, force || !writes || done, excl, &lock, &err);
                if (!rc) rc = run_sweep(dist, scenario, ovr, n_ovr, &cfg, &src, &sw, &opt, &err);
                if (rc) fprintf(stderr, "%s\n", err.msg);
                outputs_unlock(out, lock, excl);
            }
        }
    } else if (!rc && is_check) {
        printf("-- %s: resolved configuration%s\n", scenario,
               sw.n_points ? " (without the sweep's values)" : "");
        scen_config_print(&cfg, stdout);
        if (sw.n_points) {
            printf("-- %u sweep points\n", sw.n_points);
            sweep_print_points(stdout, &sw);
            rc = sweep_check(scenario, ovr, n_ovr, &cfg, &sw, &err);
            if (rc) fprintf(stderr, "%s\n", err.msg);
        }
    } else if (!rc && is_run) {
        if (!out) {
            outputs_default_name(cfg.name, default_out, sizeof default_out);
            out = default_out;
        }
        cmdline = outputs_command_line(argc, argv);
        run_options opt = {.out_path = out,
                           .threads = threads ? threads : omp_get_max_threads(),
                           .quiet = quiet,
                           .command_line = cmdline,
                           .force = force};
        int ranks = 1, rank = 0;
#ifdef MTCSIM_MPI
        /* under mpirun a layout's cells are spread over the ranks; a single
         * cell is run by rank 0 alone */
        mpi_dist *d = dist;
        mac_run_dist cells_dist;
        if (d && mpi_dist_size(d) > 1 && mac_run_cells(&cfg.radio) > 1) {
            cells_dist = mpi_dist_cells(d);
            opt.dist = &cells_dist;
            ranks = mpi_dist_size(d);
            rank = mpi_dist_rank(d);
            /* every rank loaded the scenario: the same resolved
             * configuration, or the exchange would mix different runs
             * (files that differ between nodes, a --set on one rank) */
            char *json = scen_config_json(&cfg);
            uint64_t h = json ? crc32(0L, (const Bytef *)json, (uInt)strlen(json)) : 0;
            free(json);
            if (!mpi_dist_same(d, h))
                rc = sim_error_set(&err, SIM_ERR_INPUT,
                                   "%s: the MPI ranks resolved the scenario differently (do its "
                                   "files differ between nodes?)",
                                   scenario);
        } else if (d && mpi_dist_rank(d) != 0) {
            rank = -1;
        }
#endif
        int lock = -1;
        if (!rc && rank == 0) rc = outputs_claim(out, scenario, &src, force, 1, &lock, &err);
        if (!rc && rank >= 0) rc = runner_run(&cfg, &src, &opt, &err);
        if (rank == 0 && lock >= 0) outputs_unlock(out, lock, 1);
        if (rc && ranks > 1) fprintf(stderr, "mtcsim (rank %d): %s\n", rank, err.msg);
        if (rc && ranks == 1) fprintf(stderr, "mtcsim: %s\n", err.msg);
#ifdef MTCSIM_MPI
        if (rc && ranks > 1) mpi_dist_abort(d, rc); /* the others wait in the exchange */
#endif
    }
    if (loaded) {
        scen_config_free(&cfg);
        scen_source_free(&src);
    }
    scen_sweep_free(&sw);
    free(cmdline);
    cli_free(&o);
    return rc;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f) a write fails with EFBIG, reported
     * like any write error, instead of the process being killed. */
    signal(SIGXFSZ, SIG_IGN);
    outputs_catch_signals();
#ifdef MTCSIM_MPI
    mpi_dist *d = mpi_dist_init(&argc, &argv);
    /* under mpirun sweeps and runs (a layout's cells) are shared out;
     * anything else runs once */
    int shared = argc > 1 && (!strcmp(argv[1], "sweep") || !strcmp(argv[1], "merge") ||
                              !strcmp(argv[1], "run"));
    int rc = shared || mpi_dist_rank(d) == 0 ? run_main(argc, argv, d) : 0;
    mpi_dist_finish(d);
    return rc;
#else
    return run_main(argc, argv, NULL);
#endif
}
