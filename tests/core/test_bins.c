/* test_bins.c: sim_bins (time series accumulators) against a brute-force
 * reference that walks every microsecond of every interval: spread amounts
 * land in each bin in proportion to the time of the interval inside it,
 * levels integrate to delta x time, edge cases (zero-length intervals,
 * clipping at 0 and at the span, a shorter last bin) as specified. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/core/sim.h"
#include "tests/check.h"

/* The reference: bin k gets amount x |[t0, t1) & bin k| / (t1 - t0), so
 * the part outside the span is not counted anywhere. */
static void ref_spread(double *ref, sim_time_t width, sim_time_t span, uint32_t n, sim_time_t t0,
                       sim_time_t t1, double amount)
{
    if (t1 <= t0) return;
    for (uint32_t k = 0; k < n; k++) {
        sim_time_t s = (sim_time_t)k * width, e = s + width < span ? s + width : span;
        sim_time_t lo = s > t0 ? s : t0, hi = e < t1 ? e : t1;
        if (hi > lo) ref[k] += amount * (double)(hi - lo) / (double)(t1 - t0);
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void test_random_spreads(sim_time_t width, sim_time_t span)
{
    sim_bins b;
    CHECK_EQ_INT(sim_bins_init(&b, width, span), 0);
    const uint32_t n = b.n;
    CHECK_EQ_INT(n, (span + width - 1) / width);
    double *ref = calloc(n, sizeof *ref), *got = calloc(n, sizeof *got);
    double total = 0;
    for (int i = 0; i < 2000; i++) {
        sim_time_t t0 = (sim_time_t)(next_u64() % (uint64_t)(span + 2 * width)) - width;
        sim_time_t len = (sim_time_t)(next_u64() % (uint64_t)(4 * width + 1));
        if (i % 7 == 0) len = (sim_time_t)(next_u64() % (uint64_t)span); /* long ones */
        double amount = (double)(next_u64() % 1000) / 7.0;
        sim_bins_spread(&b, t0, t0 + len, amount);
        ref_spread(ref, width, span, n, t0, t0 + len, amount);
        if (len == 0 && t0 >= 0 && t0 <= span) { /* a point amount: its bin */
            sim_time_t k = t0 / width;
            ref[k < (sim_time_t)n ? k : n - 1] += amount;
        }
    }
    sim_bins_total(&b, got);
    double worst = 0;
    for (uint32_t k = 0; k < n; k++) {
        double d = fabs(got[k] - ref[k]);
        worst = d > worst ? d : worst;
        total += ref[k];
    }
    /* sums of ~1e3 terms of ~1e2: rounding well below 1e-9 of the total */
    CHECK_MSG(worst <= 1e-9 * (total + 1), "width %lld span %lld: worst bin error %g",
              (long long)width, (long long)span, worst);
    free(ref);
    free(got);
    sim_bins_free(&b);
}

static void test_levels(void)
{
    /* span 10.5 bins of 1000 us: the last bin is 500 us long */
    sim_bins b;
    CHECK_EQ_INT(sim_bins_init(&b, 1000, 10500), 0);
    CHECK_EQ_INT(b.n, 11);
    sim_bins_level(&b, 2500, 1.0);  /* one device from 2.5 ms to the end */
    sim_bins_level(&b, 3000, 2.0);  /* two more from 3 ms ... */
    sim_bins_level(&b, 7250, -2.0); /* ... to 7.25 ms */
    sim_bins_level(&b, 20000, 5.0); /* after the span: nothing */
    double got[11];
    sim_bins_total(&b, got);
    const double want[11] = {0,    0,    500,  3000, 3000, 3000,
                             3000, 1500, 1000, 1000, 500}; /* device-us per bin */
    for (int k = 0; k < 11; k++)
        CHECK_NEAR(got[k], want[k], 1e-9);
    sim_bins_free(&b);
}

static void test_edges(void)
{
    sim_bins b;
    CHECK_EQ_INT(sim_bins_init(&b, 1000, 3000), 0);
    sim_bins_spread(&b, 0, 3000, 3.0);  /* whole span: 1 per bin */
    sim_bins_spread(&b, 1500, 1500, 7); /* an instant: its bin */
    sim_bins_spread(&b, 2999, 5003, 4); /* 1 us of 2004 inside: 4 / 2004 counted */
    sim_bins_spread(&b, -500, 500, 2);  /* 500 us of 1000 inside: 1 counted */
    sim_bins_add(&b, 3000, 0.5);        /* the end instant: the last bin */
    sim_bins_add(&b, -1, 0.25);         /* before 0: the first */
    double got[3];
    sim_bins_total(&b, got);
    CHECK_NEAR(got[0], 1 + 1 + 0.25, 1e-12);
    CHECK_NEAR(got[1], 1 + 7, 1e-12);
    CHECK_NEAR(got[2], 1 + 4.0 / 2004 + 0.5, 1e-12);
    sim_bins_free(&b);
    CHECK_EQ_INT(sim_bins_init(&b, 0, 10), -1);
    CHECK_EQ_INT(sim_bins_init(&b, 10, 0), -1);
}

int main(void)
{
    test_random_spreads(1000, 1000000);
    test_random_spreads(1000000, 86400000000LL / 1000); /* day-like: 86 bins */
    test_random_spreads(7, 1000);                       /* a short last bin (6 us) */
    test_levels();
    test_edges();
    return check_done();
}
