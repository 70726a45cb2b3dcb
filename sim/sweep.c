/* sweep.c: the points of a parameter sweep, read from the scenario's Lua
 * table (`sweep`, `sweep_exclude`) before it is converted. With
 * scenario.c and scenario_lua.c, the only files that include lua.h. Tables
 * are read raw (no metamethods); sweep_exclude runs under the budgets.
 *
 * Determinism: Lua tables have no order, so axes are sorted by path name
 * (paths inside a zipped axis too) and values keep their list order. */
#include "sim/app.h"
#include "sim/sweep_lua.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Swept strings are field values (names, enum words), all far shorter;
 * a bound keeps n_points copies of their literals small. */
#define SWEEP_STR_MAX 1024

typedef struct axis {
    uint32_t first; /* index of its first path in the sweep's path list */
    uint32_t n_paths;
    uint32_t len;
} axis;

void scen_sweep_free(scen_sweep *sw)
{
    if (!sw) return;
    for (uint32_t k = 0; k < sw->n_paths; k++) {
        free(sw->path[k]);
        free(sw->doc[k]);
    }
    for (size_t i = 0; sw->lit && i < (size_t)sw->n_points * sw->n_paths; i++)
        free(sw->lit[i]);
    free(sw->lit);
    free(sw->num);
    memset(sw, 0, sizeof *sw);
}

/* The value on top of the stack as a Lua literal; NULL if it is not a
 * number, string or boolean (or on allocation failure). */
static char *literal(lua_State *L)
{
    char buf[64];
    switch (lua_type(L, -1)) {
    case LUA_TBOOLEAN:
        return strdup(lua_toboolean(L, -1) ? "true" : "false");
    case LUA_TNUMBER: {
        double x = lua_tonumber(L, -1);
        if (lua_isinteger(L, -1))
            snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, -1));
        else if (isnan(x))
            snprintf(buf, sizeof buf, "(0/0)");
        else if (isinf(x))
            snprintf(buf, sizeof buf, x > 0 ? "(1/0)" : "(-1/0)");
        else if (x == 0 && signbit(x))
            snprintf(buf, sizeof buf, "-0.0");
        else {
            cf_shortest(buf, sizeof buf, x);
            if (!strpbrk(buf, ".eE")) strcat(buf, ".0"); /* stays a float */
        }
        return strdup(buf);
    }
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        if (n > SWEEP_STR_MAX) return NULL;
        char *o = malloc(4 * n + 3), *p = o;
        if (!o) return NULL;
        *p++ = '"';
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (ch == '"' || ch == '\\') {
                *p++ = '\\';
                *p++ = (char)ch;
            } else if (ch < 0x20 || ch == 0x7f) { /* every control byte as \ddd */
                p += sprintf(p, "\\%03u", ch);
            } else {
                *p++ = (char)ch;
            }
        }
        *p++ = '"';
        *p = '\0';
        return o;
    }
    default:
        return NULL;
    }
}

/* Values of one path (a list on top of the stack) into vals[0..len). */
typedef struct values {
    uint32_t len;
    char **lit;
    double *num;
    int numeric; /* every value a number or boolean */
} values;

static void values_free(values *v)
{
    for (uint32_t i = 0; v->lit && i < v->len; i++)
        free(v->lit[i]);
    free(v->lit);
    free(v->num);
}

static int read_values(lua_State *L, values *v, char *why, size_t wlen)
{
    memset(v, 0, sizeof *v);
    if (!lua_istable(L, -1)) return snprintf(why, wlen, "expected a list of values"), -1;
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    if (n < 1 || n > SCEN_SWEEP_MAX_POINTS)
        return snprintf(why, wlen, "expected 1 to %d values", SCEN_SWEEP_MAX_POINTS), -1;
    v->len = (uint32_t)n;
    v->lit = calloc((size_t)n, sizeof *v->lit);
    v->num = calloc((size_t)n, sizeof *v->num);
    if (!v->lit || !v->num) return snprintf(why, wlen, "out of memory"), -1;
    v->numeric = 1;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        int t = lua_type(L, -1);
        v->lit[i - 1] = literal(L);
        v->num[i - 1] = t == LUA_TNUMBER    ? lua_tonumber(L, -1)
                        : t == LUA_TBOOLEAN ? (double)lua_toboolean(L, -1)
                                            : (double)(i - 1);
        if (t == LUA_TSTRING) v->numeric = 0;
        if (!v->lit[i - 1] && t == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            char shown[128];
            slua_shorten(shown, sizeof shown, s, len);
            lua_pop(L, 1);
            return snprintf(why, wlen, "value %lld: \"%s\": swept strings are at most %d bytes",
                            (long long)i, shown, SWEEP_STR_MAX),
                   -1;
        }
        lua_pop(L, 1);
        if (!v->lit[i - 1])
            return snprintf(why, wlen,
                            "value %lld: only numbers, strings and booleans can be swept",
                            (long long)i),
                   -1;
    }
    if (!v->numeric) /* strings (and whatever is mixed with them): the index */
        for (uint32_t i = 0; i < v->len; i++)
            v->num[i] = (double)i;
    return 0;
}

/* Column doc of a path: the string values by index. */
static char *make_doc(const values *v)
{
    if (v->numeric) return strdup("swept value");
    size_t n = 64;
    for (uint32_t i = 0; i < v->len; i++)
        n += strlen(v->lit[i]) + 16;
    char *d = malloc(n), *p = d;
    if (!d) return NULL;
    p += sprintf(p, "swept value, index into:");
    for (uint32_t i = 0; i < v->len; i++)
        p += sprintf(p, "%s %u = %s", i ? "," : "", i, v->lit[i]);
    return d;
}

/* Pushes t[name] of the table on top, raw; its type. */
static int raw_get(lua_State *L, const char *name)
{
    lua_pushstring(L, name);
    return lua_rawget(L, -2);
}

/* The key below the top as a path name: a copy, NULL with why set if it
 * holds a zero byte or memory is short. field (if not NULL): sweep["key"]. */
static char *path_name(lua_State *L, char *field, size_t flen, char *why, size_t wlen)
{
    size_t len;
    const char *k = lua_tolstring(L, -2, &len);
    char shown[128];
    slua_shorten(shown, sizeof shown, k, len);
    if (field) snprintf(field, flen, "sweep[\"%s\"]", shown);
    if (strlen(k) != len) return snprintf(why, wlen, "a path with a zero byte"), NULL;
    char *c = strdup(k);
    if (!c) snprintf(why, wlen, "out of memory");
    return c;
}

int sweep_read(lua_State *L, scen_sweep *sw, char *field, size_t flen, char *why, size_t wlen)
{
    memset(sw, 0, sizeof *sw);
    if (flen) field[0] = '\0';
    if (wlen) why[0] = '\0';
    snprintf(field, flen, "sweep");
    values vals[SCEN_SWEEP_MAX_PATHS];
    char *names[SCEN_SWEEP_MAX_PATHS];
    int group[SCEN_SWEEP_MAX_PATHS]; /* -1: own axis; k: zipped group k */
    uint32_t np = 0;
    int rc = 0, has_exclude = 0;
    memset(vals, 0, sizeof vals);
    if (raw_get(L, "sweep") == LUA_TNIL) {
        lua_pop(L, 1);
        if (raw_get(L, "sweep_exclude") != LUA_TNIL) {
            lua_pop(L, 1);
            snprintf(field, flen, "sweep_exclude");
            return snprintf(why, wlen, "given without a sweep"), -1;
        }
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        snprintf(field, flen, "sweep");
        return snprintf(why, wlen, "expected a table of path = {values}"), -1;
    }
    /* 1: every path and its values (sorted afterwards) */
    int ngroups = 0;
    lua_pushnil(L);
    while (!rc && lua_next(L, -2)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            if (np == SCEN_SWEEP_MAX_PATHS)
                rc = -1, snprintf(why, wlen, "more than %d swept paths", SCEN_SWEEP_MAX_PATHS);
            else if (!(names[np] = path_name(L, field, flen, why, wlen)))
                rc = -1;
            else {
                group[np] = -1;
                rc = read_values(L, &vals[np++], why, wlen);
            }
        } else if (lua_isinteger(L, -2) && lua_istable(L, -1)) {
            /* a zipped group: its paths vary together */
            int g = ngroups++;
            uint32_t first = np;
            lua_pushnil(L);
            while (!rc && lua_next(L, -2)) {
                snprintf(field, flen, "sweep[%lld]", (long long)lua_tointeger(L, -4));
                if (lua_type(L, -2) != LUA_TSTRING)
                    rc = -1, snprintf(why, wlen, "a zipped group maps paths to lists of values");
                else if (np == SCEN_SWEEP_MAX_PATHS)
                    rc = -1, snprintf(why, wlen, "more than %d swept paths", SCEN_SWEEP_MAX_PATHS);
                else if (!(names[np] = path_name(L, NULL, flen, why, wlen)))
                    rc = -1;
                else {
                    group[np] = g;
                    rc = read_values(L, &vals[np++], why, wlen);
                }
                lua_pop(L, 1);
            }
            if (rc) lua_pop(L, 1); /* the inner key */
            for (uint32_t k = first + 1; !rc && k < np; k++)
                if (vals[k].len != vals[first].len)
                    rc = -1, snprintf(why, wlen,
                                      "zipped paths must have as many values each (%s: %u, %s: %u)",
                                      names[first], vals[first].len, names[k], vals[k].len);
            if (!rc && np == first) rc = -1, snprintf(why, wlen, "an empty zipped group");
        } else {
            snprintf(field, flen, "sweep");
            rc = -1, snprintf(why, wlen, "keys are field paths (or list items for zipped groups)");
        }
        lua_pop(L, 1);
    }
    if (rc) lua_pop(L, 1); /* the key lua_next left */
    lua_pop(L, 1);         /* the sweep table */
    if (!rc && np == 0) rc = -1, snprintf(why, wlen, "an empty sweep");
    /* 2: order: sort path indexes by name; an axis is a path or a group */
    uint32_t order[SCEN_SWEEP_MAX_PATHS];
    for (uint32_t k = 0; k < np; k++)
        order[k] = k;
    for (uint32_t i = 1; i < np; i++) /* insertion sort by name */
        for (uint32_t j = i; j > 0 && strcmp(names[order[j - 1]], names[order[j]]) > 0; j--) {
            uint32_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (uint32_t i = 1; !rc && i < np; i++)
        if (!strcmp(names[order[i - 1]], names[order[i]]))
            snprintf(field, flen, "sweep"),
                rc = -1, snprintf(why, wlen, "\"%s\" is swept twice", names[order[i]]);
    axis ax[SCEN_SWEEP_MAX_PATHS];
    uint32_t nax = 0, pidx[SCEN_SWEEP_MAX_PATHS];
    int seen[SCEN_SWEEP_MAX_PATHS] = {0};
    for (uint32_t i = 0; !rc && i < np; i++) {
        uint32_t k = order[i];
        if (group[k] >= 0 && seen[group[k]]) continue;
        ax[nax].first = sw->n_paths;
        ax[nax].n_paths = 0;
        ax[nax].len = vals[k].len;
        for (uint32_t j = i; j < np; j++) { /* the path, or every path of its group by name */
            uint32_t m = order[j];
            if (m != k && (group[k] < 0 || group[m] != group[k])) continue;
            pidx[sw->n_paths++] = m;
            ax[nax].n_paths++;
        }
        if (group[k] >= 0) seen[group[k]] = 1;
        nax++;
    }
    /* 3: the combinations, last axis fastest, less the excluded ones */
    double total = 1;
    for (uint32_t a = 0; a < nax; a++)
        total *= ax[a].len;
    if (!rc && total > SCEN_SWEEP_MAX_POINTS)
        snprintf(field, flen, "sweep"),
            rc = -1, snprintf(why, wlen, "%.0f points, at most %d", total, SCEN_SWEEP_MAX_POINTS);
    if (!rc) {
        has_exclude = raw_get(L, "sweep_exclude") != LUA_TNIL;
        if (has_exclude && !lua_isfunction(L, -1))
            snprintf(field, flen, "sweep_exclude"), rc = -1,
                                                    snprintf(why, wlen, "expected a function");
        if (!has_exclude || rc) {
            lua_pop(L, 1);
            has_exclude = 0;
        }
    }
    const uint32_t n = sw->n_paths;
    if (!rc) {
        sw->lit = calloc((size_t)total * n, sizeof *sw->lit);
        sw->num = calloc((size_t)total * n, sizeof *sw->num);
        if (!sw->lit || !sw->num)
            snprintf(field, flen, "sweep"), rc = -1, snprintf(why, wlen, "out of memory");
    }
    uint32_t idx[SCEN_SWEEP_MAX_PATHS] = {0};
    for (uint64_t c = 0; !rc && c < (uint64_t)total; c++) {
        uint64_t q = c; /* mixed radix, last axis fastest */
        for (uint32_t a = nax; a-- > 0;) {
            idx[a] = (uint32_t)(q % ax[a].len);
            q /= ax[a].len;
        }
        if (has_exclude) {
            lua_pushvalue(L, -1);
            lua_createtable(L, 0, (int)n);
            for (uint32_t a = 0; a < nax; a++)
                for (uint32_t j = 0; j < ax[a].n_paths; j++) {
                    const values *v = &vals[pidx[ax[a].first + j]];
                    /* the value itself: evaluate its literal (made by
                     * literal(): a constant, runs no code of the script) */
                    lua_pushfstring(L, "return %s", v->lit[idx[a]]);
                    if (luaL_loadbufferx(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=sweep",
                                         "t") != LUA_OK ||
                        slua_pcall(L, 0, 1, 0) != LUA_OK) {
                        lua_pop(L, 1);
                        lua_pushnil(L);
                    }
                    lua_remove(L, -2);
                    lua_setfield(L, -2, names[pidx[ax[a].first + j]]);
                }
            if (slua_pcall(L, 1, 1, 1) != LUA_OK) {
                /* a message without the scenario's line (a C function or a
                 * library's as sweep_exclude): the line of sweep_exclude */
                const char *m = lua_tostring(L, -1), *script = slua_budget_of(L)->script;
                size_t sl = strlen(script);
                snprintf(field, flen, "sweep_exclude");
                if (strncmp(m, script, sl) == 0 && m[sl] == ':') {
                    snprintf(why, wlen, "%s (in sweep_exclude)", m);
                    rc = -2;
                } else {
                    snprintf(why, wlen, "%s", m);
                    rc = -1;
                }
                lua_pop(L, 1);
                break;
            }
            int skip = lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (skip) continue;
        }
        size_t row = (size_t)sw->n_points * n;
        for (uint32_t a = 0; a < nax && !rc; a++)
            for (uint32_t j = 0; j < ax[a].n_paths; j++) {
                uint32_t k = ax[a].first + j;
                const values *v = &vals[pidx[k]];
                sw->lit[row + k] = strdup(v->lit[idx[a]]);
                sw->num[row + k] = v->num[idx[a]];
                if (!sw->lit[row + k])
                    snprintf(field, flen, "sweep"), rc = -1, snprintf(why, wlen, "out of memory");
            }
        sw->n_points++;
    }
    if (has_exclude) lua_pop(L, 1); /* the function */
    if (!rc && sw->n_points == 0)
        snprintf(field, flen, "sweep_exclude"), rc = -1,
                                                snprintf(why, wlen, "excludes every point");
    for (uint32_t k = 0; !rc && k < n; k++) {
        sw->path[k] = strdup(names[pidx[k]]);
        sw->doc[k] = make_doc(&vals[pidx[k]]);
        if (!sw->path[k] || !sw->doc[k])
            snprintf(field, flen, "sweep"), rc = -1, snprintf(why, wlen, "out of memory");
    }
    for (uint32_t k = 0; k < np; k++) {
        values_free(&vals[k]);
        free(names[k]);
    }
    if (rc) {
        scen_sweep_free(sw);
        return rc;
    }
    /* the converter must not see them */
    lua_pushliteral(L, "sweep");
    lua_pushnil(L);
    lua_rawset(L, -3);
    lua_pushliteral(L, "sweep_exclude");
    lua_pushnil(L);
    lua_rawset(L, -3);
    return 0;
}

void sweep_print_points(FILE *out, const scen_sweep *sw)
{
    fprintf(out, "%-6s", "point");
    for (uint32_t k = 0; k < sw->n_paths; k++)
        fprintf(out, "  %s", sw->path[k]);
    fputc('\n', out);
    for (uint32_t p = 0; p < sw->n_points; p++) {
        fprintf(out, "%-6u", p);
        for (uint32_t k = 0; k < sw->n_paths; k++)
            fprintf(out, "  %*s", (int)strlen(sw->path[k]), sw->lit[(size_t)p * sw->n_paths + k]);
        fputc('\n', out);
    }
}

uint64_t sweep_point_seed(uint64_t base, uint32_t point, int common)
{
    if (common) return base;
    /* SplitMix64 of (base, point): independent streams per point; 53 bits
     * so that the seed survives Lua's numbers */
    uint64_t z = base + 0x9E3779B97F4A7C15ull * ((uint64_t)point + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return z >> 11;
}
