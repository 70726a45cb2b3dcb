/* devices.c: the cell's devices and their queues.
 *
 * Creates each device (coupling loss, CE level, first report and network
 * command), keeps each device's queue of items (application reports,
 * periodic TAUs, network commands) and the delivery logs, and turns a
 * traffic arrival into work for the procedures: a sleeping device starts
 * random access, a connected one sends the data on its connection.
 */
#include "mac/mac_internal.h"

#include <stdlib.h>

int mac_coverage_limit(const mac_cell *c, const phy_link_cfg *l, double cl)
{
    const int last = c->r.n_ce - 1;
    const mac_ce_cfg *k = &c->r.ce[last];
    if (1.0 - mac_prach_detect(c, l, cl, l->ue_max_dbm, k->nprach_reps) > 10 * l->dci_bler_target)
        return MAC_LIMIT_PREAMBLE;
    phy_ul_grant g;
    double bler;
    if (mac_ul_select(c, l, cl, c->r.msg3_bits, last, 0, &g) != 0) return MAC_LIMIT_MSG3;
    mac_dci_reps(c, l, cl, k->npdcch_rmax, &bler);
    return bler > 10 * l->dci_bler_target ? MAC_LIMIT_DCI : 0;
}

/* Out of coverage (TS 36.304 5.2: a device that finds no suitable cell
 * keeps searching): a cell search with the receiver on, then a sleep whose
 * length doubles from search_backoff_s to search_backoff_max_s. The
 * device never finds a cell here (its coupling loss is fixed), so the
 * cycle runs to the end; d->escalations counts the searches. */
static void search_start(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    const mac_idle_cfg *ic = &c->cfg.groups[d->group].idle;
    sim_time_t scan;
    if (sim_time_from_s(ic->search_scan_s, &scan) != 0 || scan < 1) scan = 1;
    energy_set_proc(&d->energy, ENERGY_PROC_OOS, now);
    mac_enter(c, d, ENERGY_RX, now);
    if (d->escalations < UINT16_MAX) d->escalations++;
    if (now + scan < c->cfg.duration) sim_schedule(c->engine, now + scan, EV_SEARCH, id, 0, 0);
}

static void on_search(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    if (ev->data) { /* back-off over: search again */
        search_start(c, ev->target, ev->time);
        return;
    }
    const mac_idle_cfg *ic = &c->cfg.groups[d->group].idle;
    double b = ic->search_backoff_s;
    for (uint32_t k = 1; k < d->escalations && b < ic->search_backoff_max_s; k++)
        b *= 2;
    if (b > ic->search_backoff_max_s) b = ic->search_backoff_max_s;
    sim_time_t back;
    if (sim_time_from_s(b, &back) != 0 || back < 1) back = 1;
    /* between searches the modem sleeps as deeply as in PSM (assumption) */
    mac_enter(c, d, ENERGY_PSM, ev->time);
    if (ev->time + back < c->cfg.duration)
        sim_schedule(e, ev->time + back, EV_SEARCH, ev->target, 0, 1);
}

void mac_devices_init(mac_cell *c, sim_engine *e)
{
    double thr[MAC_MAX_CE];
    for (int k = 0; k + 1 < c->r.n_ce; k++)
        thr[k] = c->r.ce[k].rsrp_threshold_dbm;
    for (uint32_t id = 0, g = 0, k = 0; id < c->n_devs; id++) {
        mac_dev *d = &c->devs[id];
        if (c->cfg.dev_cl) {
            g = c->cfg.dev_group[id];
            d->cl_db = c->cfg.dev_cl[id];
        } else {
            while (k >= c->cfg.groups[g].count) {
                g++;
                k = 0;
            }
            k++;
            sim_rng cr = mac_rng(c, id, MAC_RNG_COVERAGE, 0);
            d->cl_db = (float)phy_coupling_loss_draw(&c->cfg.groups[g].coverage, &cr);
        }
        const mac_group_cfg *gc = &c->cfg.groups[g];
        d->group = (uint16_t)g;
        d->head = d->tail = NO_REPORT;
        d->rai = (uint8_t)gc->rai;
        d->ce_base = mac_coverage_limit(c, &c->glink[g], d->cl_db)
                         ? MAC_MAX_CE
                         : (uint8_t)phy_ce_level(thr, c->r.n_ce - 1, mac_rsrp(c, d->cl_db));
        d->ce = d->ce_base < MAC_MAX_CE ? d->ce_base : 0;
        d->dl_head = d->dl_tail = NO_REPORT;
        /* until idle_enter or the cell search below, at the same instant */
        energy_account_init(&d->energy, ENERGY_IDLE, gc->module.power_mw[ENERGY_IDLE],
                            ENERGY_PROC_PAGING, &c->genergy[g], 0);
        drx_reset(d);
        sim_rng tr = mac_rng(c, id, MAC_RNG_TRAFFIC, 0);
        traffic_state st;
        traffic_device_init(&gc->traffic, &st, &tr, 0);
        d->next_report = st.next;
        /* TR 37.868 evaluation: the first report's random access is run by
         * mac_cell_rach_study after the (empty) event run */
        if (c->r.ra_model == MAC_RA_TR37868) continue;
        if (st.next < c->cfg.duration) sim_schedule(e, st.next, EV_REPORT, id, 0, 0);
        /* network commands: purpose 7 (sleep.c), substream 0 for the first
         * (out of coverage they are generated and lost: on_dl_cmd) */
        sim_rng dr = mac_rng(c, id, 7, 0);
        traffic_state cmd;
        traffic_device_init(&gc->downlink.traffic, &cmd, &dr, 0);
        if (cmd.next < c->cfg.duration) sim_schedule(e, cmd.next, EV_DL_CMD, id, 0, 0);
        if (d->ce_base >= MAC_MAX_CE) {
            search_start(c, id, 0); /* no cell to camp on: keep searching */
            continue;
        }
        c->proc->idle_enter(c, id, 0, 1); /* after the traffic: it needs the next report time */
    }
}

uint32_t mac_item_alloc(mac_cell *c)
{
    if (c->reports_free == NO_REPORT) {
        uint32_t cap = c->reports_cap ? c->reports_cap * 2 : 1024;
        mac_report *r = realloc(c->reports, (size_t)cap * sizeof *r);
        if (!r) {
            c->oom = 1;
            return NO_REPORT;
        }
        for (uint32_t i = cap; i-- > c->reports_cap;) {
            r[i].next = c->reports_free;
            c->reports_free = i;
        }
        c->reports = r;
        c->reports_cap = cap;
    }
    uint32_t i = c->reports_free;
    c->reports_free = c->reports[i].next;
    c->reports[i].next = NO_REPORT;
    c->reports[i].kind = ITEM_REPORT;
    c->reports[i].tries = 0;
    return i;
}

uint32_t mac_item_push(mac_cell *c, uint32_t *head, uint32_t *tail, uint32_t *count, int kind,
                       sim_time_t generated, uint32_t bytes)
{
    uint32_t r = mac_item_alloc(c);
    if (r == NO_REPORT) {
        sim_engine_stop(c->engine);
        return NO_REPORT;
    }
    c->reports[r].kind = (uint8_t)kind;
    c->reports[r].generated = generated;
    c->reports[r].bytes = bytes;
    if (*count == 0)
        *head = r;
    else
        c->reports[*tail].next = r;
    *tail = r;
    (*count)++;
    return r;
}

void mac_item_release(mac_cell *c, uint32_t i)
{
    c->reports[i].next = c->reports_free;
    c->reports_free = i;
}

void mac_dl_pop(mac_cell *c, mac_dev *d)
{
    const uint32_t r = d->dl_head;
    d->dl_head = c->reports[r].next;
    d->dl_pending--;
    mac_item_release(c, r);
}

void mac_dl_expire(mac_cell *c, mac_dev *d, sim_time_t now)
{
    sim_time_t buf;
    sim_time_from_s(c->r.network.buffer_s, &buf);
    while (d->dl_pending > 0 && c->reports[d->dl_head].kind != ITEM_FOTA &&
           now - c->reports[d->dl_head].generated > buf) {
        mac_dl_pop(c, d);
        d->dl_lost++;
    }
}

void mac_log_dl(mac_cell *c, uint32_t dev, int64_t lat_us)
{
    if (lat_log_add(&c->dl_lat, dev, (double)lat_us / 1e3) != 0) c->oom = 1;
}

/* Appends to the delivery log (latlog.c: 8 bytes a report while exact;
 * float milliseconds keep 24 bits, sub-millisecond up to hours). */
static void log_latency(mac_cell *c, uint32_t dev, int64_t lat_us)
{
    if (lat_log_add(&c->lat, dev, (double)lat_us / 1e3) != 0) c->oom = 1;
}

void mac_report_done(mac_cell *c, uint32_t id, sim_time_t now, int delivered)
{
    mac_dev *d = &c->devs[id];
    if (d->pending == 0) return;
    uint32_t r = d->head;
    d->head = c->reports[r].next;
    d->pending--;
    if (c->reports[r].kind == ITEM_TAU) {
        d->taus += delivered != 0; /* a periodic TAU, not an application report */
    } else if (delivered) {
        d->delivered++;
        mac_ts_count(c, MAC_TS_REPORTS_DELIVERED, now, 1);
        uint32_t b = c->reports[r].bytes;
        d->bytes = d->bytes > UINT32_MAX - b ? UINT32_MAX : d->bytes + b;
        log_latency(c, id, now - c->reports[r].generated);
        c->proc->fota_report_logged(c, id, c->reports[r].generated, now - c->reports[r].generated);
    } else {
        d->failed++;
        mac_ts_count(c, MAC_TS_REPORTS_FAILED, now, 1);
    }
    mac_item_release(c, r);
    if (c->oom) sim_engine_stop(c->engine);
}

static void on_report(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *g = &c->cfg.groups[d->group];
    uint32_t n = d->generated++;
    mac_ts_count(c, MAC_TS_REPORTS_GENERATED, ev->time, 1);

    sim_rng pr = mac_rng(c, id, MAC_RNG_PAYLOAD, n);
    uint32_t bytes = traffic_payload_bytes(&g->traffic.payload, &pr);
    /* substream 0 drew the first arrival, report n draws the gap after it */
    sim_rng tr = mac_rng(c, id, MAC_RNG_TRAFFIC, (uint64_t)n + 1);
    traffic_state st = mac_traffic_at(c, id, &g->traffic, MAC_RNG_TRAFFIC, ev->time);
    traffic_advance(&g->traffic, &st, &tr);
    d->next_report = st.next;
    if (st.next < c->cfg.duration) sim_schedule(e, st.next, EV_REPORT, id, 0, 0);

    if (d->ce_base >= MAC_MAX_CE) {
        d->failed++; /* out of coverage: no cell to send to */
        mac_ts_count(c, MAC_TS_REPORTS_FAILED, ev->time, 1);
        return;
    }
    if (d->pending >= g->max_pending) {
        d->dropped++;
        mac_ts_count(c, MAC_TS_REPORTS_DROPPED, ev->time, 1);
        return;
    }
    if (mac_item_push(c, &d->head, &d->tail, &d->pending, ITEM_REPORT, ev->time, bytes) ==
        NO_REPORT)
        return;
    if (d->state == ST_SLEEP) {
        /* with a valid PUR the report waits asleep for the next occasion */
        if (!c->proc->pur_hold(c, id, ev->time))
            c->proc->access_start(c, id, ev->time, c->proc->idle_leave(c, id, ev->time));
    } else if (d->state == ST_INACTIVE)
        c->proc->conn_new_data(c, id, ev->time);
}

traffic_state mac_traffic_at(const mac_cell *c, uint32_t id, const traffic_cfg *t, uint32_t purpose,
                             sim_time_t now)
{
    traffic_state st;
    sim_rng r = mac_rng(c, id, purpose, 0);
    traffic_device_init(t, &st, &r, 0);
    st.next = now;
    return st;
}

void mac_register_reports(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_REPORT, on_report, c);
    sim_engine_on(e, EV_SEARCH, on_search, c);
}
