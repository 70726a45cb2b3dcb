/* drx.c: connected-mode DRX (TS 36.321 5.7).
 *
 * A connected device configured with DRX monitors its search space only in
 * the Active Time: while onDurationTimer runs at the start of every DRX
 * cycle, and while the timers a transmission starts run (inactivity,
 * retransmission). The rest of the connected time it sleeps (ENERGY_CDRX).
 * The eNB knows the pattern and sends a DCI only in the Active Time, so a
 * grant that falls in sleep waits for the next on-duration (sched.c takes a
 * drx_win). Nothing here is ticked: a wait is divided into monitoring,
 * awake and asleep arithmetically, interval by interval.
 *
 * The timers a transmission starts are kept as one window per device,
 * [drx_from, drx_until):
 *   NB-IoT: a DCI stops onDurationTimer and drx-InactivityTimer; the HARQ
 *   RTT timers (DL k + 3 + N + deltaPDCCH after the NPDSCH, UL 4 +
 *   deltaPDCCH after the NPUSCH) end at the first NPDCCH occasion after the
 *   HARQ feedback or the NPUSCH, where drx-InactivityTimer restarts with
 *   drx-RetransmissionTimer (downlink block not decoded) or
 *   drx-ULRetransmissionTimer (after every uplink block, there is no PHICH),
 *   all counted in PDCCH periods (pp: the search space period Rmax x G).
 *   LTE-M (BL/CE): drx-InactivityTimer runs from the MPDCCH that schedules
 *   a new transmission; drx-RetransmissionTimer after the HARQ RTT timer
 *   (7 + N subframes from the PDSCH, N the PUCCH repetitions: 3 subframes
 *   after the HARQ-ACK) if the block failed; drx-ULRetransmissionTimer after
 *   the UL HARQ RTT timer (4 subframes from the PUSCH's last); in PDCCH
 *   subframes (every subframe in FDD, TS 36.321 3.1).
 * The clause's text was not at hand: these rules follow the NB-IoT and
 * BL/CE parts of 5.7 as open summaries and implementations quote them
 * (README, Fidelity).
 */
#include "mac/mac_internal.h"

#define SFN_CYCLE (10240 * SIM_MS)

int drx_applies(const mac_cell *c, const mac_dev *d)
{
    return c->r.cdrx.enabled && c->gmod[d->group].cdrx;
}

/* DRX cycle starts: [(SFN x 10) + subframe] mod cycle = offset (TS 36.321
 * 5.7), so the pattern restarts with every SFN cycle of 10.24 s. A cycle C
 * that does not divide 10240 subframes leaves an irregular last cycle:
 * 10240 mod C long when the offset is below 10240 mod C, else C + 10240
 * mod C (longer than C). */
int64_t drx_start_le(int64_t C, int64_t off, int64_t sfn, int64_t t)
{
    const int64_t base = t / sfn * sfn, x = t - base;
    if (x >= off) return base + off + (x - off) / C * C;
    /* the last start of the previous SFN cycle */
    return base - sfn + off + (sfn - 1 - off) / C * C;
}

int64_t drx_start_gt(int64_t C, int64_t off, int64_t sfn, int64_t t)
{
    const int64_t base = t / sfn * sfn, x = t - base;
    if (x < off) return base + off;
    const int64_t s = off + ((x - off) / C + 1) * C;
    return s < sfn ? base + s : base + sfn + off;
}

int64_t drx_longest_cycle(int64_t C, int64_t off, int64_t sfn)
{
    /* the SFN cycle's last one runs from its last start to the next
     * cycle's first (sfn + off) */
    const int64_t wrap = sfn + off - drx_start_le(C, off, sfn, sfn - 1);
    return wrap > C ? wrap : C;
}

static sim_time_t on_start_le(const mac_cell *c, sim_time_t t)
{
    return drx_start_le(c->drx_cycle, c->drx_offset, SFN_CYCLE, t);
}

static sim_time_t on_start_gt(const mac_cell *c, sim_time_t t)
{
    return drx_start_gt(c->drx_cycle, c->drx_offset, SFN_CYCLE, t);
}

/* The on-duration that starts at s: onDurationTimer from the cycle start,
 * in pp (NB-IoT) or subframes (LTE-M), ended early by the next cycle's
 * start (the timer then restarts). */
static sim_time_t on_end(const mac_cell *c, int ce, sim_time_t s)
{
    const sim_time_t e = s + c->drx_on[ce], n = on_start_gt(c, s);
    return e < n ? e : n;
}

/* The same, for this device: the on-duration a DCI stopped (NB-IoT) has
 * ended at its start as far as later waits are concerned. */
static sim_time_t w_on_end(const mac_cell *c, const drx_win *w, sim_time_t s)
{
    return s == w->cut ? s : on_end(c, w->ce, s);
}

static int win_valid(const drx_win *w, sim_time_t t)
{
    return w->until > w->from && w->until > t;
}

/* The Active Time interval [*s, *e) that contains t, or else the next one:
 * the union of the device's timer window and the on-durations. */
static void active_interval(const mac_cell *c, const drx_win *w, sim_time_t t, sim_time_t *s,
                            sim_time_t *e)
{
    if (c->drx_always[w->ce]) { /* onDurationTimer spans the cycle */
        *s = t;
        *e = SIM_NEVER;
        return;
    }
    sim_time_t os = on_start_le(c, t), oe = os >= 0 ? w_on_end(c, w, os) : 0;
    if (os < 0 || oe <= t) {
        os = on_start_gt(c, t);
        oe = w_on_end(c, w, os);
    }
    sim_time_t a = os, b = oe;
    if (win_valid(w, t) && w->from <= os) {
        a = w->from;
        b = w->until;
    }
    /* extend over what overlaps or touches: the window, on-durations */
    for (;;) {
        sim_time_t nb = b;
        if (win_valid(w, t) && w->from <= nb && w->until > nb) nb = w->until;
        const sim_time_t o = on_start_le(c, nb);
        if (o >= 0 && w_on_end(c, w, o) > nb) nb = w_on_end(c, w, o);
        if (nb == b) break;
        b = nb;
    }
    *s = a;
    *e = b;
}

sim_time_t drx_next_active(const mac_cell *c, const drx_win *w, sim_time_t t)
{
    sim_time_t s, e;
    active_interval(c, w, t, &s, &e);
    return s > t ? s : t;
}

static void drx_win_of(const mac_cell *c, const mac_dev *d, drx_win *w)
{
    w->from = d->drx_from;
    w->until = d->drx_until;
    w->cut = d->drx_cut;
    w->ce = d->ce;
}

int64_t drx_wait(const mac_cell *c, const mac_dev *d, sim_time_t a, sim_time_t b, int64_t *sleep_us)
{
    *sleep_us = 0;
    /* b < a: new data within the 3 ms before the device listens again */
    if (b <= a) return 0;
    if (!drx_applies(c, d)) return sched_monitor_us(c, d->ce, a, b);
    drx_win w;
    drx_win_of(c, d, &w);
    int64_t rx = 0, awake = 0;
    for (sim_time_t t = a; t < b;) {
        sim_time_t s, e;
        active_interval(c, &w, t, &s, &e);
        if (s >= b) break;
        if (s < t) s = t;
        if (e > b) e = b;
        awake += e - s;
        rx += sched_monitor_us(c, d->ce, s, e);
        t = e;
    }
    *sleep_us = (b - a) - awake;
    return rx;
}

/* NB-IoT: the window of `pp` PDCCH periods from the first NPDCCH occasion
 * at or after t (where the HARQ RTT timer ends, deltaPDCCH). */
static void nb_window(mac_cell *c, mac_dev *d, sim_time_t t, int pp)
{
    d->drx_from = sched_ss_next(c, d->ce, t);
    d->drx_until = pp > 0 ? sched_ss_after(c, d->ce, d->drx_from, pp) : d->drx_from;
}

/* LTE-M: after a transmission ending at `end`, the inactivity window (if
 * it still runs) joined with a retransmission timer of `psf` subframes
 * from the RTT's end. */
static void lt_window(mac_dev *d, sim_time_t end, sim_time_t rtt, int psf)
{
    const int running = d->drx_until > end;
    d->drx_from = running ? end : rtt;
    const sim_time_t u = rtt + (sim_time_t)psf * SIM_MS;
    if (!running) d->drx_until = rtt;
    if (u > d->drx_until) d->drx_until = u;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

void drx_after_ul(mac_cell *c, mac_dev *d, sim_time_t end)
{
    if (!drx_applies(c, d)) return;
    const mac_cdrx_cfg *x = &c->r.cdrx;
    /* UL HARQ RTT timer: 4 subframes from the last NPUSCH/PUSCH subframe
     * (NB-IoT: to the next NPDCCH occasion), i.e. 3 ms after its end */
    const sim_time_t rtt = end + 3 * SIM_MS;
    if (c->r.rat == MAC_RAT_NBIOT) {
        nb_window(c, d, rtt, imax(x->inactivity, x->ul_retransmission));
        return;
    }
    /* drx-InactivityTimer from the DCI (drx_on_dci) may still run; the
     * window is the hull of it and drx-ULRetransmissionTimer (a gap of at
     * most the 3 ms RTT between them is counted awake) */
    lt_window(d, end, rtt, x->ul_retransmission);
}

void drx_after_dl(mac_cell *c, mac_dev *d, sim_time_t ack_end, int failed)
{
    if (!drx_applies(c, d)) return;
    const mac_cdrx_cfg *x = &c->r.cdrx;
    /* HARQ RTT timer: NB-IoT k + 3 + N + deltaPDCCH (the first occasion
     * from 3 subframes after the feedback), LTE-M 7 + N after the PDSCH,
     * i.e. 3 ms after the HARQ-ACK ends */
    const sim_time_t rtt = ack_end + 3 * SIM_MS;
    if (c->r.rat == MAC_RAT_NBIOT) {
        nb_window(c, d, rtt, imax(x->inactivity, failed ? x->retransmission : 0));
        return;
    }
    lt_window(d, ack_end, rtt, failed ? x->retransmission : 0);
}

void drx_reset(mac_dev *d)
{
    d->drx_from = d->drx_until = 0;
    d->drx_cut = -1;
}

void drx_on_dci(mac_cell *c, mac_dev *d, sim_time_t dci_start, sim_time_t dci_end, int new_tx)
{
    if (!drx_applies(c, d)) return;
    if (c->r.rat == MAC_RAT_NBIOT) {
        /* any DCI for a transmission stops onDurationTimer: the rest of the
         * on-duration it came in is sleep unless a timer runs */
        const sim_time_t s = on_start_le(c, dci_start);
        if (s >= 0 && on_end(c, d->ce, s) > dci_start) d->drx_cut = s;
        return;
    }
    if (!new_tx) return; /* a retransmission does not restart it */
    /* LTE-M: drx-InactivityTimer from the subframe after the MPDCCH's last
     * repetition, in PDCCH subframes */
    const sim_time_t u = dci_end + (sim_time_t)c->r.cdrx.inactivity * SIM_MS;
    if (d->drx_until <= dci_end) d->drx_from = dci_end;
    if (u > d->drx_until) d->drx_until = u;
}

const drx_win *drx_win_for(const mac_cell *c, const mac_dev *d, drx_win *buf)
{
    if (!drx_applies(c, d)) return NULL;
    drx_win_of(c, d, buf);
    return buf;
}

void drx_setup(mac_cell *c)
{
    const mac_cdrx_cfg *x = &c->r.cdrx;
    const sim_time_t C = (sim_time_t)x->cycle_sf * SIM_MS,
                     off = (sim_time_t)x->start_offset * SIM_MS;
    c->drx_cycle = C;
    c->drx_offset = off;
    /* the longest cycle: the last one of an SFN cycle may exceed C */
    const sim_time_t longest = drx_longest_cycle(C, off, SFN_CYCLE);
    for (int k = 0; k < c->r.n_ce; k++) {
        /* NB-IoT: pp, the level's search-space period; LTE-M: subframes */
        c->drx_on[k] =
            (sim_time_t)x->on_duration * (c->r.rat == MAC_RAT_NBIOT ? c->ss_period[k] : SIM_MS);
        c->drx_always[k] = c->drx_on[k] >= longest;
    }
}
