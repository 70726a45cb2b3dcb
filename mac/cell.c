/* cell.c: building a cell (devices, coverage, CE levels, search spaces,
 * exchange steps) and its statistics at the end of a run. */
#include "mac/mac_internal.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void add_step(mac_steps *st, int kind, int bytes, int session)
{
    st->s[st->n].kind = (uint8_t)kind;
    st->s[st->n].session = (uint8_t)(session == 1);
    st->s[st->n].stack = (uint8_t)(session != 0); /* 1: session, 2: per report */
    st->s[st->n].bytes = (uint16_t)(bytes < 65535 ? bytes : 65535);
    st->n++;
}

/* The exchange of group g once connected (message sizes and their
 * sources: config.c): user-plane set-up, then per report the stack's session set-up
 * when due, the data (NB-IoT overheads + the stack's headers), the stack's
 * further exchanges and the answer down. Control plane: uplink messages
 * ride as NAS data with cp_overhead_bytes. */
static void build_steps(mac_cell *c, uint32_t g)
{
    const mac_radio_cfg *r = &c->r;
    const mac_stack_cfg *sk = &c->cfg.groups[g].stack;
    mac_steps *st = &c->gsteps[g];
    int l2 = r->l2_overhead_bytes, ul = l2 + (r->user_plane ? 0 : r->cp_overhead_bytes);
    st->n = 0;
    if (r->user_plane) {
        add_step(st, STEP_UL_FIXED, r->setup_complete_bytes + l2, 0);
        add_step(st, STEP_DL_FIXED, r->smc_bytes + l2, 0);
        add_step(st, STEP_UL_FIXED, r->smc_complete_bytes + l2, 0);
        add_step(st, STEP_DL_FIXED, r->reconf_bytes + l2, 0);
        add_step(st, STEP_UL_FIXED, r->reconf_complete_bytes + l2, 0);
    }
    c->n_setup = st->n;
    for (int i = 0; i < sk->n_session; i++)
        add_step(st, sk->session[i].dir ? STEP_DL_FIXED : STEP_UL_FIXED,
                 sk->session[i].bytes + (sk->session[i].dir ? l2 : ul), 1);
    add_step(st, STEP_UL_DATA, ul + sk->ul_overhead_bytes, 0);
    for (int i = 0; i < sk->n_per_report; i++)
        add_step(st, sk->per_report[i].dir ? STEP_DL_FIXED : STEP_UL_FIXED,
                 sk->per_report[i].bytes + (sk->per_report[i].dir ? l2 : ul), 2);
    int answer = sk->answer_bytes >= 0 ? sk->answer_bytes : r->dl_ack_bytes;
    /* always present: a TAU's accept uses it; marked 3 when reports get no answer */
    add_step(st, STEP_DL_ACK, answer + l2, 0);
    if (answer <= 0) st->s[st->n - 1].stack = 3;
}

/* Coupling loss at which a level's worst device sits: its RSRP threshold,
 * or for the last level the MCL moved into this link's budget. */
static double edge_cl(const mac_cell *c, int ce)
{
    if (ce + 1 >= c->r.n_ce) return mac_planned_edge_db(&c->r);
    /* RSRP is linear in the coupling loss: RSRP(0) - threshold */
    return mac_rsrp(c, 0.0) - c->r.ce[ce].rsrp_threshold_dbm;
}

/* The wiring: which function takes a device from one procedure to the
 * next, and the radio's rules, one row per radio. Both radios run the same
 * Rel-13 procedures (access.c, connected.c, sleep.c) with their own rules
 * (nbiot.c, ltem.c); a radio whose procedure differs gets its own entry
 * points here. */
#define MAC_PROCS_REL13                                                                            \
    {                                                                                              \
        .access_start = access_start, .access_sync_time = access_sync_time,                        \
        .conn_start = conn_start, .conn_dl_send = conn_dl_send,                                    \
        .conn_session_due = conn_session_due, .conn_edt_dl = conn_edt_dl,                          \
        .conn_edt_dl_done = conn_edt_dl_done, .msg4_done = access_msg4_done,                       \
        .msg4_lost = access_msg4_lost, .conn_new_data = conn_new_data,                             \
        .conn_new_command = conn_new_command, .idle_enter = sleep_enter,                           \
        .idle_leave = sleep_leave, .pur_hold = pur_hold, .pur_resolved = pur_resolved,             \
        .pur_released = pur_released, .idle_page = sleep_page, .fota_received = campaign_received, \
        .fota_unreached = campaign_unreached, .fota_hold = campaign_hold,                          \
        .fota_report_logged = campaign_report_logged,                                              \
    }
static const struct {
    const mac_radio *radio;
    mac_procs proc;
} wiring[] = {
    [MAC_RAT_NBIOT] = {.radio = &mac_radio_nbiot, .proc = MAC_PROCS_REL13},
    [MAC_RAT_LTEM] = {.radio = &mac_radio_ltem, .proc = MAC_PROCS_REL13},
};

const mac_radio *mac_radio_of(int rat)
{
    const int n = (int)(sizeof wiring / sizeof wiring[0]);
    return rat >= 0 && rat < n ? wiring[rat].radio : NULL;
}

mac_cell *mac_cell_create(const mac_cell_cfg *cfg, sim_engine *e, sim_error *err)
{
    mac_cell *c = calloc(1, sizeof *c);
    if (!c) goto nomem;
    c->cfg = *cfg;
    c->r = *cfg->radio;
    if (!mac_radio_of(c->r.rat)) {
        free(c);
        sim_error_set(err, SIM_ERR_INPUT, "cell.rat: unknown radio %d", cfg->radio->rat);
        return NULL;
    }
    c->radio = wiring[c->r.rat].radio;
    c->proc = &wiring[c->r.rat].proc;
    c->engine = e;
    /* NB-IoT: the anchor and its non-anchor carriers (LTE-M: one) */
    c->n_car = 1 + (c->r.rat == MAC_RAT_NBIOT ? c->r.carriers.non_anchor : 0);
    c->car = calloc((size_t)c->n_car, sizeof *c->car);
    if (!c->car) goto nomem;
    for (int k = 0; k < c->n_car; k++) {
        c->car[k].ul_pruned_at = c->car[k].dl_pruned_at = -1;
        c->car[k].map = k ? &c->dlmap_na : &c->dlmap;
    }
    c->cur = &c->car[0];
    /* non-anchor carriers: every downlink subframe valid (no NPSS, NSSS,
     * NPBCH or SIB1-NB; downlinkBitmapNonAnchor-r14 absent) */
    phy_dl_map_all_valid(&c->dlmap_na);
    c->reports_free = NO_REPORT;
    uint64_t n = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        n += cfg->groups[g].count;
    if (cfg->dev_cl) n = cfg->n_dev;
    if (n > UINT32_MAX - 1) {
        free(c);
        sim_error_set(err, SIM_ERR_INPUT, "devices: %llu devices in one cell, at most %u",
                      (unsigned long long)n, UINT32_MAX - 1);
        return NULL;
    }
    c->n_devs = (uint32_t)n;
    c->devs = calloc(n ? n : 1, sizeof *c->devs);
    c->glink = calloc(cfg->n_groups + 1, sizeof *c->glink);
    c->gmod = calloc(cfg->n_groups + 1, sizeof *c->gmod);
    c->genergy = calloc(cfg->n_groups + 1, sizeof *c->genergy);
    c->gtx_ref_mw = calloc(cfg->n_groups + 1, sizeof *c->gtx_ref_mw);
    if (!c->devs || !c->glink || !c->gmod || !c->genergy || !c->gtx_ref_mw) goto nomem;
    for (uint32_t g = 0; g < cfg->n_groups; g++) {
        mac_group_cfg gc = cfg->groups[g];
        mac_group_cfg_resolve(&gc); /* configurations built without a scenario */
        c->gmod[g] = gc.module;
    }
    if (c->radio->carrier(c) != 0) goto nomem;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        c->gtx_ref_mw[g] = energy_tx_ref_mw(&c->gmod[g]);
    for (int k = 0; k < c->r.n_ce; k++) {
        const mac_ce_cfg *ce = &c->r.ce[k];
        sim_time_t T = (sim_time_t)llround(ce->npdcch_rmax * ce->npdcch_g) * SIM_MS;
        c->ss_period[k] = T;
        c->ss_offset[k] = (sim_time_t)floor(ce->npdcch_offset * (double)(T / SIM_MS)) * SIM_MS;
        sim_time_t first = c->ss_offset[k];
        sim_time_t span = phy_dl_span_end(&c->dlmap, first, ce->npdcch_rmax) - first;
        c->ss_rx[k] = span < T ? span : T;
        c->prach_period[k] = (sim_time_t)llround(ce->nprach_period_ms) * SIM_MS;
        c->prach_start[k] = (sim_time_t)llround(ce->nprach_start_ms) * SIM_MS;
        sim_time_from_s(ce->sync_ms / 1e3, &c->sync[k]);
    }
    c->radio->timing(c);
    drx_setup(c);
    for (int k = 0; k < c->r.n_ce; k++) {
        const mac_ce_cfg *ce = &c->r.ce[k];
        mac_ul_select(c, &c->r.link, edge_cl(c, k), c->r.msg3_bits, k, 0, &c->msg3[k]);
        /* EDT is offered up to the largest TBS whose Msg3 grant, sized for
         * the level's edge, meets the BLER target within the level's
         * repetitions (an eNB would not configure one that cannot) */
        c->edt_cap[k] = 0;
        c->edt_n[k] = 0;
        phy_ul_grant g, gmax;
        for (int t = 0; t < c->n_edt_tbs; t++)
            if (c->edt_tbs[t] <= ce->edt_tbs && c->radio->edt_tbs_ok(c, k, c->edt_tbs[t]) &&
                mac_ul_select(c, &c->r.link, edge_cl(c, k), c->edt_tbs[t], k, 0, &g) == 0) {
                c->edt_cap[k] = c->edt_tbs[t];
                gmax = g;
            }
        if (c->edt_cap[k] > 0)
            c->edt_n[k] = c->radio->edt_grants(c, k, edge_cl(c, k), c->edt_cap[k], &gmax,
                                               c->edt_tb[k], c->edt_g[k]);
    }
    c->gsteps = calloc(cfg->n_groups + 1, sizeof *c->gsteps);
    if (!c->gsteps) goto nomem;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        build_steps(c, g);
    /* Presize the delivery log for the expected reports (+5 %). */
    double expect = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++) {
        const traffic_cfg *t = &cfg->groups[g].traffic;
        double per = t->kind == TRAFFIC_BURST_UNIFORM || t->kind == TRAFFIC_BURST_BETA
                         ? 1.0
                         : traffic_mean_rate(t) * sim_time_to_s(cfg->duration);
        expect += per * cfg->groups[g].count;
    }
    /* exact up to latency_exact_per_device reports per device on average,
     * then binned (latlog.c) */
    const size_t limit = (size_t)c->r.latency_exact_per_device * n;
    const int binned = c->r.latency_exact_per_device == 0;
    if (lat_log_init(&c->lat, expect > 0 && expect < 4e9 ? (size_t)(expect * 1.05) + 1024 : 0,
                     limit, binned) != 0 ||
        lat_log_init(&c->dl_lat, 0, limit, binned) != 0)
        goto nomem;
    /* the link arithmetic's memo, the cell's own (one thread at a time) */
    c->link_memo = phy_memo_new();
    if (!c->link_memo) goto nomem;
    c->r.link.memo = c->link_memo;
    /* every device's output is capped by P-Max (TS 36.101 6.2.5F) */
    c->r.link.ue_max_dbm = mac_pcmax_dbm(&c->r, c->r.link.ue_max_dbm);
    for (uint32_t g = 0; g < cfg->n_groups; g++) {
        c->glink[g] = c->r.link;
        c->glink[g].ue_max_dbm = mac_pcmax_dbm(&c->r, cfg->groups[g].tx_max_dbm);
    }
    if (mac_ts_init(c, cfg->ts_bin) != 0) goto nomem;
    access_register(c, e);
    conn_register(c, e);
    sleep_register(c, e);
    pur_register(c, e);
    mac_register_reports(c, e);
    campaign_register(c, e);
    if (mac_trace_init(c) != 0) goto nomem; /* wraps the handlers just registered */
    if (sleep_setup(c, err) != SIM_OK) {
        mac_cell_destroy(c);
        return NULL;
    }
    if (pur_setup(c) != 0) goto nomem;

    mac_devices_init(c, e);
    if (po_share_setup(c) != 0) goto nomem;    /* needs the devices' groups */
    if (campaign_setup(c, e) != 0) goto nomem; /* needs the devices' levels */
    return c;
nomem:
    mac_cell_destroy(c);
    sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory creating the cell's devices");
    return NULL;
}

/* What only the simulation needs: everything but the results
 * (mac_cell_finish's stats and the group matrices; the device results'
 * accounts point into nothing, mac_cell_finish clears them). */
void mac_cell_release(mac_cell *c)
{
    if (!c) return;
    free(c->gsteps);
    c->gsteps = NULL;
    free(c->pur);
    c->pur = NULL;
    free(c->gpage);
    c->gpage = NULL;
    free(c->t3324);
    c->t3324 = NULL;
    free(c->t3412);
    c->t3412 = NULL;
    free(c->po_load);
    c->po_load = NULL;
    po_share_free(c);
    lat_log_free(&c->dl_lat);
    campaign_free(c);
    for (int i = 0; c->car && i < c->n_car; i++) {
        mac_carrier *k = &c->car[i];
        for (int l = 0; l < MAC_MAX_CE; l++)
            for (int x = 0; x < 2; x++) {
                free(k->occ[l][x].dev);
                free(k->occ[l][x].sc);
                free(k->occ[l][x].order);
                free(k->occ[l][x].det);
            }
        for (int nb = 0; nb < MAC_MAX_DL_NB; nb++) {
            tl_free(&k->dl[nb]);
            tl_free(&k->dld[nb]);
            tl_free(&k->dlw[nb]);
        }
        for (int u = 0; u < UL_UNITS; u++)
            tl_free(&k->ul[u]);
    }
    free(c->car);
    c->car = c->cur = NULL;
    free(c->devs);
    c->devs = NULL;
    free(c->glink);
    c->glink = NULL;
    free(c->gmod);
    c->gmod = NULL;
    free(c->gtx_ref_mw);
    c->gtx_ref_mw = NULL;
    phy_memo_free(c->link_memo);
    c->link_memo = NULL;
    c->r.link.memo = NULL;
    free(c->gcache);
    c->gcache = NULL;
    free(c->reports);
    c->reports = NULL;
    mac_ts_release(c);
    mac_trace_release(c);
    lat_log_free(&c->lat);
    c->reports_cap = c->reports_free = 0;
    c->po_cap = c->po_n = c->po_head = 0;
    c->gcache_bytes = 0;
}

void mac_cell_drop_devices(mac_cell *c)
{
    mac_cell_release(c);
    free(c->dstats);
    c->dstats = NULL;
    c->n_devs = 0;
    mac_ts_free_out(&c->tsout); /* written with the devices' rows */
    mac_trace_free(c);
}

void mac_cell_destroy(mac_cell *c)
{
    if (!c) return;
    mac_cell_release(c);
    mac_ts_free_out(&c->tsout);
    mac_trace_free(c);
    free(c->genergy);
    free(c->dstats);
    free(c);
}
/* Quantile with linear interpolation between order statistics (numpy's
 * default "linear" method), via GSL. */
static double quantile(const double *sorted, size_t n, double f)
{
    return n ? gsl_stats_quantile_from_sorted_data(sorted, 1, n, f) : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

lat_summary mac_lat_summary(double *v, size_t n)
{
    /* glibc's merge sort: GSL's heapsort took 2.5 % of a cell's run on
     * the cell-wide log (equal values are interchangeable: same result) */
    qsort(v, n, sizeof *v, cmp_double);
    lat_summary s = {n ? gsl_stats_mean(v, 1, n) : NAN, quantile(v, n, 0.5), quantile(v, n, 0.95),
                     n ? v[n - 1] : NAN};
    return s;
}

int mac_cell_finish(mac_cell *c, sim_error *err)
{
    if (c->oom) return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory during the run");
    const sim_time_t end = c->cfg.duration;
    sleep_finish(c);
    campaign_close(c, end);
    free(c->dstats);
    c->dstats = calloc(c->n_devs ? c->n_devs : 1, sizeof *c->dstats);
    lat_summary *ul = malloc(((size_t)c->n_devs + 1) * sizeof *ul);
    lat_summary *dl = malloc(((size_t)c->n_devs + 1) * sizeof *dl);
    lat_summary ul_all, dl_all;
    if (!c->dstats || !ul || !dl || lat_log_summarize(&c->lat, c->n_devs, ul, &ul_all) ||
        lat_log_summarize(&c->dl_lat, c->n_devs, dl, &dl_all)) {
        free(ul);
        free(dl);
        return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory computing statistics");
    }
    mac_cell_stats *cs = &c->cstats;
    memset(cs, 0, sizeof *cs);
    cs->devices = c->n_devs;
    cs->latency_binned = lat_log_binned(&c->lat) || lat_log_binned(&c->dl_lat);
    for (uint32_t i = 0; i < c->n_devs; i++) {
        mac_dev *d = &c->devs[i];
        mac_device_stats *s = &c->dstats[i];
        const mac_group_cfg *g = &c->cfg.groups[d->group];
        const phy_link_cfg *l = &c->glink[d->group];
        conn_close(c, i, end); /* a tail in progress: its monitoring */
        energy_close(&d->energy, end);
        s->group = d->group;
        s->ce_level = d->ce_base;
        s->coupling_loss_db = d->cl_db;
        s->rsrp_dbm = (float)mac_rsrp(c, d->cl_db);
        s->ul_snr_db =
            (float)(c->r.rat == MAC_RAT_LTEM ? phy_ltem_ul_snr_db(l, d->cl_db, l->ue_max_dbm, 1)
                                             : phy_ul_snr_db(l, d->cl_db, l->ue_max_dbm, 15000.0));
        s->dl_snr_db = (float)mac_dl_snr(c, l, d->cl_db);
        s->reports_generated = d->generated;
        s->reports_delivered = d->delivered;
        s->reports_dropped = d->dropped;
        s->reports_failed = d->failed;
        /* pending application reports (a queued TAU is not one) */
        uint32_t pend = 0;
        for (uint32_t r = d->head, k = 0; k < d->pending; k++, r = c->reports[r].next)
            pend += c->reports[r].kind == ITEM_REPORT;
        s->reports_pending = pend;
        s->preambles = d->preambles;
        s->collisions = d->collisions;
        s->ra_failures = d->ra_failures;
        s->ce_escalations = d->ce_base < MAC_MAX_CE ? d->escalations : 0;
        s->out_of_coverage = d->ce_base >= MAC_MAX_CE;
        s->cell_searches = s->out_of_coverage ? d->escalations : 0;
        s->si_reads = d->si_reads;
        s->edt_reports = d->edt_n;
        s->edt_fallbacks = d->edt_fallbacks;
        s->harq_retx = d->harq_retx;
        s->npusch_reps_mean = d->data_tbs ? (double)d->data_reps / d->data_tbs : NAN;
        s->bytes_delivered = d->bytes;
        s->latency_ms_mean = ul[i].mean;
        s->latency_ms_p50 = ul[i].p50;
        s->latency_ms_p95 = ul[i].p95;
        s->latency_ms_max = ul[i].max;
        s->occasions = d->pos;
        s->wus_monitored = d->wus_mon;
        s->false_pages = d->false_pages;
        idle_paging pg = sleep_dev_paging(c, i);
        s->paging_carrier = (uint8_t)mac_paging_carrier(c, &pg);
        s->carrier = d->car;
        s->pages = d->pages;
        s->taus = d->taus;
        s->dl_generated = d->dl_gen;
        s->dl_delivered = d->dl_deliv;
        s->dl_lost = d->dl_lost;
        s->dl_pending = d->dl_pending;
        s->dl_latency_ms_mean = dl[i].mean;
        s->dl_latency_ms_p50 = dl[i].p50;
        s->dl_latency_ms_p95 = dl[i].p95;
        s->dl_latency_ms_max = dl[i].max;
        s->energy = d->energy;
        s->energy.matrix = NULL; /* the cell's: not to be used through the copy */
        for (int k = 0; k < ENERGY_STATE_COUNT; k++)
            s->energy_j[k] = energy_state_j(&d->energy, &c->gmod[d->group], (energy_state)k);
        s->avg_power_mw = energy_avg_power_mw(&d->energy);
        s->battery_life_years = energy_battery_life_years(&g->battery, s->avg_power_mw);
        cs->out_of_coverage += d->ce_base >= MAC_MAX_CE;
        cs->reports_generated += d->generated;
        cs->reports_delivered += d->delivered;
        cs->reports_dropped += d->dropped;
        cs->reports_failed += d->failed;
        cs->reports_pending += pend;
        cs->edt_reports += d->edt_n;
        cs->edt_fallbacks += d->edt_fallbacks;
        cs->bytes_delivered += d->bytes;
        cs->energy_j += energy_total_j(&d->energy);
        cs->dl_generated += d->dl_gen;
        cs->dl_delivered += d->dl_deliv;
        cs->dl_lost += d->dl_lost;
    }
    pur_finish(c);
    cs->latency_ms_mean = ul_all.mean;
    cs->latency_ms_p50 = ul_all.p50;
    cs->latency_ms_p95 = ul_all.p95;
    cs->latency_ms_max = ul_all.max;
    cs->dl_latency_ms_mean = dl_all.mean;
    cs->dl_latency_ms_p95 = dl_all.p95;
    double pairs = 0, collided = 0;
    /* every carrier whose NPRACH devices draw has the levels' opportunities
     * (the anchor's unused with nprach_probability_anchor = 0) */
    const int nprach_car = c->n_car > 1 && c->r.carriers.nprach
                               ? c->n_car - (c->r.carriers.nprach_prob_anchor == 0)
                               : 1;
    for (int k = 0; k < c->r.n_ce; k++) {
        cs->ce[k] = c->ce_stats[k];
        cs->ce[k].opportunities = mac_prach_attempts_before(c, k, end) * (uint64_t)nprach_car;
        cs->ce[k].edt_tbs = c->r.edt ? (uint64_t)c->edt_cap[k] : 0;
        pairs += (double)cs->ce[k].opportunities * c->r.ce[k].subcarriers;
        collided += (double)cs->ce[k].collided_preambles;
        cs->ra_successes += cs->ce[k].successes;
        cs->ra_failures += cs->ce[k].failures;
    }
    cs->ra_collision_prob = pairs > 0 ? collided / pairs : NAN;
    uint64_t done = cs->ra_successes + cs->ra_failures;
    cs->ra_success_prob = done ? (double)cs->ra_successes / (double)done : NAN;
    cs->ra_mean_tx = cs->ra_successes ? (double)c->ra_tx_sum / (double)cs->ra_successes : NAN;
    cs->ra_delay_ms_mean = cs->ra_successes ? c->ra_delay_sum_ms / (double)cs->ra_successes : NAN;
    cs->ra_delay_ms_p95 = NAN;
    uint64_t acc = 0;
    for (int k = 0; k < MAC_RACH_CDF_N; k++) {
        acc += c->ra_delay_hist[k];
        cs->ra_delay_cdf[k] = done ? (double)acc / (double)done : NAN;
    }
    cs->dl_busy_s = c->dl_busy_us / 1e6 / c->n_dl_nb / c->n_car; /* per narrowband, carrier */
    cs->ul_busy_tone_s = c->r.rat == MAC_RAT_NBIOT ? c->ul_busy_unit_us / 4.0 / 1e6 : 0.0;
    cs->ul_util =
        end > 0 ? c->ul_busy_unit_us / ((double)c->n_units * c->n_car * (double)end) : 0.0;
    cs->carriers = (uint32_t)c->n_car;
    for (int k = 0; k < c->n_car; k++) {
        const mac_carrier *m = &c->car[k];
        cs->car[k] = (struct mac_carrier_stats){
            .dl_util = end > 0 ? m->busy_us[0] / ((double)c->n_dl_nb * (double)end) : 0.0,
            .ul_util = end > 0 ? m->busy_us[1] / ((double)c->n_units * (double)end) : 0.0,
            .preambles = m->preambles,
            .collided = m->collided,
            .paging_records = m->paging_records,
            .connections = m->connections,
        };
    }
    cs->paging_records = c->paging_records;
    cs->paged_occasions = c->paged_occasions;
    cs->paging_deferrals = c->paging_deferrals;
    cs->paging_failures = c->paging_failures;
    cs->wus_sent = c->wus_sent;
    cs->false_pages = c->false_pages;
    if (campaign_finish(c) != 0) {
        free(ul);
        free(dl);
        return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory computing statistics");
    }
    free(ul);
    free(dl);
    if (mac_ts_finish(c) != 0)
        return sim_error_set(err, SIM_ERR_RUNTIME, "mac: out of memory finishing the time series");
    return SIM_OK;
}

const mac_device_stats *mac_cell_device_stats(const mac_cell *c, uint32_t *n)
{
    *n = c->n_devs;
    return c->dstats;
}

const mac_cell_stats *mac_cell_stats_get(const mac_cell *c)
{
    return &c->cstats;
}

const energy_matrix *mac_cell_group_energy(const mac_cell *c, uint32_t *n_groups)
{
    *n_groups = c->cfg.n_groups;
    return c->genergy;
}

size_t mac_cell_bytes(const mac_cell *c)
{
    return sizeof *c + (size_t)c->n_car * sizeof *c->car + (size_t)c->n_devs * sizeof *c->devs +
           (c->ts ? (size_t)c->ts->n * (MAC_TS_COUNTERS * sizeof(uint32_t) + 8 * sizeof(double))
                  : 0) +
           (size_t)c->cfg.n_groups * sizeof *c->genergy +
           (size_t)c->reports_cap * sizeof *c->reports + lat_log_bytes(&c->lat) +
           lat_log_bytes(&c->dl_lat) + c->gcache_bytes + (c->link_memo ? phy_memo_bytes() : 0) +
           (c->ps_start ? ((size_t)c->cfg.n_groups * 4096 + 1 + c->n_devs) * sizeof(uint32_t) +
                              (size_t)c->n_devs * (sizeof(uint8_t) + sizeof(uint16_t))
                        : 0) +
           (c->pur ? (size_t)c->n_devs * sizeof *c->pur : 0);
}
