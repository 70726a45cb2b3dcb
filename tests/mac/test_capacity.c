/* test_capacity.c: a loaded cell keeps its books, and overload behaves as
 * TR 37.868 describes.
 *
 * Devices report in a TR 37.868 model 2 burst (Beta(3,4) over 10 s) into
 * one cell. Always asserted: reports generated = delivered + dropped +
 * failed + pending for every device; every device's time-state buckets sum
 * to the simulated time exactly; the downlink is reserved at most 100 % of
 * the time and the uplink at most 12 tones x the time. With 24 preambles
 * per 160 ms at CE level 0 the access succeeds at most ~24/e per
 * opportunity (slotted ALOHA), ~55 devices/s. 400 devices (peak ~85/s): the
 * access copes (>= 99 % delivered, thanks to retries) but collisions happen
 * and queueing stretches the latency tail. 8,000 devices (~130 per
 * opportunity): with the 256 ms backoff, retries
 * collide again and most devices exhaust preambleTransMax; the largest
 * backoff (524 s) spreads the retries and most reports get through.
 */
#include "mac/mac.h"
#include "tests/check.h"

typedef struct outcome {
    uint64_t delivered, failed, collided;
    double p50, p95;
} outcome;

static outcome burst(uint32_t devices, double backoff_ms, sim_time_t end)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default(&radio);
    radio.backoff_ms = backoff_ms;
    mac_group_cfg g;
    mac_group_cfg_default(&g);
    g.count = devices;
    g.traffic.kind = TRAFFIC_BURST_BETA;
    g.traffic.start_s = 0;
    g.traffic.spread_s = 10;
    g.traffic.beta_a = 3;
    g.traffic.beta_b = 4;
    g.rai = 1;
    mac_run_cfg rc = {.radio = &radio,
                      .groups = &g,
                      .n_groups = 1,
                      .duration = end,
                      .seed = 11,
                      .queue = SIM_QUEUE_RADIX};
    mac_run run;
    sim_error err;
    sim_error_clear(&err);
    CHECK(mac_run_all(&rc, &run, &err) == SIM_OK);
    const mac_cell_stats *cs = mac_cell_stats_get(run.cells[0]);
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(run.cells[0], &n);
    int bad_books = 0, bad_time = 0;
    for (uint32_t i = 0; i < n; i++) {
        bad_books += s[i].reports_generated != s[i].reports_delivered + s[i].reports_dropped +
                                                   s[i].reports_failed + s[i].reports_pending;
        bad_time += energy_total_time_us(&s[i].energy) != end;
    }
    CHECK_EQ_INT(bad_books, 0);
    CHECK_EQ_INT(bad_time, 0);
    CHECK_EQ_INT(cs->reports_generated, devices);
    double T = sim_time_to_s(end);
    CHECK(cs->dl_busy_s <= T);
    CHECK(cs->ul_busy_tone_s <= 12 * T);
    outcome o = {cs->reports_delivered, cs->reports_failed,
                 cs->ce[0].collided + cs->ce[1].collided + cs->ce[2].collided, cs->latency_ms_p50,
                 cs->latency_ms_p95};
    printf("burst of %u, BI %.0f ms: delivered %llu, failed %llu, collided preambles %llu, "
           "latency p50 %.0f ms p95 %.0f ms, downlink busy %.1f s, uplink %.1f tone-s of %.0f s\n",
           devices, backoff_ms, (unsigned long long)o.delivered, (unsigned long long)o.failed,
           (unsigned long long)o.collided, o.p50, o.p95, cs->dl_busy_s, cs->ul_busy_tone_s, T);
    mac_run_free(&run);
    return o;
}

int main(void)
{
    outcome ok = burst(400, 256, 600 * SIM_S);
    CHECK(ok.delivered >= 396);
    CHECK(ok.collided > 20);
    CHECK(ok.p95 > 2 * ok.p50);
    outcome over = burst(8000, 256, 600 * SIM_S);
    CHECK(over.failed > 4000);
    outcome spread = burst(8000, 524288, 3 * 3600 * SIM_S);
    CHECK(spread.delivered > 7000);
    CHECK(spread.failed < over.failed / 2);
    return check_done();
}
