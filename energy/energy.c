/* energy.c: energy accounting per power state and battery life.
 *
 * Default powers follow the 3GPP TR 45.820 battery-life method as commonly
 * quoted in studies that follow it; the figures are NOT confirmed in the
 * primary source (assumptions, as used e.g. by the ns-3 LENA-NB model):
 *   transmit at 23 dBm  543 mW
 *   receive              90 mW
 *   light sleep (idle)    3 mW   (some sources quote 2.4 mW)
 *   deep sleep / PSM  0.015 mW
 * TR 45.820 has no separate "connected, neither sending nor receiving"
 * state; we charge it like light sleep (3 mW), the closest state in that
 * method. Module profiles with a measured connected-idle power override it.
 * Battery: 5 Wh, leakage ignored (TR 45.820).
 */
#include "energy/energy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void energy_profile_default(energy_profile *p)
{
    p->power_mw[ENERGY_PSM] = 0.015;
    /* eDRX sleep between paging windows: deep sleep as PSM in the TR 45.820
     * method (modules differ: BG96 0.81 mA, see scenarios/lib/mtc.lua). */
    p->power_mw[ENERGY_EDRX] = 0.015;
    p->power_mw[ENERGY_IDLE] = 3.0;
    p->power_mw[ENERGY_CONNECTED] = 3.0; /* no such state in TR 45.820: as idle */
    /* connected-mode DRX sleep: no such state in TR 45.820 either; the
     * light sleep between paging occasions, the same receiver-off sleep
     * (assumption) */
    p->power_mw[ENERGY_CDRX] = 3.0;
    p->power_mw[ENERGY_RX] = 90.0;
    p->power_mw[ENERGY_TX] = 543.0; /* 23 dBm output */
    p->tx_ref_dbm = 23.0;
    /* PA efficiency 45 %: the figure behind the quoted 543 mW at 23 dBm
     * (unconfirmed in the primary source). */
    p->pa_efficiency = 0.45;
    p->tx_n = 0;
    p->cdrx = 1; /* every Rel-13 device (TS 36.321 5.7) */
}

double energy_tx_ref_mw(const energy_profile *p)
{
    return pow(10.0, p->tx_ref_dbm / 10.0);
}

double energy_tx_power_mw(const energy_profile *p, double out_dbm)
{
    return energy_tx_power_at(p, p->tx_n >= 2 ? 0.0 : energy_tx_ref_mw(p), out_dbm);
}

double energy_tx_power_at(const energy_profile *p, double ref, double out_dbm)
{
    if (p->tx_n >= 2) {
        /* measured table: linear in dBm between points, flat beyond */
        if (out_dbm <= p->tx_dbm[0]) return p->tx_mw[0];
        for (int i = 1; i < p->tx_n; i++)
            if (out_dbm <= p->tx_dbm[i]) {
                double f = (out_dbm - p->tx_dbm[i - 1]) / (p->tx_dbm[i] - p->tx_dbm[i - 1]);
                return p->tx_mw[i - 1] + f * (p->tx_mw[i] - p->tx_mw[i - 1]);
            }
        return p->tx_mw[p->tx_n - 1];
    }
    const double out = pow(10.0, out_dbm / 10.0);
    double floor_mw = p->power_mw[ENERGY_TX] - ref / p->pa_efficiency;
    double mw = p->power_mw[ENERGY_TX] - (ref - out) / p->pa_efficiency;
    return mw > floor_mw ? mw : floor_mw;
}

void energy_battery_default(energy_battery *b)
{
    b->rating = BATTERY_RATED_WH;
    b->capacity_wh = 5.0; /* TR 45.820 battery-life method */
    b->capacity_mah = 0;
    b->voltage_v = 3.6;
    b->usable_fraction = 1.0; /* TR 45.820 counts the whole 5 Wh */
    b->derating = 1.0;
    b->self_discharge_per_year = 0; /* TR 45.820: leakage ignored */
    b->self_discharge = SELF_DISCHARGE_PROPORTIONAL;
}

static void check_state(int s)
{
    if ((unsigned)s >= ENERGY_STATE_COUNT) {
        fprintf(stderr, "energy: invalid power state %d\n", s);
        abort();
    }
}

static void check_proc(int p)
{
    if ((unsigned)p >= ENERGY_PROC_COUNT) {
        fprintf(stderr, "energy: invalid procedure %d\n", p);
        abort();
    }
}

void energy_account_init(energy_account *a, energy_state s, double power_mw, energy_proc p,
                         energy_matrix *m, sim_time_t t0)
{
    check_state((int)s);
    check_proc((int)p);
    for (int i = 0; i < ENERGY_STATE_COUNT; i++)
        a->time_us[i] = 0;
    for (int i = 0; i < ENERGY_PROC_COUNT; i++) {
        a->proc_time_us[i] = 0;
        a->proc_j[i] = 0;
    }
    a->total_j = 0;
    a->since = a->proc_since = t0;
    a->power_mw = power_mw;
    a->state = (uint8_t)s;
    a->proc = (uint8_t)p;
    a->matrix = m;
}

/* dt us and their energy e, spent in state s, to the current procedure
 * (and the group's matrix). */
static void charge_proc(energy_account *a, int s, int64_t dt, double e)
{
    /* zero-length: a procedure change at a state change's instant, the
     * state entered at the end of a split; adding 0 changes no sum */
    if (!dt) return;
    a->proc_time_us[a->proc] += dt;
    a->proc_j[a->proc] += e;
    if (a->matrix) {
        a->matrix->time_us[a->proc][s] += dt;
        a->matrix->j[a->proc][s] += e;
    }
}

/* Discrete-event time never goes back: a caller bug, not input. */
static void check_order(const energy_account *a, sim_time_t now)
{
    if (now < a->proc_since) {
        fprintf(stderr,
                "energy: state change at %lld us before the previous one at %lld us "
                "(state %s, procedure %s)\n",
                (long long)now, (long long)a->proc_since, energy_state_name((energy_state)a->state),
                energy_proc_name((energy_proc)a->proc));
        abort();
    }
}

/* Books the current state from a->since to now, and the current procedure
 * from a->proc_since (the part after its last change). mW x us = 1e-9 J.
 * Returns the energy; spread: also into the time bins (the parts
 * functions spread their whole interval at once instead). */
static double book_ex(energy_account *a, sim_time_t now, int spread)
{
    check_order(a, now);
    const int64_t dt = now - a->since, pdt = now - a->proc_since;
    const double e = a->power_mw * (double)dt * 1e-9;
    a->time_us[a->state] += dt;
    a->total_j += e;
    if (spread && a->matrix && a->matrix->bins) sim_bins_spread(a->matrix->bins, a->since, now, e);
    charge_proc(a, a->state, pdt, pdt == dt ? e : a->power_mw * (double)pdt * 1e-9);
    a->since = a->proc_since = now;
    return e;
}

static void book(energy_account *a, sim_time_t now)
{
    book_ex(a, now, 1);
}

/* Counted activity inside the interval being booked: dt us in state s at
 * mw, to both axes; returns the energy. */
static double book_part(energy_account *a, energy_state s, double mw, int64_t dt)
{
    const double e = mw * (double)dt * 1e-9;
    a->time_us[s] += dt;
    a->total_j += e;
    charge_proc(a, (int)s, dt, e);
    return e;
}

/* Counted activity has no place inside its interval (paging occasions
 * monitored over hours of sleep): the interval's energy, state and parts,
 * goes to the time bins evenly over [from, now). */
static void spread_interval(energy_account *a, sim_time_t from, sim_time_t now, double e)
{
    if (a->matrix && a->matrix->bins) sim_bins_spread(a->matrix->bins, from, now, e);
}

void energy_set_proc(energy_account *a, energy_proc p, sim_time_t now)
{
    check_proc((int)p);
    check_order(a, now);
    const int64_t pdt = now - a->proc_since;
    charge_proc(a, a->state, pdt, a->power_mw * (double)pdt * 1e-9);
    a->proc_since = now;
    a->proc = (uint8_t)p;
}

/* Enters s at power_mw once everything up to now is booked. */
static void set_state(energy_account *a, energy_state s, double power_mw)
{
    a->state = (uint8_t)s;
    a->power_mw = power_mw;
}

void energy_enter(energy_account *a, energy_state s, double power_mw, sim_time_t now)
{
    check_state((int)s);
    book(a, now);
    set_state(a, s, power_mw);
}

void energy_enter_profile(energy_account *a, const energy_profile *p, energy_state s,
                          sim_time_t now)
{
    check_state((int)s);
    book(a, now);
    set_state(a, s, p->power_mw[s]);
}

void energy_enter_split(energy_account *a, energy_state part, double part_mw, int64_t part_us,
                        energy_state s, double s_mw, sim_time_t now)
{
    /* the part lies inside the current procedure's share of the interval */
    int64_t span = now - a->proc_since;
    check_state((int)s);
    if ((unsigned)part >= ENERGY_STATE_COUNT || part_us < 0 || part_us > span) {
        fprintf(stderr, "energy: split of %lld us out of an interval of %lld us\n",
                (long long)part_us, (long long)span);
        abort();
    }
    const sim_time_t from = a->since;
    double e = book_ex(a, now - part_us, 0);
    e += book_part(a, part, part_mw, part_us);
    spread_interval(a, from, now, e);
    a->since = a->proc_since = now;
    set_state(a, s, s_mw);
}

void energy_enter_parts(energy_account *a, int n, const energy_state *states, const double *powers,
                        const int64_t *times, energy_state s, double s_mw, sim_time_t now)
{
    check_state((int)s);
    int64_t total = 0;
    for (int k = 0; k < n; k++) {
        if ((unsigned)states[k] >= ENERGY_STATE_COUNT || times[k] < 0) {
            fprintf(stderr, "energy: bad part %d\n", k);
            abort();
        }
        total += times[k];
    }
    if (total > now - a->proc_since) {
        fprintf(stderr, "energy: parts of %lld us exceed the interval of %lld us\n",
                (long long)total, (long long)(now - a->proc_since));
        abort();
    }
    const sim_time_t from = a->since;
    double e = book_ex(a, now - total, 0);
    for (int k = 0; k < n; k++)
        e += book_part(a, states[k], powers[k], times[k]);
    spread_interval(a, from, now, e);
    a->since = a->proc_since = now;
    set_state(a, s, s_mw);
}

void energy_close(energy_account *a, sim_time_t end)
{
    book(a, end);
}

double energy_total_j(const energy_account *a)
{
    return a->total_j;
}

double energy_state_j(const energy_account *a, const energy_profile *p, energy_state s)
{
    if (s != ENERGY_TX) return p->power_mw[s] * (double)a->time_us[s] * 1e-9;
    double rest = 0;
    for (int k = 0; k < ENERGY_STATE_COUNT; k++)
        if (k != ENERGY_TX) rest += p->power_mw[k] * (double)a->time_us[k] * 1e-9;
    double tx = a->total_j - rest;
    return tx > 0 ? tx : 0;
}

int64_t energy_total_time_us(const energy_account *a)
{
    int64_t sum = 0;
    for (int i = 0; i < ENERGY_STATE_COUNT; i++)
        sum += a->time_us[i];
    return sum;
}

double energy_avg_power_mw(const energy_account *a)
{
    int64_t t = energy_total_time_us(a);
    if (t <= 0) return 0;
    /* J / s x 1000 = mW */
    return energy_total_j(a) / ((double)t * 1e-6) * 1000.0;
}

double energy_battery_usable_j(const energy_battery *b)
{
    double wh =
        b->rating == BATTERY_RATED_MAH ? b->capacity_mah * b->voltage_v / 1000.0 : b->capacity_wh;
    return wh * 3600.0 * b->usable_fraction * b->derating;
}

double energy_battery_life_years(const energy_battery *b, double avg_power_mw)
{
    const double year = 365.25 * 86400.0; /* Julian year, s */
    if (!(avg_power_mw >= 0)) return NAN; /* negative or NaN power: nonsense in */
    double E = energy_battery_usable_j(b), P = avg_power_mw / 1000.0;
    double r = b->self_discharge_per_year;
    if (r <= 0) return P > 0 ? E / P / year : INFINITY;
    if (b->self_discharge == SELF_DISCHARGE_LINEAR) return E / (P + r * E / year) / year;
    if (P == 0) return INFINITY; /* exponential decay never reaches zero */
    if (r >= 1) return 0;
    double k = -log1p(-r) / year;
    return log1p(k * E / P) / k / year;
}

const char *energy_state_name(energy_state s)
{
    static const char *const names[ENERGY_STATE_COUNT] = {"psm",       "edrx", "idle", "cdrx",
                                                          "connected", "rx",   "tx"};
    return (unsigned)s < ENERGY_STATE_COUNT ? names[s] : "unknown";
}

void energy_proc_rank(const double *v, int order[ENERGY_PROC_COUNT])
{
    for (int p = 0; p < ENERGY_PROC_COUNT; p++)
        order[p] = p;
    /* insertion sort: stable, and twelve items */
    for (int a = 1; a < ENERGY_PROC_COUNT; a++)
        for (int b = a; b > 0 && v[order[b]] > v[order[b - 1]]; b--) {
            const int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
}

double energy_charge_uah(double c)
{
    return c / 3600.0 * 1e6;
}

const char *energy_proc_name(energy_proc p)
{
    static const char *const names[ENERGY_PROC_COUNT] = {[ENERGY_PROC_SYNC] = "sync",
                                                         [ENERGY_PROC_SYSINFO] = "sysinfo",
                                                         [ENERGY_PROC_ACCESS] = "access",
                                                         [ENERGY_PROC_RRC] = "rrc",
                                                         [ENERGY_PROC_UL_DATA] = "ul_data",
                                                         [ENERGY_PROC_DL_DATA] = "dl_data",
                                                         [ENERGY_PROC_CONN_WAIT] = "conn_wait",
                                                         [ENERGY_PROC_PAGING] = "paging",
                                                         [ENERGY_PROC_PSM] = "psm_sleep",
                                                         [ENERGY_PROC_TAU] = "tau",
                                                         [ENERGY_PROC_COMMAND] = "command",
                                                         [ENERGY_PROC_OOS] = "oos",
                                                         [ENERGY_PROC_PUR] = "pur",
                                                         [ENERGY_PROC_FOTA] = "fota"};
    return (unsigned)p < ENERGY_PROC_COUNT ? names[p] : "unknown";
}
