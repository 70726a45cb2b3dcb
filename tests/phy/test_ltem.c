/* test_ltem.c: LTE-M physical-layer tables (phy/ltem.c) against hand
 * calculation and brute force.
 *
 * PRACH: TR 37.868's prach-ConfigIndex 6 gives subframes 1 and 6 of every
 * frame, 200 opportunities per second; other rows are worked by hand from
 * TS 36.211 Table 5.7.1-2, and for every valid index the next-opportunity
 * search is compared with a brute-force scan of 2,000 subframes. Preamble
 * formats: cyclic prefix plus sequence fits the occupied subframes (guard
 * time positive) and exceeds one subframe fewer. TBS: hand-picked entries
 * of TS 36.213 Table 7.1.7.2.1-1, the 1000-bit Cat-M1 cap, monotonicity.
 * MAC value sets: TS 36.321 Table 7.2-1 backoff, TS 36.331 RAR window and
 * contention-resolution timer values. */
#include "phy/phy.h"

#include "tests/check.h"

#define TS_PER_SUBFRAME 30720 /* Ts = 1 / 30.72 MHz */

static void prach_by_hand(void)
{
    phy_ltem_prach p;
    CHECK_EQ_INT(phy_ltem_prach_config(6, &p), 0);
    CHECK_EQ_INT(p.format, 0);
    CHECK_EQ_INT(p.even_sfn, 0);
    CHECK_EQ_INT(p.subframe_mask, (1 << 1) | (1 << 6));
    CHECK_EQ_INT(phy_ltem_prach_per_20ms(&p), 4); /* 200 per second */
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 0), 1);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 1), 1);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 2), 6);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 7), 11);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 10006), 10006);

    CHECK_EQ_INT(phy_ltem_prach_config(0, &p), 0); /* even SFN, subframe 1 */
    CHECK_EQ_INT(p.even_sfn, 1);
    CHECK_EQ_INT(phy_ltem_prach_per_20ms(&p), 1);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 2), 21);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 11), 21);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 22), 41);

    CHECK_EQ_INT(phy_ltem_prach_config(12, &p), 0); /* subframes 0, 2, 4, 6, 8 */
    CHECK_EQ_INT(phy_ltem_prach_per_20ms(&p), 10);
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 9), 10);
    CHECK_EQ_INT(phy_ltem_prach_config(14, &p), 0); /* every subframe */
    CHECK_EQ_INT(phy_ltem_prach_per_20ms(&p), 20);
    CHECK_EQ_INT(phy_ltem_prach_config(15, &p), 0); /* even SFN, subframe 9 */
    CHECK_EQ_INT(phy_ltem_prach_next(&p, 10), 29);

    CHECK_EQ_INT(phy_ltem_prach_config(22, &p), 0); /* format 1, row 6 */
    CHECK_EQ_INT(p.format, 1);
    CHECK_EQ_INT(p.subframes, 2);
    CHECK_EQ_INT(phy_ltem_prach_config(63, &p), 0); /* format 3, even SFN, subframe 9 */
    CHECK_EQ_INT(p.format, 3);
    CHECK_EQ_INT(p.subframe_mask, 1 << 9);
    CHECK_EQ_INT(p.even_sfn, 1);

    const int invalid[] = {-1, 30, 46, 60, 61, 62, 64};
    for (unsigned i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        CHECK_EQ_INT(phy_ltem_prach_config(invalid[i], &p), -1);
}

static void prach_brute_force(void)
{
    int valid = 0;
    for (int idx = 0; idx < 64; idx++) {
        phy_ltem_prach p;
        if (phy_ltem_prach_config(idx, &p) != 0) continue;
        valid++;
        /* Membership straight from the table's definition. */
        int count = 0;
        int64_t next_seen = -1;
        for (int64_t s = 1999; s >= 0; s--) {
            int ok = (!p.even_sfn || (s / 10) % 2 == 0) && ((p.subframe_mask >> (s % 10)) & 1);
            if (ok) {
                count++;
                next_seen = s;
            }
            if (s < 1980) CHECK_EQ_INT(phy_ltem_prach_next(&p, s), next_seen);
        }
        CHECK_EQ_INT(count, 100 * phy_ltem_prach_per_20ms(&p));
        /* Format timing: the preamble and its cyclic prefix fit the
         * occupied subframes and need all of them. */
        int32_t len = p.cp_ts + p.seq_ts;
        CHECK(len < p.subframes * TS_PER_SUBFRAME);
        CHECK(len > (p.subframes - 1) * TS_PER_SUBFRAME);
    }
    CHECK_EQ_INT(valid, 64 - 5);
}

static void tbs(void)
{
    CHECK_EQ_INT(phy_ltem_tbs(0, 1), 16);
    CHECK_EQ_INT(phy_ltem_tbs(0, 6), 152);
    CHECK_EQ_INT(phy_ltem_tbs(5, 6), 504);
    CHECK_EQ_INT(phy_ltem_tbs(6, 1), 88);
    CHECK_EQ_INT(phy_ltem_tbs(7, 6), 712);
    CHECK_EQ_INT(phy_ltem_tbs(10, 5), 872);
    CHECK_EQ_INT(phy_ltem_tbs(11, 5), 1000);
    CHECK_EQ_INT(phy_ltem_tbs(13, 4), 1000);
    CHECK_EQ_INT(phy_ltem_tbs(15, 3), 904);
    /* Above the Cat-M1 maximum, or out of range. */
    CHECK_EQ_INT(phy_ltem_tbs(10, 6), 0);
    CHECK_EQ_INT(phy_ltem_tbs(15, 6), 0);
    CHECK_EQ_INT(phy_ltem_tbs(16, 1), 0);
    CHECK_EQ_INT(phy_ltem_tbs(0, 7), 0);
    CHECK_EQ_INT(phy_ltem_tbs(-1, 1), 0);
    /* Strictly increasing along both axes wherever both entries exist. */
    for (int i = 0; i < 16; i++)
        for (int n = 1; n <= 6; n++) {
            int t = phy_ltem_tbs(i, n);
            if (!t) continue;
            if (n > 1) CHECK(phy_ltem_tbs(i, n - 1) < t);
            if (i > 0) CHECK(phy_ltem_tbs(i - 1, n) < t);
            CHECK(t % 8 == 0);
        }
}

static void mac_values(void)
{
    CHECK_EQ_INT(phy_ltem_backoff_ms(0), 0);
    CHECK_EQ_INT(phy_ltem_backoff_ms(2), 20); /* TR 37.868's 20 ms */
    CHECK_EQ_INT(phy_ltem_backoff_ms(7), 120);
    CHECK_EQ_INT(phy_ltem_backoff_ms(12), 960);
    CHECK_EQ_INT(phy_ltem_backoff_ms(13), -1);
    CHECK_EQ_INT(phy_ltem_backoff_ms(-1), -1);
    CHECK(phy_ltem_rar_window_valid(10, 0));
    CHECK(!phy_ltem_rar_window_valid(9, 0));
    CHECK(!phy_ltem_rar_window_valid(20, 0));
    CHECK(phy_ltem_rar_window_valid(20, 1));
    CHECK(phy_ltem_rar_window_valid(400, 1));
    CHECK(phy_ltem_cr_timer_valid(48, 0));
    CHECK(!phy_ltem_cr_timer_valid(50, 0));
    CHECK(phy_ltem_cr_timer_valid(960, 1));
    CHECK(!phy_ltem_cr_timer_valid(64, 1));
}

int main(void)
{
    prach_by_hand();
    prach_brute_force();
    tbs();
    mac_values();
    return check_done();
}
