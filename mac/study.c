/* study.c: an LTE-M cell evaluated as TR 37.868 does: each device's first
 * report starts one random access (mac/rach.c) and nothing else is
 * simulated. The cell was built as usual (devices, coverage, traffic) and
 * run with no events, so every device is booked idle for the whole time:
 * energy is not part of this evaluation. Results go into the usual
 * statistics: a report counts as delivered when its access completed and
 * failed when it did not, its latency is the access delay, and the random
 * access figures fill the cell's ra_* fields and CE level 0. */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STUDY_PURPOSE 41 /* RNG purpose of the study's key */

/* Each PRACH opportunity's transmissions, collisions and detections at
 * its subframe (CE level 0: the study's one level). */
typedef struct study_ts {
    mac_tseries *t;
    sim_time_t end;
    uint64_t detected; /* every opportunity's, for /cells */
} study_ts;

static void study_opportunity(void *ctx, int64_t sf, uint32_t tx, uint32_t collided,
                              uint32_t detected)
{
    study_ts *st = ctx;
    mac_tseries *t = st->t;
    st->detected += detected;
    /* after the simulated time (the study runs every device to its end):
     * outside the series, as the outcomes then are */
    if (!t->n || sf * SIM_MS >= st->end) return;
    uint32_t *row = mac_ts_row(t->count, t->bin, t->n, sf * SIM_MS);
    row[MAC_TS_CE_PREAMBLES] += tx;
    row[MAC_TS_CE_COLLIDED] += collided;
    row[MAC_TS_CE_DETECTED] += detected;
}

/* The study's outcomes in the time series: reports at their arrival,
 * access outcomes (and the reports they decide) when they happen;
 * opportunities as study_opportunity counts them. The study has no loads
 * or energy: those bins are NaN (not evaluated). */
static void study_series(const mac_cell *c, mac_tseries *t, const uint32_t *idx,
                         const double *delay, const int64_t *endsf, uint32_t m)
{
    if (!t->n) return;
    for (uint32_t k = 0; k < 4 * t->n; k++)
        t->ul_busy[k] = NAN; /* ul, dl, connected and energy are one block */
    for (uint32_t j = 0; j < m; j++) {
        mac_ts_row(t->count, t->bin, t->n, c->devs[idx[j]].next_report)[MAC_TS_REPORTS_GENERATED]++;
        const sim_time_t out = endsf[j] * SIM_MS;
        if (out > c->cfg.duration) continue; /* pending at the end */
        uint32_t *row = mac_ts_row(t->count, t->bin, t->n, out);
        const int ok = delay[j] >= 0;
        row[ok ? MAC_TS_CE_SUCCESSES : MAC_TS_CE_FAILURES]++;
        row[ok ? MAC_TS_REPORTS_DELIVERED : MAC_TS_REPORTS_FAILED]++;
    }
}

int mac_cell_rach_study(mac_cell *c, sim_error *err)
{
    const uint32_t n = c->n_devs;
    const sim_time_t end = c->cfg.duration;
    double *arr = malloc((n ? n : 1) * sizeof *arr);
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    double *delay = malloc((n ? n : 1) * sizeof *delay);
    double *ok_delay = malloc((n ? n : 1) * sizeof *ok_delay);
    uint8_t *tx = malloc(n ? n : 1);
    int64_t *endsf = malloc((n ? n : 1) * sizeof *endsf);
    mac_rach_result *res = malloc(sizeof *res);
    int rc = SIM_OK;
    if (!arr || !idx || !delay || !ok_delay || !tx || !endsf || !res) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory in the TR 37.868 study");
        goto out;
    }
    /* devices whose first report falls in the simulated time, in index order */
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        if (c->devs[i].next_report < end) {
            idx[m] = i;
            arr[m++] = sim_time_to_ms(c->devs[i].next_report);
        }
    /* the evaluation's seed drawn from the cell's stream, so replications
     * and cells differ; device streams are keyed inside mac_rach_run */
    sim_rng sr = mac_rng(c, 0, STUDY_PURPOSE, 0);
    uint64_t seed = sim_rng_u64(&sr);
    /* the event run counted nothing of the study's: its series starts empty */
    if (c->tsout.n)
        memset(c->tsout.count, 0, (size_t)c->tsout.n * MAC_TS_COUNTERS * sizeof(uint32_t));
    study_ts st = {.t = &c->tsout, .end = end};
    if (mac_rach_run_opp(&c->r.rach, arr, m, seed, res, delay, tx, endsf, study_opportunity, &st) !=
        0) {
        rc = sim_error_set(err, SIM_ERR_INPUT, "cell.rach: parameters the evaluation cannot run");
        goto out;
    }
    mac_cell_stats *cs = &c->cstats;
    size_t nok = 0;
    /* energy is not evaluated: no power or battery life to report */
    for (uint32_t i = 0; i < n; i++) {
        c->dstats[i].avg_power_mw = NAN;
        c->dstats[i].battery_life_years = NAN;
        c->dstats[i].occasions = c->dstats[i].wus_monitored = 0;
    }
    cs->reports_generated = cs->reports_delivered = cs->reports_failed = cs->reports_pending = 0;
    for (uint32_t j = 0; j < m; j++) {
        const uint32_t i = idx[j];
        const int ok = delay[j] >= 0;
        /* the outcome must fall in the simulated time to count (TR 37.868
         * runs until every device is done: give the run enough time) */
        const int done = endsf[j] * SIM_MS <= end;
        mac_device_stats *s = &c->dstats[i];
        s->reports_generated = 1;
        s->reports_delivered = ok && done;
        s->reports_failed = !ok && done;
        s->reports_pending = !done;
        s->preambles = tx[j];
        s->ra_failures = !ok && done;
        s->occasions = s->wus_monitored = s->pages = s->taus = 0;
        s->latency_ms_mean = s->latency_ms_p50 = s->latency_ms_p95 = s->latency_ms_max =
            ok && done ? delay[j] : NAN;
        if (ok && done) ok_delay[nok++] = delay[j];
        cs->reports_generated++;
        cs->reports_delivered += ok && done;
        cs->reports_failed += !ok && done;
        cs->reports_pending += !done;
    }
    lat_summary ls = mac_lat_summary(ok_delay, nok);
    cs->latency_ms_mean = ls.mean;
    cs->latency_ms_p50 = ls.p50;
    cs->latency_ms_p95 = ls.p95;
    cs->latency_ms_max = ls.max;
    memset(cs->ce, 0, sizeof cs->ce);
    cs->ce[0].opportunities = res->opportunities;
    cs->ce[0].preambles = res->preamble_tx;
    cs->ce[0].collided = res->preamble_collided;
    cs->ce[0].collided_preambles = res->collided_preambles;
    cs->ce[0].detected = st.detected; /* distinct preambles heard (was left 0) */
    cs->ce[0].successes = res->successes;
    cs->ce[0].failures = res->failures;
    cs->ra_successes = res->successes;
    cs->ra_failures = res->failures;
    cs->ra_collision_prob = res->collision_prob;
    cs->ra_success_prob = res->devices ? (double)res->successes / (double)res->devices : NAN;
    cs->ra_mean_tx = res->mean_preamble_tx;
    cs->ra_delay_ms_mean = res->mean_delay_ms;
    cs->ra_delay_ms_p95 = res->delay_p95_ms;
    memcpy(cs->ra_delay_cdf, res->delay_cdf, sizeof cs->ra_delay_cdf);
    study_series(c, &c->tsout, idx, delay, endsf, m);
out:
    free(arr);
    free(idx);
    free(delay);
    free(ok_delay);
    free(tx);
    free(endsf);
    free(res);
    return rc;
}
