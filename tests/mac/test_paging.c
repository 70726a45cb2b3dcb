/* test_paging.c: network commands, paging capacity and PSM buffering.
 *
 * 1. Capacity: 300 DRX devices (T = 2.56 s) with nB = T/128, so only two
 *    paging frames per cycle (TS 36.304 7.1: N = min(T, nB) = 2), all get a
 *    command at the same instant: a paging message carries at most 16
 *    records, so records are deferred to later occasions (two messages per
 *    cycle carry 32) and the last commands wait ~9 cycles; every command is
 *    still delivered.
 * 2. Latency in DRX: commands at random times wait for the next occasion,
 *    on average half a cycle (1.28 s), plus the access: the mean latency
 *    lies between 1.28 s and 1.28 s + 2 s.
 * 3. PSM: a device that never wakes within the day (no reports, TAU beyond
 *    the day) keeps commands at most buffer_s: with a 60 s buffer all
 *    commands older than that at the end are lost; with PSM and a 1 h TAU
 *    every command is delivered at a TAU, after less than an hour.
 * Always: commands generated = delivered + lost + pending, per device.
 */
#include "mac/mac.h"
#include "tests/check.h"

#include <math.h>

static mac_run run(const mac_radio_cfg *r, const mac_group_cfg *g, sim_time_t dur)
{
    mac_run_cfg rc = {.radio = r,
                      .groups = g,
                      .n_groups = 1,
                      .duration = dur,
                      .seed = 21,
                      .queue = SIM_QUEUE_RADIX};
    mac_run out;
    sim_error err;
    sim_error_clear(&err);
    CHECK_MSG(mac_run_all(&rc, &out, &err) == SIM_OK, "%s", err.msg);
    return out;
}

static void base(mac_group_cfg *g, uint32_t n)
{
    mac_group_cfg_default(g);
    g->count = n;
    g->traffic.kind = TRAFFIC_NONE;
    g->coverage.kind = PHY_CL_FIXED;
    g->coverage.fixed_db = 135;
    g->rai = 1;
    g->idle.t3412_s = 35712000;
    g->downlink.traffic.payload.kind = PAYLOAD_FIXED;
    g->downlink.traffic.payload.bytes = 20;
}

static void books(const mac_run *r, uint64_t *gen, uint64_t *deliv, uint64_t *lost)
{
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(r->cells[0], &n);
    int bad = 0;
    *gen = *deliv = *lost = 0;
    for (uint32_t i = 0; i < n; i++) {
        bad += s[i].dl_generated != s[i].dl_delivered + s[i].dl_lost + s[i].dl_pending;
        *gen += s[i].dl_generated;
        *deliv += s[i].dl_delivered;
        *lost += s[i].dl_lost;
    }
    CHECK_EQ_INT(bad, 0);
}

int main(void)
{
    mac_radio_cfg r;
    mac_radio_cfg_default(&r);
    mac_group_cfg g;
    uint64_t gen, deliv, lost;

    /* 1. capacity */
    r.paging.nb = 9; /* T/128 */
    base(&g, 300);
    g.idle.psm = 0;
    g.downlink.traffic.kind = TRAFFIC_BURST_UNIFORM;
    g.downlink.traffic.start_s = 30;
    g.downlink.traffic.spread_s = 0;
    mac_run cap = run(&r, &g, 600 * SIM_S);
    const mac_cell_stats *cs = mac_cell_stats_get(cap.cells[0]);
    books(&cap, &gen, &deliv, &lost);
    printf("capacity: %llu commands, %llu records in %llu paging messages (%.1f per message), "
           "%llu deferrals, %llu delivered, latency mean %.1f s p95 %.1f s\n",
           (unsigned long long)gen, (unsigned long long)cs->paging_records,
           (unsigned long long)cs->paged_occasions,
           (double)cs->paging_records / (double)cs->paged_occasions,
           (unsigned long long)cs->paging_deferrals, (unsigned long long)deliv,
           cs->dl_latency_ms_mean / 1e3, cs->dl_latency_ms_p95 / 1e3);
    CHECK_EQ_INT(gen, 300);
    CHECK_EQ_INT(deliv, 300);
    CHECK(cs->paging_records <= 16 * cs->paged_occasions);
    CHECK(cs->paging_deferrals >= 300 - 2 * 16);
    /* two paging messages per 2.56 s cycle carry 32 records: the 95th
     * percentile command waits at least 0.95 x 300 / 32 - 1 cycles */
    CHECK(cs->dl_latency_ms_p95 >= (0.95 * 300 / 32 - 1) * 2560);
    mac_run_free(&cap);

    /* 2. DRX latency */
    mac_radio_cfg_default(&r);
    base(&g, 100);
    g.idle.psm = 0;
    g.downlink.traffic.kind = TRAFFIC_POISSON;
    g.downlink.traffic.mean_interval_s = 1800;
    mac_run drx = run(&r, &g, 86400 * SIM_S);
    cs = mac_cell_stats_get(drx.cells[0]);
    books(&drx, &gen, &deliv, &lost);
    printf("DRX 2.56 s: %llu commands, %llu delivered, latency mean %.2f s\n",
           (unsigned long long)gen, (unsigned long long)deliv, cs->dl_latency_ms_mean / 1e3);
    CHECK(gen > 4000);
    CHECK(deliv + 5 >= gen);
    CHECK(cs->dl_latency_ms_mean > 1280 && cs->dl_latency_ms_mean < 1280 + 2000);
    mac_run_free(&drx);

    /* 3a. PSM without a wake-up in the day: commands expire */
    mac_radio_cfg_default(&r);
    r.network.buffer_s = 60;
    base(&g, 50);
    g.idle.psm = 1;
    g.downlink.traffic.kind = TRAFFIC_POISSON;
    g.downlink.traffic.mean_interval_s = 3600;
    mac_run psm = run(&r, &g, 86400 * SIM_S);
    books(&psm, &gen, &deliv, &lost);
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(psm.cells[0], &n);
    uint32_t woke = 0;
    for (uint32_t i = 0; i < n; i++)
        woke += s[i].taus > 0;
    printf("PSM, 60 s buffer: %llu commands, %llu delivered, %llu lost (%u devices did a TAU)\n",
           (unsigned long long)gen, (unsigned long long)deliv, (unsigned long long)lost, woke);
    CHECK(gen > 500);
    CHECK(lost + 60 >= gen); /* only commands just before a (rare) TAU survive */
    mac_run_free(&psm);

    /* 3b. PSM with an hourly TAU and the default 1 h buffer */
    mac_radio_cfg_default(&r);
    g.idle.t3412_s = 3600;
    mac_run tau = run(&r, &g, 86400 * SIM_S);
    cs = mac_cell_stats_get(tau.cells[0]);
    books(&tau, &gen, &deliv, &lost);
    printf("PSM, TAU 1 h: %llu commands, %llu delivered, %llu lost, latency mean %.0f s\n",
           (unsigned long long)gen, (unsigned long long)deliv, (unsigned long long)lost,
           cs->dl_latency_ms_mean / 1e3);
    CHECK(lost == 0);
    CHECK(deliv + 60 >= gen); /* pending: arrived in the last hour */
    CHECK(cs->dl_latency_ms_mean > 1000e3 && cs->dl_latency_ms_mean < 3600e3);
    mac_run_free(&tau);
    return check_done();
}
