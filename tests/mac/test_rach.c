/* test_rach.c: LTE random access (mac/rach.c) against hand-worked
 * timelines, closed forms and the TR 37.868 evaluation.
 *
 * - One device, always detected, no HARQ errors (prach-ConfigIndex 6):
 *   arrives at 0, preamble in subframe 1, RAR window from 1 + 3 = 4 (RAR
 *   processing 2 allows 4 too), Msg3 at 4 + 6 = 10, Msg4 at 10 + 4 = 14,
 *   done at the end of 14: delay 15 - 1 = 14 ms, one transmission.
 * - Msg3 always lost, backoff 0: an attempt at s fails when the
 *   contention-resolution timer started by the fifth Msg3 expires,
 *   s + 3 + 6 + 4 x 8 + 48 = s + 89; the next opportunity is s + 90; ten
 *   attempts at 1, 91, ..., 811 and the failure at 900.
 * - One preamble, two devices, backoff 0: they collide at every attempt
 *   (no RAR, window over at s + 8, next opportunity s + 10): ten attempts
 *   at 1 ... 91, failure at 99, collision probability 10 collided pairs over
 *   20 opportunities x 1 preamble = 0.5.
 * - Light load (TR 37.868 Model 1, 1,000 devices): mean preamble
 *   transmissions equal the detection-only closed form
 *   sum_k prod_{i<=k} e^-i = 1.42019 within 5 standard errors.
 * - TR 37.868 Model 1 at 5,000 devices: every device gets access.
 * - TR 37.868 Model 2: access success never rises with devices (1,000 ...
 *   30,000), is 100 % at 1,000 and falls below 90 % of the 10,000-device
 *   figure at 30,000; collision probability and mean transmissions grow
 *   strictly.
 * - Collisions per opportunity with n contenders equal 1 - (1 - 1/54)^(n-1)
 *   (Model 2, 30,000 devices, every n with at least 200 transmissions),
 *   within 5 standard errors counted per opportunity (conservative: the
 *   collided share of one opportunity has variance at most p(1 - p)).
 * - Delay CDF: zero below 14 ms, non-decreasing, ending at the success
 *   share; at light load P(delay <= 20 ms) = (1 - e^-1) x 0.9 x 0.9 = 0.5120
 *   (first attempt heard, Msg3 and Msg4 pass first time) within 5 SE. */
#include "mac/mac.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/check.h"

static double *arrivals(int model, uint32_t n, uint64_t seed)
{
    double *a = malloc(n * sizeof *a);
    for (uint32_t i = 0; i < n; i++) {
        sim_rng r;
        sim_rng_key k = {.seed = seed, .device = i, .purpose = 41};
        sim_rng_init(&r, &k);
        /* TR 37.868 Model 1: uniform over 60 s; Model 2: Beta(3, 4) over 10 s. */
        a[i] = model == 1 ? sim_rng_range(&r, 0, 60000) : 10000 * sim_rng_beta(&r, 3, 4);
    }
    return a;
}

static void timelines(void)
{
    mac_rach_cfg c;
    mac_rach_default(&c);
    c.detect_always = 1;
    c.harq_error = 0;
    double a = 0, delay;
    uint8_t tx;
    int64_t end;
    mac_rach_result r;
    CHECK_EQ_INT(mac_rach_run(&c, &a, 1, 1, &r, &delay, &tx, &end), 0);
    CHECK_EQ_INT(r.successes, 1);
    CHECK_NEAR(delay, 14.0, 0);
    CHECK_EQ_INT(tx, 1);
    CHECK_EQ_INT(end, 15);

    c.harq_error = 1;
    c.backoff_ms = 0;
    CHECK_EQ_INT(mac_rach_run(&c, &a, 1, 1, &r, &delay, &tx, &end), 0);
    CHECK_EQ_INT(r.failures, 1);
    CHECK_EQ_INT(tx, 10);
    CHECK_EQ_INT(end, 900);
    CHECK(delay < 0);

    mac_rach_default(&c);
    c.detect_always = 1;
    c.preambles = 1;
    c.backoff_ms = 0;
    double two[2] = {0, 0.5};
    double d2[2];
    uint8_t t2[2];
    int64_t e2[2];
    CHECK_EQ_INT(mac_rach_run(&c, two, 2, 1, &r, d2, t2, e2), 0);
    CHECK_EQ_INT(r.failures, 2);
    CHECK_EQ_INT(t2[0], 10);
    CHECK_EQ_INT(t2[1], 10);
    CHECK_EQ_INT(e2[0], 99);
    CHECK_EQ_INT(r.preamble_collided, 20);
    CHECK_EQ_INT(r.opportunities, 20);
    CHECK_NEAR(r.collision_prob, 0.5, 1e-12);

    /* Bad input is refused. */
    double bad = -1;
    CHECK_EQ_INT(mac_rach_run(&c, &bad, 1, 1, &r, NULL, NULL, NULL), -1);
    c.prach_config_index = 30;
    CHECK_EQ_INT(mac_rach_run(&c, &a, 1, 1, &r, NULL, NULL, NULL), -1);
}

static void light_load(void)
{
    const uint32_t n = 1000;
    double *a = arrivals(1, n, 7);
    double *d = malloc(n * sizeof *d);
    uint8_t *tx = malloc(n);
    mac_rach_cfg c;
    mac_rach_default(&c);
    mac_rach_result r;
    CHECK_EQ_INT(mac_rach_run(&c, a, n, 7, &r, d, tx, NULL), 0);
    CHECK_EQ_INT(r.successes, n);
    double want = 0, prod = 1;
    for (int k = 0; k < 10; k++) {
        want += prod;
        prod *= exp(-(double)(k + 1));
    }
    double s = 0, s2 = 0;
    for (uint32_t i = 0; i < n; i++) {
        s += tx[i];
        s2 += (double)tx[i] * tx[i];
    }
    double mean = s / n, se = sqrt((s2 / n - mean * mean) / n);
    printf("light load: mean preamble tx %.4f, closed form %.5f (5 SE %.4f)\n", mean, want, 5 * se);
    CHECK_NEAR(r.mean_preamble_tx, mean, 1e-12);
    CHECK_NEAR(mean, want, 5 * se);
    free(a);
    free(d);
    free(tx);
}

static void tr37868(void)
{
    const uint32_t sizes[4] = {1000, 5000, 10000, 30000};
    double prev = 2, prev_coll = -1, prev_tx = 0;
    mac_rach_cfg c;
    mac_rach_default(&c);
    printf("model devices  collision %%  success %%  mean tx  delay mean/p50/p95/max ms\n");
    for (int model = 1; model <= 2; model++)
        for (int k = 0; k < 4; k++) {
            uint32_t n = sizes[k];
            double *a = arrivals(model, n, 11);
            mac_rach_result r;
            CHECK_EQ_INT(mac_rach_run(&c, a, n, 11, &r, NULL, NULL, NULL), 0);
            CHECK_EQ_INT(r.successes + r.failures, n);
            double succ = (double)r.successes / n;
            printf("%5d %7u  %10.4f %10.2f %8.3f  %.1f / %.0f / %.0f / %.0f\n", model, n,
                   100 * r.collision_prob, 100 * succ, r.mean_preamble_tx, r.mean_delay_ms,
                   r.delay_p50_ms, r.delay_p95_ms, r.delay_max_ms);
            if (model == 1 && n == 5000) CHECK_EQ_INT(r.successes, n);
            /* The delay CDF: non-decreasing, no mass below the 14 ms
             * minimum (one attempt without HARQ retransmission), reaching
             * the success share once past the largest delay. */
            CHECK_NEAR(r.delay_cdf[0], 0.0, 0);
            CHECK_NEAR(r.delay_cdf[1], 0.0, 0);
            for (int q = 1; q < MAC_RACH_CDF_N; q++)
                CHECK(r.delay_cdf[q] >= r.delay_cdf[q - 1]);
            if (r.delay_max_ms <= (MAC_RACH_CDF_N - 1) * MAC_RACH_CDF_STEP_MS)
                CHECK_NEAR(r.delay_cdf[MAC_RACH_CDF_N - 1], succ, 1e-12);
            /* Light load: access within 20 ms means a first attempt heard
             * (1 - e^-1) whose Msg3 and Msg4 pass first time (0.9 each):
             * 0.5120 of devices, within 5 binomial standard errors. */
            if (model == 1 && n == 1000) {
                double p = (1 - exp(-1.0)) * 0.9 * 0.9;
                CHECK_NEAR(r.delay_cdf[2], p, 5 * sqrt(p * (1 - p) / n));
            }
            if (model == 2) {
                if (n == 1000) CHECK_EQ_INT(r.successes, n);
                /* Never rises; strictly falls once the load saturates. */
                CHECK_MSG(succ <= prev, "model 2 success %.4f at %u devices, %.4f before", succ, n,
                          prev);
                CHECK_MSG(r.collision_prob > prev_coll && r.mean_preamble_tx > prev_tx,
                          "model 2 collisions and transmissions grow with devices");
                if (n == 30000) CHECK(succ < 0.9 * prev);
                prev = succ;
                prev_coll = r.collision_prob;
                prev_tx = r.mean_preamble_tx;
            }
            if (model == 2 && n == 30000) {
                int checked = 0;
                for (int b = 2; b < MAC_RACH_NBINS - 1; b++) {
                    if (r.bin_tx[b] < 200) continue;
                    double p = 1 - pow(1 - 1.0 / c.preambles, b - 1);
                    double got = (double)r.bin_collided[b] / (double)r.bin_tx[b];
                    double opp = (double)r.bin_tx[b] / b;
                    double se = sqrt(p * (1 - p) / opp);
                    CHECK_MSG(fabs(got - p) <= 5 * se + 1e-12,
                              "n = %d: collided share %.4f, closed form %.4f, 5 SE %.4f", b, got, p,
                              5 * se);
                    checked++;
                }
                CHECK(checked >= 10);
            }
            free(a);
        }
}

int main(void)
{
    timelines();
    light_load();
    tr37868();
    return check_done();
}
