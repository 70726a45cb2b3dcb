/* test_phy.c: link budget anchors, CE levels, coupling-loss draws against
 * closed forms and quadrature, durations, TBS tables and the valid-DL-subframe
 * map against a brute-force reference.
 *
 * Statistical checks use 5 standard errors; the streams are fixed, so the
 * outcome is reproducible. */
#include "phy/phy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/check.h"

#define NSE 5.0
#define PI  3.14159265358979323846

static void rng_for(sim_rng *r, uint64_t seed, uint32_t device)
{
    sim_rng_key k = {.seed = seed, .device = device, .purpose = 7, .substream = 0};
    sim_rng_init(r, &k);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ------------------------------------------------------------ link budget */

static void test_link_budget(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    CHECK(c.enb_tx_dbm == 43 && c.enb_nf_db == 3 && c.ue_nf_db == 5);
    CHECK(c.ue_max_dbm == 23 && c.ue_min_dbm == -40 && c.ul_interference_db == 0);
    CHECK(c.shannon_alpha == 0.6 && c.shannon_max_bps_hz == 4.4);
    CHECK(c.calibration == PHY_CAL_CONFORMANCE && c.bler_slope == 1 && c.enb_rx_antennas == 2);
    CHECK(c.bler_target == 0.1 && c.dci_bler_target == 0.01 && c.pc_margin_db == 1);
    /* the Shannon set is the model before the calibration */
    phy_link_cfg o = c;
    phy_link_calibrate(&o, PHY_CAL_SHANNON);
    CHECK(o.cal[PHY_CH_NPUSCH_12T].offset_db == 1.2 && o.cal[PHY_CH_NPDSCH].rep_loss_db == 0.3);
    CHECK(o.cal[PHY_CH_NPRACH].offset_db == 6 && o.cal[PHY_CH_PRACH].offset_db == -14.2);
    CHECK(o.bler_slope == 2);

    /* Adhikary et al. 2016: 164 dB, 23 dBm, eNB NF 3 dB. */
    CHECK_NEAR(phy_noise_dbm(15e3, 3), -129.2, 0.05);
    CHECK_NEAR(phy_noise_dbm(3750, 3), -135.3, 0.05);
    CHECK_NEAR(phy_ul_snr_db(&c, 164, 23, 15e3), -11.8, 0.1);
    CHECK_NEAR(phy_ul_snr_db(&c, 164, 23, 3750), -5.7, 0.1);
    /* Both give -141 dBm sensitivity: received power = noise + SNR. */
    CHECK_NEAR(phy_noise_dbm(15e3, 3) + phy_ul_snr_db(&c, 164, 23, 15e3), -141, 1e-9);
    CHECK_NEAR(phy_noise_dbm(3750, 3) + phy_ul_snr_db(&c, 164, 23, 3750), -141, 1e-9);

    /* Interference over thermal lowers the uplink SNR dB for dB. */
    phy_link_cfg ci = c;
    ci.ul_interference_db = 2.5;
    CHECK_NEAR(phy_ul_snr_db(&ci, 150, 23, 15e3), phy_ul_snr_db(&c, 150, 23, 15e3) - 2.5, 1e-12);

    /* NRSRP per 15 kHz RE: 43 dBm over 12 subcarriers = 32.21 dBm. */
    CHECK_NEAR(phy_rsrp_dbm(&c, 144), 43 - 10 * log10(12.0) - 144, 1e-12);
    CHECK_NEAR(phy_rsrp_dbm(&c, 144), -111.79, 0.01);
    /* DL SNR over 180 kHz with the UE NF 5 dB: 43 - CL + 174 - 52.55 - 5. */
    CHECK_NEAR(phy_dl_snr_db(&c, 164), -4.55, 0.01);
    CHECK_NEAR(phy_dl_snr_db(&c, 144) - phy_dl_snr_db(&c, 164), 20, 1e-9);
}

static void test_ce_level(void)
{
    const double thr[2] = {-108, -118};
    CHECK_EQ_INT(phy_ce_level(thr, 2, -90), 0);
    CHECK_EQ_INT(phy_ce_level(thr, 2, -108), 0); /* at the threshold: >= */
    CHECK_EQ_INT(phy_ce_level(thr, 2, -108.001), 1);
    CHECK_EQ_INT(phy_ce_level(thr, 2, -118), 1);
    CHECK_EQ_INT(phy_ce_level(thr, 2, -118.001), 2);
    CHECK_EQ_INT(phy_ce_level(thr, 2, -150), 2);
    CHECK_EQ_INT(phy_ce_level(thr, 1, -110), 1);
    CHECK_EQ_INT(phy_ce_level(thr, 0, -150), 0);
    /* With the default budget, RSRP -108 dBm is CL 140.2 dB. */
    phy_link_cfg c;
    phy_link_default(&c);
    CHECK_EQ_INT(phy_ce_level(thr, 2, phy_rsrp_dbm(&c, 140.0)), 0);
    CHECK_EQ_INT(phy_ce_level(thr, 2, phy_rsrp_dbm(&c, 141.0)), 1);
    CHECK_EQ_INT(phy_ce_level(thr, 2, phy_rsrp_dbm(&c, 151.0)), 2);
}

/* --------------------------------------------------------------- coverage */

#define NDRAW 100000

static void test_coverage_defaults(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    CHECK(c.kind == PHY_CL_TR45820);
    CHECK(c.fixed_db == 144 && c.table_n == 0);
    CHECK(c.isd_m == 1732 && c.min_distance_m == 35);
    CHECK(c.pl_intercept_db == 120.9 && c.pl_slope_db == 37.6 && c.shadowing_sd_db == 8);
    CHECK(c.bs_gain_dbi == 18 && c.ue_gain_dbi == -4 && c.beamwidth_deg == 65);
    CHECK(c.front_back_db == 20 && c.other_loss_db == 0 && c.indoor == 1);

    sim_rng r;
    rng_for(&r, 1, 0);
    c.kind = PHY_CL_FIXED;
    CHECK(phy_coupling_loss_draw(&c, &r) == 144);
}

static void test_coverage_table(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    c.kind = PHY_CL_TABLE;
    c.table_n = 3;
    c.table_db[0] = 100, c.table_db[1] = 120, c.table_db[2] = 140;
    c.table_cdf[0] = 0, c.table_cdf[1] = 0.5, c.table_cdf[2] = 1;
    sim_rng r;
    rng_for(&r, 2, 0);
    int below110 = 0, below130 = 0, out = 0;
    for (int i = 0; i < NDRAW; i++) {
        double x = phy_coupling_loss_draw(&c, &r);
        below110 += x < 110;
        below130 += x < 130;
        out += x < 100 || x > 140;
    }
    double se = sqrt(0.25 * 0.75 / NDRAW);
    CHECK_EQ_INT(out, 0);
    CHECK_NEAR((double)below110 / NDRAW, 0.25, NSE * se);
    CHECK_NEAR((double)below130 / NDRAW, 0.75, NSE * se);
}

/* Geometry of the sector: hexagon of side s = ISD/3, site at the vertex
 * (0, 0), centre (s, 0). */
static int in_sector(double x, double y, double s)
{
    double dx = x - s;
    return fabs(y) <= s * sqrt(3) / 2 && fabs(y) <= sqrt(3) * (s - fabs(dx));
}

/* Midpoint quadrature over the sector (r >= rmin) of the mean of
 * f(distance, angle). */
static double sector_mean(double s, double rmin, double (*f)(double, double, const void *),
                          const void *arg)
{
    const int n = 1500;
    double hx = 2 * s / n, hy = s * sqrt(3) / n, sum = 0, w = 0;
    for (int i = 0; i < n; i++) {
        double x = (i + 0.5) * hx;
        for (int j = 0; j < n; j++) {
            double y = -s * sqrt(3) / 2 + (j + 0.5) * hy;
            if (!in_sector(x, y, s)) continue;
            double d = hypot(x, y);
            if (d < rmin) continue;
            sum += f(d, atan2(y, x) * 180 / PI, arg);
            w += 1;
        }
    }
    return sum / w;
}

static double f_att(double d, double theta, const void *arg)
{
    double bw = *(const double *)arg, a = 12 * (theta / bw) * (theta / bw);
    return a < 20 ? a : 20;
}

static double f_pl(double d, double theta, const void *arg)
{
    return 120.9 + 37.6 * log10(d / 1000);
}

/* PL + antenna attenuation, and its square. */
static double f_geo(double d, double theta, const void *arg)
{
    return f_pl(d, theta, NULL) + f_att(d, theta, arg);
}

static double f_geo2(double d, double theta, const void *arg)
{
    double g = f_geo(d, theta, arg);
    return g * g;
}

static void test_coverage_geometry(void)
{
    /* No shadowing, no penetration, a flat antenna: CL = PL(R) - 18 + 4,
     * so R can be read back from each draw. */
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    c.shadowing_sd_db = 0;
    c.indoor = 0;
    c.beamwidth_deg = 1e12;
    double s = c.isd_m / 3, rmin = c.min_distance_m;
    sim_rng r;
    rng_for(&r, 3, 0);
    int in_half = 0, in_s = 0, bad = 0;
    double sum_cl = 0;
    for (int i = 0; i < NDRAW; i++) {
        double cl = phy_coupling_loss_draw(&c, &r);
        sum_cl += cl;
        double d = 1000 * pow(10, (cl + 18 - 4 - 120.9) / 37.6);
        bad += d < rmin - 1e-6 || d > 2 * s + 1e-6;
        in_half += d <= s / 2;
        in_s += d <= s;
    }
    CHECK_EQ_INT(bad, 0);
    /* Within distance r <= s of the site the sector is a 120 degree disc
     * sector, so P(R <= r) = (pi r^2/3 - pi rmin^2/3) / (A - pi rmin^2/3). */
    double area = 1.5 * sqrt(3) * s * s, hole = PI * rmin * rmin / 3;
    double p_half = (PI * s * s / 12 - hole) / (area - hole);
    double p_s = (PI * s * s / 3 - hole) / (area - hole);
    CHECK_NEAR((double)in_half / NDRAW, p_half, NSE * sqrt(p_half * (1 - p_half) / NDRAW));
    CHECK_NEAR((double)in_s / NDRAW, p_s, NSE * sqrt(p_s * (1 - p_s) / NDRAW));
    CHECK_NEAR(area / 1e6, 0.866, 0.001); /* TR 45.820: sector area 0.866 km2 */

    /* Mean path loss against quadrature over the sector (sd of PL over the
     * sector is ~ 8 dB: 5 SE = 0.13 dB). */
    double pl_mean = sector_mean(s, rmin, f_pl, NULL);
    CHECK_NEAR(sum_cl / NDRAW, pl_mean - 14, 0.15);

    /* Antenna pattern: the same positions (same stream) with beamwidth 65
     * degrees add -min(12 (theta/65)^2, 20) to the gain; its mean against
     * quadrature. A near-zero beamwidth gives the 20 dB front-to-back
     * attenuation everywhere. */
    phy_coverage_cfg c65 = c, c0 = c;
    c65.beamwidth_deg = 65;
    c0.beamwidth_deg = 1e-9;
    sim_rng r1, r2, r3;
    rng_for(&r1, 4, 0);
    rng_for(&r2, 4, 0);
    rng_for(&r3, 4, 0);
    double sum_att = 0, sum_att2 = 0;
    int fb_bad = 0;
    for (int i = 0; i < NDRAW; i++) {
        double flat = phy_coupling_loss_draw(&c, &r1);
        double a = phy_coupling_loss_draw(&c65, &r2) - flat;
        double fb = phy_coupling_loss_draw(&c0, &r3) - flat;
        sum_att += a;
        sum_att2 += a * a;
        fb_bad += fabs(fb - 20) > 1e-9;
    }
    double bw = 65, att_mean = sector_mean(s, rmin, f_att, &bw);
    double m = sum_att / NDRAW, sd = sqrt(sum_att2 / NDRAW - m * m);
    CHECK_NEAR(m, att_mean, NSE * sd / sqrt(NDRAW) + 0.01);
    CHECK_EQ_INT(fb_bad, 0);
    /* At the sector's far corners (60 degrees) the attenuation is 10.2 dB. */
    CHECK(sum_att / NDRAW > 0 && m < 12 * (60 / 65.0) * (60 / 65.0));
}

/* Moments of max(p U(4,10), U(0,9)) by integrating 1 - F1 F3 (both
 * nonnegative): E[T] = int (1 - F) dt, E[T^2] = int 2 t (1 - F) dt. */
static void tor_moments(int p, double *m1, double *m2)
{
    const int n = 200000;
    double hi = 30, h = hi / n;
    *m1 = *m2 = 0;
    for (int i = 0; i < n; i++) {
        double t = (i + 0.5) * h;
        double f1 = p == 0 ? 1.0 : fmin(1.0, fmax(0.0, (t / p - 4) / 6));
        double f3 = fmin(1.0, t / 9);
        *m1 += (1 - f1 * f3) * h;
        *m2 += 2 * t * (1 - f1 * f3) * h;
    }
}

/* Mean and variance of the TR 45.820 penetration loss: the external wall
 * mixture of uniforms plus the independent internal term. */
static void penetration_moments(double *mean, double *var)
{
    const double w[3] = {0.25, 0.65, 0.10}, a[3] = {4, 11, 19}, b[3] = {11, 19, 23};
    const double pw[4] = {0.85 / 3, 0.85 / 3, 0.85 / 3, 0.15};
    double e1 = 0, e2 = 0, t1 = 0, t2 = 0;
    for (int i = 0; i < 3; i++) {
        e1 += w[i] * (a[i] + b[i]) / 2;
        e2 += w[i] * (a[i] * a[i] + a[i] * b[i] + b[i] * b[i]) / 3;
    }
    for (int p = 0; p < 4; p++) {
        double m1, m2;
        tor_moments(p, &m1, &m2);
        t1 += pw[p] * m1;
        t2 += pw[p] * m2;
    }
    *mean = e1 + t1;
    *var = (e2 - e1 * e1) + (t2 - t1 * t1);
}

static void test_penetration(void)
{
    /* Mixture mean: external 0.25 x 7.5 + 0.65 x 15 + 0.10 x 21 = 13.725 dB,
     * internal E[max(tor1, tor3)] over p in {0,1,2,3}. */
    double mean, var;
    penetration_moments(&mean, &var);
    CHECK_NEAR(0.25 * 7.5 + 0.65 * 15 + 0.10 * 21, 13.725, 1e-12); /* external wall mean */
    sim_rng r;
    rng_for(&r, 5, 0);
    double sum = 0, sum2 = 0, lo = 1e9, hi = -1e9;
    for (int i = 0; i < NDRAW; i++) {
        double x = phy_penetration_draw(&r);
        sum += x, sum2 += x * x;
        lo = fmin(lo, x), hi = fmax(hi, x);
    }
    double m = sum / NDRAW, sd = sqrt(sum2 / NDRAW - m * m);
    CHECK_NEAR(m, mean, NSE * sd / sqrt(NDRAW));
    CHECK_NEAR(sd, sqrt(var), 0.05);
    CHECK(lo >= 4 && hi <= 23 + 30);
    printf("penetration: mean %.2f dB (closed form %.2f), sd %.2f (%.2f), range %.1f..%.1f\n", m,
           mean, sd, sqrt(var), lo, hi);

    /* In the coupling loss: indoor on/off with the same stream differs by
     * exactly a penetration draw, and shadowing 8 vs 0 by a N(0, 8) draw. */
    phy_coverage_cfg c, cin;
    phy_coverage_default(&c);
    c.indoor = 0;
    cin = c;
    cin.indoor = 1;
    phy_coverage_cfg cflat = c;
    cflat.shadowing_sd_db = 0;
    sim_rng r1, r2, r3;
    rng_for(&r1, 6, 0);
    rng_for(&r2, 6, 0);
    rng_for(&r3, 6, 0);
    double ps = 0, ss = 0, ss2 = 0;
    for (int i = 0; i < NDRAW; i++) {
        double out = phy_coupling_loss_draw(&c, &r1);
        double in = phy_coupling_loss_draw(&cin, &r2);
        double flat = phy_coupling_loss_draw(&cflat, &r3);
        /* r2 drew 5 more uniforms per device: resynchronise r1 and r3. */
        sim_rng_uniform(&r1), sim_rng_uniform(&r1), sim_rng_uniform(&r1);
        sim_rng_uniform(&r1), sim_rng_uniform(&r1);
        sim_rng_uniform(&r3), sim_rng_uniform(&r3), sim_rng_uniform(&r3);
        sim_rng_uniform(&r3), sim_rng_uniform(&r3);
        ps += in - out;
        ss += out - flat;
        ss2 += (out - flat) * (out - flat);
    }
    CHECK_NEAR(ps / NDRAW, mean, NSE * sd / sqrt(NDRAW));
    double sm = ss / NDRAW, ssd = sqrt(ss2 / NDRAW - sm * sm);
    CHECK_NEAR(sm, 0, NSE * 8 / sqrt(NDRAW));
    CHECK_NEAR(ssd, 8, NSE * 8 / sqrt(2.0 * NDRAW));
}

static void test_coverage_tr45820(void)
{
    phy_coverage_cfg c;
    phy_coverage_default(&c);
    sim_rng r, r2;
    rng_for(&r, 8, 0);
    rng_for(&r2, 8, 0);
    double *x = malloc(NDRAW * sizeof *x);
    int same = 1;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < NDRAW; i++) {
        x[i] = phy_coupling_loss_draw(&c, &r);
        same &= x[i] == phy_coupling_loss_draw(&c, &r2);
        sum += x[i], sum2 += x[i] * x[i];
    }
    CHECK(same); /* the draw uses only its stream */
    qsort(x, NDRAW, sizeof *x, cmp_double);
    double p5 = x[NDRAW / 20], p50 = x[NDRAW / 2], p95 = x[NDRAW - NDRAW / 20];
    int over144 = 0, over154 = 0, over164 = 0;
    for (int i = 0; i < NDRAW; i++)
        over144 += x[i] > 144, over154 += x[i] > 154, over164 += x[i] > 164;
    double m = sum / NDRAW, sd = sqrt(sum2 / NDRAW - m * m);
    printf("TR 45.820 coupling loss (1e5 draws): mean %.2f sd %.2f, p5 %.2f, median %.2f, "
           "p95 %.2f dB; above 144/154/164 dB: %.2f/%.2f/%.3f %%\n",
           m, sd, p5, p50, p95, 100.0 * over144 / NDRAW, 100.0 * over154 / NDRAW,
           100.0 * over164 / NDRAW);

    /* Internal consistency: mean and variance are sums over the independent
     * parts: geometry + antenna by quadrature over the sector, shadowing
     * N(0, 8^2), penetration in closed form. */
    double s = c.isd_m / 3, bw = 65;
    double g1 = sector_mean(s, c.min_distance_m, f_geo, &bw);
    double g2 = sector_mean(s, c.min_distance_m, f_geo2, &bw);
    double pen, pen_var;
    penetration_moments(&pen, &pen_var);
    double want_sd = sqrt(g2 - g1 * g1 + 64 + pen_var);
    printf("  components: geometry+antenna-gains mean %.2f sd %.2f, penetration mean %.2f sd %.2f; "
           "total sd %.2f\n",
           g1 - 14, sqrt(g2 - g1 * g1), pen, sqrt(pen_var), want_sd);
    CHECK_NEAR(m, g1 - 18 + 4 + pen, NSE * sd / sqrt(NDRAW) + 0.02);
    CHECK_NEAR(sd, want_sd, NSE * sd / sqrt(2.0 * NDRAW) + 0.02);
    free(x);
}

/* -------------------------------------------------------------- durations */

static void test_durations(void)
{
    /* TS 36.211 10.1.6: derived attempt lengths, format 0 / format 1. */
    static const int reps[8] = {1, 2, 4, 8, 16, 32, 64, 128};
    static const double f0[8] = {5.6, 11.2, 22.4, 44.8, 89.6, 179.2, 358.4, 756.8};
    static const double f1[8] = {6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6, 859.2};
    for (int i = 0; i < 8; i++) {
        CHECK_EQ_INT(phy_nprach_duration(reps[i], 0), llround(f0[i] * 1000));
        CHECK_EQ_INT(phy_nprach_duration(reps[i], 1), llround(f1[i] * 1000));
    }
    CHECK_EQ_INT(phy_nprach_duration(65, 0), 65 * 5600 + 40000);

    CHECK_EQ_INT(phy_ru_duration(12, 0), 1000);
    CHECK_EQ_INT(phy_ru_duration(6, 0), 2000);
    CHECK_EQ_INT(phy_ru_duration(3, 0), 4000);
    CHECK_EQ_INT(phy_ru_duration(1, 0), 8000);
    CHECK_EQ_INT(phy_ru_duration(1, 1), 32000);
    CHECK_EQ_INT(phy_ru_duration(5, 0), 0);

    /* NPUSCH: 40 ms gap after every 256 ms of transmission, none at the end. */
    CHECK_EQ_INT(phy_npusch_duration(12, 0, 1, 1), 1000);
    CHECK_EQ_INT(phy_npusch_duration(3, 0, 4, 2), 32000);
    CHECK_EQ_INT(phy_npusch_duration(1, 0, 4, 8), 256000);          /* exactly 256: no gap */
    CHECK_EQ_INT(phy_npusch_duration(1, 0, 1, 33), 264000 + 40000); /* 256 + gap + 8 */
    CHECK_EQ_INT(phy_npusch_duration(1, 1, 10, 32), 10240000 + 39 * 40000);
    CHECK_EQ_INT(phy_npusch_duration(1, 0, 10, 128), 10240000 + 39 * 40000);
    CHECK_EQ_INT(phy_npusch_duration(1, 1, 4, 1), 128000);
    /* Format 2: 2 ms (15 kHz) or 8 ms (3.75 kHz) per repetition. */
    CHECK_EQ_INT(phy_ack_duration(1, 0), 2000);
    CHECK_EQ_INT(phy_ack_duration(128, 0), 256000);
    CHECK_EQ_INT(phy_ack_duration(4, 1), 32000);
    CHECK_EQ_INT(phy_ack_duration(32, 1), 256000);
    CHECK_EQ_INT(phy_ack_duration(64, 1), 512000 + 40000);

    /* The gaps are not transmission (TS 36.211 10.1.3.6, 10.1.6.1): the
     * transmitting time is the duration without them. */
    CHECK_EQ_INT(phy_nprach_tx_time(64, 0), 64 * 5600);
    CHECK_EQ_INT(phy_nprach_tx_time(128, 0), 128 * 5600); /* 756.8 ms attempt, 40 ms gap */
    CHECK_EQ_INT(phy_nprach_duration(128, 0) - phy_nprach_tx_time(128, 0), 40000);
    CHECK_EQ_INT(phy_nprach_tx_time(128, 1), 128 * 6400);
    CHECK_EQ_INT(phy_ack_tx_time(64, 1), 512000);
    CHECK_EQ_INT(phy_ack_tx_time(128, 0), 256000);
    phy_ul_grant g = {.tones = 1, .scs_3k75 = 0, .n_ru = 10, .reps = 128};
    g.duration = phy_npusch_duration(1, 0, 10, 128);
    CHECK_EQ_INT(phy_ul_tx_time(&g), 10240000);
    CHECK_EQ_INT(g.duration - phy_ul_tx_time(&g), 39 * 40000);
    phy_ul_grant lt = {.n_prb = 6, .reps = 32, .duration = 32000};
    CHECK_EQ_INT(phy_ul_tx_time(&lt), 32000); /* LTE-M PUSCH: no gaps */
}

static void test_tbs(void)
{
    static const int n_ru[8] = {1, 2, 3, 4, 5, 6, 8, 10};
    for (int i = 0; i < 8; i++)
        CHECK_EQ_INT(phy_n_ru_values[i], n_ru[i]);
    /* TS 36.213 Table 16.5.1.2-2. */
    CHECK_EQ_INT(phy_npusch_tbs(0, 0), 16);
    CHECK_EQ_INT(phy_npusch_tbs(0, 7), 256);
    CHECK_EQ_INT(phy_npusch_tbs(3, 4), 256);
    CHECK_EQ_INT(phy_npusch_tbs(5, 7), 872);
    CHECK_EQ_INT(phy_npusch_tbs(6, 7), 1000);
    CHECK_EQ_INT(phy_npusch_tbs(7, 5), 712);
    CHECK_EQ_INT(phy_npusch_tbs(7, 7), 0);
    CHECK_EQ_INT(phy_npusch_tbs(9, 5), 936);
    CHECK_EQ_INT(phy_npusch_tbs(10, 5), 1000);
    CHECK_EQ_INT(phy_npusch_tbs(12, 3), 1000);
    CHECK_EQ_INT(phy_npusch_tbs(12, 4), 0);
    CHECK_EQ_INT(phy_npusch_tbs(13, 0), 0);
    CHECK_EQ_INT(phy_npusch_tbs(0, 8), 0);
    /* TS 36.213 Table 16.4.1.5.1-1 (Rel-13, srsRAN tbs_tables_nbiot.h). */
    CHECK_EQ_INT(phy_npdsch_tbs(0, 0), 16);
    CHECK_EQ_INT(phy_npdsch_tbs(3, 7), 568);
    CHECK_EQ_INT(phy_npdsch_tbs(4, 7), 680);
    CHECK_EQ_INT(phy_npdsch_tbs(5, 6), 680);
    CHECK_EQ_INT(phy_npdsch_tbs(5, 7), 0);
    CHECK_EQ_INT(phy_npdsch_tbs(7, 5), 680); /* NPUSCH has 712 here */
    CHECK_EQ_INT(phy_npdsch_tbs(9, 3), 616);
    CHECK_EQ_INT(phy_npdsch_tbs(9, 4), 0);
    CHECK_EQ_INT(phy_npdsch_tbs(12, 2), 680);
    CHECK_EQ_INT(phy_npdsch_tbs(12, 3), 0);
    /* Elsewhere the two tables agree up to 680, and NPDSCH never exceeds it. */
    int agree = 1;
    for (int i = 0; i <= 12; i++)
        for (int j = 0; j < 8; j++) {
            int u = phy_npusch_tbs(i, j), d = phy_npdsch_tbs(i, j);
            if (i == 7 && j == 5) continue;
            agree &= d == (u <= 680 ? u : 0);
        }
    CHECK(agree);
}

/* ----------------------------------------------------------- DL subframes */

/* Reference validity from the rules, written differently from the map:
 * frame f carries SIB1 in subframe 4 when (f - start) mod spacing is even
 * and below 16. */
static int ref_valid(int64_t k, int sib1_reps, int pci)
{
    int64_t frame = k / 10;
    int sf = (int)(k % 10);
    if (sf == 0 || sf == 5) return 0;
    if (sf == 9 && frame % 2 == 0) return 0;
    if (sf == 4 && (sib1_reps == 4 || sib1_reps == 8 || sib1_reps == 16)) {
        int start = sib1_reps == 4 ? 16 * (pci % 4) : sib1_reps == 8 ? 16 * (pci % 2) : pci % 2;
        int spacing = 256 / sib1_reps;
        int64_t d = ((frame % 256 - start) % spacing + spacing) % spacing;
        if (d < 16 && d % 2 == 0) return 0;
    }
    return 1;
}

static void test_dl_map(void)
{
    static phy_dl_map m;
    const int reps[4] = {4, 8, 16, 0};
    const double per_frame[4] = {7.375, 7.25, 7.0, 7.5};
    sim_rng r;
    rng_for(&r, 9, 0);
    for (int ri = 0; ri < 4; ri++) {
        for (int pci = 0; pci < 4; pci++) {
            phy_dl_map_init(&m, reps[ri], pci);
            int mism = 0;
            for (int k = 0; k < 2560; k++)
                mism += m.valid[k] != ref_valid(k, reps[ri], pci);
            CHECK_EQ_INT(mism, 0);
            CHECK_NEAR(m.before[2560] / 256.0, per_frame[ri], 1e-12);
            if (reps[ri] == 4) /* OAI calculate_DLSF: 472 per 64 frames */
                CHECK_EQ_INT(phy_dl_count(&m, 0, 640 * SIM_MS), 472);

            /* Random queries against a per-millisecond walk over 3 periods. */
            int bad_next = 0, bad_span = 0, bad_count = 0;
            for (int q = 0; q < 2000; q++) {
                sim_time_t t = (sim_time_t)sim_rng_int(&r, 3 * 2560 * 1000);
                if (q % 4 == 0) t = t / 1000 * 1000; /* exactly on subframe starts too */
                int n = 1 + (int)sim_rng_int(&r, q % 2 ? 20 : 5000);
                int64_t k = (t + 999) / 1000, first = -1, nth = -1, seen = 0;
                for (int64_t j = k;; j++) {
                    if (!ref_valid(j, reps[ri], pci)) continue;
                    if (first < 0) first = j;
                    if (++seen == n) {
                        nth = j;
                        break;
                    }
                }
                bad_next += phy_dl_next_valid(&m, t) != first * SIM_MS;
                bad_span += phy_dl_span_end(&m, t, n) != (nth + 1) * SIM_MS;
                sim_time_t b = t + (sim_time_t)sim_rng_int(&r, 3 * 2560 * 1000);
                int64_t cnt = 0;
                for (int64_t j = k; j * SIM_MS < b; j++)
                    cnt += ref_valid(j, reps[ri], pci);
                bad_count += phy_dl_count(&m, t, b) != cnt;
                bad_count += phy_dl_count(&m, b, t) != 0;
                /* the n-th valid subframe is the last one counted before its end */
                bad_count += phy_dl_count(&m, t, phy_dl_span_end(&m, t, n)) != n;
            }
            CHECK_EQ_INT(bad_next, 0);
            CHECK_EQ_INT(bad_span, 0);
            CHECK_EQ_INT(bad_count, 0);
        }
    }
    /* Far in the future (whole-period arithmetic) and known values. */
    phy_dl_map_init(&m, 4, 0);
    CHECK_EQ_INT(phy_dl_next_valid(&m, 0), 1000);      /* sf 0 is NPBCH */
    CHECK_EQ_INT(phy_dl_next_valid(&m, 4000), 6000);   /* SIB1 in frame 0, then NPSS */
    CHECK_EQ_INT(phy_dl_next_valid(&m, 14000), 14000); /* frame 1: no SIB1 */
    CHECK_EQ_INT(phy_dl_next_valid(&m, 9001), 11000);  /* sf 9 passed; frame 1 sf 0 NPBCH */
    CHECK_EQ_INT(phy_dl_next_valid(&m, 19000), 19000); /* odd frame: sf 9 valid */
    CHECK_EQ_INT(phy_dl_span_end(&m, 0, 3), 4000);     /* sf 1, 2, 3 */
    CHECK_EQ_INT(phy_dl_span_end(&m, 0, 4), 7000);     /* then sf 6 */
    sim_time_t far = 1000 * (sim_time_t)SIM_DAY + 123;
    int64_t per = m.before[2560];
    CHECK_EQ_INT(phy_dl_count(&m, far, far + 2560 * 1000 * 7), 7 * per);
    CHECK_EQ_INT(phy_dl_count(&m, 0, 2560 * SIM_MS * 1000000LL), per * 1000000LL);
    CHECK_EQ_INT(phy_dl_span_end(&m, 0, (int)per), 2560 * SIM_MS); /* sf 9 of odd frame 255 */
    /* LTE-M: every subframe valid; spans are whole milliseconds */
    phy_dl_map_all_valid(&m);
    CHECK_EQ_INT(phy_dl_next_valid(&m, 4001), 5000);
    CHECK_EQ_INT(phy_dl_span_end(&m, 4001, 3), 8000);
    CHECK_EQ_INT(phy_dl_span_end(&m, far, 2560 * 3 + 7), (far / 1000 + 1 + 2560 * 3 + 7) * 1000);
    CHECK_EQ_INT(phy_dl_count(&m, 0, 2560 * SIM_MS * 10LL), 25600);
}

int main(void)
{
    test_link_budget();
    test_ce_level();
    test_coverage_defaults();
    test_coverage_table();
    test_coverage_geometry();
    test_penetration();
    test_coverage_tr45820();
    test_durations();
    test_tbs();
    test_dl_map();
    return check_done();
}
