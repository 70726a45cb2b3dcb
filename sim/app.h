/* app.h: the program around the event core (private to sim/ and tests).
 *
 * Results writing and reading (results.c, results_read.c through
 * results_h5.h: the only HDF5 users), the scenario source-line index
 * (scenario_lines.c), the configuration schema (config*.c), scenario
 * loading (scenario.c and the sweep reader sweep.c: the only files that
 * include lua.h), the runner
 * that wires the modules (runner.c), sweeps (sweep_run.c; MPI only in
 * mpi_dist.c, part of the MPI build of the executable) and the summary
 * report (report.c).
 */
#ifndef MTCSIM_APP_H
#define MTCSIM_APP_H

#include <stdio.h>

#include "sim/core/sim.h"
#include "mac/mac.h"

/* ================================================================ results */

typedef enum {
    RES_I32 = 0,
    RES_I64,
    RES_U32,
    RES_U64,
    RES_F64,
    RES_U8,
    RES_STR, /* fixed-length UTF-8 strings of `width` bytes, zero-padded */
} res_type;

/* One column of a table: `data` points to nrows values of `type`. */
typedef struct res_column {
    const char *name;
    res_type type;
    const void *data;
    const char *unit; /* stored as the dataset attribute "unit" ("" if none) */
    const char *doc;  /* stored as the dataset attribute "doc" */
    size_t width;     /* RES_STR: bytes per value (data holds nrows x width bytes) */
    int swept;        /* nonzero: the dataset gets the attribute swept = 1 (/points) */
} res_column;

/* Provenance stored as attributes of the root group. */
typedef struct res_meta {
    const char *software_version;
    const char *git_sha;
    const char *command_line;
    const char *rng_algorithm;
    const char *scenario_name;
    const char *scenario_file;
    uint64_t seed;
} res_meta;

typedef struct results results;

/* Creates the file under a temporary name (path + ".tmp" + pid) with the
 * root attributes format="mtcsim", format_version, software_version,
 * git_sha, created (UTC ISO 8601), command_line, rng_algorithm, seed,
 * scenario_name, scenario_file, complete=0. NULL with err set on failure. */
results *results_create(const char *path, const res_meta *meta, sim_error *err);
/* Writes a scalar variable-length string dataset, e.g. "/config/scenario".
 * Intermediate groups are created. */
int results_write_text(results *r, const char *dataset_path, const char *text, sim_error *err);
/* Appends nrows rows to the column datasets of `group` (e.g. "/devices"),
 * creating them on first use: 1-D, chunked, unlimited, shuffle + deflate.
 * Every later append to the group must give the same columns (names and
 * types, in the same order); all columns of a group stay the same length. */
/* A numeric attribute of a table's group (created if needed), e.g. the
 * /timeseries bin length; written again with another value (sweep points
 * that differ) it becomes NaN: the rows then carry each one's. */
int results_group_attr(results *r, const char *group, const char *name, double value,
                       sim_error *err);
int results_append(results *r, const char *group, const res_column *cols, size_t ncols,
                   size_t nrows, sim_error *err);
/* Marks a file as intermediate (a sweep's point file, joined later): its
 * columns are stored uncompressed in small chunks, which is faster to write
 * and read back. Call before the first append. */
void results_set_scratch(results *r);
/* At commit, refuse (rather than replace) a file that appeared at the
 * final name meanwhile; the complete file is then left under its
 * temporary name. */
void results_keep_existing(results *r);
/* Sets complete=1, closes and renames the file to its final name. The
 * handle is freed whatever the outcome. */
int results_commit(results *r, sim_error *err);
/* Closes and deletes the temporary file; frees the handle. NULL is allowed. */
void results_abort(results *r);
/* results_read.c: whether path is a results file marked complete; a text
 * dataset of it (malloc'd); appending its /points, /devices, /cells and
 * /ra_delay_cdf rows (columns in name order) to dst. */
int results_is_complete(const char *path);
int results_read_text(const char *path, const char *dataset, char **text, sim_error *err);
int results_copy_tables(results *dst, const char *src, sim_error *err);
/* One column of a complete results file (e.g. "/devices", "battery_life_years")
 * as doubles: a malloc'd array in *vals, *n rows. */
int results_read_column(const char *path, const char *group, const char *name, double **vals,
                        size_t *n, sim_error *err);

/* ========================================================= source lines */

/* Index from field paths of a Lua scenario to source lines, built from the
 * text alone (no evaluation), so that an error in a value can name the line
 * where that value was written. Paths look like
 * "devices[1].traffic.period_s" (dots for named keys, [i] for list items,
 * and ["key"] written in the source also gives .key). */
typedef struct scen_lines scen_lines;

/* NULL on allocation failure. Never fails on malformed Lua: the index is
 * best effort and covers what it could read. */
scen_lines *scen_lines_build(const char *src, size_t len);
void scen_lines_free(scen_lines *ix);
/* Line of the longest recorded prefix of `path` (the field itself, else its
 * nearest enclosing table); 0 when nothing matches. */
int scen_lines_find(const scen_lines *ix, const char *path);
/* The first line of any field at or under prefix (e.g. "@modules.bg96":
 * the table the script assigned to modules.bg96); 0 if none. */
int scen_lines_first_under(const scen_lines *ix, const char *prefix);

/* ========================================================= configuration */

/* `timeseries` (config_output.c). */
typedef struct scen_timeseries {
    int enabled;
    double interval_s; /* 0: chosen from the duration (scen_timeseries_bin) */
} scen_timeseries;

/* `trace` (config_output.c): off unless devices or a window is given. */
typedef struct scen_trace {
    double devices[MAC_TRACE_MAX_DEVICES]; /* 1-based within the cell */
    int n_devices;
    double cells[MAC_TRACE_MAX_CELLS]; /* 0-based */
    int n_cells;
    double from_s, to_s; /* to_s < 0: the end of the run */
    uint32_t max_rows;   /* per cell and replication */
} scen_trace;

/* The resolved scenario: plain C structs, filled once from Lua. */
typedef struct scen_config {
    char name[128];
    double duration_s;         /* simulated time per replication */
    uint64_t seed;             /* base seed of every RNG stream */
    uint32_t replications;     /* independent replications (threads run them in parallel) */
    int common_random_numbers; /* sweeps: the base seed at every point */
    int queue;                 /* sim_queue_kind of the engines */
    mac_radio_cfg radio;       /* the cell */
    mac_group_cfg *groups;     /* devices list */
    uint32_t n_groups;
    scen_timeseries timeseries; /* /timeseries */
    scen_trace trace;           /* /trace */
} scen_config;

/* Schema of the configuration: every field a scenario may set, with its
 * type, range, default (the value the C default functions put in) and doc.
 * Tables may be "variants": the value of their `tag` field (an enum) selects
 * which fields apply (mask `when`, one bit per enum value; 0 = always). */
/* CF_LIST: malloc'd array (pointer at offset, uint32_t count); CF_ARRAY: an
 * inline array of elem_size records at offset (int count at count_offset),
 * each first set by init_at(elem, index). */
typedef enum {
    CF_NUM,
    CF_INT,
    CF_BOOL,
    CF_ENUM,
    CF_STR,
    CF_TABLE,
    CF_LIST,
    CF_NUMLIST,
    CF_ARRAY
} cf_kind;

typedef struct cf_table cf_table;

typedef struct cf_field {
    const char *name;
    cf_kind kind;
    size_t offset;            /* of the value within the enclosing struct */
    double min, max;          /* CF_NUM, CF_INT: inclusive range */
    int min_open;             /* CF_NUM: min itself is excluded (> min) */
    int int_bytes;            /* CF_INT: storage, 4 (uint32_t) or 8 (uint64_t) */
    const char *const *names; /* CF_ENUM: value names, NULL-terminated; stored as int */
    const cf_table *sub;      /* CF_TABLE, CF_LIST: element schema */
    size_t elem_size;         /* CF_LIST: element size; CF_STR: buffer size;
                                 CF_NUMLIST: capacity (doubles) */
    size_t count_offset;      /* CF_LIST (uint32_t), CF_NUMLIST (int) */
    uint32_t min_count, max_count;
    void (*init)(void *elem);               /* CF_LIST: default element */
    void (*init_at)(void *elem, int index); /* CF_ARRAY: default element by position */
    uint32_t when;                          /* variant mask (see above) */
    int required;                           /* no default: the scenario must set it */
    const char *doc;                        /* unit, meaning, source of the default */
} cf_field;

struct cf_table {
    const cf_field *fields;
    size_t n;
    const char *tag; /* name of the enum field selecting the variant, or NULL */
    /* Optional: called once the tag is read from a scenario, before the
     * other fields, to put that variant's defaults into the struct. */
    void (*tag_defaults)(void *base, int tag);
    /* Optional, a table of one RAT (the CE levels): the cell.rat value it
     * is used with, its RAT's name, and the other RAT's table, so that a
     * field of the other RAT is named as such rather than unknown. */
    const char *rat, *rat_name;
    const cf_table *other_rat;
};

/* The shortest of %.15g, %.16g and %.17g that reads back as v (40.96,
 * not 40.960000000000001); returns buf. */
const char *cf_shortest(char *buf, size_t n, double v);

extern const cf_table cf_scenario;   /* the root (immutable schema) */
extern const cf_table cf_cell;       /* config_radio.c: the cell */
extern const cf_table cf_coverage;   /* config_radio.c: a group's coupling loss */
extern const cf_table cf_traffic;    /* config.c: a traffic table */
extern const cf_table cf_module;     /* config.c: a module's power profile */
extern const cf_table cf_timeseries; /* config_output.c: `timeseries` */
extern const cf_table cf_trace;      /* config_output.c: `trace` */
void scen_trace_default(scen_trace *t);
/* The trace a run makes (0 and *tc untouched: none). */
int scen_trace_cfg(const scen_config *c, mac_trace_cfg *tc);
void scen_timeseries_default(scen_timeseries *t);
/* The bin length a run uses (0: no time series). */
sim_time_t scen_timeseries_bin(const scen_config *c);
/* The time series' and the trace's fields: a bin that is no whole number
 * of ms, too many bins, a trace of no cell of the run...: -1 with path/why. */
int scen_output_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len);
/* `campaign` (config_campaign.c): the firmware update campaign's schema and
 * checks (group names that exist, value sets); -1 with path/why. */
extern const cf_table cf_campaign;
int scen_campaign_check(const scen_config *c, char *path, size_t path_len, char *why,
                        size_t why_len);
extern const cf_table cf_idle;     /* config_idle.c: a group's idle-mode requests */
extern const cf_table cf_downlink; /* config_idle.c: a group's network commands */
extern const cf_table cf_paging;   /* config_idle.c: the cell's paging and WUS */
extern const cf_table cf_network;
extern const cf_table cf_cdrx;    /* config_idle.c: the cell's connected-mode DRX */
extern const cf_table cf_pur;     /* config_idle.c: a group's PUR request */
extern const cf_table cf_pur_net; /* config_idle.c: the cell's PUR-Config */
extern const cf_table cf_stack;
/* config_idle.c: a group's application protocol stack */ /* config_idle.c: what the network
                                                             grants */

void scen_config_default(scen_config *c);
void scen_config_free(scen_config *c);
const cf_field *cf_find(const cf_table *t, const char *name);
/* The field of that name that applies to the table at base (variants may
 * share a name, e.g. the cell's ce_levels), else the first of that name. */
const cf_field *cf_find_at(const cf_table *t, const char *name, const void *base);
/* Value of the variant tag of the table at `base`, or -1 if no tag. */
int cf_tag_value(const cf_table *t, const void *base);
/* Whether f applies to the table at base (variant mask). */
int cf_applies(const cf_table *t, const cf_field *f, const void *base);
/* Unit of the numeric field at a scenario path ("devices[1].traffic.period_s"
 * -> "s"), from its name or doc (config_unit.c); "" when it has none, or
 * the path is not a numeric field. */
const char *cf_path_unit(const char *path);
/* A module profile's cross-field checks (transmit table increasing, the
 * draw at tx_ref_dbm above the PA's input); on failure the field name and
 * why, -1. */
int cf_module_check(const energy_profile *m, const char **field, char *why, size_t why_len);

/* `mtcsim check --modules`: the profiles of scenarios/lib/modules.lua with
 * their catalogue entries (the file's list part). */
typedef struct scen_module_info {
    char name[64];
    char rat[64];      /* radio access technologies the figures cover */
    char source[1024]; /* where the figures come from (short form) */
    double supply_v;   /* the voltage the currents were measured at */
    energy_profile profile;
} scen_module_info;
/* Runs `require "modules"` as a scenario in folder dir would (NULL: the
 * installed library) and reads every catalogued profile through the module
 * schema: a malloc'd array in *out (count *n). Errors name modules.lua's
 * file:line and the field (exit 2). */
int scen_load_modules(const char *dir, scen_module_info **out, size_t *n, sim_error *err);
/* The table of `mtcsim check --modules`. */
void scen_modules_print(const scen_module_info *m, size_t n, FILE *out);
/* Cross-field checks after loading; on failure fills path (e.g.
 * "devices[2].traffic.mix_share") and why, returns -1. */
int scen_config_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len);
/* config_radio.c: coverage table checks (increasing table, CDF 0..1). */
/* config_volume.c: the reports and commands group g is expected to
 * generate in one replication (count x (1 + rates x duration)). */
double scen_group_reports(const scen_config *c, uint32_t g);
/* config_volume.c: -1 (path, why) when the expected devices and reports of
 * one replication would not fit in the machine's physical memory. */
int scen_volume_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len);
int cf_coverage_check(const phy_coverage_cfg *c, const char **field, char *why, size_t why_len);
/* Prints every applicable field as `path = value  -- doc`, one per line,
 * then what the network grants each group (`devices[i].idle.granted.*`). */
void scen_config_print(const scen_config *c, FILE *out);
/* The resolved configuration as JSON text (malloc'd; NULL on OOM). */
char *scen_config_json(const scen_config *c);

/* ================================================================= sweep */

/* A parameter sweep (the scenario's `sweep`, sweep.c): points are
 * combinations of values of swept field paths. Cartesian over the axes:
 * each `["path"] = {values}` entry is an axis, each list item `{ ["a"] =
 * {...}, ["b"] = {...} }` a zipped axis whose paths vary together (equal
 * lengths). Axes in the order of their (first) path names, the last
 * varying fastest; `sweep_exclude = function(p) ... end` drops the points
 * for which it returns true (p: path -> value). */
#define SCEN_SWEEP_MAX_PATHS  32
#define SCEN_SWEEP_MAX_POINTS 100000

typedef struct scen_sweep {
    uint32_t n_paths, n_points;
    char *path[SCEN_SWEEP_MAX_PATHS]; /* swept field paths */
    char *doc[SCEN_SWEEP_MAX_PATHS];  /* column doc: what the numbers mean */
    char **lit;  /* n_points x n_paths: the values as Lua literals ("1000", "\"ltem\"") */
    double *num; /* n_points x n_paths: numbers; booleans 0/1; strings: index in the axis */
} scen_sweep;

void scen_sweep_free(scen_sweep *sw);

/* ========================================================= scenario load */

typedef struct scen_source {
    char *path; /* as given on the command line */
    char *text; /* the scenario's Lua source, verbatim */
    size_t len;
    char **inputs; /* the files require() read (NULL-terminated), or NULL */
} scen_source;

/* Loads and runs the scenario in a sandboxed Lua state, applies the
 * overrides ("path=value" strings), converts and checks the result. On
 * error returns SIM_ERR_INPUT with err->msg like
 * "scen.lua:12: devices[1].count: must be >= 1". */
int scen_load(const char *path, const char *const *overrides, size_t n_overrides, scen_config *cfg,
              scen_source *src, sim_error *err);
void scen_source_free(scen_source *src);
/* Loads like scen_load and also reads the sweep (NULL: a sweep in the
 * scenario is an error). The `sweep` and `sweep_exclude` fields are taken
 * out before the configuration is converted. */
int scen_load_sweep(const char *path, const char *const *overrides, size_t n_overrides,
                    scen_config *cfg, scen_source *src, scen_sweep *sw, sim_error *err);
/* An override beginning with this character is a sweep axis (--sweep
 * "path=v1,v2,..."): it replaces or adds that axis of the scenario's
 * `sweep` (scen_load_sweep); a point's load ignores it. */
#define SCEN_SWEEP_MARK '+'
/* One point of a sweep: the overrides carry its values; the sweep itself is
 * dropped unread. The first n_user overrides are the user's (--set), the
 * others the point's: their errors name the sweep's line in the scenario,
 * "scen.lua:9: swept path=value: ...". */
int scen_load_point(const char *path, const char *const *overrides, size_t n_overrides,
                    size_t n_user, scen_config *cfg, scen_source *src, sim_error *err);

/* ================================================================ runner */

typedef struct run_options {
    const char *out_path;     /* results file */
    int threads;              /* OpenMP threads for replications */
    int quiet;                /* no summary on stdout */
    const char *command_line; /* for provenance */
    /* sweeps */
    int resume;                      /* keep the complete point files of an earlier run */
    uint32_t task_index, task_count; /* this task runs the points p with p % count == index */
    int merge_only;                  /* only join the point files into out_path */
    int force;                       /* out_path may be replaced (--force) */
    /* Distributed sweeps (MPI): the next point this process runs, -1 when
     * none is left; points are then taken one at a time and not joined
     * (the caller joins them once every process is done). NULL: static. */
    int64_t (*next_point)(void *ctx);
    void *next_ctx;
    /* `mtcsim run` of a layout over MPI ranks (NULL: one process): every
     * rank runs its cells, rank 0 writes the file and prints the summary */
    const mac_run_dist *dist;
} run_options;

/* Runs every replication, writes the results file, prints the summary. */
int runner_run(const scen_config *cfg, const scen_source *src, const run_options *opt,
               sim_error *err);

/* Summary table of a finished run (report.c). */
typedef struct run_rep_result {
    uint32_t point; /* sweep point (0 without a sweep) */
    uint32_t replication;
    double sim_time_s;
    double wall_s;
    uint64_t events;
    size_t model_bytes;
    mac_run run; /* finished cells with their statistics */
    /* Fleet battery life (run_fleet_life), kept when the devices' results
     * were written and dropped cell by cell (runner_run) */
    double fleet[5];
    int has_fleet;
} run_rep_result;

/* The summary's per-device figures, summed as cells are written (in
 * replication, cell, device order, so the sums do not depend on threads). */
typedef struct report_group_sum {
    uint64_t devices, gen, del, drop, fail, pend;
    uint64_t dl_gen, dl_del, dl_lost, pos, taus;
    double dl_lat_sum;
    double lat_sum; /* sum of per-device mean x delivered, for the report mean */
    double power_sum;
    double current_sum; /* uA at each device's battery voltage_v */
    double life_sum;    /* over devices in coverage */
    uint64_t life_10y;  /* devices in coverage lasting at least 10 years */
    uint64_t no_cell;   /* devices out of coverage (searching all along) */
} report_group_sum;

typedef struct report_sums {
    report_group_sum *g;             /* per group, then "all" (n_groups + 1) */
    uint64_t devices;                /* devices of a replication (replication 0's) */
    uint64_t at_ce0[MAC_MAX_CE + 1]; /* replication 0: devices per CE level */
    int ranks;                       /* MPI ranks the cells ran on (1: this process) */
} report_sums;

report_sums *report_sums_new(const scen_config *cfg);
void report_sums_free(report_sums *s);
void report_sums_add(report_sums *sums, const scen_config *cfg, const mac_device_stats *s,
                     uint32_t nd, int rep0);
/* reps: their cells' stats and group energies (the devices may be gone);
 * sums: report_sums_add over every replication's devices. */
void report_summary(FILE *out, const scen_config *cfg, const run_rep_result *reps, uint32_t n,
                    const report_sums *sums);
/* runner.c: the results file of a run or sweep (temporary name, provenance
 * and configuration written at once), and one replication's rows in every
 * table (/points with the swept columns when sw is given). */
/* One replication of a configuration (point: its sweep point, 0 without):
 * runs every cell and fills out; progress, cell_done, dist and threads as
 * mac_run_cfg's (may be NULL / 0). */
int runner_rep(const scen_config *cfg, uint32_t point, uint32_t rep,
               int (*on_done)(void *ctx, double done, uint64_t events), void *ctx,
               int (*cell_done)(void *ctx, uint32_t cell, sim_error *err), void *cell_ctx,
               const mac_run_dist *dist, int threads, run_rep_result *out, sim_error *err);
results *runner_open_results(const scen_config *cfg, const scen_source *src, const run_options *opt,
                             sim_error *err);
int runner_write_rep(results *r, const scen_config *cfg, const run_rep_result *rr,
                     const scen_sweep *sw, sim_error *err);
/* sweep_run.c: every point x replication of a sweep on opt->threads,
 * results written in (point, replication) order as they complete, so the
 * file does not depend on the thread count. cfgs[p]: point p's
 * configuration. */
int runner_sweep(const scen_config *base, const scen_config *cfgs, const scen_sweep *sw,
                 const scen_source *src, const run_options *opt, sim_error *err);
/* Whether opt->out_path is the complete joined file of this very sweep
 * (same scenario text, points and base configuration). */
int sweep_finished(const scen_config *base, const scen_sweep *sw, const scen_source *src,
                   const run_options *opt);
/* mtcsim sweep: loads every point's configuration (the scenario with the
 * command line's overrides, the point's values and its seed) and runs
 * them; base: the configuration without the point values. */
int sweep_main(const char *path, const char *const *ovr, size_t n_ovr, const scen_config *base,
               const scen_source *src, const scen_sweep *sw, const run_options *opt,
               sim_error *err);
/* mtcsim check: loads (and so validates) every point's configuration. */
int sweep_check(const char *path, const char *const *ovr, size_t n_ovr, const scen_config *base,
                const scen_sweep *sw, sim_error *err);
/* The points of a sweep as a table, one line each (mtcsim sweep --list). */
void sweep_print_points(FILE *out, const scen_sweep *sw);
/* The override "seed=N" of point p: the base seed with common random
 * numbers, else a seed derived from (base seed, point) (< 2^53). */
uint64_t sweep_point_seed(uint64_t base, uint32_t point, int common);
/* outputs.c: the default results file of a scenario: its name made a
 * plain file name (characters other than A-Z a-z 0-9 . _ - become '_',
 * leading dots and slashes dropped, "results" if nothing is left) + ".h5",
 * in the current folder. */
void outputs_default_name(const char *scenario_name, char *buf, size_t n);
/* SIM_ERR_INPUT if out is one of the inputs (the same file, also through
 * links), or, without force, if out exists. */
int outputs_check(const char *out, const char *const *inputs, size_t n_inputs, int force,
                  sim_error *err);
/* SIGINT, SIGTERM and SIGHUP remove the files registered below and end
 * the process with 128 + the signal number. */
void outputs_catch_signals(void);
/* Removes the temporary and lock files registered for removal on a
 * signal (async-signal-safe: for handlers that end the process). */
void outputs_remove_now(void);
/* Registers (path) or forgets (NULL) the file of a slot to remove on a
 * signal: the temporary results file being written, the lock file. */
enum { OUTPUTS_TMP = 0, OUTPUTS_LOCK = 1, OUTPUTS_SLOTS = 2 };
void outputs_remove_on_signal(int slot, const char *path);
/* Takes the advisory lock (fcntl, released when the process dies) on
 * out + ".lock": exclusive for a writer of out, shared for a job-array
 * task (tasks write distinct point files). Returns the descriptor, or -1
 * with err set if another process holds a conflicting lock. */
int outputs_lock(const char *out, int exclusive, sim_error *err);
/* Releases it (an exclusive holder also removes the lock file). */
void outputs_unlock(const char *out, int fd, int exclusive);
/* Removes the temporary files of out (out.tmpPID) and of its point files
 * (out.parts/point-N.h5.tmpPID) whose process is gone. Call only with the
 * exclusive lock. */
void outputs_clean_stale(const char *out);
/* The command line as one printable line (arguments with blanks or quotes
 * in single quotes, control characters as '?'), malloc'd; NULL without
 * memory. For the results' provenance and the planner's scenario header. */
char *outputs_command_line(int argc, char **argv);
/* Before writing `out`: outputs_check against every input (the scenario
 * and the files it required: a results file written over a module would
 * destroy it), then its lock (exclusive: one writer; shared: job-array
 * tasks), and an exclusive holder removes the temporaries of dead
 * processes. *lock: the descriptor for outputs_unlock, -1 on error. */
int outputs_claim(const char *out, const char *scenario, const scen_source *src, int force,
                  int exclusive, int *lock, sim_error *err);
/* life.c: `mtcsim life` (argv[1] is "life"): the planner's command. */
int life_main(int argc, char **argv);
/* life_table.c: the table of `mtcsim life` from its sweep's results file
 * (per point: years mean with its 95 % CI, p5, current, charge per report
 * by procedure, the dominant one); a period as "6h", "1d", "30min", "90s". */
int life_table_print(FILE *out, const char *results_path, const scen_sweep *sw, sim_error *err);
void life_format_period(double s, char *buf, size_t n);
/* Fleet battery life of a replication: mean, p5, p50 (years), share >= 10 y
 * over the devices in coverage, and the number left out (out of coverage). */
void run_fleet_life(const run_rep_result *rr, double out[5]);

#endif
