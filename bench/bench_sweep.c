/* bench_sweep.c: a 16-point sweep (scenarios/sweep_example.lua unless
 * another is given) on 1 and on 2 threads, measured in the same run: wall
 * time of each and the speed-up. Figures, not a pass/fail test: these
 * machines are shared (the target is 1.8x on two idle cores).
 *
 * usage: bench_sweep [SCENARIO.lua] [THREADS]   (default 2)
 */
#include "sim/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "scenarios/sweep_example.lua";
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    scen_config cfg;
    scen_source src;
    scen_sweep sw;
    sim_error err;
    sim_error_clear(&err);
    if (scen_load_sweep(path, NULL, 0, &cfg, &src, &sw, &err) != SIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    if (sw.n_points == 0) {
        fprintf(stderr, "%s: no sweep\n", path);
        return 2;
    }
    double t[2];
    int ths[2] = {1, threads};
    for (int i = 0; i < 2; i++) {
        char out[256];
        snprintf(out, sizeof out, "/tmp/bench_sweep_%d_%d.h5", (int)getpid(), i);
        run_options opt = {.out_path = out, .threads = ths[i], .quiet = 1, .command_line = "bench"};
        double t0 = wall();
        if (sweep_main(path, NULL, 0, &cfg, &src, &sw, &opt, &err) != SIM_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        t[i] = wall() - t0;
        remove(out);
    }
    printf("bench_sweep: %s, %u points x %u replications\n\n", path, sw.n_points, cfg.replications);
    printf("  threads   wall s   points/s\n");
    for (int i = 0; i < 2; i++)
        printf("  %7d %8.2f %10.2f\n", ths[i], t[i], sw.n_points / t[i]);
    printf("\n  speed-up on %d threads: %.2fx (target >= 1.8x on two idle cores)\n", threads,
           t[0] / t[1]);
    scen_sweep_free(&sw);
    scen_config_free(&cfg);
    scen_source_free(&src);
    return 0;
}
