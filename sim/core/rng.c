/* rng.c: counter-based random streams (Philox4x64-10 from Random123) and the
 * samplers built on them. A stream's state is its key and a block counter, so
 * draws depend only on the key and on how many words the stream consumed. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <Random123/philox.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/core/sim.h"

void sim_rng_philox4x64(const uint64_t ctr[4], const uint64_t key[2], uint64_t out[4])
{
    philox4x64_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    philox4x64_key_t k = {{key[0], key[1]}};
    philox4x64_ctr_t o = philox4x64_R(10, c, k);
    for (int i = 0; i < 4; i++)
        out[i] = o.v[i];
}

void sim_rng_init(sim_rng *r, const sim_rng_key *key)
{
    memset(r, 0, sizeof *r);
    r->key[0] = key->seed;
    r->key[1] = (uint64_t)key->replication << 32 | key->cell;
    r->ctr[0] = (uint64_t)key->device << 32 | key->purpose;
    r->ctr[1] = key->substream;
    r->ctr[2] = 0; /* block */
    r->ctr[3] = 0;
    r->avail = 0;
}

uint64_t sim_rng_u64(sim_rng *r)
{
    if (r->avail == 0) {
        sim_rng_philox4x64(r->ctr, r->key, r->buf);
        r->ctr[2]++;
        r->avail = 4;
    }
    return r->buf[4 - r->avail--];
}

double sim_rng_uniform(sim_rng *r)
{
    /* top 53 bits scaled by 2^-53: exact, in [0, 1) */
    return (double)(sim_rng_u64(r) >> 11) * 0x1p-53;
}

double sim_rng_uniform_pos(sim_rng *r)
{
    /* 52 bits plus one half: (x + 0.5) is exact for x < 2^52, so the result
     * lies in [2^-53, 1 - 2^-53], never 0 or 1 (53 bits would round to 1). */
    return ((double)(sim_rng_u64(r) >> 12) + 0.5) * 0x1p-52;
}

double sim_rng_range(sim_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * sim_rng_uniform(r);
}

uint64_t sim_rng_int(sim_rng *r, uint64_t n)
{
    /* Lemire's multiply-shift with rejection (ACM TOMS 2019): unbiased. */
    if (n == 0) return 0;
    __uint128_t m = (__uint128_t)sim_rng_u64(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
        while (low < threshold) {
            m = (__uint128_t)sim_rng_u64(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

int sim_rng_bernoulli(sim_rng *r, double p)
{
    /* always consumes one word so the stream position does not depend on p */
    return sim_rng_uniform(r) < p;
}

double sim_rng_exponential(sim_rng *r, double mean)
{
    return -mean * log(sim_rng_uniform_pos(r));
}

double sim_rng_normal(sim_rng *r, double mean, double sd)
{
    /* GSL's ziggurat through the adapter: no cached second value, so the
     * stream does not depend on call parity. */
    gsl_rng g;
    sim_rng_as_gsl(r, &g);
    return mean + gsl_ran_gaussian_ziggurat(&g, sd);
}

double sim_rng_beta(sim_rng *r, double a, double b)
{
    gsl_rng g;
    sim_rng_as_gsl(r, &g);
    return gsl_ran_beta(&g, a, b);
}

double sim_rng_pareto_bounded(sim_rng *r, double alpha, double lo, double hi)
{
    /* Inverse of F(x) = (1 - (lo/x)^a) / (1 - (lo/hi)^a) on [lo, hi]:
     * x = lo * (1 - u (1 - (lo/hi)^a))^(-1/a). u in [0,1) maps into [lo, hi). */
    double u = sim_rng_uniform(r);
    double span = -expm1(alpha * log(lo / hi)); /* 1 - (lo/hi)^a, accurate for small a */
    double x = lo * exp(-log1p(-u * span) / alpha);
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    return x;
}

/* ---------------------------------------------------------- GSL adapter */

/* GSL's `set` would seed the generator; our streams are seeded only by
 * sim_rng_init, so seeding through GSL is deliberately a no-op. */
static void sim_rng_gsl_set(void *state, unsigned long int seed)
{
    (void)state;
    (void)seed;
}

/* One 64-bit word per call, upper 32 bits (the struct has no room for a
 * half-used word). */
static unsigned long int sim_rng_gsl_get(void *state)
{
    return (unsigned long int)(sim_rng_u64((sim_rng *)state) >> 32);
}

static double sim_rng_gsl_get_double(void *state)
{
    return sim_rng_uniform((sim_rng *)state);
}

static const gsl_rng_type sim_rng_gsl_type = {
    .name = SIM_RNG_ALGORITHM,
    .max = 0xffffffffUL,
    .min = 0,
    .size = sizeof(sim_rng),
    .set = sim_rng_gsl_set,
    .get = sim_rng_gsl_get,
    .get_double = sim_rng_gsl_get_double,
};

void sim_rng_as_gsl(sim_rng *r, gsl_rng *g)
{
    g->type = &sim_rng_gsl_type;
    g->state = r;
}
