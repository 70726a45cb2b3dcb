/* latlog.c: a cell's delivery log (device, latency) and the per-device and
 * cell-wide summaries computed from it at the end of the run.
 *
 * Exact while it is small: every latency is kept (8 bytes: device and
 * float milliseconds), and mean, p50, p95 (linear interpolation between
 * order statistics) and max are computed from the values. Memory would
 * grow with every report, so once the log holds `limit` entries they are
 * binned: a histogram per device, sparse (device, bin, count) runs sorted
 * by device and bin, with logarithmic bins of ratio LAT_GAMMA = 1.01 from
 * LAT_LOW_MS = 1 us. From then on the summaries come from the histogram:
 * every latency is represented by the geometric middle of its bin, within
 * +-0.5 % of it (LAT_GAMMA^(1/2) - 1), so mean, percentiles and max are
 * within +-0.5 % of the exact ones (latencies up to LAT_BINS bins, 47
 * hours; longer ones count as 47 h). A device's latencies cluster in a few
 * bins, so the histogram costs about one 8-byte run per bin used rather
 * than one entry per report. lat_log_binned says which way a log went. */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAT_GAMMA  1.01
#define LAT_LOW_MS 1e-3
#define LAT_BINS   2600 /* LAT_LOW_MS x LAT_GAMMA^2599: 1.7e8 ms, 47 h */

static int lat_bin_of(double ms)
{
    if (!(ms >= LAT_LOW_MS)) return 0;
    double b = 1 + floor(log(ms / LAT_LOW_MS) / log(LAT_GAMMA));
    return b >= LAT_BINS - 1 ? LAT_BINS - 1 : (int)b;
}

/* The bin's representative: its geometric middle (bin 0: below 1 us). */
static double lat_bin_value(int b)
{
    return b == 0 ? 0.0 : LAT_LOW_MS * pow(LAT_GAMMA, b - 0.5);
}

int lat_log_init(lat_log *l, size_t presize, size_t limit, int binned)
{
    memset(l, 0, sizeof *l);
    l->limit = limit < 4096 ? 4096 : limit;
    l->binned = binned;
    size_t cap = presize < l->limit ? presize : l->limit;
    if (cap == 0) return 0;
    l->dev = malloc(cap * sizeof *l->dev);
    l->ms = malloc(cap * sizeof *l->ms);
    if (!l->dev || !l->ms) return -1;
    l->cap = cap;
    return 0;
}

void lat_log_free(lat_log *l)
{
    free(l->dev);
    free(l->ms);
    free(l->hist);
    memset(l, 0, sizeof *l);
}

size_t lat_log_bytes(const lat_log *l)
{
    return l->cap * (sizeof *l->dev + sizeof *l->ms) + l->hcap * sizeof *l->hist;
}

static int by_dev_bin(const void *a, const void *b)
{
    const lat_run *x = a, *y = b;
    if (x->dev != y->dev) return x->dev < y->dev ? -1 : 1;
    return (x->bin > y->bin) - (x->bin < y->bin);
}

/* Moves the raw entries into the histogram: bins them, sorts them by
 * (device, bin) and merges them with the runs already there (a run's
 * count stops at 65535; the next starts a new run of the same bin). */
static int lat_log_compact(lat_log *l)
{
    size_t n = l->n;
    lat_run *add = malloc((n ? n : 1) * sizeof *add);
    if (!add) return -1;
    for (size_t i = 0; i < n; i++)
        add[i] = (lat_run){l->dev[i], (uint16_t)lat_bin_of(l->ms[i]), 1};
    qsort(add, n, sizeof *add, by_dev_bin);
    size_t cap = l->hn + n;
    lat_run *out = malloc((cap ? cap : 1) * sizeof *out);
    if (!out) {
        free(add);
        return -1;
    }
    size_t i = 0, j = 0, o = 0;
    while (i < l->hn || j < n) {
        lat_run r = j == n || (i < l->hn && by_dev_bin(&l->hist[i], &add[j]) <= 0) ? l->hist[i++]
                                                                                   : add[j++];
        if (o > 0 && out[o - 1].dev == r.dev && out[o - 1].bin == r.bin &&
            (uint32_t)out[o - 1].count + r.count <= UINT16_MAX)
            out[o - 1].count = (uint16_t)(out[o - 1].count + r.count);
        else
            out[o++] = r;
    }
    free(add);
    free(l->hist);
    l->hist = out;
    l->hn = o;
    l->hcap = cap;
    l->n = 0;
    l->binned = 1;
    return 0;
}

int lat_log_add(lat_log *l, uint32_t dev, double ms)
{
    if (l->n == l->limit && lat_log_compact(l) != 0) return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap + l->cap / 2 : 4096;
        if (cap > l->limit) cap = l->limit;
        uint32_t *d = realloc(l->dev, cap * sizeof *d);
        if (!d) return -1;
        l->dev = d;
        float *m = realloc(l->ms, cap * sizeof *m);
        if (!m) return -1;
        l->ms = m;
        l->cap = cap;
    }
    l->dev[l->n] = dev;
    l->ms[l->n] = (float)ms;
    l->n++;
    return 0;
}

int lat_log_binned(const lat_log *l)
{
    return l->binned;
}

/* Exact: per device from its values (counting sort by device keeps
 * delivery order), overall from all of them. */
static int summarize_exact(const lat_log *l, uint32_t n_devs, lat_summary *per_dev,
                           lat_summary *all_out)
{
    const size_t n = l->n;
    size_t *start = calloc((size_t)n_devs + 2, sizeof *start);
    double *by_dev = malloc((n ? n : 1) * sizeof *by_dev);
    double *all = malloc((n ? n : 1) * sizeof *all);
    if (!start || !by_dev || !all) {
        free(start);
        free(by_dev);
        free(all);
        return -1;
    }
    /* after the loops, start[d + 1] is the end of device d's run and
     * start[d] its start */
    for (size_t i = 0; i < n; i++)
        start[l->dev[i] + 2]++;
    for (uint32_t d = 0; d < n_devs; d++)
        start[d + 2] += start[d + 1];
    for (size_t i = 0; i < n; i++) {
        all[i] = l->ms[i];
        by_dev[start[l->dev[i] + 1]++] = l->ms[i];
    }
    for (uint32_t d = 0; d < n_devs; d++)
        per_dev[d] = mac_lat_summary(by_dev + start[d], start[d + 1] - start[d]);
    *all_out = mac_lat_summary(all, n);
    free(start);
    free(by_dev);
    free(all);
    return 0;
}

/* The value of rank k (0-based) of a histogram given as bins and counts
 * in increasing bin order. */
static double rank_value(const uint16_t *bin, const uint64_t *count, size_t nb, uint64_t k)
{
    for (size_t i = 0; i < nb; i++) {
        if (k < count[i]) return lat_bin_value(bin[i]);
        k -= count[i];
    }
    return NAN;
}

static double hist_quantile(const uint16_t *bin, const uint64_t *count, size_t nb, uint64_t n,
                            double f)
{
    double h = (double)(n - 1) * f;
    uint64_t lo = (uint64_t)floor(h);
    double a = rank_value(bin, count, nb, lo);
    if (lo + 1 >= n) return a;
    double b = rank_value(bin, count, nb, lo + 1);
    return a + (h - (double)lo) * (b - a);
}

static lat_summary hist_summary(const uint16_t *bin, const uint64_t *count, size_t nb)
{
    uint64_t n = 0;
    double sum = 0;
    for (size_t i = 0; i < nb; i++) {
        n += count[i];
        sum += (double)count[i] * lat_bin_value(bin[i]);
    }
    if (n == 0) return (lat_summary){NAN, NAN, NAN, NAN};
    return (lat_summary){sum / (double)n, hist_quantile(bin, count, nb, n, 0.5),
                         hist_quantile(bin, count, nb, n, 0.95), lat_bin_value(bin[nb - 1])};
}

static int summarize_binned(lat_log *l, uint32_t n_devs, lat_summary *per_dev, lat_summary *all_out)
{
    if (lat_log_compact(l) != 0) return -1;
    uint64_t *cell = calloc(LAT_BINS, sizeof *cell);
    uint16_t *bin = malloc(LAT_BINS * sizeof *bin);
    uint64_t *cnt = malloc(LAT_BINS * sizeof *cnt);
    if (!cell || !bin || !cnt) {
        free(cell);
        free(bin);
        free(cnt);
        return -1;
    }
    size_t i = 0;
    for (uint32_t d = 0; d < n_devs; d++) {
        size_t nb = 0;
        for (; i < l->hn && l->hist[i].dev == d; i++) {
            cell[l->hist[i].bin] += l->hist[i].count;
            if (nb > 0 && bin[nb - 1] == l->hist[i].bin) {
                cnt[nb - 1] += l->hist[i].count;
            } else {
                bin[nb] = l->hist[i].bin;
                cnt[nb++] = l->hist[i].count;
            }
        }
        per_dev[d] = hist_summary(bin, cnt, nb);
    }
    size_t nb = 0;
    for (int b = 0; b < LAT_BINS; b++)
        if (cell[b]) {
            bin[nb] = (uint16_t)b;
            cnt[nb++] = cell[b];
        }
    *all_out = hist_summary(bin, cnt, nb);
    free(cell);
    free(bin);
    free(cnt);
    return 0;
}

int lat_log_summarize(lat_log *l, uint32_t n_devs, lat_summary *per_dev, lat_summary *all)
{
    return l->binned ? summarize_binned(l, n_devs, per_dev, all)
                     : summarize_exact(l, n_devs, per_dev, all);
}
