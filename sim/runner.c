/* runner.c: runs a scenario's replications and writes the results file.
 *
 * One engine per cell, replications spread over OpenMP threads (dynamic
 * schedule: one at a time) and a layout's cells over the threads left
 * idle. Each cell's draws depend only on its RNG keys. `mtcsim run` writes
 * a cell's rows as soon as it and every cell before it (replication, then
 * cell order) have finished, then drops its per-device results: memory
 * holds the cells in flight, not the whole fleet, and the file is
 * identical whatever the thread count. /points follows at the end.
 */
#include "sim/app.h"
#include "gitsha.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Shared progress state; each replication writes only its own slots. */
typedef struct progress {
    _Atomic int64_t *now;
    _Atomic uint64_t *events;
    uint32_t reps;
    sim_time_t duration;
    double t0;
    double last;
    int tty;
    int printed;
    int ranks; /* MPI ranks sharing a layout's cells: this rank sees only its own */
} progress;

struct run_stream;
static int stream_failed(struct run_stream *st);

typedef struct rep_ctx {
    progress *pg;
    uint32_t rep;
    struct run_stream *stream;
} rep_ctx;

static void progress_print(progress *pg, int final)
{
    double done = 0;
    uint64_t ev = 0;
    for (uint32_t r = 0; r < pg->reps; r++) {
        done += (double)atomic_load_explicit(&pg->now[r], memory_order_relaxed);
        ev += atomic_load_explicit(&pg->events[r], memory_order_relaxed);
    }
    done /= (double)pg->duration * pg->reps;
    double el = wall_now() - pg->t0;
    double eta = done > 0 ? el * (1 - done) / done : 0;
    if (final) {
        fputs("\r\033[K", stderr);
        return;
    }
    /* events of every replication and cell this process runs, over the
     * wall time since the run began */
    fprintf(stderr, "\r\033[Ksim %.0f s of %.0f s  %5.1f %%  %.2f M events/s%s  ETA %.0f s",
            sim_time_to_s((sim_time_t)(done * (double)pg->duration)), sim_time_to_s(pg->duration),
            100 * done, el > 0 ? (double)ev / el / 1e6 : 0,
            pg->ranks > 1 ? " (rank 0's cells)" : "", eta);
    pg->printed = 1;
}

/* `done` is the replication's share finished; stored in millionths. */
static int on_progress(void *ctx, double done, uint64_t events)
{
    rep_ctx *rc = ctx;
    progress *pg = rc->pg;
    /* writing failed: the run fails, no need to simulate the rest (the
     * stopped cells reach cell_done, which reports the stream's error) */
    if (rc->stream && stream_failed(rc->stream)) return 1;
    atomic_store_explicit(&pg->now[rc->rep], (int64_t)(done * (double)pg->duration),
                          memory_order_relaxed);
    atomic_store_explicit(&pg->events[rc->rep], events, memory_order_relaxed);
    /* Only thread 0 prints: no locking, and the line is only cosmetic. */
    if (pg->tty && omp_get_thread_num() == 0) {
        double t = wall_now();
        if (t - pg->t0 > 2.0 && t - pg->last > 0.5) {
            pg->last = t;
            progress_print(pg, 0);
        }
    }
    return 0;
}

int runner_rep(const scen_config *cfg, uint32_t point, uint32_t rep,
               int (*on_done)(void *ctx, double done, uint64_t events), void *ctx,
               int (*cell_done)(void *ctx, uint32_t cell, sim_error *err), void *cell_ctx,
               const mac_run_dist *dist, int threads, run_rep_result *out, sim_error *err)
{
    sim_time_t duration;
    if (sim_time_from_s(cfg->duration_s, &duration) != 0)
        return sim_error_set(err, SIM_ERR_INPUT, "duration: out of range");
    double t0 = wall_now();
    mac_trace_cfg tc;
    const int traced = scen_trace_cfg(cfg, &tc);
    mac_run_cfg mc = {.radio = &cfg->radio,
                      .groups = cfg->groups,
                      .n_groups = cfg->n_groups,
                      .duration = duration,
                      .seed = cfg->seed,
                      .replication = rep,
                      .queue = (sim_queue_kind)cfg->queue,
                      .progress = on_done,
                      .progress_ctx = ctx,
                      .cell_done = cell_done,
                      .cell_done_ctx = cell_ctx,
                      .dist = dist,
                      .threads = threads,
                      .ts_bin = scen_timeseries_bin(cfg),
                      .trace = traced ? &tc : NULL};
    /* Before the cells: cell_done may write their rows, and then from
     * another thread, at any time until runner_run's loop ends (a later
     * replication's cells wait for the earlier ones): the fields those
     * rows read (point, replication, sim_time_s) are not written again. */
    out->point = point;
    out->replication = rep;
    out->sim_time_s = sim_time_to_s(duration);
    int code = mac_run_all(&mc, &out->run, err);
    out->events = out->run.events;
    out->model_bytes = out->run.bytes;
    out->wall_s = wall_now() - t0;
    return code;
}

static int on_cell_done(void *ctx, uint32_t cell, sim_error *err);

static int run_one(const scen_config *cfg, sim_time_t duration, uint32_t rep, progress *pg,
                   struct run_stream *stream, const run_options *opt, run_rep_result *out,
                   sim_error *err)
{
    rep_ctx rc = {pg, rep, stream};
    int code = runner_rep(cfg, 0, rep, on_progress, &rc, stream ? on_cell_done : NULL, &rc,
                          opt->dist, opt->threads, out, err);
    atomic_store_explicit(&pg->now[rep], duration, memory_order_relaxed);
    return code;
}

/* ------------------------------------------------------------------ write */

#define COL(n_, t_, d_, u_, doc_)                                                                  \
    ((res_column){.name = n_, .type = t_, .data = d_, .unit = u_, .doc = doc_})

/* Battery life over all devices of a replication: mean, 5th and 50th
 * percentiles (linear interpolation) and the share lasting 10 years. */
/* Mean, p5, p50 and share >= 10 y of v (sorted here); NaN when empty. */
static void fleet_of(double *v, size_t n, size_t excluded, double out[5])
{
    out[0] = out[1] = out[2] = out[3] = NAN;
    out[4] = (double)excluded;
    if (n == 0) return;
    double sum = 0;
    size_t ten = 0;
    for (size_t k = 0; k < n; k++) {
        sum += v[k];
        ten += v[k] >= 10.0;
    }
    gsl_sort(v, 1, n);
    out[0] = sum / (double)n;
    out[1] = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05);
    out[2] = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.50);
    out[3] = (double)ten / (double)n;
}

/* Battery life over all devices of a replication: mean, 5th and 50th
 * percentiles (linear interpolation) and the share lasting 10 years. */
void run_fleet_life(const run_rep_result *rr, double out[5])
{
    if (rr->has_fleet) {
        memcpy(out, rr->fleet, sizeof rr->fleet);
        return;
    }
    /* Devices out of coverage are not part of the fleet's battery life:
     * they never reach the network (their life is in /devices, flagged);
     * out[4] counts them. */
    size_t n = 0, k = 0, excluded = 0;
    for (uint32_t c = 0; c < rr->run.n_cells; c++) {
        uint32_t nd;
        const mac_device_stats *s = mac_cell_device_stats(rr->run.cells[c], &nd);
        for (uint32_t i = 0; i < nd; i++)
            s[i].out_of_coverage ? excluded++ : n++;
    }
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        out[0] = out[1] = out[2] = out[3] = NAN;
        out[4] = (double)excluded;
        return;
    }
    for (uint32_t c = 0; c < rr->run.n_cells; c++) {
        uint32_t nd;
        const mac_device_stats *s = mac_cell_device_stats(rr->run.cells[c], &nd);
        for (uint32_t i = 0; i < nd; i++)
            if (!s[i].out_of_coverage) v[k++] = s[i].battery_life_years;
    }
    fleet_of(v, n, excluded, out);
    free(v);
}

/* How a swept path's values are stored in /points: numbers as float64
 * with the field's unit, booleans as 0/1 bytes, strings as the strings
 * themselves (an axis mixing kinds: the Lua literals as text). */
typedef enum { SWEPT_NUMBER, SWEPT_BOOL, SWEPT_STRING, SWEPT_MIXED } swept_kind;

static swept_kind swept_kind_of(const scen_sweep *sw, uint32_t k)
{
    int num = 0, boolean = 0, str = 0;
    for (uint32_t p = 0; p < sw->n_points; p++) {
        const char *l = sw->lit[(size_t)p * sw->n_paths + k];
        if (l[0] == '"')
            str = 1;
        else if (!strcmp(l, "true") || !strcmp(l, "false"))
            boolean = 1;
        else
            num = 1;
    }
    return num + boolean + str > 1 ? SWEPT_MIXED
           : str                   ? SWEPT_STRING
           : boolean               ? SWEPT_BOOL
                                   : SWEPT_NUMBER;
}

/* The stored text of a swept value: a string literal's bytes (sweep.c
 * escapes '"', '\\' and control bytes as \ddd), or the literal itself;
 * written to out (if not NULL, unterminated); returns its length. */
static size_t swept_text(const char *lit, swept_kind kind, char *out)
{
    size_t n = 0;
    if (kind != SWEPT_STRING) {
        n = strlen(lit);
        if (out) memcpy(out, lit, n);
        return n;
    }
    for (const char *p = lit + 1; *p && *p != '"'; p++) {
        char c = *p;
        if (c == '\\' && p[1] >= '0' && p[1] <= '9') {
            c = (char)((p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0')); /* 3 digits */
            p += 3;
        } else if (c == '\\' && p[1]) {
            c = *++p;
        }
        if (out) out[n] = c;
        n++;
    }
    return n;
}

/* One /points row: a replication of a point, with the swept values as
 * columns (named by their paths) when there is a sweep. */
static int write_point_row(results *r, const scen_config *cfg, const run_rep_result *rr,
                           const scen_sweep *sw, sim_error *err)
{
    uint32_t point = rr->point, rep = rr->replication;
    uint64_t seed = cfg->seed, events = rr->events, bytes = rr->model_bytes;
    uint8_t status = 1;
    double wall = rr->wall_s, simt = cfg->duration_s, f[5];
    run_fleet_life(rr, f);
    uint64_t excluded = (uint64_t)f[4];
    res_column cols[13 + SCEN_SWEEP_MAX_PATHS] = {
        COL("point_id", RES_U32, &point, "", "sweep point (0 without a sweep)"),
        COL("replication", RES_U32, &rep, "", "replication index, part of every RNG key"),
        COL("seed", RES_U64, &seed, "", "seed of the point (the base seed without a sweep)"),
        COL("status", RES_U8, &status, "", "1 = complete"),
        COL("wall_s", RES_F64, &wall, "s", "wall-clock time of the run (machine-dependent)"),
        COL("events", RES_U64, &events, "", "events dispatched"),
        COL("sim_time_s", RES_F64, &simt, "s", "simulated time"),
        COL("model_bytes", RES_U64, &bytes, "B", "memory of the model and event engine"),
        COL("fleet_life_mean_years", RES_F64, &f[0], "y", "battery life, mean over devices"),
        COL("fleet_life_p5_years", RES_F64, &f[1], "y", "battery life, 5th percentile"),
        COL("fleet_life_p50_years", RES_F64, &f[2], "y", "battery life, median"),
        COL("fleet_share_10y", RES_F64, &f[3], "", "share of devices lasting at least 10 years"),
        COL("fleet_excluded", RES_U64, &excluded, "",
            "devices out of coverage, left out of the fleet figures"),
    };
    size_t n = 13;
    char *str[SCEN_SWEEP_MAX_PATHS] = {NULL};
    uint8_t flag[SCEN_SWEEP_MAX_PATHS];
    int rc = SIM_OK;
    for (uint32_t k = 0; sw && k < sw->n_paths && !rc; k++) {
        int fixed = 0; /* a swept `seed` is already the seed column */
        for (size_t j = 0; j < 13; j++)
            fixed |= !strcmp(cols[j].name, sw->path[k]);
        if (fixed) continue;
        const swept_kind kind = swept_kind_of(sw, k);
        const size_t at = (size_t)point * sw->n_paths + k;
        if (kind == SWEPT_NUMBER) {
            cols[n] =
                COL(sw->path[k], RES_F64, &sw->num[at], cf_path_unit(sw->path[k]), "swept value");
        } else if (kind == SWEPT_BOOL) {
            flag[k] = sw->num[at] != 0;
            cols[n] = COL(sw->path[k], RES_U8, &flag[k], "", "swept value (1 = true)");
        } else {
            /* as wide as the longest value of any point: every point's row
             * (and point file) has the same width */
            size_t w = 1;
            for (uint32_t p = 0; p < sw->n_points; p++) {
                size_t l = swept_text(sw->lit[(size_t)p * sw->n_paths + k], kind, NULL);
                w = l > w ? l : w;
            }
            str[k] = calloc(1, w);
            if (!str[k]) {
                rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
                break;
            }
            swept_text(sw->lit[at], kind, str[k]);
            cols[n] = COL(sw->path[k], RES_STR, str[k], "",
                          kind == SWEPT_STRING ? "swept value (the string)"
                                               : "swept value (as a Lua literal)");
            cols[n].width = w;
        }
        cols[n++].swept = 1;
    }
    if (!rc) rc = results_append(r, "/points", cols, n, 1, err);
    for (uint32_t k = 0; k < SCEN_SWEEP_MAX_PATHS; k++)
        free(str[k]);
    return rc;
}

/* Column buffers of one table, freed together. */
#define COLSET_MAX 128
typedef struct colset {
    res_column col[COLSET_MAX];
    void *buf[COLSET_MAX];
    size_t n, rows;
    int oom, full; /* full: more columns than COLSET_MAX, a programming error */
} colset;

static void *col_add(colset *cs, const char *name, res_type t, const char *unit, const char *doc)
{
    static const size_t size[] = {4, 8, 4, 8, 8, 1};
    if (cs->n == COLSET_MAX) {
        cs->full = 1;
        return NULL;
    }
    void *b = malloc((cs->rows ? cs->rows : 1) * size[t]);
    if (!b) {
        cs->oom = 1;
        return NULL;
    }
    cs->buf[cs->n] = b;
    cs->col[cs->n] = (res_column){.name = name, .type = t, .data = b, .unit = unit, .doc = doc};
    cs->n++;
    return b;
}

/* A fixed-length string column of `width` bytes per row (zero-padded). */
static char *col_add_str(colset *cs, const char *name, size_t width, const char *doc)
{
    if (cs->n == COLSET_MAX) {
        cs->full = 1;
        return NULL;
    }
    char *b = calloc(cs->rows ? cs->rows : 1, width);
    if (!b) {
        cs->oom = 1;
        return NULL;
    }
    cs->buf[cs->n] = b;
    cs->col[cs->n] = (res_column){
        .name = name, .type = RES_STR, .data = b, .unit = "", .doc = doc, .width = width};
    cs->n++;
    return b;
}

/* Group numbers are 1-based, as the scenario's devices[g]; the name beside
 * them (fixed width: the name buffer's size, so every row and point of a
 * file has the same width). */
#define GROUP_DOC    "device group: devices[group] of the scenario (1-based)"
#define GROUP_NAME_W sizeof(((mac_group_cfg *)0)->name)
/* A string column of width bytes a row, row i the string expr (cut at
 * width: every caller's strings fit). */
#define STR(name, width, doc, expr)                                                                \
    do {                                                                                           \
        char *v_ = col_add_str(&cs, name, width, doc);                                             \
        for (uint32_t i = 0; v_ && i < n; i++) {                                                   \
            const char *s_ = (expr);                                                               \
            memcpy(v_ + (size_t)i * (width), s_, strnlen(s_, width));                              \
        }                                                                                          \
    } while (0)
#define GROUP_COLS(gexpr)                                                                          \
    do {                                                                                           \
        U32("group", "", GROUP_DOC, (gexpr) + 1);                                                  \
        STR("group_name", GROUP_NAME_W, "the group's name (devices[group].name), UTF-8",           \
            cfg->groups[(gexpr)].name);                                                            \
    } while (0)

static void colset_free(colset *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->buf[i]);
}

/* Appends the columns' rows to `group` (unless building them failed) and
 * frees them. */
static int colset_append(results *r, const char *group, colset *cs, sim_error *err)
{
    int rc = cs->full  ? sim_error_set(err, SIM_ERR_RUNTIME,
                                       "results: more than %d columns in one table", COLSET_MAX)
             : cs->oom ? sim_error_set(err, SIM_ERR_RUNTIME, "results: out of memory")
                       : results_append(r, group, cs->col, cs->n, cs->rows, err);
    colset_free(cs);
    return rc;
}

#define U32(name, unit, doc, expr)                                                                 \
    do {                                                                                           \
        uint32_t *v_ = col_add(&cs, name, RES_U32, unit, doc);                                     \
        for (uint32_t i = 0; v_ && i < n; i++)                                                     \
            v_[i] = (uint32_t)(expr);                                                              \
    } while (0)
#define U8(name, unit, doc, expr)                                                                  \
    do {                                                                                           \
        uint8_t *v_ = col_add(&cs, name, RES_U8, unit, doc);                                       \
        for (uint32_t i = 0; v_ && i < n; i++)                                                     \
            v_[i] = (uint8_t)(expr);                                                               \
    } while (0)
#define F64(name, unit, doc, expr)                                                                 \
    do {                                                                                           \
        double *v_ = col_add(&cs, name, RES_F64, unit, doc);                                       \
        for (uint32_t i = 0; v_ && i < n; i++)                                                     \
            v_[i] = (double)(expr);                                                                \
    } while (0)

#define U64(name, unit, doc, expr)                                                                 \
    do {                                                                                           \
        uint64_t *v_ = col_add(&cs, name, RES_U64, unit, doc);                                     \
        for (uint32_t i = 0; v_ && i < n; i++)                                                     \
            v_[i] = (uint64_t)(expr);                                                              \
    } while (0)

static int write_devices(results *r, const scen_config *cfg, const run_rep_result *rr,
                         uint32_t cell, sim_error *err)
{
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(rr->run.cells[cell], &n);
    colset cs = {.rows = n};
    static const char *const tnames[ENERGY_STATE_COUNT] = {
        "time_s_psm",       "time_s_edrx", "time_s_idle", "time_s_cdrx",
        "time_s_connected", "time_s_rx",   "time_s_tx"};
    static const char *const enames[ENERGY_STATE_COUNT] = {
        "energy_j_psm",       "energy_j_edrx", "energy_j_idle", "energy_j_cdrx",
        "energy_j_connected", "energy_j_rx",   "energy_j_tx"};
    U32("point_id", "", "sweep point", rr->point);
    U32("replication", "", "replication index", rr->replication);
    U32("cell", "", "cell index (site x 3 + sector in a layout)", cell);
    U32("device", "", "device number within the cell (1-based; trace.devices uses it)", i + 1);
    GROUP_COLS(s[i].group);
    U8("ce_level", "", "CE level from RSRP (0-based; 4 = out of coverage)", s[i].ce_level);
    F64("coupling_loss_db", "dB", "coupling loss", s[i].coupling_loss_db);
    F64("rsrp_dbm", "dBm", "NRSRP", s[i].rsrp_dbm);
    F64("ul_snr_db", "dB", "uplink SNR, single tone 15 kHz at full power", s[i].ul_snr_db);
    F64("dl_snr_db", "dB", "downlink SNR over 180 kHz", s[i].dl_snr_db);
    U32("reports_generated", "", "reports the application produced", s[i].reports_generated);
    U32("reports_delivered", "", "reports delivered to the network", s[i].reports_delivered);
    U32("reports_dropped", "", "reports dropped (device buffer full)", s[i].reports_dropped);
    U32("reports_failed", "", "reports whose access or transfer failed", s[i].reports_failed);
    U32("reports_pending", "", "reports buffered or in flight at the end", s[i].reports_pending);
    {
        uint64_t *v = col_add(&cs, "bytes_delivered", RES_U64, "B", "payload bytes delivered");
        for (uint32_t i = 0; v && i < n; i++)
            v[i] = s[i].bytes_delivered;
    }
    U32("ra_attempts", "", "NPRACH preambles sent", s[i].preambles);
    U32("ra_collisions", "", "attempts whose preamble collided", s[i].collisions);
    U32("ra_failures", "", "random-access procedures that failed", s[i].ra_failures);
    U32("ce_escalations", "", "moves to a higher CE level after failed attempts",
        s[i].ce_escalations);
    {
        uint8_t *v = col_add(&cs, "out_of_coverage", RES_U8, "",
                             "1: no CE level reachable; the device searched for a cell all along "
                             "(excluded from the fleet battery-life figures)");
        for (uint32_t i = 0; v && i < n; i++)
            v[i] = s[i].out_of_coverage;
    }
    U32("cell_searches", "", "cell searches made while out of coverage", s[i].cell_searches);
    U32("si_reads", "", "system information read again after it expired", s[i].si_reads);
    U32("harq_retx", "", "HARQ retransmissions, uplink and downlink", s[i].harq_retx);
    U32("edt_reports", "", "reports sent in Msg3 by early data transmission", s[i].edt_reports);
    U32("edt_fallbacks", "",
        "EDT attempts answered with a connection: downlink data queued that Msg4 cannot carry "
        "(an attempt whose Msg4 is lost counts again when retried)",
        s[i].edt_fallbacks);
    U32("pur_reports", "", "reports delivered on a preconfigured uplink resource (PUR)",
        s[i].pur_reports);
    U32("pur_transmissions", "", "PUR transmissions, retransmissions included",
        s[i].pur_transmissions);
    U32("pur_fallbacks", "",
        "reports that fell back from PUR to random access (or EDT): invalid TA, no or a fallback "
        "response, system information to read, downlink data queued that the response cannot "
        "carry",
        s[i].pur_fallbacks);
    U32("pur_ta_invalid", "", "PUR fallbacks for an invalid TA (RSRP change or TA timer)",
        s[i].pur_ta_invalid);
    U32("pur_skipped", "", "PUR occasions the device skipped (no report waiting)",
        s[i].pur_skipped);
    U32("pur_releases", "", "PUR configurations released after skipped occasions",
        s[i].pur_releases);
    F64("npusch_reps_mean", "", "mean NPUSCH repetitions of data blocks", s[i].npusch_reps_mean);
    U32("occasions_monitored", "", "paging occasions whose NPDCCH was monitored", s[i].occasions);
    U32("wus_monitored", "", "paging occasions whose wake-up signal was monitored",
        s[i].wus_monitored);
    U32("pages_received", "", "paging messages received for the device", s[i].pages);
    U32("false_pages", "",
        "occasions with a page for other devices only that it woke for (its WUS or group WUS "
        "sent) or, without WUS, whose paging message it read",
        s[i].false_pages);
    U8("paging_carrier", "",
       "NB-IoT carrier it is paged on (0: anchor, 1 ... 15: cell.carriers' non-anchor ones)",
       s[i].paging_carrier);
    U8("carrier", "", "carrier of its last random access or connection (0: anchor)", s[i].carrier);
    U32("taus", "", "periodic tracking-area updates", s[i].taus);
    U32("dl_generated", "", "network commands for the device", s[i].dl_generated);
    U32("dl_delivered", "", "network commands delivered", s[i].dl_delivered);
    U32("dl_lost", "", "network commands lost (paging failed or buffer expired)", s[i].dl_lost);
    U32("dl_pending", "", "network commands waiting at the end", s[i].dl_pending);
    F64("dl_latency_ms_mean", "ms", "command latency, arrival at the network to reception",
        s[i].dl_latency_ms_mean);
    F64("dl_latency_ms_p50", "ms", "median command latency", s[i].dl_latency_ms_p50);
    F64("dl_latency_ms_p95", "ms", "95th percentile command latency", s[i].dl_latency_ms_p95);
    F64("dl_latency_ms_max", "ms", "maximum command latency", s[i].dl_latency_ms_max);
    F64("latency_ms_mean", "ms", "report latency, generation to delivery", s[i].latency_ms_mean);
    F64("latency_ms_p50", "ms", "median latency (linear interpolation)", s[i].latency_ms_p50);
    F64("latency_ms_p95", "ms", "95th percentile latency", s[i].latency_ms_p95);
    F64("latency_ms_max", "ms", "maximum latency", s[i].latency_ms_max);
    F64("energy_j", "J", "energy over the simulated time", energy_total_j(&s[i].energy));
    F64("avg_power_mw", "mW", "average power", s[i].avg_power_mw);
    /* Planners budget in current at the battery's voltage: I = P / V. */
    F64("avg_current_ua", "uA",
        "average current at the group's battery.voltage_v: avg_power_mw / voltage_v x 1000",
        s[i].avg_power_mw / cfg->groups[s[i].group].battery.voltage_v * 1000.0);
    F64("battery_life_years", "y", "battery capacity / average power", s[i].battery_life_years);
    for (int k = 0; k < ENERGY_STATE_COUNT; k++) {
        F64(tnames[k], "s", "time in this power state", (double)s[i].energy.time_us[k] / 1e6);
        F64(enames[k], "J", "energy in this power state", s[i].energy_j[k]);
    }
    char pnames[2][ENERGY_PROC_COUNT][32];
    for (int k = 0; k < ENERGY_PROC_COUNT; k++) {
        snprintf(pnames[0][k], sizeof pnames[0][k], "time_s_%s", energy_proc_name(k));
        snprintf(pnames[1][k], sizeof pnames[1][k], "energy_j_%s", energy_proc_name(k));
        F64(pnames[0][k], "s",
            "time charged to this procedure (README, Energy by procedure); the procedures sum "
            "to the simulated time",
            (double)s[i].energy.proc_time_us[k] / 1e6);
        F64(pnames[1][k], "J",
            "energy charged to this procedure; the procedures sum to energy_j (to rounding)",
            s[i].energy.proc_j[k]);
    }
    /* mac/campaign.c; written without a campaign too (0 / NaN): the points
     * of a sweep over campaign.mode share one /devices table */
    {
        U8("fota_status", "",
           "firmware update campaign: 0 not a target, 1 updated, 2 failed, 3 pending at the end",
           s[i].fota_status);
        F64("fota_done_s", "s",
            "the image received, verified and written (s since the start of the run; NaN: not "
            "updated)",
            s[i].fota_done_s);
        F64("fota_radio_j", "J",
            "radio energy charged to the campaign (energy_j_fota: the image's reception, the "
            "wait for a multicast session)",
            s[i].fota_radio_j);
        F64("fota_mcu_j", "J",
            "secure update on the MCU: signature verification, hashing, flash write "
            "(campaign.device; not in energy_j, the radio module's)",
            s[i].fota_mcu_j);
        U32("fota_blocks_missed", "",
            "multicast: image blocks lost over its sessions (repaired by unicast, or without "
            "repair by the next rounds)",
            s[i].fota_blocks_missed);
    }
    int rc = colset_append(r, "/devices", &cs, err);
    return rc;
}

/* The campaign's row per cell (/campaign) and its completion curve
 * (/campaign_curve, MAC_FOTA_CURVE_N rows); nothing without a campaign. */
static int write_campaign(results *r, const scen_config *cfg, const run_rep_result *rr,
                          uint32_t cell, sim_error *err)
{
    if (cfg->radio.campaign.mode == MAC_FOTA_NONE) return 0;
    const mac_cell_stats *c = mac_cell_stats_get(rr->run.cells[cell]);
    uint32_t n = 1;
    colset cs = {.rows = 1};
    U32("point_id", "", "sweep point", rr->point);
    U32("replication", "", "replication index", rr->replication);
    U32("cell", "", "cell index", cell);
    U32("targets", "", "devices of the target groups", c->fota_targets);
    U32("updated", "", "targets updated (image verified and written)", c->fota_updated);
    U32("failed", "", "targets failed (out of coverage, or RLC gave up on a block)",
        c->fota_failed);
    U32("pending", "", "targets neither updated nor failed at the end", c->fota_pending);
    F64("done_s_p50", "s", "median completion time of the updated targets, since start_s",
        c->fota_done_s_p50);
    F64("done_s_p90", "s", "90th percentile of the completion time, since start_s",
        c->fota_done_s_p90);
    F64("done_s_max", "s", "last completion, since start_s", c->fota_done_s_max);
    F64("dl_s", "s",
        "downlink time the image took (NPDCCH + NPDSCH: every unicast block and DCI, every "
        "SC-PTM session's SC-MCCH and SC-MTCH)",
        c->fota_dl_s);
    U32("sessions", "", "SC-PTM sessions sent (rounds x levels)", c->fota_sessions);
    F64("radio_j_mean", "J",
        "radio energy charged to the campaign per target, mean over every target (failed and "
        "pending ones with what they spent so far)",
        c->fota_radio_j_mean);
    F64("radio_j_p95", "J", "... 95th percentile", c->fota_radio_j_p95);
    F64("mcu_j_mean", "J", "secure-update MCU energy per target, mean", c->fota_mcu_j_mean);
    F64("lat_before_ms_mean", "ms",
        "latency of the reports generated before start_s (the cell without the campaign)",
        c->fota_lat_before_ms_mean);
    F64("lat_before_ms_p95", "ms", "... 95th percentile", c->fota_lat_before_ms_p95);
    F64("lat_during_ms_mean", "ms",
        "latency of the reports of the devices not targeted generated from start_s to the last "
        "target's completion (the end of the run if targets are pending)",
        c->fota_lat_during_ms_mean);
    F64("lat_during_ms_p95", "ms", "... 95th percentile", c->fota_lat_during_ms_p95);
    U64("lat_during_n", "", "reports of the devices not targeted in that window",
        c->fota_lat_during_n);
    F64("lat_targets_ms_mean", "ms",
        "latency of the targets' own reports generated in that window (held while receiving "
        "a session or the image)",
        c->fota_lat_targets_ms_mean);
    F64("lat_targets_ms_p95", "ms", "... 95th percentile", c->fota_lat_targets_ms_p95);
    int rc = colset_append(r, "/campaign", &cs, err);
    if (rc) return rc;
    uint32_t pid[MAC_FOTA_CURVE_N], rep[MAC_FOTA_CURVE_N], cl[MAC_FOTA_CURVE_N];
    for (int k = 0; k < MAC_FOTA_CURVE_N; k++) {
        pid[k] = rr->point;
        rep[k] = rr->replication;
        cl[k] = cell;
    }
    res_column cols[] = {
        COL("point_id", RES_U32, pid, "", "sweep point"),
        COL("replication", RES_U32, rep, "", "replication index"),
        COL("cell", RES_U32, cl, "", "cell index"),
        COL("t_s", RES_F64, (void *)c->fota_curve_t_s, "s",
            "time since start_s (20 instants to the last completion, or the end of the run while "
            "targets are pending)"),
        COL("share", RES_F64, (void *)c->fota_curve_share, "",
            "share of the targets updated by then"),
    };
    return results_append(r, "/campaign_curve", cols, 5, MAC_FOTA_CURVE_N, err);
}

static int write_cells(results *r, const run_rep_result *rr, uint32_t cell, sim_error *err)
{
    const mac_cell_stats *c = mac_cell_stats_get(rr->run.cells[cell]);
    const uint32_t n = 1;
    colset cs = {.rows = 1};
    static const char *const stat[9] = {"opportunities", "preambles",  "collided",
                                        "detected",      "successes",  "failures",
                                        "rar_pdus",      "rar_missed", "edt_tbs"};
    static const char *const docs[9] = {
        "PRACH attempt opportunities in the simulated time",
        "preambles sent",
        "preambles sharing their subcarrier with another",
        "distinct preambles detected",
        "random-access procedures completed at this level",
        "procedures given up at this level",
        "RAR MAC PDUs sent (each holds as many RARs as one transport block carries)",
        "detected preambles left without a RAR in the window (no room)",
        ("EDT TBS offered: the largest of the level's edt_tbs and below whose Msg3 the level's "
         "edge can send at the BLER target (0: EDT off or none fits)")};
    char names[MAC_MAX_CE][9][32];
    for (int k = 0; k < MAC_MAX_CE; k++)
        for (int i = 0; i < 9; i++)
            snprintf(names[k][i], sizeof names[k][i], "ce%d_%s", k, stat[i]);
    U32("point_id", "", "sweep point", rr->point);
    U32("replication", "", "replication index", rr->replication);
    U32("cell", "", "cell index (site x 3 + sector in a layout)", cell);
    U32("devices", "", "devices in the cell", c->devices);
    F64("ul_iot_db", "dB", "uplink interference over thermal from other cells (layouts)",
        rr->run.iot_db[cell]);
    U32("out_of_coverage", "", "devices beyond the last CE level's reach", c->out_of_coverage);
    U64("reports_generated", "", "reports generated", c->reports_generated);
    U64("reports_delivered", "", "reports delivered", c->reports_delivered);
    U64("reports_dropped", "", "reports dropped (buffer full)", c->reports_dropped);
    U64("reports_failed", "", "reports failed", c->reports_failed);
    U64("reports_pending", "", "reports pending at the end", c->reports_pending);
    U64("edt_reports", "", "reports sent in Msg3 by early data transmission", c->edt_reports);
    U64("edt_fallbacks", "",
        "EDT attempts answered with a connection: downlink data queued that Msg4 cannot carry",
        c->edt_fallbacks);
    U64("pur_reports", "", "reports delivered on preconfigured uplink resources (PUR)",
        c->pur_reports);
    U64("pur_transmissions", "", "PUR transmissions, retransmissions included",
        c->pur_transmissions);
    U64("pur_fallbacks", "", "PUR fallbacks to random access (or EDT)", c->pur_fallbacks);
    U64("pur_ta_invalid", "", "PUR fallbacks for an invalid TA", c->pur_ta_invalid);
    U64("pur_skipped", "", "PUR occasions skipped", c->pur_skipped);
    U64("pur_releases", "", "PUR configurations released after skipped occasions", c->pur_releases);
    F64("pur_ul_util", "",
        "share of the uplink data resource x time the PUR occasions reserved, used or not (part "
        "of ul_util)",
        c->pur_ul_util);
    U64("bytes_delivered", "B", "payload bytes delivered", c->bytes_delivered);
    F64("latency_ms_mean", "ms", "report latency", c->latency_ms_mean);
    F64("latency_ms_p50", "ms", "median latency", c->latency_ms_p50);
    F64("latency_ms_p95", "ms", "95th percentile latency", c->latency_ms_p95);
    F64("latency_ms_max", "ms", "maximum latency", c->latency_ms_max);
    U32("latency_binned", "",
        "1: the cell's and its devices' latency figures come from 1 % bins (within +-0.5 %; "
        "cell.latency_exact_per_device), 0: exact",
        c->latency_binned);
    F64("energy_j", "J", "energy of all devices", c->energy_j);
    U64("events", "", "events dispatched in the cell (every interference pass)", c->events);
    U64("dl_generated", "", "network commands", c->dl_generated);
    U64("dl_delivered", "", "network commands delivered", c->dl_delivered);
    U64("dl_lost", "", "network commands lost", c->dl_lost);
    F64("dl_latency_ms_mean", "ms", "command latency", c->dl_latency_ms_mean);
    F64("dl_latency_ms_p95", "ms", "95th percentile command latency", c->dl_latency_ms_p95);
    U64("paging_records", "", "records sent in paging messages", c->paging_records);
    U64("paged_occasions", "", "paging occasions that carried a paging message",
        c->paged_occasions);
    F64("paging_records_per_occasion", "", "records per paging message",
        c->paged_occasions ? (double)c->paging_records / (double)c->paged_occasions : 0.0);
    U64("paging_deferrals", "", "records moved to a later occasion (message full)",
        c->paging_deferrals);
    U64("paging_failures", "", "commands lost after the last paging attempt", c->paging_failures);
    U64("wus_sent", "", "wake-up signals sent", c->wus_sent);
    U64("false_pages", "", "the devices' false_pages summed", c->false_pages);
    const mac_trace *tr = mac_cell_trace(rr->run.cells[cell]);
    if (tr && tr->dropped) /* not silent: the trace is cut short */
        fprintf(stderr,
                "mtcsim: warning: the trace of cell %u (replication %u) reached trace.max_rows "
                "(%u rows): %llu more rows not kept (/cells trace_dropped)\n",
                cell, rr->replication, tr->n, (unsigned long long)tr->dropped);
    U64("trace_dropped", "",
        "trace rows not kept: the cell reached trace.max_rows (0: the trace is complete)",
        tr ? tr->dropped : 0);
    F64("npdcch_npdsch_utilisation", "",
        "share of time the downlink carrier is reserved (several carriers: their mean, each in "
        "/carriers)",
        c->dl_busy_s / rr->sim_time_s);
    F64("npusch_utilisation", "",
        "share of the uplink data resource x time reserved (NB-IoT 12 tones, LTE-M the PUSCH "
        "narrowbands' PRBs; several carriers: their mean, each in /carriers)",
        c->ul_util);
    U64("ra_successes", "", "random-access procedures completed", c->ra_successes);
    U64("ra_failures", "", "random-access procedures given up", c->ra_failures);
    F64("ra_collision_prob", "",
        "TR 37.868 collision probability: (opportunity, preamble) pairs chosen by two or more "
        "devices / (opportunities x preambles)",
        c->ra_collision_prob);
    F64("ra_success_prob", "", "access success probability: completed / (completed + given up)",
        c->ra_success_prob);
    F64("ra_mean_preamble_tx", "", "preamble transmissions per successful access", c->ra_mean_tx);
    F64("ra_delay_ms_mean", "ms", "access delay, first preamble to Msg4, successful accesses",
        c->ra_delay_ms_mean);
    F64("ra_delay_ms_p95", "ms", "95th percentile access delay (ra_model tr37868 only, else NaN)",
        c->ra_delay_ms_p95);
    for (int k = 0; k < MAC_MAX_CE; k++) {
        const mac_ce_stats *e = &c->ce[k];
        U64(names[k][0], "", docs[0], e->opportunities);
        U64(names[k][1], "", docs[1], e->preambles);
        U64(names[k][2], "", docs[2], e->collided);
        U64(names[k][3], "", docs[3], e->detected);
        U64(names[k][4], "", docs[4], e->successes);
        U64(names[k][5], "", docs[5], e->failures);
        U64(names[k][6], "", docs[6], e->rar_pdus);
        U64(names[k][7], "", docs[7], e->rar_missed);
        U64(names[k][8], "bits", docs[8], e->edt_tbs);
    }
    int rc = colset_append(r, "/cells", &cs, err);
    return rc;
}

/* Charge of an energy at the battery's nominal voltage, uAh (J / V = A s). */
static double charge_uah(double j, double volts)
{
    return energy_charge_uah(j / volts);
}

/* Per group of a cell: the energy by procedure (sums of the group's
 * procedure x state matrix), its shares, and the charge per delivered
 * report. */
static int write_groups(results *r, const scen_config *cfg, const run_rep_result *rr, uint32_t cell,
                        sim_error *err)
{
    uint32_t n, nd;
    const energy_matrix *m = mac_cell_group_energy(rr->run.cells[cell], &n);
    const mac_device_stats *s = mac_cell_device_stats(rr->run.cells[cell], &nd);
    uint32_t *devs = calloc(n ? n : 1, sizeof *devs);
    uint32_t *oos = calloc(n ? n : 1, sizeof *oos);
    double *edge = calloc(n ? n : 1, sizeof *edge);
    uint64_t *del = calloc(n ? n : 1, sizeof *del);
    double *ej = calloc(n ? n : 1, sizeof *ej);
    double(*pj)[ENERGY_PROC_COUNT] = calloc(n ? n : 1, sizeof *pj);
    double(*pt)[ENERGY_PROC_COUNT] = calloc(n ? n : 1, sizeof *pt);
    double *tot = calloc(n ? n : 1, sizeof *tot);
    colset cs = {.rows = n};
    if (!devs || !oos || !edge || !del || !ej || !pj || !pt || !tot) cs.oom = 1;
    for (uint32_t g = 0; !cs.oom && g < n; g++) {
        mac_budget b;
        edge[g] = mac_budget_at(&cfg->radio, cfg->groups[g].tx_max_dbm, &b) == 0 ? b.edge_db : NAN;
    }
    for (uint32_t i = 0; !cs.oom && i < nd; i++) {
        devs[s[i].group]++;
        oos[s[i].group] += s[i].out_of_coverage;
        del[s[i].group] += s[i].reports_delivered;
        ej[s[i].group] += energy_total_j(&s[i].energy);
    }
    for (uint32_t g = 0; !cs.oom && g < n; g++)
        for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
            int64_t us = 0;
            for (int k = 0; k < ENERGY_STATE_COUNT; k++) {
                pj[g][p] += m[g].j[p][k];
                us += m[g].time_us[p][k];
            }
            pt[g][p] = (double)us / 1e6;
            tot[g] += pj[g][p];
        }
    char names[3][ENERGY_PROC_COUNT][32];
    if (!cs.oom) {
        U32("point_id", "", "sweep point", rr->point);
        U32("replication", "", "replication index", rr->replication);
        U32("cell", "", "cell index (site x 3 + sector in a layout)", cell);
        GROUP_COLS(i);
        U32("devices", "", "devices of the group in the cell", devs[i]);
        F64("tx_max_dbm", "dBm",
            "the devices' maximum output P_CMAX: their power class devices[group].tx_max_dbm "
            "capped by cell.p_max_dbm (TS 36.101 6.2.5F)",
            mac_pcmax_dbm(&cfg->radio, cfg->groups[i].tx_max_dbm));
        F64("edge_db", "dB",
            "the largest coupling loss at which a device of the group's power class reaches the "
            "last CE level (cell.budget.edge_db for this class; no interference rise)",
            edge[i]);
        U32("out_of_coverage", "", "devices of the group in the cell beyond its edge (searching)",
            oos[i]);
        U64("reports_delivered", "", "reports the group's devices delivered", del[i]);
        F64("energy_j", "J", "energy of the group's devices over the simulated time", ej[i]);
        F64("voltage_v", "V",
            "battery voltage the charge is counted at: devices[i].battery.voltage_v (3.6 V, "
            "lithium thionyl chloride, unless a mAh rating says otherwise)",
            cfg->groups[i].battery.voltage_v);
        F64("charge_uah_per_report", "uAh",
            "charge per delivered report: energy_j / voltage_v over reports_delivered, "
            "everything the devices spent (idle included); NaN without a delivered report",
            del[i] ? charge_uah(ej[i], cfg->groups[i].battery.voltage_v) / (double)del[i] : NAN);
    }
    for (int p = 0; !cs.oom && p < ENERGY_PROC_COUNT; p++) {
        snprintf(names[0][p], sizeof names[0][p], "energy_j_%s", energy_proc_name(p));
        snprintf(names[1][p], sizeof names[1][p], "time_s_%s", energy_proc_name(p));
        snprintf(names[2][p], sizeof names[2][p], "share_%s", energy_proc_name(p));
        F64(names[0][p], "J", "energy of the group's devices charged to this procedure", pj[i][p]);
        F64(names[1][p], "s", "device time charged to this procedure (summed over devices)",
            pt[i][p]);
        F64(names[2][p], "",
            "share of the group's energy charged to this procedure (NaN: no energy, no devices of "
            "the group in the cell)",
            tot[i] > 0 ? pj[i][p] / tot[i] : NAN);
    }
    int rc = colset_append(r, "/groups", &cs, err);
    free(devs);
    free(oos);
    free(edge);
    free(del);
    free(ej);
    free(pj);
    free(pt);
    free(tot);
    return rc;
}

/* The procedure x power state matrix of every group of a cell, long
 * format: one row per (group, procedure, state). */
static int write_energy_matrix(results *r, const scen_config *cfg, const run_rep_result *rr,
                               uint32_t cell, sim_error *err)
{
    uint32_t ng;
    const energy_matrix *m = mac_cell_group_energy(rr->run.cells[cell], &ng);
    const uint32_t per = ENERGY_PROC_COUNT * ENERGY_STATE_COUNT, n = ng * per;
    colset cs = {.rows = n};
    /* the codes' names, as in the /devices and /groups columns */
    char pdoc[400] = "procedure: ", sdoc[200] = "power state: ";
    for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
        snprintf(pdoc + strlen(pdoc), sizeof pdoc - strlen(pdoc), "%s%d %s", p ? ", " : "", p,
                 energy_proc_name(p));
    }
    for (int k = 0; k < ENERGY_STATE_COUNT; k++) {
        snprintf(sdoc + strlen(sdoc), sizeof sdoc - strlen(sdoc), "%s%d %s", k ? ", " : "", k,
                 energy_state_name(k));
    }
    /* row i: group i / per, procedure (i % per) / states, state i % states */
#define MX_G(i) ((i) / per)
#define MX_P(i) ((i) % per / ENERGY_STATE_COUNT)
#define MX_S(i) ((i) % ENERGY_STATE_COUNT)
    U32("point_id", "", "sweep point", rr->point);
    U32("replication", "", "replication index", rr->replication);
    U32("cell", "", "cell index", cell);
    GROUP_COLS(MX_G(i));
    U8("procedure", "", pdoc, MX_P(i));
    U8("state", "", sdoc, MX_S(i));
    /* the codes' names beside them, as the /devices columns name them */
    STR("procedure_name", 16, "the procedure's name", energy_proc_name((energy_proc)MX_P(i)));
    STR("state_name", 16, "the power state's name", energy_state_name((energy_state)MX_S(i)));
    F64("time_s", "s", "device time of the group in this procedure and state",
        (double)m[MX_G(i)].time_us[MX_P(i)][MX_S(i)] / 1e6);
    F64("energy_j", "J", "energy of the group in this procedure and state",
        m[MX_G(i)].j[MX_P(i)][MX_S(i)]);
#undef MX_G
#undef MX_P
#undef MX_S
    return colset_append(r, "/energy_matrix", &cs, err);
}

/* The access-delay CDF of a cell, long format: one row per point. */
static int write_ra_cdf(results *r, const run_rep_result *rr, uint32_t cell, sim_error *err)
{
    const mac_cell_stats *c = mac_cell_stats_get(rr->run.cells[cell]);
    uint32_t pid[MAC_RACH_CDF_N], rep[MAC_RACH_CDF_N], cl[MAC_RACH_CDF_N];
    double ms[MAC_RACH_CDF_N];
    for (int k = 0; k < MAC_RACH_CDF_N; k++) {
        pid[k] = rr->point;
        rep[k] = rr->replication;
        cl[k] = cell;
        ms[k] = (double)(k * MAC_RACH_CDF_STEP_MS);
    }
    res_column cols[] = {
        COL("point_id", RES_U32, pid, "", "sweep point"),
        COL("replication", RES_U32, rep, "", "replication index"),
        COL("cell", RES_U32, cl, "", "cell index"),
        COL("delay_ms", RES_F64, ms, "ms", "access delay"),
        COL("share", RES_F64, c->ra_delay_cdf, "",
            "share of random accesses (successful or given up) completed within delay_ms of "
            "their first preamble"),
    };
    return results_append(r, "/ra_delay_cdf", cols, 5, MAC_RACH_CDF_N, err);
}

/* One row per carrier of the cell (NB-IoT: the anchor, then the non-anchor
 * carriers; LTE-M and single-carrier cells: one row). */
static int write_carriers(results *r, const run_rep_result *rr, uint32_t cell, sim_error *err)
{
    const mac_cell_stats *c = mac_cell_stats_get(rr->run.cells[cell]);
    const uint32_t n = c->carriers;
    uint32_t pid[MAC_MAX_CARRIERS], rep[MAC_MAX_CARRIERS], cl[MAC_MAX_CARRIERS];
    uint8_t car[MAC_MAX_CARRIERS];
    double dl[MAC_MAX_CARRIERS], ul[MAC_MAX_CARRIERS];
    uint64_t pre[MAC_MAX_CARRIERS], col[MAC_MAX_CARRIERS], pag[MAC_MAX_CARRIERS],
        con[MAC_MAX_CARRIERS];
    for (uint32_t k = 0; k < n && k < MAC_MAX_CARRIERS; k++) {
        pid[k] = rr->point;
        rep[k] = rr->replication;
        cl[k] = cell;
        car[k] = (uint8_t)k;
        dl[k] = c->car[k].dl_util;
        ul[k] = c->car[k].ul_util;
        pre[k] = c->car[k].preambles;
        col[k] = c->car[k].collided;
        pag[k] = c->car[k].paging_records;
        con[k] = c->car[k].connections;
    }
    res_column cols[] = {
        COL("point_id", RES_U32, pid, "", "sweep point"),
        COL("replication", RES_U32, rep, "", "replication index"),
        COL("cell", RES_U32, cl, "", "cell index"),
        COL("carrier", RES_U8, car, "",
            "carrier: 0 the anchor, 1 ... the NB-IoT non-anchor carriers (cell.carriers)"),
        COL("dl_utilisation", RES_F64, dl, "",
            "share of the carrier's downlink (NPDCCH + NPDSCH; LTE-M: per narrowband) reserved "
            "over the simulated time"),
        COL("ul_utilisation", RES_F64, ul, "",
            "share of the carrier's uplink (NPUSCH units x time; HARQ-ACKs counted) reserved "
            "over the simulated time"),
        COL("preambles", RES_U64, pre, "", "NPRACH preambles sent on the carrier, every level"),
        COL("collided", RES_U64, col, "", "of those, preambles that shared a subcarrier"),
        COL("paging_records", RES_U64, pag, "", "paging records in the carrier's paging messages"),
        COL("connections", RES_U64, con, "", "RRC connections set up on the carrier"),
    };
    return results_append(r, "/carriers", cols, 10, n, err);
}

/* Creates the results file (under its temporary name) with provenance and
 * configuration before the run, so that an unwritable path fails at once. */
results *runner_open_results(const scen_config *cfg, const scen_source *src, const run_options *opt,
                             sim_error *err)
{
    res_meta meta = {MTCSIM_VERSION, MTCSIM_GIT_SHA, opt->command_line, SIM_RNG_ALGORITHM,
                     cfg->name,      src->path,      cfg->seed};
    results *r = results_create(opt->out_path, &meta, err);
    if (!r) return NULL;
    if (!opt->force) results_keep_existing(r);
    char *json = scen_config_json(cfg);
    int rc = json ? SIM_OK : sim_error_set(err, SIM_ERR_RUNTIME, "results: out of memory");
    if (!rc) rc = results_write_text(r, "/config/scenario", src->text, err);
    if (!rc) rc = results_write_text(r, "/config/resolved", json, err);
    free(json);
    if (rc) {
        results_abort(r);
        return NULL;
    }
    return r;
}

/* The cell's time series (none: no rows), one row per bin. */
static int write_timeseries(results *r, const run_rep_result *rr, uint32_t cell, sim_error *err)
{
    const mac_tseries *t = mac_cell_tseries(rr->run.cells[cell]);
    if (!t) return SIM_OK;
    const uint32_t n = t->n;
    const double bin_s = sim_time_to_s(t->bin);
    colset cs = {.rows = n};
    char names[MAC_TS_COUNTERS][32];
    U32("point_id", "", "sweep point", rr->point);
    U32("replication", "", "replication index", rr->replication);
    U32("cell", "", "cell index (site x 3 + sector in a layout)", cell);
    F64("t_s", "s", "start of the bin", (double)i * bin_s);
    F64("dt_s", "s", "length of the bin (the last ends at the simulated time)",
        i + 1 < n ? bin_s : rr->sim_time_s - (double)i * bin_s);
    for (int k = 0; k < MAC_TS_COUNTERS; k++) {
        const char *doc = "";
        mac_ts_counter_info(k, names[k], sizeof names[k], &doc);
        U32(names[k], "", doc, t->count[(size_t)i * MAC_TS_COUNTERS + (size_t)k]);
    }
    F64("ul_busy", "",
        "share of the uplink data resource x time reserved in the bin (NB-IoT: 48 3.75 kHz "
        "units; NaN: not evaluated); HARQ-ACKs count without a reservation of their own, so a "
        "bin of a saturated uplink can exceed 1",
        t->ul_busy[i]);
    F64("dl_busy", "",
        "share of the downlink reserved in the bin (LTE-M: mean over the narrowbands; NaN: not "
        "evaluated)",
        t->dl_busy[i]);
    F64("devices_connected", "",
        "devices in RRC connected (Msg4 to release), mean over the bin (NaN: not evaluated)",
        t->connected[i]);
    F64("energy_j", "J",
        "energy the cell's devices drew in the bin (an interval's energy spread evenly over "
        "it; NaN: not evaluated)",
        t->energy_j[i]);
    int rc = colset_append(r, "/timeseries", &cs, err);
    if (!rc) rc = results_group_attr(r, "/timeseries", "interval_s", bin_s, err);
    return rc;
}

/* The cell's trace rows (none: no rows). */
static int write_trace(results *r, const run_rep_result *rr, uint32_t cell, sim_error *err)
{
    const mac_trace *t = mac_cell_trace(rr->run.cells[cell]);
    if (!t || !t->n) return SIM_OK;
    const uint32_t n = t->n;
    const mac_trace_row *w = t->rows;
    colset cs = {.rows = n};
    U32("point_id", "", "sweep point", rr->point);
    U32("replication", "", "replication index", rr->replication);
    U32("cell", "", "cell index (site x 3 + sector in a layout)", cell);
    U32("device", "", "device number within the cell (1-based, as /devices)", w[i].device + 1);
    F64("t_s", "s", "time of the event (whole microseconds)", sim_time_to_s(w[i].t));
    /* names as fixed-width strings (24 bytes hold the longest) */
    STR("event", 24, "the event (mac/mac_internal.h enum mac_event, by name)",
        mac_event_name(w[i].event));
    STR("state", 24,
        "protocol state after the event: idle, sync, wait_prach, preamble, rar_wait, msg3, "
        "msg4_wait, connected, inactive, release",
        mac_state_name(w[i].state));
    STR("power_state", 24, "power state after the event (as the time_s_<state> columns)",
        energy_state_name(w[i].power_state));
    STR("procedure", 24, "procedure charged after the event (as the energy_j_<procedure> columns)",
        energy_proc_name(w[i].procedure));
    U8("ce_level", "", "CE level of the device's current access (4: out of coverage)",
       w[i].ce_level);
    U32("pending", "", "reports (and TAUs) queued in the device after the event", w[i].pending);
    F64("energy_j", "J", "the device's energy booked up to the event", w[i].energy_j);
    /* what happened, as words: as wide as every name joined */
    size_t dw = 1;
    for (int k = 0; k < MAC_TR_N; k++)
        dw += strlen(mac_trace_what_name(k)) + 2;
    char *v = col_add_str(&cs, "detail", dw,
                          "what the event changed, comma-separated (empty: only the device's "
                          "state or its energy booking)");
    for (uint32_t i = 0; v && i < n; i++) {
        char *p = v + (size_t)i * dw;
        size_t at = 0;
        for (int k = 0; k < MAC_TR_N; k++)
            if (w[i].what >> k & 1) {
                const char *nm = mac_trace_what_name(k);
                if (at) memcpy(p + at, ", ", 2), at += 2;
                memcpy(p + at, nm, strlen(nm));
                at += strlen(nm);
            }
    }
    return colset_append(r, "/trace", &cs, err);
}

/* A cell's rows in every per-cell table. */
static int write_cell_rows(results *r, const scen_config *cfg, const run_rep_result *rr, uint32_t k,
                           sim_error *err)
{
    int rc = write_devices(r, cfg, rr, k, err);
    if (!rc) rc = write_cells(r, rr, k, err);
    if (!rc) rc = write_ra_cdf(r, rr, k, err);
    if (!rc) rc = write_carriers(r, rr, k, err);
    if (!rc) rc = write_groups(r, cfg, rr, k, err);
    if (!rc) rc = write_energy_matrix(r, cfg, rr, k, err);
    if (!rc) rc = write_timeseries(r, rr, k, err);
    if (!rc) rc = write_trace(r, rr, k, err);
    if (!rc) rc = write_campaign(r, cfg, rr, k, err);
    return rc;
}

int runner_write_rep(results *r, const scen_config *cfg, const run_rep_result *rr,
                     const scen_sweep *sw, sim_error *err)
{
    int rc = write_point_row(r, cfg, rr, sw, err);
    for (uint32_t k = 0; k < rr->run.n_cells && !rc; k++)
        rc = write_cell_rows(r, cfg, rr, k, err);
    return rc;
}

/* ------------------------------------------------------------- streaming */

/* The rows of `mtcsim run`, written cell by cell in (replication, cell)
 * order as the cells finish; a cell waits (with its device results) only
 * for the cells before it. Written cells keep their cell stats and group
 * energy (the summary's cell figures); their devices live on in the
 * summary sums and the replication's battery lives (8 bytes a device,
 * until its fleet figures are computed). */
typedef struct run_stream {
    results *r;
    const scen_config *cfg;
    run_rep_result *reps;
    uint32_t n_reps, n_cells;
    uint8_t *done; /* [rep x n_cells + cell]: finished, waiting to be written */
    uint64_t next; /* the next (rep x n_cells + cell) to write */
    report_sums *sums;
    double *life; /* battery lives of the replication being written */
    size_t life_n, life_cap, excluded;
    atomic_int rc; /* the first write error; read outside the critical section
                    * too (on_progress: the engines stop once it is set) */
    sim_error err;
} run_stream;

static int stream_cell(run_stream *st, uint32_t rep, uint32_t k)
{
    run_rep_result *rr = &st->reps[rep];
    uint32_t nd;
    const mac_device_stats *s = mac_cell_device_stats(rr->run.cells[k], &nd);
    int rc = write_cell_rows(st->r, st->cfg, rr, k, &st->err);
    if (rc) return rc;
    report_sums_add(st->sums, st->cfg, s, nd, rep == 0);
    if (st->life_n + nd > st->life_cap) {
        size_t cap = st->life_n + nd + st->life_cap;
        double *v = realloc(st->life, cap * sizeof *v);
        if (!v) return sim_error_set(&st->err, SIM_ERR_RUNTIME, "out of memory");
        st->life = v;
        st->life_cap = cap;
    }
    for (uint32_t i = 0; i < nd; i++)
        s[i].out_of_coverage ? st->excluded++
                             : (void)(st->life[st->life_n++] = s[i].battery_life_years);
    mac_cell_drop_devices(rr->run.cells[k]);
    if (k + 1 == st->n_cells) {
        fleet_of(st->life, st->life_n, st->excluded, rr->fleet);
        rr->has_fleet = 1;
        st->life_n = st->excluded = 0;
    }
    return SIM_OK;
}

static int stream_failed(run_stream *st)
{
    return atomic_load_explicit(&st->rc, memory_order_relaxed) != 0;
}

/* mac_run_cfg.cell_done: from the thread that ran the cell. */
static int on_cell_done(void *ctx, uint32_t cell, sim_error *err)
{
    rep_ctx *rc = ctx;
    run_stream *st = rc->stream;
    int code;
#pragma omp critical(run_stream)
    {
        st->done[(uint64_t)rc->rep * st->n_cells + cell] = 1;
        const uint64_t total = (uint64_t)st->n_reps * st->n_cells;
        while (!st->rc && st->next < total && st->done[st->next]) {
            st->rc = stream_cell(st, (uint32_t)(st->next / st->n_cells),
                                 (uint32_t)(st->next % st->n_cells));
            st->next++;
        }
        code = st->rc;
        if (code) *err = st->err;
    }
    return code;
}

int runner_run(const scen_config *cfg, const scen_source *src, const run_options *opt,
               sim_error *err)
{
    sim_time_t duration;
    if (sim_time_from_s(cfg->duration_s, &duration) != 0)
        return sim_error_set(err, SIM_ERR_INPUT, "duration: out of range");
    uint32_t n = cfg->replications;
    const uint32_t cells = mac_run_cells(&cfg->radio);
    run_rep_result *reps = calloc(n, sizeof *reps);
    sim_error *errs = calloc(n, sizeof *errs);
    progress pg = {.now = calloc(n, sizeof(_Atomic int64_t)),
                   .events = calloc(n, sizeof(_Atomic uint64_t)),
                   .reps = n,
                   .duration = duration,
                   .t0 = wall_now(),
                   .tty = isatty(STDERR_FILENO) && (!opt->dist || opt->dist->rank == 0),
                   .ranks = opt->dist ? opt->dist->size : 1};
    run_stream st = {.cfg = cfg,
                     .reps = reps,
                     .n_reps = n,
                     .n_cells = cells,
                     .done = calloc((size_t)n * cells, 1),
                     .sums = report_sums_new(cfg)};
    int rc = SIM_OK;
    results *res = NULL;
    if (!reps || !errs || !pg.now || !pg.events || !st.done || !st.sums) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        goto out;
    }
    /* Distributed over ranks (a layout): ranks > 0 run their cells and
     * send the results; rank 0 writes. One replication after another, so
     * that every rank takes part in the same exchange (mac_run_all opens
     * the parallel region for the cells itself). */
    const mac_run_dist *dist = opt->dist;
    const int writer = !dist || dist->rank == 0;
    st.sums->ranks = dist ? dist->size : 1;
    if (writer) {
        res = runner_open_results(cfg, src, opt, err);
        if (!res) {
            rc = err->code;
            goto out;
        }
        st.r = res;
    }
    if (dist) {
        for (uint32_t i = 0; i < n; i++) {
            run_one(cfg, duration, i, &pg, writer ? &st : NULL, opt, &reps[i], &errs[i]);
            if (errs[i].code) break; /* the caller stops every rank */
            if (!writer) mac_run_free(&reps[i].run);
        }
    } else {
        /* Replications spread over the threads, and a layout's cells over
         * the threads a replication leaves idle (mac_run_all's tasks). */
        int threads = opt->threads > 0 ? opt->threads : 1;
        uint64_t units = (uint64_t)n * cells;
        if ((uint64_t)threads > units) threads = (int)units;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (uint32_t i = 0; i < n; i++)
            run_one(cfg, duration, i, &pg, &st, opt, &reps[i], &errs[i]);
    }
    if (pg.printed) progress_print(&pg, 1);
    for (uint32_t i = 0; i < n && !rc; i++)
        if (errs[i].code) {
            rc = sim_error_set(err, errs[i].code, "replication %u: %s", i, errs[i].msg);
        }
    if (!writer) goto out;
    /* the cells' rows are written; /points needs every replication's end */
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = write_point_row(res, cfg, &reps[i], NULL, err);
    if (!rc)
        rc = results_commit(res, err);
    else
        results_abort(res);
    res = NULL;
    if (!rc && !opt->quiet) {
        report_summary(stdout, cfg, reps, n, st.sums);
        printf("results: %s\n", opt->out_path);
    }
out:
    for (uint32_t i = 0; reps && i < n; i++)
        mac_run_free(&reps[i].run);
    free(reps);
    free(errs);
    free(pg.now);
    free(pg.events);
    free(st.done);
    free(st.life);
    report_sums_free(st.sums);
    return rc;
}
