/* test_idle_energy.c: idle energy without traffic against closed forms, the
 * WUS saving, and counted versus event-by-event occasions.
 *
 * One day, no reports, no commands, no TAU (T3412 at its maximum and the
 * devices whose first TAU falls inside the day are skipped). Closed forms:
 *  DRX T frames:   n = occasions in the day (86400 s / (T x 10 ms), +-1 for
 *                  the phase), E = n (wake + Rmax span) P_rx + rest x P_idle;
 *  eDRX:           n = one cycle's occasions x cycles, the windows' time in
 *                  light sleep, the rest in eDRX deep sleep;
 *  PSM:            E = 86400 s x P_psm.
 * The per-occasion receive time is worked out here from the cell's paging
 * Rmax and the valid-subframe map. All within 1 %.
 * WUS: the idle receive energy with WUS over that without equals the ratio
 * of their per-occasion monitoring times (wake + L_max span over wake + Rmax
 * span), within 1 % (false alarms off).
 * Both radios: the default NB-IoT cell and the default LTE-M cell.
 * Counted and simulated occasions (cell.simulate_occasions) give the same
 * time in every state within 1 % (in practice to the microsecond but for
 * the occasion cut by the end of the day).
 */
#include "mac/mac.h"
#include "tests/check.h"

#include <math.h>

#define DAY (86400 * SIM_S)

static mac_run run(const mac_radio_cfg *r, const mac_group_cfg *g, int n_groups)
{
    mac_run_cfg rc = {.radio = r,
                      .groups = g,
                      .n_groups = (uint32_t)n_groups,
                      .duration = DAY,
                      .seed = 9,
                      .queue = SIM_QUEUE_RADIX};
    mac_run out;
    sim_error err;
    sim_error_clear(&err);
    CHECK_MSG(mac_run_all(&rc, &out, &err) == SIM_OK, "%s", err.msg);
    return out;
}

static void group(mac_group_cfg *g, int psm, double edrx, int wus)
{
    mac_group_cfg_default(g);
    g->count = 40;
    g->traffic.kind = TRAFFIC_NONE;
    g->coverage.kind = PHY_CL_FIXED;
    g->coverage.fixed_db = 140;
    g->idle.psm = psm;
    g->idle.edrx_cycle_s = edrx;
    g->idle.wus = wus;
    g->idle.t3412_s = 35712000;
}

/* ltem 0: the default NB-IoT cell (paging cycle 2.56 s, valid NB-IoT
 * subframes); 1: the default LTE-M cell (1.28 s, every subframe a BL/CE
 * subframe, receive draw x rx_bw_factor, two occasions per 2.56 s PTW). */
static void check_radio(int ltem)
{
    mac_radio_cfg r;
    if (ltem)
        mac_radio_cfg_default_ltem(&r);
    else
        mac_radio_cfg_default(&r);
    r.paging.wus_false_alarm = 0;
    const sim_time_t t9 = 9 * SIM_MS;
    const double wake = r.paging.wake_ms * 1e3;
    const int L = (int)lround(r.paging.wus_factor * r.paging.rmax);
    double po_rx, wus_rx;
    if (ltem) { /* every subframe valid: the spans are Rmax and L ms */
        po_rx = wake + r.paging.rmax * 1e3;
        wus_rx = wake + (L < 1 ? 1 : L) * 1e3;
    } else {
        phy_dl_map map;
        phy_dl_map_init(&map, r.sib1_reps, r.pci);
        po_rx = wake + (double)(phy_dl_span_end(&map, t9, r.paging.rmax) - t9);
        wus_rx = wake + (double)(phy_dl_span_end(&map, t9, L) - t9);
    }
    const double T_us = r.paging.cycle_s * 1e6;

    mac_group_cfg g[4];
    group(&g[0], 0, 0, 0);     /* DRX 2.56 s */
    group(&g[1], 0, 0, 1);     /* DRX with WUS */
    group(&g[2], 0, 20.48, 0); /* eDRX 20.48 s, PTW 2.56 s */
    group(&g[3], 1, 0, 0);     /* PSM */
    mac_run counted = run(&r, g, 4);
    r.simulate_occasions = 1;
    mac_run simulated = run(&r, g, 4);

    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(counted.cells[0], &n);
    const mac_device_stats *e = mac_cell_device_stats(simulated.cells[0], &n);
    const energy_profile *m = &g[0].module;
    const double p_rx = m->power_mw[ENERGY_RX] * (ltem ? r.rx_bw_factor : 1.0);
    double rx_plain = 0, rx_wus = 0;
    int checked = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i].taus || e[i].taus) continue; /* its first TAU fell inside the day */
        checked++;
        double E = energy_total_j(&s[i].energy), want;
        double day_us = (double)DAY;
        switch (s[i].group) {
        case 0: {
            double occ = day_us / T_us;
            CHECK_NEAR(s[i].occasions, occ, 1.0);
            want = (occ * po_rx * p_rx + (day_us - occ * po_rx) * m->power_mw[ENERGY_IDLE]) * 1e-9;
            rx_plain += s[i].energy_j[ENERGY_RX];
            break;
        }
        case 1: {
            double occ = day_us / T_us;
            CHECK_NEAR(s[i].wus_monitored, occ, 1.0);
            CHECK_EQ_INT(s[i].occasions, 0);
            want =
                (occ * wus_rx * p_rx + (day_us - occ * wus_rx) * m->power_mw[ENERGY_IDLE]) * 1e-9;
            rx_wus += s[i].energy_j[ENERGY_RX];
            break;
        }
        case 2: {
            /* 2.56 s / T occasions per window, one window per 20.48 s cycle */
            double cycles = day_us / 20.48e6, ptw = cycles * 2.56e6;
            double per = 2.56e6 / T_us;
            CHECK_NEAR(s[i].occasions, cycles * per, per);
            want = (cycles * per * po_rx * p_rx +
                    (ptw - cycles * per * po_rx) * m->power_mw[ENERGY_IDLE] +
                    (day_us - ptw) * m->power_mw[ENERGY_EDRX]) *
                   1e-9;
            break;
        }
        default:
            want = day_us * m->power_mw[ENERGY_PSM] * 1e-9;
            CHECK_EQ_INT(s[i].occasions, 0);
            break;
        }
        CHECK_MSG(fabs(E - want) <= 0.01 * want, "group %u device %u: %.6g J, closed form %.6g J",
                  s[i].group, i, E, want);
        /* counted == simulated, state by state */
        for (int k = 0; k < ENERGY_STATE_COUNT; k++) {
            double a = (double)s[i].energy.time_us[k], b = (double)e[i].energy.time_us[k];
            CHECK_MSG(fabs(a - b) <= 0.01 * fmax(a, b) + 1, "device %u state %s: %.0f vs %.0f us",
                      i, energy_state_name((energy_state)k), a, b);
        }
        CHECK_EQ_INT(s[i].occasions, e[i].occasions);
        CHECK_EQ_INT(s[i].wus_monitored, e[i].wus_monitored);
    }
    CHECK(checked >= 150);
    /* WUS saving: receive energy ratio = monitoring time ratio */
    double ratio = rx_wus / rx_plain, want_ratio = wus_rx / po_rx;
    printf("%s: per occasion: %.2f ms without WUS, %.2f ms with; idle receive energy ratio "
           "%.4f (closed form %.4f); %d devices checked\n",
           ltem ? "LTE-M" : "NB-IoT", po_rx / 1e3, wus_rx / 1e3, ratio, want_ratio, checked);
    CHECK_NEAR(ratio, want_ratio, 0.01 * want_ratio);
    mac_run_free(&counted);
    mac_run_free(&simulated);
}

int main(void)
{
    check_radio(0);
    check_radio(1);
    return check_done();
}
