/* test_ra_closed_form.c: NPRACH contention against the closed form.
 *
 * N devices that all become ready before the same opportunity each pick one
 * of K subcarriers uniformly: a device is alone with probability
 * (1 - 1/K)^(N - 1), and the number of distinct subcarriers used is
 * K (1 - (1 - 1/K)^N). The run stops before any contention-resolution timer
 * can expire, so every preamble counted is a first attempt. Devices sit at
 * 120 dB, where detection is certain, so every used subcarrier is detected.
 * Each (N, K) is replicated R = 2000 times (independent streams); the mean over
 * replications must be within 5 standard errors (plus 0.002) of the closed
 * form.
 */
#include "mac/mac.h"
#include "tests/check.h"

#include <math.h>
#include <stdlib.h>

typedef struct ra_sample {
    double collided_share; /* collided preambles / preambles */
    double detected;       /* distinct preambles detected */
    uint64_t preambles;
} ra_sample;

static ra_sample run_once(int N, int K, uint32_t rep)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default(&radio);
    radio.n_ce = 1;
    radio.ce[0].subcarriers = K;
    /* Received target well above the calibrated NPRACH need (99 % at about
     * 11.7 dB with 2 repetitions): detection is certain, as the closed form
     * assumes (the default -120 dBm misses about 0.5 % of first attempts). */
    radio.preamble_target_dbm = -110;
    mac_group_cfg g;
    mac_group_cfg_default(&g);
    g.count = (uint32_t)N;
    g.traffic.kind = TRAFFIC_BURST_UNIFORM; /* every report at t = 0 */
    g.traffic.start_s = 0;
    g.traffic.spread_s = 0;
    g.coverage.kind = PHY_CL_FIXED;
    g.coverage.fixed_db = 120;
    /* t = 0: sync 100 ms, opportunity at 168 ms, preamble 11.2 ms, RAR, Msg3;
     * contention resolution (512 ms) cannot expire before 700 ms. */
    mac_cell_cfg cc = {.radio = &radio,
                       .groups = &g,
                       .n_groups = 1,
                       .duration = 700 * SIM_MS,
                       .seed = 42,
                       .replication = rep};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 256};
    sim_engine *e = sim_engine_create(&ec, &err);
    mac_cell *c = mac_cell_create(&cc, e, &err);
    ra_sample s = {0, 0, 0};
    if (!e || !c) {
        CHECK_MSG(0, "setup failed: %s", err.msg);
        return s;
    }
    CHECK_EQ_INT(sim_engine_run(e, cc.duration, &err), SIM_OK);
    CHECK_EQ_INT(mac_cell_finish(c, &err), SIM_OK);
    const mac_cell_stats *st = mac_cell_stats_get(c);
    s.preambles = st->ce[0].preambles;
    s.collided_share = (double)st->ce[0].collided / (double)st->ce[0].preambles;
    s.detected = (double)st->ce[0].detected;
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return s;
}

static void check_case(int N, int K, int R)
{
    double sum = 0, sum2 = 0, dsum = 0, dsum2 = 0;
    uint64_t total = 0;
    for (int r = 0; r < R; r++) {
        ra_sample s = run_once(N, K, (uint32_t)r);
        total += s.preambles;
        sum += s.collided_share;
        sum2 += s.collided_share * s.collided_share;
        dsum += s.detected;
        dsum2 += s.detected * s.detected;
    }
    /* every device sends exactly one preamble */
    CHECK_EQ_INT(total, (uint64_t)N * (uint64_t)R);
    double q = 1.0 - 1.0 / K;
    double want = 1.0 - pow(q, N - 1);
    double mean = sum / R, se = sqrt(fmax(sum2 / R - mean * mean, 0) / R);
    double dwant = K * (1.0 - pow(q, N));
    double dmean = dsum / R, dse = sqrt(fmax(dsum2 / R - dmean * dmean, 0) / R);
    printf("N %3d K %2d: collided share %.4f (closed form %.4f, se %.4f), distinct preambles "
           "%.3f (closed form %.3f)\n",
           N, K, mean, want, se, dmean, dwant);
    CHECK_NEAR(mean, want, 5 * se + 0.002);
    CHECK_NEAR(dmean, dwant, 5 * dse + 0.01);
}

int main(void)
{
    /* A single device never collides. */
    ra_sample one = run_once(1, 12, 0);
    CHECK_EQ_INT(one.preambles, 1);
    CHECK(one.collided_share == 0.0);
    static const int Ns[] = {2, 5, 10, 20, 40};
    static const int Ks[] = {12, 48};
    for (int k = 0; k < 2; k++)
        for (int n = 0; n < 5; n++)
            check_case(Ns[n], Ks[k], 2000);
    return check_done();
}
