/* access.c: NB-IoT random access (TS 36.321 5.1, TS 36.213 16.3).
 *
 * A device wakes, resynchronises, waits for its CE level's next NPRACH
 * opportunity and sends a preamble on a random subcarrier. When the
 * opportunity ends the cell resolves it: devices alone on their subcarrier
 * are detected with a probability from their SNR; devices sharing one are
 * detected as one preamble, all receive its RAR and send Msg3 on the same
 * grant, which the eNB cannot decode (unless capture is enabled and the
 * strongest wins by the margin), so their contention resolution timers
 * expire. One RAR message per opportunity carries every detected preamble
 * whose Msg3 fits the uplink. A failed attempt backs off (uniform in
 * [0, BI] once a RAR told the BI), moves up a CE level after
 * maxNumPreambleAttemptCE and fails after preambleTransMax-CE.
 */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdlib.h>

static void wait_opportunity(mac_cell *c, uint32_t id, sim_time_t ready, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    d->state = ST_WAIT_PRACH;
    /* TS 36.321 5.1.2: the NPRACH carrier is selected with the resource of
     * every attempt (a draw only in a cell with NPRACH on several) */
    d->car = 0;
    if (c->n_car > 1 && c->r.carriers.nprach) {
        sim_rng r = mac_rng(c, id, MAC_RNG_ACCESS, d->nd++);
        d->car = (uint8_t)mac_nprach_carrier(c, &r);
    }
    energy_set_proc(&d->energy, ENERGY_PROC_ACCESS, now);
    mac_enter(c, d, ENERGY_IDLE, now);
    sim_schedule(c->engine, mac_prach_next(c, d->ce, ready), EV_PREAMBLE, id, 0, 0);
}

/* Bytes EDT adds around the data in Msg3: control plane (NAS in
 * RRCEarlyDataRequest) or user plane (resume request + L2 headers). */
static int access_edt_overhead(const mac_cell *c)
{
    return c->r.user_plane ? c->r.edt_up_overhead_bytes : c->r.edt_overhead_bytes;
}

/* EDT (Rel-15, TS 36.300 7.3b): from idle, an application report whose
 * payload with the EDT overhead fits the level's edt-TBS rides in Msg3. */
/* Bits the head report needs in an EDT Msg3: payload, EDT overhead and the
 * stack's headers (64-bit: payloads up to 1e9 bytes are accepted) */
static uint64_t edt_bits(const mac_cell *c, const mac_dev *d)
{
    return 8 * ((uint64_t)c->reports[d->head].bytes + (uint64_t)access_edt_overhead(c) +
                (uint64_t)c->cfg.groups[d->group].stack.ul_overhead_bytes);
}

static void access_choose_edt(const mac_cell *c, mac_dev *d)
{
    const int tbs = c->edt_cap[d->ce];
    const mac_stack_cfg *sk = &c->cfg.groups[d->group].stack;
    d->edt_dl = 0; /* decided when Msg3 is decoded */
    /* user-plane EDT resumes a suspended connection: it needs the AS
     * context of an earlier one (TS 36.300 7.3b.3) */
    const int up_ok = !c->r.user_plane || d->delivered + d->failed + d->taus > 0;
    /* the stack's extra exchanges and session set-up need a connection */
    d->edt = c->r.edt && c->cfg.groups[d->group].edt && tbs > 0 && !d->conn && up_ok &&
             d->pending > 0 && c->reports[d->head].kind == ITEM_REPORT && sk->n_per_report == 0 &&
             !c->proc->conn_session_due(c, d) && edt_bits(c, d) <= (uint64_t)tbs;
}

static const phy_ul_grant *access_msg3_grant(const mac_cell *c, const mac_dev *d)
{
    if (!d->edt || c->edt_n[d->ce] == 0) return &c->msg3[d->ce];
    /* EDT: the level's edt-TBS, or with edt-SmallTBS-Enabled the smallest
     * allowed TBS that holds the data (TS 36.321 5.1.2, Rel-15) */
    int t = c->edt_n[d->ce] - 1; /* the level's largest */
    if (c->r.edt_small_tbs) {
        const uint64_t bits = edt_bits(c, d);
        for (int k = 0; k < t; k++)
            if ((uint64_t)c->edt_tb[d->ce][k] >= bits) {
                t = k;
                break;
            }
    }
    return &c->edt_g[d->ce][t];
}

void access_start(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t sync_us)
{
    mac_dev *d = &c->devs[id];
    sim_rng r = mac_rng(c, id, MAC_RNG_ACCESS, d->nd++);
    /* CE level from the measured RSRP (TS 36.321 5.1.1). */
    double rsrp = mac_rsrp(c, d->cl_db);
    if (c->r.rsrp_error_sd_db > 0) rsrp += sim_rng_normal(&r, 0, c->r.rsrp_error_sd_db);
    double thr[MAC_MAX_CE];
    for (int k = 0; k < c->r.n_ce - 1; k++)
        thr[k] = c->r.ce[k].rsrp_threshold_dbm;
    d->ce = (uint8_t)phy_ce_level(thr, c->r.n_ce - 1, rsrp);
    d->att_ce = d->att_total = 0;
    drx_reset(d); /* connected-mode DRX starts anew with this connection */
    access_choose_edt(c, d);
    if (sync_us > 0) {
        d->state = ST_SYNC;
        energy_set_proc(&d->energy, ENERGY_PROC_SYNC, now);
        mac_enter(c, d, ENERGY_RX, now);
        sim_time_t si_rx = 0, si_span = 0;
        if (d->si_due) c->radio->si_read(c, d, &si_rx, &si_span);
        sim_schedule(c->engine, now + sync_us + si_span, EV_SYNC_DONE, id, 0, 0);
    } else {
        wait_opportunity(c, id, now, now);
    }
}

/* Full resynchronisation of the device's CE level (after a long sleep). */
sim_time_t access_sync_time(const mac_cell *c, const mac_dev *d)
{
    double thr[MAC_MAX_CE];
    for (int k = 0; k < c->r.n_ce - 1; k++)
        thr[k] = c->r.ce[k].rsrp_threshold_dbm;
    int ce = phy_ce_level(thr, c->r.n_ce - 1, mac_rsrp(c, d->cl_db));
    return c->sync[ce];
}

static void on_sync_done(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    if (d->si_due) {
        /* system information read: receiving its subframes, asleep (light)
         * in between */
        sim_time_t si_rx, si_span;
        c->radio->si_read(c, d, &si_rx, &si_span);
        /* the read is the last si_span of the receive interval */
        energy_set_proc(&d->energy, ENERGY_PROC_SYSINFO, ev->time - si_span);
        energy_enter_split(&d->energy, ENERGY_IDLE, mac_power(c, d, ENERGY_IDLE), si_span - si_rx,
                           ENERGY_IDLE, mac_power(c, d, ENERGY_IDLE), ev->time);
        d->si_due = 0;
        if (d->si_reads < UINT16_MAX) d->si_reads++;
    }
    wait_opportunity(c, ev->target, ev->time, ev->time);
}

/* PRACH transmit power (TS 36.213 16.3.1 NB-IoT, 6.1 BL/CE UEs): open-loop
 * with ramping at the lowest CE level, maximum power at the others. */
static double prach_power(const mac_cell *c, const mac_dev *d)
{
    /* TS 36.213 16.3.1 (NB-IoT), 6.1 (BL/CE): full power beyond the first
     * CE level; there min(P_CMAX, target + PL) with TS 36.321 5.1.3's
     * target: initial + ramping - 10 log10(numRepetitionPerPreambleAttempt)
     * (DELTA_PREAMBLE is 0 dB for NPRACH and LTE format 0) */
    double pmax = c->glink[d->group].ue_max_dbm; /* P_CMAX: class and P-Max */
    if (d->ce > 0) return pmax;
    double p = c->r.preamble_target_dbm + c->r.ramp_step_db * (d->att_ce - 1) -
               10 * log10((double)c->r.ce[d->ce].nprach_reps) + d->cl_db;
    double pmin = c->r.link.ue_min_dbm;
    return p < pmin ? pmin : p < pmax ? p : pmax;
}

/* Grows the opportunity's buffers (kept between opportunities: no
 * allocation in steady state). */
static int occ_grow(prach_occ *o)
{
    uint32_t cap = o->cap ? o->cap * 2 : 64;
    uint32_t *dv = realloc(o->dev, cap * sizeof *dv);
    if (!dv) return -1;
    o->dev = dv;
    uint32_t *ord = realloc(o->order, cap * sizeof *ord);
    if (!ord) return -1;
    o->order = ord;
    uint8_t *sc = realloc(o->sc, cap);
    if (!sc) return -1;
    o->sc = sc;
    uint8_t *det = realloc(o->det, cap);
    if (!det) return -1;
    o->det = det;
    o->cap = cap;
    return 0;
}

static void on_preamble(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    int ce = d->ce;
    prach_occ *o = &c->car[d->car].occ[ce][d->edt];
    if (o->n > 0 && ev->time != o->start) {
        /* the previous attempt ends at this instant and its EV_PRACH_END
         * is still queued behind this event (back-to-back PRACH
         * configurations): come back after it has been resolved */
        sim_schedule(e, ev->time, EV_PREAMBLE, id, ev->gen, ev->data);
        return;
    }
    if (o->n == o->cap && occ_grow(o) != 0) {
        c->oom = 1;
        sim_engine_stop(e);
        return;
    }
    if (o->n == 0) {
        o->start = ev->time;
        sim_time_t tx_us;
        /* target: level, 16 for the EDT resource, 32 x the carrier */
        sim_schedule(e, mac_prach_end(c, ce, ev->time, &tx_us), EV_PRACH_END,
                     (uint32_t)(ce | d->edt << 4 | d->car << 5), 0, 0);
    }
    d->preambles++;
    d->att_ce++;
    d->att_total++;
    sim_rng r = mac_rng(c, id, MAC_RNG_ACCESS, d->nd++);
    o->dev[o->n] = id;
    o->sc[o->n] = (uint8_t)sim_rng_int(&r, (uint64_t)c->r.ce[ce].subcarriers);
    o->n++;
    c->ce_stats[ce].preambles++;
    c->car[d->car].preambles++;
    mac_ts_count(c, MAC_TS_CE_PREAMBLES + ce, ev->time, 1);
    d->state = ST_PREAMBLE;
    if (d->att_total == 1) d->ra_t0 = ev->time;
    /* Transmitting only part of the attempt: LTE-M in the PRACH subframes
     * of its repetitions (idle between them), NB-IoT except the 40 ms gap
     * after every 64 repetitions (TS 36.211 10.1.6.1; GAP_STATE). The TX
     * time is booked when the attempt ends (on_prach_end). */
    mac_enter(c, d, c->r.rat == MAC_RAT_LTEM ? ENERGY_IDLE : GAP_STATE, ev->time);
}

/* A device's attempt failed at `fail_at`; it monitored from `from`. */
static void attempt_failed(mac_cell *c, uint32_t id, sim_time_t from, sim_time_t fail_at,
                           int bi_known)
{
    mac_dev *d = &c->devs[id];
    d->t_aux = from;
    d->state = ST_RAR_WAIT;
    sim_schedule(c->engine, fail_at, EV_RA_FAIL, id, d->gen, (uint64_t)bi_known);
}

static int cmp_by_sc(const uint32_t *a, const uint32_t *b, const prach_occ *o)
{
    uint32_t i = *a, j = *b;
    if (o->sc[i] != o->sc[j]) return o->sc[i] < o->sc[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Opens a RAR MAC PDU for the detected preambles of o from order index
 * `from` on, its DCI starting at or after t and inside the window (before
 * we): schedules it into *s and returns how many RARs it holds, or 0 if it
 * cannot be sent in the window (s->pdsch_end is then 0). TS 36.321 6.1.5,
 * 6.2.2, 6.2.3: a BI subheader (1 byte) and per preamble an E/T/RAPID
 * subheader (1 byte) and a MAC RAR (6 bytes), one transport block. The PDU
 * takes the next preambles, in subcarrier order, while the block still
 * fits the largest transport block (NB-IoT Cat-NB1, 680 bits: 12 RARs)
 * and the PDU's worst device so far still decodes it at the target within
 * the level's repetitions (the first preamble always goes in). */
static uint32_t rar_pdu(mac_cell *c, int car, const prach_occ *o, int ce, uint32_t from,
                        sim_time_t t, sim_time_t we, dl_slot *s)
{
    const uint32_t n = o->n;
    const uint32_t *order = o->order;
    double cl = -1e9;
    uint32_t fit = 0;
    phy_dl_grant g;
    for (uint32_t x = from; x < n && fit < MAC_RAR_MAX;) {
        uint32_t y = x;
        double gcl = cl;
        for (; y < n && o->sc[order[y]] == o->sc[order[x]]; y++)
            if (c->devs[o->dev[order[y]]].cl_db > gcl) gcl = c->devs[o->dev[order[y]]].cl_db;
        if (o->det[x]) {
            const int bits = 8 * (1 + 7 * (int)(fit + 1));
            if (fit > 0 &&
                (bits > c->max_dl_tbs || mac_dl_select(c, &c->r.link, gcl, bits, ce, &g) != 0))
                break;
            fit++;
            cl = gcl;
        }
        x = y;
    }
    mac_dl_select(c, &c->r.link, cl, 8 * (1 + 7 * (int)fit), ce, &g);
    int R = mac_dci_reps(c, &c->r.link, cl, c->r.ce[ce].npdcch_rmax, NULL);
    if (sched_dl(c, car, ce, t, R, g.n_subframes, sched_narrow_flags(c, &c->r.link, cl, R, &g),
                 we - 1, NULL, s) != 0) {
        s->pdsch_end = 0;
        return 0;
    }
    c->ce_stats[ce].rar_pdus++;
    return fit;
}

/* Resolves an opportunity: detection, collisions, the RAR and Msg3 grants. */
static void on_prach_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    const int ce = (int)(ev->target & 15), edt = (int)(ev->target >> 4 & 1);
    const int car = (int)(ev->target >> 5);
    prach_occ *o = &c->car[car].occ[ce][edt];
    const mac_ce_cfg *k = &c->r.ce[ce];
    const sim_time_t now = ev->time;
    /* TS 36.321 5.1.4: the window starts a few subframes after the one
     * holding the preamble's end (NB-IoT 4, or 41 with 64 or more
     * repetitions, past the NPRACH gap; LTE-M 3) and lasts
     * ra-ResponseWindowSize (NPDCCH periods; LTE-M subframes). */
    sim_time_t last_sf = (now - 1) / SIM_MS * SIM_MS;
    sim_time_t ws =
        last_sf + (c->r.rat == MAC_RAT_NBIOT && k->nprach_reps >= 64 ? 41 * SIM_MS : c->rar_delay);
    sim_time_t we = ws + c->rar_win[ce];
    sim_time_t tx_us = 0;
    mac_prach_end(c, ce, o->start, &tx_us);

    uint32_t n = o->n;
    uint32_t *order = o->order;
    uint8_t *det = o->det;
    for (uint32_t i = 0; i < n; i++) {
        order[i] = i;
        mac_dev *d = &c->devs[o->dev[i]];
        if (tx_us > 0)
            energy_enter_split(&d->energy, ENERGY_TX, mac_tx_mw(c, d, prach_power(c, d)), tx_us,
                               ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), now);
        else
            energy_enter(&d->energy, ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), now);
        d->state = ST_RAR_WAIT;
    }
    /* Group by subcarrier, keeping registration order inside a group. */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && cmp_by_sc(&order[j - 1], &order[j], o) > 0; j--) {
            uint32_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    /* First pass: which preambles the eNB detects. */
    uint32_t n_det = 0;
    for (uint32_t i = 0; i < n; i++)
        det[i] = 0;
    for (uint32_t a = 0; a < n;) {
        uint32_t b = a;
        while (b < n && o->sc[order[b]] == o->sc[order[a]])
            b++;
        int any = 0;
        for (uint32_t i = a; i < b; i++) {
            mac_dev *d = &c->devs[o->dev[order[i]]];
            sim_rng r = mac_rng(c, o->dev[order[i]], MAC_RNG_ACCESS, d->nd++);
            double p = mac_prach_detect(c, &c->glink[d->group], d->cl_db, prach_power(c, d),
                                        k->nprach_reps);
            any |= sim_rng_uniform(&r) < p;
            if (b - a > 1) {
                d->collisions++;
                c->ce_stats[ce].collided++;
                c->car[car].collided++;
                mac_ts_count(c, MAC_TS_CE_COLLIDED + ce, now, 1);
            }
            /* TR 37.868 pairs: the level's regular resource (the
             * collision probability's denominator counts its preambles) */
            if (b - a > 1 && i == a && !edt) c->ce_stats[ce].collided_preambles++;
        }
        if (any) {
            det[a] = 1;
            n_det++;
        }
        a = b;
    }
    c->ce_stats[ce].detected += n_det;
    mac_ts_count(c, MAC_TS_CE_DETECTED + ce, now, n_det);
    /* The RAR: MAC PDUs of at most what one transport block holds
     * (rar_pdu), in subcarrier order, one after another while their DCIs
     * can start in the window; preambles left over fail the attempt. */
    dl_slot s = {0, 0, 0, 0, 0};
    uint32_t first = 0;
    while (first < n && !det[first])
        first++;
    uint32_t pdu_left = first < n ? rar_pdu(c, car, o, ce, first, ws, we, &s) : 0;
    const int rar_sent = pdu_left > 0; /* the BI reaches every device of the attempt */
    /* receive time up to and with the current PDU: monitoring from the
     * window start (or the previous PDU's end), its DCI and its NPDSCH;
     * devices of later PDUs decoded the earlier ones too */
    sim_time_t rx_before = 0, pdu_rx = 0;
    if (rar_sent)
        pdu_rx = sched_monitor_us(c, ce, ws, s.dci_start) + (s.dci_end - s.dci_start) +
                 (s.pdsch_end - s.pdsch_start);
    for (uint32_t a = 0; a < n;) {
        uint32_t b = a;
        while (b < n && o->sc[order[b]] == o->sc[order[a]])
            b++;
        sim_time_t msg3 = 0;
        unsigned msg3_levels = 0;
        int granted = 0;
        if (det[a] && pdu_left == 0 && a > first && s.pdsch_end > 0) {
            const sim_time_t prev_end = s.pdsch_end;
            rx_before += pdu_rx;
            pdu_left = rar_pdu(c, car, o, ce, a, prev_end, we, &s);
            if (pdu_left > 0)
                pdu_rx = sched_monitor_us(c, ce, prev_end, s.dci_start) +
                         (s.dci_end - s.dci_start) + (s.pdsch_end - s.pdsch_start);
        }
        if (det[a] && pdu_left > 0) {
            pdu_left--;
            /* Msg3 after the RAR (the radio's timing: nbiot.c, ltem.c) */
            /* the RAR's grant: legacy Msg3, or on the EDT resource the
             * level's edt-TBS grant (the eNB cannot know which smaller TBS
             * the device picks; TS 36.213 16.3.3) */
            const phy_ul_grant *g =
                edt && c->edt_n[ce] > 0 ? &c->edt_g[ce][c->edt_n[ce] - 1] : &c->msg3[ce];
            granted = sched_ul_at(c, car, s.pdsch_end, c->k_msg3, c->n_k_msg3, g, &msg3,
                                  &msg3_levels) == 0;
        } else if (det[a]) {
            c->ce_stats[ce].rar_missed++;
        }
        /* Capture: the strongest of a collision is decoded if it exceeds
         * every other by the margin. */
        uint32_t strongest = a;
        double best = -1e9, second = -1e9;
        for (uint32_t i = a; i < b; i++) {
            const mac_dev *d = &c->devs[o->dev[order[i]]];
            double rx = prach_power(c, d) - d->cl_db;
            if (rx > best) {
                second = best;
                best = rx;
                strongest = i;
            } else if (rx > second) {
                second = rx;
            }
        }
        for (uint32_t i = a; i < b; i++) {
            uint32_t id = o->dev[order[i]];
            mac_dev *d = &c->devs[id];
            if (!granted) {
                attempt_failed(c, id, ws, we, rar_sent);
                continue;
            }
            d->collided = b - a > 1 && !(c->r.capture && i == strongest &&
                                         best - second >= c->r.capture_margin_db);
            d->harq = 0;
            d->t_aux = rx_before + pdu_rx;
            d->ul_levels = (uint8_t)msg3_levels;
            d->state = ST_MSG3;
            sim_schedule(e, s.pdsch_end, EV_RAR, id, d->gen, (uint64_t)msg3);
        }
        a = b;
    }
    o->n = 0;
}

/* RAR received, or a Msg3 retransmission granted: t_aux holds the receive
 * time since the last state change; the Msg3 starts at ev->data. */
static void on_rar(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    energy_enter_split(&d->energy, ENERGY_RX, mac_power(c, d, ENERGY_RX), d->t_aux,
                       ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), ev->time);
    sim_schedule(e, (sim_time_t)ev->data, EV_MSG3_START, ev->target, d->gen, 0);
}

static void on_msg3_start(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    const phy_ul_grant *g = access_msg3_grant(c, d);
    /* the RAR's subcarrier spacing holds for the whole connection */
    d->scs_3k75 = g->scs_3k75;
    double tx, bler;
    mac_ul_link(c, d, g, &tx, &bler);
    energy_enter(&d->energy, ENERGY_TX, mac_tx_mw(c, d, tx), ev->time);
    /* the device's own grant (an EDT TBS below the reserved one ends
     * sooner), postponed around the NPRACH its subcarriers share */
    const sim_time_t end = sched_npusch_end(c, d->ul_levels, ev->time, g);
    d->ul_idle_us = (uint32_t)(end - ev->time - phy_ul_tx_time(g));
    sim_schedule(e, end, EV_MSG3_END, ev->target, d->gen, 0);
}

static void on_msg3_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const mac_ce_cfg *k = &c->r.ce[d->ce];
    const phy_ul_grant *g = access_msg3_grant(c, d);
    const sim_time_t now = ev->time;
    /* Msg3's NPUSCH gaps and postponements are not transmission
     * (GAP_STATE) */
    energy_enter_split(&d->energy, GAP_STATE, mac_power(c, d, GAP_STATE), d->ul_idle_us,
                       ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), now);
    d->harq++;
    double tx, bler;
    mac_ul_link(c, d, g, &tx, &bler);
    sim_rng r = mac_rng(c, id, MAC_RNG_LINK, d->nd++);
    int decoded = !d->collided && sim_rng_uniform(&r) >= bler;
    /* The contention resolution timer runs from the end of Msg3, restarted
     * with each retransmission (TS 36.321 5.1.5); the device listens again
     * after its uplink (the radio's timing: nbiot.c, ltem.c). */
    sim_time_t listen = now + c->ul_to_dl;
    sim_time_t cr_end = now + c->cr_timer[d->ce];
    if (decoded) {
        d->harq = 0;
        const int dl = d->edt ? c->proc->conn_edt_dl(c, id, now) : 0;
        if (d->edt && dl < 0) {
            /* downlink data EDT cannot carry: Msg4 sets up a connection
             * (TS 36.300 7.3b); the UE's EDT failed (TS 36.331 5.3.3.4),
             * its report goes over the connection */
            d->edt = 0;
            d->edt_fallbacks++;
        } else if (d->edt) {
            /* EDT: the network has the report with Msg3 */
            d->edt_n++;
            d->edt_dl = (uint8_t)dl;
            mac_report_done(c, id, now, 1);
        }
        if (c->proc->conn_dl_send(c, id, DL_MSG4, listen, cr_end - 1) == 0) {
            d->state = ST_MSG4_WAIT;
            return;
        }
    } else if (!d->collided && d->harq < c->r.harq_max_tx) {
        /* HARQ retransmission granted by a DCI (N0, 6-0A/B) on the same
         * search space: neither radio has a PHICH for it. */
        int R = mac_dci_reps(c, &c->glink[d->group], d->cl_db, k->npdcch_rmax, NULL);
        dl_slot s;
        sim_time_t start;
        unsigned lv = 0;
        sched_dci_ul(c, d->car, d->ce, listen, R, g,
                     sched_narrow_flags(c, &c->glink[d->group], d->cl_db, R, NULL), NULL, &s,
                     &start, &lv);
        d->ul_levels = (uint8_t)lv;
        d->harq_retx++;
        d->t_aux = sched_monitor_us(c, d->ce, listen, s.dci_start) + (s.dci_end - s.dci_start);
        sim_schedule(e, s.dci_end, EV_RAR, id, d->gen, (uint64_t)start);
        return;
    }
    /* not decoded (a collision, HARQ exhausted), or no Msg4 before the
     * contention-resolution timer */
    mac_ts_count(c, decoded ? MAC_TS_MSG4_FAILURES : MAC_TS_MSG3_FAILURES, now, 1);
    attempt_failed(c, id, listen, cr_end, 1);
}

void access_msg4_done(mac_cell *c, uint32_t id, sim_time_t now, sim_time_t msg4_rx)
{
    mac_dev *d = &c->devs[id];
    c->proc->pur_resolved(c, id); /* the release or EDT's completion may configure PUR */
    c->ce_stats[d->ce].successes++;
    mac_ts_count(c, MAC_TS_CE_SUCCESSES + d->ce, now, 1);
    /* access delay: first preamble to Msg4 received (TR 37.868 terms) */
    double ms = sim_time_to_ms(msg4_rx - d->ra_t0);
    c->ra_tx_sum += d->att_total;
    c->ra_delay_sum_ms += ms;
    int bin = (int)ceil(ms / MAC_RACH_CDF_STEP_MS);
    c->ra_delay_hist[bin < MAC_RACH_CDF_N ? bin : MAC_RACH_CDF_N]++;
    if (d->edt) {
        /* EDT: RRCEarlyDataComplete in Msg4 ends the exchange; no connection */
        c->proc->conn_edt_dl_done(c, id, msg4_rx);
        d->edt = 0;
        c->proc->idle_enter(c, id, now, 0);
        return;
    }
    c->proc->conn_start(c, id, now);
}

void access_msg4_lost(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_ts_count(c, MAC_TS_MSG4_FAILURES, now, 1);
    attempt_failed(c, id, now, now, 1);
}

static void on_ra_fail(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const sim_time_t now = ev->time;
    energy_enter_split(&d->energy, ENERGY_RX, mac_power(c, d, ENERGY_RX),
                       sched_monitor_us(c, d->ce, d->t_aux, now), ENERGY_CONNECTED,
                       mac_power(c, d, ENERGY_CONNECTED), now);
    if (d->pending == 0 && d->dl_pending == 0 && !d->conn) {
        /* an EDT report was delivered but Msg4 was lost: nothing to send;
         * the access itself failed */
        c->ce_stats[d->ce].failures++;
        mac_ts_count(c, MAC_TS_CE_FAILURES + d->ce, now, 1);
        d->edt = 0;
        c->proc->idle_enter(c, id, now, 0);
        return;
    }
    if (d->att_total >= c->r.preamble_trans_max) {
        /* Random access failed: the report at the head fails (TS 36.321
         * 5.1.4 indicates the problem to upper layers). */
        if (d->ra_failures < UINT16_MAX) d->ra_failures++;
        c->ce_stats[d->ce].failures++;
        mac_ts_count(c, MAC_TS_CE_FAILURES + d->ce, now, 1);
        mac_report_done(c, id, now, 0);
        if (d->pending > 0)
            access_start(c, id, now, 0);
        else
            c->proc->idle_enter(c, id, now, 0);
        return;
    }
    if (d->att_ce >= c->r.ce[d->ce].max_attempts && d->ce + 1 < c->r.n_ce) {
        d->ce++;
        d->att_ce = 0;
        if (d->escalations < UINT16_MAX) d->escalations++;
    }
    /* EDT or not, again: the new level's edt-TBS may not fit, and after an
     * EDT Msg3 was delivered but its Msg4 lost the head of the queue is
     * another item (or a command, which EDT cannot carry) */
    access_choose_edt(c, d);
    sim_time_t backoff = 0;
    if (ev->data && c->r.backoff_ms > 0) {
        sim_rng r = mac_rng(c, id, MAC_RNG_ACCESS, d->nd++);
        backoff = (sim_time_t)(sim_rng_uniform(&r) * c->r.backoff_ms * (double)SIM_MS);
    }
    wait_opportunity(c, id, now + backoff, now);
}

void access_register(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_SYNC_DONE, on_sync_done, c);
    sim_engine_on(e, EV_PREAMBLE, on_preamble, c);
    sim_engine_on(e, EV_PRACH_END, on_prach_end, c);
    sim_engine_on(e, EV_RAR, on_rar, c);
    sim_engine_on(e, EV_MSG3_START, on_msg3_start, c);
    sim_engine_on(e, EV_MSG3_END, on_msg3_end, c);
    sim_engine_on(e, EV_RA_FAIL, on_ra_fail, c);
}
