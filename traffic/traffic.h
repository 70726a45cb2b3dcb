/* traffic.h: what devices want to send and when.
 *
 * Arrival processes (periodic with random phase, Poisson, TR 37.868 bursts,
 * the TR 45.820 periodic mix) and payload-size distributions. The module
 * knows nothing of how a report is sent. Every draw comes from the device's
 * own RNG stream, so results do not depend on event order across devices.
 */
#ifndef MTCSIM_TRAFFIC_H
#define MTCSIM_TRAFFIC_H

#include "sim/core/sim.h"

typedef enum {
    TRAFFIC_PERIODIC = 0,  /* every period_s, first report at a uniform random phase */
    TRAFFIC_POISSON,       /* exponential inter-arrival times, mean mean_interval_s */
    TRAFFIC_BURST_UNIFORM, /* TR 37.868 model 1: one report, uniform over [start, start+spread) */
    TRAFFIC_BURST_BETA,    /* TR 37.868 model 2: one report, start + spread x Beta(a, b) */
    TRAFFIC_TR45820_MIX,   /* TR 45.820 Annex E: periodic, period drawn once per device */
    TRAFFIC_NONE,          /* never reports */
    TRAFFIC_KIND_COUNT
} traffic_kind;

typedef enum {
    PAYLOAD_FIXED = 0, /* always `bytes` */
    PAYLOAD_UNIFORM,   /* integer uniform in [min_bytes, max_bytes] */
    PAYLOAD_PARETO,    /* Pareto(shape) truncated to [min_bytes, max_bytes], rounded up */
    PAYLOAD_KIND_COUNT
} payload_kind;

typedef struct traffic_payload_cfg {
    payload_kind kind;
    double bytes;     /* fixed size */
    double min_bytes; /* uniform and Pareto lower bound */
    double max_bytes; /* uniform and Pareto upper bound (cut-off) */
    double shape;     /* Pareto shape alpha */
} traffic_payload_cfg;

#define TRAFFIC_MIX_MAX 8

typedef struct traffic_cfg {
    traffic_kind kind;
    double period_s;        /* PERIODIC */
    int random_phase;       /* PERIODIC: first report uniform in [0, period) (else at start_s) */
    double mean_interval_s; /* POISSON */
    double start_s;         /* bursts: window start; PERIODIC without phase: first report */
    double spread_s;        /* bursts: window length (60 s model 1, 10 s model 2) */
    double beta_a, beta_b;  /* BURST_BETA: Beta(3, 4) in TR 37.868 */
    /* TR45820_MIX: share (sums to 1) and period of each class */
    int mix_count;
    double mix_share[TRAFFIC_MIX_MAX];
    double mix_period_s[TRAFFIC_MIX_MAX];
    traffic_payload_cfg payload;
} traffic_cfg;

/* Per-device traffic state: kept small, a cell holds tens of thousands. */
typedef struct traffic_state {
    sim_time_t next;   /* time of the next report, SIM_NEVER if none */
    sim_time_t period; /* PERIODIC / MIX: this device's period */
} traffic_state;

/* Defaults: TR 45.820 mix with its Pareto payload (see traffic.c for sources). */
void traffic_cfg_default(traffic_cfg *cfg);
/* Checks cross-field consistency the schema cannot (mix shares sum to 1,
 * min < max, ...). Returns 0, or -1 with the offending field name (relative
 * to the traffic table, e.g. "payload.max_bytes") and a reason. */
int traffic_cfg_check(const traffic_cfg *cfg, const char **field, char *why, size_t why_len);

/* Draws the device's first report time (>= t0) and, for the mix, its class. */
void traffic_device_init(const traffic_cfg *cfg, traffic_state *st, sim_rng *rng, sim_time_t t0);
/* Advances st->next past the report at st->next; SIM_NEVER when done. */
void traffic_advance(const traffic_cfg *cfg, traffic_state *st, sim_rng *rng);
/* Payload of one report in bytes (>= 1). */
uint32_t traffic_payload_bytes(const traffic_payload_cfg *p, sim_rng *rng);

/* Expected reports per second of one device (for checks and summaries);
 * 0 for one-shot bursts and NONE. */
double traffic_mean_rate(const traffic_cfg *cfg);
/* Expected payload size in bytes. */
double traffic_payload_mean(const traffic_payload_cfg *p);

const char *traffic_kind_name(traffic_kind k);
const char *payload_kind_name(payload_kind k);

#endif
