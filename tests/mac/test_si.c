/* test_si.c: when a device reads system information again.
 *
 * TS 36.331 5.2.1.3: stored system information stays valid for 24 hours
 * after it was last confirmed (NB-IoT and BL/CE devices; 3 hours only for
 * legacy LTE), and a device confirms it at every wake-up through the value
 * tag in MIB-NB. So a device that reports every 20 hours never reads it
 * again, one that reports every 2 days reads it at every report but the
 * first (which follows the start by seconds). Reading it costs only the
 * scheduled SIB1-NB and SI-message subframes: the receive time grows by
 * that much, not by a whole 2.56 s SIB1-NB period.
 */
#include "mac/mac.h"
#include "tests/check.h"
#include "tests/mac/one_report.h"

typedef struct outcome {
    uint32_t si_reads, delivered;
    int64_t rx_us, idle_us;
} outcome;

static outcome run_mode(double period_s, double validity_s, double cl, double edrx_s, int simulate)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default(&radio);
    radio.paging.si_validity_s = validity_s;
    radio.simulate_occasions = simulate;
    mac_group_cfg g;
    mac_group_cfg_default(&g);
    g.traffic.kind = TRAFFIC_PERIODIC;
    g.traffic.period_s = period_s;
    g.traffic.random_phase = 0;
    g.traffic.start_s = 10;
    g.traffic.payload.kind = PAYLOAD_FIXED;
    g.traffic.payload.bytes = 50;
    g.coverage.kind = PHY_CL_FIXED;
    g.coverage.fixed_db = cl;
    g.idle.t3412_s = 35712000; /* no periodic TAU in between */
    if (edrx_s > 0) {          /* eDRX instead of PSM: each paging time window confirms the SI */
        g.idle.psm = 0;
        g.idle.edrx_cycle_s = edrx_s;
    }
    g.rai = 1;
    const sim_time_t end = 5 * SIM_DAY;
    mac_cell_cfg cc = {.radio = &radio, .groups = &g, .n_groups = 1, .duration = end, .seed = 3};
    sim_engine *e;
    mac_cell *c = one_cell_run(&cc, &e);
    CHECK(c != NULL);
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(c, &n);
    outcome o = {s->si_reads, s->reports_delivered, s->energy.time_us[ENERGY_RX],
                 s->energy.time_us[ENERGY_IDLE]};
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return o;
}

static outcome run(double period_s, double validity_s, double cl)
{
    return run_mode(period_s, validity_s, cl, 0, 0);
}

int main(void)
{
    /* eDRX 20.48 s: a device that wakes for its paging window confirms the
     * SI there, so with the 24 h validity a 2-day reporter never re-reads
     * it; with a 10 s validity it re-reads when its last occasion lies more
     * than 10 s back, the same whether occasions are counted or simulated
     * one by one (the validation mode). */
    outcome e24 = run_mode(2 * 86400, 86400, 144, 20.48, 0);
    CHECK_EQ_INT(e24.si_reads, 0);
    outcome ec = run_mode(2 * 86400, 10, 144, 20.48, 0);
    outcome es = run_mode(2 * 86400, 10, 144, 20.48, 1);
    printf("eDRX 20.48 s, SI valid 10 s: %u reads counted, %u simulated\n", ec.si_reads,
           es.si_reads);
    CHECK_EQ_INT(ec.si_reads, es.si_reads);

    outcome a = run(20 * 3600, 86400, 144);
    printf("every 20 h: %u SI reads, %u reports\n", a.si_reads, a.delivered);
    CHECK_EQ_INT(a.delivered, 6); /* 10 s, 20 h, ... 100 h */
    CHECK_EQ_INT(a.si_reads, 0);
    /* with the legacy 3 h validity every report after the first reads it */
    outcome a3 = run(20 * 3600, 3 * 3600, 144);
    CHECK_EQ_INT(a3.si_reads, 5);

    outcome b = run(2 * 86400, 86400, 144);
    outcome bk = run(2 * 86400, 1e7, 144); /* never expires */
    printf("every 2 days: %u SI reads (%u with no expiry), receive time %+.3f s, light sleep "
           "%+.3f s for them\n",
           b.si_reads, bk.si_reads, (double)(b.rx_us - bk.rx_us) / 1e6,
           (double)(b.idle_us - bk.idle_us) / 1e6);
    CHECK_EQ_INT(b.delivered, 3); /* 10 s, 2 d, 4 d */
    CHECK_EQ_INT(b.si_reads, 2);
    CHECK_EQ_INT(bk.si_reads, 0);
    /* Two reads at 144 dB: one SIB1-NB repetition and one SI-message
     * transmission each decode (8 + 8 subframes), so about 32 ms more
     * reception (the access that follows starts at another point of the
     * frame structure: its own receive time may move by a few search-space
     * subframes), far from the 2 x 2.56 s of continuous reception charged
     * before; the rest of the ~2.6 s each read takes is light sleep. */
    CHECK(b.rx_us - bk.rx_us > 16000 && b.rx_us - bk.rx_us < 200000);
    CHECK(b.idle_us - bk.idle_us > 2 * 2000000);
    return check_done();
}
