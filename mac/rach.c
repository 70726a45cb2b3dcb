/* rach.c: LTE contention-based random access as TR 37.868 evaluates it.
 *
 * Devices transmit preambles at the PRACH opportunities of the configured
 * prach-ConfigIndex. Shared resources are the preambles of one opportunity
 * (collisions) and the RAR grants per subframe; opportunities are handled
 * in time order, so an opportunity's RAR grants are allocated before any
 * later one's. Msg3 and Msg4 use no shared capacity in this evaluation
 * (TR 37.868 limits only the RAR grants), so once a device has its RAR the
 * rest of its attempt follows from its own draws and is computed at once. */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RACH_PURPOSE 40   /* RNG purpose: one stream per device and attempt */
#define RING         1024 /* > largest RAR window (400) + processing */

void mac_rach_default(mac_rach_cfg *c)
{
    /* TR 37.868 clause 6.1.1: the RACH capacity evaluation's assumptions. */
    c->prach_config_index = 6;
    c->preambles = 54;
    c->max_preamble_tx = 10;
    c->backoff_ms = 20;
    c->rar_window_sf = 5;
    c->rar_grants_per_sf = 3;
    c->rar_processing_sf = 2;
    c->msg3_delay_sf = 6; /* TS 36.213 6.1.1: Msg3 in n + k1, k1 >= 6 */
    c->msg4_delay_sf = 4; /* eNB decoding of Msg3 (assumption) */
    c->harq_rtt_sf = 8;   /* LTE FDD HARQ round trip */
    c->harq_max_tx = 5;
    c->harq_error = 0.1;
    c->cr_timer_sf = 48;
    c->detect_always = 0;
    c->collided_detected = 0;
}

typedef struct rach_ctx {
    const mac_rach_cfg *c;
    phy_ltem_prach prach;
    uint64_t seed;
    int64_t ring_sf[RING];
    int ring_used[RING];
} rach_ctx;

static int cfg_ok(const mac_rach_cfg *c)
{
    return c->preambles >= 1 && c->preambles <= 64 && c->max_preamble_tx >= 1 &&
           c->max_preamble_tx <= 200 && c->backoff_ms >= 0 && c->rar_window_sf >= 1 &&
           c->rar_window_sf + c->rar_processing_sf + 8 < RING && c->rar_grants_per_sf >= 1 &&
           c->rar_processing_sf >= 0 && c->msg3_delay_sf >= 1 && c->msg4_delay_sf >= 1 &&
           c->harq_rtt_sf >= 1 && c->harq_max_tx >= 1 && c->harq_error >= 0 && c->harq_error <= 1 &&
           c->cr_timer_sf >= 1;
}

static void attempt_rng(const rach_ctx *x, uint32_t dev, int attempt, sim_rng *r)
{
    sim_rng_key k = {
        .seed = x->seed, .device = dev, .purpose = RACH_PURPOSE, .substream = (uint64_t)attempt};
    sim_rng_init(r, &k);
}

/* Earliest subframe in the RAR window of a preamble sent at s with a free
 * grant; takes it. -1 if the window is full. */
static int64_t rar_grant(rach_ctx *x, int64_t s)
{
    const mac_rach_cfg *c = x->c;
    int64_t end_pre = s + x->prach.subframes - 1;
    int64_t first = end_pre + 3; /* TS 36.321 5.1.4: window start */
    int64_t ready = end_pre + 1 + c->rar_processing_sf;
    if (ready > first) first = ready;
    int64_t last = end_pre + 3 + c->rar_window_sf - 1;
    for (int64_t r = first; r <= last; r++) {
        int k = (int)(r % RING);
        if (x->ring_sf[k] != r) {
            x->ring_sf[k] = r;
            x->ring_used[k] = 0;
        }
        if (x->ring_used[k] < c->rar_grants_per_sf) {
            x->ring_used[k]++;
            return r;
        }
    }
    return -1;
}

/* After a RAR at subframe r: Msg3 and Msg4 with HARQ. Returns the subframe
 * after Msg4 was received (success, *ok = 1) or the subframe at which the
 * attempt is known to have failed. */
static int64_t after_rar(const mac_rach_cfg *c, int64_t r, int msg3_collides, sim_rng *rng, int *ok)
{
    *ok = 0;
    int64_t m = -1;
    for (int k = 0; k < c->harq_max_tx; k++) {
        int64_t t = r + c->msg3_delay_sf + (int64_t)k * c->harq_rtt_sf;
        int lost = msg3_collides || sim_rng_bernoulli(rng, c->harq_error);
        if (!lost) {
            m = t;
            break;
        }
        if (k == c->harq_max_tx - 1) /* TS 36.321 5.1.5: timer restarted per Msg3 */
            return t + c->cr_timer_sf;
    }
    for (int j = 0; j < c->harq_max_tx; j++) {
        int64_t d = m + c->msg4_delay_sf + (int64_t)j * c->harq_rtt_sf;
        if (d >= m + c->cr_timer_sf) break;
        if (!sim_rng_bernoulli(rng, c->harq_error)) {
            *ok = 1;
            return d + 1;
        }
    }
    return m + c->cr_timer_sf;
}

int mac_rach_run(const mac_rach_cfg *c, const double *arrival_ms, uint32_t n, uint64_t seed,
                 mac_rach_result *res, double *delay_ms, uint8_t *tx, int64_t *end_sf)
{
    return mac_rach_run_opp(c, arrival_ms, n, seed, res, delay_ms, tx, end_sf, NULL, NULL);
}

int mac_rach_run_opp(const mac_rach_cfg *c, const double *arrival_ms, uint32_t n, uint64_t seed,
                     mac_rach_result *res, double *delay_ms, uint8_t *tx, int64_t *end_sf,
                     mac_rach_opp_fn per_opportunity, void *ctx)
{
    memset(res, 0, sizeof *res);
    if (!cfg_ok(c)) return -1;
    rach_ctx *x = calloc(1, sizeof *x);
    if (!x) return -1;
    if (phy_ltem_prach_config(c->prach_config_index, &x->prach) != 0) {
        free(x);
        return -1;
    }
    x->c = c;
    x->seed = seed;
    for (int k = 0; k < RING; k++)
        x->ring_sf[k] = -1;

    uint8_t *ntx = calloc(n ? n : 1, 1);
    int64_t *first = malloc((n ? n : 1) * sizeof *first);
    uint32_t *batch = malloc((n ? n : 1) * sizeof *batch);
    uint8_t *pre = malloc(n ? n : 1);
    double *delays = malloc((n ? n : 1) * sizeof *delays);
    int count[64];
    sim_queue *q = sim_queue_create(SIM_QUEUE_HEAP, n);
    int rc = -1;
    if (!ntx || !first || !batch || !pre || !delays || !q) goto out;
    res->devices = n;
    for (uint32_t i = 0; i < n; i++) {
        if (!(arrival_ms[i] >= 0) || !isfinite(arrival_ms[i])) goto out;
        int64_t s = phy_ltem_prach_next(&x->prach, (int64_t)ceil(arrival_ms[i]));
        first[i] = s;
        if (delay_ms) delay_ms[i] = -1;
        if (sim_queue_push(q, s, i) != 0) goto out;
    }
    int64_t last_outcome = 0;
    uint64_t tx_ok = 0;
    size_t nd = 0;
    sim_time_t s;
    uint32_t id;
    while (sim_queue_peek(q, &s, &id)) {
        /* Every device transmitting at opportunity s. */
        size_t m = 0;
        sim_time_t s0 = s;
        while (sim_queue_peek(q, &s, &id) && s == s0) {
            sim_queue_pop(q, &s, &id);
            batch[m++] = id;
        }
        memset(count, 0, sizeof count);
        sim_rng rng;
        for (size_t b = 0; b < m; b++) {
            uint32_t d = batch[b];
            attempt_rng(x, d, ntx[d], &rng);
            pre[d] = (uint8_t)sim_rng_int(&rng, (uint64_t)c->preambles);
            count[pre[d]]++;
        }
        int bin = m < MAC_RACH_NBINS ? (int)m : MAC_RACH_NBINS - 1;
        for (int p = 0; p < c->preambles; p++)
            res->collided_preambles += count[p] >= 2;
        uint32_t n_coll = 0, n_det = 0; /* this opportunity's, for per_opportunity */
        /* Preambles in index order, so RAR grants go out deterministically. */
        for (int p = 0; p < c->preambles; p++) {
            if (!count[p]) continue;
            int collided = count[p] >= 2;
            /* Detection: TR 37.868 power ramping, 1 - e^-i on the i-th
             * transmission; a collided preamble is lost unless configured
             * as detected (then with the chance any contender is heard). */
            double miss = 1.0;
            for (size_t b = 0; b < m; b++) {
                uint32_t d = batch[b];
                if (pre[d] != p) continue;
                miss *= c->detect_always ? 0.0 : exp(-(double)(ntx[d] + 1));
            }
            int detected = 0;
            if (collided && c->collided_detected) {
                sim_rng prng;
                sim_rng_key k = {.seed = seed,
                                 .device = UINT32_MAX,
                                 .purpose = RACH_PURPOSE,
                                 .substream = (uint64_t)s0 * 64u + (uint64_t)p};
                sim_rng_init(&prng, &k);
                detected = !sim_rng_bernoulli(&prng, miss);
            }
            n_det += (uint32_t)(collided && detected);
            /* One RAR (one grant) answers every contender of a preamble. */
            int64_t rar = detected ? rar_grant(x, s0) : -1;
            for (size_t b = 0; b < m; b++) {
                uint32_t d = batch[b];
                if (pre[d] != p) continue;
                attempt_rng(x, d, ntx[d], &rng);
                (void)sim_rng_int(&rng, (uint64_t)c->preambles); /* the preamble draw */
                if (!collided) {
                    detected = !sim_rng_bernoulli(&rng, miss);
                    rar = detected ? rar_grant(x, s0) : -1;
                    n_det += (uint32_t)detected;
                }
                n_coll += (uint32_t)collided;
                ntx[d]++;
                res->preamble_tx++;
                res->preamble_collided += collided;
                res->bin_tx[bin]++;
                res->bin_collided[bin] += collided;
                int ok = 0;
                int64_t t;
                if (detected && rar >= 0)
                    t = after_rar(c, rar, collided, &rng, &ok);
                else /* no RAR by the end of the window */
                    t = s0 + x->prach.subframes - 1 + 3 + c->rar_window_sf;
                if (ok) {
                    res->successes++;
                    tx_ok += ntx[d];
                    delays[nd++] = (double)(t - first[d]);
                    if (delay_ms) delay_ms[d] = (double)(t - first[d]);
                } else if (ntx[d] >= c->max_preamble_tx) {
                    res->failures++;
                } else {
                    /* TS 36.321 5.1.4: uniform backoff in [0, BI] ms. */
                    int64_t bo = (int64_t)sim_rng_int(&rng, (uint64_t)c->backoff_ms + 1);
                    int64_t nx = phy_ltem_prach_next(&x->prach, t + bo);
                    if (sim_queue_push(q, nx, d) != 0) goto out;
                    continue;
                }
                if (t > last_outcome) last_outcome = t;
                if (tx) tx[d] = ntx[d];
                if (end_sf) end_sf[d] = t;
            }
        }
        if (per_opportunity) per_opportunity(ctx, s0, (uint32_t)m, n_coll, n_det);
    }
    /* PRACH opportunities from SFN 0 up to the last outcome. */
    for (int64_t t = phy_ltem_prach_next(&x->prach, 0); t >= 0 && t <= last_outcome;
         t = phy_ltem_prach_next(&x->prach, t + 1))
        res->opportunities++;
    res->collision_prob = res->opportunities ? (double)res->collided_preambles /
                                                   ((double)res->opportunities * c->preambles)
                                             : 0.0;
    lat_summary ls = mac_lat_summary(delays, nd); /* sorts delays */
    res->mean_delay_ms = ls.mean;
    res->delay_p50_ms = ls.p50;
    res->delay_p95_ms = ls.p95;
    res->delay_max_ms = ls.max;
    for (int k = 0, j = 0; k < MAC_RACH_CDF_N; k++) {
        double at = (double)k * MAC_RACH_CDF_STEP_MS;
        while ((size_t)j < nd && delays[j] <= at)
            j++;
        res->delay_cdf[k] = n ? (double)j / (double)n : 0.0;
    }
    res->mean_preamble_tx = nd ? (double)tx_ok / (double)nd : NAN;
    rc = 0;
out:
    sim_queue_destroy(q);
    free(ntx);
    free(first);
    free(batch);
    free(pre);
    free(delays);
    free(x);
    return rc;
}
