/* test_energy_proc.c: the procedure axis of an energy account against a
 * hand-computed sequence: the procedures sum exactly to the states in
 * time and to the total in energy, energy_set_proc splits an interval at
 * the right instant, the group matrix agrees with the account, and the
 * state view does not depend on the procedure tags at all. */
#include "energy/energy.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/check.h"

#define REL 1e-12

static int64_t proc_time(const energy_account *a)
{
    int64_t t = 0;
    for (int p = 0; p < ENERGY_PROC_COUNT; p++)
        t += a->proc_time_us[p];
    return t;
}

static double proc_energy(const energy_account *a)
{
    double e = 0;
    for (int p = 0; p < ENERGY_PROC_COUNT; p++)
        e += a->proc_j[p];
    return e;
}

/* A wake-up from PSM, with every kind of booking, starting at t0 = 2 s
 * (powers in mW, so mW x us x 1e-9 = J):
 *   PSM     2 s .. 1002 s       PSM_SLEEP     1000 s @ 0.015      0.015 J
 *   RX      .. 1002.1 s         SYNC          0.1 s  @ 90         0.009 J
 *   RX      .. 1002.3 s         SYSINFO (set_proc at 1002.1 s inside the
 *                               RX interval; the split gives 0.15 s of
 *                               the read to IDLE at 3 mW):
 *                               rx 0.05 s 0.0045 J, idle 0.15 s 0.00045 J
 *   IDLE    .. 1002.5 s         ACCESS        0.2 s  @ 3          0.0006 J
 *   TX      .. 1002.502 s       ACCESS        2 ms   @ 200        0.0004 J
 *   CONN    .. 1003 s           ACCESS; split: 0.1 s of it RX @ 90:
 *                               conn 0.398 s 0.001194 J, rx 0.009 J
 *   CONN    .. 1004 s           UL_DATA (set_proc at 1003 s, a state
 *                               change instant); parts: TX 10 ms @ 300
 *                               (0.003 J), RX 0.2 s (0.018 J), conn
 *                               0.79 s (0.00237 J)
 *   CONN    .. 1010 s           CONN_WAIT     6 s @ 3             0.018 J
 *   PSM     .. 2002 s (close)   PSM_SLEEP     992 s @ 0.015       0.01488 J
 * Per procedure: psm_sleep 1992 s 0.02988 J; sync 0.1 s 0.009 J; sysinfo
 * 0.2 s 0.00495 J; access 0.7 s 0.011194 J; ul_data 1 s 0.02337 J;
 * conn_wait 6 s 0.018 J. All: 2000 s, 0.096394 J. */
static void run_sequence(energy_account *a, energy_matrix *m, int tags)
{
    sim_time_t t = 2 * SIM_S;
    energy_account_init(a, ENERGY_PSM, 0.015, ENERGY_PROC_PSM, m, t);
    t += 1000 * SIM_S;
    if (tags) energy_set_proc(a, ENERGY_PROC_SYNC, t);
    energy_enter(a, ENERGY_RX, 90.0, t);
    t += 300 * SIM_MS; /* sync 100 ms, then 200 ms of system information */
    if (tags) energy_set_proc(a, ENERGY_PROC_SYSINFO, t - 200 * SIM_MS);
    energy_enter_split(a, ENERGY_IDLE, 3.0, 150 * SIM_MS, ENERGY_IDLE, 3.0, t);
    if (tags) energy_set_proc(a, ENERGY_PROC_ACCESS, t);
    t += 200 * SIM_MS;
    energy_enter(a, ENERGY_TX, 200.0, t);
    t += 2 * SIM_MS;
    energy_enter(a, ENERGY_CONNECTED, 3.0, t);
    t += 498 * SIM_MS;
    energy_enter_split(a, ENERGY_RX, 90.0, 100 * SIM_MS, ENERGY_CONNECTED, 3.0, t);
    if (tags) energy_set_proc(a, ENERGY_PROC_UL_DATA, t);
    t += SIM_S;
    const energy_state st[2] = {ENERGY_TX, ENERGY_RX};
    const double pw[2] = {300.0, 90.0};
    const int64_t tm[2] = {10 * SIM_MS, 200 * SIM_MS};
    energy_enter_parts(a, 2, st, pw, tm, ENERGY_CONNECTED, 3.0, t);
    if (tags) energy_set_proc(a, ENERGY_PROC_CONN_WAIT, t);
    t += 6 * SIM_S;
    if (tags) energy_set_proc(a, ENERGY_PROC_PSM, t);
    energy_enter(a, ENERGY_PSM, 0.015, t);
    energy_close(a, 2002 * SIM_S);
}

static void test_sequence(void)
{
    energy_matrix m;
    memset(&m, 0, sizeof m);
    energy_account a;
    run_sequence(&a, &m, 1);
    /* time: exact, both axes */
    CHECK_EQ_INT(energy_total_time_us(&a), 2000 * SIM_S);
    CHECK_EQ_INT(proc_time(&a), energy_total_time_us(&a));
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_PSM], 1992 * SIM_S);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_SYNC], 100 * SIM_MS);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_SYSINFO], 200 * SIM_MS);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_ACCESS], 700 * SIM_MS);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_UL_DATA], SIM_S);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_CONN_WAIT], 6 * SIM_S);
    for (int p = 0; p < ENERGY_PROC_COUNT; p++)
        if (p == ENERGY_PROC_RRC || p == ENERGY_PROC_DL_DATA || p == ENERGY_PROC_PAGING ||
            p == ENERGY_PROC_TAU || p == ENERGY_PROC_COMMAND || p == ENERGY_PROC_OOS ||
            p == ENERGY_PROC_FOTA) {
            CHECK_EQ_INT(a.proc_time_us[p], 0);
            CHECK(a.proc_j[p] == 0);
        }
    /* energy: the hand-computed values, and the procedures sum to the total */
    CHECK_NEAR(a.proc_j[ENERGY_PROC_PSM], 0.02988, REL);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_SYNC], 0.009, REL);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_SYSINFO], 0.00495, REL);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_ACCESS], 0.011194, REL);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_UL_DATA], 0.02337, REL);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_CONN_WAIT], 0.018, REL);
    CHECK_NEAR(energy_total_j(&a), 0.096394, REL);
    CHECK_NEAR(proc_energy(&a), energy_total_j(&a), REL * energy_total_j(&a));
    /* the matrix: per (procedure, state), and in total the account */
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_SYNC][ENERGY_RX], 100 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_SYSINFO][ENERGY_RX], 50 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_SYSINFO][ENERGY_IDLE], 150 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_ACCESS][ENERGY_IDLE], 200 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_ACCESS][ENERGY_TX], 2 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_ACCESS][ENERGY_CONNECTED], 398 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_ACCESS][ENERGY_RX], 100 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_UL_DATA][ENERGY_TX], 10 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_UL_DATA][ENERGY_RX], 200 * SIM_MS);
    CHECK_EQ_INT(m.time_us[ENERGY_PROC_UL_DATA][ENERGY_CONNECTED], 790 * SIM_MS);
    CHECK_NEAR(m.j[ENERGY_PROC_UL_DATA][ENERGY_TX], 0.003, REL);
    CHECK_NEAR(m.j[ENERGY_PROC_SYSINFO][ENERGY_IDLE], 0.00045, REL);
    for (int s = 0; s < ENERGY_STATE_COUNT; s++) {
        int64_t t = 0;
        double e = 0;
        for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
            t += m.time_us[p][s];
            e += m.j[p][s];
        }
        CHECK_EQ_INT(t, a.time_us[s]); /* the state view, exactly */
        if (s != ENERGY_TX)
            CHECK_NEAR(e,
                       (s == ENERGY_PSM  ? 0.015
                        : s == ENERGY_RX ? 90.0
                                         : 3.0) *
                           (double)a.time_us[s] * 1e-9,
                       REL);
    }
    for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
        int64_t t = 0;
        double e = 0;
        for (int s = 0; s < ENERGY_STATE_COUNT; s++) {
            t += m.time_us[p][s];
            e += m.j[p][s];
        }
        CHECK_EQ_INT(t, a.proc_time_us[p]);
        CHECK_NEAR(e, a.proc_j[p], REL * (a.proc_j[p] + 1e-30));
    }
}

/* The tags change only the procedure axis: the state buckets and the total
 * are bit-identical to an untagged account (so tagging leaves every
 * earlier result as it was). */
static void test_tags_leave_states(void)
{
    energy_account a, b;
    run_sequence(&a, NULL, 1);
    run_sequence(&b, NULL, 0);
    CHECK(memcmp(a.time_us, b.time_us, sizeof a.time_us) == 0);
    CHECK(a.total_j == b.total_j);
    /* untagged, everything stays with the first procedure */
    CHECK_EQ_INT(b.proc_time_us[ENERGY_PROC_PSM], 2000 * SIM_S);
    CHECK_NEAR(b.proc_j[ENERGY_PROC_PSM], b.total_j, REL * b.total_j);
}

/* energy_set_proc at the instant of a state change books nothing; twice
 * at one instant the first procedure gets zero. */
static void test_set_proc_edges(void)
{
    energy_account a;
    energy_account_init(&a, ENERGY_IDLE, 3.0, ENERGY_PROC_PAGING, NULL, 0);
    energy_set_proc(&a, ENERGY_PROC_SYNC, 0);
    energy_set_proc(&a, ENERGY_PROC_ACCESS, 0);
    energy_set_proc(&a, ENERGY_PROC_TAU, 5 * SIM_S); /* inside the IDLE interval */
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_ACCESS], 5 * SIM_S);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_ACCESS], 0.015, REL);
    CHECK_EQ_INT(a.time_us[ENERGY_IDLE], 0); /* the state is booked at its change */
    CHECK(a.total_j == 0);
    energy_enter(&a, ENERGY_RX, 90.0, 7 * SIM_S);
    CHECK_EQ_INT(a.time_us[ENERGY_IDLE], 7 * SIM_S);
    CHECK_NEAR(a.total_j, 0.021, REL);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_TAU], 2 * SIM_S);
    CHECK_NEAR(a.proc_j[ENERGY_PROC_TAU], 0.006, REL);
    CHECK_EQ_INT(a.proc_time_us[ENERGY_PROC_PAGING] + a.proc_time_us[ENERGY_PROC_SYNC], 0);
    energy_close(&a, 8 * SIM_S);
    CHECK_EQ_INT(proc_time(&a), energy_total_time_us(&a));
    CHECK_NEAR(proc_energy(&a), energy_total_j(&a), REL);
}

static void test_names(void)
{
    const char *want[ENERGY_PROC_COUNT] = {"sync",    "sysinfo",   "access", "rrc",       "ul_data",
                                           "dl_data", "conn_wait", "paging", "psm_sleep", "tau",
                                           "command", "oos",       "pur",    "fota"};
    for (int p = 0; p < ENERGY_PROC_COUNT; p++) {
        CHECK_MSG(strcmp(energy_proc_name(p), want[p]) == 0, "%s", energy_proc_name(p));
        /* result columns energy_j_<name> are shared with the states */
        for (int s = 0; s < ENERGY_STATE_COUNT; s++)
            CHECK(strcmp(energy_proc_name(p), energy_state_name(s)) != 0);
    }
    CHECK(strcmp(energy_proc_name(ENERGY_PROC_COUNT), "unknown") == 0);
}

/* Largest first; ties and NaN keep the enum order (the summary's and
 * `mtcsim life`'s ranking). 1 coulomb = 1e6/3600 uAh. */
static void test_rank(void)
{
    double v[ENERGY_PROC_COUNT] = {0};
    v[ENERGY_PROC_TAU] = 5;
    v[ENERGY_PROC_ACCESS] = 2;
    v[ENERGY_PROC_RRC] = 2;
    v[ENERGY_PROC_OOS] = NAN;
    v[ENERGY_PROC_SYNC] = 7;
    int order[ENERGY_PROC_COUNT];
    energy_proc_rank(v, order);
    CHECK_EQ_INT(order[0], ENERGY_PROC_SYNC);
    CHECK_EQ_INT(order[1], ENERGY_PROC_TAU);
    CHECK_EQ_INT(order[2], ENERGY_PROC_ACCESS);
    CHECK_EQ_INT(order[3], ENERGY_PROC_RRC);
    int seen = 0;
    for (int k = 0; k < ENERGY_PROC_COUNT; k++)
        seen |= 1 << order[k];
    CHECK_EQ_INT(seen, (1 << ENERGY_PROC_COUNT) - 1); /* a permutation */
    CHECK_NEAR(energy_charge_uah(3.6), 1000.0, REL);
}

/* Broken invariants abort: a procedure change before the last change, and
 * a split whose part reaches back before the current procedure began. */
static int aborts(int which)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        energy_account a;
        energy_account_init(&a, ENERGY_IDLE, 3.0, ENERGY_PROC_PAGING, NULL, 10 * SIM_S);
        energy_set_proc(&a, ENERGY_PROC_ACCESS, 12 * SIM_S);
        if (which == 0) energy_set_proc(&a, ENERGY_PROC_TAU, 11 * SIM_S);
        if (which == 1)
            energy_enter_split(&a, ENERGY_RX, 90.0, 3 * SIM_S, ENERGY_IDLE, 3.0, 14 * SIM_S);
        if (which == 2) energy_enter(&a, ENERGY_RX, 90.0, 11 * SIM_S);
        _exit(0);
    }
    if (pid <= 0) return 0;
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return 0;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void test_abort(void)
{
    CHECK(aborts(0));
    CHECK(aborts(1));
    CHECK(aborts(2));
}

int main(void)
{
    test_sequence();
    test_tags_leave_states();
    test_set_proc_edges();
    test_names();
    test_rank();
    test_abort();
    return check_done();
}
