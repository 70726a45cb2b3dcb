/* config_output.c: what a run writes besides its tables: the cells' time
 * series (`timeseries`). */
#include "sim/app.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define S(f) offsetof(scen_timeseries, f)
static const cf_field timeseries_fields[] = {
    {.name = "enabled",
     .kind = CF_BOOL,
     .offset = S(enabled),
     .doc = "write /timeseries: per cell and replication, counts and loads per interval; "
            "default true"},
    {.name = "interval_s",
     .kind = CF_NUM,
     .offset = S(interval_s),
     .min = 0,
     .max = 3.2e9,
     .doc = "bin length, s, a whole number of ms; 0 (default): 1 s for runs up to a day, "
            "longer runs the smallest of 1, 2, 5 x 10^k s that keeps at most 86,400 bins"},
};
#undef S
const cf_table cf_timeseries = {.fields = timeseries_fields,
                                .n = sizeof timeseries_fields / sizeof timeseries_fields[0]};

void scen_timeseries_default(scen_timeseries *t)
{
    t->enabled = 1;
    t->interval_s = 0;
}

#define S(f) offsetof(scen_trace, f)
static const cf_field trace_fields[] = {
    {.name = "devices",
     .kind = CF_NUMLIST,
     .offset = S(devices),
     .min = 1,
     .max = 4294967294.0,
     .elem_size = MAC_TRACE_MAX_DEVICES,
     .count_offset = S(n_devices),
     .min_count = 1,
     .max_count = MAC_TRACE_MAX_DEVICES,
     .doc = "devices to trace, numbered from 1 within their cell as /devices numbers them; "
            "empty by default (with a window: every device of the traced cells)"},
    {.name = "cells",
     .kind = CF_NUMLIST,
     .offset = S(cells),
     .min = 0,
     .max = 56,
     .elem_size = MAC_TRACE_MAX_CELLS,
     .count_offset = S(n_cells),
     .min_count = 1,
     .max_count = MAC_TRACE_MAX_CELLS,
     .doc = "cells to trace, numbered from 0 as /cells numbers them; empty by default: every "
            "cell"},
    {.name = "from_s",
     .kind = CF_NUM,
     .offset = S(from_s),
     .min = 0,
     .max = 3.2e9,
     .doc = "start of the traced window, s; default 0"},
    {.name = "to_s",
     .kind = CF_NUM,
     .offset = S(to_s),
     .min = -1,
     .max = 3.2e9,
     .doc = "end of the traced window, s; -1 (default): the end of the run"},
    {.name = "max_rows",
     .kind = CF_INT,
     .offset = S(max_rows),
     .int_bytes = 4,
     .min = 1,
     .max = 100000000,
     .doc = "rows kept per cell and replication; the rows past it are counted in "
            "/cells trace_dropped and the summary warns; default 100000"},
};
#undef S
const cf_table cf_trace = {.fields = trace_fields,
                           .n = sizeof trace_fields / sizeof trace_fields[0]};

void scen_trace_default(scen_trace *t)
{
    memset(t, 0, sizeof *t);
    t->to_s = -1;
    t->max_rows = 100000;
}

int scen_trace_cfg(const scen_config *c, mac_trace_cfg *tc)
{
    const scen_trace *t = &c->trace;
    if (t->n_devices == 0 && t->n_cells == 0 && t->from_s == 0 && t->to_s < 0) return 0;
    memset(tc, 0, sizeof *tc);
    tc->n_devices = (uint32_t)t->n_devices;
    for (int k = 0; k < t->n_devices; k++)
        tc->devices[k] = (uint32_t)t->devices[k];
    tc->n_cells = (uint32_t)t->n_cells;
    for (int k = 0; k < t->n_cells; k++)
        tc->cells[k] = (uint32_t)t->cells[k];
    sim_time_from_s(t->from_s, &tc->from);
    if (t->to_s < 0 || sim_time_from_s(t->to_s, &tc->to) != 0) tc->to = SIM_NEVER;
    tc->max_rows = t->max_rows;
    return 1;
}

static int trace_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len)
{
    const scen_trace *t = &c->trace;
    for (int k = 0; k < t->n_devices; k++)
        if (t->devices[k] != floor(t->devices[k])) {
            snprintf(path, path_len, "trace.devices[%d]", k + 1);
            char v[32];
            snprintf(why, why_len, "%s is not a device number (1, 2, ...)",
                     cf_shortest(v, sizeof v, t->devices[k]));
            return -1;
        }
    const uint32_t cells = mac_run_cells(&c->radio);
    for (int k = 0; k < t->n_cells; k++)
        if (t->cells[k] != floor(t->cells[k]) || t->cells[k] >= cells) {
            snprintf(path, path_len, "trace.cells[%d]", k + 1);
            char v[32];
            snprintf(why, why_len, "%s is not a cell of this run (0 to %u)",
                     cf_shortest(v, sizeof v, t->cells[k]), cells - 1);
            return -1;
        }
    /* a single cell has all the devices: a number past them traces nothing */
    uint64_t devices = 0;
    for (uint32_t g = 0; g < c->n_groups; g++)
        devices += c->groups[g].count;
    for (int k = 0; cells == 1 && k < t->n_devices; k++)
        if (t->devices[k] > (double)devices) {
            char v[32];
            snprintf(path, path_len, "trace.devices[%d]", k + 1);
            snprintf(why, why_len, "device %s of a cell of %llu devices",
                     cf_shortest(v, sizeof v, t->devices[k]), (unsigned long long)devices);
            return -1;
        }
    if (t->from_s >= c->duration_s) {
        char a[32], b[32];
        snprintf(path, path_len, "trace.from_s");
        snprintf(why, why_len, "%s s is not before the end of the run (duration %s s)",
                 cf_shortest(a, sizeof a, t->from_s), cf_shortest(b, sizeof b, c->duration_s));
        return -1;
    }
    if (t->to_s >= 0 && t->to_s <= t->from_s) {
        snprintf(path, path_len, "trace.to_s");
        char a[32], b[32];
        snprintf(why, why_len, "%s s is not after trace.from_s (%s s)",
                 cf_shortest(a, sizeof a, t->to_s), cf_shortest(b, sizeof b, t->from_s));
        return -1;
    }
    return 0;
}

/* At most this many bins per cell by default: a day in seconds. */
#define TS_DEFAULT_BINS 86400.0

sim_time_t scen_timeseries_bin(const scen_config *c)
{
    if (!c->timeseries.enabled) return 0;
    double s = c->timeseries.interval_s;
    if (s <= 0) {
        /* 1, 2, 5 x 10^k s: round numbers on a plot's axis */
        static const double mant[3] = {1, 2, 5};
        s = 1;
        for (int k = 0; c->duration_s / s > TS_DEFAULT_BINS && k < 60; k++)
            s = mant[(k + 1) % 3] * pow(10.0, (double)((k + 1) / 3));
    }
    return (sim_time_t)llround(s * 1e3) * SIM_MS;
}

int scen_output_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len)
{
    if (trace_check(c, path, path_len, why, why_len) != 0) return -1;
    const double s = c->timeseries.interval_s;
    if (s > 0 && s < 1e-3) {
        char v[32];
        snprintf(path, path_len, "timeseries.interval_s");
        snprintf(why, why_len, "%s s is shorter than 1 ms (0 chooses the interval)",
                 cf_shortest(v, sizeof v, s));
        return -1;
    }
    if (s > 0 && fabs(s * 1e3 - round(s * 1e3)) > 1e-6) {
        snprintf(path, path_len, "timeseries.interval_s");
        char v[32];
        snprintf(why, why_len, "%s s is not a whole number of milliseconds",
                 cf_shortest(v, sizeof v, s));
        return -1;
    }
    const sim_time_t bin = scen_timeseries_bin(c);
    /* each bin of a cell holds 28 counts and 4 sums (~150 bytes in memory
     * and about as much in the file before compression) */
    if (bin > 0 && c->duration_s * 1e6 / (double)bin > 1e7) {
        snprintf(path, path_len, "timeseries.interval_s");
        char a[32], b[32];
        snprintf(why, why_len,
                 "%s s over %s s makes %.3g bins per cell, more than 10^7: choose a longer "
                 "interval (or timeseries.enabled = false)",
                 cf_shortest(a, sizeof a, (double)bin / 1e6),
                 cf_shortest(b, sizeof b, c->duration_s), c->duration_s * 1e6 / (double)bin);
        return -1;
    }
    return 0;
}
