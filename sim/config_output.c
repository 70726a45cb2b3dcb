/* config_output.c: what a run writes besides its tables: the cells' time
 * series (`timeseries`). */
#include "sim/app.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

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
const cf_table cf_timeseries = {timeseries_fields,
                                sizeof timeseries_fields / sizeof timeseries_fields[0], NULL, NULL};

void scen_timeseries_default(scen_timeseries *t)
{
    t->enabled = 1;
    t->interval_s = 0;
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

int scen_timeseries_check(const scen_config *c, char *path, size_t path_len, char *why,
                          size_t why_len)
{
    const double s = c->timeseries.interval_s;
    if (s > 0 && fabs(s * 1e3 - round(s * 1e3)) > 1e-6) {
        snprintf(path, path_len, "timeseries.interval_s");
        snprintf(why, why_len, "%.17g s is not a whole number of milliseconds", s);
        return -1;
    }
    const sim_time_t bin = scen_timeseries_bin(c);
    /* each bin of a cell holds 22 counts and 4 sums (~130 bytes in memory
     * and about as much in the file before compression) */
    if (bin > 0 && c->duration_s * 1e6 / (double)bin > 1e7) {
        snprintf(path, path_len, "timeseries.interval_s");
        snprintf(why, why_len,
                 "%.17g s over %.17g s makes %.3g bins per cell, more than 10^7: choose a "
                 "longer interval (or timeseries.enabled = false)",
                 (double)bin / 1e6, c->duration_s, c->duration_s * 1e6 / (double)bin);
        return -1;
    }
    return 0;
}
