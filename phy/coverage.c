/* coverage.c: coupling-loss draws (fixed, table, TR 45.820 composition) and
 * the link budget (noise, NRSRP, SNR, CE level). */
#include <math.h>
#include <string.h>

#include "phy/phy.h"

#define PHY_SQRT3 1.7320508075688772
#define PHY_PI    3.14159265358979323846

void phy_coverage_default(phy_coverage_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->kind = PHY_CL_TR45820;
    c->fixed_db = 144.0; /* GPRS / legacy reference MCL (TR 45.820) */
    c->table_n = 0;
    c->isd_m = 1732.0;          /* TR 45.820 capacity scenario */
    c->min_distance_m = 35.0;   /* TR 36.814 macro */
    c->pl_intercept_db = 120.9; /* TR 36.942 urban macro at 900 MHz */
    c->pl_slope_db = 37.6;
    c->shadowing_sd_db = 8.0; /* TR 45.820 */
    c->bs_gain_dbi = 18.0;    /* TR 45.820 */
    c->ue_gain_dbi = -4.0;    /* TR 45.820 */
    c->beamwidth_deg = 65.0;  /* 3-sector antenna, TR 36.942 pattern */
    c->front_back_db = 20.0;
    c->other_loss_db = 0.0;
    c->indoor = 1;
}

double phy_penetration_draw(sim_rng *r)
{
    /* TR 45.820 building penetration, first scenario. Always
     * five uniforms in this order, so the stream position after the draw
     * does not depend on the outcome. tor1 reads "p x U(4,10)" literally:
     * one uniform loss per wall, the same for all p walls (as the ns-3
     * lorawan BuildingPenetrationLoss model does). The internal-wall
     * probabilities 0.2833 are 0.85/3 rounded: 0.85/3 each for p = 0, 1, 2 and
     * 0.15 for p = 3. */
    double u_class = sim_rng_uniform(r);
    double u_ext = sim_rng_uniform(r);
    double u_p = sim_rng_uniform(r);
    double u_wall = sim_rng_uniform(r);
    double u_tor3 = sim_rng_uniform(r);
    double ext;
    if (u_class < 0.25)
        ext = 4.0 + 7.0 * u_ext;
    else if (u_class < 0.90)
        ext = 11.0 + 8.0 * u_ext;
    else
        ext = 19.0 + 4.0 * u_ext;
    int p = u_p < 0.85 / 3 ? 0 : u_p < 1.7 / 3 ? 1 : u_p < 0.85 ? 2 : 3;
    double tor1 = p * (4.0 + 6.0 * u_wall);
    double tor3 = 0.6 * 15.0 * u_tor3;
    return ext + (tor1 > tor3 ? tor1 : tor3);
}

/* Device position uniform over the sector of a 3-sector site: a hexagon of
 * side D/3 (D = ISD) with the site at one vertex and its centre D/3 away
 * along the boresight (+x). Rejection from the bounding box (acceptance
 * 3/4), also rejecting points closer than min_distance. Returns the
 * distance in m and the angle off boresight in degrees. */
static void sector_position(const phy_coverage_cfg *c, sim_rng *r, double *dist_m,
                            double *theta_deg)
{
    double s = c->isd_m / 3.0;
    double h = s * PHY_SQRT3 / 2.0;
    double x = s, y = 0.0; /* the centre, if the loop never accepts */
    for (int tries = 0; tries < 100000; tries++) {
        double dx = s * (2.0 * sim_rng_uniform(r) - 1.0);
        double dy = h * (2.0 * sim_rng_uniform(r) - 1.0);
        if (fabs(dy) > PHY_SQRT3 * (s - fabs(dx))) continue; /* slanted edges */
        if (hypot(s + dx, dy) < c->min_distance_m) continue;
        x = s + dx;
        y = dy;
        break;
    }
    *dist_m = hypot(x, y);
    *theta_deg = atan2(y, x) * (180.0 / PHY_PI);
}

static double tr45820_draw(const phy_coverage_cfg *c, sim_rng *r)
{
    /* Draw order: position, shadowing, penetration (penetration only when
     * indoor, after everything else, so switching it off leaves the other
     * draws unchanged). */
    double d, theta;
    sector_position(c, r, &d, &theta);
    double pl = c->pl_intercept_db + c->pl_slope_db * log10(d / 1000.0);
    /* TR 36.942 4.2 horizontal pattern: -min(12 (theta/theta3dB)^2, Am). */
    double t = theta / c->beamwidth_deg;
    double att = 12.0 * t * t;
    if (att > c->front_back_db) att = c->front_back_db;
    double shadow = sim_rng_normal(r, 0.0, c->shadowing_sd_db);
    double pen = c->indoor ? phy_penetration_draw(r) : 0.0;
    return pl + shadow + pen + c->other_loss_db - (c->bs_gain_dbi - att) - c->ue_gain_dbi;
}

static double table_draw(const phy_coverage_cfg *c, sim_rng *r)
{
    int n = c->table_n;
    if (n > PHY_CL_TABLE_MAX) n = PHY_CL_TABLE_MAX;
    if (n <= 0) return c->fixed_db;
    if (n == 1) return c->table_db[0];
    double u = sim_rng_uniform(r);
    /* Inverse CDF, linear between the points; a flat CDF step (equal cdf
     * values) is skipped, a vertical one (equal dB values) is an atom. */
    int i = 0;
    while (i < n - 2 && u >= c->table_cdf[i + 1])
        i++;
    double c0 = c->table_cdf[i], c1 = c->table_cdf[i + 1];
    if (c1 <= c0) return c->table_db[i + 1];
    double f = (u - c0) / (c1 - c0);
    if (f < 0.0) f = 0.0;
    if (f > 1.0) f = 1.0;
    return c->table_db[i] + f * (c->table_db[i + 1] - c->table_db[i]);
}

double phy_coupling_loss_draw(const phy_coverage_cfg *c, sim_rng *r)
{
    switch (c->kind) {
    case PHY_CL_TABLE:
        return table_draw(c, r);
    case PHY_CL_TR45820:
        return tr45820_draw(c, r);
    case PHY_CL_FIXED:
    default:
        return c->fixed_db;
    }
}

/* ---------------------------------------------------------- link budget */

void phy_link_default(phy_link_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->enb_tx_dbm = 43.0;                       /* NB-IoT standalone, 20 W over 180 kHz */
    c->enb_nf_db = 3.0;                         /* Adhikary et al., VTC 2016 */
    c->ue_nf_db = 5.0;                          /* TR 45.820 / TR 36.888 link budgets */
    c->ue_max_dbm = 23.0;                       /* power class 3 */
    c->ue_min_dbm = -40.0;                      /* TS 36.101 minimum output power */
    c->ul_interference_db = 0.0;                /* one isolated cell */
    c->shannon_alpha = 0.6;                     /* TR 36.942 A.2 */
    c->shannon_max_bps_hz = 4.4;                /* TR 36.942 A.2 */
    c->enb_rx_antennas = 2;                     /* TS 36.104 8.5, TR 45.820 link budgets */
    phy_link_calibrate(c, PHY_CAL_CONFORMANCE); /* offsets, repetition losses, slope */
    c->bler_target = 0.1;
    c->dci_bler_target = 0.01;
    c->pc_margin_db = 1.0;
    phy_ltem_link_default(c); /* the LTE-M fields (phy/link.c) */
}

double phy_noise_dbm(double bw_hz, double nf_db)
{
    /* 10 log10 of the NB-IoT bandwidths as the exact doubles log10 gives,
     * so link adaptation (5 bandwidths per call) skips the logarithm. */
    double db;
    if (bw_hz == 3750.0)
        db = 35.740312677277188;
    else if (bw_hz == 15e3)
        db = 41.760912590556813;
    else if (bw_hz == 45e3)
        db = 46.53212513775344;
    else if (bw_hz == 90e3)
        db = 49.542425094393252;
    else if (bw_hz == 180e3)
        db = 52.552725051033065;
    else
        db = 10.0 * log10(bw_hz);
    return -174.0 + db + nf_db;
}

double phy_rsrp_dbm(const phy_link_cfg *c, double cl_db)
{
    /* The carrier power is spread over 12 subcarriers of 15 kHz. */
    return c->enb_tx_dbm - 10.0 * log10(12.0) - cl_db;
}

double phy_dl_snr_db(const phy_link_cfg *c, double cl_db)
{
    return c->enb_tx_dbm - cl_db - phy_noise_dbm(180e3, c->ue_nf_db);
}

double phy_ul_snr_db(const phy_link_cfg *c, double cl_db, double tx_dbm, double bw_hz)
{
    return tx_dbm - cl_db - phy_noise_dbm(bw_hz, c->enb_nf_db) - c->ul_interference_db +
           phy_ul_rx_gain_db(c);
}

double phy_ul_rx_gain_db(const phy_link_cfg *c)
{
    /* combining gain relative to the 2 receive antennas of the calibration */
    return c->enb_rx_antennas == 2 ? 0.0 : 10.0 * log10(c->enb_rx_antennas / 2.0);
}

int phy_ce_level(const double *thr_dbm, int n_thr, double rsrp_dbm)
{
    for (int i = 0; i < n_thr; i++)
        if (rsrp_dbm >= thr_dbm[i]) return i;
    return n_thr < 0 ? 0 : n_thr;
}
