/* main.c: the mtcsim command line. */
#include "sim/app.h"
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

static const char usage[] =
    "usage:\n"
    "  mtcsim run SCENARIO.lua [-o results.h5] [--force] [--seed N] [--threads N]\n"
    "                          [--set path=value]... [--quiet]\n"
    "  mtcsim check SCENARIO.lua [--seed N] [--set path=value]...\n"
    "  mtcsim check --modules [SCENARIO.lua]\n"
    "  mtcsim sweep SCENARIO.lua [--list] [-o results.h5] [--force] [--seed N] [--threads N]\n"
    "                            [--resume] [--task-index I --task-count N]\n"
    "                            [--set path=value]... [--quiet]\n"
    "  mtcsim merge SCENARIO.lua [-o results.h5] [--force] [--seed N] [--set path=value]...\n"
    "  mtcsim life [--module NAME] [--rat nbiot|ltem] [--coupling-loss DB,...]\n"
    "              [--payload BYTES,...] [--every PERIOD,...] [--idle psm|drx|edrx:CYCLE,...]\n"
    "              [--edt on|off|on,off] [--rai on|off|on,off]\n"
    "              [--battery 2600mAh@3.6V|5Wh[@V]] [--devices N]\n"
    "              [--replications N] [--days D] [--seed N] [--threads N]\n"
    "              [-o results.h5] [--scenario FILE.lua] [--force]\n"
    "  mtcsim --version | --help\n"
    "\n"
    "run     simulate every replication, write the HDF5 results (default: NAME.h5 in the\n"
    "        current folder, NAME the scenario's name as a plain file name) and print a\n"
    "        summary\n"
    "check   load and validate the scenario, print the fully resolved configuration\n"
    "        (--modules: the module power profiles of scenarios/lib/modules.lua instead,\n"
    "        or of the modules.lua the scenario's require would find: name, RATs, supply V,\n"
    "        TX at its dBm, RX, connected, idle, eDRX, PSM and C-DRX sleep in mW, the\n"
    "        currents at the supply voltage, and the source of the figures)\n"
    "sweep   run every point of the scenario's `sweep` x its replications (--list: print\n"
    "        the points and stop); each finished point goes to RESULTS.h5.parts/, joined\n"
    "        into RESULTS.h5 at the end\n"
    "merge   join the point files of a sweep's job-array tasks into RESULTS.h5 (nothing\n"
    "        to do if RESULTS.h5 is this sweep's finished file)\n"
    "life    battery life for planners: one device type per combination of the listed\n"
    "        values (a sweep, the same seed for every combination), a table of years\n"
    "        (mean, its 95 % CI across replications, p5), average current at the\n"
    "        battery voltage, charge per report by procedure and the dominant one;\n"
    "        results in -o (default life_MODULE.h5), --scenario keeps the Lua scenario\n"
    "        (`mtcsim sweep` of it gives the same file). Defaults: TR 45.820's battery-\n"
    "        life case: --module tr45820 --rat nbiot --coupling-loss 144,154,164\n"
    "        --payload 200 --every 1d --idle psm --edt off --battery 5Wh@3.6V; --rai on\n"
    "        (release assistance; off: released after cell.inactivity_s, in connected-\n"
    "        mode DRX); and\n"
    "        --devices 200 --replications 5 --days 7 --seed 1. PERIOD: 90s, 30min, 6h,\n"
    "        1d or seconds; CYCLE: eDRX cycle 20.48s x 2^k\n"
    "\n"
    "  -o FILE          results file (written under a temporary name, renamed when complete);\n"
    "                   never an input (the scenario, a module it requires)\n"
    "  --force          replace an existing results file (refused without it)\n"
    "  --seed N         base seed (same as --set seed=N)\n"
    "  --threads N      OpenMP threads running replications and a layout's cells\n"
    "                   (default: all cores)\n"
    "  --set path=value override a scenario field, e.g. --set devices[1].count=500\n"
    "  --quiet          no summary\n"
    "  --resume         sweeps: keep the points an interrupted run completed\n"
    "  --task-index I, --task-count N\n"
    "                   sweeps: run the points p with p mod N = I (job arrays; defaults\n"
    "                   SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT)\n"
    "\n"
    "MPI builds (cmake -DMTCSIM_MPI=ON): mpirun -n K mtcsim sweep shares the points\n"
    "over the ranks; mpirun -n K mtcsim run shares a layout's cells (rank 0 writes).\n"
    "\n"
    "One writer per results file (lock on RESULTS.h5.lock: a second one exits 1).\n"
    "SIGINT/SIGTERM remove the temporary file (exit 130/143); temporaries left by\n"
    "killed processes are removed by the next run, sweep or merge of the same -o.\n"
    "\n"
    "exit codes: 0 success, 1 runtime failure, 2 usage or scenario error\n";

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

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "mtcsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see mtcsim --help)\n");
    return SIM_ERR_INPUT;
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
    if (argc < 2) return usage_error("missing command", "");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
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
    int is_run = !strcmp(cmd, "run"), is_check = !strcmp(cmd, "check");
    const int is_merge = !strcmp(cmd, "merge");
    const int is_sweep = !strcmp(cmd, "sweep") || is_merge;
    if (!is_run && !is_check && !is_sweep) return usage_error("unknown command '%s'", cmd);
    int list = 0, resume = 0, modules = 0;
    long task_index = -1, task_count = -1;
    is_run |= is_sweep; /* the run options apply to sweeps */

    const char *scenario = NULL, *out = NULL;
    int threads = 0, quiet = 0, force = 0;
    const char **ovr = calloc((size_t)argc, sizeof *ovr);
    char **owned = calloc((size_t)argc, sizeof *owned);
    size_t n_ovr = 0;
    int rc = SIM_OK;
    if (!ovr || !owned) return SIM_ERR_RUNTIME;
    for (int i = 2; i < argc && !rc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (!strcmp(a, "-o") && is_run) {
            if (!has_val || !argv[i + 1][0])
                rc = usage_error("%s needs a file name", a);
            else
                out = argv[++i];
        } else if (!strcmp(a, "--threads") && is_run) {
            char *end;
            long v = has_val ? strtol(argv[i + 1], &end, 10) : 0;
            if (!has_val || *end || v < 1 || v > 4096)
                rc = usage_error("--threads needs a whole number from 1 to 4096", a);
            threads = (int)v;
            i++;
        } else if (!strcmp(a, "--seed")) {
            char *end;
            if (!has_val)
                rc = usage_error("%s needs a number", a);
            else {
                errno = 0;
                unsigned long long v = strtoull(argv[i + 1], &end, 10);
                /* Seeds are Lua integers read exactly as doubles: < 2^53. */
                if (*end || argv[i + 1][0] == '-' || !argv[i + 1][0] || errno ||
                    v > 9007199254740991ULL)
                    rc = usage_error("--seed needs a whole number from 0 to 9007199254740991, "
                                     "got '%s'",
                                     argv[i + 1]);
                else {
                    owned[n_ovr] = malloc(32);
                    snprintf(owned[n_ovr], 32, "seed=%llu", v);
                    ovr[n_ovr] = owned[n_ovr];
                    n_ovr++;
                }
                i++;
            }
        } else if (!strcmp(a, "--set")) {
            if (!has_val)
                rc = usage_error("%s needs path=value", a);
            else
                ovr[n_ovr++] = argv[++i];
        } else if (!strncmp(a, "--set=", 6)) {
            ovr[n_ovr++] = a + 6;
        } else if (!strcmp(a, "--quiet") && is_run) {
            quiet = 1;
        } else if (!strcmp(a, "--force") && is_run) {
            force = 1;
        } else if (!strcmp(a, "--modules") && is_check) {
            modules = 1;
        } else if (!strcmp(a, "--list") && is_sweep && !is_merge) {
            list = 1;
        } else if (!strcmp(a, "--resume") && is_sweep && !is_merge) {
            resume = 1;
        } else if ((!strcmp(a, "--task-index") || !strcmp(a, "--task-count")) && is_sweep &&
                   !is_merge) {
            char *end;
            long v = has_val ? strtol(argv[i + 1], &end, 10) : -1;
            if (!has_val || *end || v < 0 || v > 1000000)
                rc = usage_error("%s needs a whole number from 0 to 1000000", a);
            if (!strcmp(a, "--task-index"))
                task_index = v;
            else
                task_count = v;
            i++;
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option '%s'", a);
        } else if (!scenario) {
            scenario = a;
        } else {
            rc = usage_error("unexpected argument '%s'", a);
        }
    }
    if (!rc && modules) {
        if (n_ovr) rc = usage_error("--modules takes no --seed or --set%s", "");
        if (!rc) rc = list_modules(scenario);
        free(owned);
        free(ovr);
        return rc;
    }
    if (!rc && !scenario) rc = usage_error("missing scenario file%s", "");

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
            fprintf(stderr, "%s: no `sweep` in the scenario (use mtcsim run)\n", scenario);
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
                rc = usage_error("--task-index must be below --task-count (and the count at "
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
    for (size_t i = 0; i < n_ovr; i++)
        free(owned[i]);
    free(owned);
    free(ovr);
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
