/* test_battery.c: battery capacity and lifetime with self-discharge.
 *
 * Ratings: 2400 mAh at 3.6 V is 8.64 Wh; usable fraction and temperature
 * derating scale the usable energy. Lifetime without self-discharge is
 * E / P. With self-discharge the closed forms of energy.h are checked
 * against an independent numerical solution: the discharge ODE integrated
 * with classical Runge-Kutta (step 1 day) until the energy reaches zero,
 * the crossing found by linear interpolation; agreement within 1e-6
 * relative. Limits: zero load gives infinity (proportional) or E0 / leak
 * (linear); rate 1 gives an immediately empty battery. Transmit draw per
 * output level: the PA curve, or a measured table interpolated linearly.
 */
#include "energy/energy.h"
#include "tests/check.h"

#include <math.h>

static const double YEAR = 365.25 * 86400.0;

/* dE/dt for the model, E in J, t in s. */
static double rate(const energy_battery *b, double E, double P, double E0)
{
    double r = b->self_discharge_per_year;
    if (b->self_discharge == SELF_DISCHARGE_LINEAR) return -P - r * E0 / YEAR;
    return -P + log1p(-r) / YEAR * E;
}

static double integrate_years(const energy_battery *b, double P)
{
    double E0 = energy_battery_usable_j(b), E = E0, t = 0, h = 86400.0;
    for (int step = 0; step < 100000; step++) {
        double k1 = rate(b, E, P, E0), k2 = rate(b, E + h / 2 * k1, P, E0);
        double k3 = rate(b, E + h / 2 * k2, P, E0), k4 = rate(b, E + h * k3, P, E0);
        double next = E + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        if (next <= 0) /* crossing inside this step: interpolate */
            return (t + h * E / (E - next)) / YEAR;
        E = next;
        t += h;
    }
    return INFINITY;
}

int main(void)
{
    energy_battery b;
    energy_battery_default(&b);
    CHECK_NEAR(energy_battery_usable_j(&b), 5 * 3600.0, 1e-9);
    b.rating = BATTERY_RATED_MAH;
    b.capacity_mah = 2400;
    b.voltage_v = 3.6;
    CHECK_NEAR(energy_battery_usable_j(&b), 8.64 * 3600, 1e-9);
    b.usable_fraction = 0.9;
    b.derating = 0.8;
    CHECK_NEAR(energy_battery_usable_j(&b), 8.64 * 3600 * 0.72, 1e-9);
    double E0 = energy_battery_usable_j(&b);

    /* no self-discharge: E / P */
    CHECK_NEAR(energy_battery_life_years(&b, 0.05), E0 / 0.05e-3 / YEAR, 1e-9);
    CHECK(isinf(energy_battery_life_years(&b, 0)));

    static const double loads_mw[] = {0.005, 0.02, 0.1, 1.0};
    static const double rates[] = {0.01, 0.03, 0.2};
    for (int m = 0; m < 2; m++) {
        b.self_discharge = m ? SELF_DISCHARGE_LINEAR : SELF_DISCHARGE_PROPORTIONAL;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++) {
                b.self_discharge_per_year = rates[j];
                double got = energy_battery_life_years(&b, loads_mw[i]);
                double want = integrate_years(&b, loads_mw[i] / 1000);
                CHECK_MSG(fabs(got - want) <= 1e-6 * want,
                          "%s, %.3f mW, %.0f %%/y: closed form %.9g y, ODE %.9g y",
                          m ? "linear" : "proportional", loads_mw[i], 100 * rates[j], got, want);
                /* self-discharge always shortens the life */
                CHECK(got < E0 / (loads_mw[i] / 1000) / YEAR);
            }
    }
    /* the example of the documentation: 2400 mAh x 3.6 V x 0.72 at 20 uW
     * with 1 %/year proportional self-discharge */
    b.self_discharge = SELF_DISCHARGE_PROPORTIONAL;
    b.self_discharge_per_year = 0.01;
    double k = -log(0.99) / YEAR;
    CHECK_NEAR(energy_battery_life_years(&b, 0.02), log(1 + k * E0 / 20e-6) / k / YEAR, 1e-9);
    printf("2400 mAh at 3.6 V, 90 %% usable, derated 0.8, 20 uW: %.2f y without, %.2f y with "
           "1 %%/y self-discharge\n",
           E0 / 20e-6 / YEAR, energy_battery_life_years(&b, 0.02));
    /* limits */
    CHECK(isinf(energy_battery_life_years(&b, 0)));
    b.self_discharge = SELF_DISCHARGE_LINEAR;
    CHECK_NEAR(energy_battery_life_years(&b, 0), 1 / 0.01, 1e-9);
    b.self_discharge_per_year = 1;
    b.self_discharge = SELF_DISCHARGE_PROPORTIONAL;
    CHECK(energy_battery_life_years(&b, 0.02) == 0);
    CHECK(isnan(energy_battery_life_years(&b, -1)));

    /* transmit draw per output level: a measured table replaces the PA
     * curve, linear between points, flat beyond the ends */
    energy_profile p;
    energy_profile_default(&p);
    CHECK_NEAR(energy_tx_power_mw(&p, 23), 543, 1e-9);
    CHECK_NEAR(energy_tx_power_mw(&p, 20), 543 - (pow(10, 2.3) - 100) / 0.45, 1e-9);
    p.tx_n = 3;
    p.tx_dbm[0] = 0, p.tx_mw[0] = 200;
    p.tx_dbm[1] = 10, p.tx_mw[1] = 250;
    p.tx_dbm[2] = 23, p.tx_mw[2] = 600;
    CHECK_NEAR(energy_tx_power_mw(&p, 5), 225, 1e-9);
    CHECK_NEAR(energy_tx_power_mw(&p, 16.5), 425, 1e-9);
    CHECK_NEAR(energy_tx_power_mw(&p, -10), 200, 1e-9);
    CHECK_NEAR(energy_tx_power_mw(&p, 30), 600, 1e-9);
    return check_done();
}
