/* test_power_class.c: device power classes (TS 36.101 Table 6.2.2F-1 for
 * NB-IoT, 6.2.2EA-1 for LTE-M: 23, 20 and 14 dBm) in the link abstraction.
 *
 * Closed form: the uplink SNR is P - L - N, so a device of class P at
 * coupling loss L sees exactly what a device of class P + d sees at L + d.
 * Every uplink choice the link makes must follow: at every coupling loss
 * of 110 ... 175 dB (0.25 dB steps) and payloads of one Msg3 to 1000 bits,
 * the 14 dBm (and 20 dBm) grant equals the 23 dBm grant 9 dB (3 dB) further
 * out: tones, spacing, I_TBS, resource units, PRBs, repetitions, TBS, BLER,
 * whether the target is met, and an output power exactly d dB lower
 * (including open-loop power control below full power). Preamble detection
 * the same for NPRACH and the LTE-M PRACH. Then the repetitions themselves:
 * where the 23 dBm device needs the most repetitions, the 14 dBm one at the
 * same loss needs about 10^0.9 = 7.9 times the energy, i.e. at least 4x the
 * repetitions of the sets of TS 36.213 16.5.1.1 (powers of two). */
#include "phy/phy.h"

#include <math.h>

#include "tests/check.h"

static void same_grant(const phy_ul_grant *a, int ra, const phy_ul_grant *b, int rb, double d)
{
    CHECK_EQ_INT(ra, rb);
    CHECK_EQ_INT(a->tones, b->tones);
    CHECK_EQ_INT(a->scs_3k75, b->scs_3k75);
    CHECK_EQ_INT(a->i_tbs, b->i_tbs);
    CHECK_EQ_INT(a->n_ru, b->n_ru);
    CHECK_EQ_INT(a->n_prb, b->n_prb);
    CHECK_EQ_INT(a->reps, b->reps);
    CHECK_EQ_INT(a->tbs, b->tbs);
    CHECK_NEAR(a->bler, b->bler, 1e-6);
    CHECK_NEAR(b->tx_dbm - a->tx_dbm, d, 1e-4);
}

static void shifted(int ltem)
{
    static const int bits[] = {88, 256, 1000};
    static const double cls[] = {20, 14};
    phy_link_cfg hi, lo;
    if (ltem) {
        phy_ltem_link_default(&hi);
    } else {
        phy_link_default(&hi);
    }
    hi.ue_max_dbm = 23;
    for (int k = 0; k < 2; k++) {
        lo = hi;
        lo.ue_max_dbm = cls[k];
        const double d = hi.ue_max_dbm - lo.ue_max_dbm;
        for (double cl = 110; cl <= 175; cl += 0.25)
            for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++) {
                phy_ul_grant gl, gh;
                if (ltem) {
                    for (int mode_b = 0; mode_b < 2; mode_b++) {
                        const int max = mode_b ? 2048 : 32;
                        int rl = phy_ltem_ul_select(&lo, cl, bits[b], max, mode_b, &gl);
                        int rh = phy_ltem_ul_select(&hi, cl + d, bits[b], max, mode_b, &gh);
                        same_grant(&gl, rl, &gh, rh, d);
                    }
                } else {
                    for (int flags = 0; flags < 2; flags++) {
                        int rl = phy_ul_select(&lo, cl, bits[b], 128, flags, &gl);
                        int rh = phy_ul_select(&hi, cl + d, bits[b], 128, flags, &gh);
                        same_grant(&gl, rl, &gh, rh, d);
                    }
                }
            }
        for (double cl = 110; cl <= 175; cl += 0.25)
            for (int reps = 1; reps <= 128; reps *= 2) {
                double pl = ltem ? phy_ltem_prach_detect_prob(&lo, cl, lo.ue_max_dbm, reps)
                                 : phy_nprach_detect_prob(&lo, cl, lo.ue_max_dbm, reps);
                double ph = ltem ? phy_ltem_prach_detect_prob(&hi, cl + d, hi.ue_max_dbm, reps)
                                 : phy_nprach_detect_prob(&hi, cl + d, hi.ue_max_dbm, reps);
                CHECK_NEAR(pl, ph, 1e-12);
            }
    }
}

/* Where the link is power-limited (full power), the 9 dB the 14 dBm class
 * lacks must be made up by resources: NB-IoT single-tone grants of 256 bits
 * at 150 ... 160 dB, the 14 dBm one against the 23 dBm one at the same loss
 * (resource units x repetitions, a 3.75 kHz unit counted 4x). */
static void repetitions(void)
{
    phy_link_cfg hi, lo;
    phy_link_default(&hi);
    hi.ue_max_dbm = 23;
    lo = hi;
    lo.ue_max_dbm = 14;
    int limited = 0;
    for (double cl = 150; cl <= 160; cl += 1) {
        phy_ul_grant gh, gl;
        int rh = phy_ul_select(&hi, cl, 256, 128, 0, &gh);
        int rl = phy_ul_select(&lo, cl, 256, 128, 0, &gl);
        CHECK_EQ_INT(rh, 0);
        CHECK_EQ_INT(rl, 0);
        /* tone-time: resource units x repetitions x 1/tones-per-RU duration */
        double th = (double)gh.reps * gh.n_ru * (gh.scs_3k75 ? 4 : 1);
        double tl = (double)gl.reps * gl.n_ru * (gl.scs_3k75 ? 4 : 1);
        if (gh.tx_dbm >= 23 - 1e-9) { /* power-limited: 7.9x the energy needed */
            CHECK_MSG(tl >= 4 * th, "cl %.0f: 14 dBm %g vs 23 dBm %g RU x reps", cl, tl, th);
            limited++;
        }
        CHECK(tl >= th);
    }
    CHECK(limited >= 6);
}

int main(void)
{
    shifted(0);
    shifted(1);
    repetitions();
    return check_done();
}
