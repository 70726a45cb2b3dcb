/* sleep.c: idle mode of NB-IoT devices (TS 36.304, TS 24.301).
 *
 * After release a device monitors its paging occasions (DRX, or eDRX inside
 * paging time windows) for the granted active time T3324, then sleeps in PSM
 * until it has data or its periodic TAU (T3412) is due. Occasions where
 * nothing is sent are not simulated: when the device next changes state
 * their number in the interval is computed (idle.c) and charged, each a
 * wake-up plus Rmax paging subframes of reception, or with WUS a wake-up
 * plus the WUS window (and the occasion when a WUS is falsely detected);
 * eDRX time outside paging windows is deep sleep (ENERGY_EDRX), the rest
 * light sleep. `cell.simulate_occasions` instead makes every occasion an
 * event, to validate the counting.
 *
 * A network command for a device in DRX/eDRX is paged at its next occasion
 * with room in the paging message (maxPageRec records); the device may miss
 * the page (NPDCCH or WUS detection from its SNR) and is paged again up to
 * max_attempts occasions. Commands for a device in PSM wait at the network
 * up to buffer_s for its next connection.
 */
#include "mac/mac_internal.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

enum { RNG_IDLE = 6, RNG_DL_TRAFFIC = 7, RNG_DL_PAYLOAD = 8 };

static const int nb_num[13] = {4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const int nb_den[13] = {1, 1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

/* The device's paging schedule; UE_ID and UE_ID_H are redrawn from its
 * stream (the same first two draws every time) rather than stored. */
idle_paging sleep_dev_paging(const mac_cell *c, uint32_t id)
{
    idle_paging p = c->gpage[c->devs[id].group];
    sim_rng r = mac_rng(c, id, RNG_IDLE, 0);
    p.ue_id = (int)sim_rng_int(&r, 4096);                /* IMSI mod 4096 */
    p.ue_id_h = idle_ue_id_h((uint32_t)sim_rng_u64(&r)); /* S-TMSI hash */
    return p;
}

int sleep_monitors(const mac_cell *c, const mac_dev *d)
{
    /* out of coverage there is no cell to monitor: the device searches */
    return d->state == ST_SLEEP && !d->in_psm && d->ce_base < MAC_MAX_CE;
}

int sleep_setup(mac_cell *c, sim_error *err)
{
    uint32_t n = c->cfg.n_groups;
    c->gpage = calloc(n + 1, sizeof *c->gpage);
    c->t3324 = calloc(n + 1, sizeof *c->t3324);
    c->t3412 = calloc(n + 1, sizeof *c->t3412);
    if (!c->gpage || !c->t3324 || !c->t3412)
        return sim_error_set(err, SIM_ERR_RUNTIME, "idle: out of memory");
    const mac_paging_cfg *pc = &c->r.paging;
    int T_cell = (int)llround(pc->cycle_s * 100);
    for (uint32_t g = 0; g < n; g++) {
        const mac_idle_cfg *ic = &c->cfg.groups[g].idle;
        idle_paging *p = &c->gpage[g];
        /* Request versus grant (mac_idle_grant_of, also what check prints) */
        mac_idle_grant gr;
        mac_idle_grant_of(&c->r, ic, &gr);
        int T_ue = (int)llround(gr.drx_cycle_s * 100);
        p->T = T_ue < T_cell ? T_ue : T_cell;
        p->nB_num = nb_num[pc->nb];
        p->nB_den = nb_den[pc->nb];
        if (gr.edrx_cycle_s > 0) {
            const int lt = c->r.rat == MAC_RAT_LTEM;
            p->edrx_hf = lt ? idle_edrx_hyperframes_ltem(gr.edrx_cycle_s)
                            : idle_edrx_hyperframes(gr.edrx_cycle_s);
            p->ptw_frames = lt ? idle_ptw_frames_ltem(gr.ptw_s) : idle_ptw_frames(gr.ptw_s);
        }
        c->t3324[g] = SIM_NEVER;
        if (ic->psm && sim_time_from_s(gr.t3324_s, &c->t3324[g]))
            return sim_error_set(err, SIM_ERR_INPUT, "devices[%u].idle.t3324_s: out of range",
                                 g + 1);
        if (sim_time_from_s(gr.t3412_s, &c->t3412[g]))
            return sim_error_set(err, SIM_ERR_INPUT, "devices[%u].idle.t3412_s: out of range",
                                 g + 1);
    }
    /* Receive time per occasion: Rmax valid subframes from a representative
     * occasion (subframe 9 of frame 0), after the wake-up. */
    sim_time_t wake, t9 = 9 * SIM_MS;
    sim_time_from_s(pc->wake_ms / 1e3, &wake);
    sim_time_t span = phy_dl_span_end(&c->dlmap, t9, pc->rmax) - t9;
    int L = (int)lround(pc->wus_factor * pc->rmax);
    if (L < 1) L = 1;
    sim_time_t wspan = phy_dl_span_end(&c->dlmap, t9, L) - t9;
    /* The paged device also receives the paging message (one record). */
    phy_dl_grant g;
    mac_dl_select(c, &c->r.link, mac_planned_edge_db(&c->r), 64, c->r.n_ce - 1, &g);
    sim_time_t pdsch = phy_dl_span_end(&c->dlmap, t9, g.n_subframes) - t9;
    c->po_rx = wake + span;
    c->wus_rx = wake + wspan;
    c->mon_rx = span;
    /* the message's data starts 5 subframes after the DCI (NPDSCH) or in the
     * 2nd subframe after it (LTE-M PDSCH, TS 36.213 7.1.11) */
    c->page_rx = wake + span + (c->r.rat == MAC_RAT_LTEM ? 1 : 4) * SIM_MS + pdsch;
    c->msg_rx = c->page_rx - c->po_rx;
    return SIM_OK;
}

/* ------------------------------------------------------------- booking */

/* Charges [idle_since, now): occasions (counted unless simulated), eDRX
 * deep sleep outside paging windows, light sleep for the rest; extra_rx is
 * receive time of this instant's occasion (its WUS). Enters IDLE at now. */
static void book_idle(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t extra_rx)
{
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *gc = &c->cfg.groups[d->group];
    idle_paging p = sleep_dev_paging(c, id);
    sim_time_t a = d->t_aux, span = now > a ? now - a : 0;
    /* others' pages at its occasions (po_share.c): woken by their WUS, it
     * monitored the occasion and read the message; without WUS it read
     * the message after the occasion it monitors anyway */
    int64_t rx = extra_rx + (int64_t)d->xwake_po * (c->mon_rx + c->msg_rx) +
                 (int64_t)d->xwake_msg * c->msg_rx;
    d->pos += d->xwake_po;
    d->xwake_po = d->xwake_msg = 0;
    if (!c->r.simulate_occasions && now > a) {
        int64_t n = idle_count_po(&p, a, now);
        if (gc->idle.wus) {
            d->wus_mon += (uint32_t)n;
            rx += n * c->wus_rx;
            if (n > 0 && c->r.paging.wus_false_alarm > 0) {
                /* false WUS detections: the occasion is monitored as well */
                sim_rng r = mac_rng(c, id, RNG_IDLE, d->nd++);
                gsl_rng gr;
                sim_rng_as_gsl(&r, &gr);
                unsigned k = gsl_ran_binomial(&gr, c->r.paging.wus_false_alarm, (unsigned)n);
                d->pos += k;
                rx += (int64_t)k * c->mon_rx;
            }
        } else {
            d->pos += (uint32_t)n;
            rx += n * c->po_rx;
        }
    }
    int64_t deep = p.edrx_hf && now > a ? span - idle_ptw_time(&p, a, now) : 0;
    if (rx > span - deep) rx = span - deep; /* an occasion cut by the end of the interval */
    energy_state st[2] = {ENERGY_RX, ENERGY_EDRX};
    double pw[2] = {mac_power(c, d, ENERGY_RX), mac_power(c, d, ENERGY_EDRX)};
    int64_t tm[2] = {rx, deep};
    energy_enter_parts(&d->energy, 2, st, pw, tm, ENERGY_IDLE, mac_power(c, d, ENERGY_IDLE), now);
    d->t_aux = now;
}

/* Validation mode: schedules the next occasion (its WUS window first). */
static void next_po_event(mac_cell *c, uint32_t id, sim_time_t after)
{
    mac_dev *d = &c->devs[id];
    idle_paging p = sleep_dev_paging(c, id);
    sim_time_t po = idle_next_po(&p, after);
    sim_time_t at = po;
    if (c->cfg.groups[d->group].idle.wus) {
        sim_time_t off;
        sim_time_from_s(c->r.paging.wus_offset_ms / 1e3, &off);
        at = po - off - (c->wus_rx - (c->po_rx - c->mon_rx));
        if (at < after) at = after;
    }
    if (po < c->cfg.duration) sim_schedule(c->engine, at, EV_PO, id, d->gen, (uint64_t)po);
}

static void page_schedule(mac_cell *c, uint32_t id, sim_time_t t);
static void psm_enter(mac_cell *c, uint32_t id, sim_time_t now);

/* Paging gave up on a device kept reachable past its T3324 for downlink
 * data (a multicast receiver's repair, sleep_enter): nothing holds it now,
 * so it enters PSM (its T3324 ran out: TS 24.301 5.3.11). */
static void psm_if_due(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    if (d->in_psm || d->t3324_at == SIM_NEVER || d->t3324_at > now ||
        c->proc->fota_hold(c, id, now))
        return;
    psm_enter(c, id, now);
}

void sleep_enter(mac_cell *c, uint32_t id, sim_time_t now, int how)
{
    const int first = how == MAC_IDLE_FIRST;
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *gc = &c->cfg.groups[d->group];
    uint32_t g = d->group;
    d->state = ST_SLEEP;
    if (d->conn && c->ts) sim_bins_level(&c->ts->conn, now, -1.0);
    d->conn = 0;
    d->paging = 0;
    d->gen++;
    d->t_aux = now;
    if (first) {
        sim_rng r = mac_rng(c, id, RNG_IDLE, 0);
        (void)sim_rng_int(&r, 4096); /* UE_ID and UE_ID_H: see sleep_dev_paging */
        (void)sim_rng_u64(&r);
        /* At the start every device is idle as if released long ago: in
         * PSM if it uses PSM, its first TAU at a random point of T3412. */
        d->in_psm = gc->idle.psm != 0;
        energy_enter(&d->energy, d->in_psm ? ENERGY_PSM : ENERGY_IDLE,
                     mac_power(c, d, d->in_psm ? ENERGY_PSM : ENERGY_IDLE), now);
        d->tau_at = now + (sim_time_t)(sim_rng_uniform(&r) * (double)c->t3412[g]);
        d->t3324_at = c->t3324[g] == SIM_NEVER ? SIM_NEVER : now; /* expired */
    }
    /* told of a multicast session to come (campaign.c): it stays
     * reachable, monitoring paging, until the session */
    const int hold = !first && c->proc->fota_hold(c, id, now);
    if (!first) {
        if (how == MAC_IDLE_RELEASE) {
            /* TS 24.301 5.3.5, 5.3.11: both restart on leaving EMM-CONNECTED */
            d->tau_at = now + c->t3412[g];
            d->t3324_at = c->t3324[g] == SIM_NEVER ? SIM_NEVER : now + c->t3324[g];
        }
        /* a multicast receiver with lost blocks to fetch stays reachable
         * (paged for its repair) even when its T3324 ran out */
        d->in_psm = d->t3324_at <= now && !hold && !(how == MAC_IDLE_NO_NAS && d->dl_pending);
        mac_enter(c, d, d->in_psm ? ENERGY_PSM : ENERGY_IDLE, now);
        if (!d->in_psm && d->t3324_at != SIM_NEVER && d->t3324_at > now && !hold)
            sim_schedule(c->engine, d->t3324_at, EV_PSM, id, d->gen, 0);
    }
    energy_set_proc(&d->energy,
                    hold        ? ENERGY_PROC_FOTA
                    : d->in_psm ? ENERGY_PROC_PSM
                                : ENERGY_PROC_PAGING,
                    now);
    /* One queued EV_TAU per device, re-armed lazily to the current
     * deadline: a restarted 24 h timer must not leave stale events; and
     * only when the TAU is due before the next report, whose connection
     * restarts T3412 anyway. */
    if (!d->tau_armed && d->tau_at < c->cfg.duration && d->tau_at <= d->next_report) {
        d->tau_armed = 1;
        /* expired during a multicast session: the TAU now (TS 24.301 5.3.5) */
        sim_schedule(c->engine, d->tau_at > now ? d->tau_at : now, EV_TAU, id, 0, 0);
    }
    if (c->r.simulate_occasions && !d->in_psm) next_po_event(c, id, now);
    if (!first) c->proc->pur_released(c, id, now); /* a PUR-Config came with the release */
    if (d->pending > 0)
        c->proc->access_start(c, id, now, 0); /* data arrived during the release */
    else if (d->dl_pending > 0 && !d->in_psm)
        page_schedule(c, id, now);
}

sim_time_t sleep_leave(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    const mac_paging_cfg *pc = &c->r.paging;
    const sim_time_t idle_start = d->t_aux;
    sim_time_t slept = now - idle_start, sync = 0;
    int was_psm = d->in_psm;
    int edrx = c->gpage[d->group].edrx_hf > 0;
    if (!was_psm) book_idle(c, id, now, 0);
    d->gen++; /* PSM, TAU and paging timers no longer apply */
    d->in_psm = 0;
    d->paging = 0;
    if (was_psm || edrx) {
        /* After PSM, or an eDRX sleep, the device resynchronises fully when
         * it slept long, and re-reads system information after very long
         * sleeps; within DRX it only re-acquires timing. */
        if (was_psm || slept > (sim_time_t)(pc->long_sleep_s * 1e6))
            sync = c->proc->access_sync_time(c, d);
        /* Stored system information was last confirmed (value tag in
         * MIB-NB) when the device last woke: at the start of this idle
         * interval, or in eDRX at its last paging occasion (the last one of
         * the latest paging time window before now). */
        sim_time_t age = slept;
        if (edrx && !was_psm) {
            const idle_paging p = sleep_dev_paging(c, id);
            const sim_time_t cyc = (sim_time_t)p.edrx_hf * IDLE_HYPERFRAME_US;
            sim_time_t ws, we, last = -1;
            idle_next_ptw(&p, now > cyc ? now - cyc : 0, &ws, &we);
            while (ws + cyc <= now) {
                ws += cyc;
                we += cyc;
            }
            /* the latest window may not have reached its first occasion yet
             * (now inside it, before that occasion): then the window before
             * holds the last one */
            for (int back = 0; back < 2 && last < 0; back++, ws -= cyc, we -= cyc)
                for (sim_time_t t = ws, po; (po = idle_next_po(&p, t)) < now && po < we; t = po + 1)
                    last = po;
            if (last > idle_start) age = now - last;
        }
        if (age > (sim_time_t)(pc->si_validity_s * 1e6)) {
            d->si_due = 1; /* read before the access (access_start) */
            if (!sync) sync = c->proc->access_sync_time(c, d);
        }
    }
    if (!sync) sim_time_from_s(pc->wake_ms / 1e3, &sync);
    return sync;
}

/* ------------------------------------------------------------- paging */

/* Records booked for the paging message of occasion t on paging carrier
 * car (pruned as time passes); returns its slot, creating it empty. */
static struct po_load *po_slot(mac_cell *c, sim_time_t t, int car)
{
    sim_time_t now = sim_now(c->engine);
    while (c->po_head < c->po_n && c->po_load[c->po_head].t < now)
        c->po_head++;
    uint32_t lo = c->po_head, hi = c->po_n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->po_load[mid].t < t || (c->po_load[mid].t == t && c->po_load[mid].car < car))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->po_n && c->po_load[lo].t == t && c->po_load[lo].car == car) return &c->po_load[lo];
    if (c->po_head > 0 && c->po_n == c->po_cap) {
        for (uint32_t i = c->po_head; i < c->po_n; i++)
            c->po_load[i - c->po_head] = c->po_load[i];
        c->po_n -= c->po_head;
        lo -= c->po_head;
        c->po_head = 0;
    }
    if (c->po_n == c->po_cap) {
        uint32_t cap = c->po_cap ? c->po_cap * 2 : 256;
        struct po_load *v = realloc(c->po_load, cap * sizeof *v);
        if (!v) {
            c->oom = 1;
            return NULL;
        }
        c->po_load = v;
        c->po_cap = cap;
    }
    for (uint32_t i = c->po_n; i > lo; i--)
        c->po_load[i] = c->po_load[i - 1];
    c->po_load[lo] = (struct po_load){.t = t, .car = (uint8_t)car};
    c->po_n++;
    return &c->po_load[lo];
}

/* Pages the device at its first occasion at or after t with room. */
static void page_schedule(mac_cell *c, uint32_t id, sim_time_t t)
{
    mac_dev *d = &c->devs[id];
    idle_paging p = sleep_dev_paging(c, id);
    /* each paging carrier has its own paging messages (TS 36.304 7.1) */
    const int pcar = mac_paging_carrier(c, &p);
    for (;;) {
        /* TS 36.304 7.1: an occasion on an invalid NB-IoT subframe moves to
         * the next valid one (of the paging carrier: every subframe on a
         * non-anchor one) */
        sim_time_t po = idle_next_po(&p, t);
        if (po >= c->cfg.duration) return;
        sim_time_t at = phy_dl_next_valid(c->car[pcar].map, po);
        struct po_load *slot = po_slot(c, at, pcar);
        if (!slot) return;
        if (slot->n < c->r.paging.max_records) {
            if (++slot->n == 1) c->paged_occasions++;
            /* the DCI and message go out; the device's WUS (or group WUS)
             * before them */
            slot->booked |= PO_SHARE_NOWUS | po_share_bit(c, id);
            c->paging_records++;
            c->car[slot->car].paging_records++;
            mac_ts_count(c, MAC_TS_PAGING_RECORDS, at, 1);
            d->paging = 1;
            sim_schedule(c->engine, at, EV_PAGE, id, d->gen, (uint64_t)po);
            return;
        }
        c->paging_deferrals++; /* the paging message is full: next occasion */
        mac_ts_count(c, MAC_TS_PAGING_DEFERRALS, po, 1);
        t = po + 1;
    }
}

/* The campaign (campaign.c) pages a device for its queued image. */
void sleep_page(mac_cell *c, uint32_t id, sim_time_t t)
{
    page_schedule(c, id, t);
}

static void command_lost(mac_cell *c, uint32_t id)
{
    mac_dl_pop(c, &c->devs[id]);
    c->devs[id].dl_lost++;
}

static void on_page(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    if (ev->gen != d->gen || !sleep_monitors(c, d) || d->dl_pending == 0) {
        d->paging = 0; /* woke meanwhile (delivered in that connection) or in PSM */
        return;
    }
    const mac_group_cfg *gc = &c->cfg.groups[d->group];
    const mac_paging_cfg *pc = &c->r.paging;
    const phy_link_cfg *l = &c->glink[d->group];
    idle_paging pg = sleep_dev_paging(c, id);
    po_share_wake(c, id, ev->time, po_slot(c, ev->time, mac_paging_carrier(c, &pg)));
    sim_rng r = mac_rng(c, id, RNG_IDLE, d->nd++);
    sim_time_t wus = 0;
    int heard;
    if (gc->idle.wus) {
        /* WUS over L subframes before the occasion (TS 36.304 7.4) */
        c->wus_sent++;
        d->wus_mon++;
        wus = c->wus_rx;
        int L = (int)lround(pc->wus_factor * pc->rmax);
        double snr =
            phy_rep_snr_db(l, c->radio->dci_chan, mac_dl_snr(c, l, d->cl_db), L < 1 ? 1 : L);
        heard = sim_rng_uniform(&r) >= phy_bler(l, snr, pc->wus_snr_db, 0.01);
    } else {
        double bler;
        mac_dci_reps(c, l, d->cl_db, pc->rmax, &bler);
        heard = sim_rng_uniform(&r) >= bler;
    }
    if (!heard) {
        /* Missed: page again at the next occasion, up to max_attempts. */
        book_idle(c, id, ev->time, gc->idle.wus ? wus : c->po_rx);
        if (!gc->idle.wus) d->pos++;
        d->t_aux = ev->time + 1; /* this occasion is booked */
        d->paging = 0;
        uint32_t cmd = d->dl_head;
        if (++c->reports[cmd].tries >= pc->max_attempts) {
            c->paging_failures++;
            if (c->reports[cmd].kind == ITEM_FOTA) { /* kept for its next connection */
                c->proc->fota_unreached(c, id, ev->time);
                psm_if_due(c, id, ev->time);
                return;
            }
            command_lost(c, id);
        }
        if (d->dl_pending > 0)
            page_schedule(c, id, ev->time + 1);
        else
            psm_if_due(c, id, ev->time);
        return;
    }
    book_idle(c, id, ev->time, wus);
    d->pos++;
    d->pages++;
    d->paging = 0;
    d->gen++;
    d->state = ST_SYNC;
    mac_enter(c, d, ENERGY_RX, ev->time);
    sim_schedule(e, ev->time + c->page_rx, EV_PAGED, id, d->gen, 0);
}

static void on_paged(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    c->proc->access_start(c, ev->target, ev->time, 0); /* synchronised by the paging */
}

/* ------------------------------------------------------------- timers */

static void psm_enter(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    book_idle(c, id, now, 0);
    /* The occasion chain and scheduled pages see in_psm and stop; the
     * periodic TAU timer keeps running (same generation). */
    d->in_psm = 1;
    d->paging = 0;
    energy_set_proc(&d->energy, ENERGY_PROC_PSM, now);
    mac_enter(c, d, ENERGY_PSM, now);
}

static void on_psm(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    if (ev->gen != d->gen || !sleep_monitors(c, d)) return;
    psm_enter(c, ev->target, ev->time);
}

static void on_tau(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    if (d->tau_at > ev->time) { /* restarted since: follow the new deadline */
        if (d->tau_at < c->cfg.duration)
            sim_schedule(e, d->tau_at, EV_TAU, id, 0, 0);
        else
            d->tau_armed = 0;
        return;
    }
    d->tau_armed = 0;
    if (d->state != ST_SLEEP) return;     /* connected: T3412 restarts at the next idle */
    if (d->ce_base >= MAC_MAX_CE) return; /* out of coverage: no cell */
    if (mac_item_push(c, &d->head, &d->tail, &d->pending, ITEM_TAU, ev->time,
                      (uint32_t)c->cfg.groups[d->group].idle.tau_bytes) == NO_REPORT)
        return;
    c->proc->access_start(c, id, ev->time, sleep_leave(c, id, ev->time));
}

/* ----------------------------------------------------- network commands */

static void on_dl_cmd(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const mac_group_cfg *gc = &c->cfg.groups[d->group];
    uint32_t n = d->dl_gen++;
    sim_rng pr = mac_rng(c, id, RNG_DL_PAYLOAD, n);
    uint32_t bytes = traffic_payload_bytes(&gc->downlink.traffic.payload, &pr);
    sim_rng tr = mac_rng(c, id, RNG_DL_TRAFFIC, (uint64_t)n + 1);
    traffic_state st = mac_traffic_at(c, id, &gc->downlink.traffic, RNG_DL_TRAFFIC, ev->time);
    traffic_advance(&gc->downlink.traffic, &st, &tr);
    if (st.next < c->cfg.duration) sim_schedule(e, st.next, EV_DL_CMD, id, 0, 0);
    if (mac_item_push(c, &d->dl_head, &d->dl_tail, &d->dl_pending, ITEM_COMMAND, ev->time, bytes) ==
        NO_REPORT)
        return;
    if (d->ce_base >= MAC_MAX_CE) {
        command_lost(c, id); /* out of coverage: no cell to page it in */
        return;
    }
    sim_time_t delay;
    sim_time_from_s(c->r.paging.delay_ms / 1e3, &delay);
    if (sleep_monitors(c, d) && !d->paging)
        page_schedule(c, id, ev->time + delay);
    else if (d->state == ST_INACTIVE)
        c->proc->conn_new_command(c, id, ev->time);
    /* in PSM: buffered until the next connection; otherwise the ongoing
     * connection takes it */
}

/* ------------------------------------------------- validation: events */

static void on_po(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    if (ev->gen != d->gen || !sleep_monitors(c, d)) return;
    book_idle(c, id, ev->time, 0);
    sim_time_t rx = c->po_rx;
    if (c->cfg.groups[d->group].idle.wus) {
        d->wus_mon++;
        rx = c->wus_rx;
        sim_rng r = mac_rng(c, id, RNG_IDLE, d->nd++);
        if (sim_rng_uniform(&r) < c->r.paging.wus_false_alarm) {
            d->pos++;
            rx += c->mon_rx;
        }
    } else {
        d->pos++;
    }
    mac_enter(c, d, ENERGY_RX, ev->time);
    sim_schedule(e, ev->time + rx, EV_PO_END, id, d->gen, ev->data);
}

static void on_po_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    if (ev->gen != d->gen) return;
    mac_enter(c, d, ENERGY_IDLE, ev->time);
    d->t_aux = ev->time;
    next_po_event(c, id, (sim_time_t)ev->data + 1);
}

void sleep_finish(mac_cell *c)
{
    const sim_time_t end = c->cfg.duration;
    for (uint32_t id = 0; id < c->n_devs; id++) {
        mac_dev *d = &c->devs[id];
        if (sleep_monitors(c, d) && d->energy.since <= end) book_idle(c, id, end, 0);
        mac_dl_expire(c, d, end); /* commands older than the buffering time are lost */
    }
}

void sleep_register(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_PSM, on_psm, c);
    sim_engine_on(e, EV_TAU, on_tau, c);
    sim_engine_on(e, EV_DL_CMD, on_dl_cmd, c);
    sim_engine_on(e, EV_PAGE, on_page, c);
    sim_engine_on(e, EV_PAGED, on_paged, c);
    sim_engine_on(e, EV_PO, on_po, c);
    sim_engine_on(e, EV_PO_END, on_po_end, c);
}
