/* test_latlog.c: the delivery log (mac/latlog.c). Exact while small: its
 * summaries equal mean, p50, p95 (linear interpolation, numpy's default)
 * and max of the values; binned (from the start, or after the log filled
 * up and was compacted many times): every figure within +-0.5 % of the
 * exact one, per device and overall, including a bin holding more than
 * 65,535 latencies of one device and latencies beyond the last bin. */
#include "../check.h"
#include "mac/mac_internal.h"

#include <stdlib.h>
#include <string.h>

#define DEVS 50

/* deterministic pseudo-random latencies, 50 ms ... ~200 s, clustered per
 * device as real ones are (the device's coverage sets the scale) */
static double draw(uint64_t *x, uint32_t dev)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    double u = (double)(*x >> 11) / 9007199254740992.0;
    return (50.0 + 40.0 * dev) * (1.0 + 3.0 * u * u * u);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* exact reference from the values */
static lat_summary reference(double *v, size_t n)
{
    if (n == 0) return (lat_summary){NAN, NAN, NAN, NAN};
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    lat_summary s = {sum / (double)n, 0, 0, v[n - 1]};
    double q[2] = {0.5, 0.95};
    for (int k = 0; k < 2; k++) {
        double h = (double)(n - 1) * q[k];
        size_t lo = (size_t)h;
        double val = lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
        if (k == 0)
            s.p50 = val;
        else
            s.p95 = val;
    }
    return s;
}

static void check_rel(double got, double want, double tol, const char *what, int dev)
{
    if (isnan(want)) {
        CHECK_MSG(isnan(got), "%s device %d: %g, want NaN", what, dev, got);
        return;
    }
    CHECK_MSG(fabs(got / want - 1) <= tol, "%s device %d: %.9g, want %.9g (tol %g)", what, dev, got,
              want, tol);
}

static void check_summary(const lat_summary *got, const lat_summary *want, double tol, int dev)
{
    check_rel(got->mean, want->mean, tol, "mean", dev);
    check_rel(got->p50, want->p50, tol, "p50", dev);
    check_rel(got->p95, want->p95, tol, "p95", dev);
    check_rel(got->max, want->max, tol, "max", dev);
}

/* n latencies spread over the devices (device DEVS - 1 gets none) into a
 * log with the given limit; compares with the reference within tol. */
static void run(size_t n, size_t limit, int binned_from_start, double tol, int want_binned)
{
    lat_log l;
    CHECK(lat_log_init(&l, 100, limit, binned_from_start) == 0);
    double *vals[DEVS];
    size_t cnt[DEVS] = {0};
    for (int d = 0; d < DEVS; d++)
        vals[d] = malloc((n + 1) * sizeof **vals);
    double *all = malloc((n + 1) * sizeof *all);
    uint64_t x = 42;
    for (size_t i = 0; i < n; i++) {
        uint32_t d = (uint32_t)((i * 7 + (i >> 3)) % (DEVS - 1));
        double ms = (float)draw(&x, d); /* the log keeps floats */
        CHECK(lat_log_add(&l, d, ms) == 0);
        vals[d][cnt[d]++] = ms;
        all[i] = ms;
    }
    lat_summary per[DEVS], tot;
    CHECK(lat_log_summarize(&l, DEVS, per, &tot) == 0);
    CHECK(lat_log_binned(&l) == want_binned);
    for (int d = 0; d < DEVS; d++) {
        lat_summary r = reference(vals[d], cnt[d]);
        check_summary(&per[d], &r, tol, d);
        free(vals[d]);
    }
    lat_summary r = reference(all, n);
    check_summary(&tot, &r, tol, -1);
    free(all);
    lat_log_free(&l);
}

int main(void)
{
    /* exact: the same figures as the values give (to float rounding of
     * the sums) */
    run(3000, 1000000, 0, 1e-12, 0);
    /* binned from the start, and after filling up: 200,000 latencies
     * through a 4,096-entry log, 48 compactions */
    run(3000, 1000000, 1, 0.005, 1);
    run(200000, 4096, 0, 0.005, 1);

    /* one device, one bin, more than 65,535 latencies: runs split, counts
     * add up; a latency beyond the last bin counts as the last bin's */
    lat_log l;
    CHECK(lat_log_init(&l, 0, 4096, 1) == 0);
    for (int i = 0; i < 70000; i++)
        CHECK(lat_log_add(&l, 0, 1000.0) == 0);
    CHECK(lat_log_add(&l, 1, 5e8) == 0);
    lat_summary per[2], tot;
    CHECK(lat_log_summarize(&l, 2, per, &tot) == 0);
    check_rel(per[0].mean, 1000.0, 0.005, "mean one bin", 0);
    check_rel(per[0].p95, 1000.0, 0.005, "p95 one bin", 0);
    CHECK(per[1].max < 5e8 && per[1].max > 1.6e8); /* clamped: 47 h */
    check_rel(tot.p50, 1000.0, 0.005, "overall p50", -1);
    lat_log_free(&l);

    /* no deliveries: NaN everywhere, both ways */
    for (int b = 0; b < 2; b++) {
        CHECK(lat_log_init(&l, 0, 0, b) == 0);
        CHECK(lat_log_summarize(&l, 2, per, &tot) == 0);
        CHECK(isnan(per[0].mean) && isnan(per[1].p95) && isnan(tot.max));
        lat_log_free(&l);
    }
    return check_done();
}
