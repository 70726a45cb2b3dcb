/* sweep_lua.h: between the files that use Lua (scenario.c, scenario_lua.c,
 * sweep.c): the sandboxed state, its budgets and protected calls, and the
 * sweep reader. */
#ifndef MTCSIM_SWEEP_LUA_H
#define MTCSIM_SWEEP_LUA_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

#include "sim/app.h"

typedef struct lua_State lua_State;
typedef struct lua_Debug lua_Debug;

/* Scenario sources (the script and what it requires) are regular files of
 * at most this size. */
#define SLUA_SOURCE_MAX ((size_t)16 << 20)

/* A load's CPU-time limit (scenario_watch.c): after SLUA_CPU_LIMIT_S of
 * CPU time the script is stopped like an endless loop; SLUA_CPU_GRACE_S
 * later, if it is stuck inside a C function, the process ends (exit 2). */
#define SLUA_CPU_LIMIT_S    5
#define SLUA_CPU_GRACE_S    1
#define SLUA_STR_(x)        #x
#define SLUA_STR(x)         SLUA_STR_(x)
#define SLUA_CPU_LIMIT_TEXT SLUA_STR(SLUA_CPU_LIMIT_S) " s"

typedef struct slua_watch slua_watch;

/* The budgets of one Lua state (memory, instructions); lives as long as it. */
typedef struct slua_budget {
    size_t used, limit;
    long long steps;
    int exhausted; /* the budget is spent: every later call fails */
    lua_State *main;
    const char *script; /* the scenario's path: its frames locate errors */
    slua_watch *watch;  /* the load's CPU-time limit */
    void (*hook)(lua_State *, lua_Debug *);
    char where[4300]; /* "file:line" running when a budget ran out */
    char stop[4500];  /* the message once the budget is spent */
} slua_budget;

struct slua_watch {
    timer_t timer;
    int armed;
    struct sigaction old;
    volatile sig_atomic_t expired; /* set by the signal handler */
    const slua_budget *b;
    char what[256]; /* if set: what runs (e.g. "--set x=...: evaluating the value") */
};

/* Arms the CPU-time limit of one load (b: the budget of its states, which
 * keeps its address for the whole load). -1 with why if it cannot. */
int slua_watch_start(slua_watch *w, slua_budget *b, char *why, size_t wlen);
void slua_watch_stop(slua_watch *w);
/* Restarts the limit (a script evaluated once more gets it whole). */
int slua_watch_rearm(slua_watch *w);
/* The files require() read into state L (NULL-terminated, malloc'd; NULL
 * when none or out of memory). */
char **slua_loaded_files(lua_State *L);

/* A sandboxed state running the scenario at `script` with its folder `dir`
 * for require and rng for math.random, under the limit of watch; NULL when
 * out of memory. Close it with lua_close. */
lua_State *slua_open(slua_budget *b, const char *script, const char *dir, sim_rng *rng,
                     slua_watch *watch);
slua_budget *slua_budget_of(lua_State *L);
/* lua_pcall with a message handler: on error the top is a string
 * "file:line: what". script: the call runs scenario code (memory capped at
 * the script's limit); else C code reading the result, which gets some
 * headroom above it. */
int slua_pcall(lua_State *L, int nargs, int nres, int script);
/* Reads a Lua source: a regular text file of at most SLUA_SOURCE_MAX bytes
 * (NUL-terminated copy in *text, to free). -1 with the reason in why, -2
 * when the content is refused (a binary chunk: "file:1:" applies). */
int slua_read_source(const char *path, char **text, size_t *len, char *why, size_t wlen);
/* m with Lua's shortened chunk name "...tail:line:" put back to path. */
void slua_full_name(const char *m, const char *path, char *out, size_t n);
/* s[0..len) for a message: up to 60 bytes, control bytes (a zero byte too)
 * written \ddd, longer ones cut with "... (N bytes)". Returns what snprintf
 * returns. */
size_t slua_shorten(char *out, size_t n, const char *s, size_t len);

/* Reads `sweep` (and `sweep_exclude`) from the scenario table on top of the
 * stack into sw and removes both from the table. No sweep: sw->n_points 0.
 * On error: -1 with the field (e.g. `sweep["devices[1].count"]`) and the
 * reason; -2 when sweep_exclude raised an error, why then holds its whole
 * message (with its file:line). The stack is as it was. */
int sweep_read(lua_State *L, scen_sweep *sw, char *field, size_t flen, char *why, size_t wlen);

#endif
