/* test_rar.c: how many random-access responses one RAR MAC PDU holds.
 *
 * TS 36.321 6.1.5, 6.2.2, 6.2.3: a RAR MAC PDU is a BI subheader (1 byte)
 * and, per detected preamble, an E/T/RAPID subheader (1 byte) and a MAC
 * RAR (6 bytes), carried in one NPDSCH transport block; a Cat-NB1 block is
 * at most 680 bits (TS 36.306 4.1C), so one PDU answers at most
 * (85 - 1) / 7 = 12 preambles. More detected preambles need more PDUs,
 * each its own DCI and NPDSCH inside the RAR window; what does not fit
 * fails the attempt.
 *
 * A one-level cell whose NPRACH takes all 48 subcarriers (a valid
 * configuration: nothing else shares them); 40 devices at 130 dB
 * (detection certain) wake at the same instant and so share one NPRACH
 * opportunity; each picks one of the 48 subcarriers. Checked: the PDUs sent are ceil(D / 12) for D
 * detected preambles (the 160 ms window has room for all here), no preamble is left without a RAR,
 * and the Msg3s granted in the first attempt are at most 12 per PDU. With the RAR window cut to 2
 * NPDCCH periods (32 ms), fewer PDUs fit and the rest are counted as missed.
 */
#include "mac/mac.h"
#include "tests/check.h"
#include "tests/mac/one_report.h"

static mac_ce_stats one_opportunity(int rar_window_pp, uint32_t *first_try)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default(&radio);
    radio.n_ce = 1;
    radio.ce[0].subcarriers = 48;
    radio.ce[0].subcarrier_offset = 0;
    radio.ce[0].rar_window_pp = rar_window_pp;
    radio.backoff_ms = 524288; /* retries fall after the end: one opportunity seen */
    mac_group_cfg g;
    one_report_group(&g, 10, 20, 130);
    g.count = 40;
    g.rai = 1;
    const sim_time_t end = 12 * SIM_S;
    mac_cell_cfg cc = {.radio = &radio, .groups = &g, .n_groups = 1, .duration = end, .seed = 5};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 256};
    sim_engine *e = sim_engine_create(&ec, &err);
    mac_cell *c = mac_cell_create(&cc, e, &err);
    CHECK(c != NULL);
    CHECK(sim_engine_run(e, end, &err) == SIM_OK && mac_cell_finish(c, &err) == SIM_OK);
    mac_ce_stats s = mac_cell_stats_get(c)->ce[0];
    uint32_t n;
    const mac_device_stats *d = mac_cell_device_stats(c, &n);
    *first_try = 0;
    for (uint32_t i = 0; i < n; i++)
        *first_try += d[i].preambles == 1 && d[i].collisions == 0 && d[i].ra_failures == 0 &&
                      d[i].reports_delivered == 1;
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return s;
}

int main(void)
{
    uint32_t ok;
    mac_ce_stats s = one_opportunity(10, &ok);
    printf("one opportunity, 40 devices: %llu preambles, %llu detected, %llu RAR PDUs, %llu "
           "missed, %u delivered at the first try\n",
           (unsigned long long)s.preambles, (unsigned long long)s.detected,
           (unsigned long long)s.rar_pdus, (unsigned long long)s.rar_missed, ok);
    CHECK_EQ_INT(s.preambles, 40);
    CHECK(s.detected > 12); /* ~ 48 (1 - (47/48)^40) = 27 distinct subcarriers */
    CHECK_EQ_INT(s.rar_pdus, (s.detected + 11) / 12);
    CHECK_EQ_INT(s.rar_missed, 0);
    CHECK(ok <= 12 * s.rar_pdus);

    mac_ce_stats t = one_opportunity(2, &ok);
    printf("window of 2 periods: %llu detected, %llu RAR PDUs, %llu missed\n",
           (unsigned long long)t.detected, (unsigned long long)t.rar_pdus,
           (unsigned long long)t.rar_missed);
    CHECK_EQ_INT(t.detected, s.detected); /* same draws */
    CHECK(t.rar_pdus < s.rar_pdus);
    CHECK(t.rar_pdus >= 1);
    /* each PDU but the last is full; the rest missed the window */
    CHECK(t.rar_missed >= t.detected - 12 * t.rar_pdus);
    CHECK(t.rar_missed > 0 && t.rar_missed < t.detected);
    return check_done();
}
