/* report.c: the human-readable summary printed at the end of a run. */
#include "sim/app.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void thousands(char *out, size_t n, uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0) out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
}

/* v with fmt into buf, or "-" where the value does not exist (nan: no
 * report delivered, no device in coverage, a figure the model does not
 * keep). */
static const char *opt_num(char *buf, size_t n, const char *fmt, double v)
{
    if (isfinite(v))
        snprintf(buf, n, fmt, v);
    else
        snprintf(buf, n, "-");
    return buf;
}

/* Energy by procedure, per group over every replication and cell: the
 * charge per delivered report at the battery voltage and the largest
 * shares (the four largest, then the rest together). */
static void proc_table(FILE *out, int w, const scen_config *cfg, const run_rep_result *reps,
                       uint32_t n, const report_sums *sums)
{
    const uint32_t ng = cfg->n_groups;
    double(*pj)[ENERGY_PROC_COUNT] = calloc(ng + 1, sizeof *pj);
    if (!pj) return;
    const report_group_sum *gs = sums->g; /* delivered reports; gs[ng]: all */
    for (uint32_t r = 0; r < n; r++)
        for (uint32_t c = 0; c < reps[r].run.n_cells; c++) {
            uint32_t k;
            const energy_matrix *m = mac_cell_group_energy(reps[r].run.cells[c], &k);
            for (uint32_t g = 0; g < k && g < ng; g++)
                for (int p = 0; p < ENERGY_PROC_COUNT; p++)
                    for (int s = 0; s < ENERGY_STATE_COUNT; s++)
                        pj[g][p] += m[g].j[p][s];
        }
    /* "all": the groups' energies and charges summed (each at its voltage) */
    double q_all = 0;
    for (uint32_t g = 0; g < ng; g++) {
        for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
            pj[ng][p] += pj[g][p];
            q_all += pj[g][p] / cfg->groups[g].battery.voltage_v;
        }
    }
    fprintf(out, "\n  energy by procedure (all replications, all cells): charge per delivered "
                 "report at the battery voltage, shares of the group's energy\n");
    fprintf(out, "  %-*s %12s  %s\n", w, "group", "uAh/report", "largest shares");
    for (uint32_t g = 0; g <= ng; g++) {
        if (g == ng && ng == 1) break;
        double tot = 0;
        for (int p = 0; p < ENERGY_PROC_COUNT; p++)
            tot += pj[g][p];
        int order[ENERGY_PROC_COUNT];
        energy_proc_rank(pj[g], order);
        char uah[32] = "-", shares[256] = "-";
        const double coulomb = g < ng ? tot / cfg->groups[g].battery.voltage_v : q_all;
        if (gs[g].del > 0)
            snprintf(uah, sizeof uah, "%.2f", energy_charge_uah(coulomb) / (double)gs[g].del);
        if (tot > 0) {
            size_t o = 0;
            double shown = 0;
            for (int k = 0; k < 4 && pj[g][order[k]] > 0; k++) {
                shown += pj[g][order[k]];
                o += (size_t)snprintf(shares + o, sizeof shares - o, "%s%s %.1f %%", k ? ", " : "",
                                      energy_proc_name(order[k]), 100 * pj[g][order[k]] / tot);
            }
            if (tot - shown > 0 && o < sizeof shares)
                snprintf(shares + o, sizeof shares - o, ", rest %.1f %%",
                         100 * (tot - shown) / tot);
        }
        fprintf(out, "  %-*s %12s  %s\n", w, g < ng ? cfg->groups[g].name : "all", uah, shares);
    }
    free(pj);
}

static void row(FILE *out, int w, const char *name, const report_group_sum *s)
{
    char dev[32], gen[32], del[32], lat[32], pw[32], cur[32], life[32], ten[32];
    thousands(dev, sizeof dev, s->devices);
    thousands(gen, sizeof gen, s->gen);
    /* battery life over the devices that reach the cell */
    const uint64_t cov = s->devices - s->no_cell;
    opt_num(del, sizeof del, "%.2f %%", s->gen ? 100.0 * (double)s->del / (double)s->gen : NAN);
    opt_num(lat, sizeof lat, "%.1f", s->del ? s->lat_sum / (double)s->del : NAN);
    opt_num(pw, sizeof pw, "%.4f", s->devices ? s->power_sum / (double)s->devices : NAN);
    opt_num(cur, sizeof cur, "%.3f", s->devices ? s->current_sum / (double)s->devices : NAN);
    opt_num(life, sizeof life, "%.2f", cov ? s->life_sum / (double)cov : NAN);
    /* the life is NaN where energy is not evaluated (TR 37.868): so is the share */
    const double mean_life = cov ? s->life_sum / (double)cov : NAN;
    opt_num(ten, sizeof ten, "%.1f %%",
            cov && mean_life == mean_life ? 100.0 * (double)s->life_10y / (double)cov : NAN);
    fprintf(out, "  %-*s %10s %8llu %12s %11s %8llu %8llu %8llu %12s %10s %11s %9s %9s\n", w, name,
            dev, (unsigned long long)s->no_cell, gen, del, (unsigned long long)s->fail,
            (unsigned long long)s->drop, (unsigned long long)s->pend, lat, pw, cur, life, ten);
}

report_sums *report_sums_new(const scen_config *cfg)
{
    report_sums *s = calloc(1, sizeof *s);
    if (s) s->g = calloc(cfg->n_groups + 1, sizeof *s->g);
    if (s && !s->g) {
        free(s);
        s = NULL;
    }
    return s;
}

void report_sums_free(report_sums *s)
{
    if (s) free(s->g);
    free(s);
}

void report_sums_add(report_sums *sums, const scen_config *cfg, const mac_device_stats *s,
                     uint32_t nd, int rep0)
{
    report_group_sum *all = &sums->g[cfg->n_groups];
    for (uint32_t i = 0; i < nd; i++) {
        report_group_sum *gs[2] = {&sums->g[s[i].group], all};
        const double volts = cfg->groups[s[i].group].battery.voltage_v;
        if (rep0) {
            sums->devices++;
            sums->at_ce0[s[i].ce_level <= MAC_MAX_CE ? s[i].ce_level : MAC_MAX_CE]++;
        }
        for (int k = 0; k < 2; k++) {
            gs[k]->devices++;
            gs[k]->gen += s[i].reports_generated;
            gs[k]->del += s[i].reports_delivered;
            gs[k]->drop += s[i].reports_dropped;
            gs[k]->fail += s[i].reports_failed;
            gs[k]->pend += s[i].reports_pending;
            if (s[i].reports_delivered)
                gs[k]->lat_sum += s[i].latency_ms_mean * s[i].reports_delivered;
            gs[k]->dl_gen += s[i].dl_generated;
            gs[k]->dl_del += s[i].dl_delivered;
            gs[k]->dl_lost += s[i].dl_lost;
            gs[k]->pos += s[i].occasions + s[i].wus_monitored;
            gs[k]->taus += s[i].taus;
            if (s[i].dl_delivered) gs[k]->dl_lat_sum += s[i].dl_latency_ms_mean * s[i].dl_delivered;
            gs[k]->power_sum += s[i].avg_power_mw;
            gs[k]->current_sum += s[i].avg_power_mw / volts * 1000.0;
            gs[k]->no_cell += s[i].out_of_coverage;
            if (!s[i].out_of_coverage) {
                gs[k]->life_sum += s[i].battery_life_years;
                gs[k]->life_10y += s[i].battery_life_years >= 10.0;
            }
        }
    }
}

void report_summary(FILE *out, const scen_config *cfg, const run_rep_result *reps, uint32_t n,
                    const report_sums *sums)
{
    const report_group_sum *g = sums->g;
    const report_group_sum *all = &g[cfg->n_groups];
    int w = 16; /* group-name column: as wide as the longest name */
    for (uint32_t i = 0; i < cfg->n_groups; i++)
        if ((int)strlen(cfg->groups[i].name) > w) w = (int)strlen(cfg->groups[i].name);
    uint64_t events = 0;
    double wall = 0;
    size_t bytes = 0;
    const uint64_t devices = sums->devices;
    for (uint32_t r = 0; r < n; r++) {
        events += reps[r].events;
        wall += reps[r].wall_s;
        if (reps[r].model_bytes > bytes) bytes = reps[r].model_bytes;
    }
    const mac_run *r0 = &reps[0].run;
    const uint32_t cells = r0->n_cells;
    char dev[32], devrep[32], buf[4][32];
    thousands(dev, sizeof dev, devices);
    thousands(devrep, sizeof devrep, devices * n);
    fprintf(out, "\nmtcsim %s: scenario \"%s\", %u replication%s x %s devices", MTCSIM_VERSION,
            cfg->name, n, n == 1 ? "" : "s", dev);
    if (n > 1) fprintf(out, " = %s device x replication", devrep);
    if (cells == 1)
        fprintf(out, "; one cell");
    else
        fprintf(out, "; %u cells", cells);
    fprintf(out, "; %s s simulated per replication\n",
            cf_shortest(buf[0], sizeof buf[0], cfg->duration_s));
    fprintf(out,
            "\n  per group, all replications and cells (devices: device x replication)\n"
            "  %-*s %10s %8s %12s %11s %8s %8s %8s %12s %10s %11s %9s %9s\n",
            w, "group", "dev x rep", "no cell", "reports", "delivered", "failed", "dropped",
            "pending", "latency ms", "power mW", "current uA", "life y", ">= 10 y");
    for (uint32_t i = 0; i < cfg->n_groups; i++)
        row(out, w, cfg->groups[i].name, &g[i]);
    if (cfg->n_groups > 1) row(out, w, "all", all);
    if (all->dl_gen > 0 || all->pos > 0 || all->taus > 0) {
        fprintf(out,
                "\n  network commands and idle mode, all replications and cells (per device: "
                "mean over device x replication)\n"
                "  %-*s %12s %11s %8s %14s %16s %10s\n",
                w, "group", "commands", "delivered", "lost", "latency s", "occasions/dev",
                "TAUs/dev");
        for (uint32_t i = 0; i <= cfg->n_groups; i++) {
            const report_group_sum *q = &g[i];
            if (i == cfg->n_groups && cfg->n_groups == 1) break;
            /* No commands: "-" rather than a nan share and latency. */
            char del[16] = "-", lat[16] = "-";
            if (q->dl_gen)
                snprintf(del, sizeof del, "%.2f %%", 100.0 * (double)q->dl_del / (double)q->dl_gen);
            if (q->dl_del)
                snprintf(lat, sizeof lat, "%.2f", q->dl_lat_sum / (double)q->dl_del / 1e3);
            fprintf(out, "  %-*s %12llu %11s %8llu %14s %16.1f %10.2f\n", w,
                    i < cfg->n_groups ? cfg->groups[i].name : "all", (unsigned long long)q->dl_gen,
                    del, (unsigned long long)q->dl_lost, lat,
                    q->devices ? (double)q->pos / (double)q->devices : 0.0,
                    q->devices ? (double)q->taus / (double)q->devices : 0.0);
        }
    }
    const int study = cfg->radio.rat == MAC_RAT_LTEM && cfg->radio.ra_model == MAC_RA_TR37868;
    const char *where = cells == 1 ? "the cell" : "all cells";
    if (study) {
        fprintf(out, "\n  ra_model tr37868: only each device's first random access is simulated; "
                     "a report is delivered when its access completes, latency is the access "
                     "delay, energy is not evaluated\n");
    } else {
        double f[5];
        run_fleet_life(&reps[0], f);
        if (!isfinite(f[0]))
            fprintf(out,
                    "\n  fleet battery life (replication 0, %s, every group): no device in "
                    "coverage",
                    where);
        else
            fprintf(out,
                    "\n  fleet battery life (replication 0, %s, every group): mean %s y, p5 %s y, "
                    "median %s y; %s last 10 years",
                    where, opt_num(buf[0], sizeof buf[0], "%.2f", f[0]),
                    opt_num(buf[1], sizeof buf[1], "%.2f", f[1]),
                    opt_num(buf[2], sizeof buf[2], "%.2f", f[2]),
                    opt_num(buf[3], sizeof buf[3], "%.1f %%", 100 * f[3]));
        if (f[4] > 0)
            fprintf(out, " (%.0f device%s out of coverage%s)", f[4], f[4] == 1 ? "" : "s",
                    isfinite(f[0]) ? " left out" : "");
        fprintf(out, "\n\n  latency: mean per report; power: mean per device; current: mean per "
                     "device at its battery's voltage_v (power / voltage_v); life: battery / "
                     "average power, mean per device in coverage; no cell: devices out of "
                     "coverage, searching for a cell all along; -: no such value (no report "
                     "delivered, no device in coverage)\n");
        proc_table(out, w, cfg, reps, n, sums);
    }
    /* Replication 0, all cells: the cell-wide figures. */
    mac_cell_stats tot;
    memset(&tot, 0, sizeof tot);
    const uint64_t *at_ce = sums->at_ce0;
    double iot_min = INFINITY, iot_max = -INFINITY, ul_max = 0, dl_max = 0;
    for (uint32_t c = 0; c < cells; c++) {
        const mac_cell_stats *cs = mac_cell_stats_get(r0->cells[c]);
        tot.out_of_coverage += cs->out_of_coverage;
        for (int k = 0; k < MAC_MAX_CE; k++) {
            tot.ce[k].opportunities += cs->ce[k].opportunities;
            tot.ce[k].preambles += cs->ce[k].preambles;
            tot.ce[k].collided += cs->ce[k].collided;
            tot.ce[k].detected += cs->ce[k].detected;
            tot.ce[k].successes += cs->ce[k].successes;
            tot.ce[k].failures += cs->ce[k].failures;
        }
        iot_min = fmin(iot_min, r0->iot_db[c]);
        iot_max = fmax(iot_max, r0->iot_db[c]);
        ul_max = fmax(ul_max, cs->ul_util);
        dl_max = fmax(dl_max, cs->dl_busy_s / reps[0].sim_time_s);
    }
    if (cells == 1) {
        const mac_cell_stats *c0 = mac_cell_stats_get(r0->cells[0]);
        fprintf(out,
                "\n  the cell (replication 0): report latency p50 %s ms, p95 %s ms, max %s ms; "
                "downlink busy %.2f %%, uplink busy %.2f %%; %llu device%s out of coverage\n",
                opt_num(buf[0], sizeof buf[0], "%.1f", c0->latency_ms_p50),
                opt_num(buf[1], sizeof buf[1], "%.1f", c0->latency_ms_p95),
                opt_num(buf[2], sizeof buf[2], "%.1f", c0->latency_ms_max), 100.0 * dl_max,
                100.0 * ul_max, (unsigned long long)tot.out_of_coverage,
                tot.out_of_coverage == 1 ? "" : "s");
    } else {
        fprintf(out,
                "\n  %u cells (replication 0): uplink interference rise %.2f .. %.2f dB over the "
                "cells; the busiest cell's downlink busy %.2f %%, the busiest cell's uplink "
                "busy %.2f %%; %llu device%s out of coverage (all cells)\n",
                cells, iot_min, iot_max, 100.0 * dl_max, 100.0 * ul_max,
                (unsigned long long)tot.out_of_coverage, tot.out_of_coverage == 1 ? "" : "s");
    }
    fprintf(out,
            "\n  random access by CE level (replication 0, %s); collided: share of the preambles "
            "sent that collided\n",
            where);
    fprintf(out, "  %-8s %9s %13s %12s %11s %11s %11s %10s\n", "CE level", "devices",
            "opportunities", "preambles", "collided", "detected", "successes", "failures");
    for (int k = 0; k < cfg->radio.n_ce; k++) {
        const mac_ce_stats *e = &tot.ce[k];
        fprintf(out, "  %-8d %9llu %13llu %12llu %11s %11llu %11llu %10llu\n", k,
                (unsigned long long)at_ce[k], (unsigned long long)e->opportunities,
                (unsigned long long)e->preambles,
                opt_num(buf[0], sizeof buf[0], "%.2f%%",
                        e->preambles ? 100.0 * (double)e->collided / (double)e->preambles : NAN),
                (unsigned long long)e->detected, (unsigned long long)e->successes,
                (unsigned long long)e->failures);
    }
    /* Random access in TR 37.868's terms, per replication (cell 0) */
    fprintf(out,
            "\n  random access in TR 37.868's terms, each replication (%s); collision prob.: "
            "collided (opportunity, preamble) pairs / (opportunities x preambles)\n",
            cells == 1 ? "the cell" : "cell 0");
    fprintf(out, "  %-11s %10s %16s %12s %11s %12s %10s %12s\n", "replication", "accesses",
            "collision prob.", "success", "mean tx", "delay ms", "p95 ms", "<= 100 ms");
    for (uint32_t r = 0; r < n; r++) {
        const mac_cell_stats *c = mac_cell_stats_get(reps[r].run.cells[0]);
        const uint64_t acc = c->ra_successes + c->ra_failures;
        fprintf(
            out, "  %-11u %10llu %16s %12s %11s %12s %10s %12s\n", r, (unsigned long long)acc,
            /* below 0.01 %: significant digits, not zeros */
            opt_num(buf[0], sizeof buf[0],
                    c->ra_collision_prob > 0 && c->ra_collision_prob < 1e-4 ? "%.3g%%" : "%.4f%%",
                    100 * c->ra_collision_prob),
            opt_num(buf[1], sizeof buf[1], "%.2f%%", acc ? 100 * c->ra_success_prob : NAN),
            opt_num(buf[2], sizeof buf[2], "%.3f", acc ? c->ra_mean_tx : NAN),
            opt_num(buf[3], sizeof buf[3], "%.1f", acc ? c->ra_delay_ms_mean : NAN),
            opt_num(devrep, sizeof devrep, "%.1f", c->ra_delay_ms_p95),
            opt_num(dev, sizeof dev, "%.2f%%", acc ? 100 * c->ra_delay_cdf[10] : NAN));
    }
    if (!study)
        fprintf(out, "  p95 ms: - (the event model keeps a 10 ms histogram of the access delay: "
                     "see /ra_delay_cdf)\n");
    fputc('\n', out);
    thousands(devrep, sizeof devrep, events);
    fprintf(out,
            "  %s events (all replications) in %.2f s, the replications' run times summed "
            "(%.2f M events/s); model memory %.0f bytes per device (the largest replication)",
            devrep, wall, wall > 0 ? (double)events / wall / 1e6 : 0.0,
            devices ? (double)bytes / (double)devices : 0.0);
    if (sums->ranks > 1) fprintf(out, "; cells over %d MPI ranks", sums->ranks);
    fputs("\n\n", out);
}
