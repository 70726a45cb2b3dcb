/* bench_queue.c: hold-model benchmark of the event queues (heap baseline vs
 * radix default).
 *
 * For each pending size N and increment distribution: fill the queue with N
 * entries at times drawn from the distribution (from 0), run untimed warm-up
 * holds until the pending set is in steady state, then time `ops` holds. A
 * hold is one pop of the minimum and one push of the same id at the popped
 * time plus a fresh increment (one simulated event). Increments are drawn
 * beforehand so that RNG cost is not timed. Both queues see the same fill and
 * increments, so their pop sequences must be identical: a checksum verifies
 * it.
 *
 * Usage: bench_queue [--quick] [--ops N]
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/core/sim.h"

/* The timed holds run in slices, alternating heap and radix, and each
 * queue's figure is its median slice: on a shared machine both then see the
 * same background load, and a burst of it does not decide the result. */
#define BENCH_SLICES 5

typedef enum { DIST_EXP, DIST_UNIFORM, DIST_BIMODAL, DIST_COUNT } dist_kind;

static const char *const dist_names[DIST_COUNT] = {"exp(1s)", "unif(0-2s)", "bimodal"};

/* One increment in integer microseconds. */
static sim_time_t draw(sim_rng *r, dist_kind d)
{
    switch (d) {
    case DIST_EXP:
        return (sim_time_t)llround(sim_rng_exponential(r, 1e6));
    case DIST_UNIFORM:
        return (sim_time_t)sim_rng_int(r, (uint64_t)(2 * SIM_S) + 1);
    case DIST_BIMODAL:
        /* 90 %: a protocol step within 100 ms; 10 %: a wake-up 1 to 24 h ahead */
        if (sim_rng_int(r, 10) < 9) return (sim_time_t)sim_rng_int(r, (uint64_t)(100 * SIM_MS) + 1);
        return SIM_HOUR + (sim_time_t)sim_rng_int(r, (uint64_t)(23 * SIM_HOUR) + 1);
    default:
        return 0;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One queue under test, filled and warmed up, with its position in the
 * increment array. */
typedef struct bench_q {
    sim_queue *q;
    size_t next_inc;
    uint64_t check;
    double slice_ns[BENCH_SLICES];
} bench_q;

static int bench_setup(bench_q *b, sim_queue_kind kind, size_t n, const sim_time_t *fill,
                       const sim_time_t *inc, size_t ops, size_t warmup)
{
    memset(b, 0, sizeof *b);
    b->q = sim_queue_create(kind, n);
    if (!b->q) return -1;
    for (size_t i = 0; i < n; i++)
        if (sim_queue_push(b->q, fill[i], (uint32_t)i) != 0) return -1;
    sim_time_t t;
    uint32_t id;
    for (size_t i = 0; i < warmup; i++) {
        sim_queue_pop(b->q, &t, &id);
        if (sim_queue_push(b->q, t + inc[ops - 1 - i % ops], id) != 0) return -1;
    }
    return 0;
}

/* Times `count` holds; returns ns per hold, or -1 on allocation failure. */
static double bench_slice(bench_q *b, const sim_time_t *inc, size_t count)
{
    sim_queue *q = b->q;
    uint64_t check = b->check;
    const sim_time_t *in = inc + b->next_inc;
    sim_time_t t;
    uint32_t id;
    double t0 = now_s();
    for (size_t i = 0; i < count; i++) {
        sim_queue_pop(q, &t, &id);
        check = (check ^ (uint64_t)t) * 0x100000001b3ull + id;
        if (sim_queue_push(q, t + in[i], id) != 0) return -1;
    }
    double el = now_s() - t0;
    b->check = check;
    b->next_inc += count;
    return el * 1e9 / (double)count;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [--quick] [--ops N]\n", argv0);
    exit(2);
}

int main(int argc, char **argv)
{
    int quick = 0;
    size_t ops = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
            char *end;
            double v = strtod(argv[++i], &end);
            if (*end || !(v >= 1) || v > 1e10) usage(argv[0]);
            ops = (size_t)v;
        } else {
            usage(argv[0]);
        }
    }
    if (!ops) ops = quick ? 1000000 : 5000000;
    if (ops < BENCH_SLICES) ops = BENCH_SLICES;
    static const size_t sizes_full[] = {1000, 100000, 1000000, 4000000};
    const size_t nsizes = quick ? 2 : 4;

    sim_time_t *inc = malloc(ops * sizeof *inc);
    sim_time_t *fill = malloc(sizes_full[nsizes - 1] * sizeof *fill);
    if (!inc || !fill) {
        fprintf(stderr, "bench_queue: out of memory\n");
        return 1;
    }

    printf("hold model: pop the minimum, push it back at popped time + increment\n");
    printf("timed holds per case and queue: %zu in %d slices alternating heap and radix,\n"
           "median slice reported; untimed warm-up: max(2 N, %zu) holds\n",
           ops / BENCH_SLICES * BENCH_SLICES, BENCH_SLICES, ops / 2);
    printf(
        "ns/ev = nanoseconds per hold (one pop + one push), Mev/s = million holds/s,\n"
        "B/ent = bytes the queue holds per pending entry, speedup = radix speed / heap speed\n\n");
    printf("%9s  %-10s | %8s %8s %7s | %8s %8s %7s | %7s\n", "pending", "increments", "heap",
           "heap", "heap", "radix", "radix", "radix", "speedup");
    printf("%9s  %-10s | %8s %8s %7s | %8s %8s %7s | %7s\n", "", "", "ns/ev", "Mev/s", "B/ent",
           "ns/ev", "Mev/s", "B/ent", "");
    static const char dash[] = "------------------------------";
    printf("%.22s+%.28s+%.28s+%.8s\n", dash, dash, dash, dash);
    fflush(stdout);

    int failed = 0;
    for (size_t si = 0; si < nsizes; si++) {
        size_t n = sizes_full[si];
        for (int d = 0; d < DIST_COUNT; d++) {
            sim_rng r;
            sim_rng_init(
                &r, &(sim_rng_key){.seed = 20240601, .cell = (uint32_t)si, .purpose = (uint32_t)d});
            for (size_t i = 0; i < n; i++)
                fill[i] = draw(&r, (dist_kind)d);
            for (size_t i = 0; i < ops; i++)
                inc[i] = draw(&r, (dist_kind)d);
            size_t warmup = 2 * n > ops / 2 ? 2 * n : ops / 2;
            bench_q bq[2];
            const sim_queue_kind kinds[2] = {SIM_QUEUE_HEAP, SIM_QUEUE_RADIX};
            for (int k = 0; k < 2; k++)
                if (bench_setup(&bq[k], kinds[k], n, fill, inc, ops, warmup) != 0) {
                    fprintf(stderr, "bench_queue: out of memory at N = %zu\n", n);
                    return 1;
                }
            for (int sl = 0; sl < BENCH_SLICES; sl++) {
                size_t count = ops / BENCH_SLICES;
                for (int k = 0; k < 2; k++)
                    if ((bq[k].slice_ns[sl] = bench_slice(&bq[k], inc, count)) < 0) {
                        fprintf(stderr, "bench_queue: out of memory at N = %zu\n", n);
                        return 1;
                    }
            }
            double ns[2], bpe[2];
            for (int k = 0; k < 2; k++) {
                ns[k] = median(bq[k].slice_ns, BENCH_SLICES);
                bpe[k] = (double)sim_queue_bytes(bq[k].q) / (double)n;
                sim_queue_destroy(bq[k].q);
            }
            int same = bq[0].check == bq[1].check;
            printf("%9zu  %-10s | %8.1f %8.2f %7.1f | %8.1f %8.2f %7.1f | %6.2fx%s\n", n,
                   dist_names[d], ns[0], 1e3 / ns[0], bpe[0], ns[1], 1e3 / ns[1], bpe[1],
                   ns[0] / ns[1], same ? "" : "  POP SEQUENCES DIFFER");
            fflush(stdout);
            failed |= !same;
        }
    }
    free(inc);
    free(fill);
    return failed;
}
