/* pur.c: transmission using preconfigured uplink resources (Rel-16 PUR:
 * TS 36.300 7.3d, TS 36.321 5.24, TS 36.331 5.3.3.1b and PUR-Config-NB-r16
 * / PUR-Config-r16, TS 36.213 16.x for the PUR search space).
 *
 * Configuration. A device of a group whose `pur.enabled` asks for PUR, in
 * a cell whose `cell.pur.enabled` grants it, gets a PUR-Config whenever a
 * connection of it ends with a release, or an EDT with
 * RRCEarlyDataComplete (the eNB answers the PURConfigurationRequest there,
 * TS 36.300 7.3d.2): a resource of `pur.tbs_bits` sized by the eNB for the
 * device's coupling loss at its CE level, every `pur.periodicity_s`, the
 * first occasion at the device's next report plus its resynchronisation
 * (the start time it asked for: a periodic meter whose report period
 * equals the PUR period finds an occasion for every report). The eNB books
 * each occasion's NPUSCH/PUSCH in the uplink timeline one period ahead, so
 * no later grant takes it, used or not; a renewed configuration keeps the
 * resource already booked. The pur-TimeAlignmentTimer and the serving-cell
 * RSRP reference start with the configuration.
 *
 * A report. A sleeping device whose report fits the resource (with the
 * RRCEarlyDataRequest wrap EDT uses, and no stack exchange or session
 * set-up due) waits asleep for its next occasion unless the TA timer
 * runs out before it (TA invalid: random access at once). Occasions
 * without a waiting report are skipped; pur-ImplicitReleaseAfter
 * consecutive skips release the configuration on both sides (TS 36.321
 * 5.24); pur-NumOccasions `one` ends it after its occasion.
 *
 * An occasion. The device wakes its full resynchronisation before the
 * occasion (the idle mode's cost, charged to `sync`), measures the
 * serving-cell RSRP: a change beyond pur-RSRP-ChangeThreshold from the
 * stored reference makes the TA invalid (TS 36.331 5.3.3.1b) and the
 * device falls back to random access (EDT where the group and cell allow
 * it). Otherwise it sleeps lightly until the occasion, transmits with the
 * resource's repetitions (NB-IoT: postponed around NPRACH as any NPUSCH),
 * and monitors the PUR search space (assumption: the CE level's Type-2
 * search space) from 4 subframes after the subframe holding the
 * transmission's end for pur-ResponseWindowTimer. The eNB, having decoded
 * the block (its BLER at the device's SNR), answers with RRCEarlyDataComplete
 * carrying the application's answer (a DCI, the NPDSCH with its HARQ
 * retransmissions, and its HARQ-ACK, postponed around NPRACH) or,
 * when the group expects none, an L1 ACK (a DCI alone); failing to decode it
 * grants a retransmission (a DCI, then the NPUSCH, up to cell.harq_max_tx
 * transmissions) and after the last one indicates fallback. A DCI or response
 * the device misses, or none in the window, is a fallback at the window's
 * end. An ACK ends the procedure without an RRC connection: the device
 * sleeps again.
 */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdlib.h>

enum { PUR_ACK = 0, PUR_RETX = 1, PUR_FALLBACK = 2 };
enum { RNG_PUR = 9 }; /* the RSRP draws (sleep.c holds 6 ... 8) */

static sim_time_t period(const mac_cell *c, const mac_dev *d)
{
    return (sim_time_t)llround(c->cfg.groups[d->group].pur.periodicity_s * 1e6);
}

/* The resource's grant: the eNB sizes it for the device's coupling loss
 * (known from the connection) at its CE level, single or multi-tone, on
 * cell.pur.spacing (the least tone-time, as every grant of the cell); -1 if
 * the level cannot carry the block or not at the target (no PUR then). */
static int pur_grant(const mac_cell *c, const mac_dev *d, phy_ul_grant *g)
{
    const int tbs = c->cfg.groups[d->group].pur.tbs_bits;
    if (d->ce_base >= MAC_MAX_CE || tbs > mac_max_ul_tbs(c, d->ce_base)) return -1;
    static const int only[3] = {0, PHY_UL_ONLY_15K, PHY_UL_ONLY_3K75};
    return mac_ul_select(c, &c->glink[d->group], d->cl_db, tbs, d->ce_base,
                         PHY_UL_MULTITONE | only[c->r.pur.spacing], g);
}

/* The head report fits the resource (TS 36.331 5.3.3.1b: the data fits
 * the configured TBS): an application report with RRCEarlyDataRequest's
 * wrap (as EDT) and the stack's headers, no stack exchange or session set-up
 * due (they need a connection). */
static int pur_fits(const mac_cell *c, const mac_dev *d, const phy_ul_grant *g)
{
    if (d->pending == 0 || c->reports[d->head].kind != ITEM_REPORT) return 0;
    const mac_stack_cfg *sk = &c->cfg.groups[d->group].stack;
    if (sk->n_per_report > 0 || c->proc->conn_session_due(c, d)) return 0;
    const uint64_t ov =
        (uint64_t)(c->r.user_plane ? c->r.edt_up_overhead_bytes : c->r.edt_overhead_bytes) +
        (uint64_t)sk->ul_overhead_bytes;
    return 8 * ((uint64_t)c->reports[d->head].bytes + ov) <= (uint64_t)g->tbs;
}

/* pur-TimeAlignmentTimer (re)started, in PUR periods (TS 36.331
 * PUR-Config: pur-TimeAlignmentTimer 1..8); the RSRP reference is stored
 * at the same time (the changes rsrp_ok draws are relative to it). */
static void ta_start(mac_cell *c, uint32_t id, sim_time_t now)
{
    const int k = c->r.pur.ta_timer;
    c->pur[id].ta_until = k > 0 ? now + k * period(c, &c->devs[id]) : SIM_NEVER;
}

/* The configuration ends (released, or its single occasion passed): the
 * booked occasion's events go stale. */
static void drop(mac_cell *c, uint32_t id)
{
    c->pur[id].occ = SIM_NEVER;
    c->pur[id].gen++;
}

/* Books the occasion at the first subframe from t where the resource's
 * units are free for the whole NPUSCH (one period ahead no dynamic grant
 * has been placed yet; another device's PUR may have been: then the next
 * subframe, up to 16 ms later), and the device's wake-up before it. */
static void book(mac_cell *c, uint32_t id, sim_time_t t)
{
    static const int k_ms[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    phy_ul_grant g;
    sim_time_t s;
    unsigned lv = 0;
    p->occ = SIM_NEVER;
    if (t >= c->cfg.duration || pur_grant(c, d, &g) != 0 ||
        sched_ul_at(c, p->car, t, k_ms, 16, &g, &s, &lv) != 0)
        return;
    p->occ = s;
    p->levels = (uint8_t)lv;
    const sim_time_t end = sched_npusch_end(c, lv, s, &g);
    const sim_time_t hi = end < c->cfg.duration ? end : c->cfg.duration;
    if (hi > s) c->pur_busy_unit_us += (double)ul_units(&g) * (double)(hi - s);
    const sim_time_t now = sim_now(c->engine), lead = c->proc->access_sync_time(c, d);
    sim_schedule(c->engine, s - lead > now ? s - lead : now, EV_PUR_WAKE, id, p->gen, (uint64_t)s);
}

/* The eNB's PUR-Config in the release (or RRCEarlyDataComplete). */
static void configure(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    phy_ul_grant g;
    if (d->ce_base >= MAC_MAX_CE || pur_grant(c, d, &g) != 0) return;
    p->skip_run = 0;
    ta_start(c, id, now);
    if (p->occ != SIM_NEVER) return; /* the resource it holds stays */
    p->car = d->car;                 /* on the carrier of the connection that configures it */
    /* the start time the device asked for: its next report, resynchronised */
    sim_time_t t = d->next_report + c->proc->access_sync_time(c, d);
    t = (t + SIM_MS - 1) / SIM_MS * SIM_MS;
    book(c, id, t);
}

void pur_resolved(mac_cell *c, uint32_t id)
{
    if (c->pur && c->cfg.groups[c->devs[id].group].pur.enabled) c->pur[id].cfg_due = 1;
}

void pur_released(mac_cell *c, uint32_t id, sim_time_t now)
{
    if (!c->pur || !c->pur[id].cfg_due) return;
    c->pur[id].cfg_due = 0;
    configure(c, id, now);
}

int pur_hold(mac_cell *c, uint32_t id, sim_time_t now)
{
    if (!c->pur || c->pur[id].occ == SIM_NEVER) return 0;
    const mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    phy_ul_grant g;
    if (pur_grant(c, d, &g) != 0 || !pur_fits(c, d, &g)) return 0;
    if (c->proc->conn_edt_dl(c, id, now) < 0) {
        /* downlink data queued that the response cannot carry
         * (conn_edt_dl): the network would answer with a connection;
         * modelled as the device taking random access at once */
        p->fallbacks++;
        return 0;
    }
    if (p->ta_until <= p->occ) {
        /* the TA timer runs out before the occasion: TA invalid (TS 36.331
         * 5.3.3.1b), random access now */
        p->ta_invalid++;
        p->fallbacks++;
        return 0;
    }
    return 1;
}

/* TA validation's RSRP criterion (TS 36.331 5.3.3.1b): the serving cell's
 * RSRP has neither risen by more than increaseThresh nor fallen by more
 * than decreaseThresh (absent: increaseThresh) from the stored reference.
 * The change is drawn normal with the group's rsrp_change_sd_db
 * (assumption: independent between occasions). */
static int rsrp_ok(mac_cell *c, uint32_t id)
{
    mac_dev *d = &c->devs[id];
    const mac_pur_net_cfg *n = &c->r.pur;
    const double sd = c->cfg.groups[d->group].pur.rsrp_change_sd_db;
    if (n->rsrp_increase_db <= 0 || sd <= 0) return 1;
    sim_rng r = mac_rng(c, id, RNG_PUR, d->nd++);
    const double x = sim_rng_normal(&r, 0, sd);
    const double dec = n->rsrp_decrease_db > 0 ? n->rsrp_decrease_db : n->rsrp_increase_db;
    return x <= n->rsrp_increase_db && -x <= dec;
}

static void fallback(mac_cell *c, uint32_t id, sim_time_t now)
{
    c->pur[id].fallbacks++;
    c->pur[id].harq = 0;
    c->proc->access_start(c, id, now, 0); /* synchronised */
}

static void on_wake(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    const uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    if (ev->gen != p->gen || p->occ != (sim_time_t)ev->data) return;
    const sim_time_t occ = p->occ, now = ev->time;
    phy_ul_grant g = {0};
    const int use =
        d->state == ST_SLEEP && pur_grant(c, d, &g) == 0 && pur_fits(c, d, &g) && p->ta_until > occ;
    /* the network's side first: the next occasion, unless this one ends
     * the configuration (TS 36.321 5.24 implicit release; pur-NumOccasions) */
    p->skip_run = use ? 0 : (uint16_t)(p->skip_run + 1);
    p->skipped += !use;
    const int rel = c->r.pur.implicit_release;
    if (!use && rel > 0 && p->skip_run >= rel) {
        p->releases++;
        drop(c, id);
    } else if (c->cfg.groups[d->group].pur.occasions == MAC_PUR_ONE) {
        drop(c, id);
    } else {
        book(c, id, occ + period(c, d));
    }
    if (!use) {
        /* a report held for this occasion that it cannot take after all
         * (none expected: pur_hold checked the same) goes by the legacy
         * access rather than wait on */
        if (d->state == ST_SLEEP && d->pending > 0) {
            p->fallbacks++;
            c->proc->access_start(c, id, now, c->proc->idle_leave(c, id, now));
        }
        return;
    }
    /* resynchronise (the idle mode's cost); expired system information
     * must be read before any uplink: random access reads it */
    const sim_time_t sync = c->proc->idle_leave(c, id, now);
    if (d->si_due) {
        c->pur[id].fallbacks++;
        c->proc->access_start(c, id, now, sync);
        return;
    }
    d->state = ST_PUR;
    d->ce = d->ce_base;
    d->scs_3k75 = g.scs_3k75;
    energy_set_proc(&d->energy, ENERGY_PROC_SYNC, now);
    mac_enter(c, d, ENERGY_RX, now);
    sim_schedule(e, now + sync, EV_PUR_SYNCED, id, p->gen, (uint64_t)occ);
}

static void on_synced(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    const uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const sim_time_t occ = (sim_time_t)ev->data, now = ev->time;
    if (!rsrp_ok(c, id)) {
        c->pur[id].ta_invalid++;
        fallback(c, id, now);
        return;
    }
    if (now > occ) { /* woke too late (configured inside its lead) */
        fallback(c, id, now);
        return;
    }
    /* asleep (light) until the occasion */
    energy_set_proc(&d->energy, ENERGY_PROC_PUR, now);
    mac_enter(c, d, ENERGY_IDLE, now);
    c->pur[id].harq = 0;
    sim_schedule(e, occ, EV_PUR_TX, id, c->pur[id].gen, 0);
}

static void on_tx(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    const uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    phy_ul_grant g;
    pur_grant(c, d, &g);
    double tx, bler;
    mac_ul_link(c, d, &g, &tx, &bler);
    energy_set_proc(&d->energy, ENERGY_PROC_PUR, ev->time);
    energy_enter(&d->energy, ENERGY_TX, mac_tx_mw(c, d, tx), ev->time);
    const sim_time_t end = sched_npusch_end(c, p->levels, ev->time, &g);
    p->ul_idle_us = (uint32_t)(end - ev->time - phy_ul_tx_time(&g));
    p->tx++;
    p->harq++;
    sim_schedule(e, end, EV_PUR_TX_END, id, p->gen, 0);
}

/* The response window's length (TS 36.331 pur-ResponseWindowTimer):
 * NB-IoT in PDCCH periods of the PUR search space, LTE-M in subframes. */
static sim_time_t window(const mac_cell *c, int ce)
{
    if (c->r.rat == MAC_RAT_LTEM) return (sim_time_t)c->r.pur.response_window_sf * SIM_MS;
    return (sim_time_t)c->r.pur.response_window_pp * c->ss_period[ce];
}

static int heard(mac_cell *c, uint32_t id, double bler)
{
    sim_rng r = mac_rng(c, id, MAC_RNG_LINK, c->devs[id].nd++);
    return sim_rng_uniform(&r) >= bler;
}

/* The response to a decoded transmission, its DCI in the window [ws, we):
 * an L1 ACK (a DCI alone) when the group expects no answer, else
 * RRCEarlyDataComplete with it (as EDT's Msg4): DCI, NPDSCH and HARQ-ACK
 * (TS 36.213 16.4.2), the NPDSCH sent again after a NACK up to
 * cell.harq_max_tx times. Sets the response's end (*at), the device's
 * receive time and its HARQ-ACKs' transmit time and gaps; -1 when the
 * device hears nothing it can use (a fallback at the window's end). */
static int ack_response(mac_cell *c, uint32_t id, sim_time_t ws, sim_time_t we, int R, int flags,
                        sim_time_t *at, sim_time_t *rx, sim_time_t *ack_tx, sim_time_t *ack_gap)
{
    mac_dev *d = &c->devs[id];
    const phy_link_cfg *l = &c->glink[d->group];
    const int ce = d->ce_base;
    /* the answer and the network commands riding with it (conn_edt_dl) */
    const uint64_t payload = mac_edt_dl_bytes(c, d, d->edt_dl);
    const int bits = payload > 0 ? (int)(8 * ((uint64_t)c->r.msg4_bytes + payload)) : 0;
    phy_dl_grant gd = {0};
    if (bits > 0) mac_dl_select(c, l, d->cl_db, bits, ce, &gd);
    double dci_bler;
    mac_dci_reps(c, l, d->cl_db, c->r.ce[ce].npdcch_rmax, &dci_bler);
    dl_slot s;
    if (sched_dl(c, c->pur[id].car, ce, ws, R, bits > 0 ? gd.n_subframes : 0, flags, we - 1, NULL,
                 &s) != 0 ||
        !heard(c, id, dci_bler))
        return -1;
    *rx = sched_monitor_us(c, ce, ws, s.dci_start) + (s.dci_end - s.dci_start);
    *at = s.dci_end;
    if (bits == 0) return 0;
    for (int k = 1;; k++) {
        *rx += s.pdsch_end - s.pdsch_start;
        /* the HARQ-ACK, postponed around NPRACH (NB-IoT) as the
         * connection's (TS 36.211 10.1.3.6, TS 36.213 Table 16.4.2-1) */
        sim_time_t tx_us;
        const sim_time_t dur = mac_ack_duration(c, d, &tx_us), s0 = s.pdsch_end + c->ack_delay;
        const sim_time_t post =
            c->radio->ul_postpone
                ? sched_ack_end(c, c->pur[id].car, d->scs_3k75, s0, tx_us) - s0 - dur
                : 0;
        *ack_tx += tx_us;
        *ack_gap += dur - tx_us + post;
        *at = s0 + dur + post;
        mac_busy(c, c->pur[id].car, 1, s0, *at, (double)(d->scs_3k75 ? 1 : c->ack_units));
        if (heard(c, id, gd.bler)) {
            c->pur[id].dl_rx = s.pdsch_end; /* the riding commands' reception */
            return 0;
        }
        if (k >= c->r.harq_max_tx) return -1;
        d->harq_retx++;
        const sim_time_t listen = *at + c->ul_to_dl;
        sched_dl(c, c->pur[id].car, ce, listen, R, gd.n_subframes, flags, SIM_NEVER, NULL, &s);
        *rx += sched_monitor_us(c, ce, listen, s.dci_start) + (s.dci_end - s.dci_start);
    }
}

/* The transmission ended: what the eNB decodes and answers, decided now
 * (the eNB's reservations are made now); the device learns it at the
 * response (EV_PUR_RESP). */
static void on_tx_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    const uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    const sim_time_t now = ev->time;
    const int ce = d->ce_base;
    const phy_link_cfg *l = &c->glink[d->group];
    energy_enter_split(&d->energy, GAP_STATE, mac_power(c, d, GAP_STATE), p->ul_idle_us,
                       ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), now);
    phy_ul_grant g;
    pur_grant(c, d, &g);
    double tx, bler, dci_bler;
    mac_ul_link(c, d, &g, &tx, &bler);
    const int decoded = heard(c, id, bler);
    /* TS 36.321 5.24: the window starts 4 subframes after the subframe
     * holding the transmission's end */
    const sim_time_t ws = (now - 1) / SIM_MS * SIM_MS + 4 * SIM_MS, we = ws + window(c, ce);
    const int R = mac_dci_reps(c, l, d->cl_db, c->r.ce[ce].npdcch_rmax, &dci_bler);
    const int flags = sched_narrow_flags(c, l, d->cl_db, R, NULL);
    int out = PUR_FALLBACK;
    sim_time_t at = we, rx = 0, start = 0, ack_tx = 0, ack_gap = 0;
    dl_slot s;
    const int dl = decoded ? c->proc->conn_edt_dl(c, id, now) : 0;
    d->edt_dl = (uint8_t)(dl > 0 ? dl : 0);
    if (decoded && dl >= 0) {
        /* an L1 ACK (a DCI), or RRCEarlyDataComplete with the answer and
         * the commands queued for the device */
        if (ack_response(c, id, ws, we, R, flags, &at, &rx, &ack_tx, &ack_gap) == 0) {
            out = PUR_ACK;
            /* the eNB has the report with the transmission (as EDT's Msg3) */
            p->reports++;
            mac_report_done(c, id, now, 1);
        }
    } else if (!decoded && p->harq < c->r.harq_max_tx) {
        /* a retransmission grant on the PUR search space */
        unsigned lv = 0;
        sched_dci_ul(c, c->pur[id].car, ce, ws, R, &g, flags, NULL, &s, &start, &lv);
        if (s.dci_start < we && heard(c, id, dci_bler)) {
            out = PUR_RETX;
            at = s.dci_end;
            rx = sched_monitor_us(c, ce, ws, s.dci_start) + (s.dci_end - s.dci_start);
            p->levels = (uint8_t)lv;
            d->harq_retx++;
        }
    } else if (sched_dl(c, c->pur[id].car, ce, ws, R, 0, flags, we - 1, NULL, &s) == 0 &&
               heard(c, id, dci_bler)) {
        /* given up, or downlink data queued since the report waited that
         * the response cannot carry: the DCI indicates fallback */
        at = s.dci_end;
        rx = sched_monitor_us(c, ce, ws, s.dci_start) + (s.dci_end - s.dci_start);
    }
    /* nothing heard (every branch that hears something sets rx > 0; a
     * response may also end exactly at we): the whole window monitored */
    if (rx == 0) {
        at = we;
        rx = sched_monitor_us(c, ce, ws, we);
    }
    p->rx_us = (uint32_t)rx;
    p->ack_tx_us = (uint32_t)ack_tx;
    p->ack_gap_us = (uint32_t)ack_gap;
    sim_schedule(e, at, EV_PUR_RESP, id, p->gen, (uint64_t)start << 2 | (uint64_t)out);
}

static void on_resp(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    const uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    mac_pur_dev *p = &c->pur[id];
    const sim_time_t now = ev->time;
    const int out = (int)(ev->data & 3);
    const energy_state st[3] = {ENERGY_RX, ENERGY_TX, GAP_STATE};
    const double pw[3] = {mac_power(c, d, ENERGY_RX), mac_tx_mw(c, d, mac_ack_power(c, d)),
                          mac_power(c, d, GAP_STATE)};
    const int64_t tm[3] = {p->rx_us, p->ack_tx_us, p->ack_gap_us};
    energy_enter_parts(&d->energy, p->ack_tx_us > 0 ? 3 : 1, st, pw, tm, ENERGY_CONNECTED,
                       mac_power(c, d, ENERGY_CONNECTED), now);
    if (out == PUR_RETX) {
        sim_schedule(e, (sim_time_t)(ev->data >> 2), EV_PUR_TX, id, p->gen, 0);
        return;
    }
    if (out == PUR_FALLBACK) {
        fallback(c, id, now);
        return;
    }
    p->harq = 0;
    if (c->r.pur.ta_update) ta_start(c, id, now);
    c->proc->conn_edt_dl_done(c, id, p->dl_rx); /* received before its HARQ-ACK */
    c->proc->idle_enter(c, id, now, 0);
}

int pur_setup(mac_cell *c)
{
    int any = 0;
    for (uint32_t g = 0; g < c->cfg.n_groups; g++)
        any |= c->cfg.groups[g].pur.enabled;
    if (!c->r.pur.enabled || !any) return 0;
    c->pur = calloc(c->n_devs ? c->n_devs : 1, sizeof *c->pur);
    if (!c->pur) return -1;
    for (uint32_t i = 0; i < c->n_devs; i++)
        c->pur[i].occ = c->pur[i].ta_until = SIM_NEVER;
    return 0;
}

void pur_register(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_PUR_WAKE, on_wake, c);
    sim_engine_on(e, EV_PUR_SYNCED, on_synced, c);
    sim_engine_on(e, EV_PUR_TX, on_tx, c);
    sim_engine_on(e, EV_PUR_TX_END, on_tx_end, c);
    sim_engine_on(e, EV_PUR_RESP, on_resp, c);
}

void pur_finish(mac_cell *c)
{
    mac_cell_stats *cs = &c->cstats;
    for (uint32_t i = 0; c->pur && i < c->n_devs; i++) {
        const mac_pur_dev *p = &c->pur[i];
        mac_device_stats *s = &c->dstats[i];
        s->pur_reports = p->reports;
        s->pur_transmissions = p->tx;
        s->pur_fallbacks = p->fallbacks;
        s->pur_ta_invalid = p->ta_invalid;
        s->pur_skipped = p->skipped;
        s->pur_releases = p->releases;
        cs->pur_reports += p->reports;
        cs->pur_transmissions += p->tx;
        cs->pur_fallbacks += p->fallbacks;
        cs->pur_ta_invalid += p->ta_invalid;
        cs->pur_skipped += p->skipped;
        cs->pur_releases += p->releases;
    }
    const sim_time_t end = c->cfg.duration;
    /* a share of npusch_utilisation: over every carrier's units */
    cs->pur_ul_util =
        end > 0 ? c->pur_busy_unit_us / ((double)c->n_units * c->n_car * (double)end) : 0.0;
}
