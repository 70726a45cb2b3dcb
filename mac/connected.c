/* connected.c: a connected device's exchange, acknowledgements and release.
 *
 * Once contention resolution succeeds the device works through the cell's
 * exchange steps: with the control-plane CIoT optimisation (default) the
 * report rides as NAS data in Msg5; with the user plane, RRC setup
 * complete, security mode and reconfiguration come first. Every uplink
 * transport block needs a DCI N0 and an NPUSCH; every downlink one a DCI
 * N1, an NPDSCH and a HARQ-ACK on NPUSCH format 2. Failed blocks are
 * retransmitted up to harq_max_tx times. With the buffer empty the device
 * is released at once (RAI) or when the inactivity timer expires; while
 * connected it monitors its search space (counted, not simulated).
 */
#include "mac/mac_internal.h"

static void step_begin(mac_cell *c, uint32_t id, sim_time_t listen);

/* The stack's session is set up before the first report, or before every
 * session_every-th report (counting the reports done). */
int conn_session_due(const mac_cell *c, const mac_dev *d)
{
    const mac_stack_cfg *sk = &c->cfg.groups[d->group].stack;
    uint32_t done = d->delivered + d->failed;
    return sk->n_session > 0 &&
           (sk->session_every > 0 ? done % (uint32_t)sk->session_every == 0 : done == 0);
}

/* EDT's Msg3 or a PUR transmission decoded: downlink data for the device
 * rides in RRCEarlyDataComplete (CP: dedicatedInfoNAS; UP: DTCH
 * multiplexed with it; TS 36.300 7.3b.2, 7.3b.3, 7.3d.3) if it stays one
 * transport block;
 * otherwise, or for a firmware image, or a command the application
 * answers (the answer needs the uplink), the network answers with a
 * connection set-up (the fallback of TS 36.300 7.3b). Commands held longer
 * than buffer_s are lost first, as over a connection (mac_dl_expire). */
int conn_edt_dl(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    mac_dl_expire(c, d, now);
    if (d->dl_pending == 0) return 0;
    const mac_group_cfg *gc = &c->cfg.groups[d->group];
    if (gc->downlink.answer_bytes > 0 || d->dl_pending > UINT8_MAX) return -1;
    for (uint32_t i = d->dl_head; i != NO_REPORT; i = c->reports[i].next)
        if (c->reports[i].kind != ITEM_COMMAND) return -1;
    const uint64_t bytes = (uint64_t)c->r.msg4_bytes + mac_edt_dl_bytes(c, d, d->dl_pending);
    return 8 * bytes <= (uint64_t)c->max_dl_tbs ? (int)d->dl_pending : -1;
}

void conn_edt_dl_done(mac_cell *c, uint32_t id, sim_time_t msg4_rx)
{
    mac_dev *d = &c->devs[id];
    for (; d->edt_dl > 0; d->edt_dl--) {
        mac_log_dl(c, id, msg4_rx - c->reports[d->dl_head].generated);
        d->dl_deliv++;
        mac_dl_pop(c, d);
    }
}

static int dl_bits(const mac_cell *c, const mac_dev *d, int kind)
{
    switch (kind) {
    case DL_MSG4:
        /* EDT: RRCEarlyDataComplete carries the application acknowledgement
         * and the commands riding with it */
        return 8 * (c->r.msg4_bytes + (d->edt ? (int)mac_edt_dl_bytes(c, d, d->edt_dl) : 0));
    case DL_RELEASE:
        return 8 * c->r.release_bytes;
    default:
        /* the radio's largest TBS (Cat-NB1 680, Cat-M1 1000), or less for
         * an LTE-M link that cannot carry it */
        return mac_fit_tb(
            c, &c->glink[d->group], d->cl_db,
            d->bits_left < (uint32_t)c->max_dl_tbs ? (int)d->bits_left : c->max_dl_tbs, d->ce, 0);
    }
}

static int popcount8(unsigned m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* Bits of the decoded blocks (bit i of mask) of a burst of k blocks of tb
 * bits taken in order from `left` (the last may be short). */
static uint32_t burst_bits(uint32_t left, uint32_t tb, unsigned mask, int k)
{
    uint32_t got = 0;
    for (int i = 0; i < k; i++) {
        uint32_t off = (uint32_t)i * tb;
        if ((mask >> i & 1u) && left > off) got += left - off < tb ? left - off : tb;
    }
    return got;
}

/* HARQ processes a Cat-M1 device runs in CE mode A (TS 36.213 7, 8: 8 DL, 8 UL) */
#define MAC_LTEM_HARQ 8

static int k_ack_reps(const mac_cell *c, const mac_dev *d)
{
    return c->r.ce[d->ce].ack_reps;
}

/* Books a connected wait that ends now: rx_us receiving (search spaces,
 * the DCI, the data), sleep_us asleep outside the DRX Active Time, the rest
 * in the current state (connected); then enters s at s_mw. */
static void book_wait(mac_cell *c, mac_dev *d, int64_t rx_us, int64_t sleep_us, energy_state s,
                      double s_mw, sim_time_t now)
{
    if (sleep_us == 0) {
        energy_enter_split(&d->energy, ENERGY_RX, mac_power(c, d, ENERGY_RX), rx_us, s, s_mw, now);
        return;
    }
    const energy_state st[2] = {ENERGY_RX, ENERGY_CDRX};
    const double pw[2] = {mac_power(c, d, ENERGY_RX), mac_power(c, d, ENERGY_CDRX)};
    const int64_t tm[2] = {rx_us, sleep_us};
    energy_enter_parts(&d->energy, 2, st, pw, tm, s, s_mw, now);
}

/* A connected wait [since, now) in which the device only monitored (the
 * inactivity tail): booked, then it stays connected. */
static void book_monitoring(mac_cell *c, mac_dev *d, sim_time_t since, sim_time_t now)
{
    int64_t sleep;
    const int64_t rx = drx_wait(c, d, since, now, &sleep);
    book_wait(c, d, rx, sleep, ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), now);
}

int conn_dl_send(mac_cell *c, uint32_t id, int kind, sim_time_t listen, sim_time_t latest)
{
    mac_dev *d = &c->devs[id];
    const mac_ce_cfg *k = &c->r.ce[d->ce];
    const phy_link_cfg *l = &c->glink[d->group];
    phy_dl_grant g;
    mac_dl_select(c, l, d->cl_db, dl_bits(c, d, kind), d->ce, &g);
    int R = mac_dci_reps(c, l, d->cl_db, k->npdcch_rmax, NULL);
    dl_slot s;
    const int flags = sched_narrow_flags(c, l, d->cl_db, R, &g);
    /* Msg4 comes while mac-ContentionResolutionTimer runs: no DRX yet */
    drx_win wb;
    const drx_win *w = kind == DL_MSG4 ? NULL : drx_win_for(c, d, &wb);
    if (sched_dl(c, d->car, d->ce, listen, R, g.n_subframes, flags, latest, w, &s) != 0) return -1;
    if (kind == DL_COMMAND && c->reports[d->dl_head].kind == ITEM_FOTA) /* campaign.c */
        c->fota_dl_us += (double)(s.dci_end - s.dci_start + s.pdsch_end - s.pdsch_start);
    int64_t sleep = 0;
    const int64_t mon = w ? drx_wait(c, d, listen, s.dci_start, &sleep)
                          : sched_monitor_us(c, d->ce, listen, s.dci_start);
    d->drx_sleep_us = sleep;
    d->t_aux = mon + (s.dci_end - s.dci_start) + (s.pdsch_end - s.pdsch_start);
    /* LTE-M: the DCI starts drx-InactivityTimer (Msg4's too: its
     * RRCConnectionSetup brings the DRX configuration) */
    drx_on_dci(c, d, s.dci_start, s.dci_end, d->harq == 0);
    /* LTE-M: further blocks of a long message in the following subframes,
     * each its own HARQ process (8 in CE mode A, TS 36.213 7), while the
     * narrowband has room: MPDCCH n + k with its PDSCH in n + k + 2, an
     * MPDCCH on 2 PRBs sharing a subframe with a PDSCH on 4. Half duplex:
     * the last PDSCH ends a guard subframe before the first HARQ-ACK (n + 6),
     * so three blocks (M M M+P P P), their ACKs n + 6 ... n + 8: three per
     * 10 ms, the Rel-13 peak of 300 kbit/s; without the 2 + 4 sharing two.
     * Only without repetitions. The device receives from the first MPDCCH
     * to the last PDSCH without a break. */
    int nb = 1;
    if (c->r.rat == MAC_RAT_LTEM && (kind == DL_STEP || kind == DL_COMMAND) && g.reps == 1 &&
        R == 1 && k_ack_reps(c, d) == 1) {
        uint32_t tb = (uint32_t)dl_bits(c, d, kind);
        uint32_t left = d->bits_left > tb ? d->bits_left - tb : 0;
        const sim_time_t first_ack = s.pdsch_start + c->ack_delay + SIM_MS;
        const sim_time_t guard = (sim_time_t)c->r.hd_guard_sf * SIM_MS;
        const sim_time_t start = s.dci_start;
        dl_slot s2;
        while (left > 0 && nb < MAC_LTEM_HARQ && s.pdsch_end + SIM_MS <= first_ack - guard &&
               sched_dl_exact(c, d->car, d->ce, s.nb, start + nb * SIM_MS, 1, 1, flags, &s2) == 0) {
            nb++;
            left -= left < tb ? left : tb;
            s.pdsch_end = s2.pdsch_end;
        }
        if (nb > 1) d->t_aux = mon + (s.pdsch_end - start);
    }
    sim_schedule(c->engine, s.pdsch_end, EV_DL_END, id, d->gen,
                 (uint64_t)kind | (uint64_t)nb << 16);
    return 0;
}

/* The flags of a connection's NPUSCH under the scheduler's tone cap: 0
 * none, 1 at most 6 tones, 2 at most 3, 3 single tone (the RAR's spacing
 * holds in every case). */
static int cap_flags(const mac_dev *d, int cap)
{
    static const int extra[4] = {0, PHY_UL_MAX_6T, PHY_UL_MAX_3T, 0};
    const int f = mac_conn_ul_flags(d) | extra[cap];
    return cap == 3 ? f & ~PHY_UL_MULTITONE : f;
}

static void ul_send(mac_cell *c, uint32_t id, sim_time_t listen)
{
    mac_dev *d = &c->devs[id];
    const mac_ce_cfg *k = &c->r.ce[d->ce];
    const phy_link_cfg *l = &c->glink[d->group];
    const int max_tb = mac_max_ul_tbs(c, d->ce); /* NPUSCH 1000; Cat-M1 by CE mode */
    int tb = d->bits_left < (uint32_t)max_tb ? (int)d->bits_left : max_tb;
    tb = mac_fit_tb(c, l, d->cl_db, tb, d->ce, 1);
    phy_ul_grant g;
    int cap = 0;
    mac_ul_select(c, l, d->cl_db, tb, d->ce, cap_flags(d, 0), &g);
    int R = mac_dci_reps(c, l, d->cl_db, k->npdcch_rmax, NULL);
    dl_slot s;
    sim_time_t start;
    const int flags = sched_narrow_flags(c, l, d->cl_db, R, NULL);
    drx_win wb;
    const drx_win *w = drx_win_for(c, d, &wb);
    /* NB-IoT: a multi-tone NPUSCH needs that many subcarriers free for its
     * whole span, and the widest (least tone-time) may wait long behind
     * others' single-tone transmissions; the scheduler takes, of the
     * grants at most 12, 6, 3 and 1 tones wide, the one that ends first
     * (ties: the wider). Our policy: TS 36.213 leaves it to the eNB. */
    if (c->r.rat == MAC_RAT_NBIOT && g.tones > 1) {
        /* the distinct narrower grants the link allows; probed only when
         * there is a choice */
        phy_ul_grant alt[4];
        int alt_cap[4], n_alt = 0;
        for (int n = 1, tones = g.tones; n < 4; n++) {
            phy_ul_grant a;
            if (mac_ul_select(c, l, d->cl_db, tb, d->ce, cap_flags(d, n), &a) != 0 ||
                a.tones >= tones)
                continue; /* too weak, or a width already listed */
            tones = a.tones;
            alt[n_alt] = a;
            alt_cap[n_alt++] = n;
        }
        sim_time_t best = n_alt ? sched_dci_ul_end(c, d->car, d->ce, listen, R, &g, flags, w) : 0;
        for (int i = 0; i < n_alt; i++) {
            const sim_time_t e = sched_dci_ul_end(c, d->car, d->ce, listen, R, &alt[i], flags, w);
            if (e < best) {
                best = e;
                g = alt[i];
                cap = alt_cap[i];
            }
        }
    }
    unsigned lv = 0;
    sched_dci_ul(c, d->car, d->ce, listen, R, &g, flags, w, &s, &start, &lv);
    d->ul_levels = (uint8_t)lv;
    int64_t sleep = 0;
    d->t_aux = drx_wait(c, d, listen, s.dci_start, &sleep) + (s.dci_end - s.dci_start);
    d->drx_sleep_us = sleep;
    /* LTE-M: further blocks in the following subframes, each its own HARQ
     * process: DCI 6-0A in n + k, PUSCH in n + k + 4, as long as the device
     * can still receive the DCI and switch to transmit (half duplex: the
     * last DCI ends a guard subframe before the first PUSCH), i.e. three
     * blocks per 8 ms, the Rel-13 peak of 375 kbit/s. Only without
     * repetitions. */
    int nb = 1;
    if (c->r.rat == MAC_RAT_LTEM && g.reps == 1 && R == 1) {
        uint32_t left = d->bits_left > (uint32_t)tb ? d->bits_left - (uint32_t)tb : 0;
        const sim_time_t guard = (sim_time_t)c->r.hd_guard_sf * SIM_MS;
        dl_slot s2;
        sim_time_t st2;
        while (left > 0 && nb < MAC_LTEM_HARQ &&
               s.dci_start + (sim_time_t)(nb + 1) * SIM_MS <= start - guard &&
               sched_dci_ul_exact(c, d->car, d->ce, s.nb, s.dci_start + nb * SIM_MS, 1, &g, flags,
                                  &s2, &st2) == 0) {
            nb++;
            left -= left < (uint32_t)tb ? left : (uint32_t)tb;
            d->t_aux += s2.dci_end - s2.dci_start;
            s.dci_end = s2.dci_end;
        }
    }
    drx_on_dci(c, d, s.dci_start, s.dci_end, d->harq == 0);
    sim_schedule(c->engine, start, EV_UL_START, id, d->gen,
                 (uint64_t)tb | (uint64_t)nb << 32 | (uint64_t)cap << 40);
}

/* The grant of an EV_UL_START / EV_UL_END: data = TB | blocks << 32 | tone
 * cap << 40 (ul_send). */
static void ul_grant_of(const mac_cell *c, const mac_dev *d, uint64_t data, phy_ul_grant *g)
{
    mac_ul_select(c, &c->glink[d->group], d->cl_db, (int)(data & 0xffffffffu), d->ce,
                  cap_flags(d, (int)(data >> 40 & 3)), g);
}

static void next_work(mac_cell *c, uint32_t id, sim_time_t listen);

void conn_start(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    d->state = ST_STEP;
    if (!d->conn && c->ts) sim_bins_level(&c->ts->conn, now, 1.0);
    /* RRC setup: the eNB gives the connection its carrier (Rel-14
     * carrierConfigDedicated); Msg4 came on the access's */
    if (!d->conn) {
        d->car = d->conn_car = (uint8_t)mac_data_carrier(c, d);
        c->car[d->car].connections++;
    } else {
        d->car = d->conn_car; /* an access while connected: back to its carrier */
    }
    if (!d->conn && c->n_setup > 0) {
        d->conn = 1;
        d->in_setup = 1;
        d->step = 0;
        step_begin(c, id, now + c->ul_to_dl);
    } else {
        d->conn = 1;
        next_work(c, id, now + c->ul_to_dl);
    }
}

static void release(mac_cell *c, uint32_t id, sim_time_t listen)
{
    mac_dev *d = &c->devs[id];
    d->state = ST_RELEASE;
    d->harq = 0;
    mac_set_proc(c, d, ENERGY_PROC_RRC);
    conn_dl_send(c, id, DL_RELEASE, listen, SIM_NEVER);
}

/* What a connected device does next: network commands first (held at most
 * buffer_s), then its reports; with nothing left, release at once (RAI)
 * or wait for the inactivity timer. */
static void next_work(mac_cell *c, uint32_t id, sim_time_t listen)
{
    mac_dev *d = &c->devs[id];
    d->state = ST_STEP;
    d->harq = 0;
    mac_dl_expire(c, d, listen);
    /* a firmware image (campaign.c) is never dropped for age, and waits
     * for the device's own reports: they go first */
    const int fota = d->dl_pending > 0 && c->reports[d->dl_head].kind == ITEM_FOTA;
    if (d->dl_pending > 0 && !(fota && d->pending > 0)) {
        d->step = STEP_IDX_COMMAND;
        mac_set_proc(c, d, fota ? ENERGY_PROC_FOTA : ENERGY_PROC_COMMAND);
        if (fota) c->reports[d->dl_head].tries = 0; /* RLC retransmissions of a block */
        d->bits_left = 8u * (c->reports[d->dl_head].bytes + (uint32_t)c->r.l2_overhead_bytes);
        conn_dl_send(c, id, DL_COMMAND, listen, SIM_NEVER);
    } else if (d->pending > 0) {
        d->step = (uint8_t)c->n_setup;
        step_begin(c, id, listen);
    } else if (d->rai) {
        release(c, id, listen);
    } else {
        d->state = ST_INACTIVE;
        mac_set_proc(c, d, ENERGY_PROC_CONN_WAIT);
        d->gen++;
        d->t_aux = listen;
        sim_time_t t;
        sim_time_from_s(c->r.inactivity_s, &t);
        sim_schedule(c->engine, listen + t, EV_INACTIVITY, id, d->gen, 0);
    }
}

static void step_begin(mac_cell *c, uint32_t id, sim_time_t listen)
{
    mac_dev *d = &c->devs[id];
    const mac_steps *steps = &c->gsteps[d->group];
    if (d->step >= steps->n || (d->in_setup && d->step == c->n_setup)) {
        d->in_setup = 0;
        next_work(c, id, listen);
        return;
    }
    const mac_step *st = &steps->s[d->step];
    d->harq = 0;
    const int tau = d->pending > 0 && c->reports[d->head].kind == ITEM_TAU;
    if ((st->kind == STEP_DL_ACK && !tau && (st->stack == 3 || !c->cfg.groups[d->group].answer)) ||
        (st->session && !conn_session_due(c, d)) || (tau && (st->stack == 1 || st->stack == 2))) {
        /* no answer expected: with RAI the release follows the uplink */
        d->step++;
        step_begin(c, id, listen);
        return;
    }
    mac_set_proc(c, d, mac_step_proc(c, d, st));
    switch (st->kind) {
    case STEP_UL_DATA:
        /* a TAU request is NAS signalling: no application headers */
        d->bits_left = 8 * (c->reports[d->head].bytes +
                            (tau ? (uint32_t)(c->r.l2_overhead_bytes +
                                              (c->r.user_plane ? 0 : c->r.cp_overhead_bytes))
                                 : st->bytes));
        ul_send(c, id, listen);
        break;
    case STEP_UL_FIXED:
        d->bits_left = 8u * st->bytes;
        ul_send(c, id, listen);
        break;
    default:
        /* the answer to a TAU is the TAU accept */
        d->bits_left = tau && st->kind == STEP_DL_ACK
                           ? 8u * (uint32_t)(c->cfg.groups[d->group].idle.tau_accept_bytes +
                                             c->r.l2_overhead_bytes)
                           : 8u * st->bytes;
        conn_dl_send(c, id, DL_STEP, listen, SIM_NEVER);
        break;
    }
}

static void on_ul_start(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    phy_ul_grant g;
    ul_grant_of(c, d, ev->data, &g);
    const int k = (int)(ev->data >> 32 & 0xff) ? (int)(ev->data >> 32 & 0xff) : 1;
    double tx, bler;
    mac_ul_link(c, d, &g, &tx, &bler);
    book_wait(c, d, d->t_aux, d->drx_sleep_us, ENERGY_TX, mac_tx_mw(c, d, tx), ev->time);
    /* k > 1 only on LTE-M (consecutive subframes, no postponement) */
    const sim_time_t end = k > 1 ? ev->time + (sim_time_t)k * g.duration
                                 : sched_npusch_end(c, d->ul_levels, ev->time, &g);
    d->ul_idle_us = (uint32_t)(end - ev->time - (sim_time_t)k * phy_ul_tx_time(&g));
    sim_schedule(e, end, EV_UL_END, ev->target, d->gen, ev->data);
}

static void on_ul_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const sim_time_t now = ev->time, listen = now + c->ul_to_dl;
    int tb = (int)(ev->data & 0xffffffffu);
    const int k = (int)(ev->data >> 32 & 0xff) ? (int)(ev->data >> 32 & 0xff) : 1;
    phy_ul_grant g;
    ul_grant_of(c, d, ev->data, &g);
    double tx, bler;
    mac_ul_link(c, d, &g, &tx, &bler);
    /* the NPUSCH gaps and postponements are not transmission (GAP_STATE) */
    energy_enter_split(&d->energy, GAP_STATE, mac_power(c, d, GAP_STATE), d->ul_idle_us,
                       ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED), now);
    drx_after_ul(c, d, now);
    d->harq++;
    unsigned ok_mask = 0; /* blocks of the burst decoded */
    for (int i = 0; i < k; i++) {
        sim_rng r = mac_rng(c, id, MAC_RNG_LINK, d->nd++);
        if (sim_rng_uniform(&r) >= bler) ok_mask |= 1u << i;
    }
    const int nok = popcount8(ok_mask);
    const int answer = d->step == STEP_IDX_ANSWER;
    const mac_step *st = answer ? NULL : &c->gsteps[d->group].s[d->step];
    if (nok > 0 && nok < k) {
        /* part of a burst lost: those blocks are sent again (no PHICH: the
         * eNB schedules them anew), the rest is delivered */
        d->harq_retx += (uint32_t)(k - nok);
        if (!answer && st->kind == STEP_UL_DATA) {
            d->data_tbs += (uint32_t)nok;
            d->data_reps += (uint32_t)nok * g.reps;
        }
        d->bits_left -= burst_bits(d->bits_left, (uint32_t)tb, ok_mask, k);
        ul_send(c, id, listen);
        return;
    }
    if (nok == 0) {
        if (d->harq < c->r.harq_max_tx) {
            d->harq_retx += (uint32_t)k;
            ul_send(c, id, listen);
            return;
        }
        /* The block is lost: the report fails, the connection goes on. */
        if (!answer) mac_report_done(c, id, now, 0);
        next_work(c, id, listen);
        return;
    }
    d->harq = 0;
    const uint32_t got = (uint32_t)k * (uint32_t)tb;
    if (answer) {
        d->bits_left -= d->bits_left < got ? d->bits_left : got;
        if (d->bits_left > 0)
            ul_send(c, id, listen);
        else
            next_work(c, id, listen);
        return;
    }
    if (st->kind == STEP_UL_DATA) {
        d->data_tbs += (uint32_t)k;
        d->data_reps += (uint32_t)k * g.reps;
    }
    d->bits_left -= d->bits_left < got ? d->bits_left : got;
    if (d->bits_left > 0) {
        ul_send(c, id, listen);
        return;
    }
    if (st->kind == STEP_UL_DATA) mac_report_done(c, id, now, 1);
    d->step++;
    step_begin(c, id, listen);
}

static void on_dl_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const sim_time_t now = ev->time;
    int kind = (int)(ev->data & 0xff);
    const int k = (int)((ev->data >> 16) & 0xff) ? (int)((ev->data >> 16) & 0xff) : 1;
    book_wait(c, d, d->t_aux, d->drx_sleep_us, ENERGY_CONNECTED, mac_power(c, d, ENERGY_CONNECTED),
              now);
    phy_dl_grant g;
    mac_dl_select(c, &c->glink[d->group], d->cl_db, dl_bits(c, d, kind), d->ce, &g);
    d->harq++;
    unsigned ok_mask = 0; /* blocks of the burst decoded */
    for (int i = 0; i < k; i++) {
        sim_rng r = mac_rng(c, id, MAC_RNG_LINK, d->nd++);
        if (sim_rng_uniform(&r) >= g.bler) ok_mask |= 1u << i;
    }
    const int nok = popcount8(ok_mask);
    const int ok = nok == k;
    if (nok == 0 && d->harq >= c->r.harq_max_tx) {
        /* Given up: a lost Msg4 fails the attempt; a lost release leaves
         * the device to release itself; a lost step is skipped. */
        d->harq = 0;
        if (kind == DL_MSG4) {
            c->proc->msg4_lost(c, id, now);
        } else if (kind == DL_COMMAND && c->reports[d->dl_head].kind == ITEM_FOTA) {
            /* an image block: RLC AM sends it again (TS 36.322 5.2.1) up to
             * the campaign's max_block_tries, then the update fails */
            if (++c->reports[d->dl_head].tries < c->r.campaign.max_block_tries) {
                conn_dl_send(c, id, DL_COMMAND, now, SIM_NEVER);
            } else {
                mac_dl_pop(c, d);
                c->proc->fota_received(c, id, now, 0);
                next_work(c, id, now);
            }
        } else if (kind == DL_COMMAND) {
            mac_dl_pop(c, d);
            d->dl_lost++;
            next_work(c, id, now);
        } else if (kind == DL_RELEASE) {
            c->proc->idle_enter(c, id, now, 0);
        } else {
            d->step++;
            step_begin(c, id, now);
        }
        return;
    }
    /* HARQ-ACK (or NACK): NB-IoT on NPUSCH format 2, k0 = 13 subframes
     * after the NPDSCH end (TS 36.213 16.4.2), resources reserved by the eNB
     * that do not delay data grants (counted in the uplink load); LTE-M on
     * PUCCH in n + 4, outside the PUSCH narrowbands (the radio's timing: nbiot.c, ltem.c). */
    /* a burst's ACKs follow its PDSCHs one subframe apart: the last ends
     * ack_delay + dur after the last PDSCH */
    sim_time_t tx_us, dur = mac_ack_duration(c, d, &tx_us);
    /* NB-IoT: the last ACK postponed around NPRACH (sched_ack_end); the
     * postponement travels in data bits 32-63, us */
    const sim_time_t s = now + c->ack_delay;
    const sim_time_t post =
        c->radio->ul_postpone ? sched_ack_end(c, d->car, d->scs_3k75, s, tx_us) - s - dur : 0;
    /* a 3.75 kHz HARQ-ACK takes one unit, a 15 kHz one a 15 kHz tone */
    /* the burst's ACKs, one after another, end with the last */
    mac_busy(c, d->car, 1, s + dur + post - (dur * k + post), s + dur + post,
             (double)(d->scs_3k75 ? 1 : c->ack_units));
    sim_schedule(e, s + dur + post, EV_ACK_END, id, d->gen,
                 (uint64_t)(kind | (ok ? 0 : DL_NACK)) | (uint64_t)k << 16 |
                     (uint64_t)ok_mask << 24 | (uint64_t)post << 32);
}

static void on_ack_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    const sim_time_t now = ev->time, listen = now + c->ul_to_dl;
    const int k = (int)((ev->data >> 16) & 0xff) ? (int)((ev->data >> 16) & 0xff) : 1;
    const unsigned ok_mask = (unsigned)((ev->data >> 24) & 0xff);
    const int nok = popcount8(ok_mask);
    /* the ACK's span: its gaps and its postponement around NPRACH */
    const sim_time_t post = (sim_time_t)(ev->data >> 32);
    sim_time_t tx_us, dur = mac_ack_duration(c, d, &tx_us);
    /* transmitting, and in the NPUSCH gaps and postponements receiving
     * (see GAP_STATE) */
    const energy_state parts[2] = {ENERGY_TX, GAP_STATE};
    const double powers[2] = {mac_tx_mw(c, d, mac_ack_power(c, d)), mac_power(c, d, GAP_STATE)};
    const int64_t times[2] = {tx_us * k, (dur - tx_us) * k + post};
    dur += post;
    energy_enter_parts(&d->energy, times[1] > 0 ? 2 : 1, parts, powers, times, ENERGY_CONNECTED,
                       mac_power(c, d, ENERGY_CONNECTED), now);
    drx_after_dl(c, d, now, (ev->data & DL_NACK) != 0);
    int kind = (int)(ev->data & 0xff);
    if (ev->data & DL_NACK) {
        d->harq_retx += (uint32_t)(k - nok);
        if (nok > 0) /* part of a burst decoded: only the lost blocks are sent again */
            d->bits_left -= burst_bits(d->bits_left, (uint32_t)dl_bits(c, d, kind), ok_mask, k);
        if (conn_dl_send(c, id, kind, listen, SIM_NEVER) != 0) c->proc->idle_enter(c, id, now, 0);
        return;
    }
    d->harq = 0;
    switch (kind) {
    case DL_MSG4:
        c->proc->msg4_done(c, id, now, now - c->ack_delay - dur);
        break;
    case DL_RELEASE:
        c->proc->idle_enter(c, id, now, 0);
        break;
    case DL_COMMAND: {
        c->reports[d->dl_head].tries = 0; /* a block through: its RLC count restarts */
        uint32_t got = (uint32_t)k * (uint32_t)dl_bits(c, d, DL_COMMAND);
        d->bits_left -= d->bits_left < got ? d->bits_left : got;
        mac_report *it = &c->reports[d->dl_head];
        if (d->bits_left > 0 && it->kind == ITEM_FOTA && d->pending > 0) {
            /* a long image download pauses for the device's own reports
             * between blocks and resumes with what is left */
            const uint32_t l2 = (uint32_t)c->r.l2_overhead_bytes, left = (d->bits_left + 7) / 8;
            it->bytes = left > l2 ? left - l2 : 1;
            d->step = (uint8_t)c->n_setup;
            step_begin(c, id, listen);
            break;
        }
        if (d->bits_left > 0) {
            conn_dl_send(c, id, DL_COMMAND, listen, SIM_NEVER);
            break;
        }
        /* delivered when its last block was received, before the ACK */
        sim_time_t rx_end = now - c->ack_delay - dur;
        if (c->reports[d->dl_head].kind == ITEM_FOTA) { /* the campaign's image */
            mac_dl_pop(c, d);
            c->proc->fota_received(c, id, rx_end, 1);
            next_work(c, id, listen);
            break;
        }
        mac_log_dl(c, id, rx_end - c->reports[d->dl_head].generated);
        d->dl_deliv++;
        mac_dl_pop(c, d);
        int ans = c->cfg.groups[d->group].downlink.answer_bytes;
        if (ans > 0) {
            d->step = STEP_IDX_ANSWER;
            d->harq = 0;
            d->bits_left = 8u * (uint32_t)(ans + c->r.cp_overhead_bytes + c->r.l2_overhead_bytes);
            ul_send(c, id, listen);
        } else {
            next_work(c, id, listen);
        }
        break;
    }
    default: {
        uint32_t got = (uint32_t)k * (uint32_t)dl_bits(c, d, DL_STEP);
        d->bits_left -= d->bits_left < got ? d->bits_left : got;
        if (d->bits_left > 0) {
            conn_dl_send(c, id, DL_STEP, listen, SIM_NEVER);
        } else {
            d->step++;
            step_begin(c, id, listen);
        }
    }
    }
}

static void on_inactivity(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_dev *d = &c->devs[ev->target];
    if (ev->gen != d->gen || d->state != ST_INACTIVE) return; /* restarted by new data */
    book_monitoring(c, d, d->t_aux, ev->time);
    release(c, ev->target, ev->time);
}

/* New data while connected and inactive: stop the timer; Rel-13 NB-IoT has
 * no scheduling request, so the device asks by random access (without
 * resynchronising) and continues in its connection. */
void conn_new_data(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    d->gen++;
    book_monitoring(c, d, d->t_aux, now);
    c->proc->access_start(c, id, now, 0);
}

void conn_new_command(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_dev *d = &c->devs[id];
    d->gen++; /* stops the inactivity timer */
    book_monitoring(c, d, d->t_aux, now);
    next_work(c, id, now);
}

void conn_close(mac_cell *c, uint32_t id, sim_time_t end)
{
    mac_dev *d = &c->devs[id];
    if (d->state == ST_INACTIVE && d->t_aux < end) book_monitoring(c, d, d->t_aux, end);
}

void conn_register(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_UL_START, on_ul_start, c);
    sim_engine_on(e, EV_UL_END, on_ul_end, c);
    sim_engine_on(e, EV_DL_END, on_dl_end, c);
    sim_engine_on(e, EV_ACK_END, on_ack_end, c);
    sim_engine_on(e, EV_INACTIVITY, on_inactivity, c);
}
