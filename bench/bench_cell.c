/* bench_cell.c: a whole cell, one replication on one core.
 *
 * Loads a scenario (default scenarios/tr45820_cell.lua: 52,547 devices, one
 * day), runs its first replication with the default radix event queue and
 * again with the binary-heap queue as the baseline measured in the same
 * run, and prints wall time, events, events/s, model bytes per device and
 * peak RSS. Figures, not a pass/fail test: these machines are shared.
 *
 * usage: bench_cell [SCENARIO.lua] [--no-baseline]
 */
#include "sim/app.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct figures {
    double wall_s;
    uint64_t events;
    size_t bytes;
    uint64_t delivered;
} figures;

static int run(const scen_config *cfg, sim_queue_kind q, figures *f, sim_error *err)
{
    uint64_t devices = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        devices += cfg->groups[g].count;
    sim_time_t duration;
    sim_time_from_s(cfg->duration_s, &duration);
    double t0 = wall();
    sim_engine_config ec = {q, (size_t)(devices + devices / 16 + 1024)};
    sim_engine *e = sim_engine_create(&ec, err);
    if (!e) return err->code;
    mac_cell_cfg mc = {.radio = &cfg->radio,
                       .groups = cfg->groups,
                       .n_groups = cfg->n_groups,
                       .duration = duration,
                       .seed = cfg->seed};
    mac_cell *c = mac_cell_create(&mc, e, err);
    int rc = c ? sim_engine_run(e, duration, err) : err->code;
    if (!rc) rc = mac_cell_finish(c, err);
    f->wall_s = wall() - t0;
    f->events = sim_engine_events(e);
    f->bytes = (c ? mac_cell_bytes(c) : 0) + sim_engine_bytes(e);
    f->delivered = c ? mac_cell_stats_get(c)->reports_delivered : 0;
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return rc;
}

int main(int argc, char **argv)
{
    const char *path = "scenarios/tr45820_cell.lua";
    int baseline = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-baseline"))
            baseline = 0;
        else
            path = argv[i];
    }
    scen_config cfg;
    scen_source src;
    sim_error err;
    sim_error_clear(&err);
    if (scen_load(path, NULL, 0, &cfg, &src, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    uint64_t devices = 0;
    for (uint32_t g = 0; g < cfg.n_groups; g++)
        devices += cfg.groups[g].count;
    printf("bench_cell: %s, %llu devices, %.0f s simulated, one replication, one core\n\n", path,
           (unsigned long long)devices, cfg.duration_s);
    printf("  %-16s %9s %12s %12s %14s %12s\n", "queue", "wall s", "events", "M events/s",
           "bytes/device", "delivered");
    figures f[2];
    sim_queue_kind kinds[2] = {SIM_QUEUE_RADIX, SIM_QUEUE_HEAP};
    int runs = baseline ? 2 : 1;
    for (int k = 0; k < runs; k++) {
        if (run(&cfg, kinds[k], &f[k], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        printf("  %-16s %9.2f %12llu %12.2f %14.0f %12llu\n",
               k ? "heap (baseline)" : "radix (default)", f[k].wall_s,
               (unsigned long long)f[k].events, f[k].events / f[k].wall_s / 1e6,
               (double)f[k].bytes / (double)devices, (unsigned long long)f[k].delivered);
    }
    if (baseline)
        printf("\n  radix / heap speed: %.2fx (same events: %s)\n", f[1].wall_s / f[0].wall_s,
               f[0].events == f[1].events ? "yes" : "NO");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS: %.1f MB (%.0f bytes per device, includes Lua, HDF5 and libraries)\n",
           ru.ru_maxrss / 1024.0, ru.ru_maxrss * 1024.0 / (double)devices);
    scen_config_free(&cfg);
    scen_source_free(&src);
    return 0;
}
