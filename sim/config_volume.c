/* config_volume.c: refuses, before a run, a scenario whose event volume
 * would not fit in this machine's memory (issue: a period of microseconds
 * or a year of a million devices must fail at once with an estimate, not
 * after minutes or by the out-of-memory killer). */
#include "sim/app.h"

#include <stdio.h>
#include <unistd.h>

/* Per-replication memory, measured with bench_cell on the TR 45.820 cell:
 * about 1,500 bytes per device at peak (device record with its energy by
 * procedure, its statistics, event pool and queue, Lua, HDF5 rows; the
 * per-procedure accounts added 415 bytes to the measured peak of 1,220),
 * 8 bytes per delivered report (the delivery log);
 * a report waiting in a device's queue holds a 24-byte record, so 32 bytes
 * per report bounds both. */
enum { VOLUME_DEVICE_BYTES = 1500, VOLUME_REPORT_BYTES = 32 };

static double phys_bytes(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double)pages * (double)size : 0;
}

double scen_group_reports(const scen_config *c, uint32_t g)
{
    const mac_group_cfg *gr = &c->groups[g];
    return (double)gr->count *
           (1.0 + (traffic_mean_rate(&gr->traffic) + traffic_mean_rate(&gr->downlink.traffic)) *
                      c->duration_s);
}

int scen_volume_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len)
{
    double devices = 0, reports = 0, top = -1;
    uint32_t top_g = 0;
    for (uint32_t g = 0; g < c->n_groups; g++) {
        const double r = scen_group_reports(c, g);
        devices += c->groups[g].count;
        reports += r;
        if (r > top) top = r, top_g = g;
    }
    const double need = devices * VOLUME_DEVICE_BYTES + reports * VOLUME_REPORT_BYTES;
    const double have = phys_bytes();
    if (have <= 0 || need <= have) return 0;
    const int by_devices = devices * VOLUME_DEVICE_BYTES > reports * VOLUME_REPORT_BYTES;
    snprintf(path, path_len, by_devices ? "devices" : "devices[%u].traffic", top_g + 1);
    snprintf(why, why_len,
             "about %.3g devices and %.3g reports per replication need about %.1f GiB, more "
             "than this machine's %.1f GiB: shorten the duration, lengthen the period or "
             "use fewer devices",
             devices, reports, need / 1073741824.0, have / 1073741824.0);
    return -1;
}
