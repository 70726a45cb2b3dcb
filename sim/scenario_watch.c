/* scenario_watch.c: the CPU-time limit of a scenario load.
 *
 * The instruction budget of scenario_lua.c counts Lua instructions with a
 * hook, which never fires while a C function of Lua's library runs (a
 * string pattern that backtracks, string.find(("a"):rep(5000),
 * ".-.-.-.-b"), runs for hours) and undercounts code that spends its time
 * in C (a loop of pcall(error)). So each load also runs under a timer on
 * the loading thread's CPU clock. When SLUA_CPU_LIMIT_S have passed, the
 * signal handler only sets a flag that the hook turns into the budget's
 * stop (an error with file:line, as for an endless loop). If no hook runs
 * within SLUA_CPU_GRACE_S more, the load is stuck inside C: the handler
 * writes the message with write(2), removes the temporary and lock files
 * registered with outputs.c (a sweep loads its points after taking the
 * lock) and ends the process with _exit(2) (all async-signal-safe).
 *
 * The handler finds the load's state through the timer's sigev_value, so
 * no global is needed. */
#include "sim/app.h"
#include "sim/sweep_lua.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static void put(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (si->si_code != SI_TIMER) return; /* not ours (e.g. a CPU rlimit) */
    slua_watch *w = si->si_value.sival_ptr;
    if (!w->expired) {
        w->expired = 1; /* the hook stops the script at its next call */
        return;
    }
    /* No hook ran since: stuck in C. The strings were complete before the
     * C function was called (where: by the hook or the pattern wrappers). */
    if (w->what[0]) {
        put(w->what);
    } else {
        put(w->b->where[0] ? w->b->where : w->b->script);
        put(":");
    }
    put(" the scenario is still running after " SLUA_CPU_LIMIT_TEXT " of CPU time, stuck inside "
        "a function of Lua's library (a string pattern that backtracks too much, or work on "
        "huge strings: ");
    /* the memory in use, in MiB, formatted by hand (no printf here) */
    char num[24], *p = num + sizeof num;
    *--p = '\0';
    size_t mib = w->b->used >> 20;
    do
        *--p = (char)('0' + mib % 10);
    while ((mib /= 10) > 0 && p > num);
    put(p);
    put(" MiB of Lua memory in use): scenarios must load within this limit\n");
    outputs_remove_now();
    _exit(2);
}

int slua_watch_start(slua_watch *w, slua_budget *b, char *why, size_t wlen)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGXCPU;
    ev.sigev_value.sival_ptr = w;
    if (sigaction(SIGXCPU, &sa, &w->old) != 0)
        return snprintf(why, wlen, "sigaction: %s", strerror(errno)), -1;
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &w->timer) != 0) {
        snprintf(why, wlen, "timer_create: %s", strerror(errno));
        sigaction(SIGXCPU, &w->old, NULL);
        return -1;
    }
    struct itimerspec its = {.it_value = {SLUA_CPU_LIMIT_S, 0},
                             .it_interval = {SLUA_CPU_GRACE_S, 0}};
    if (timer_settime(w->timer, 0, &its, NULL) != 0) {
        snprintf(why, wlen, "timer_settime: %s", strerror(errno));
        timer_delete(w->timer);
        sigaction(SIGXCPU, &w->old, NULL);
        return -1;
    }
    w->armed = 1;
    return 0;
}

int slua_watch_rearm(slua_watch *w)
{
    if (!w->armed) return 0;
    /* each evaluation of the script gets the whole limit */
    struct itimerspec its = {.it_value = {SLUA_CPU_LIMIT_S, 0},
                             .it_interval = {SLUA_CPU_GRACE_S, 0}};
    w->expired = 0;
    return timer_settime(w->timer, 0, &its, NULL);
}

void slua_watch_stop(slua_watch *w)
{
    if (!w->armed) return;
    w->armed = 0;
    /* A signal of the timer may be pending: take it before the old
     * action (by default: end the process) is back. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGXCPU);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    timer_delete(w->timer);
    const struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) > 0)
        ;
    sigaction(SIGXCPU, &w->old, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
