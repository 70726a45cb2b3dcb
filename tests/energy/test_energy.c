/* test_energy.c: energy booking against a hand-computed state sequence,
 * battery life against its closed form. */
#include "energy/energy.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/check.h"

#define REL 1e-12

static void test_defaults(void)
{
    energy_profile p;
    energy_profile_default(&p);
    CHECK(p.power_mw[ENERGY_TX] == 543.0);
    CHECK(p.power_mw[ENERGY_RX] == 90.0);
    CHECK(p.power_mw[ENERGY_IDLE] == 3.0);
    CHECK(p.power_mw[ENERGY_CONNECTED] == 3.0);
    CHECK(p.power_mw[ENERGY_PSM] == 0.015);
    energy_battery b;
    energy_battery_default(&b);
    CHECK(b.capacity_wh == 5.0);

    CHECK(strcmp(energy_state_name(ENERGY_PSM), "psm") == 0);
    CHECK(strcmp(energy_state_name(ENERGY_IDLE), "idle") == 0);
    CHECK(strcmp(energy_state_name(ENERGY_CONNECTED), "connected") == 0);
    CHECK(strcmp(energy_state_name(ENERGY_RX), "rx") == 0);
    CHECK(strcmp(energy_state_name(ENERGY_TX), "tx") == 0);
}

/* One day of a device, starting at t0 = 5 s in PSM:
 *   PSM        5 s .. 3605 s          3600 s      @ 0.015 mW
 *   IDLE       .. 3605.5 s            0.5 s       @ 3 mW
 *   RX         .. 3605.512 s          12 ms       @ 90 mW
 *   TX         .. 3605.5125 s         0.5 ms      @ 543 mW
 *   CONNECTED  .. 3615.5125 s         10 s        @ 3 mW
 *   RX         .. 3615.5205 s         8 ms        @ 90 mW
 *   TX         .. 3615.5305 s         10 ms       @ 200 mW (explicit power)
 *   IDLE       .. 3635.5305 s         20 s        @ 3 mW
 *   RX         .. 3635.5305 s         0 (zero-length visit)
 *   PSM        .. 86405 s (close)     82769.4695 s @ 0.015 mW
 * Totals per state, by hand:
 *   PSM  86369.4695 s  1.2955420425 J     IDLE 20.5 s  0.0615 J
 *   RX   0.020 s       0.0018 J           TX   0.0105 s 0.0022715 J
 *   CONNECTED 10 s     0.030 J            all  86400 s  1.3911135425 J */
static void test_sequence(void)
{
    energy_profile p;
    energy_profile_default(&p);
    energy_account a;
    sim_time_t t = 5 * SIM_S;
    energy_account_init(&a, ENERGY_PSM, p.power_mw[ENERGY_PSM], ENERGY_PROC_PSM, NULL, t);
    CHECK_EQ_INT(a.since, t);
    CHECK_EQ_INT(a.state, ENERGY_PSM);
    CHECK_EQ_INT(energy_total_time_us(&a), 0);
    CHECK_NEAR(energy_avg_power_mw(&a), 0, 0);

    t += 3600 * SIM_S;
    energy_enter_profile(&a, &p, ENERGY_IDLE, t);
    CHECK_NEAR(a.power_mw, 3.0, 0);
    CHECK_EQ_INT(a.time_us[ENERGY_PSM], 3600 * SIM_S);
    CHECK_NEAR(energy_state_j(&a, &p, ENERGY_PSM), 0.054, REL * 0.054);
    t += 500 * SIM_MS;
    energy_enter_profile(&a, &p, ENERGY_RX, t);
    CHECK_NEAR(a.power_mw, 90.0, 0);
    t += 12 * SIM_MS;
    energy_enter_profile(&a, &p, ENERGY_TX, t);
    CHECK_NEAR(a.power_mw, 543.0, 0);
    t += 500 * SIM_US;
    energy_enter_profile(&a, &p, ENERGY_CONNECTED, t);
    CHECK_EQ_INT(a.since, t);
    t += 10 * SIM_S;
    energy_enter_profile(&a, &p, ENERGY_RX, t);
    t += 8 * SIM_MS;
    energy_enter(&a, ENERGY_TX, 200.0, t);
    CHECK_NEAR(a.power_mw, 200.0, 0);
    CHECK_EQ_INT(a.state, ENERGY_TX);
    t += 10 * SIM_MS;
    energy_enter_profile(&a, &p, ENERGY_IDLE, t);
    t += 20 * SIM_S;
    energy_enter_profile(&a, &p, ENERGY_RX, t);
    energy_enter_profile(&a, &p, ENERGY_PSM, t); /* same instant: RX gets nothing */
    CHECK_EQ_INT(t, 3635530500);
    energy_close(&a, 86405 * SIM_S);
    CHECK_EQ_INT(a.since, 86405 * SIM_S);
    CHECK_EQ_INT(a.state, ENERGY_PSM);

    const int64_t want_us[ENERGY_STATE_COUNT] = {
        [ENERGY_PSM] = 86369469500, [ENERGY_IDLE] = 20500000, [ENERGY_CONNECTED] = 10000000,
        [ENERGY_RX] = 20000,        [ENERGY_TX] = 10500,
    };
    const double want_j[ENERGY_STATE_COUNT] = {
        [ENERGY_PSM] = 1.2955420425, [ENERGY_IDLE] = 0.0615,  [ENERGY_CONNECTED] = 0.030,
        [ENERGY_RX] = 0.0018,        [ENERGY_TX] = 0.0022715,
    };
    int64_t sum_us = 0;
    double sum_j = 0;
    for (int s = 0; s < ENERGY_STATE_COUNT; s++) {
        CHECK_EQ_INT(a.time_us[s], want_us[s]);
        CHECK_NEAR(energy_state_j(&a, &p, (energy_state)s), want_j[s], REL * want_j[s]);
        sum_us += a.time_us[s];
        sum_j += energy_state_j(&a, &p, (energy_state)s);
    }
    /* Buckets sum exactly to the simulated time. */
    CHECK_EQ_INT(sum_us, 86400 * SIM_S);
    CHECK_EQ_INT(energy_total_time_us(&a), 86405 * SIM_S - 5 * SIM_S);
    CHECK_NEAR(energy_total_j(&a), 1.3911135425, REL * 1.3911135425);
    CHECK_NEAR(energy_total_j(&a), sum_j, REL * sum_j);

    /* Total energy = sum over states of power x time (TX at two powers). */
    double pt = 0.015e-3 * 86369.4695 + 3e-3 * 20.5 + 3e-3 * 10 + 90e-3 * 0.020 + 543e-3 * 0.0005 +
                200e-3 * 0.010;
    CHECK_NEAR(energy_total_j(&a), pt, REL * pt);

    /* Average power 1.3911135425 J / 86400 s = 0.0161008512 mW. */
    double avg = 1.3911135425 / 86400 * 1000;
    CHECK_NEAR(energy_avg_power_mw(&a), avg, REL * avg);
    CHECK_NEAR(energy_avg_power_mw(&a), 0.0161008512, 1e-10);

    energy_battery b;
    energy_battery_default(&b);
    double years = 5.0 / (avg * 1e-3) / (365.25 * 24); /* Wh / W = h */
    CHECK_NEAR(energy_battery_life_years(&b, energy_avg_power_mw(&a)), years, 1e-9 * years);

    /* Closing again at the same time books nothing. */
    energy_close(&a, 86405 * SIM_S);
    CHECK_EQ_INT(energy_total_time_us(&a), 86400 * SIM_S);
}

static void test_battery(void)
{
    energy_battery b;
    energy_battery_default(&b);
    /* 5 Wh at 0.015 mW: 5 / 0.015e-3 h = 333,333.3 h = 38.03 Julian years. */
    double years = energy_battery_life_years(&b, 0.015);
    double want = 5.0 / 0.015e-3 / (365.25 * 24);
    CHECK_NEAR(years, want, 1e-9 * want);
    CHECK_NEAR(years * 365.25 * 24, 333333.333333, 1e-9 * 333333.3);
    CHECK_NEAR(years, 38.03, 0.005);
    /* Inverse proportional to power, proportional to capacity. */
    CHECK_NEAR(energy_battery_life_years(&b, 0.15), want / 10, 1e-9 * want / 10);
    b.capacity_wh = 10;
    CHECK_NEAR(energy_battery_life_years(&b, 0.015), 2 * want, 2e-9 * want);
    CHECK(isinf(energy_battery_life_years(&b, 0.0)) && energy_battery_life_years(&b, 0.0) > 0);
}

/* now < since is a broken invariant: the process must abort. */
static void test_abort(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) /* keep the expected message quiet */
            _exit(3);
        energy_account a;
        energy_account_init(&a, ENERGY_IDLE, 3.0, ENERGY_PROC_PAGING, NULL, 10 * SIM_S);
        energy_enter(&a, ENERGY_RX, 90.0, 9 * SIM_S);
        _exit(0); /* not reached if the check works */
    }
    CHECK(pid > 0);
    if (pid <= 0) return;
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "status %d", status);
}

int main(void)
{
    test_defaults();
    test_sequence();
    test_battery();
    test_abort();
    return check_done();
}
