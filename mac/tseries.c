/* tseries.c: a cell's time series (/timeseries): counts per bin of
 * cell.timeseries interval (random access per CE level, Msg3/Msg4
 * failures, reports, paging) taken where the cell counts them, and
 * integrals per bin (uplink and downlink reservations, devices connected,
 * the fleet's energy) spread over the bins their intervals cover
 * (sim_bins: O(1) per booking), so every bin is counted, not sampled. */
#include "mac/mac_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ce_names[5] = {"preambles", "collided", "detected", "successes",
                                        "failures"};
static const char *const ce_docs[5] = {
    "preambles sent at the CE level (NPRACH/PRACH transmissions starting in the bin)",
    "preambles sent at the level that shared their subcarrier (or preamble) with another",
    "distinct preambles the base station detected at the level",
    "random-access procedures completed at the level (Msg4 received)",
    "random-access procedures given up at the level"};
static const struct {
    const char *name, *doc;
} other[] = {
    {"msg3_failures", "access attempts failed after Msg3: not decoded (collision, HARQ "
                      "exhausted) within the contention-resolution timer"},
    {"msg4_failures", "access attempts failed at Msg4: lost, or not schedulable before the "
                      "contention-resolution timer"},
    {"reports_generated", "reports the applications generated"},
    {"reports_delivered", "reports delivered to the network"},
    {"reports_dropped", "reports dropped (device buffer full)"},
    {"reports_failed", "reports whose access or transfer failed (or out of coverage)"},
    {"paging_records", "paging records sent (in the occasion that carried them)"},
    {"paging_deferrals", "paging records moved on from a full paging message"},
};

int mac_ts_counter_info(int k, char *name, size_t n, const char **doc)
{
    if (k < 0 || k >= MAC_TS_COUNTERS) return -1;
    if (k < MAC_TS_MSG3_FAILURES) {
        snprintf(name, n, "ce%d_%s", k % MAC_MAX_CE, ce_names[k / MAC_MAX_CE]);
        *doc = ce_docs[k / MAC_MAX_CE];
    } else {
        snprintf(name, n, "%s", other[k - MAC_TS_MSG3_FAILURES].name);
        *doc = other[k - MAC_TS_MSG3_FAILURES].doc;
    }
    return 0;
}

int mac_ts_init(mac_cell *c, sim_time_t bin)
{
    if (bin <= 0) return 0;
    mac_ts_acc *a = calloc(1, sizeof *a);
    if (!a) return -1;
    c->ts = a;
    a->bin = bin;
    if (sim_bins_init(&a->ul, bin, c->cfg.duration) ||
        sim_bins_init(&a->dl, bin, c->cfg.duration) ||
        sim_bins_init(&a->conn, bin, c->cfg.duration) ||
        sim_bins_init(&a->energy, bin, c->cfg.duration))
        return -1;
    a->n = a->ul.n;
    a->count = calloc((size_t)a->n * MAC_TS_COUNTERS, sizeof *a->count);
    if (!a->count) return -1;
    for (uint32_t g = 0; g <= c->cfg.n_groups; g++)
        c->genergy[g].bins = &a->energy;
    return 0;
}

static void acc_free(mac_ts_acc *a)
{
    if (!a) return;
    sim_bins_free(&a->ul);
    sim_bins_free(&a->dl);
    sim_bins_free(&a->conn);
    sim_bins_free(&a->energy);
    free(a->count);
    free(a);
}

void mac_ts_release(mac_cell *c)
{
    if (!c->ts) return;
    /* the simulated cell's matrices (n_groups + 1 of them) point to it */
    if (c->genergy)
        for (uint32_t g = 0; g <= c->cfg.n_groups; g++)
            c->genergy[g].bins = NULL;
    acc_free(c->ts);
    c->ts = NULL;
}

void mac_ts_free_out(mac_tseries *t)
{
    free(t->count);
    free(t->ul_busy);
    t->count = NULL;
    t->ul_busy = t->dl_busy = t->connected = t->energy_j = NULL;
    t->n = 0;
}

int mac_ts_finish(mac_cell *c)
{
    mac_ts_acc *a = c->ts;
    mac_tseries *t = &c->tsout;
    mac_ts_free_out(t);
    if (!a) return 0;
    t->bin = a->bin;
    t->n = a->n;
    t->count = a->count; /* the counts as they are */
    a->count = NULL;
    t->ul_busy = malloc((size_t)a->n * 4 * sizeof *t->ul_busy);
    if (!t->ul_busy) return -1;
    t->dl_busy = t->ul_busy + a->n;
    t->connected = t->dl_busy + a->n;
    t->energy_j = t->connected + a->n;
    sim_bins_total(&a->ul, t->ul_busy);
    sim_bins_total(&a->dl, t->dl_busy);
    sim_bins_total(&a->conn, t->connected);
    sim_bins_total(&a->energy, t->energy_j);
    for (uint32_t k = 0; k < a->n; k++) {
        const sim_time_t s = (sim_time_t)k * a->bin, e = s + a->bin;
        const double dt = (double)((e < c->cfg.duration ? e : c->cfg.duration) - s);
        /* the same resource x time denominators as the cell's utilisation */
        t->ul_busy[k] /= (double)c->n_units * c->n_car * dt;
        t->dl_busy[k] /= (double)c->n_dl_nb * c->n_car * dt;
        t->connected[k] /= dt;
    }
    mac_ts_release(c);
    return 0;
}

const mac_tseries *mac_cell_tseries(const mac_cell *c)
{
    return c->tsout.n ? &c->tsout : NULL;
}
