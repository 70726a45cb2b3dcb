/* campaign.c: a firmware update campaign (issue 18), unicast or SC-PTM.
 *
 * Unicast: at its trigger (start_s plus a uniform spread) each target gets
 * the image queued as an ITEM_FOTA with its network commands (sleep.c,
 * connected.c): paged at once if it monitors paging (trigger "page"), else
 * taken at its next connection (PSM devices, trigger "next_connection").
 * The connection fetches it in the radio's largest downlink blocks
 * (Cat-NB1 680 bits, TS 36.306 4.1C; Cat-M1 1000 bits) at the repetitions
 * its coupling loss needs (mac_dl_select), each with its DCI in the
 * device's search space, HARQ (harq_max_tx) and, when HARQ gives up, RLC
 * ARQ (TS 36.322 5.2.1, maxRetxThreshold: max_block_tries).
 *
 * Multicast: SC-PTM (Rel-14, TS 36.331 5.8a): rounds at start_s + lead_s
 * + k repeat_s. A round's receivers are the targets not yet served that
 * monitor paging then (DRX, eDRX: told by the SC-MCCH change notification
 * within lead_s; a PSM target learns of the campaign at its next
 * connection and stays out of PSM until the round, campaign_hold). One
 * session (or one per CE level, per_level): the SC-MCCH message
 * (SCPTMConfiguration-NB) then the image on SC-MTCH, every block a DCI of
 * the repetitions the worst receiver needs out of npdcch-NumRepetitions-
 * SC-MTCH-r14 (TS 36.213 16.6, type 2A) and an NPDSCH of its grant. The
 * blocks are booked on the cell's downlink through sched_dl, in the
 * level's search space (the SC-MTCH search space has its own start and
 * offset, npdcch-StartSF/Offset-SC-MTCH-r14: modelled by the level's,
 * same period rule). A receiver stays in RX from the SC-MCCH to the last
 * block: blocks follow each other within drx-InactivityTimerSCPTM (TS
 * 36.321 5.7a), so it never sleeps in between (assumed). SC-MTCH has no
 * HARQ: each receiver loses each block with its BLER at the session's
 * grant (NB-IoT: its own SNR; LTE-M: the worst receiver's, an upper
 * bound); lost blocks are fetched by unicast afterwards (repair), and
 * targets no round reached get the whole image by unicast after the last.
 *
 * The secure update (device cost, settable): verify_s + size x
 * (hash_s_per_kb + flash_s_per_kb) of MCU time at mcu_mw once the image
 * is complete; the image counts as updated when that ends.
 */
#include "mac/campaign.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RNG_FOTA_SPREAD = 20, RNG_FOTA_LOSS = 21 };

const char *mac_campaign_group_next(const char *p, size_t *len)
{
    if (!p || !*p) return NULL;
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    while (n && *p == ' ')
        p++, n--;
    while (n && p[n - 1] == ' ')
        n--;
    *len = n;
    return p;
}

static int in_groups(const char *list, const char *name)
{
    if (!list[0]) return 1;
    size_t n;
    for (const char *p = list; (p = mac_campaign_group_next(p, &n)) != NULL;) {
        if (n == strlen(name) && strncmp(p, name, n) == 0) return 1;
        p = strchr(p, ',');
        if (p) p++;
    }
    return 0;
}

void mac_campaign_default(mac_campaign_cfg *k)
{
    *k = (mac_campaign_cfg){.mode = MAC_FOTA_NONE,
                            .image_bytes = 200e3,
                            .start_s = 0,
                            .trigger = MAC_FOTA_PAGE,
                            .spread_s = 0,
                            .max_block_tries = 8,
                            .max_parallel = 32,
                            .per_level = 1,
                            .sessions = 3,
                            .repeat_s = 3600,
                            .lead_s = 10.24,
                            .mcch_reps = 0,
                            .mtch_reps = 0,
                            .mcch_bytes = 32,
                            .repair = 1,
                            .verify_s = 0.23,
                            .hash_s_per_kb = 3.1e-3,
                            .flash_s_per_kb = 31.7e-3,
                            .mcu_mw = 10.0};
}

static sim_time_t mcu_time(const mac_cell *c)
{
    const mac_campaign_cfg *k = &c->r.campaign;
    const double kb = k->image_bytes / 1024.0;
    sim_time_t t;
    sim_time_from_s(k->verify_s + kb * (k->hash_s_per_kb + k->flash_s_per_kb), &t);
    return t;
}

/* The image (or a repair of `bytes`) queued for a device, paged now if it
 * monitors and the trigger pages. */
static void queue_image(mac_cell *c, uint32_t id, sim_time_t now, uint32_t bytes, int page)
{
    mac_dev *d = &c->devs[id];
    c->fota->wait[id] = FW_UNICAST;
    if (mac_item_push(c, &d->dl_head, &d->dl_tail, &d->dl_pending, ITEM_FOTA, now, bytes) ==
        NO_REPORT)
        return;
    sim_time_t delay;
    sim_time_from_s(c->r.paging.delay_ms / 1e3, &delay);
    if (page && sleep_monitors(c, d) && !d->paging)
        c->proc->idle_page(c, id, now + delay);
    else if (d->state == ST_INACTIVE)
        c->proc->conn_new_command(c, id, now);
    /* otherwise its next connection (or the ongoing one) takes it */
}

/* The server's unicast throttle (max_parallel): every unicast fetch of the
 * campaign (a unicast target's image, a multicast receiver's repair, a
 * straggler's image) takes a slot, or waits in order for one. Returns 1
 * when the slot was taken now (the caller queues the image), 0 when the
 * fetch waits (bytes and page kept for unicast_next). */
static int slot_take(mac_cell *c, uint32_t id, uint32_t bytes, int page)
{
    mac_fota *f = c->fota;
    const uint32_t cap = (uint32_t)c->r.campaign.max_parallel;
    f->wait[id] = FW_UNICAST;
    if (cap > 0 && f->active >= cap) { /* waits for a finished target */
        f->queue[f->q_n++] = id;
        f->qbytes[id] = bytes;
        f->qpage[id] = (uint8_t)page;
        return 0;
    }
    f->active++;
    f->slot[id] = 1;
    return 1;
}

/* EV_FOTA: a unicast trigger (target: device), or (data 1) after the last
 * multicast round, the whole image by unicast for every target no round
 * reached. */
static void on_fota(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_fota *f = c->fota;
    const uint32_t bytes = (uint32_t)c->r.campaign.image_bytes;
    const int page = c->r.campaign.trigger == MAC_FOTA_PAGE;
    if (ev->data == 1) {
        for (uint32_t id = 0; id < c->n_devs; id++)
            if (f->status[id] == FS_PENDING && f->wait[id] == FW_SESSION &&
                c->devs[id].state != ST_MCAST && slot_take(c, id, bytes, page))
                queue_image(c, id, ev->time, bytes, page);
        return;
    }
    if (slot_take(c, ev->target, bytes, page)) queue_image(c, ev->target, ev->time, bytes, page);
}

/* Unicast target id finished (updated or failed) or paging it gave up: if
 * it held a throttle slot, the next waiting target is triggered now. A
 * target whose page went unanswered takes its image at its next connection
 * without holding a slot: otherwise max_parallel unreachable targets (deep
 * coverage, no reports) would stall the campaign for good. */
static void unicast_next(mac_cell *c, uint32_t id, sim_time_t now)
{
    mac_fota *f = c->fota;
    if (!f->slot[id]) return;
    f->slot[id] = 0;
    f->active--;
    if (f->q_head < f->q_n) {
        const uint32_t next = f->queue[f->q_head++];
        f->active++;
        f->slot[next] = 1;
        queue_image(c, next, now, f->qbytes[next], f->qpage[next]);
    }
}

void campaign_unreached(mac_cell *c, uint32_t id, sim_time_t now)
{
    if (c->fota) unicast_next(c, id, now);
}

/* A receiver's block loss probability at the session's grant g: at its
 * own coupling loss (the worst receiver's is g->bler). */
static double rx_bler(const mac_cell *c, const mac_dev *d, const phy_dl_grant *g)
{
    const phy_link_cfg *l = &c->glink[d->group];
    return c->r.rat == MAC_RAT_NBIOT ? phy_dl_grant_bler(l, d->cl_db, g)
                                     : phy_ltem_dl_grant_bler(l, d->cl_db, g);
}

static void session_start(mac_cell *c, uint32_t i, sim_time_t now);

/* Books the session's next block from now (through the scheduler, after
 * whatever others booked before: the eNB interleaves its unicast traffic
 * between the session's blocks, first come first served), or, none left,
 * ends the session for its receivers. */
static void on_block(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_fota *f = c->fota;
    fota_sess *ss = &f->sess[ev->target];
    if (ss->left == 0) {
        /* the receivers listened to the level's search spaces (its DCIs
         * among them) and to the NPDSCHs; in between light sleep: the
         * blocks come every search-space period, within
         * drx-InactivityTimerSCPTM of one another (TS 36.321 5.7a) */
        for (uint32_t i = 0; i < ss->n; i++) {
            const uint32_t id = ss->rx[i];
            f->rx1[id] = ev->time;
            /* the repair: the lost blocks' bytes */
            sim_schedule(e, ev->time, EV_FOTA_SESSION_END, id, 0,
                         (uint64_t)f->missed[id] * ss->g.tbs / 8);
        }
        free(ss->rx);
        ss->rx = NULL;
        if (ss->next != UINT32_MAX) session_start(c, ss->next, ev->time);
        return;
    }
    dl_slot s;
    /* SC-PTM on the anchor (sc-mcch-CarrierConfig-r14 absent; SC-PTM on a
     * non-anchor carrier is not modelled) */
    sched_dl(c, 0, ss->ce, ev->time, ss->rt, ss->g.n_subframes, ss->flags, SIM_NEVER, NULL, &s);
    c->fota_dl_us += (double)(s.dci_end - s.dci_start + s.pdsch_end - s.pdsch_start);
    ss->pdsch_us += s.pdsch_end - s.pdsch_start;
    ss->left--;
    sim_schedule(e, s.pdsch_end, EV_FOTA_BLOCK, ev->target, 0, 0);
}

/* Prepares an SC-PTM session for the receivers rx[0, n) (taken over): the
 * grants of its worst receiver. Its index, or UINT32_MAX out of memory. */
static uint32_t session_new(mac_cell *c, uint32_t *rx, uint32_t n)
{
    mac_fota *f = c->fota;
    const mac_campaign_cfg *k = &c->r.campaign;
    if (f->n_sess == f->sess_cap) {
        const uint32_t cap = f->sess_cap ? 2 * f->sess_cap : 16;
        fota_sess *v = realloc(f->sess, cap * sizeof *v);
        if (!v) return UINT32_MAX;
        f->sess = v;
        f->sess_cap = cap;
    }
    fota_sess *ss = &f->sess[f->n_sess];
    uint32_t w = rx[0];
    for (uint32_t i = 1; i < n; i++)
        if (c->devs[rx[i]].cl_db > c->devs[w].cl_db) w = rx[i];
    const mac_dev *d = &c->devs[w];
    const phy_link_cfg *l = &c->glink[d->group];
    /* the block: the radio's largest (SC-MTCH carries one per TTI) */
    mac_dl_select(c, l, d->cl_db, c->max_dl_tbs, d->ce, &ss->g);
    phy_dl_grant gm;
    mac_dl_select(c, l, d->cl_db, 8 * (k->mcch_bytes + c->r.l2_overhead_bytes), d->ce, &gm);
    /* Rmax of the SC-MCCH's and SC-MTCH's DCIs: configured, or (0) the
     * worst receiver's level's npdcch-NumRepetitions: the repetitions its
     * unicast DCIs would have (an eNB's choice, TS 36.331 leaves it open) */
    const int rmax = c->r.ce[d->ce].npdcch_rmax;
    ss->rc = mac_dci_reps(c, l, d->cl_db, k->mcch_reps ? k->mcch_reps : rmax, NULL);
    ss->m_sub = gm.n_subframes;
    ss->mflags = sched_narrow_flags(c, l, d->cl_db, ss->rc, &gm);
    ss->rt = mac_dci_reps(c, l, d->cl_db, k->mtch_reps ? k->mtch_reps : rmax, NULL);
    ss->ce = d->ce;
    ss->flags = sched_narrow_flags(c, l, d->cl_db, ss->rt, &ss->g);
    ss->rx = rx;
    ss->n = n;
    ss->left = ((uint64_t)k->image_bytes * 8 + ss->g.tbs - 1) / ss->g.tbs;
    ss->next = UINT32_MAX;
    ss->from = SIM_NEVER; /* not started (a run may end before a later level's turn) */
    ss->pdsch_us = 0;
    return f->n_sess++;
}

/* Starts session i now: the SC-MCCH, then the image's blocks one by one
 * (on_block); its receivers listen from the SC-MCCH on. */
static void session_start(mac_cell *c, uint32_t i, sim_time_t now)
{
    mac_fota *f = c->fota;
    fota_sess *ss = &f->sess[i];
    dl_slot s;
    sched_dl(c, 0, ss->ce, now, ss->rc, ss->m_sub, ss->mflags, SIM_NEVER, NULL, &s); /* anchor */
    ss->from = s.dci_start;
    ss->pdsch_us = s.pdsch_end - s.pdsch_start;
    for (uint32_t j = 0; j < ss->n; j++)
        f->rx0[ss->rx[j]] = ss->from;
    c->fota_dl_us += (double)(s.dci_end - s.dci_start + s.pdsch_end - s.pdsch_start);
    sim_schedule(c->engine, s.pdsch_end, EV_FOTA_BLOCK, i, 0, 0);
}

/* EV_FOTA_SESSION: round ev->target. */
/* A target hears of a round at `now`: it monitors paging and had a paging
 * occasion in the lead time before it, where the SC-MCCH change
 * notification reached it (a DCI at its occasions, TS 36.331 5.8a.1.4:
 * an eDRX device only inside its paging time windows). */
static int notified(const mac_cell *c, uint32_t id, sim_time_t now)
{
    if (!sleep_monitors(c, &c->devs[id])) return 0;
    sim_time_t lead;
    if (sim_time_from_s(c->r.campaign.lead_s, &lead) != 0) lead = now;
    const idle_paging p = sleep_dev_paging(c, id);
    return idle_next_po(&p, now > lead ? now - lead : 0) < now;
}

static void on_session(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_fota *f = c->fota;
    const mac_campaign_cfg *k = &c->r.campaign;
    const sim_time_t now = ev->time;
    /* targets this round cannot reach (asleep in PSM, busy, or an eDRX
     * device without an occasion in the lead time): a next round */
    uint32_t left = 0;
    for (uint32_t id = 0; id < c->n_devs; id++)
        left += f->status[id] == FS_PENDING && f->wait[id] == FW_SESSION && !notified(c, id, now);
    const int levels = k->per_level ? c->r.n_ce : 1;
    uint32_t prev = UINT32_MAX;
    for (int ce = 0; ce < levels; ce++) {
        uint32_t n = 0;
        for (uint32_t id = 0; id < c->n_devs; id++) {
            const mac_dev *d = &c->devs[id];
            n += f->status[id] == FS_PENDING && f->wait[id] == FW_SESSION && notified(c, id, now) &&
                 (!k->per_level || d->ce_base == ce);
        }
        if (n == 0) continue;
        uint32_t *rx = malloc(n * sizeof *rx);
        if (!rx) {
            c->oom = 1;
            sim_engine_stop(e);
            return;
        }
        n = 0;
        for (uint32_t id = 0; id < c->n_devs; id++) {
            const mac_dev *d = &c->devs[id];
            if (f->status[id] == FS_PENDING && f->wait[id] == FW_SESSION && notified(c, id, now) &&
                (!k->per_level || d->ce_base == ce)) {
                f->rx0[id] = SIM_NEVER; /* until its session starts */
                rx[n++] = id;
            }
        }
        const uint32_t si = session_new(c, rx, n);
        if (si == UINT32_MAX) {
            free(rx);
            c->oom = 1;
            sim_engine_stop(e);
            return;
        }
        /* per level: one session after the other, the best covered first
         * (its receivers listen the least); the later ones' receivers
         * sleep lightly until theirs starts */
        if (prev != UINT32_MAX)
            f->sess[prev].next = si;
        else
            session_start(c, si, now);
        prev = si;
        const fota_sess *ss = &f->sess[si];
        f->sessions++;
        for (uint32_t i = 0; i < n; i++) {
            const uint32_t id = rx[i];
            mac_dev *d = &c->devs[id];
            c->proc->idle_leave(c, id, now); /* books its idle time up to now */
            d->state = ST_MCAST;
            mac_set_proc(c, d, ENERGY_PROC_FOTA);
            mac_enter(c, d, ENERGY_IDLE, now);
            f->rx1[id] = SIM_NEVER; /* until its last block is booked */
            f->sid[id] = si;
            sim_rng r = mac_rng(c, id, RNG_FOTA_LOSS, ev->target);
            gsl_rng gr;
            sim_rng_as_gsl(&r, &gr);
            const double p = rx_bler(c, d, &ss->g);
            /* a receiver keeps the blocks it got (SC-MTCH blocks carry
             * their numbers in the application's framing: an assumption):
             * after a first session it needs only those it lost */
            const unsigned need = f->heard[id] ? f->missed[id] : (unsigned)ss->left;
            f->heard[id] = 1;
            f->missed[id] = p > 0 ? gsl_ran_binomial(&gr, p, need) : 0;
            f->lost[id] += f->missed[id];
        }
    }
    const uint32_t next = (uint32_t)ev->target + 1;
    const sim_time_t at = now + (sim_time_t)(k->repeat_s * 1e6);
    /* without repair a receiver that lost blocks waits for a next round
     * too: rounds go on while any target is pending */
    uint32_t pending = left;
    for (uint32_t id = 0; !k->repair && id < c->n_devs; id++)
        pending += f->status[id] == FS_PENDING;
    if (pending > 0 && next < (uint32_t)k->sessions && at < c->cfg.duration)
        sim_schedule(e, at, EV_FOTA_SESSION, next, 0, 0);
    else if (k->repair) /* the stragglers: unicast once this round's sessions started */
        sim_schedule(e, now + 1, EV_FOTA, 0, 0, 1);
}

int64_t campaign_rx_time(const mac_cell *c, const fota_sess *ss, sim_time_t t)
{
    if (ss->from == SIM_NEVER || t <= ss->from) return 0;
    const int64_t rx = sched_monitor_us(c, ss->ce, ss->from, t) + ss->pdsch_us;
    return rx < t - ss->from ? rx : t - ss->from;
}

static void on_session_end(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_fota *f = c->fota;
    const uint32_t id = ev->target;
    mac_dev *d = &c->devs[id];
    /* its reception, before and between light sleep */
    energy_enter_split(&d->energy, ENERGY_RX, mac_power(c, d, ENERGY_RX),
                       campaign_rx_time(c, &f->sess[f->sid[id]], ev->time), ENERGY_IDLE,
                       mac_power(c, d, ENERGY_IDLE), ev->time);
    f->rx1[id] = 0;
    f->wait[id] = FW_UNICAST; /* served by this session (its repair, if any, by unicast) */
    if (ev->data == 0)
        campaign_received(c, id, ev->time, 1);
    else if (!c->r.campaign.repair)
        f->wait[id] = FW_SESSION; /* the whole image again in a next round */
    else if (slot_take(c, id, (uint32_t)ev->data, 1))
        mac_item_push(c, &d->dl_head, &d->dl_tail, &d->dl_pending, ITEM_FOTA, ev->time,
                      (uint32_t)ev->data);
    /* idle again: pages it for a repair with a slot (sleep_enter; one
     * waiting for a slot is paged when it gets one), or its reports */
    c->proc->idle_enter(c, id, ev->time, MAC_IDLE_NO_NAS); /* T3412, T3324 run on */
}

static void on_verified(sim_engine *e, const sim_event *ev, void *ctx)
{
    mac_cell *c = ctx;
    mac_fota *f = c->fota;
    f->status[ev->target] = FS_DONE;
    f->done_s[ev->target] = sim_time_to_s(ev->time);
    unicast_next(c, ev->target, ev->time);
}

void campaign_received(mac_cell *c, uint32_t id, sim_time_t rx_end, int ok)
{
    mac_fota *f = c->fota;
    if (!f || f->status[id] != FS_PENDING) return;
    if (!ok) {
        f->status[id] = FS_FAILED;
        unicast_next(c, id, sim_now(c->engine));
        return;
    }
    f->wait[id] = FW_VERIFY;
    const sim_time_t t = mcu_time(c), now = sim_now(c->engine);
    f->mcu_j[id] = c->r.campaign.mcu_mw * sim_time_to_s(t) / 1e3;
    sim_schedule(c->engine, rx_end + t > now ? rx_end + t : now, EV_FOTA_VERIFIED, id, 0, 0);
}

int campaign_hold(const mac_cell *c, uint32_t id, sim_time_t now)
{
    const mac_fota *f = c->fota;
    if (!f || c->r.campaign.mode != MAC_FOTA_MULTICAST || now < f->start) return 0;
    return f->status[id] == FS_PENDING && f->wait[id] == FW_SESSION && now < f->last_round;
}

int campaign_setup(mac_cell *c, sim_engine *e)
{
    const mac_campaign_cfg *k = &c->r.campaign;
    if (k->mode == MAC_FOTA_NONE) return 0;
    mac_fota *f = calloc(1, sizeof *f);
    if (!f) return -1;
    c->fota = f;
    const size_t n = (size_t)c->n_devs + 1;
    f->status = calloc(n, 1);
    f->wait = calloc(n, 1);
    f->done_s = malloc(n * sizeof *f->done_s);
    f->mcu_j = calloc(n, sizeof *f->mcu_j);
    f->missed = calloc(n, sizeof *f->missed);
    f->lost = calloc(n, sizeof *f->lost);
    f->heard = calloc(n, 1);
    f->rx0 = calloc(n, sizeof *f->rx0);
    f->rx1 = calloc(n, sizeof *f->rx1);
    f->sid = calloc(n, sizeof *f->sid);
    f->slot = calloc(n, 1);
    f->qpage = calloc(n, 1);
    f->qbytes = calloc(n, sizeof *f->qbytes);
    f->queue = malloc(n * sizeof *f->queue);
    if (!f->queue || !f->status || !f->wait || !f->done_s || !f->mcu_j || !f->missed || !f->lost ||
        !f->heard || !f->rx0 || !f->sid || !f->rx1 || !f->slot || !f->qpage || !f->qbytes)
        return -1;
    sim_time_from_s(k->start_s, &f->start);
    sim_time_t lead, rep;
    sim_time_from_s(k->lead_s, &lead);
    sim_time_from_s(k->repeat_s, &rep);
    f->last_round = f->start + lead + (sim_time_t)(k->sessions - 1) * rep;
    for (uint32_t id = 0; id < c->n_devs; id++) {
        const mac_dev *d = &c->devs[id];
        f->done_s[id] = NAN;
        if (!in_groups(k->groups, c->cfg.groups[d->group].name)) continue;
        f->n_targets++;
        /* out of coverage: no cell to deliver it in */
        f->status[id] = d->ce_base >= MAC_MAX_CE ? FS_FAILED : FS_PENDING;
        if (f->status[id] != FS_PENDING || k->mode != MAC_FOTA_UNICAST) continue;
        sim_rng r = mac_rng(c, id, RNG_FOTA_SPREAD, 0);
        const sim_time_t at = f->start + (sim_time_t)(sim_rng_uniform(&r) * k->spread_s * 1e6);
        if (at < c->cfg.duration) sim_schedule(e, at, EV_FOTA, id, 0, 0);
    }
    if (k->mode == MAC_FOTA_MULTICAST && f->start + lead < c->cfg.duration)
        sim_schedule(e, f->start + lead, EV_FOTA_SESSION, 0, 0, 0);
    return 0;
}

void campaign_register(mac_cell *c, sim_engine *e)
{
    sim_engine_on(e, EV_FOTA, on_fota, c);
    sim_engine_on(e, EV_FOTA_SESSION, on_session, c);
    sim_engine_on(e, EV_FOTA_SESSION_END, on_session_end, c);
    sim_engine_on(e, EV_FOTA_VERIFIED, on_verified, c);
    sim_engine_on(e, EV_FOTA_BLOCK, on_block, c);
}
