/* trace.c: a per-event log of chosen devices (/trace). When a cell traces,
 * every handler it registered is wrapped: before a traced device's event
 * the wrapper notes what it can see of the device (protocol and power
 * state, procedure, CE level, counters, the energy account's last
 * booking), after it writes a row if anything changed. Events that change
 * nothing (a stale timer, a paging occasion without a page while the
 * device stays asleep and books nothing) leave no row. Untraced cells
 * register no wrapper and pay nothing. */
#include "mac/mac_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct trace_snap {
    uint8_t state, pstate, proc, ce, conn;
    uint32_t pending, generated, delivered, dropped, failed, preambles, collisions, harq_retx,
        edt_n, pos, pages, taus, dl_gen, dl_deliv, dl_lost;
    uint16_t ra_failures, si_reads;
    sim_time_t since;
} trace_snap;

typedef struct mac_trace_wrap {
    mac_cell *c;
    struct {
        sim_handler fn;
        void *ctx;
    } h[EV_COUNT];
    trace_snap before;
} mac_trace_wrap;

static const char *const what_names[MAC_TR_N] = {"report generated",
                                                 "report delivered",
                                                 "report dropped",
                                                 "report failed",
                                                 "preamble sent",
                                                 "preamble collided",
                                                 "access failed",
                                                 "CE level changed",
                                                 "EDT",
                                                 "HARQ retransmission",
                                                 "connected",
                                                 "released",
                                                 "paged",
                                                 "paging occasion",
                                                 "TAU",
                                                 "command arrived",
                                                 "command delivered",
                                                 "command lost",
                                                 "system information read"};

const char *mac_trace_what_name(int k)
{
    return k >= 0 && k < MAC_TR_N ? what_names[k] : "?";
}

static const char *const event_names[EV_COUNT] = {[EV_REPORT] = "report",
                                                  [EV_SYNC_DONE] = "sync_done",
                                                  [EV_PREAMBLE] = "preamble",
                                                  [EV_PRACH_END] = "prach_end",
                                                  [EV_RAR] = "rar",
                                                  [EV_RA_FAIL] = "ra_fail",
                                                  [EV_MSG3_START] = "msg3_start",
                                                  [EV_MSG3_END] = "msg3_end",
                                                  [EV_DL_END] = "dl_end",
                                                  [EV_ACK_END] = "ack_end",
                                                  [EV_UL_START] = "ul_start",
                                                  [EV_UL_END] = "ul_end",
                                                  [EV_INACTIVITY] = "inactivity",
                                                  [EV_PSM] = "psm",
                                                  [EV_TAU] = "tau",
                                                  [EV_DL_CMD] = "dl_command",
                                                  [EV_PAGE] = "page",
                                                  [EV_PAGED] = "paged",
                                                  [EV_PO] = "paging_occasion",
                                                  [EV_PO_END] = "occasion_end",
                                                  [EV_SEARCH] = "cell_search",
                                                  [EV_PUR_WAKE] = "pur_wake",
                                                  [EV_PUR_SYNCED] = "pur_synced",
                                                  [EV_PUR_TX] = "pur_tx",
                                                  [EV_PUR_TX_END] = "pur_tx_end",
                                                  [EV_PUR_RESP] = "pur_response",
                                                  [EV_FOTA] = "fota_trigger",
                                                  [EV_FOTA_SESSION] = "fota_round",
                                                  [EV_FOTA_SESSION_END] = "fota_session_end",
                                                  [EV_FOTA_VERIFIED] = "fota_verified",
                                                  [EV_FOTA_BLOCK] = "fota_block"};

const char *mac_event_name(int type)
{
    return type > 0 && type < EV_COUNT && event_names[type] ? event_names[type] : "?";
}

static const char *const state_names[] = {
    [ST_SLEEP] = "idle",          [ST_SYNC] = "sync",         [ST_WAIT_PRACH] = "wait_prach",
    [ST_PREAMBLE] = "preamble",   [ST_RAR_WAIT] = "rar_wait", [ST_MSG3] = "msg3",
    [ST_MSG4_WAIT] = "msg4_wait", [ST_STEP] = "connected",    [ST_INACTIVE] = "inactive",
    [ST_RELEASE] = "release",     [ST_PUR] = "pur",           [ST_MCAST] = "multicast"};

const char *mac_state_name(int state)
{
    return state >= 0 && state < (int)(sizeof state_names / sizeof state_names[0]) &&
                   state_names[state]
               ? state_names[state]
               : "?";
}

/* Compared with memcmp: the padding must be zero too, so the struct is
 * cleared in place before its fields are set. */
static void snap_of(const mac_dev *d, trace_snap *s)
{
    memset(s, 0, sizeof *s);
    s->state = d->state;
    s->pstate = d->energy.state;
    s->proc = d->energy.proc;
    s->ce = d->ce;
    s->conn = d->conn;
    s->pending = d->pending;
    s->generated = d->generated;
    s->delivered = d->delivered;
    s->dropped = d->dropped;
    s->failed = d->failed;
    s->preambles = d->preambles;
    s->collisions = d->collisions;
    s->harq_retx = d->harq_retx;
    s->edt_n = d->edt_n;
    s->pos = d->pos;
    s->pages = d->pages;
    s->taus = d->taus;
    s->dl_gen = d->dl_gen;
    s->dl_deliv = d->dl_deliv;
    s->dl_lost = d->dl_lost;
    s->ra_failures = d->ra_failures;
    s->si_reads = d->si_reads;
    s->since = d->energy.since;
}

static uint32_t changes(const trace_snap *a, const trace_snap *b)
{
#define BIT(cond, k) ((cond) ? 1u << (k) : 0u)
    return BIT(b->generated > a->generated, MAC_TR_GENERATED) |
           BIT(b->delivered > a->delivered, MAC_TR_DELIVERED) |
           BIT(b->dropped > a->dropped, MAC_TR_DROPPED) |
           BIT(b->failed > a->failed, MAC_TR_FAILED) |
           BIT(b->preambles > a->preambles, MAC_TR_PREAMBLE) |
           BIT(b->collisions > a->collisions, MAC_TR_COLLIDED) |
           BIT(b->ra_failures > a->ra_failures, MAC_TR_ACCESS_FAILED) |
           BIT(b->ce != a->ce, MAC_TR_CE_LEVEL) | BIT(b->edt_n > a->edt_n, MAC_TR_EDT) |
           BIT(b->harq_retx > a->harq_retx, MAC_TR_HARQ_RETX) |
           BIT(b->conn && !a->conn, MAC_TR_CONNECTED) | BIT(!b->conn && a->conn, MAC_TR_RELEASED) |
           BIT(b->pages > a->pages, MAC_TR_PAGED) | BIT(b->pos > a->pos, MAC_TR_OCCASION) |
           BIT(b->taus > a->taus, MAC_TR_TAU) | BIT(b->dl_gen > a->dl_gen, MAC_TR_COMMAND) |
           BIT(b->dl_deliv > a->dl_deliv, MAC_TR_COMMAND_DONE) |
           BIT(b->dl_lost > a->dl_lost, MAC_TR_COMMAND_LOST) |
           BIT(b->si_reads > a->si_reads, MAC_TR_SI_READ);
#undef BIT
}

static void add_row(mac_cell *c, const sim_event *ev, const mac_dev *d, uint32_t what)
{
    mac_trace *t = &c->trace;
    if (t->n == c->cfg.trace->max_rows) {
        t->dropped++;
        return;
    }
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? 2 * t->cap : 1024;
        if (cap > c->cfg.trace->max_rows) cap = c->cfg.trace->max_rows;
        mac_trace_row *r = realloc(t->rows, (size_t)cap * sizeof *r);
        if (!r) {
            c->oom = 1;
            sim_engine_stop(c->engine);
            return;
        }
        t->rows = r;
        t->cap = cap;
    }
    t->rows[t->n++] = (mac_trace_row){.t = ev->time,
                                      .device = ev->target,
                                      .what = what,
                                      .pending = d->pending,
                                      .event = (uint8_t)ev->type,
                                      .state = d->state,
                                      .power_state = d->energy.state,
                                      .procedure = d->energy.proc,
                                      .ce_level = d->ce_base >= MAC_MAX_CE ? MAC_MAX_CE : d->ce,
                                      .energy_j = energy_total_j(&d->energy)};
}

static void traced_event(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_trace_wrap *w = ctx;
    mac_cell *c = w->c;
    const mac_trace_cfg *tc = c->cfg.trace;
    /* device events only (an NPRACH opportunity's end is the level's; a
     * campaign's round, session block and straggler sweep the cell's) */
    const int cell_ev = ev->type == EV_PRACH_END || ev->type == EV_FOTA_SESSION ||
                        ev->type == EV_FOTA_BLOCK || (ev->type == EV_FOTA && ev->data == 1);
    const int dev = !cell_ev && ev->target < c->n_devs && c->traced[ev->target] &&
                    ev->time >= tc->from && ev->time < tc->to;
    if (!dev) {
        w->h[ev->type].fn(e, ev, w->h[ev->type].ctx);
        return;
    }
    const mac_dev *d = &c->devs[ev->target];
    trace_snap a, b;
    snap_of(d, &a);
    w->h[ev->type].fn(e, ev, w->h[ev->type].ctx);
    snap_of(d, &b);
    const uint32_t what = changes(&a, &b);
    if (what || memcmp(&a, &b, sizeof a) != 0) add_row(c, ev, d, what);
}

int mac_trace_init(mac_cell *c)
{
    const mac_trace_cfg *tc = c->cfg.trace;
    if (!tc) return 0;
    int cell_on = tc->n_cells == 0;
    for (uint32_t k = 0; k < tc->n_cells; k++)
        cell_on |= tc->cells[k] == c->cfg.cell;
    if (!cell_on || tc->max_rows == 0) return 0;
    c->traced = calloc(c->n_devs ? c->n_devs : 1, 1);
    c->trace_wrap = calloc(1, sizeof *c->trace_wrap);
    if (!c->traced || !c->trace_wrap) return -1;
    for (uint32_t i = 0; i < c->n_devs; i++)
        c->traced[i] = tc->n_devices == 0;
    for (uint32_t k = 0; k < tc->n_devices; k++)
        if (tc->devices[k] >= 1 && tc->devices[k] <= c->n_devs) c->traced[tc->devices[k] - 1] = 1;
    mac_trace_wrap *w = c->trace_wrap;
    w->c = c;
    for (int t = 1; t < EV_COUNT; t++) {
        sim_engine_handler(c->engine, (sim_event_type)t, &w->h[t].fn, &w->h[t].ctx);
        if (w->h[t].fn) sim_engine_on(c->engine, (sim_event_type)t, traced_event, w);
    }
    return 0;
}

void mac_trace_release(mac_cell *c)
{
    free(c->traced);
    c->traced = NULL;
    free(c->trace_wrap);
    c->trace_wrap = NULL;
}

void mac_trace_free(mac_cell *c)
{
    mac_trace_release(c);
    free(c->trace.rows);
    memset(&c->trace, 0, sizeof c->trace);
}

const mac_trace *mac_cell_trace(const mac_cell *c)
{
    return c->trace.n || c->trace.dropped ? &c->trace : NULL;
}
