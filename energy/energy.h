/* energy.h: power states, module profiles, energy accounting, battery life.
 *
 * A device's energy is integrated at state changes: the account remembers
 * the current state, its power and when it was entered; a change books
 * power x duration into that state's bucket. Time per state is kept in
 * integer microseconds so that the buckets sum exactly to the simulated time.
 *
 * Every booking also goes to a second axis, the procedure that caused the
 * interval (energy_proc), and optionally into a procedure x state matrix
 * the caller keeps per group (energy_matrix), so that "what does the random
 * access cost" has an answer in joules and seconds.
 */
#ifndef MTCSIM_ENERGY_H
#define MTCSIM_ENERGY_H

#include "sim/core/sim.h"

typedef enum {
    ENERGY_PSM = 0,   /* deep sleep: PSM, or powered-down radio */
    ENERGY_EDRX,      /* eDRX sleep between paging time windows */
    ENERGY_IDLE,      /* light sleep: RRC idle between paging occasions */
    ENERGY_CDRX,      /* RRC connected, asleep outside the DRX Active Time (TS 36.321 5.7) */
    ENERGY_CONNECTED, /* RRC connected, neither sending nor receiving */
    ENERGY_RX,        /* receiving */
    ENERGY_TX,        /* transmitting */
    ENERGY_STATE_COUNT
} energy_state;

/* Power drawn in each state, in milliwatts (supply side). */
#define ENERGY_TX_TABLE_MAX 16

typedef struct energy_profile {
    double power_mw[ENERGY_STATE_COUNT]; /* TX entry: draw at tx_ref_dbm output */
    double tx_ref_dbm;    /* output power at which power_mw[ENERGY_TX] was measured */
    double pa_efficiency; /* power amplifier efficiency: each mW less output saves 1/eff mW */
    int cdrx;             /* applies connected-mode DRX when the cell configures it */
    /* Optional measured transmit draw per output level (both increasing):
     * when given (tx_n >= 2) it replaces the PA-efficiency curve, linear
     * between points and flat beyond the ends. */
    int tx_n;
    double tx_dbm[ENERGY_TX_TABLE_MAX];
    double tx_mw[ENERGY_TX_TABLE_MAX];
} energy_profile;

typedef enum {
    BATTERY_RATED_WH = 0,  /* capacity_wh */
    BATTERY_RATED_MAH = 1, /* capacity_mah at voltage_v */
} energy_battery_rating;

typedef enum {
    SELF_DISCHARGE_PROPORTIONAL = 0, /* a fixed share of the remaining charge per year */
    SELF_DISCHARGE_LINEAR = 1,       /* a fixed share of the rated charge per year */
} energy_self_discharge;

typedef struct energy_battery {
    int rating;                     /* energy_battery_rating */
    double capacity_wh;             /* rated energy (BATTERY_RATED_WH) */
    double capacity_mah;            /* rated charge (BATTERY_RATED_MAH) */
    double voltage_v;               /* nominal voltage (BATTERY_RATED_MAH) */
    double usable_fraction;         /* share usable before the cut-off voltage */
    double derating;                /* capacity factor for temperature (1 at the rating's 20 C) */
    double self_discharge_per_year; /* share lost per year */
    int self_discharge;             /* energy_self_discharge */
} energy_battery;

/* The procedure an interval is charged to. The rule: by protocol step,
 * not by what triggered it (the random access of a TAU is ACCESS, the TAU
 * request and accept are TAU). Waiting while connected between the grants
 * of an exchange belongs to the exchange's procedure (the device waits for
 * that procedure's grant); CONN_WAIT is only the tail after the buffer ran
 * empty, until the release starts (inactivity timer, connected DRX). */
typedef enum {
    ENERGY_PROC_SYNC = 0,  /* resynchronisation after sleep: NPSS/NSSS, MIB, timing */
    ENERGY_PROC_SYSINFO,   /* system information read again after it expired */
    ENERGY_PROC_ACCESS,    /* random access: preamble, RAR, Msg3, Msg4 (with EDT data) */
    ENERGY_PROC_RRC,       /* connection set-up steps (user plane) and the release */
    ENERGY_PROC_UL_DATA,   /* uplink data: the report, the stack's uplink exchanges */
    ENERGY_PROC_DL_DATA,   /* downlink data and its HARQ-ACKs: answers, stack exchanges */
    ENERGY_PROC_CONN_WAIT, /* connected, buffer empty: monitoring until the release */
    ENERGY_PROC_PAGING,    /* idle: paging occasions, WUS, sleep between, eDRX sleep */
    ENERGY_PROC_PSM,       /* power saving mode */
    ENERGY_PROC_TAU,       /* periodic TAU request and accept (after its access) */
    ENERGY_PROC_COMMAND,   /* a network command received over the connection, its answer */
    ENERGY_PROC_OOS,       /* out of coverage: cell search and the sleep between searches */
    /* transmission using a preconfigured uplink resource (Rel-16 PUR, TS
     * 36.321 5.24): the wait from resynchronisation to the occasion, the
     * NPUSCH/PUSCH with its retransmissions, the response window */
    ENERGY_PROC_PUR,
    ENERGY_PROC_FOTA, /* a firmware update: the image's reception (unicast or SC-PTM) */
    ENERGY_PROC_COUNT
} energy_proc;

/* Time and energy per procedure and power state, summed over the accounts
 * that point to it (a group of devices: kept once per group, not per
 * device). Booked in the same arithmetic as the accounts. */
typedef struct energy_matrix {
    int64_t time_us[ENERGY_PROC_COUNT][ENERGY_STATE_COUNT];
    double j[ENERGY_PROC_COUNT][ENERGY_STATE_COUNT];
    /* Optional (NULL: none): every booking's energy also spread evenly over
     * the time bins of its interval (a cell's energy time series); an
     * interval with counted activity (energy_enter_parts, _split) as a
     * whole: the activity has no place of its own inside it. */
    sim_bins *bins;
} energy_matrix;

/* Per device, so kept small: exact time per state and the total energy,
 * and the same per procedure.
 * Contract: every state but ENERGY_TX is entered at its profile power; TX
 * may be entered at any power (it follows the output level). The energy of
 * a state is then its power x time, and TX's the rest of the total
 * (energy_state_j).
 * Invariants once closed: the procedures' times sum exactly to the states'
 * (integers), their energies to total_j up to rounding (each interval is
 * booked once per axis: a procedure change inside a state's interval
 * splits only the procedure axis, so the state buckets and total_j do not
 * depend on the procedure tags). */
typedef struct energy_account {
    int64_t time_us[ENERGY_STATE_COUNT];
    double total_j;
    sim_time_t since;      /* when the current state was entered */
    double power_mw;       /* power of the current state */
    uint8_t state;         /* current energy_state */
    uint8_t proc;          /* current energy_proc */
    sim_time_t proc_since; /* procedure axis booked up to here (>= since) */
    int64_t proc_time_us[ENERGY_PROC_COUNT];
    double proc_j[ENERGY_PROC_COUNT];
    energy_matrix *matrix; /* optional (NULL: none): where the group's totals go */
} energy_account;

/* TR 45.820 battery-life method values (see energy.c for sources). */
void energy_profile_default(energy_profile *p);
void energy_battery_default(energy_battery *b);

/* Starts the account at t0 in state s drawing power_mw, charged to
 * procedure p; books into m as well (may be NULL). */
void energy_account_init(energy_account *a, energy_state s, double power_mw, energy_proc p,
                         energy_matrix *m, sim_time_t t0);
/* Charges the time since the last change to the current procedure, then
 * switches to p; the power state goes on (its bucket is booked in one
 * piece at the next state change). now must not be earlier than the last
 * change; the parts of a later split or parts booking must fit after it. */
void energy_set_proc(energy_account *a, energy_proc p, sim_time_t now);
/* Books the current state up to `now`, then enters s at power_mw. now must
 * not be earlier than the last change (a broken invariant aborts). */
void energy_enter(energy_account *a, energy_state s, double power_mw, sim_time_t now);
/* Same, with the profile's power for s. */
void energy_enter_profile(energy_account *a, const energy_profile *p, energy_state s,
                          sim_time_t now);
/* Supply power while transmitting at out_dbm: the reference draw minus the
 * PA's saving, (P_ref - P_out) / efficiency, never below the draw at zero
 * output. Transmit draw grows with output power (module data sheets,
 * e.g. u-blox SARA-N2 current per output level). */
double energy_tx_power_mw(const energy_profile *p, double out_dbm);
/* The same with the reference output in mW (energy_tx_ref_mw) given, for a
 * caller that transmits often: the same arithmetic, one pow less. */
double energy_tx_ref_mw(const energy_profile *p);
double energy_tx_power_at(const energy_profile *p, double ref_mw, double out_dbm);
/* Books [since, now) like energy_enter, except that parts of it (counted
 * activity: n parts, part k of times[k] us in states[k] at powers[k]) go to
 * their states; the rest to the current state; then enters s at s_mw. The
 * parts are charged to the current procedure. */
void energy_enter_parts(energy_account *a, int n, const energy_state *states, const double *powers,
                        const int64_t *times, energy_state s, double s_mw, sim_time_t now);
/* Books [since, now) like energy_enter, except that part_us of it (counted
 * activity inside the interval, e.g. search spaces monitored while waiting)
 * goes to state `part` at part_mw, charged to the current procedure; then
 * enters s at s_mw. */
void energy_enter_split(energy_account *a, energy_state part, double part_mw, int64_t part_us,
                        energy_state s, double s_mw, sim_time_t now);
/* Books the current state up to `end` without changing state. */
void energy_close(energy_account *a, sim_time_t end);

double energy_total_j(const energy_account *a);
/* Energy of one state under the contract above (p: the profile the account
 * was booked with). */
double energy_state_j(const energy_account *a, const energy_profile *p, energy_state s);
int64_t energy_total_time_us(const energy_account *a);
/* Average power over the booked time, mW (0 if no time booked). */
double energy_avg_power_mw(const energy_account *a);
/* Usable energy of a fresh battery, J: rated energy x usable fraction x
 * temperature derating. */
double energy_battery_usable_j(const energy_battery *b);
/* Years a battery lasts at this average power, self-discharge included,
 * solved exactly: with E the usable energy, P the load, r the yearly
 * self-discharge share and Y one year,
 *   linear:       dE/dt = -P - r E0 / Y      ->  t = E0 / (P + r E0 / Y)
 *   proportional: dE/dt = -P - k E, k = -ln(1 - r) / Y
 *                                              ->  t = ln(1 + k E0 / P) / k.
 * Infinity at 0 mW without linear self-discharge. */
double energy_battery_life_years(const energy_battery *b, double avg_power_mw);

const char *energy_state_name(energy_state s);
/* Short lower-case name, as in the result columns (energy_j_access); none
 * is a state's name (ENERGY_PROC_PSM is "psm_sleep": "psm" is the state). */
const char *energy_proc_name(energy_proc p);
/* The procedures ordered by v (one value each), largest first; ties (and
 * NaN) keep the enum order. */
void energy_proc_rank(const double *v, int order[ENERGY_PROC_COUNT]);
/* Charge in uAh of c coulombs (A s): what planners budget a battery in. */
double energy_charge_uah(double c);

#endif
