/* life_table.c: the table `mtcsim life` prints, computed from the results
 * file of its sweep alone (so the same file, from `mtcsim sweep` of the
 * written scenario, gives the same table): per point the mean battery life
 * with the 95 % confidence interval of the mean across replications, the
 * 5th percentile over the devices, the average current and the charge per
 * report by procedure. */
#include "sim/app.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns read back: /points, /devices, /groups. */
enum { P_ID, P_LIFE, P_N };
enum { D_ID, D_OOS, D_LIFE, D_UA, D_N };
enum { G_ID, G_VOLTS, G_DELIVERED, G_PROC, G_N = G_PROC + ENERGY_PROC_COUNT };

typedef struct life_cols {
    double *p[P_N], *d[D_N], *g[G_N];
    size_t np, nd, ng;
} life_cols;

static void cols_free(life_cols *c)
{
    for (int k = 0; k < P_N; k++)
        free(c->p[k]);
    for (int k = 0; k < D_N; k++)
        free(c->d[k]);
    for (int k = 0; k < G_N; k++)
        free(c->g[k]);
}

/* Reads the named columns of one table (all the same length, *n). */
static int read_cols(const char *path, const char *group, const char *const *names, int k,
                     double **out, size_t *n, sim_error *err)
{
    for (int i = 0; i < k; i++) {
        size_t m;
        int rc = results_read_column(path, group, names[i], &out[i], &m, err);
        if (rc) return rc;
        if (i && m != *n)
            return sim_error_set(err, SIM_ERR_RUNTIME, "%s: %s columns of unequal length", path,
                                 group);
        *n = m;
    }
    return SIM_OK;
}

static int read_all(const char *path, life_cols *c, sim_error *err)
{
    static const char *const pn[P_N] = {"point_id", "fleet_life_mean_years"};
    static const char *const dn[D_N] = {"point_id", "out_of_coverage", "battery_life_years",
                                        "avg_current_ua"};
    char proc[ENERGY_PROC_COUNT][48];
    const char *gn[G_N] = {"point_id", "voltage_v", "reports_delivered"};
    for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
        snprintf(proc[p], sizeof proc[p], "energy_j_%s", energy_proc_name((energy_proc)p));
        gn[G_PROC + p] = proc[p];
    }
    int rc = read_cols(path, "/points", pn, P_N, c->p, &c->np, err);
    if (!rc) rc = read_cols(path, "/devices", dn, D_N, c->d, &c->nd, err);
    if (!rc) rc = read_cols(path, "/groups", gn, G_N, c->g, &c->ng, err);
    return rc;
}

/* A point's figures. NaN where nothing is defined (no device in coverage,
 * one replication for a confidence interval). */
typedef struct life_row {
    double mean, ci, p5, ua, total_uah, uah[ENERGY_PROC_COUNT];
    uint32_t reps;
    uint64_t devices, no_cell;
} life_row;

static int point_row(const life_cols *c, uint32_t pt, life_row *r)
{
    memset(r, 0, sizeof *r);
    /* Mean over the replications' fleet means (each over the devices in
     * coverage), and the half-width of its 95 % confidence interval:
     * Student t with R - 1 degrees of freedom (the replications are
     * independent: every RNG key holds the replication). */
    double sum = 0, sq = 0;
    uint32_t nr = 0;
    for (size_t i = 0; i < c->np; i++)
        if (c->p[P_ID][i] == pt && isfinite(c->p[P_LIFE][i])) {
            sum += c->p[P_LIFE][i];
            nr++;
        }
    r->reps = nr;
    r->mean = nr ? sum / nr : NAN;
    for (size_t i = 0; i < c->np; i++)
        if (c->p[P_ID][i] == pt && isfinite(c->p[P_LIFE][i]))
            sq += (c->p[P_LIFE][i] - r->mean) * (c->p[P_LIFE][i] - r->mean);
    r->ci = nr >= 2 ? gsl_cdf_tdist_Pinv(0.975, nr - 1.0) * sqrt(sq / (nr - 1.0)) / sqrt(nr) : NAN;
    /* p5 and the current over every device in coverage of every replication */
    double *v = malloc((c->nd ? c->nd : 1) * sizeof *v), ua = 0;
    if (!v) return -1;
    size_t n = 0;
    for (size_t i = 0; i < c->nd; i++) {
        if (c->d[D_ID][i] != pt) continue;
        r->devices++;
        if (c->d[D_OOS][i] != 0) {
            r->no_cell++;
            continue;
        }
        v[n++] = c->d[D_LIFE][i];
        ua += c->d[D_UA][i];
    }
    gsl_sort(v, 1, n);
    r->p5 = n ? gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05) : NAN;
    r->ua = n ? ua / (double)n : NAN;
    free(v);
    /* Charge per delivered report by procedure, at the battery's voltage:
     * energy / voltage over every replication, / reports delivered. */
    double del = 0;
    for (size_t i = 0; i < c->ng; i++)
        if (c->g[G_ID][i] == pt) del += c->g[G_DELIVERED][i];
    r->total_uah = 0;
    for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
        double q = 0;
        for (size_t i = 0; i < c->ng; i++)
            if (c->g[G_ID][i] == pt) q += c->g[G_PROC + p][i] / c->g[G_VOLTS][i];
        r->uah[p] = del > 0 ? energy_charge_uah(q) / del : NAN;
        r->total_uah += r->uah[p];
    }
    return 0;
}

/* A swept value of point p by path (NaN if the path is not swept). */
static double swept(const scen_sweep *sw, uint32_t p, const char *path)
{
    for (uint32_t k = 0; k < sw->n_paths; k++)
        if (!strcmp(sw->path[k], path)) return sw->num[(size_t)p * sw->n_paths + k];
    return NAN;
}

/* 21600 -> "6h", 86400 -> "1d", 90 -> "90s" */
void life_format_period(double s, char *buf, size_t n)
{
    if (s >= 86400 && fmod(s, 86400) == 0)
        snprintf(buf, n, "%gd", s / 86400);
    else if (s >= 3600 && fmod(s, 3600) == 0)
        snprintf(buf, n, "%gh", s / 3600);
    else if (s >= 60 && fmod(s, 60) == 0)
        snprintf(buf, n, "%gmin", s / 60);
    else
        snprintf(buf, n, "%gs", s);
}

static void num_or_dash(char *buf, size_t n, const char *fmt, double v)
{
    if (isfinite(v))
        snprintf(buf, n, fmt, v);
    else
        snprintf(buf, n, "-");
}

int life_table_print(FILE *out, const char *results_path, const scen_sweep *sw, sim_error *err)
{
    life_cols c;
    memset(&c, 0, sizeof c);
    int rc = read_all(results_path, &c, err);
    if (rc) {
        cols_free(&c);
        return rc;
    }
    fprintf(out, "  %6s %4s %4s %-12s %9s %6s  %-22s %7s %11s %11s  %-50s %s\n", "CL dB", "EDT",
            "RAI", "idle", "payload B", "every", "years mean (95% CI)", "p5 y", "current uA",
            "uAh/report", "largest charges per report, uAh", "dominant");
    uint64_t no_cell = 0;
    for (uint32_t p = 0; p < sw->n_points && !rc; p++) {
        life_row r;
        if (point_row(&c, p, &r)) {
            rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
            break;
        }
        no_cell += r.no_cell;
        const double edrx = swept(sw, p, "devices[1].idle.edrx_cycle_s");
        char idle[32], every[32], years[64], m[24], ci[24], p5[24], ua[24], q[24], top[128] = "",
                                                                                   dom[48] = "-";
        if (swept(sw, p, "devices[1].idle.psm") != 0)
            snprintf(idle, sizeof idle, "psm");
        else if (edrx > 0)
            snprintf(idle, sizeof idle, "edrx:%gs", edrx);
        else
            snprintf(idle, sizeof idle, "drx");
        life_format_period(swept(sw, p, "devices[1].traffic.period_s"), every, sizeof every);
        num_or_dash(m, sizeof m, "%.2f", r.mean);
        num_or_dash(ci, sizeof ci, "%.2f", r.ci);
        if (isfinite(r.mean))
            snprintf(years, sizeof years, "%s (+-%s)", m, ci);
        else
            snprintf(years, sizeof years, "-");
        num_or_dash(p5, sizeof p5, "%.2f", r.p5);
        num_or_dash(ua, sizeof ua, "%.3f", r.ua);
        num_or_dash(q, sizeof q, "%.2f", r.total_uah);
        /* the three largest procedures; ties keep the enum order */
        int order[ENERGY_PROC_COUNT];
        energy_proc_rank(r.uah, order);
        size_t o = 0;
        for (int k = 0; k < 3 && isfinite(r.uah[order[k]]) && r.uah[order[k]] > 0; k++)
            o += (size_t)snprintf(top + o, sizeof top - o, "%s%s %.2f", k ? ", " : "",
                                  energy_proc_name((energy_proc)order[k]), r.uah[order[k]]);
        if (!o) snprintf(top, sizeof top, "-");
        if (r.total_uah > 0)
            snprintf(dom, sizeof dom, "%s %.1f %%", energy_proc_name((energy_proc)order[0]),
                     100 * r.uah[order[0]] / r.total_uah);
        fprintf(out, "  %6g %4s %4s %-12s %9g %6s  %-22s %7s %11s %11s  %-50s %s\n",
                swept(sw, p, "devices[1].coverage.fixed_db"),
                swept(sw, p, "devices[1].edt") != 0 ? "on" : "off",
                swept(sw, p, "devices[1].rai") != 0 ? "on" : "off", idle,
                swept(sw, p, "devices[1].traffic.payload.bytes"), every, years, p5, ua, q, top,
                dom);
    }
    if (!rc && no_cell)
        fprintf(out,
                "\n  %llu device runs out of coverage (no CE level reaches the cell) are left "
                "out of the life, p5 and current (\"-\": all of them)\n",
                (unsigned long long)no_cell);
    cols_free(&c);
    return rc;
}
