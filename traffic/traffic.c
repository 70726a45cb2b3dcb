/* traffic.c: arrival processes and payload sizes of device reports.
 *
 * Sources of the defaults:
 * - 3GPP TR 45.820 Annex E, "mobile autonomous reporting" periodic traffic:
 *   40 % of devices report once a day (86400 s), 40 % every 2 h (7200 s),
 *   15 % every hour (3600 s) and 5 % every 30 min (1800 s); 11.2 reports per
 *   device per day on average.
 * - Payload: Pareto with shape 2.5, as quoted from TR 45.820. The 20-byte
 *   minimum and the 200-byte cut-off are the values commonly used in
 *   studies that follow TR 45.820; they are NOT confirmed in the primary
 *   source (assumptions).
 * - 3GPP TR 37.868 RACH traffic models: model 1 spreads one report per
 *   device uniformly over 60 s, model 2 over 10 s with a Beta(3, 4) shape.
 *
 * Every time is integer microseconds. Random draws come only from the
 * device's own stream: periodic init takes one draw (the phase), the mix two
 * (class, then phase), Poisson one per arrival, bursts one at init.
 */
#include "traffic/traffic.h"

#include <math.h>
#include <stdio.h>

/* Largest payload a uint32_t can report. */
#define TRAFFIC_BYTES_MAX 4294967295.0
/* Exact terms summed by the ceiling mean of the Pareto payload before the
 * tail is approximated (see traffic_payload_mean). */
#define TRAFFIC_PARETO_EXACT_TERMS 100000.0

static const double tr45820_share[] = {0.40, 0.40, 0.15, 0.05};
static const double tr45820_period_s[] = {86400.0, 7200.0, 3600.0, 1800.0};

void traffic_cfg_default(traffic_cfg *cfg)
{
    *cfg = (traffic_cfg){0};
    cfg->kind = TRAFFIC_TR45820_MIX;
    cfg->period_s = 3600.0;
    cfg->random_phase = 1;
    cfg->mean_interval_s = 3600.0;
    cfg->start_s = 0.0;
    cfg->spread_s = 60.0; /* TR 37.868 model 1 window */
    cfg->beta_a = 3.0;    /* TR 37.868 model 2: Beta(3, 4) */
    cfg->beta_b = 4.0;
    cfg->mix_count = (int)(sizeof tr45820_share / sizeof tr45820_share[0]);
    for (int i = 0; i < cfg->mix_count; i++) {
        cfg->mix_share[i] = tr45820_share[i];
        cfg->mix_period_s[i] = tr45820_period_s[i];
    }
    cfg->payload.kind = PAYLOAD_PARETO;
    cfg->payload.bytes = 100.0;
    cfg->payload.min_bytes = 20.0;  /* commonly used, unconfirmed in TR 45.820 */
    cfg->payload.max_bytes = 200.0; /* commonly used cut-off, unconfirmed */
    cfg->payload.shape = 2.5;       /* TR 45.820 */
}

/* ------------------------------------------------------------- checking */

static int fail(const char **field, const char *name, char *why, size_t why_len, const char *reason)
{
    if (field) *field = name;
    if (why && why_len) snprintf(why, why_len, "%s", reason);
    return -1;
}

/* A positive duration that converts to simulated time. NaN fails too. */
static int positive_time(double s)
{
    sim_time_t t;
    return s > 0 && sim_time_from_s(s, &t) == 0;
}
/* A duration >= 0 that converts to simulated time. */
static int nonneg_time(double s)
{
    sim_time_t t;
    return s >= 0 && sim_time_from_s(s, &t) == 0;
}

static int check_payload(const traffic_payload_cfg *p, const char **field, char *why,
                         size_t why_len)
{
    switch (p->kind) {
    case PAYLOAD_FIXED:
        if (!(p->bytes >= 1 && p->bytes <= TRAFFIC_BYTES_MAX))
            return fail(field, "payload.bytes", why, why_len, "must be in [1, 2^32 - 1]");
        return 0;
    case PAYLOAD_UNIFORM:
    case PAYLOAD_PARETO:
        if (!(p->min_bytes > 0 && p->min_bytes <= TRAFFIC_BYTES_MAX))
            return fail(field, "payload.min_bytes", why, why_len, "must be > 0 and < 2^32");
        if (!(p->max_bytes >= p->min_bytes))
            return fail(field, "payload.max_bytes", why, why_len, "must be >= payload.min_bytes");
        if (!(p->max_bytes <= TRAFFIC_BYTES_MAX))
            return fail(field, "payload.max_bytes", why, why_len, "must be < 2^32");
        if (p->kind == PAYLOAD_UNIFORM && floor(p->max_bytes) < ceil(p->min_bytes))
            return fail(field, "payload.max_bytes", why, why_len,
                        "[min_bytes, max_bytes] holds no whole number of bytes");
        if (p->kind == PAYLOAD_PARETO && !(p->shape > 0 && isfinite(p->shape)))
            return fail(field, "payload.shape", why, why_len, "must be > 0");
        return 0;
    default:
        return fail(field, "payload.kind", why, why_len, "unknown payload kind");
    }
}

int traffic_cfg_check(const traffic_cfg *cfg, const char **field, char *why, size_t why_len)
{
    switch (cfg->kind) {
    case TRAFFIC_PERIODIC:
        if (!positive_time(cfg->period_s))
            return fail(field, "period_s", why, why_len, "must be > 0 (and finite)");
        if (!cfg->random_phase && !nonneg_time(cfg->start_s))
            return fail(field, "start_s", why, why_len, "must be >= 0 (and finite)");
        break;
    case TRAFFIC_POISSON:
        if (!positive_time(cfg->mean_interval_s))
            return fail(field, "mean_interval_s", why, why_len, "must be > 0 (and finite)");
        break;
    case TRAFFIC_BURST_UNIFORM:
    case TRAFFIC_BURST_BETA:
        if (!nonneg_time(cfg->start_s))
            return fail(field, "start_s", why, why_len, "must be >= 0 (and finite)");
        if (!nonneg_time(cfg->spread_s) || !nonneg_time(cfg->start_s + cfg->spread_s))
            return fail(field, "spread_s", why, why_len, "must be >= 0 (and finite)");
        if (cfg->kind == TRAFFIC_BURST_BETA && !(cfg->beta_a > 0 && isfinite(cfg->beta_a)))
            return fail(field, "beta_a", why, why_len, "must be > 0");
        if (cfg->kind == TRAFFIC_BURST_BETA && !(cfg->beta_b > 0 && isfinite(cfg->beta_b)))
            return fail(field, "beta_b", why, why_len, "must be > 0");
        break;
    case TRAFFIC_TR45820_MIX: {
        if (cfg->mix_count < 1 || cfg->mix_count > TRAFFIC_MIX_MAX)
            return fail(field, "mix_share", why, why_len, "needs 1 to 8 classes");
        double sum = 0;
        for (int i = 0; i < cfg->mix_count; i++) {
            if (!(cfg->mix_share[i] >= 0 && cfg->mix_share[i] <= 1)) {
                char reason[64];
                snprintf(reason, sizeof reason, "share of class %d must be in [0, 1]", i + 1);
                return fail(field, "mix_share", why, why_len, reason);
            }
            if (!positive_time(cfg->mix_period_s[i])) {
                char reason[64];
                snprintf(reason, sizeof reason, "period of class %d must be > 0", i + 1);
                return fail(field, "mix_period_s", why, why_len, reason);
            }
            sum += cfg->mix_share[i];
        }
        if (!(fabs(sum - 1.0) <= 1e-9)) {
            char reason[64];
            snprintf(reason, sizeof reason, "shares must sum to 1 (they sum to %.12g)", sum);
            return fail(field, "mix_share", why, why_len, reason);
        }
        break;
    }
    case TRAFFIC_NONE:
        break;
    default:
        return fail(field, "kind", why, why_len, "unknown traffic kind");
    }
    return check_payload(&cfg->payload, field, why, why_len);
}

/* ------------------------------------------------------------- arrivals */

/* t + d, or SIM_NEVER if either is SIM_NEVER or the sum leaves the range. */
static sim_time_t time_add(sim_time_t t, sim_time_t d)
{
    if (t == SIM_NEVER || d == SIM_NEVER || d > SIM_NEVER - t) return SIM_NEVER;
    return t + d;
}

/* Seconds to microseconds (>= 0); SIM_NEVER when not representable. */
static sim_time_t offset_us(double s)
{
    sim_time_t t;
    if (sim_time_from_s(s, &t) != 0) return SIM_NEVER;
    return t < 0 ? 0 : t;
}

/* A gap between successive reports: at least 1 us, so that a process never
 * stalls on one instant (a zero period would loop forever). */
static sim_time_t gap_us(double s)
{
    sim_time_t t = offset_us(s);
    return t < 1 ? 1 : t;
}

/* First report of a periodic device: uniform integer phase in [0, period). */
static sim_time_t periodic_first(sim_time_t period, sim_rng *rng, sim_time_t t0)
{
    if (period == SIM_NEVER) return SIM_NEVER;
    return time_add(t0, (sim_time_t)sim_rng_int(rng, (uint64_t)period));
}

void traffic_device_init(const traffic_cfg *cfg, traffic_state *st, sim_rng *rng, sim_time_t t0)
{
    st->next = SIM_NEVER;
    st->period = 0;
    switch (cfg->kind) {
    case TRAFFIC_PERIODIC:
        st->period = gap_us(cfg->period_s);
        if (cfg->random_phase)
            st->next = periodic_first(st->period, rng, t0);
        else
            st->next = time_add(t0, offset_us(cfg->start_s));
        break;
    case TRAFFIC_POISSON:
        st->next = time_add(t0, gap_us(sim_rng_exponential(rng, cfg->mean_interval_s)));
        break;
    case TRAFFIC_BURST_UNIFORM: {
        /* Integer microsecond in [start, start + spread): exactly uniform on
         * the simulator's time grid. */
        sim_time_t start = offset_us(cfg->start_s), spread = offset_us(cfg->spread_s);
        sim_time_t u =
            spread > 0 && spread != SIM_NEVER ? (sim_time_t)sim_rng_int(rng, (uint64_t)spread) : 0;
        st->next = time_add(time_add(t0, start), u);
        break;
    }
    case TRAFFIC_BURST_BETA: {
        double x = sim_rng_beta(rng, cfg->beta_a, cfg->beta_b);
        st->next = time_add(t0, offset_us(cfg->start_s + cfg->spread_s * x));
        break;
    }
    case TRAFFIC_TR45820_MIX: {
        /* Class by cumulative share with one uniform; rounding in the
         * shares (sum 1 within 1e-9) falls to the last class with a share. */
        int n = cfg->mix_count < 1                 ? 1
                : cfg->mix_count > TRAFFIC_MIX_MAX ? TRAFFIC_MIX_MAX
                                                   : cfg->mix_count;
        double u = sim_rng_uniform(rng), cum = 0;
        int cls = -1, last = n - 1;
        for (int i = 0; i < n; i++) {
            if (cfg->mix_share[i] > 0) last = i;
            cum += cfg->mix_share[i];
            if (cls < 0 && u < cum) cls = i;
        }
        if (cls < 0) cls = last;
        st->period = gap_us(cfg->mix_period_s[cls]);
        st->next = periodic_first(st->period, rng, t0);
        break;
    }
    case TRAFFIC_NONE:
    default:
        break;
    }
}

void traffic_advance(const traffic_cfg *cfg, traffic_state *st, sim_rng *rng)
{
    if (st->next == SIM_NEVER) return;
    switch (cfg->kind) {
    case TRAFFIC_PERIODIC:
    case TRAFFIC_TR45820_MIX:
        st->next = time_add(st->next, st->period < 1 ? 1 : st->period);
        break;
    case TRAFFIC_POISSON:
        st->next = time_add(st->next, gap_us(sim_rng_exponential(rng, cfg->mean_interval_s)));
        break;
    default: /* bursts report once; NONE never */
        st->next = SIM_NEVER;
        break;
    }
}

/* -------------------------------------------------------------- payload */

/* Whole bytes in [1, 2^32 - 1]. */
static uint32_t to_bytes(double x)
{
    if (!(x >= 1)) return 1;
    if (x >= TRAFFIC_BYTES_MAX) return UINT32_MAX;
    return (uint32_t)x;
}

/* Range [lo, hi] of whole bytes of the uniform payload: ceil(min) ..
 * floor(max), collapsed to ceil(min) if it holds no integer. */
static void uniform_range(const traffic_payload_cfg *p, double *lo, double *hi)
{
    *lo = ceil(p->min_bytes);
    *hi = floor(p->max_bytes);
    if (*lo < 1) *lo = 1;
    if (*hi < *lo) *hi = *lo;
}

uint32_t traffic_payload_bytes(const traffic_payload_cfg *p, sim_rng *rng)
{
    switch (p->kind) {
    case PAYLOAD_FIXED:
        return to_bytes(ceil(p->bytes));
    case PAYLOAD_UNIFORM: {
        double lo, hi;
        uniform_range(p, &lo, &hi);
        return to_bytes(lo + (double)sim_rng_int(rng, (uint64_t)(hi - lo) + 1));
    }
    case PAYLOAD_PARETO: {
        if (!(p->max_bytes > p->min_bytes)) return to_bytes(ceil(p->min_bytes));
        double x = sim_rng_pareto_bounded(rng, p->shape, p->min_bytes, p->max_bytes);
        /* Clamp: a last-bit excursion above the cut-off must not round up
         * to one byte more than max_bytes. */
        x = x < p->min_bytes ? p->min_bytes : x > p->max_bytes ? p->max_bytes : x;
        return to_bytes(ceil(x));
    }
    default:
        return 1;
    }
}

/* ---------------------------------------------------------------- means */

double traffic_mean_rate(const traffic_cfg *cfg)
{
    switch (cfg->kind) {
    case TRAFFIC_PERIODIC:
        return 1.0 / cfg->period_s;
    case TRAFFIC_POISSON:
        return 1.0 / cfg->mean_interval_s;
    case TRAFFIC_TR45820_MIX: {
        double r = 0;
        for (int i = 0; i < cfg->mix_count && i < TRAFFIC_MIX_MAX; i++)
            r += cfg->mix_share[i] / cfg->mix_period_s[i];
        return r;
    }
    default:
        return 0;
    }
}

/* Survival P(X > x) of Pareto(a, L) truncated to [L, H], for x in [L, H];
 * ra = (L/H)^a. */
static double pareto_sf(double x, double a, double L, double ra)
{
    return (pow(L / x, a) - ra) / (1 - ra);
}

/* Antiderivative of (L/x)^a: x (L/x)^a / (1 - a), or L ln x for a = 1. */
static double pareto_g(double x, double a, double L)
{
    return a == 1 ? L * log(x) : x * pow(L / x, a) / (1 - a);
}

/* E[ceil X] for X ~ Pareto(a, L) truncated to [L, H]:
 *   E[ceil X] = sum_{j >= 0} P(X > j) = ceil(L) + sum_{j = ceil L}^{ceil H - 1} S(j).
 * The first TRAFFIC_PARETO_EXACT_TERMS terms are summed exactly; any tail
 * beyond (payloads above ~1e5 bytes) uses Euler-Maclaurin, whose error
 * there is far below a byte. */
static double pareto_ceil_mean(double a, double L, double H)
{
    double ra = pow(L / H, a);
    double first = ceil(L), last = ceil(H) - 1;
    double mean = first;
    double split = last;
    if (last - first + 1 > TRAFFIC_PARETO_EXACT_TERMS)
        split = first + TRAFFIC_PARETO_EXACT_TERMS - 1;
    for (double j = first; j <= split; j++)
        mean += pareto_sf(j, a, L, ra);
    if (split < last) {
        double m = split + 1, n = last;
        double integral = (pareto_g(n, a, L) - pareto_g(m, a, L) - ra * (n - m)) / (1 - ra);
        double dm = -a * pow(L / m, a) / m / (1 - ra);
        double dn = -a * pow(L / n, a) / n / (1 - ra);
        mean += integral + (pareto_sf(m, a, L, ra) + pareto_sf(n, a, L, ra)) / 2 + (dn - dm) / 12;
    }
    return mean;
}

/* Returns the mean of what traffic_payload_bytes() actually returns, i.e.
 * of whole bytes: for the Pareto payload that is E[ceil X], about 0.5 byte
 * more than the continuous truncated-Pareto mean
 *   a L^a (L^(1-a) - H^(1-a)) / ((a - 1) (1 - (L/H)^a))
 * (32.4 bytes continuous, 32.9 whole bytes for the defaults). Fixed sizes
 * give ceil(bytes) and uniform sizes the midpoint of their whole-byte range
 * (bytes and (min + max) / 2 for whole-number settings). */
double traffic_payload_mean(const traffic_payload_cfg *p)
{
    switch (p->kind) {
    case PAYLOAD_FIXED:
        return (double)to_bytes(ceil(p->bytes));
    case PAYLOAD_UNIFORM: {
        double lo, hi;
        uniform_range(p, &lo, &hi);
        return (lo + hi) / 2;
    }
    case PAYLOAD_PARETO:
        if (!(p->max_bytes > p->min_bytes)) return (double)to_bytes(ceil(p->min_bytes));
        return pareto_ceil_mean(p->shape, p->min_bytes, p->max_bytes);
    default:
        return 1;
    }
}

/* ---------------------------------------------------------------- names */

const char *traffic_kind_name(traffic_kind k)
{
    static const char *const names[TRAFFIC_KIND_COUNT] = {
        "periodic", "poisson", "burst_uniform", "burst_beta", "tr45820_mix", "none",
    };
    return (unsigned)k < TRAFFIC_KIND_COUNT ? names[k] : "unknown";
}

const char *payload_kind_name(payload_kind k)
{
    static const char *const names[PAYLOAD_KIND_COUNT] = {"fixed", "uniform", "pareto"};
    return (unsigned)k < PAYLOAD_KIND_COUNT ? names[k] : "unknown";
}
