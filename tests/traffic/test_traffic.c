/* test_traffic.c: arrival processes and payloads against closed forms.
 *
 * Statistical checks use 5 standard errors (false alarm ~6e-7 per check);
 * the streams are fixed, so the outcome is reproducible anyway. */
#include "traffic/traffic.h"

#include <math.h>
#include <string.h>

#include "tests/check.h"

#define NSE 5.0 /* tolerance in standard errors */

enum { PURPOSE_TRAFFIC = 1 };

static void rng_for(sim_rng *r, uint64_t seed, uint32_t device)
{
    sim_rng_key k = {.seed = seed,
                     .replication = 0,
                     .cell = 0,
                     .device = device,
                     .purpose = PURPOSE_TRAFFIC,
                     .substream = 0};
    sim_rng_init(r, &k);
}

/* Running mean and variance (Welford). */
typedef struct {
    double n, mean, m2;
} stats;

static void stats_add(stats *s, double x)
{
    s->n++;
    double d = x - s->mean;
    s->mean += d / s->n;
    s->m2 += d * (x - s->mean);
}

static double stats_var(const stats *s)
{
    return s->m2 / (s->n - 1);
}

static void test_defaults(void)
{
    traffic_cfg c;
    traffic_cfg_default(&c);
    CHECK(c.kind == TRAFFIC_TR45820_MIX);
    CHECK_EQ_INT(c.random_phase, 1);
    CHECK(c.period_s == 3600 && c.mean_interval_s == 3600);
    CHECK(c.start_s == 0 && c.spread_s == 60);
    CHECK(c.beta_a == 3 && c.beta_b == 4);
    CHECK_EQ_INT(c.mix_count, 4);
    CHECK(c.mix_share[0] == 0.40 && c.mix_share[1] == 0.40 && c.mix_share[2] == 0.15 &&
          c.mix_share[3] == 0.05);
    CHECK(c.mix_period_s[0] == 86400 && c.mix_period_s[1] == 7200 && c.mix_period_s[2] == 3600 &&
          c.mix_period_s[3] == 1800);
    CHECK(c.payload.kind == PAYLOAD_PARETO);
    CHECK(c.payload.shape == 2.5 && c.payload.min_bytes == 20 && c.payload.max_bytes == 200);
    CHECK(c.payload.bytes == 100);

    const char *field = NULL;
    char why[128] = "";
    CHECK_EQ_INT(traffic_cfg_check(&c, &field, why, sizeof why), 0);

    CHECK(strcmp(traffic_kind_name(TRAFFIC_PERIODIC), "periodic") == 0);
    CHECK(strcmp(traffic_kind_name(TRAFFIC_POISSON), "poisson") == 0);
    CHECK(strcmp(traffic_kind_name(TRAFFIC_BURST_UNIFORM), "burst_uniform") == 0);
    CHECK(strcmp(traffic_kind_name(TRAFFIC_BURST_BETA), "burst_beta") == 0);
    CHECK(strcmp(traffic_kind_name(TRAFFIC_TR45820_MIX), "tr45820_mix") == 0);
    CHECK(strcmp(traffic_kind_name(TRAFFIC_NONE), "none") == 0);
    CHECK(strcmp(payload_kind_name(PAYLOAD_FIXED), "fixed") == 0);
    CHECK(strcmp(payload_kind_name(PAYLOAD_UNIFORM), "uniform") == 0);
    CHECK(strcmp(payload_kind_name(PAYLOAD_PARETO), "pareto") == 0);
}

static void test_periodic(void)
{
    traffic_cfg c;
    traffic_cfg_default(&c);
    c.kind = TRAFFIC_PERIODIC;
    c.period_s = 3600;
    const sim_time_t period = 3600 * SIM_S, t0 = 7 * SIM_S;
    const int n = 20000;
    stats s = {0};
    int in_range = 1, spacing_ok = 1;
    for (int d = 0; d < n; d++) {
        sim_rng r;
        rng_for(&r, 11, (uint32_t)d);
        traffic_state st;
        traffic_device_init(&c, &st, &r, t0);
        sim_time_t phase = st.next - t0;
        if (phase < 0 || phase >= period || st.period != period) in_range = 0;
        stats_add(&s, sim_time_to_s(phase));
        if (d < 100) {
            for (int k = 1; k <= 50; k++) {
                sim_time_t prev = st.next;
                traffic_advance(&c, &st, &r);
                if (st.next - prev != period) spacing_ok = 0;
            }
        }
    }
    CHECK(in_range);
    CHECK(spacing_ok);
    /* Phase uniform on [0, 3600 s): mean 1800 s, variance 3600^2 / 12. */
    double sd = 3600 / sqrt(12.0);
    CHECK_NEAR(s.mean, 1800, NSE * sd / sqrt(n));
    /* Var of the sample variance of a uniform: (mu4 - sigma^4) / n with
     * mu4 = w^4 / 80, sigma^4 = w^4 / 144. */
    double w4 = pow(3600, 4);
    CHECK_NEAR(stats_var(&s), 3600.0 * 3600 / 12, NSE * sqrt((w4 / 80 - w4 / 144) / n));

    /* Without random phase: first report at t0 + start_s, then every period. */
    c.random_phase = 0;
    c.start_s = 12.5;
    sim_rng r;
    rng_for(&r, 11, 999999);
    traffic_state st;
    traffic_device_init(&c, &st, &r, t0);
    CHECK_EQ_INT(st.next, t0 + 12500000);
    traffic_advance(&c, &st, &r);
    CHECK_EQ_INT(st.next, t0 + 12500000 + period);

    /* Same key, same draw; another device, another phase. */
    c.random_phase = 1;
    sim_rng r1, r2, r3;
    rng_for(&r1, 11, 5);
    rng_for(&r2, 11, 5);
    rng_for(&r3, 11, 6);
    traffic_state a, b, e;
    traffic_device_init(&c, &a, &r1, 0);
    traffic_device_init(&c, &b, &r2, 0);
    traffic_device_init(&c, &e, &r3, 0);
    CHECK_EQ_INT(a.next, b.next);
    CHECK(a.next != e.next);

    CHECK_NEAR(traffic_mean_rate(&c), 1.0 / 3600, 1e-18);
}

static void test_poisson(void)
{
    traffic_cfg c;
    traffic_cfg_default(&c);
    c.kind = TRAFFIC_POISSON;
    c.mean_interval_s = 10;
    const sim_time_t horizon = 1000000 * SIM_S; /* expect 1e5 reports */
    sim_rng r;
    rng_for(&r, 12, 0);
    traffic_state st;
    traffic_device_init(&c, &st, &r, 0);
    long count = 0;
    int increasing = 1;
    stats gaps = {0};
    while (st.next < horizon) {
        count++;
        sim_time_t prev = st.next;
        traffic_advance(&c, &st, &r);
        if (st.next <= prev) increasing = 0;
        stats_add(&gaps, sim_time_to_s(st.next - prev));
    }
    CHECK(increasing);
    double want = 1e5;
    CHECK_NEAR((double)count, want, NSE * sqrt(want));
    /* Exponential gaps: mean 10 s, variance 100 s^2 (4th central moment 9 m^4). */
    CHECK_NEAR(gaps.mean, 10, NSE * 10 / sqrt(gaps.n));
    CHECK_NEAR(stats_var(&gaps), 100, NSE * sqrt((9e4 - 1e4) / gaps.n));
    CHECK_NEAR(traffic_mean_rate(&c), 0.1, 1e-15);

    /* Across devices: the first arrival after t0 is Exp(10 s) too. */
    stats first = {0};
    const int n = 20000;
    const sim_time_t t0 = 100 * SIM_S;
    int after = 1;
    for (int d = 0; d < n; d++) {
        rng_for(&r, 12, (uint32_t)(d + 1));
        traffic_device_init(&c, &st, &r, t0);
        if (st.next < t0) after = 0;
        stats_add(&first, sim_time_to_s(st.next - t0));
    }
    CHECK(after);
    CHECK_NEAR(first.mean, 10, NSE * 10 / sqrt(n));
}

static void test_burst_uniform(void)
{
    /* TR 37.868 model 1: uniform over [start, start + 60 s). */
    traffic_cfg c;
    traffic_cfg_default(&c);
    c.kind = TRAFFIC_BURST_UNIFORM;
    c.start_s = 30;
    c.spread_s = 60;
    const sim_time_t t0 = 1000 * SIM_S;
    const int n = 100000;
    stats s = {0};
    int in_window = 1, one_shot = 1;
    for (int d = 0; d < n; d++) {
        sim_rng r;
        rng_for(&r, 13, (uint32_t)d);
        traffic_state st;
        traffic_device_init(&c, &st, &r, t0);
        sim_time_t off = st.next - t0;
        if (off < 30 * SIM_S || off >= 90 * SIM_S) in_window = 0;
        stats_add(&s, sim_time_to_s(off));
        traffic_advance(&c, &st, &r);
        if (st.next != SIM_NEVER) one_shot = 0;
    }
    CHECK(in_window);
    CHECK(one_shot);
    double w = 60, w4 = pow(w, 4);
    CHECK_NEAR(s.mean, 30 + w / 2, NSE * w / sqrt(12.0 * n));
    CHECK_NEAR(stats_var(&s), w * w / 12, NSE * sqrt((w4 / 80 - w4 / 144) / n));
    CHECK_NEAR(traffic_mean_rate(&c), 0, 0);
}

static void test_burst_beta(void)
{
    /* TR 37.868 model 2: start + 10 s x Beta(3, 4). */
    traffic_cfg c;
    traffic_cfg_default(&c);
    c.kind = TRAFFIC_BURST_BETA;
    c.start_s = 5;
    c.spread_s = 10;
    c.beta_a = 3;
    c.beta_b = 4;
    const int n = 100000;
    stats s = {0};
    int in_window = 1, one_shot = 1;
    for (int d = 0; d < n; d++) {
        sim_rng r;
        rng_for(&r, 14, (uint32_t)d);
        traffic_state st;
        traffic_device_init(&c, &st, &r, 0);
        if (st.next < 5 * SIM_S || st.next > 15 * SIM_S) in_window = 0;
        stats_add(&s, sim_time_to_s(st.next));
        traffic_advance(&c, &st, &r);
        if (st.next != SIM_NEVER) one_shot = 0;
    }
    CHECK(in_window);
    CHECK(one_shot);
    double a = 3, b = 4;
    double mean = 5 + 10 * a / (a + b);
    double var = 100 * a * b / ((a + b) * (a + b) * (a + b + 1)); /* 100 x 12 / 392 */
    CHECK_NEAR(var, 100.0 * 12 / 392, 1e-12);
    /* Beta excess kurtosis, for the standard error of the sample variance. */
    double exk = 6 * ((a - b) * (a - b) * (a + b + 1) - a * b * (a + b + 2)) /
                 (a * b * (a + b + 2) * (a + b + 3));
    CHECK_NEAR(s.mean, mean, NSE * sqrt(var / n));
    CHECK_NEAR(stats_var(&s), var, NSE * var * sqrt((exk + 2) / n));
    CHECK_NEAR(traffic_mean_rate(&c), 0, 0);
}

static void test_mix(void)
{
    traffic_cfg c;
    traffic_cfg_default(&c);
    const int n = 100000;
    const sim_time_t periods[4] = {86400 * SIM_S, 7200 * SIM_S, 3600 * SIM_S, 1800 * SIM_S};
    const double shares[4] = {0.40, 0.40, 0.15, 0.05};
    long counts[4] = {0};
    int exact = 1, in_phase = 1;
    long reports = 0, want_reports = 0;
    for (int d = 0; d < n; d++) {
        sim_rng r;
        rng_for(&r, 15, (uint32_t)d);
        traffic_state st;
        traffic_device_init(&c, &st, &r, 0);
        int cls = -1;
        for (int i = 0; i < 4; i++)
            if (st.period == periods[i]) cls = i;
        if (cls < 0) {
            exact = 0;
            continue;
        }
        counts[cls]++;
        if (st.next < 0 || st.next >= st.period) in_phase = 0;
        /* A day is a whole number of every period, so with t0 = 0 each
         * device reports exactly 86400 / period times in [0, 1 day). */
        want_reports += SIM_DAY / st.period;
        while (st.next < SIM_DAY) {
            reports++;
            traffic_advance(&c, &st, &r);
        }
    }
    CHECK(exact);
    CHECK(in_phase);
    for (int i = 0; i < 4; i++) {
        double p = shares[i];
        CHECK_NEAR((double)counts[i] / n, p, NSE * sqrt(p * (1 - p) / n));
    }
    CHECK_EQ_INT(reports, want_reports);
    /* 11.2 reports per device per day on average; per-device count 1, 12,
     * 24 or 48 with variance 259.6 - 11.2^2 = 134.16. */
    CHECK_NEAR((double)reports / n, 11.2, NSE * sqrt(134.16 / n));

    double rate = 0.4 / 86400 + 0.4 / 7200 + 0.15 / 3600 + 0.05 / 1800;
    CHECK_NEAR(traffic_mean_rate(&c), rate, 1e-12 * rate);
    CHECK_NEAR(traffic_mean_rate(&c) * 86400, 11.2, 1e-12);

    /* A class with zero share is never drawn. */
    c.mix_count = 2;
    c.mix_share[0] = 0;
    c.mix_share[1] = 1;
    int never_zero = 1;
    for (int d = 0; d < 1000; d++) {
        sim_rng r;
        rng_for(&r, 16, (uint32_t)d);
        traffic_state st;
        traffic_device_init(&c, &st, &r, 0);
        if (st.period != 7200 * SIM_S) never_zero = 0;
    }
    CHECK(never_zero);
}

static void test_none(void)
{
    traffic_cfg c;
    traffic_cfg_default(&c);
    c.kind = TRAFFIC_NONE;
    sim_rng r;
    rng_for(&r, 17, 0);
    traffic_state st;
    traffic_device_init(&c, &st, &r, 5 * SIM_S);
    CHECK(st.next == SIM_NEVER);
    traffic_advance(&c, &st, &r);
    CHECK(st.next == SIM_NEVER);
    CHECK_NEAR(traffic_mean_rate(&c), 0, 0);
}

/* Continuous mean of Pareto(a, L) truncated to [L, H]. */
static double pareto_mean_continuous(double a, double L, double H)
{
    double ra = pow(L / H, a);
    return a * pow(L, a) * (pow(L, 1 - a) - pow(H, 1 - a)) / ((a - 1) * (1 - ra));
}

/* E[ceil X] = sum_{j>=0} P(X > j), summed term by term. */
static double pareto_ceil_mean_brute(double a, double L, double H)
{
    double ra = pow(L / H, a), sum = 0;
    for (double j = 0; j < H; j++)
        sum += j < L ? 1 : (pow(L / j, a) - ra) / (1 - ra);
    return sum;
}

static void test_payload(void)
{
    traffic_cfg c;
    traffic_cfg_default(&c);
    const traffic_payload_cfg *p = &c.payload;
    sim_rng r;
    rng_for(&r, 18, 0);
    const int n = 1000000;
    stats s = {0};
    int in_range = 1;
    for (int i = 0; i < n; i++) {
        uint32_t b = traffic_payload_bytes(p, &r);
        if (b < 20 || b > 200) in_range = 0;
        stats_add(&s, b);
    }
    CHECK(in_range);
    double mean = traffic_payload_mean(p);
    CHECK_NEAR(s.mean, mean, NSE * sqrt(stats_var(&s) / n));
    /* traffic_payload_mean is the mean of whole bytes (ceiling): about half
     * a byte above the continuous mean. Euler-Maclaurin on
     * E[ceil X] - E[X] = sum_j S(j) - integral S gives 1/2 + f(L) / 12 with
     * the density f(L) = a / (L (1 - (L/H)^a)); next term ~1e-5. */
    double cont = pareto_mean_continuous(2.5, 20, 200);
    CHECK_NEAR(cont, 32.38, 0.01);
    double fl = 2.5 / (20 * (1 - pow(0.1, 2.5)));
    CHECK_NEAR(mean - cont, 0.5 + fl / 12, 1e-4);
    CHECK_NEAR(mean, pareto_ceil_mean_brute(2.5, 20, 200), 1e-9);
    /* The sample distinguishes the two (SE ~ 0.02 byte). */
    CHECK(fabs(s.mean - cont) > 0.3);

    /* Long ranges use an approximate tail: compare with the exact sum. */
    traffic_payload_cfg q = {
        .kind = PAYLOAD_PARETO, .min_bytes = 1, .max_bytes = 2e6, .shape = 1.5};
    double exact = pareto_ceil_mean_brute(1.5, 1, 2e6);
    CHECK_NEAR(traffic_payload_mean(&q), exact, 1e-7 * exact);
    q = (traffic_payload_cfg){.kind = PAYLOAD_PARETO, .min_bytes = 3, .max_bytes = 5e5, .shape = 1};
    exact = pareto_ceil_mean_brute(1, 3, 5e5);
    CHECK_NEAR(traffic_payload_mean(&q), exact, 1e-7 * exact);

    /* Pareto with min == max: always that size. */
    q = (traffic_payload_cfg){.kind = PAYLOAD_PARETO, .min_bytes = 50, .max_bytes = 50, .shape = 2};
    CHECK_EQ_INT(traffic_payload_bytes(&q, &r), 50);
    CHECK_NEAR(traffic_payload_mean(&q), 50, 0);

    /* Uniform integers in [10, 20]: each of the 11 values with p = 1/11. */
    q = (traffic_payload_cfg){.kind = PAYLOAD_UNIFORM, .min_bytes = 10, .max_bytes = 20};
    CHECK_NEAR(traffic_payload_mean(&q), 15, 0);
    long hist[21] = {0};
    stats u = {0};
    int u_range = 1;
    const int nu = 220000;
    for (int i = 0; i < nu; i++) {
        uint32_t b = traffic_payload_bytes(&q, &r);
        if (b < 10 || b > 20) {
            u_range = 0;
            continue;
        }
        hist[b]++;
        stats_add(&u, b);
    }
    CHECK(u_range);
    for (int v = 10; v <= 20; v++)
        CHECK_NEAR((double)hist[v] / nu, 1.0 / 11, NSE * sqrt((1.0 / 11) * (10.0 / 11) / nu));
    CHECK_NEAR(u.mean, 15, NSE * sqrt(10.0 / nu)); /* discrete uniform variance (11^2-1)/12 */

    /* Fixed. */
    q = (traffic_payload_cfg){.kind = PAYLOAD_FIXED, .bytes = 100};
    int fixed_ok = 1;
    for (int i = 0; i < 100; i++)
        if (traffic_payload_bytes(&q, &r) != 100) fixed_ok = 0;
    CHECK(fixed_ok);
    CHECK_NEAR(traffic_payload_mean(&q), 100, 0);
}

/* Expects traffic_cfg_check to reject c with field `want`. */
static void expect_reject(const traffic_cfg *c, const char *want, int line)
{
    const char *field = NULL;
    char why[128] = "";
    int rc = traffic_cfg_check(c, &field, why, sizeof why);
    CHECK_MSG(rc == -1 && field && strcmp(field, want) == 0 && why[0] != '\0',
              "line %d: rc %d field %s (want %s) why '%s'", line, rc, field ? field : "(null)",
              want, why);
}

static void expect_accept(const traffic_cfg *c, int line)
{
    const char *field = NULL;
    char why[128] = "";
    int rc = traffic_cfg_check(c, &field, why, sizeof why);
    CHECK_MSG(rc == 0, "line %d: rejected %s: %s", line, field ? field : "(null)", why);
}

#define REJECT(want) expect_reject(&c, want, __LINE__)
#define ACCEPT()     expect_accept(&c, __LINE__)

static void test_check(void)
{
    traffic_cfg c, base;
    traffic_cfg_default(&base);

    for (int k = 0; k < TRAFFIC_KIND_COUNT; k++) {
        c = base;
        c.kind = (traffic_kind)k;
        ACCEPT();
    }
    c = base;
    c.kind = (traffic_kind)99;
    REJECT("kind");

    c = base;
    c.kind = TRAFFIC_PERIODIC;
    c.period_s = 0;
    REJECT("period_s");
    c.period_s = -5;
    REJECT("period_s");
    c.period_s = NAN;
    REJECT("period_s");
    c.period_s = INFINITY;
    REJECT("period_s");
    c.period_s = 10;
    c.random_phase = 0;
    c.start_s = -1;
    REJECT("start_s");
    c.random_phase = 1; /* start unused with a random phase */
    ACCEPT();

    c = base;
    c.kind = TRAFFIC_POISSON;
    c.mean_interval_s = 0;
    REJECT("mean_interval_s");
    c.mean_interval_s = NAN;
    REJECT("mean_interval_s");

    c = base;
    c.kind = TRAFFIC_BURST_UNIFORM;
    c.spread_s = -1;
    REJECT("spread_s");
    c.spread_s = 0; /* all at start_s: allowed */
    ACCEPT();
    c.start_s = -3;
    REJECT("start_s");

    c = base;
    c.kind = TRAFFIC_BURST_BETA;
    c.spread_s = 10;
    c.beta_a = 0;
    REJECT("beta_a");
    c.beta_a = 3;
    c.beta_b = -1;
    REJECT("beta_b");
    c.beta_b = NAN;
    REJECT("beta_b");

    c = base;
    c.mix_share[3] = 0.15; /* sums to 1.1 */
    REJECT("mix_share");
    c = base;
    c.mix_share[0] = 1.2;
    c.mix_share[1] = -0.4; /* sums to 1 but out of [0, 1] */
    REJECT("mix_share");
    c = base;
    c.mix_share[2] = NAN;
    REJECT("mix_share");
    c = base;
    c.mix_share[3] = 0.05 + 5e-10; /* within 1e-9 */
    ACCEPT();
    c.mix_share[3] = 0.05 + 2e-9;
    REJECT("mix_share");
    c = base;
    c.mix_period_s[1] = 0;
    REJECT("mix_period_s");
    c = base;
    c.mix_count = 0;
    REJECT("mix_share");
    c.mix_count = TRAFFIC_MIX_MAX + 1;
    REJECT("mix_share");

    c = base;
    c.payload.min_bytes = 0;
    REJECT("payload.min_bytes");
    c = base;
    c.payload.max_bytes = 10; /* below min 20 */
    REJECT("payload.max_bytes");
    c = base;
    c.payload.shape = 0;
    REJECT("payload.shape");
    c = base;
    c.payload.max_bytes = 20; /* degenerate but valid */
    ACCEPT();
    c = base;
    c.payload.kind = PAYLOAD_UNIFORM;
    c.payload.min_bytes = 30;
    c.payload.max_bytes = 29;
    REJECT("payload.max_bytes");
    c.payload.max_bytes = 30;
    ACCEPT();
    c = base;
    c.payload.kind = PAYLOAD_FIXED;
    c.payload.bytes = 0;
    REJECT("payload.bytes");
    c.payload.bytes = 1;
    ACCEPT();
    c = base;
    c.payload.kind = (payload_kind)7;
    REJECT("payload.kind");
}

int main(void)
{
    test_defaults();
    test_periodic();
    test_poisson();
    test_burst_uniform();
    test_burst_beta();
    test_mix();
    test_none();
    test_payload();
    test_check();
    return check_done();
}
