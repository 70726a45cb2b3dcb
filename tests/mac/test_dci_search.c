/* test_dci_search.c: the NB-IoT DCI slot search (mac/sched.c dci_slot,
 * through sched_dl) against a brute-force reference written here.
 *
 * The reference walks the level's search spaces in index order and each
 * space's candidates in j order, skipping nothing: spaces start where
 * (10 SFN + subframe) mod T = floor(alpha T), T = Rmax x G subframes,
 * restarting every 10240 subframes (counted here from the configuration,
 * not from sched.c); a device listening from t takes the spaces starting
 * at or after t, with connected-mode DRX only those starting in its Active
 * Time (drx_next_active(ss) == ss); candidate j of a space starts at its
 * (j R)-th valid downlink subframe and lasts R valid subframes (valid
 * subframes from the cell's map table, counted here); it is taken when
 * its subframes and, with an NPDSCH of `pdsch` valid subframes, the
 * NPDSCH from the first valid subframe at or after the DCI's end + 4 ms
 * (TS 36.213 16.4.1) overlap no reservation. Reservations are mirrored in
 * a plain sorted array (the cell's timeline c->car[0].dl[0] holds the same).
 *
 * Cells: the defaults (three levels, G = 2), a level with Rmax 8 and
 * G = 1.5, Rmax 64 with G = 1.5 (spaces of Rmax valid subframes then can
 * outlast their period around invalid subframes and at the SFN wrap, so
 * candidates of consecutive spaces interleave), an offset alpha, SIB1-NB
 * with 16 repetitions; each without and with connected-mode DRX (cycles
 * 256 and 512 subframes, random timer windows and stopped on-durations as
 * drx.c keeps them). The downlink is booked 60-95 % with random intervals
 * (ms-aligned and not, with a few long gaps) over a few seconds around
 * the SFN wraps; every search is checked on dci_start, dci_end,
 * pdsch_start and pdsch_end, and reserved as sched_dl does (the mirror
 * follows). Deadlines: -1 when the first fit starts after `latest`, the
 * first fit when no candidate visited before it in (space, j) order
 * starts after `latest`; otherwise (interleaved spaces: an earlier
 * space's failing candidate after `latest`, a later one's fit before it)
 * dci_slot may stop with -1 at that candidate or pass it over as proven
 * to fail: either is accepted and counted.
 *
 * Targeted rounds book single subframes around the spaces that outlast
 * the next one's start and search from just before them. At 61e0c7a the
 * search fails there (Rmax 64, G = 1.5, the last space of an SFN cycle):
 * a candidate of space k that meets a reservation raises the search's
 * lower bound to the end of that busy run, and the next space's
 * candidates that start before it (never examined) are passed over.
 *
 * LTE-M cells (mac_radio_cfg_default_ltem, checked by mac_radio_cfg_check)
 * with 1 to 4 downlink narrowbands: every subframe a BL/CE DL subframe;
 * MPDCCH spaces on the same grid (the level's Rmax and G, TS 36.213
 * 9.1.5); the reference starts from the space in progress at t (the last
 * one starting at or before t) and takes, in (space, j) order, the first
 * candidate at or after t that starts in the Active Time (with DRX,
 * drx_next_active(d0) == d0, per candidate) and is free with its PDSCH (in
 * the 2nd subframe after the MPDCCH's last one, d1 + 1 ms) on some
 * narrowband, the first in index order. Each narrowband's mirrors follow
 * dl_conflict / reserve_dl: DCIs, PDSCHs, and the items wider than their
 * share; a DCI meets the DCIs and (narrow) the wide items or (wide) all
 * PDSCHs, a PDSCH likewise. Bookings: one kind then the other on each
 * narrowband, wide or narrow at random (an item that fits neither way is
 * dropped), 60-95 % of each narrowband's time covered; searches with
 * random SCHED_DCI_NARROW / SCHED_DATA_NARROW flags, the same deadline
 * rule. With every subframe valid only G = 1.5 gives a period that does
 * not divide 10240; the cycle's last space is then followed Rmax / 2
 * (Rmax 2, 8, 32, 128) or Rmax (4, 64, 256) subframes after its start, so
 * the two spaces overlap, but their candidates lie on one grid (R divides
 * Rmax / 2, or R = Rmax and each has one): a candidate of the older space
 * at or after the newer one's start is also one of the newer, and the
 * (space, j) order never visits a failing candidate after a later fit
 * (counted: "past an interleaved candidate", 0) nor passes over a free
 * one of the older space before the fit ("older space", 0). */
#include "tests/check.h"
#include "tests/mac/ivl_ref.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SFN_MS 10240
#define H_MS   100000 /* reference horizon (ms); bookings end before 32 s */

/* the PRNG and the sorted-array reference: ivl_ref.h */

/* ------------------------------------------------------------- reference */

/* valid downlink subframes over [0, H_MS): vl[i] the i-th, cnt[k] those
 * before subframe k */
static int32_t vl[H_MS], cnt[H_MS + 1], nvl;
/* search-space starts (ms) of the level under test, increasing */
static int64_t ssv[H_MS];
static int nss;
static int64_t ov[H_MS]; /* starts of spaces that outlast the next one's start */

static ref mr; /* the carrier's reservations mirrored */

static int mr_free(sim_time_t s, sim_time_t e)
{
    return ref_free(&mr, s, e);
}

static void mr_add(sim_time_t s, sim_time_t e)
{
    if (e > s) ref_add(&mr, s, e);
}

static void build_valid(const mac_cell *c)
{
    nvl = 0;
    for (int k = 0; k < H_MS; k++) {
        cnt[k] = nvl;
        if (c->dlmap.valid[k % 2560]) vl[nvl++] = k;
    }
    cnt[H_MS] = nvl;
}

static void build_spaces(int rmax, double g, double alpha)
{
    const int64_t T = llround(rmax * g), off = (int64_t)floor(alpha * (double)T);
    nss = 0;
    for (int64_t cyc = 0; cyc * SFN_MS < H_MS; cyc++)
        for (int64_t s = off; s < SFN_MS; s += T)
            if (cyc * SFN_MS + s < H_MS) ssv[nss++] = cyc * SFN_MS + s;
}

typedef struct ref_res {
    sim_time_t d0, d1, p0, p1;
    sim_time_t late;    /* latest start of a candidate visited before the fit */
    int late_k, late_j; /* that candidate: space (index from time 0) and j */
    int k, j;           /* the fit's */
    int64_t cands;      /* candidates visited */
} ref_res;

/* The first fit in (space, j) order; 0, or -1 past the horizon. */
static int ref_first(const mac_cell *c, int rmax, sim_time_t t, int R, int pdsch, const drx_win *w,
                     ref_res *r)
{
    const int cands = R < rmax ? rmax / R : 1;
    r->late = INT64_MIN;
    r->cands = 0;
    for (int k = 0; k < nss; k++) {
        const sim_time_t ss = ssv[k] * SIM_MS;
        if (ss < t) continue;
        if (w && drx_next_active(c, w, ss) != ss) continue;
        for (int j = 0; j < cands; j++) {
            const int64_t b = cnt[ssv[k]] + (int64_t)j * R;
            if (b + R > nvl) return -1;
            const sim_time_t d0 = (sim_time_t)vl[b] * SIM_MS,
                             d1 = (sim_time_t)(vl[b + R - 1] + 1) * SIM_MS;
            sim_time_t p0 = d1, p1 = d1;
            int ok = mr_free(d0, d1);
            if (pdsch > 0) {
                const int64_t m = d1 / SIM_MS + 4; /* d1 is ms-aligned */
                if (m >= H_MS || cnt[m] + pdsch > nvl) return -1;
                p0 = (sim_time_t)vl[cnt[m]] * SIM_MS;
                p1 = (sim_time_t)(vl[cnt[m] + pdsch - 1] + 1) * SIM_MS;
                ok = ok && mr_free(p0, p1);
            }
            r->cands++;
            if (ok) {
                r->d0 = d0, r->d1 = d1, r->p0 = p0, r->p1 = p1;
                r->k = k, r->j = j;
                return 0;
            }
            if (d0 > r->late) r->late = d0, r->late_k = k, r->late_j = j;
        }
    }
    return -1;
}

/* --------------------------------------------------------------- the cell */

typedef struct scen {
    const char *name;
    int ce;         /* level under test */
    int rmax;       /* its npdcch_rmax (0: default) */
    double g;       /* its npdcch_g (0: default) */
    double alpha;   /* its npdcch_offset */
    int sib1;       /* sib1_reps (0: default) */
    int drx_cycle;  /* 0: no DRX */
    int drx_on;     /* onDurationTimer, PDCCH periods */
    int drx_offset; /* drxStartOffset, subframes */
    int Rs[10];     /* R values (0 ends) */
} scen;

typedef struct stats {
    int64_t searches, fits, misses, dci_only, ambiguous, amb_minus1, cands, fails, fails_il,
        interleaved, overlaps;
} stats;

/* A cell of one group without traffic on the radio configuration given
 * (both radios' test cells). */
static mac_cell *cell_of(const char *name, sim_engine **e, mac_radio_cfg *radio, mac_group_cfg *g)
{
    mac_group_cfg_default(g);
    g->traffic.kind = TRAFFIC_NONE;
    mac_cell_cfg cc = {
        .radio = radio, .groups = g, .n_groups = 1, .duration = 60 * SIM_S, .seed = 5};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 64};
    *e = sim_engine_create(&ec, &err);
    mac_cell *c = *e ? mac_cell_create(&cc, *e, &err) : NULL;
    if (!c) {
        fprintf(stderr, "%s: cell not created: %s\n", name, err.msg);
        exit(2);
    }
    return c;
}

static mac_cell *make_cell(const scen *s, sim_engine **e, mac_radio_cfg *radio, mac_group_cfg *g)
{
    mac_radio_cfg_default(radio);
    if (s->rmax) radio->ce[s->ce].npdcch_rmax = s->rmax;
    if (s->g > 0) radio->ce[s->ce].npdcch_g = s->g;
    radio->ce[s->ce].npdcch_offset = s->alpha;
    if (s->sib1) radio->sib1_reps = s->sib1;
    if (s->drx_cycle)
        radio->cdrx = (mac_cdrx_cfg){.enabled = 1,
                                     .on_duration = s->drx_on,
                                     .inactivity = 2,
                                     .retransmission = 0,
                                     .ul_retransmission = 0,
                                     .cycle_sf = s->drx_cycle,
                                     .start_offset = s->drx_offset};
    return cell_of(s->name, e, radio, g);
}

/* Books [b0, b1) at density p (percent) with intervals of mean busy_ms. */
static void book(mac_cell *c, sim_time_t b0, sim_time_t b1, int p, int busy_ms)
{
    const double gap_ms = busy_ms * (100.0 - p) / p;
    sim_time_t x = b0;
    while (x < b1) {
        sim_time_t gap = chance(4) ? (30 + below(270)) * SIM_MS
                                   : (sim_time_t)(below((int64_t)(2 * gap_ms * 1000) + 1));
        if (!chance(30)) gap = (gap + SIM_MS / 2) / SIM_MS * SIM_MS; /* mostly ms-aligned */
        sim_time_t s = x + gap;
        if (chance(70)) s = (s + SIM_MS - 1) / SIM_MS * SIM_MS;
        sim_time_t len = (1 + below(2 * busy_ms)) * SIM_MS;
        if (chance(30)) len += below(SIM_MS) - SIM_MS / 2;
        if (s < x + 1) s = x + 1; /* never touching the previous one */
        if (len < 1) len = 1;
        if (tl_add(&c->car[0].dl[0], s, s + len) != 0) abort();
        mr_add(s, s + len);
        x = s + len;
    }
}

/* Books each subframe of [a, b) ms with probability p percent (runs of
 * booked subframes as one interval; some only in part). */
static void book_fine(mac_cell *c, int64_t a, int64_t b, int p)
{
    for (int64_t k = a; k < b;) {
        if (!chance(p)) {
            k++;
            continue;
        }
        int64_t e = k + 1;
        while (e < b && chance(p))
            e++;
        sim_time_t s0 = k * SIM_MS, s1 = e * SIM_MS;
        if (chance(20)) s0 += below(SIM_MS); /* in part */
        if (chance(20)) s1 -= below(SIM_MS);
        if (tl_add(&c->car[0].dl[0], s0, s1) != 0) abort();
        mr_add(s0, s1);
        k = e + 1; /* a free subframe between runs */
    }
}

static void print_slot(const char *who, int rc, const dl_slot *d)
{
    if (rc)
        fprintf(stderr, "    %s: -1\n", who);
    else
        fprintf(stderr, "    %s: dci [%lld, %lld) pdsch [%lld, %lld) us\n", who,
                (long long)d->dci_start, (long long)d->dci_end, (long long)d->pdsch_start,
                (long long)d->pdsch_end);
}

static void run_scen(const scen *s, int rounds, int queries, stats *st)
{
    sim_engine *e;
    mac_radio_cfg radio;
    mac_group_cfg g;
    mac_cell *c = make_cell(s, &e, &radio, &g);
    const int ce = s->ce, rmax = radio.ce[ce].npdcch_rmax;
    build_valid(c);
    build_spaces(rmax, radio.ce[ce].npdcch_g, radio.ce[ce].npdcch_offset);
    /* the cell's space grid is the formula's */
    CHECK(c->ss_period[ce] == llround(rmax * radio.ce[ce].npdcch_g) * SIM_MS);
    for (int i = 0; i < 300; i++) {
        const int k = 1 + (int)below(nss - 1);
        const sim_time_t t = ssv[k] * SIM_MS - below((ssv[k] - ssv[k - 1]) * SIM_MS);
        CHECK(sched_ss_next(c, ce, t) == ssv[k] * SIM_MS);
    }
    /* spaces whose Rmax valid subframes run past the next one's start */
    int nov = 0;
    for (int k = 0; k + 1 < nss && ssv[k + 1] < 40000; k++)
        if (vl[cnt[ssv[k]] + rmax - 1] + 1 > ssv[k + 1]) ov[nov++] = ssv[k];
    st->overlaps = nov;
    int printed = 0;
    for (int ri = 0; ri < 10 && s->Rs[ri]; ri++) {
        const int R = s->Rs[ri];
        for (int round = 0; round < rounds; round++) {
            tl_free(&c->car[0].dl[0]);
            mr.n = 0;
            /* a few seconds booked, often across an SFN wrap */
            static const int wraps[] = {SFN_MS, 2 * SFN_MS};
            sim_time_t b0 =
                chance(60) ? (wraps[below(2)] - 300 - below(1500)) * SIM_MS : below(26000) * SIM_MS;
            sim_time_t b1 = b0 + (2000 + below(3000)) * SIM_MS;
            static const int dens[] = {60, 75, 85, 90, 95};
            static const int busy[] = {1, 3, 8, 25};
            int64_t o = -1; /* fine rounds: around a space that outlasts its period */
            if (nov && round % 2) {
                o = ov[below(nov)];
                if (o < 2000 || o > 35000) o = -1;
            }
            if (o >= 0) {
                const int64_t T = c->ss_period[ce] / SIM_MS;
                b0 = (o - 3 * T) * SIM_MS;
                b1 = (o + 4 * T) * SIM_MS;
                book_fine(c, o - 3 * T, o + 4 * T, dens[below(5)]);
            } else {
                book(c, b0, b1, dens[below(5)], busy[below(4)]);
            }
            for (int q = 0; q < queries; q++) {
                sim_time_t t = o >= 0 ? o * SIM_MS - below(3 * c->ss_period[ce])
                                      : b0 + below(b1 - b0 - 500 * SIM_MS);
                if (chance(50)) t = t / SIM_MS * SIM_MS;
                if (chance(10)) t = sched_ss_next(c, ce, t) - below(2); /* at a start */
                if (o < 0 && nov && chance(35)) {
                    /* just before a space that outlasts its period, inside
                     * the booking */
                    const int64_t os = ov[below(nov)] * SIM_MS;
                    if (os > b0 + 200 * SIM_MS && os < b1 - 500 * SIM_MS)
                        t = os - below(c->ss_period[ce] * (1 + below(3)));
                }
                if (t < 0) t = 0;
                int pdsch = 0;
                if (!chance(25)) {
                    static const int ps[] = {1, 2, 3, 4, 6, 8, 10, 16, 24, 40, 64, 128};
                    pdsch = ps[below(12)];
                }
                drx_win wb, *w = NULL;
                if (s->drx_cycle) {
                    w = &wb;
                    wb = (drx_win){.from = 0, .until = 0, .cut = -1, .ce = ce};
                    if (chance(50)) { /* a timer window from an NPDCCH occasion (nb_window) */
                        wb.from = sched_ss_next(c, ce, t - below(3000) * SIM_MS);
                        wb.until = sched_ss_after(c, ce, wb.from, (int)below(9));
                    }
                    if (chance(30)) { /* a DCI stopped the on-duration in progress */
                        const sim_time_t os =
                            drx_start_le(c->drx_cycle, c->drx_offset, SFN_MS * SIM_MS, t);
                        if (os >= 0) wb.cut = os;
                    }
                }
                ref_res rr;
                const int rrc = ref_first(c, rmax, t, R, pdsch, w, &rr);
                if (rrc != 0) {
                    fprintf(stderr, "%s: reference past its horizon (t %lld, R %d)\n", s->name,
                            (long long)t, R);
                    exit(2);
                }
                st->cands += rr.cands;
                if (rr.late > rr.d0) st->interleaved++; /* a later-starting candidate came first */
                /* the deadline */
                sim_time_t latest = SIM_NEVER;
                const int64_t u = below(100);
                if (u < 12)
                    latest = rr.d0;
                else if (u < 24)
                    latest = rr.d0 - 1;
                else if (u < 36)
                    latest = rr.d0 - below(600 * SIM_MS);
                else if (u < 48)
                    latest = t + below(1500 * SIM_MS);
                else if (u < 60 && rr.late > rr.d0)
                    latest = rr.d0 + below(rr.late - rr.d0); /* between the fit and a late one */
                const int want_fit = rr.d0 <= latest, ambiguous = want_fit && rr.late > latest;
                dl_slot got = {0};
                const int rc = sched_dl(c, 0, ce, t, R, pdsch, 0, latest, w, &got);
                st->searches++;
                if (!pdsch) st->dci_only++;
                int ok;
                if (ambiguous) {
                    st->ambiguous++;
                    if (rc) st->amb_minus1++;
                }
                if (rc == 0)
                    ok = want_fit && got.nb == 0 && got.dci_start == rr.d0 &&
                         got.dci_end == rr.d1 && got.pdsch_start == rr.p0 && got.pdsch_end == rr.p1;
                else
                    ok = !want_fit || ambiguous;
                CHECK(ok);
                if (rc == 0) {
                    st->fits++;
                    mr_add(got.dci_start, got.dci_end);
                    mr_add(got.pdsch_start, got.pdsch_end);
                } else {
                    st->misses++;
                }
                if (!ok) {
                    st->fails++;
                    if (rr.late > rr.d0) st->fails_il++;
                    if (printed++ < 8) {
                        fprintf(stderr,
                                "MISMATCH %s: CE%d Rmax %d G %g alpha %g, t %lld us, R %d, "
                                "pdsch %d, latest %lld",
                                s->name, ce, rmax, radio.ce[ce].npdcch_g,
                                radio.ce[ce].npdcch_offset, (long long)t, R, pdsch,
                                (long long)latest);
                        if (w)
                            fprintf(stderr, ", drx window [%lld, %lld) cut %lld",
                                    (long long)w->from, (long long)w->until, (long long)w->cut);
                        fprintf(stderr, "\n");
                        dl_slot rs = {rr.d0, rr.d1, rr.p0, rr.p1, 0};
                        print_slot("sched_dl ", rc, &got);
                        print_slot("reference", want_fit ? 0 : -1, &rs);
                        fprintf(stderr,
                                "    reference fit: space at %lld ms (next at %lld), j %d\n",
                                (long long)ssv[rr.k], (long long)ssv[rr.k + 1], rr.j);
                        if (rr.late > rr.d0)
                            fprintf(stderr,
                                    "    a failing candidate visited before it starts later: "
                                    "%lld us (space at %lld ms, j %d)\n",
                                    (long long)rr.late, (long long)ssv[rr.late_k], rr.late_j);
                    }
                }
            }
            /* the mirror holds what the timeline holds */
            for (int k = 0; k < 50; k++) {
                const sim_time_t a = b0 + below(b1 - b0), b = a + 1 + below(5 * SIM_MS);
                CHECK((tl_conflict(&c->car[0].dl[0], a, b) == 0) == mr_free(a, b));
            }
        }
    }
    mac_cell_destroy(c);
    sim_engine_destroy(e);
}

/* ------------------------------------------------------------------ LTE-M */

/* The narrowbands' reservations mirrored: [0] DCIs (c->car[0].dl), [1] PDSCHs
 * (c->dld), [2] items wider than their share (c->dlw). */
static ref lm[3][MAC_MAX_DL_NB];

/* dl_conflict's rule, on the mirrors: a DCI (data 0) meets the DCIs and
 * (narrow) the wide items or (wide) the PDSCHs; a PDSCH the same way. */
static int lt_free(int nb, int data, int narrow, sim_time_t s, sim_time_t e)
{
    if (!ref_free(&lm[data][nb], s, e)) return 0;
    return ref_free(narrow ? &lm[2][nb] : &lm[data ? 0 : 1][nb], s, e);
}

static void lt_mirror(int nb, int data, int narrow, sim_time_t s, sim_time_t e)
{
    if (e <= s) return;
    ref_add(&lm[data][nb], s, e);
    if (!narrow) ref_add(&lm[2][nb], s, e);
}

/* reserve_dl's rule: the item on its kind's timeline, a wide one on dlw */
static void lt_book1(mac_cell *c, int nb, int data, int narrow, sim_time_t s, sim_time_t e)
{
    if (tl_add(data ? &c->car[0].dld[nb] : &c->car[0].dl[nb], s, e) != 0) abort();
    if (!narrow && tl_add(&c->car[0].dlw[nb], s, e) != 0) abort();
    lt_mirror(nb, data, narrow, s, e);
}

typedef struct lt_stats {
    int64_t booked[2][2]; /* [data][narrow] items booked */
    int64_t skipped;      /* proposed items that fit neither wide nor narrow */
    int64_t busy_us, span_us;
    double occ_min, occ_max, occ_sum; /* per narrowband and round */
    int64_t occ_n;
} lt_stats;

/* Books one kind (data) on narrowband nb over [b0, b1) at density p with
 * intervals of mean busy_ms, each wide or narrow at random; an item that
 * does not fit as drawn is tried the other way, else dropped (the same
 * conflicts as sched_dl checks, so the timelines stay ones reserve_dl
 * could have built). */
static void lt_book(mac_cell *c, int nb, int data, sim_time_t b0, sim_time_t b1, int p, int busy_ms,
                    lt_stats *ls)
{
    const double gap_ms = busy_ms * (100.0 - p) / p;
    sim_time_t x = b0;
    while (x < b1) {
        sim_time_t gap = below(1000) < 2 ? (30 + below(70)) * SIM_MS /* a rare long gap */
                                         : (sim_time_t)(below((int64_t)(2 * gap_ms * 1000) + 1));
        if (!chance(30)) gap = (gap + SIM_MS / 2) / SIM_MS * SIM_MS;
        sim_time_t s = x + gap;
        if (chance(80)) s = (s + SIM_MS - 1) / SIM_MS * SIM_MS;
        sim_time_t len = (1 + below(2 * busy_ms)) * SIM_MS;
        if (chance(20)) len += below(SIM_MS) - SIM_MS / 2;
        if (s < x + 1) s = x + 1;
        if (len < 1) len = 1;
        int narrow = chance(50);
        if (!lt_free(nb, data, narrow, s, s + len)) narrow = !narrow;
        if (lt_free(nb, data, narrow, s, s + len)) {
            lt_book1(c, nb, data, narrow, s, s + len);
            ls->booked[data][narrow]++;
            ls->busy_us += len;
        } else {
            ls->skipped++;
        }
        x = s + len;
    }
    ls->span_us += b1 - b0;
}

/* The share of [b0, b1) covered by narrowband nb's DCIs or PDSCHs. */
static double lt_occupancy(int nb, sim_time_t b0, sim_time_t b1)
{
    const ref *a = &lm[0][nb], *b = &lm[1][nb];
    size_t i = 0, j = 0;
    sim_time_t cov = 0, cur_s = 0, cur_e = INT64_MIN;
    while (i < a->n || j < b->n) {
        const ivl *v = j == b->n || (i < a->n && a->v[i].s < b->v[j].s) ? &a->v[i++] : &b->v[j++];
        sim_time_t s = v->s < b0 ? b0 : v->s, e = v->e > b1 ? b1 : v->e;
        if (e <= s) continue;
        if (s > cur_e) {
            if (cur_e > cur_s) cov += cur_e - cur_s;
            cur_s = s, cur_e = e;
        } else if (e > cur_e) {
            cur_e = e;
        }
    }
    if (cur_e > cur_s) cov += cur_e - cur_s;
    return (double)cov / (double)(b1 - b0);
}

typedef struct lt_res {
    sim_time_t d0, d1, p0, p1;
    int nb;
    sim_time_t late;
    int late_k, late_j, k, j;
    int64_t cands;
    sim_time_t older; /* the earliest free candidate at or after t of a space
                         older than the one in progress (still running at t), or 0 */
} lt_res;

/* The candidate [d0, d0 + R) and its PDSCH on the first narrowband where
 * both are free; -1 if none. */
static int lt_fit(const mac_cell *c, sim_time_t d0, int R, int pdsch, int nd, int np, lt_res *r)
{
    const sim_time_t d1 = d0 + (sim_time_t)R * SIM_MS;
    /* every subframe a BL/CE DL subframe: the PDSCH in the 2nd after the
     * MPDCCH's last, d1 - 1 ms (TS 36.213 7.1.11) */
    const sim_time_t p0 = pdsch > 0 ? d1 + SIM_MS : d1,
                     p1 = pdsch > 0 ? p0 + (sim_time_t)pdsch * SIM_MS : d1;
    for (int nb = 0; nb < c->n_dl_nb; nb++)
        if (lt_free(nb, 0, nd, d0, d1) && (pdsch <= 0 || lt_free(nb, 1, np, p0, p1))) {
            r->d0 = d0, r->d1 = d1, r->p0 = p0, r->p1 = p1, r->nb = nb;
            return nb;
        }
    return -1;
}

/* The first fit in (space, j) order from the space in progress at t (the
 * last one starting at or before t), candidates at or after t only;
 * with DRX only candidates that start in the Active Time. */
static int lt_first(const mac_cell *c, int rmax, sim_time_t t, int R, int pdsch, int flags,
                    const drx_win *w, lt_res *r)
{
    const int cands = R < rmax ? rmax / R : 1;
    const int nd = flags & SCHED_DCI_NARROW, np = (flags & SCHED_DATA_NARROW) != 0;
    int k0 = 0;
    while (k0 + 1 < nss && ssv[k0 + 1] * SIM_MS <= t)
        k0++;
    if (ssv[k0] * SIM_MS > t) k0 = 0; /* t before the first space */
    r->late = INT64_MIN;
    r->cands = 0;
    r->older = 0;
    /* information only: older spaces still running at t */
    for (int k = k0 - 1; k >= 0 && k >= k0 - 2; k--)
        for (int j = 0; j < cands; j++) {
            const sim_time_t d0 = (ssv[k] + (int64_t)j * R) * SIM_MS;
            lt_res tmp;
            if (d0 >= t && (!w || drx_next_active(c, w, d0) == d0) &&
                lt_fit(c, d0, R, pdsch, nd, np, &tmp) >= 0 && (r->older == 0 || d0 < r->older))
                r->older = d0; /* the earliest */
        }
    for (int k = k0; k < nss; k++) {
        if (ssv[k] + rmax + 200 >= H_MS) return -1;
        for (int j = 0; j < cands; j++) {
            const sim_time_t d0 = (ssv[k] + (int64_t)j * R) * SIM_MS;
            if (d0 < t) continue;
            r->cands++;
            if ((!w || drx_next_active(c, w, d0) == d0) &&
                lt_fit(c, d0, R, pdsch, nd, np, r) >= 0) {
                r->k = k, r->j = j;
                return 0;
            }
            if (d0 > r->late) r->late = d0, r->late_k = k, r->late_j = j;
        }
    }
    return -1;
}

typedef struct lscen {
    const char *name;
    int ce, rmax;
    double g, alpha;
    int n_nb;
    int drx_cycle, drx_on, drx_offset; /* LTE-M: subframes */
    int Rs[10];
} lscen;

static mac_cell *make_ltem_cell(const lscen *s, sim_engine **e, mac_radio_cfg *radio,
                                mac_group_cfg *g)
{
    mac_radio_cfg_default_ltem(radio);
    radio->ce[s->ce].npdcch_rmax = s->rmax;
    radio->ce[s->ce].npdcch_g = s->g;
    radio->ce[s->ce].npdcch_offset = s->alpha;
    if (radio->ce[s->ce].rar_window_sf < s->rmax * s->g) radio->ce[s->ce].rar_window_sf = 400;
    radio->dl_narrowbands = s->n_nb;
    if (s->drx_cycle)
        radio->cdrx = (mac_cdrx_cfg){.enabled = 1,
                                     .on_duration = s->drx_on,
                                     .inactivity = 10,
                                     .retransmission = 2,
                                     .ul_retransmission = 8,
                                     .cycle_sf = s->drx_cycle,
                                     .start_offset = s->drx_offset};
    else
        radio->cdrx.enabled = 0;
    /* a configuration the simulator accepts (among others: some search
     * space of every level starts in an on-duration, cdrx_ltem_reachable;
     * without it sched_dl with no deadline could look for ever) */
    char field[64], why[256];
    if (mac_radio_cfg_check(radio, field, sizeof field, why, sizeof why) != 0) {
        fprintf(stderr, "%s: configuration rejected: %s %s\n", s->name, field, why);
        exit(2);
    }
    return cell_of(s->name, e, radio, g);
}

typedef struct lstats {
    int64_t searches, fits, misses, dci_only, ambiguous, amb_minus1, cands, fails, interleaved,
        older, none, nb_used[MAC_MAX_DL_NB], flags[4], wrap_q, overlaps;
    lt_stats ls;
} lstats;

static void run_ltem(const lscen *s, int rounds, int queries, lstats *st)
{
    sim_engine *e;
    mac_radio_cfg radio;
    mac_group_cfg g;
    mac_cell *c = make_ltem_cell(s, &e, &radio, &g);
    const int ce = s->ce, rmax = s->rmax;
    CHECK(c->r.rat == MAC_RAT_LTEM);
    CHECK(c->n_dl_nb == s->n_nb);
    for (int k = 0; k < 2560; k++)
        CHECK(c->dlmap.valid[k]);
    build_spaces(rmax, s->g, s->alpha);
    CHECK(c->ss_period[ce] == llround(rmax * s->g) * SIM_MS);
    for (int i = 0; i < 300; i++) {
        const int k = 1 + (int)below(nss - 1);
        const sim_time_t t = ssv[k] * SIM_MS - below((ssv[k] - ssv[k - 1]) * SIM_MS);
        CHECK(sched_ss_next(c, ce, t) == ssv[k] * SIM_MS);
    }
    const int64_t T = llround(rmax * s->g);
    for (int k = 0; k + 1 < nss; k++) /* spaces still running at the next one's start */
        if (ssv[k] + rmax > ssv[k + 1]) st->overlaps++;
    int printed = 0;
    for (int ri = 0; ri < 10 && s->Rs[ri]; ri++) {
        const int R = s->Rs[ri];
        for (int round = 0; round < rounds; round++) {
            for (int nb = 0; nb < MAC_MAX_DL_NB; nb++) {
                if (nb < c->n_dl_nb) {
                    tl_free(&c->car[0].dl[nb]);
                    tl_free(&c->car[0].dld[nb]);
                    tl_free(&c->car[0].dlw[nb]);
                }
                for (int x = 0; x < 3; x++)
                    lm[x][nb].n = 0;
            }
            static const int wraps[] = {SFN_MS, 2 * SFN_MS};
            const int near_wrap = chance(60);
            const int64_t wrap = wraps[below(2)];
            sim_time_t b0 = near_wrap ? (wrap - 300 - below(1500)) * SIM_MS : below(26000) * SIM_MS;
            sim_time_t b1 = b0 + (2000 + below(3000)) * SIM_MS;
            static const int dens[] = {60, 65, 75, 85, 90};
            static const int busy[] = {1, 2, 3, 8, 25};
            for (int nb = 0; nb < c->n_dl_nb; nb++) {
                const int first = (int)below(2);
                for (int x = 0; x < 2; x++)
                    lt_book(c, nb, x ? !first : first, b0, b1, dens[below(5)], busy[below(5)],
                            &st->ls);
                const double occ = lt_occupancy(nb, b0, b1);
                if (!st->ls.occ_n || occ < st->ls.occ_min) st->ls.occ_min = occ;
                if (!st->ls.occ_n || occ > st->ls.occ_max) st->ls.occ_max = occ;
                st->ls.occ_sum += occ;
                st->ls.occ_n++;
            }
            for (int q = 0; q < queries; q++) {
                sim_time_t t = b0 + below(b1 - b0 - 500 * SIM_MS);
                if (near_wrap && chance(40)) { /* around the cycle's last space */
                    t = (wrap - (10240 - (10240 - 1 - (int64_t)floor(s->alpha * T)) / T * T -
                                 (int64_t)floor(s->alpha * T))) *
                            SIM_MS -
                        below(2 * T * SIM_MS) + below((rmax + 2) * SIM_MS);
                    st->wrap_q++;
                }
                if (chance(50)) t = t / SIM_MS * SIM_MS;
                if (chance(10)) t = sched_ss_next(c, ce, t) - below(2);
                if (t < 0) t = 0;
                int pdsch = 0;
                if (!chance(25)) {
                    static const int ps[] = {1, 2, 3, 4, 6, 8, 10, 16, 24, 32, 64, 128};
                    pdsch = ps[below(12)];
                }
                const int flags = (int)below(4);
                drx_win wb, *w = NULL;
                if (s->drx_cycle) {
                    w = &wb;
                    wb = (drx_win){.from = 0, .until = 0, .cut = -1, .ce = ce};
                    if (chance(50)) { /* a timer window (inactivity, retransmission) */
                        wb.from = t - below(300) * SIM_MS + below(100 * SIM_MS);
                        wb.until = wb.from + below(400) * SIM_MS;
                        if (chance(50)) wb.from = wb.from / SIM_MS * SIM_MS;
                        if (chance(50)) wb.until = wb.until / SIM_MS * SIM_MS;
                    }
                }
                lt_res rr;
                const int none = lt_first(c, rmax, t, R, pdsch, flags, w, &rr) != 0;
                if (none) { /* no fit before the horizon: with a deadline, -1 */
                    st->none++;
                    dl_slot got = {0};
                    const sim_time_t latest = t + below(2 * SIM_S);
                    const int rc = sched_dl(c, 0, ce, t, R, pdsch, flags, latest, w, &got);
                    st->searches++;
                    CHECK(rc != 0);
                    if (rc == 0) {
                        st->fails++;
                        fprintf(stderr,
                                "MISMATCH LTE-M %s: t %lld R %d: a fit where the reference "
                                "has none\n",
                                s->name, (long long)t, R);
                    }
                    continue;
                }
                st->cands += rr.cands;
                st->older += rr.older && rr.older < rr.d0;
                if (rr.late > rr.d0) st->interleaved++;
                sim_time_t latest = SIM_NEVER;
                const int64_t u = below(100);
                if (u < 12)
                    latest = rr.d0;
                else if (u < 24)
                    latest = rr.d0 - 1;
                else if (u < 36)
                    latest = rr.d0 - below(600 * SIM_MS);
                else if (u < 48)
                    latest = t + below(1500 * SIM_MS);
                else if (u < 60 && rr.late > rr.d0)
                    latest = rr.d0 + below(rr.late - rr.d0);
                const int want_fit = rr.d0 <= latest, ambiguous = want_fit && rr.late > latest;
                dl_slot got = {0};
                const int rc = sched_dl(c, 0, ce, t, R, pdsch, flags, latest, w, &got);
                st->searches++;
                st->flags[flags]++;
                if (!pdsch) st->dci_only++;
                if (ambiguous) {
                    st->ambiguous++;
                    if (rc) st->amb_minus1++;
                }
                int ok;
                if (rc == 0)
                    ok = want_fit && got.nb == rr.nb && got.dci_start == rr.d0 &&
                         got.dci_end == rr.d1 && got.pdsch_start == rr.p0 && got.pdsch_end == rr.p1;
                else
                    ok = !want_fit || ambiguous;
                CHECK(ok);
                if (rc == 0) {
                    st->fits++;
                    if (got.nb >= 0 && got.nb < MAC_MAX_DL_NB) st->nb_used[got.nb]++;
                    lt_mirror(got.nb, 0, flags & SCHED_DCI_NARROW, got.dci_start, got.dci_end);
                    lt_mirror(got.nb, 1, (flags & SCHED_DATA_NARROW) != 0, got.pdsch_start,
                              got.pdsch_end);
                } else {
                    st->misses++;
                }
                if (!ok) {
                    st->fails++;
                    if (printed++ < 8) {
                        fprintf(stderr,
                                "MISMATCH LTE-M %s: CE%d Rmax %d G %g alpha %g, %d DL nb, t %lld "
                                "us, R %d, pdsch %d, flags %d, latest %lld",
                                s->name, ce, rmax, s->g, s->alpha, c->n_dl_nb, (long long)t, R,
                                pdsch, flags, (long long)latest);
                        if (w)
                            fprintf(stderr, ", drx window [%lld, %lld)", (long long)w->from,
                                    (long long)w->until);
                        fprintf(stderr, "\n");
                        dl_slot rs = {rr.d0, rr.d1, rr.p0, rr.p1, rr.nb};
                        print_slot("sched_dl ", rc, &got);
                        fprintf(stderr, "      (nb %d)\n", got.nb);
                        print_slot("reference", want_fit ? 0 : -1, &rs);
                        fprintf(stderr, "      (nb %d) space at %lld ms (next at %lld), j %d\n",
                                rr.nb, (long long)ssv[rr.k], (long long)ssv[rr.k + 1], rr.j);
                        if (rr.late > rr.d0)
                            fprintf(stderr,
                                    "    a failing candidate visited before it starts later: "
                                    "%lld us (space at %lld ms, j %d)\n",
                                    (long long)rr.late, (long long)ssv[rr.late_k], rr.late_j);
                    }
                }
            }
            /* the mirrors hold what the timelines hold */
            for (int k = 0; k < 60; k++) {
                const int nb = (int)below(c->n_dl_nb);
                const sim_time_t a = b0 + below(b1 - b0), b = a + 1 + below(5 * SIM_MS);
                CHECK((tl_conflict(&c->car[0].dl[nb], a, b) == 0) == ref_free(&lm[0][nb], a, b));
                CHECK((tl_conflict(&c->car[0].dld[nb], a, b) == 0) == ref_free(&lm[1][nb], a, b));
                CHECK((tl_conflict(&c->car[0].dlw[nb], a, b) == 0) == ref_free(&lm[2][nb], a, b));
            }
        }
    }
    mac_cell_destroy(c);
    sim_engine_destroy(e);
}

static int64_t ltem_all(void)
{
    /* T = Rmax G. With every subframe valid only G = 1.5 leaves a period
     * that does not divide 10240, and the cycle's last space is then
     * followed Rmax or Rmax / 2 subframes after its start: Rmax 2, 8, 32,
     * 128 overlap the next cycle's first space (by Rmax / 2), Rmax 4, 64,
     * 256 just meet it. alpha shifts the grid (the last space may then be
     * followed late). */
    const lscen sc[] = {
        {"Rmax 8 G 1.5, 1 nb", 1, 8, 1.5, 0, 1, 0, 0, 0, {1, 2, 4, 8}},
        {"Rmax 8 G 1.5, 2 nb", 1, 8, 1.5, 0, 2, 0, 0, 0, {1, 2, 4, 8}},
        {"Rmax 8 G 1.5 alpha 3/8, 3 nb", 1, 8, 1.5, 0.375, 3, 0, 0, 0, {1, 2, 8}},
        {"Rmax 8 G 2 alpha 3/8, 4 nb", 1, 8, 2, 0.375, 4, 0, 0, 0, {1, 4, 8}},
        {"Rmax 2 G 1.5, 2 nb", 0, 2, 1.5, 0, 2, 0, 0, 0, {1, 2}},
        {"Rmax 4 G 1.5 alpha 1/4, 2 nb", 0, 4, 1.5, 0.25, 2, 0, 0, 0, {1, 2, 4}},
        {"Rmax 32 G 1.5, 1 nb", 2, 32, 1.5, 0, 1, 0, 0, 0, {1, 4, 16, 32}},
        {"Rmax 32 G 1.5 alpha 1/8, 3 nb", 2, 32, 1.5, 0.125, 3, 0, 0, 0, {2, 8, 32}},
        {"Rmax 64 G 1.5, 2 nb", 2, 64, 1.5, 0, 2, 0, 0, 0, {1, 8, 32, 64}},
        {"Rmax 128 G 1.5, 4 nb", 3, 128, 1.5, 0, 4, 0, 0, 0, {4, 32, 128}},
        {"Rmax 256 G 1.5 alpha 3/8, 2 nb", 3, 256, 1.5, 0.375, 2, 0, 0, 0, {8, 64, 256}},
        {"Rmax 8 G 1.5, 2 nb, DRX 40/5", 1, 8, 1.5, 0, 2, 40, 5, 0, {1, 2, 4, 8}},
        {"Rmax 8 G 1.5, 4 nb, DRX 70/10", 1, 8, 1.5, 0, 4, 70, 10, 0, {1, 2, 8}},
        {"Rmax 32 G 1.5, 1 nb, DRX 256/20", 2, 32, 1.5, 0, 1, 256, 20, 60, {1, 8, 32}},
        {"Rmax 64 G 1.5, 3 nb, DRX 60/5", 2, 64, 1.5, 0.375, 3, 60, 5, 58, {2, 16, 64}},
        {"Rmax 128 G 1.5, 2 nb, DRX 320/10", 3, 128, 1.5, 0, 2, 320, 10, 60, {4, 32, 128}},
    };
    const int n = (int)(sizeof sc / sizeof sc[0]);
    int64_t searches = 0, fails = 0;
    for (int i = 0; i < n; i++) {
        lstats st = {0};
        run_ltem(&sc[i], 10, 100, &st);
        const lt_stats *l = &st.ls;
        printf("LTE-M %-34s %lld spaces overlapping the next; %5lld searches (%4lld DCI only, "
               "%lld near the wrap, %lld without a fit in 100 s): %5lld fits "
               "(nb0..3 %lld %lld %lld %lld), %4lld -1; narrowbands %.0f-%.0f %% busy (mean "
               "%.0f %%; DCI wide/narrow "
               "%lld/%lld, PDSCH %lld/%lld, %lld dropped); %lld past an interleaved candidate, "
               "%lld ambiguous deadlines (%lld -1); %lld with a free candidate in an older "
               "space; %lld reference candidates; %lld mismatches\n",
               sc[i].name, (long long)st.overlaps, (long long)st.searches, (long long)st.dci_only,
               (long long)st.wrap_q, (long long)st.none, (long long)st.fits,
               (long long)st.nb_used[0], (long long)st.nb_used[1], (long long)st.nb_used[2],
               (long long)st.nb_used[3], (long long)st.misses, 100.0 * l->occ_min,
               100.0 * l->occ_max, 100.0 * l->occ_sum / (double)(l->occ_n ? l->occ_n : 1),
               (long long)l->booked[0][0], (long long)l->booked[0][1], (long long)l->booked[1][0],
               (long long)l->booked[1][1], (long long)l->skipped, (long long)st.interleaved,
               (long long)st.ambiguous, (long long)st.amb_minus1, (long long)st.older,
               (long long)st.cands, (long long)st.fails);
        searches += st.searches;
        fails += st.fails;
    }
    printf("LTE-M: %lld searches, %lld mismatches\n", (long long)searches, (long long)fails);
    for (int x = 0; x < 3; x++)
        for (int nb = 0; nb < MAC_MAX_DL_NB; nb++)
            free(lm[x][nb].v);
    return fails;
}

int main(void)
{
    const clock_t t0 = clock();
    rng_ = 0x5eed0dc1ull;
    /* R: powers of two up to Rmax (TS 36.213 Table 16.6-1 takes Rmax/8 ..
     * Rmax; smaller ones are searched too) */
    const scen sc[] = {
        {"defaults CE0", 0, 0, 0, 0, 0, 0, 0, 0, {1, 2, 4, 8}},
        {"defaults CE1", 1, 0, 0, 0, 0, 0, 0, 0, {1, 8, 64}},
        {"defaults CE2", 2, 0, 0, 0, 0, 0, 0, 0, {32, 256}},
        {"Rmax 8 G 1.5", 0, 8, 1.5, 0, 0, 0, 0, 0, {1, 2, 4, 8}},
        {"Rmax 8 G 1.5 SIB1x16", 0, 8, 1.5, 0, 16, 0, 0, 0, {1, 2, 8}},
        {"Rmax 64 G 1.5", 1, 64, 1.5, 0, 0, 0, 0, 0, {1, 2, 8, 32, 64}},
        {"Rmax 64 G 1.5 alpha 3/8 SIB1x16", 1, 64, 1.5, 0.375, 16, 0, 0, 0, {2, 8, 64}},
        {"defaults CE0 DRX 512", 0, 0, 0, 0, 0, 512, 2, 0, {1, 2, 8}},
        {"defaults CE1 DRX 512", 1, 0, 0, 0, 0, 512, 1, 100, {1, 8, 64}},
        {"Rmax 8 G 1.5 DRX 256", 0, 8, 1.5, 0, 16, 256, 4, 7, {1, 2, 4, 8}},
        {"Rmax 64 G 1.5 DRX 256", 1, 64, 1.5, 0, 0, 256, 1, 0, {1, 2, 8, 32, 64}},
        {"Rmax 64 G 1.5 DRX 512", 1, 64, 1.5, 0.125, 16, 512, 2, 33, {1, 2, 8, 32, 64}},
    };
    const int n = (int)(sizeof sc / sizeof sc[0]);
    stats all = {0};
    for (int i = 0; i < n; i++) {
        stats st = {0};
        run_scen(&sc[i], 10, 100, &st);
        printf("%-34s %lld overlapping spaces in 40 s; %5lld searches (%4lld DCI only): %5lld "
               "fits, %4lld -1; %lld past an interleaved candidate, %lld ambiguous deadlines "
               "(%lld -1); %lld reference candidates; %lld mismatches (%lld past an interleaved "
               "candidate)\n",
               sc[i].name, (long long)st.overlaps, (long long)st.searches, (long long)st.dci_only,
               (long long)st.fits, (long long)st.misses, (long long)st.interleaved,
               (long long)st.ambiguous, (long long)st.amb_minus1, (long long)st.cands,
               (long long)st.fails, (long long)st.fails_il);
        all.searches += st.searches;
        all.fails += st.fails;
        all.dci_only += st.dci_only;
    }
    printf("NB-IoT: %lld searches (%lld DCI only), %lld mismatches, %.2f s CPU\n",
           (long long)all.searches, (long long)all.dci_only, (long long)all.fails,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    const int64_t lf = ltem_all();
    printf("all: %lld mismatches, %.2f s CPU\n", (long long)(all.fails + lf),
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    free(mr.v);
    return check_done();
}
