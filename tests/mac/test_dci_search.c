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
 * a plain sorted array (the cell's timeline c->dl[0] holds the same).
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
 * candidates that start before it (never examined) are passed over. */
#include "mac/mac_internal.h"
#include "tests/check.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SFN_MS 10240
#define H_MS   100000 /* reference horizon (ms); bookings end before 32 s */

/* ------------------------------------------------------------------ PRNG */

static uint64_t rng_;

static uint64_t rnd(void)
{
    uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int64_t below(int64_t n) /* uniform in [0, n) */
{
    return n <= 1 ? 0 : (int64_t)(rnd() % (uint64_t)n);
}

static int chance(int pct)
{
    return below(100) < pct;
}

/* ------------------------------------------------------------- reference */

/* valid downlink subframes over [0, H_MS): vl[i] the i-th, cnt[k] those
 * before subframe k */
static int32_t vl[H_MS], cnt[H_MS + 1], nvl;
/* search-space starts (ms) of the level under test, increasing */
static int64_t ssv[H_MS];
static int nss;
static int64_t ov[H_MS]; /* starts of spaces that outlast the next one's start */

typedef struct mirror {
    ivl *v;
    size_t n, cap;
} mirror;
static mirror mr;

static size_t mr_find(sim_time_t s) /* first interval ending after s */
{
    size_t lo = 0, hi = mr.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mr.v[mid].e <= s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int mr_free(sim_time_t s, sim_time_t e)
{
    size_t i = mr_find(s);
    return i == mr.n || mr.v[i].s >= e;
}

static void mr_add(sim_time_t s, sim_time_t e)
{
    if (e <= s) return;
    if (mr.n == mr.cap) {
        mr.cap = mr.cap ? 2 * mr.cap : 1024;
        mr.v = realloc(mr.v, mr.cap * sizeof *mr.v);
        if (!mr.v) abort();
    }
    size_t i = mr_find(s);
    memmove(&mr.v[i + 1], &mr.v[i], (mr.n - i) * sizeof *mr.v);
    mr.v[i] = (ivl){s, e};
    mr.n++;
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
        fprintf(stderr, "%s: cell not created: %s\n", s->name, err.msg);
        exit(2);
    }
    return c;
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
        if (tl_add(&c->dl[0], s, s + len) != 0) abort();
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
        if (tl_add(&c->dl[0], s0, s1) != 0) abort();
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
            tl_free(&c->dl[0]);
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
                const int rc = sched_dl(c, ce, t, R, pdsch, 0, latest, w, &got);
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
                CHECK((tl_conflict(&c->dl[0], a, b) == 0) == mr_free(a, b));
            }
        }
    }
    mac_cell_destroy(c);
    sim_engine_destroy(e);
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
    printf("%lld searches (%lld DCI only), %lld mismatches, %.2f s CPU\n", (long long)all.searches,
           (long long)all.dci_only, (long long)all.fails, (double)(clock() - t0) / CLOCKS_PER_SEC);
    free(mr.v);
    return check_done();
}
