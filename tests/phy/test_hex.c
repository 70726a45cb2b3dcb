/* test_hex.c: hexagonal multi-cell layout with wrap-around (phy/hex.c).
 *
 * The layout is checked against a brute-force model built here from the
 * geometry phy.h documents (axial basis at 30 and 90 deg, cluster generators
 * (2, 1) and (3, 2), nearest image over a wide block of translations):
 * wrap-around rings, every coupling loss of random draws, the best cell,
 * uniformity over sites, cells and radius, shadowing sharing and
 * correlation, determinism. Statistical checks use 5 standard errors on
 * fixed streams. */
#include "phy/phy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/check.h"

#define NSE   5.0
#define PI    3.14159265358979323846
#define SQRT3 1.7320508075688772

static void rng_for(sim_rng *r, uint64_t seed, uint32_t device)
{
    sim_rng_key k = {.seed = seed, .device = device, .purpose = 11, .substream = 0};
    sim_rng_init(r, &k);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ----------------------------------------------------- brute-force model */

typedef struct ref_layout {
    int sites;
    double d;
    double sx[19], sy[19];
    double t1x, t1y, t2x, t2y; /* two generators of the cluster lattice */
} ref_layout;

static void ref_axial(double d, int q, int r, double *x, double *y)
{
    *x = d * q * SQRT3 / 2.0;
    *y = d * (0.5 * q + r);
}

static void ref_init(ref_layout *L, const phy_hex *h, double d)
{
    L->sites = phy_hex_sites(h);
    L->d = d;
    for (int i = 0; i < L->sites; i++)
        phy_hex_site_xy(h, i, &L->sx[i], &L->sy[i]);
    /* Generator g and its 60 deg rotation (-r, q + r). */
    int gq = L->sites == 7 ? 2 : 3, gr = L->sites == 7 ? 1 : 2;
    ref_axial(d, gq, gr, &L->t1x, &L->t1y);
    ref_axial(d, -gr, gq + gr, &L->t2x, &L->t2y);
}

/* Offset from the nearest image of site j to (x, y): translations m t1 + n t2,
 * |m|, |n| <= 4 (far beyond what the layout needs). */
static void ref_nearest(const ref_layout *L, int j, double x, double y, double *dx, double *dy)
{
    double best = INFINITY;
    int w = L->sites > 1 ? 4 : 0;
    for (int m = -w; m <= w; m++) {
        for (int n = -w; n <= w; n++) {
            double ex = x - (L->sx[j] + m * L->t1x + n * L->t2x);
            double ey = y - (L->sy[j] + m * L->t1y + n * L->t2y);
            if (ex * ex + ey * ey < best) {
                best = ex * ex + ey * ey;
                *dx = ex;
                *dy = ey;
            }
        }
    }
}

/* Coupling loss without shadowing and penetration, from the formulas of
 * coverage.c written out again. */
static double ref_cl(const phy_coverage_cfg *c, double dx, double dy, int sector)
{
    double d = hypot(dx, dy);
    double theta = atan2(dy, dx) * 180.0 / PI - (30.0 + 120.0 * sector);
    theta = fmod(theta + 540.0, 360.0) - 180.0;
    double att = fmin(12.0 * pow(theta / c->beamwidth_deg, 2), c->front_back_db);
    return c->pl_intercept_db + c->pl_slope_db * log10(d / 1000.0) + c->other_loss_db -
           (c->bs_gain_dbi - att) - c->ue_gain_dbi;
}

/* ------------------------------------------------------------------ tests */

static void test_create(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    int ok[3] = {1, 7, 19};
    for (int i = 0; i < 3; i++) {
        phy_hex *h = phy_hex_create(&c, ok[i]);
        CHECK(h != NULL);
        if (!h) continue;
        CHECK_EQ_INT(phy_hex_cells(h), 3 * ok[i]);
        CHECK_EQ_INT(phy_hex_sites(h), ok[i]);
        phy_hex_free(h);
    }
    int bad[6] = {0, -1, 2, 3, 8, 20};
    for (int i = 0; i < 6; i++)
        CHECK(phy_hex_create(&c, bad[i]) == NULL);
    phy_coverage_cfg z = c;
    z.isd_m = 0.0;
    CHECK(phy_hex_create(&z, 7) == NULL);
    CHECK(phy_hex_create(NULL, 7) == NULL);
}

static void test_wraparound(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    double D = c.isd_m, tol = 1e-9 * D;
    for (int s = 7; s <= 19; s += 12) {
        phy_hex *h = phy_hex_create(&c, s);
        ref_layout L;
        ref_init(&L, h, D);
        double x0, y0;
        phy_hex_site_xy(h, 0, &x0, &y0);
        CHECK(x0 == 0.0 && y0 == 0.0);
        int bad_ring = 0, bad_ref = 0, bad_sym = 0, bad_shell = 0;
        for (int a = 0; a < s; a++) {
            /* Unwrapped: site a is on ring |a| (ring 1 sites 1..6, ring 2
             * 7..18), i.e. at D, and sqrt 3 D or 2 D. */
            double r0 = hypot(L.sx[a], L.sy[a]);
            if (a >= 1 && a <= 6 && fabs(r0 - D) > tol) bad_shell++;
            if (a >= 7 && fabs(r0 - SQRT3 * D) > tol && fabs(r0 - 2 * D) > tol) bad_shell++;
            int n1 = 0, n3 = 0, n2 = 0;
            for (int b = 0; b < s; b++) {
                double dab = phy_hex_site_distance(h, a, b);
                double ex = 0, ey = 0;
                ref_nearest(&L, b, L.sx[a], L.sy[a], &ex, &ey);
                if (fabs(dab - hypot(ex, ey)) > tol) bad_ref++;
                if (fabs(dab - phy_hex_site_distance(h, b, a)) > tol) bad_sym++;
                if (b == a) {
                    if (dab > tol) bad_ring++;
                    continue;
                }
                if (fabs(dab - D) <= tol)
                    n1++;
                else if (fabs(dab - SQRT3 * D) <= tol)
                    n3++;
                else if (fabs(dab - 2 * D) <= tol)
                    n2++;
            }
            /* Every site sees a full first ring; with 19 sites also the full
             * second ring (6 at sqrt 3 D, 6 at 2 D): the 18 others. */
            if (n1 != 6) bad_ring++;
            if (s == 19 && (n3 != 6 || n2 != 6)) bad_ring++;
        }
        CHECK_EQ_INT(bad_ring, 0);
        CHECK_EQ_INT(bad_ref, 0);
        CHECK_EQ_INT(bad_sym, 0);
        CHECK_EQ_INT(bad_shell, 0);
        phy_hex_free(h);
    }
    /* One site: no wrap-around, a site is at distance 0 from itself. */
    phy_hex *h = phy_hex_create(&c, 1);
    CHECK(phy_hex_site_distance(h, 0, 0) == 0.0);
    phy_hex_free(h);
}

/* Every coupling loss of random draws against the brute-force model, with
 * shadowing 0 and indoor 0; the best cell is its arg min; the device lies in
 * the central cluster and beyond min_distance of every site. */
static void test_brute_force(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    c.shadowing_sd_db = 0.0;
    c.indoor = 0;
    int sizes[3] = {1, 7, 19};
    for (int si = 0; si < 3; si++) {
        phy_hex *h = phy_hex_create(&c, sizes[si]);
        ref_layout L;
        ref_init(&L, h, c.isd_m);
        int cells = phy_hex_cells(h);
        double cl[57];
        int bad_cl = 0, bad_best = 0, bad_min = 0, bad_area = 0, not_own_site = 0;
        double worst = 0.0;
        for (uint32_t dev = 0; dev < 3000; dev++) {
            sim_rng r;
            rng_for(&r, 101 + si, dev);
            double x, y;
            int best = phy_hex_device_pos(h, &c, &r, cl, &x, &y);
            int rbest = 0;
            double rmin = INFINITY, dmin = INFINITY, dcentral = INFINITY;
            for (int j = 0; j < L.sites; j++) {
                double dx = 0, dy = 0;
                ref_nearest(&L, j, x, y, &dx, &dy);
                dmin = fmin(dmin, hypot(dx, dy));
                dcentral = fmin(dcentral, hypot(x - L.sx[j], y - L.sy[j]));
                for (int k = 0; k < 3; k++) {
                    double want = ref_cl(&c, dx, dy, k);
                    double e = fabs(cl[3 * j + k] - want);
                    worst = fmax(worst, e);
                    if (e > 1e-9) bad_cl++;
                    if (want < rmin) {
                        rmin = want;
                        rbest = 3 * j + k;
                    }
                }
            }
            /* Ties are measure zero on random draws; the returned cell must
             * be the arg min within rounding. */
            if (best != rbest && fabs(cl[best] - rmin) > 1e-9) bad_best++;
            if (best < 0 || best >= cells) bad_best++;
            if (dmin < c.min_distance_m) bad_min++;
            if (dcentral > c.isd_m / SQRT3 * (1 + 1e-12)) bad_area++;
            /* With wrap-around the nearest central-site copy is the nearest
             * image: the union of the hexagons is a fundamental domain. */
            if (fabs(dcentral - dmin) > 1e-6) not_own_site++;
        }
        printf("brute force, %2d sites: max |cl - ref| %.2e dB\n", sizes[si], worst);
        CHECK_EQ_INT(bad_cl, 0);
        CHECK_EQ_INT(bad_best, 0);
        CHECK_EQ_INT(bad_min, 0);
        CHECK_EQ_INT(bad_area, 0);
        CHECK_EQ_INT(not_own_site, 0);
        phy_hex_free(h);
    }
}

/* Shares of devices per site (nearest site) and per best cell (geometry
 * only) are 1/sites and 1/cells: each within 5 binomial standard errors.
 * Radial uniformity: share within R/2 of the own site. */
static void test_uniform(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    c.shadowing_sd_db = 0.0;
    c.indoor = 0;
    int sizes[3] = {1, 7, 19};
    for (int si = 0; si < 3; si++) {
        phy_hex *h = phy_hex_create(&c, sizes[si]);
        ref_layout L;
        ref_init(&L, h, c.isd_m);
        int S = L.sites, cells = 3 * S;
        int n = 3000 * cells;
        int site_n[19] = {0}, cell_n[57] = {0}, inner = 0;
        double cl[57], R = c.isd_m / SQRT3;
        for (int dev = 0; dev < n; dev++) {
            sim_rng r;
            rng_for(&r, 202 + si, (uint32_t)dev);
            double x, y;
            cell_n[phy_hex_device_pos(h, &c, &r, cl, &x, &y)]++;
            int ns = 0;
            double dmin = INFINITY;
            for (int j = 0; j < S; j++) {
                double dx = 0, dy = 0;
                ref_nearest(&L, j, x, y, &dx, &dy);
                if (hypot(dx, dy) < dmin) {
                    dmin = hypot(dx, dy);
                    ns = j;
                }
            }
            site_n[ns]++;
            if (dmin < R / 2) inner++;
        }
        int bad_site = 0, bad_cell = 0;
        double worst_site = 0, worst_cell = 0;
        for (int j = 0; j < S; j++) {
            double p = 1.0 / S, z = (site_n[j] - n * p) / sqrt(n * p * (1 - p) + 1e-300);
            if (S > 1) worst_site = fmax(worst_site, fabs(z));
            if (S > 1 && fabs(z) > NSE) bad_site++;
        }
        for (int k = 0; k < cells; k++) {
            double p = 1.0 / cells, z = (cell_n[k] - n * p) / sqrt(n * p * (1 - p));
            worst_cell = fmax(worst_cell, fabs(z));
            if (fabs(z) > NSE) bad_cell++;
        }
        /* The disc of radius R/2 lies inside the hexagon (inradius R sqrt3/2). */
        double m = c.min_distance_m;
        double p_in = PI * (R * R / 4 - m * m) / (1.5 * SQRT3 * R * R - PI * m * m);
        double se = sqrt(p_in * (1 - p_in) / n);
        printf("uniform, %2d sites, %6d draws: worst |z| site %.2f cell %.2f; "
               "share within R/2 %.4f (want %.4f)\n",
               S, n, worst_site, worst_cell, (double)inner / n, p_in);
        CHECK_EQ_INT(bad_site, 0);
        CHECK_EQ_INT(bad_cell, 0);
        CHECK_NEAR((double)inner / n, p_in, NSE * se);
        phy_hex_free(h);
    }
}

/* Shadowing: shared by a site's sectors, sd 8 dB, correlation 0.5 between
 * sites. Penetration: one value for all cells, distributed as
 * phy_penetration_draw. */
static void test_shadowing(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    c.indoor = 0;
    phy_hex *h = phy_hex_create(&c, 7);
    ref_layout L;
    ref_init(&L, h, c.isd_m);
    int n = 20000, bad_share = 0;
    double s0 = 0, s1 = 0, s00 = 0, s11 = 0, s01 = 0, cl[21];
    for (int dev = 0; dev < n; dev++) {
        sim_rng r;
        rng_for(&r, 303, (uint32_t)dev);
        double x, y, sh[7];
        phy_hex_device_pos(h, &c, &r, cl, &x, &y);
        for (int j = 0; j < 7; j++) {
            double dx = 0, dy = 0;
            ref_nearest(&L, j, x, y, &dx, &dy);
            sh[j] = cl[3 * j] - ref_cl(&c, dx, dy, 0);
            for (int k = 1; k < 3; k++)
                if (fabs(cl[3 * j + k] - ref_cl(&c, dx, dy, k) - sh[j]) > 1e-9) bad_share++;
        }
        /* Sites 2 and 5 of the draw (any pair is exchangeable). */
        s0 += sh[2];
        s1 += sh[5];
        s00 += sh[2] * sh[2];
        s11 += sh[5] * sh[5];
        s01 += sh[2] * sh[5];
    }
    CHECK_EQ_INT(bad_share, 0);
    double m0 = s0 / n, m1 = s1 / n;
    double v0 = s00 / n - m0 * m0, v1 = s11 / n - m1 * m1;
    double rho = (s01 / n - m0 * m1) / sqrt(v0 * v1);
    printf("shadowing: sd %.3f / %.3f dB (want 8), inter-site correlation %.4f (want 0.5)\n",
           sqrt(v0), sqrt(v1), rho);
    CHECK_NEAR(m0, 0.0, NSE * 8 / sqrt(n));
    CHECK_NEAR(sqrt(v0), 8.0, NSE * 8 / sqrt(2.0 * n));
    CHECK_NEAR(sqrt(v1), 8.0, NSE * 8 / sqrt(2.0 * n));
    CHECK_NEAR(rho, 0.5, NSE * (1 - 0.25) / sqrt(n));

    /* Penetration: shadowing off, indoor on: one offset for every cell. */
    c.shadowing_sd_db = 0.0;
    c.indoor = 1;
    int bad_pen = 0;
    double sp = 0, spp = 0, sq = 0;
    for (int dev = 0; dev < n; dev++) {
        sim_rng r;
        rng_for(&r, 304, (uint32_t)dev);
        double x, y;
        phy_hex_device_pos(h, &c, &r, cl, &x, &y);
        double pen = 0;
        for (int j = 0; j < 7; j++) {
            double dx = 0, dy = 0;
            ref_nearest(&L, j, x, y, &dx, &dy);
            for (int k = 0; k < 3; k++) {
                double e = cl[3 * j + k] - ref_cl(&c, dx, dy, k);
                if (j == 0 && k == 0) pen = e;
                if (fabs(e - pen) > 1e-9) bad_pen++;
            }
        }
        sp += pen;
        spp += pen * pen;
        sim_rng r2;
        rng_for(&r2, 305, (uint32_t)dev);
        sq += phy_penetration_draw(&r2);
    }
    CHECK_EQ_INT(bad_pen, 0);
    double sd = sqrt(spp / n - (sp / n) * (sp / n));
    printf("penetration: mean %.3f dB (direct draws %.3f dB)\n", sp / n, sq / n);
    CHECK_NEAR(sp / n, sq / n, NSE * sd * sqrt(2.0 / n));
    phy_hex_free(h);
}

static void test_determinism(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    phy_hex *h = phy_hex_create(&c, 19);
    int bad = 0, bad_pos = 0;
    for (uint32_t dev = 0; dev < 200; dev++) {
        double a[57], b[57], e[57];
        sim_rng r1, r2, r3;
        rng_for(&r1, 404, dev);
        rng_for(&r2, 404, dev);
        int ba = phy_hex_device(h, &c, &r1, a);
        double x, y;
        int bb = phy_hex_device_pos(h, &c, &r2, b, &x, &y);
        if (ba != bb || memcmp(a, b, sizeof a) != 0) bad++;
        if (sim_rng_u64(&r1) != sim_rng_u64(&r2)) bad_pos++;
        /* The stream position after a draw does not depend on the shadowing
         * standard deviation. */
        phy_coverage_cfg c0 = c;
        c0.shadowing_sd_db = 0.0;
        rng_for(&r3, 404, dev);
        phy_hex_device(h, &c0, &r3, e);
        rng_for(&r1, 404, dev);
        phy_hex_device(h, &c, &r1, a);
        if (sim_rng_u64(&r1) != sim_rng_u64(&r3)) bad_pos++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(bad_pos, 0);
    phy_hex_free(h);
}

/* Ties go to the lowest index: with front_back 0 the pattern is flat, a
 * site's three cells tie exactly, and the best cell is its sector 0. */
static void test_ties(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    c.front_back_db = 0.0;
    phy_hex *h = phy_hex_create(&c, 19);
    int bad = 0;
    double cl[57];
    for (uint32_t dev = 0; dev < 2000; dev++) {
        sim_rng r;
        rng_for(&r, 707, dev);
        int b = phy_hex_device(h, &c, &r, cl);
        if (b % 3 != 0 || cl[b] != cl[b + 1] || cl[b] != cl[b + 2]) bad++;
        for (int k = 0; k < 57; k++)
            if (cl[k] < cl[b]) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    phy_hex_free(h);
}

static double pct(const double *v, int n, double p)
{
    return v[(int)(p * (n - 1) + 0.5)];
}

/* Best-cell coupling loss with the defaults (7 sites) against the single-
 * sector draw: the choice among 21 cells lowers it. */
static void test_best_vs_single(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    phy_hex *h = phy_hex_create(&c, 7);
    enum { N = 20000 };
    double *best = malloc(N * sizeof *best), *single = malloc(N * sizeof *single), cl[21];
    for (int i = 0; i < N; i++) {
        sim_rng r;
        rng_for(&r, 505, (uint32_t)i);
        int b = phy_hex_device(h, &c, &r, cl);
        best[i] = cl[b];
        rng_for(&r, 506, (uint32_t)i);
        single[i] = phy_coupling_loss_draw(&c, &r);
    }
    qsort(best, N, sizeof *best, cmp_double);
    qsort(single, N, sizeof *single, cmp_double);
    printf("best cell of 21 (7 sites): median %.2f dB, 5%% %.2f, 95%% %.2f\n", pct(best, N, 0.5),
           pct(best, N, 0.05), pct(best, N, 0.95));
    printf("single sector:            median %.2f dB, 5%% %.2f, 95%% %.2f\n", pct(single, N, 0.5),
           pct(single, N, 0.05), pct(single, N, 0.95));
    CHECK(pct(best, N, 0.5) <= pct(single, N, 0.5) + 0.5);
    /* Sanity: both are TR 45.820-like distributions, medians within 10 dB. */
    CHECK(fabs(pct(best, N, 0.5) - pct(single, N, 0.5)) < 10.0);
    free(best);
    free(single);
    phy_hex_free(h);
}

static void test_speed(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    int sizes[3] = {1, 7, 19};
    for (int si = 0; si < 3; si++) {
        phy_hex *h = phy_hex_create(&c, sizes[si]);
        int n = 200000;
        double cl[57], sink = 0;
        struct timespec t0, t1;
        sim_rng r;
        rng_for(&r, 606, 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < n; i++)
            sink += cl[phy_hex_device(h, &c, &r, cl)];
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
        printf("speed: %2d cells, %.0f ns per device (mean best cl %.2f dB)\n", phy_hex_cells(h),
               ns, sink / n);
        CHECK(isfinite(sink));
        phy_hex_free(h);
    }
}

int main(void)
{
    test_create();
    test_wraparound();
    test_brute_force();
    test_uniform();
    test_shadowing();
    test_determinism();
    test_ties();
    test_best_vs_single();
    test_speed();
    return check_done();
}
