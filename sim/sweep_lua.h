/* sweep_lua.h: between the files that use Lua (scenario.c, scenario_lua.c,
 * sweep.c): the sandboxed state, its budgets and protected calls, and the
 * sweep reader. */
#ifndef MTCSIM_SWEEP_LUA_H
#define MTCSIM_SWEEP_LUA_H

#include <stddef.h>

#include "sim/app.h"

typedef struct lua_State lua_State;
typedef struct lua_Debug lua_Debug;

/* Scenario sources (the script and what it requires) are regular files of
 * at most this size. */
#define SLUA_SOURCE_MAX ((size_t)16 << 20)

/* The budgets of one Lua state (memory, instructions); lives as long as it. */
typedef struct slua_budget {
    size_t used, limit;
    long long steps;
    int exhausted; /* the instruction budget is spent: every later call fails */
    lua_State *main;
    void (*hook)(lua_State *, lua_Debug *);
    char where[4300]; /* "file:line" running when a budget ran out */
    char stop[4500];  /* the message once the budget is spent */
} slua_budget;

/* A sandboxed state with the scenario folder `dir` for require and rng for
 * math.random; NULL when out of memory. Close it with lua_close. */
lua_State *slua_open(slua_budget *b, const char *dir, sim_rng *rng);
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
/* s[0..len) for a message: up to 60 bytes, longer ones cut with "... (N
 * bytes)". Returns what snprintf returns. */
size_t slua_shorten(char *out, size_t n, const char *s, size_t len);

/* Reads `sweep` (and `sweep_exclude`) from the scenario table on top of the
 * stack into sw and removes both from the table. No sweep: sw->n_points 0.
 * On error: -1 with the field (e.g. `sweep["devices[1].count"]`) and the
 * reason; -2 when sweep_exclude raised an error, why then holds its whole
 * message (with its file:line). The stack is as it was. */
int sweep_read(lua_State *L, scen_sweep *sw, char *field, size_t flen, char *why, size_t wlen);

#endif
