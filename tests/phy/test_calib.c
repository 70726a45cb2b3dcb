/* test_calib.c: the default (conformance) link calibration against every
 * 3GPP minimum performance requirement it is fitted to (TS 36.104 V19.2.0
 * 8.2.1, 8.2.7, 8.3.9, 8.4.2.1, 8.5; TS 36.101 V19.6.0 8.12; the points are
 * in docs/reference-points.md). For each point the model's own figure is
 * computed in the reference's configuration (TBS + 24-bit CRC over the
 * reference channel's REs, repetitions, HARQ) with the library's functions
 * and must lie within the tolerance of the requirement's SNR. Prints one
 * line per point (channel, configuration, requirement, model, difference):
 * scripts/calib_table.py turns them into docs/calibration.md. */
#include "phy/phy.h"

#include <math.h>
#include <stdio.h>

#include "tests/check.h"

/* Throughput with up to ntx HARQ transmissions relative to the maximum,
 * as the simulator runs HARQ: each transmission an independent draw at the
 * same BLER p, (1 - p^ntx) / (1 + p + ... + p^(ntx-1)) = 1 - p. */
static double harq_tput(const phy_link_cfg *c, phy_chan ch, double snr, double req, int reps,
                        int ntx)
{
    double p = phy_bler(c, phy_eff_snr_db(c, ch, snr, reps, req), req, c->bler_target);
    double sent = 0.0, pk = 1.0;
    for (int k = 0; k < ntx; k++, pk *= p)
        sent += pk;
    return (1.0 - pk) / sent;
}

/* SNR at which the model reaches 70 % of the maximum throughput. */
static double snr70(const phy_link_cfg *c, phy_chan ch, double req, int reps, int ntx)
{
    double lo = -40, hi = 40;
    for (int i = 0; i < 100; i++) {
        double m = 0.5 * (lo + hi);
        if (harq_tput(c, ch, m, req, reps, ntx) < 0.7)
            lo = m;
        else
            hi = m;
    }
    return 0.5 * (lo + hi);
}

static int n_points, n_out;

static void report(const char *chan, const char *conf, double ref, double model, double tol)
{
    double d = model - ref;
    printf("calib\t%s\t%s\t%.1f\t%.2f\t%+.2f\n", chan, conf, ref, model, d);
    n_points++;
    if (fabs(d) > tol) n_out++;
    CHECK_MSG(fabs(d) <= tol, "%s %s: requirement %.1f dB, model %.2f dB", chan, conf, ref, model);
}

/* A data channel point: TBS over res REs (per repetition), 70 % throughput. */
static void data_point(const phy_link_cfg *c, phy_chan ch, const char *conf, int tbs, double res,
                       int reps, int ntx, int one_port, double ref, double tol)
{
    double req = phy_required_snr_db(c, ch, tbs + 24.0, res);
    if (one_port) req += c->cal[ch].div_db; /* the model's carrier has two ports */
    report(phy_chan_name(ch), conf, ref, snr70(c, ch, req, reps, ntx), tol);
}

/* A channel without a block (or a DCI): the SNR at which the effective
 * SNR of `reps` repetitions reaches the need of the target. */
static void need_point(const phy_link_cfg *c, phy_chan ch, const char *conf, double need, int reps,
                       double ref, double tol)
{
    report(phy_chan_name(ch), conf, ref, need - phy_eff_snr_db(c, ch, 0.0, reps, need), tol);
}

static void test_npusch(const phy_link_cfg *c)
{
    /* TS 36.104 8.5.1, Annex A.16: ETU 1 Hz, 1 TX / 2 RX, 4 HARQ
     * transmissions. A16-1/2: 32 bits on 2 single-tone RUs of 96 REs;
     * A16-3/4/5: 40/104/136 bits on one RU of 144 REs. */
    static const struct {
        phy_chan ch;
        const char *frc;
        int tbs, res, reps[3];
        double snr[3];
    } frc[] = {
        {PHY_CH_NPUSCH_ST_3K75, "A16-1", 32, 192, {1, 16, 64}, {-1.9, -9.2, -12.2}},
        {PHY_CH_NPUSCH_ST_15K, "A16-2", 32, 192, {1, 16, 64}, {-2.1, -8.8, -12.6}},
        {PHY_CH_NPUSCH_3T, "A16-3", 40, 144, {2, 16, 64}, {-3.0, -8.1, -11.4}},
        {PHY_CH_NPUSCH_6T, "A16-4", 104, 144, {2, 16, 64}, {-0.6, -6.8, -10.5}},
        {PHY_CH_NPUSCH_12T, "A16-5", 136, 144, {2, 16, 64}, {-0.7, -6.4, -10.1}},
    };
    for (unsigned i = 0; i < sizeof frc / sizeof frc[0]; i++)
        for (int j = 0; j < 3; j++) {
            char conf[64];
            snprintf(conf, sizeof conf, "%s, %d reps, ETU 1", frc[i].frc, frc[i].reps[j]);
            data_point(c, frc[i].ch, conf, frc[i].tbs, frc[i].res, frc[i].reps[j], 4, 0,
                       frc[i].snr[j], 1.0);
        }
    /* Format 2 (TS 36.104 8.5.2): ACK missed 1 %, EPA 5. */
    static const int r2[3] = {1, 16, 64};
    static const double f2a[3] = {7.0, -5.3, -10.9}, f2b[3] = {6.3, -3.9, -9.5};
    for (int j = 0; j < 3; j++) {
        char conf[64];
        snprintf(conf, sizeof conf, "ACK, %d reps, EPA 5", r2[j]);
        need_point(c, PHY_CH_NPUSCH_F2_3K75, conf, phy_chan_need_db(c, PHY_CH_NPUSCH_F2_3K75),
                   r2[j], f2a[j], 1.0);
        need_point(c, PHY_CH_NPUSCH_F2_15K, conf, phy_chan_need_db(c, PHY_CH_NPUSCH_F2_15K), r2[j],
                   f2b[j], 1.0);
    }
}

/* NPRACH through phy_nprach_detect_prob itself: the SNR of 99 %. */
static void test_nprach(const phy_link_cfg *c)
{
    static const int reps[2] = {8, 32};
    static const double snr[2] = {6.1, 0.5}; /* format 0, EPA 1, 200 Hz (TS 36.104 8.5.3) */
    for (int j = 0; j < 2; j++) {
        double lo = -30, hi = 30; /* SNR over 3.75 kHz */
        for (int i = 0; i < 100; i++) {
            double m = 0.5 * (lo + hi);
            double cl = 23.0 - phy_noise_dbm(3750.0, c->enb_nf_db) - m;
            if (phy_nprach_detect_prob(c, cl, 23.0, reps[j]) < 0.99)
                lo = m;
            else
                hi = m;
        }
        char conf[64];
        snprintf(conf, sizeof conf, "format 0, %d reps, EPA 1", reps[j]);
        report("nprach", conf, snr[j], 0.5 * (lo + hi), 1.0);
    }
}

static void test_downlink(const phy_link_cfg *c)
{
    /* TS 36.101 8.12.1, Annex A.3.12: 70 % throughput, 4 HARQ
     * transmissions. R.NB.5/5-1 in-band, 2 ports: 56 bits on 1 subframe of
     * 100 REs (200 channel bits, QPSK); R.NB.6/6-1 standalone, 1 port: 616
     * / 392 bits on 4 subframes of 160 REs. */
    data_point(c, PHY_CH_NPDSCH, "R.NB.5, 1 rep, EPA 5, 2x1", 56, 100, 1, 4, 0, 6.9, 1.05);
    data_point(c, PHY_CH_NPDSCH, "R.NB.5, 32 reps, EPA 5, 2x1", 56, 100, 32, 4, 0, -4.8, 1.05);
    data_point(c, PHY_CH_NPDSCH, "R.NB.5-1, 256 reps, ETU 1, 2x1", 56, 100, 256, 4, 0, -9.8, 1.05);
    data_point(c, PHY_CH_NPDSCH, "R.NB.6, 32 reps, EPA 5, 1x1", 616, 640, 32, 4, 1, -3.4, 1.05);
    data_point(c, PHY_CH_NPDSCH, "R.NB.6-1, 256 reps, ETU 1, 1x1", 392, 640, 256, 4, 1, -10.2,
               1.05);
    /* TS 36.101 8.12.2: DCI N1 (23 + 16 bits) on 2 NCCEs (the PRB),
     * missed 1 %: standalone 1 port (160 REs), in-band 2 ports (100 REs). */
    const double dci_sa =
        phy_required_snr_db(c, PHY_CH_NPDCCH, 39, 160) + c->cal[PHY_CH_NPDCCH].div_db;
    const double dci_ib = phy_required_snr_db(c, PHY_CH_NPDCCH, 39, 100);
    need_point(c, PHY_CH_NPDCCH, "R.NB.3, R 128, EPA 5, 1x1", dci_sa, 128, -4.9, 1.0);
    need_point(c, PHY_CH_NPDCCH, "R.NB.3, R 1024, ETU 1, 1x1", dci_sa, 1024, -11.4, 1.0);
    need_point(c, PHY_CH_NPDCCH, "R.NB.4, R 64, EPA 5, 2x1", dci_ib, 64, -3.9, 1.0);
    need_point(c, PHY_CH_NPDCCH, "R.NB.4, R 512, ETU 1, 2x1", dci_ib, 512, -10.0, 1.0);
}

static void test_ltem(const phy_link_cfg *c)
{
    /* TS 36.104 8.2.7 (10 MHz), 8.2.1: A3-2 = 6 PRB, 600 bits; A3-1 = 1 PRB,
     * 104 bits; 144 REs per PRB-subframe (ltem_ul_re_per_prb). */
    data_point(c, PHY_CH_PUSCH, "A3-2, mode A, 8 reps, EPA 5", 600, 864, 8, 4, 0, -6.9, 1.0);
    data_point(c, PHY_CH_PUSCH, "A3-1, mode B, 256 reps, ETU 1", 104, 144, 256, 2, 0, -15.3, 1.0);
    data_point(c, PHY_CH_PUSCH, "A3-1, no CE, EVA 5", 104, 144, 1, 4, 0, 1.8, 1.0);
    data_point(c, PHY_CH_PUSCH, "A3-2, no CE, EPA 5", 600, 864, 1, 4, 0, 0.1, 1.0);
    /* TS 36.104 8.3.9: PUCCH 1a ACK missed 1 %, EPA 5, 10 MHz. Repetition 4
     * hops less than 8 and 32: 1.2 dB tolerance. */
    static const int rp[3] = {4, 8, 32};
    static const double sp[3] = {-5.5, -10.9, -15.1};
    for (int j = 0; j < 3; j++) {
        char conf[64];
        snprintf(conf, sizeof conf, "format 1a, %d reps, EPA 5", rp[j]);
        need_point(c, PHY_CH_PUCCH, conf, phy_chan_need_db(c, PHY_CH_PUCCH), rp[j], sp[j], 1.2);
    }
    /* TS 36.104 8.4.2.1: PRACH CE, EPA 1, no hopping, through the
     * detection function (SNR over 1.08 MHz). */
    static const int rr[2] = {8, 32};
    static const double sr[2] = {-13.0, -19.0};
    for (int j = 0; j < 2; j++) {
        double lo = -40, hi = 20;
        for (int i = 0; i < 100; i++) {
            double m = 0.5 * (lo + hi);
            double cl = 23.0 - phy_noise_dbm(1.08e6, c->enb_nf_db) - m;
            if (phy_ltem_prach_detect_prob(c, cl, 23.0, rr[j]) < 0.99)
                lo = m;
            else
                hi = m;
        }
        char conf[64];
        snprintf(conf, sizeof conf, "format 0, %d reps, EPA 1", rr[j]);
        report("prach", conf, sr[j], 0.5 * (lo + hi), 1.0);
    }
}

/* The link-level set against the public Lite NB-IoT NPUSCH simulator's
 * look-up table (CSC-CONICET/Lite-NBIoT-NPUSCH-Simulator src/LUT/LUT1.csv:
 * single tone, AWGN, ideal receiver; SNR label at 10 % BLER, interpolated
 * between the table's 0.5 dB steps): the need of the block minus the
 * repetition gain, within 1 dB. */
static void test_linklevel(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    phy_link_calibrate(&c, PHY_CAL_LINKLEVEL);
    static const struct {
        int tbs, n_ru, reps;
        double snr;
    } lut[] = {
        {16, 1, 1, -4.64},     {16, 1, 128, -26.02},  {24, 1, 8, -13.25},   {24, 1, 128, -25.30},
        {32, 2, 1, -6.58},     {32, 2, 128, -27.65},  {32, 1, 1, -2.52},    {32, 1, 64, -21.58},
        {40, 1, 16, -15.12},   {56, 3, 1, -6.96},     {56, 3, 128, -28.05}, {56, 2, 32, -20.24},
        {56, 1, 1, -1.86},     {56, 1, 64, -20.17},   {72, 2, 16, -16.47},  {72, 1, 1, -0.80},
        {72, 1, 32, -16.46},   {88, 1, 1, 0.20},      {88, 1, 32, -15.82},  {104, 1, 1, 1.23},
        {104, 1, 128, -21.31}, {120, 1, 2, -2.65},    {136, 1, 1, 3.22},    {136, 1, 16, -11.12},
        {144, 1, 1, 3.95},     {144, 1, 128, -19.81},
    };
    for (unsigned i = 0; i < sizeof lut / sizeof lut[0]; i++) {
        char conf[80];
        snprintf(conf, sizeof conf, "LUT1 TBS %d, %d RU, %d reps, AWGN", lut[i].tbs, lut[i].n_ru,
                 lut[i].reps);
        double need =
            phy_required_snr_db(&c, PHY_CH_NPUSCH_ST_15K, lut[i].tbs + 24.0, 96.0 * lut[i].n_ru);
        need_point(&c, PHY_CH_NPUSCH_ST_15K, conf, need, lut[i].reps, lut[i].snr, 1.0);
    }
}

/* The old, uncalibrated model against the same points: how far off it
 * was (printed, and at least one NPUSCH point must be off by more than 5
 * dB: the repetition gain the calibration corrects). */
static void test_shannon_was_off(void)
{
    phy_link_cfg o;
    phy_link_default(&o);
    phy_link_calibrate(&o, PHY_CAL_SHANNON);
    double req = phy_required_snr_db(&o, PHY_CH_NPUSCH_ST_3K75, 56, 192);
    double m = snr70(&o, PHY_CH_NPUSCH_ST_3K75, req, 64, 4);
    printf("shannon set, A16-1 at 64 reps: %.2f dB (requirement -12.2)\n", m);
    CHECK(m < -12.2 - 5.0);
}

int main(void)
{
    phy_link_cfg c;
    phy_link_default(&c);
    CHECK_EQ_INT(c.calibration, PHY_CAL_CONFORMANCE);
    test_npusch(&c);
    test_nprach(&c);
    test_downlink(&c);
    test_ltem(&c);
    test_linklevel();
    test_shannon_was_off();
    printf("%d reference points, %d outside their tolerance\n", n_points, n_out);
    CHECK_EQ_INT(n_points, 67); /* 41 requirements + 26 link-level points */
    /* every channel names its source */
    for (int i = 0; i < PHY_CH_COUNT; i++)
        CHECK(phy_chan_source(PHY_CAL_CONFORMANCE, (phy_chan)i)[0] != '?');
    return check_done();
}
