/* campaign_stats.c: a firmware update campaign's results (mac/campaign.c
 * delivers it): the latency log of the cell's reports, the receivers still
 * in a session at the end, the statistics of /campaign, /campaign_curve
 * and the devices' fota_* columns. */
#include "mac/campaign.h"

#include <math.h>
#include <stdlib.h>

void campaign_report_logged(mac_cell *c, uint32_t id, sim_time_t gen, int64_t lat_us)
{
    mac_fota *f = c->fota;
    if (!f) return;
    if (f->lat_n == f->lat_cap) {
        size_t cap = f->lat_cap ? 2 * f->lat_cap : 4096;
        double *a = realloc(f->lat_gen, cap * sizeof *a);
        if (a) f->lat_gen = a;
        double *b = a ? realloc(f->lat_ms, cap * sizeof *b) : NULL;
        if (!b) {
            c->oom = 1;
            return;
        }
        f->lat_ms = b;
        f->lat_cap = cap;
    }
    f->lat_gen[f->lat_n] = sim_time_to_s(gen);
    /* a target's reports apart: sign of the latency (a receiver holds its
     * reports while in a session, its own delay, not the cell's) */
    f->lat_ms[f->lat_n++] = (f->status[id] != FS_NONE ? -1.0 : 1.0) * (double)lat_us / 1e3;
}

/* The end of the run: a receiver still in its session books its reception
 * so far. */
static void close_sessions(mac_cell *c, sim_time_t end)
{
    mac_fota *f = c->fota;
    for (uint32_t id = 0; id < c->n_devs; id++) {
        mac_dev *d = &c->devs[id];
        if (d->state != ST_MCAST || f->rx1[id] == 0 || d->energy.since > end) continue;
        const int64_t rx = campaign_rx_time(c, &f->sess[f->sid[id]], end);
        energy_enter_split(&d->energy, ENERGY_RX, mac_power(c, d, ENERGY_RX), rx, ENERGY_IDLE,
                           mac_power(c, d, ENERGY_IDLE), end);
    }
}

/* Mean and p95 of the latencies whose generation time is in [a, b), of
 * the non-targets' reports (who < 0), the targets' (who > 0) or all. */
static void lat_window(const mac_fota *f, double a, double b, int who, double *buf, double *mean,
                       double *p95, uint64_t *n)
{
    size_t m = 0;
    for (size_t i = 0; i < f->lat_n; i++) {
        const double v = f->lat_ms[i];
        if (f->lat_gen[i] >= a && f->lat_gen[i] < b && (who == 0 || (who < 0) == (v >= 0)))
            buf[m++] = v < 0 ? -v : v;
    }
    const lat_summary s = mac_lat_summary(buf, m);
    *mean = s.mean;
    *p95 = s.p95;
    if (n) *n = m;
}

int campaign_finish(mac_cell *c)
{
    mac_fota *f = c->fota;
    mac_cell_stats *cs = &c->cstats;
    cs->fota_done_s_p50 = cs->fota_done_s_p90 = cs->fota_done_s_max = NAN;
    cs->fota_radio_j_mean = cs->fota_radio_j_p95 = cs->fota_mcu_j_mean = NAN;
    cs->fota_lat_before_ms_mean = cs->fota_lat_before_ms_p95 = NAN;
    cs->fota_lat_during_ms_mean = cs->fota_lat_during_ms_p95 = NAN;
    cs->fota_lat_targets_ms_mean = cs->fota_lat_targets_ms_p95 = NAN;
    for (uint32_t i = 0; i < c->n_devs; i++)
        c->dstats[i].fota_done_s = NAN;
    if (!f) return 0;
    const sim_time_t end = c->cfg.duration;
    const double t0 = sim_time_to_s(f->start), t_end = sim_time_to_s(end);
    size_t nbuf = f->lat_n > c->n_devs ? f->lat_n : c->n_devs;
    double *done = malloc((nbuf + 1) * sizeof *done);
    double *rj = malloc(((size_t)c->n_devs + 1) * sizeof *rj);
    if (!done || !rj) {
        free(done);
        free(rj);
        return -1;
    }
    size_t nd = 0, nr = 0;
    double mcu = 0, last = t0;
    cs->fota_targets = f->n_targets;
    for (uint32_t i = 0; i < c->n_devs; i++) {
        mac_device_stats *s = &c->dstats[i];
        const mac_dev *d = &c->devs[i];
        s->fota_status = f->status[i];
        s->fota_done_s = f->done_s[i];
        s->fota_radio_j = d->energy.proc_j[ENERGY_PROC_FOTA];
        s->fota_mcu_j = f->mcu_j[i];
        s->fota_blocks_missed = f->lost[i];
        if (f->status[i] == FS_NONE) continue;
        cs->fota_updated += f->status[i] == FS_DONE;
        cs->fota_failed += f->status[i] == FS_FAILED;
        cs->fota_pending += f->status[i] == FS_PENDING;
        if (f->status[i] == FS_DONE) {
            done[nd++] = f->done_s[i] - t0;
            if (f->done_s[i] > last) last = f->done_s[i];
        }
        rj[nr++] = s->fota_radio_j;
        mcu += f->mcu_j[i];
    }
    if (cs->fota_pending > 0) last = t_end; /* not over: the window runs to the end */
    /* the share updated at 20 instants from the start to the last
     * completion (the end of the run while targets are pending) */
    for (int k = 0; k < MAC_FOTA_CURVE_N; k++) {
        const double t = (last - t0) * (k + 1) / MAC_FOTA_CURVE_N;
        size_t m = 0;
        for (size_t j = 0; j < nd; j++)
            m += done[j] <= t;
        cs->fota_curve_t_s[k] = t;
        cs->fota_curve_share[k] = f->n_targets ? (double)m / f->n_targets : NAN;
    }
    if (nd > 0) {
        const lat_summary s = mac_lat_summary(done, nd); /* sorts */
        cs->fota_done_s_p50 = s.p50;
        cs->fota_done_s_max = s.max;
        const double h = 0.9 * (double)(nd - 1);
        const size_t lo = (size_t)h;
        cs->fota_done_s_p90 =
            lo + 1 < nd ? done[lo] + (h - (double)lo) * (done[lo + 1] - done[lo]) : done[lo];
    }
    if (nr > 0) {
        const lat_summary s = mac_lat_summary(rj, nr);
        cs->fota_radio_j_mean = s.mean;
        cs->fota_radio_j_p95 = s.p95;
        cs->fota_mcu_j_mean = mcu / (double)nr;
    }
    cs->fota_dl_s = c->fota_dl_us / 1e6;
    cs->fota_sessions = f->sessions;
    lat_window(f, 0, t0, 0, done, &cs->fota_lat_before_ms_mean, &cs->fota_lat_before_ms_p95, NULL);
    lat_window(f, t0, last, -1, done, &cs->fota_lat_during_ms_mean, &cs->fota_lat_during_ms_p95,
               &cs->fota_lat_during_n);
    lat_window(f, t0, last, 1, done, &cs->fota_lat_targets_ms_mean, &cs->fota_lat_targets_ms_p95,
               NULL);
    free(done);
    free(rj);
    return 0;
}

void campaign_close(mac_cell *c, sim_time_t end)
{
    if (c->fota) close_sessions(c, end);
}

void campaign_free(mac_cell *c)
{
    mac_fota *f = c->fota;
    if (!f) return;
    free(f->status);
    free(f->wait);
    free(f->done_s);
    free(f->mcu_j);
    free(f->missed);
    free(f->lost);
    free(f->heard);
    free(f->rx0);
    free(f->rx1);
    free(f->sid);
    free(f->queue);
    free(f->slot);
    free(f->qbytes);
    free(f->qpage);
    for (uint32_t i = 0; i < f->n_sess; i++)
        free(f->sess[i].rx);
    free(f->sess);
    free(f->lat_gen);
    free(f->lat_ms);
    free(f);
    c->fota = NULL;
}
