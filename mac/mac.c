/* mac.c: devices of one cell, their report buffers and the PLACEHOLDER
 * EXCHANGE (fixed transmit then receive time per report) that stands in for
 * the NB-IoT procedures until they land.
 *
 * Random draws use per-device counter-based streams re-keyed per report
 * (substream = report number), so devices need no stored generator state and
 * no draw depends on the order in which devices' events interleave.
 */
#include "mac/mac.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { EV_REPORT = 1, EV_TX_END = 2, EV_RX_END = 3 };

#define NO_REPORT UINT32_MAX

typedef struct mac_report {
    sim_time_t generated;
    uint32_t bytes;
    uint32_t next; /* FIFO link within a device buffer, or free-list link */
} mac_report;

typedef struct mac_dev {
    traffic_state traffic;
    energy_account energy;
    uint32_t group;
    uint32_t generated, delivered, dropped;
    uint32_t head, tail; /* buffered reports, oldest first; head is in flight when busy */
    uint32_t pending;
    uint8_t busy;
    uint64_t bytes;
} mac_dev;

struct mac_cell {
    mac_cell_cfg cfg;
    sim_engine *engine;
    mac_dev *devs;
    uint32_t n_devs;
    sim_time_t *tx_time, *rx_time; /* per group, converted once */
    mac_report *reports;
    uint32_t reports_cap, reports_free;
    uint32_t *lat_dev; /* delivery log: device and latency of each delivered report */
    int64_t *lat_us;
    size_t lat_n, lat_cap;
    int oom;
    mac_device_stats *dstats;
    mac_cell_stats cstats;
};

void mac_group_cfg_default(mac_group_cfg *g)
{
    memset(g, 0, sizeof *g);
    strcpy(g->name, "devices");
    g->count = 1;
    traffic_cfg_default(&g->traffic);
    energy_profile_default(&g->module);
    energy_battery_default(&g->battery);
    /* Placeholder exchange: 100 ms transmit then 200 ms receive. No source:
     * a stand-in that the NB-IoT procedures replace. */
    g->exchange.tx_s = 0.1;
    g->exchange.rx_s = 0.2;
    g->sleep_state = ENERGY_PSM;
    /* Application buffer of the device: 16 reports (modelling choice). */
    g->max_pending = 16;
}

static sim_rng device_rng(const mac_cell *c, uint32_t dev, uint32_t purpose, uint64_t sub)
{
    sim_rng r;
    sim_rng_key k = {c->cfg.seed, c->cfg.replication, c->cfg.cell, dev, purpose, sub};
    sim_rng_init(&r, &k);
    return r;
}

static uint32_t report_alloc(mac_cell *c)
{
    if (c->reports_free == NO_REPORT) {
        uint32_t cap = c->reports_cap ? c->reports_cap * 2 : 1024;
        mac_report *r = realloc(c->reports, (size_t)cap * sizeof *r);
        if (!r) {
            c->oom = 1;
            return NO_REPORT;
        }
        for (uint32_t i = cap; i-- > c->reports_cap;) {
            r[i].next = c->reports_free;
            c->reports_free = i;
        }
        c->reports = r;
        c->reports_cap = cap;
    }
    uint32_t i = c->reports_free;
    c->reports_free = c->reports[i].next;
    c->reports[i].next = NO_REPORT;
    return i;
}

static void report_release(mac_cell *c, uint32_t i)
{
    c->reports[i].next = c->reports_free;
    c->reports_free = i;
}

static void log_latency(mac_cell *c, uint32_t dev, int64_t lat)
{
    if (c->lat_n == c->lat_cap) {
        size_t cap = c->lat_cap ? c->lat_cap * 2 : 4096;
        uint32_t *d = realloc(c->lat_dev, cap * sizeof *d);
        if (d) c->lat_dev = d;
        int64_t *l = d ? realloc(c->lat_us, cap * sizeof *l) : NULL;
        if (!l) {
            c->oom = 1;
            return;
        }
        c->lat_us = l;
        c->lat_cap = cap;
    }
    c->lat_dev[c->lat_n] = dev;
    c->lat_us[c->lat_n] = lat;
    c->lat_n++;
}

static void start_exchange(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *g = &c->cfg.groups[d->group];
    d->busy = 1;
    energy_enter_profile(&d->energy, &g->module, ENERGY_TX, now);
    sim_schedule(c->engine, now + c->tx_time[d->group], EV_TX_END, id, 0, 0);
}

static void on_report(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *g = &c->cfg.groups[d->group];
    uint32_t n = d->generated++;

    sim_rng pr = device_rng(c, id, MAC_RNG_PAYLOAD, n);
    uint32_t bytes = traffic_payload_bytes(&g->traffic.payload, &pr);
    /* substream 0 drew the first arrival, report n draws the gap after it */
    sim_rng tr = device_rng(c, id, MAC_RNG_TRAFFIC, (uint64_t)n + 1);
    traffic_advance(&g->traffic, &d->traffic, &tr);
    if (d->traffic.next < c->cfg.duration) sim_schedule(e, d->traffic.next, EV_REPORT, id, 0, 0);

    if (d->pending >= g->max_pending) {
        d->dropped++;
        return;
    }
    uint32_t r = report_alloc(c);
    if (r == NO_REPORT) {
        sim_engine_stop(e);
        return;
    }
    c->reports[r].generated = ev->time;
    c->reports[r].bytes = bytes;
    if (d->pending == 0)
        d->head = r;
    else
        c->reports[d->tail].next = r;
    d->tail = r;
    d->pending++;
    if (!d->busy) start_exchange(c, id, ev->time);
}

static void on_tx_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    const mac_group_cfg *g = &c->cfg.groups[d->group];
    energy_enter_profile(&d->energy, &g->module, ENERGY_RX, ev->time);
    sim_schedule(e, ev->time + c->rx_time[d->group], EV_RX_END, ev->target, 0, 0);
}

static void on_rx_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *g = &c->cfg.groups[d->group];
    uint32_t r = d->head;
    d->head = c->reports[r].next;
    d->pending--;
    d->delivered++;
    d->bytes += c->reports[r].bytes;
    log_latency(c, id, ev->time - c->reports[r].generated);
    report_release(c, r);
    if (c->oom) {
        sim_engine_stop(e);
        return;
    }
    if (d->pending > 0) {
        start_exchange(c, id, ev->time);
    } else {
        d->busy = 0;
        energy_enter_profile(&d->energy, &g->module, g->sleep_state, ev->time);
    }
}

mac_cell *mac_cell_create(const mac_cell_cfg *cfg, sim_engine *e, sim_error *err)
{
    mac_cell *c = calloc(1, sizeof *c);
    if (!c) goto nomem;
    c->cfg = *cfg;
    c->engine = e;
    c->reports_free = NO_REPORT;
    uint64_t n = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        n += cfg->groups[g].count;
    if (n > UINT32_MAX - 1) {
        free(c);
        sim_error_set(err, SIM_ERR_INPUT, "devices: %llu devices in one cell, at most %u",
                      (unsigned long long)n, UINT32_MAX - 1);
        return NULL;
    }
    c->n_devs = (uint32_t)n;
    c->devs = calloc(n ? n : 1, sizeof *c->devs);
    c->tx_time = calloc(cfg->n_groups + 1, sizeof *c->tx_time);
    c->rx_time = calloc(cfg->n_groups + 1, sizeof *c->rx_time);
    if (!c->devs || !c->tx_time || !c->rx_time) goto nomem;
    for (uint32_t g = 0; g < cfg->n_groups; g++) {
        if (sim_time_from_s(cfg->groups[g].exchange.tx_s, &c->tx_time[g]) ||
            sim_time_from_s(cfg->groups[g].exchange.rx_s, &c->rx_time[g])) {
            mac_cell_destroy(c);
            sim_error_set(err, SIM_ERR_INPUT, "devices[%u].exchange: duration out of range", g + 1);
            return NULL;
        }
    }
    sim_engine_on(e, EV_REPORT, on_report, c);
    sim_engine_on(e, EV_TX_END, on_tx_end, c);
    sim_engine_on(e, EV_RX_END, on_rx_end, c);

    uint32_t id = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++) {
        const mac_group_cfg *gc = &cfg->groups[g];
        for (uint32_t k = 0; k < gc->count; k++, id++) {
            mac_dev *d = &c->devs[id];
            d->group = g;
            d->head = d->tail = NO_REPORT;
            energy_account_init(&d->energy, gc->sleep_state, gc->module.power_mw[gc->sleep_state],
                                0);
            sim_rng tr = device_rng(c, id, MAC_RNG_TRAFFIC, 0);
            traffic_device_init(&gc->traffic, &d->traffic, &tr, 0);
            if (d->traffic.next < cfg->duration)
                sim_schedule(e, d->traffic.next, EV_REPORT, id, 0, 0);
        }
    }
    return c;
nomem:
    mac_cell_destroy(c);
    sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory creating the cell's devices");
    return NULL;
}

void mac_cell_destroy(mac_cell *c)
{
    if (!c) return;
    free(c->devs);
    free(c->tx_time);
    free(c->rx_time);
    free(c->reports);
    free(c->lat_dev);
    free(c->lat_us);
    free(c->dstats);
    free(c);
}

/* Quantile with linear interpolation between order statistics (numpy's
 * default "linear" method), via GSL. */
static double quantile(const double *sorted, size_t n, double f)
{
    return n ? gsl_stats_quantile_from_sorted_data(sorted, 1, n, f) : NAN;
}

int mac_cell_finish(mac_cell *c, sim_error *err)
{
    if (c->oom) return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory during the run");
    free(c->dstats);
    c->dstats = calloc(c->n_devs ? c->n_devs : 1, sizeof *c->dstats);
    size_t *start = calloc((size_t)c->n_devs + 1, sizeof *start);
    double *ms = malloc((c->lat_n ? c->lat_n : 1) * sizeof *ms);
    double *all = malloc((c->lat_n ? c->lat_n : 1) * sizeof *all);
    if (!c->dstats || !start || !ms || !all) {
        free(start);
        free(ms);
        free(all);
        return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory computing statistics");
    }
    /* Group the delivery log by device (counting sort keeps delivery order). */
    for (size_t i = 0; i < c->lat_n; i++)
        start[c->lat_dev[i] + 1]++;
    for (uint32_t d = 0; d < c->n_devs; d++)
        start[d + 1] += start[d];
    for (size_t i = 0; i < c->lat_n; i++)
        all[i] = (double)c->lat_us[i] / 1e3;
    {
        size_t *fill = calloc((size_t)c->n_devs + 1, sizeof *fill);
        if (!fill) {
            free(start);
            free(ms);
            free(all);
            return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory computing statistics");
        }
        for (size_t i = 0; i < c->lat_n; i++) {
            uint32_t d = c->lat_dev[i];
            ms[start[d] + fill[d]++] = all[i];
        }
        free(fill);
    }
    const sim_time_t end = c->cfg.duration;
    mac_cell_stats *cs = &c->cstats;
    memset(cs, 0, sizeof *cs);
    cs->devices = c->n_devs;
    for (uint32_t i = 0; i < c->n_devs; i++) {
        mac_dev *d = &c->devs[i];
        mac_device_stats *s = &c->dstats[i];
        const mac_group_cfg *g = &c->cfg.groups[d->group];
        energy_close(&d->energy, end);
        s->group = d->group;
        s->reports_generated = d->generated;
        s->reports_delivered = d->delivered;
        s->reports_dropped = d->dropped;
        s->reports_pending = d->pending;
        s->bytes_delivered = d->bytes;
        size_t n = start[i + 1] - start[i];
        double *v = ms + start[i];
        gsl_sort(v, 1, n);
        s->latency_ms_mean = n ? gsl_stats_mean(v, 1, n) : NAN;
        s->latency_ms_p50 = quantile(v, n, 0.50);
        s->latency_ms_p95 = quantile(v, n, 0.95);
        s->latency_ms_max = n ? v[n - 1] : NAN;
        s->energy = d->energy;
        s->avg_power_mw = energy_avg_power_mw(&d->energy);
        s->battery_life_years = energy_battery_life_years(&g->battery, s->avg_power_mw);
        cs->reports_generated += d->generated;
        cs->reports_delivered += d->delivered;
        cs->reports_dropped += d->dropped;
        cs->reports_pending += d->pending;
        cs->bytes_delivered += d->bytes;
        cs->energy_j += energy_total_j(&d->energy);
    }
    gsl_sort(all, 1, c->lat_n);
    cs->latency_ms_mean = c->lat_n ? gsl_stats_mean(all, 1, c->lat_n) : NAN;
    cs->latency_ms_p50 = quantile(all, c->lat_n, 0.50);
    cs->latency_ms_p95 = quantile(all, c->lat_n, 0.95);
    cs->latency_ms_max = c->lat_n ? all[c->lat_n - 1] : NAN;
    free(start);
    free(ms);
    free(all);
    return SIM_OK;
}

const mac_device_stats *mac_cell_device_stats(const mac_cell *c, uint32_t *n)
{
    *n = c->n_devs;
    return c->dstats;
}

const mac_cell_stats *mac_cell_stats_get(const mac_cell *c)
{
    return &c->cstats;
}

size_t mac_cell_bytes(const mac_cell *c)
{
    return sizeof *c + (size_t)c->n_devs * sizeof *c->devs +
           (size_t)c->reports_cap * sizeof *c->reports +
           c->lat_cap * (sizeof *c->lat_dev + sizeof *c->lat_us);
}
