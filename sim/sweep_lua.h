/* sweep_lua.h: between scenario.c and sweep.c (the files that use Lua). */
#ifndef MTCSIM_SWEEP_LUA_H
#define MTCSIM_SWEEP_LUA_H

#include <stddef.h>

#include "sim/app.h"

typedef struct lua_State lua_State;

/* Reads `sweep` (and `sweep_exclude`) from the scenario table on top of the
 * stack into sw and removes both from the table. No sweep: sw->n_points 0.
 * On error: -1 with the field (e.g. `sweep["devices[1].count"]`) and the
 * reason; the stack is as it was. */
int sweep_read(lua_State *L, scen_sweep *sw, char *field, size_t flen, char *why, size_t wlen);

#endif
