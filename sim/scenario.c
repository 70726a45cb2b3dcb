/* scenario.c: loads a Lua scenario into plain C structs. The only file that
 * includes lua.h: Lua runs once at start-up, never per event.
 *
 * The script runs sandboxed (no io, os, package, dofile, loadfile; text-only
 * load; an instruction and a memory budget), with math.random drawing from
 * the scenario's seeded counter-based stream. Its returned table, after the
 * --set overrides, is converted with the schema of config.c; every error
 * names file:line (from the source-line index) and the field path.
 */
#include "sim/app.h"
#include "sim/sweep_lua.h"

#include <ctype.h>
#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MEM_LIMIT  ((size_t)1 << 30) /* 1 GiB for the scenario's Lua state */
#define STEP_LIMIT 500000000LL       /* VM instructions (a few seconds): catches endless loops */
#define HOOK_EVERY 1000000

typedef struct lua_budget {
    size_t used;
    long long steps;
} lua_budget;

static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lua_budget *b = ud;
    if (!ptr) osize = 0;
    if (nsize == 0) {
        b->used -= osize;
        free(ptr);
        return NULL;
    }
    if (nsize > osize && b->used + (nsize - osize) > MEM_LIMIT) return NULL;
    void *p = realloc(ptr, nsize);
    if (p) b->used += nsize - osize;
    return p;
}

static lua_budget *budget_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

static void step_hook(lua_State *L, lua_Debug *ar)
{
    lua_budget *b = budget_of(L);
    b->steps += HOOK_EVERY;
    if (b->steps > STEP_LIMIT) {
        /* The hook runs inside the looping function: name its line. */
        lua_getinfo(L, "Sl", ar);
        const char *src = ar->source[0] == '@' ? ar->source + 1 : ar->short_src;
        luaL_error(L, "%s:%d: scenario still running after %I Lua instructions (endless loop?)",
                   src, ar->currentline, (lua_Integer)STEP_LIMIT);
    }
}

/* ---------------------------------------------------------------- sandbox */

static int sandbox_denied(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    const char *key = lua_tostring(L, 2);
    return luaL_error(L, "%s.%s is not available: scenarios run sandboxed", lib, key ? key : "?");
}

static void deny_library(lua_State *L, const char *lib)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, lib);
    lua_pushcclosure(L, sandbox_denied, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setglobal(L, lib);
}

static int safe_print(lua_State *L)
{
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        fputs(luaL_tolstring(L, i, NULL), stderr);
        lua_pop(L, 1);
        fputc(i < n ? '\t' : '\n', stderr);
    }
    if (n == 0) fputc('\n', stderr);
    return 0;
}

/* load() restricted to text chunks; the environment defaults to the globals. */
static int safe_load(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    int env = !lua_isnone(L, 4);
    if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (env) {
        lua_pushvalue(L, 4);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

/* math.random with Lua 5.4's signature, drawing from the scenario stream. */
static int seeded_random(lua_State *L)
{
    sim_rng *r = lua_touserdata(L, lua_upvalueindex(1));
    lua_Integer lo, hi;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, sim_rng_uniform(r));
        return 1;
    case 1:
        lo = 1;
        hi = luaL_checkinteger(L, 1);
        break;
    case 2:
        lo = luaL_checkinteger(L, 1);
        hi = luaL_checkinteger(L, 2);
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'random'");
    }
    luaL_argcheck(L, lo <= hi, lua_gettop(L), "interval is empty");
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t v = span == UINT64_MAX ? sim_rng_u64(r) : sim_rng_int(r, span + 1);
    lua_pushinteger(L, (lua_Integer)((uint64_t)lo + v));
    return 1;
}

static int no_randomseed(lua_State *L)
{
    return luaL_error(L, "math.randomseed is not available: math.random follows the "
                         "scenario seed (set `seed` or --seed)");
}

/* require(name): scenario folder, its lib/ folder, then the installed
 * scenarios/lib. Modules are cached in the registry. */
static int safe_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
            return luaL_error(L, "require: bad module name '%s'", name);
    lua_getfield(L, LUA_REGISTRYINDEX, "mtc.loaded");
    if (lua_getfield(L, -1, name) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    char rel[256];
    snprintf(rel, sizeof rel, "%s", name);
    for (char *c = rel; *c; c++)
        if (*c == '.') *c = '/';
    const char *dirs[3];
    lua_getfield(L, LUA_REGISTRYINDEX, "mtc.dir");
    const char *dir = lua_tostring(L, -1);
    char d0[4096], d1[4096];
    snprintf(d0, sizeof d0, "%s", dir);
    snprintf(d1, sizeof d1, "%s/lib", dir);
    lua_pop(L, 1);
    dirs[0] = d0;
    dirs[1] = d1;
    dirs[2] = MTCSIM_LUA_DIR;
    for (int i = 0; i < 3; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s.lua", dirs[i], rel);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        fclose(f);
        if (luaL_loadfilex(L, path, "t") != LUA_OK) return lua_error(L);
        lua_pushstring(L, name);
        lua_call(L, 1, 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushboolean(L, 1);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, name);
        return 1;
    }
    return luaL_error(L, "module '%s' not found (looked in %s, %s, %s)", name, d0, d1,
                      MTCSIM_LUA_DIR);
}

static void sandbox(lua_State *L, const char *dir, sim_rng *rng)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},        {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine}};
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        luaL_requiref(L, libs[i].name, libs[i].func, 1);
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");
    lua_register(L, "load", safe_load);
    lua_register(L, "print", safe_print);
    lua_register(L, "require", safe_require);
    deny_library(L, "os");
    deny_library(L, "io");
    deny_library(L, "package");
    deny_library(L, "debug");
    lua_getglobal(L, "math");
    lua_pushlightuserdata(L, rng);
    lua_pushcclosure(L, seeded_random, 1);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, no_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "mtc.loaded");
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "mtc.overlay");
    lua_pushstring(L, dir);
    lua_setfield(L, LUA_REGISTRYINDEX, "mtc.dir");
    lua_sethook(L, step_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

/* -------------------------------------------------------------- conversion */

typedef struct conv {
    lua_State *L;
    const char *file;
    const scen_lines *ix;
    int fallback_line;
    const char *const *ovr;
    size_t n_ovr;
    sim_error *err;
} conv;

/* Length of the path part of an override "path=value". */
static size_t ovr_path_len(const char *o)
{
    const char *eq = strchr(o, '=');
    return eq ? (size_t)(eq - o) : strlen(o);
}

static int is_prefix_path(const char *pre, size_t n, const char *path)
{
    return strncmp(pre, path, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

static int fail(conv *cv, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(conv *cv, const char *path, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* The last override that set this path (or a table above it) wins. */
    for (size_t i = cv->n_ovr; i-- > 0;) {
        size_t n = ovr_path_len(cv->ovr[i]);
        if (is_prefix_path(cv->ovr[i], n, path) ||
            (strlen(path) < n && is_prefix_path(path, strlen(path), cv->ovr[i])))
            return sim_error_set(cv->err, SIM_ERR_INPUT, "--set %s: %s: %s", cv->ovr[i], path,
                                 what);
    }
    int line = scen_lines_find(cv->ix, path);
    return sim_error_set(cv->err, SIM_ERR_INPUT, "%s:%d: %s: %s", cv->file,
                         line > 0 ? line : cv->fallback_line, path[0] ? path : "(scenario)", what);
}

static const char *lua_type_desc(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER) return lua_isinteger(L, idx) ? "integer" : "number";
    return luaL_typename(L, idx);
}

static int conv_table(conv *cv, const cf_table *t, void *base, const char *path);

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la >= 63 || lb >= 63) return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], tmp;
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            tmp = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = tmp;
        }
    }
    return row[lb];
}

static void join(char *out, size_t n, const char *path, const char *name)
{
    snprintf(out, n, "%s%s%s", path, path[0] ? "." : "", name);
}

/* Shortest decimal form that reads back as the same double. */
static void fmt_num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, n, "%.17g", v);
}

static int range_msg(conv *cv, const cf_field *f, const char *path, double v)
{
    if (f->min_open ? !(v > f->min) : !(v >= f->min)) {
        char lim[32], got[32];
        fmt_num(lim, sizeof lim, f->min);
        fmt_num(got, sizeof got, v);
        return fail(cv, path, "must be %s %s (got %s)", f->min_open ? ">" : ">=", lim, got);
    }
    if (!(v <= f->max)) {
        char lim[32], got[32];
        fmt_num(lim, sizeof lim, f->max);
        fmt_num(got, sizeof got, v);
        return fail(cv, path, "must be <= %s (got %s)", lim, got);
    }
    return SIM_OK;
}

/* Converts the value on top of the Lua stack into the field at p. */
static int conv_value(conv *cv, const cf_field *f, char *p, const char *path)
{
    lua_State *L = cv->L;
    int ty = lua_type(L, -1);
    switch (f->kind) {
    case CF_NUM: {
        if (ty != LUA_TNUMBER)
            return fail(cv, path, "expected a number, got %s", lua_type_desc(L, -1));
        double v = lua_tonumber(L, -1);
        if (!isfinite(v)) return fail(cv, path, "must be a finite number");
        if (range_msg(cv, f, path, v)) return SIM_ERR_INPUT;
        *(double *)p = v;
        return SIM_OK;
    }
    case CF_INT: {
        if (ty != LUA_TNUMBER)
            return fail(cv, path, "expected an integer, got %s", lua_type_desc(L, -1));
        double v = lua_tonumber(L, -1);
        if (!lua_isinteger(L, -1) && (!isfinite(v) || v != floor(v)))
            return fail(cv, path, "expected an integer, got %.17g", v);
        if (lua_isinteger(L, -1)) v = (double)lua_tointeger(L, -1);
        if (range_msg(cv, f, path, v)) return SIM_ERR_INPUT;
        if (f->int_bytes == 8)
            *(uint64_t *)p = lua_isinteger(L, -1) ? (uint64_t)lua_tointeger(L, -1) : (uint64_t)v;
        else if (f->min < 0) /* a signed field: its range reaches below zero */
            *(int32_t *)p = (int32_t)v;
        else
            *(uint32_t *)p = (uint32_t)v;
        return SIM_OK;
    }
    case CF_BOOL:
        if (ty != LUA_TBOOLEAN)
            return fail(cv, path, "expected true or false, got %s", lua_type_desc(L, -1));
        *(int *)p = lua_toboolean(L, -1);
        return SIM_OK;
    case CF_ENUM: {
        if (ty != LUA_TSTRING)
            return fail(cv, path, "expected a string, got %s", lua_type_desc(L, -1));
        const char *s = lua_tostring(L, -1);
        char opts[256] = "";
        for (int i = 0; f->names[i]; i++) {
            if (strcmp(s, f->names[i]) == 0) {
                *(int *)p = i;
                return SIM_OK;
            }
            size_t l = strlen(opts);
            snprintf(opts + l, sizeof opts - l, "%s\"%s\"", i ? ", " : "", f->names[i]);
        }
        return fail(cv, path, "must be one of %s (got \"%s\")", opts, s);
    }
    case CF_STR: {
        if (ty != LUA_TSTRING)
            return fail(cv, path, "expected a string, got %s", lua_type_desc(L, -1));
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (len >= f->elem_size || strlen(s) != len)
            return fail(cv, path, "must be at most %zu bytes without NUL", f->elem_size - 1);
        memcpy(p, s, len + 1);
        return SIM_OK;
    }
    case CF_TABLE:
        if (ty != LUA_TTABLE)
            return fail(cv, path, "expected a table, got %s", lua_type_desc(L, -1));
        return conv_table(cv, f->sub, p, path);
    case CF_LIST:
    case CF_NUMLIST:
    case CF_ARRAY:
        break;
    }
    /* Lists: a Lua sequence 1..n and nothing else. */
    if (ty != LUA_TTABLE)
        return fail(cv, path, "expected a list (table), got %s", lua_type_desc(L, -1));
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1), keys = 0, top = 0;
    /* A fixed array (CF_ARRAY) may be given sparsely, e.g. by --set
     * cell.ce_levels[2].x=...: the items not given keep their defaults. */
    lua_Integer limit = f->kind == CF_ARRAY ? (lua_Integer)f->max_count : n;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        keys++;
        if (lua_isinteger(L, -1) && f->kind == CF_ARRAY && lua_tointeger(L, -1) > limit) {
            lua_pop(L, 1);
            return fail(cv, path, "at most %u items", f->max_count);
        }
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > limit) {
            lua_pop(L, 1);
            return fail(cv, path, "expected a list: items numbered 1..n without holes or keys");
        }
        if (lua_tointeger(L, -1) > top) top = lua_tointeger(L, -1);
    }
    if (keys != n && f->kind != CF_ARRAY)
        return fail(cv, path, "expected a list: items numbered 1..n without holes or keys");
    int overlay = 0;
    if (f->kind == CF_ARRAY && lua_getmetatable(L, -1)) {
        lua_getfield(L, LUA_REGISTRYINDEX, "mtc.overlay");
        overlay = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    if (keys != n || overlay) {
        int have = *(const int *)((const char *)p - f->offset + f->count_offset);
        n = top > have ? top : have;
    }
    if (n < f->min_count || n > f->max_count)
        return fail(cv, path, "must have %u to %u items (got %lld)", f->min_count, f->max_count,
                    (long long)n);
    if (f->kind == CF_NUMLIST) {
        double *v = (double *)p;
        for (lua_Integer i = 1; i <= n; i++) {
            char ipath[512];
            snprintf(ipath, sizeof ipath, "%s[%lld]", path, (long long)i);
            lua_rawgeti(L, -1, i);
            cf_field item = *f;
            item.kind = CF_NUM;
            int rc = conv_value(cv, &item, (char *)&v[i - 1], ipath);
            lua_pop(L, 1);
            if (rc) return rc;
        }
        return SIM_OK;
    }
    char *elems = f->kind == CF_ARRAY ? p : calloc((size_t)n, f->elem_size);
    if (!elems) return sim_error_set(cv->err, SIM_ERR_RUNTIME, "out of memory reading %s", path);
    if (f->kind == CF_LIST) *(char **)p = elems;
    for (lua_Integer i = 1; i <= n; i++) {
        char ipath[512];
        snprintf(ipath, sizeof ipath, "%s[%lld]", path, (long long)i);
        void *el = elems + (size_t)(i - 1) * f->elem_size;
        if (f->init_at)
            f->init_at(el, (int)(i - 1));
        else if (f->init)
            f->init(el);
        lua_rawgeti(L, -1, i);
        int rc = lua_type(L, -1) == LUA_TTABLE ? conv_table(cv, f->sub, el, ipath)
                 : f->kind == CF_ARRAY && lua_isnil(L, -1)
                     ? SIM_OK
                     : fail(cv, ipath, "expected a table, got %s", lua_type_desc(L, -1));
        lua_pop(L, 1);
        if (rc) return rc;
    }
    if (f->kind == CF_ARRAY) *(int *)(p - f->offset + f->count_offset) = (int)n;
    return SIM_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Converts the Lua table on top of the stack into the struct at base. */
static int conv_table(conv *cv, const cf_table *t, void *base, const char *path)
{
    lua_State *L = cv->L;
    char fpath[512];
    /* The variant tag first: it decides which other fields apply. */
    if (t->tag) {
        const cf_field *tf = cf_find(t, t->tag);
        join(fpath, sizeof fpath, path, tf->name);
        lua_getfield(L, -1, tf->name);
        int given = !lua_isnil(L, -1);
        int rc = given ? conv_value(cv, tf, (char *)base + tf->offset, fpath) : SIM_OK;
        lua_pop(L, 1);
        if (rc) return rc;
        if (given && t->tag_defaults) t->tag_defaults(base, cf_tag_value(t, base));
    }
    /* Every key must be a known, applicable field name. Keys are collected
     * and sorted so the reported one does not depend on table order. */
    const char *bad[64];
    size_t nbad = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            char k[64];
            if (lua_isinteger(L, -1))
                snprintf(k, sizeof k, "[%lld]", (long long)lua_tointeger(L, -1));
            else
                snprintf(k, sizeof k, "[%s key]", luaL_typename(L, -1));
            lua_pop(L, 1);
            snprintf(fpath, sizeof fpath, "%s%s", path, k);
            return fail(cv, fpath, "unexpected list item or non-string key in a record table");
        }
        const cf_field *f = cf_find_at(t, lua_tostring(L, -1), base);
        if ((!f || !cf_applies(t, f, base)) && nbad < 64)
            bad[nbad++] = lua_tostring(L, -1); /* stays valid: the key is in the table */
    }
    if (nbad) {
        qsort(bad, nbad, sizeof bad[0], cmp_str);
        const cf_field *f = cf_find(t, bad[0]);
        join(fpath, sizeof fpath, path, bad[0]);
        if (f) {
            const cf_field *tf = cf_find(t, t->tag);
            return fail(cv, fpath, "does not apply when %s = \"%s\"", t->tag,
                        tf->names[cf_tag_value(t, base)]);
        }
        const char *best = NULL;
        size_t bestd = 3;
        for (size_t i = 0; i < t->n; i++) {
            size_t d = edit_distance(bad[0], t->fields[i].name);
            if (d < bestd) {
                bestd = d;
                best = t->fields[i].name;
            }
        }
        if (best) return fail(cv, fpath, "unknown field (did you mean \"%s\"?)", best);
        return fail(cv, fpath, "unknown field");
    }
    /* Lists that share a count (parallel lists) must have equal lengths. */
    const cf_field *first_list = NULL;
    lua_Integer first_len = -1;
    for (size_t i = 0; i < t->n; i++) {
        const cf_field *f = &t->fields[i];
        if (t->tag && strcmp(f->name, t->tag) == 0) continue;
        if (!cf_applies(t, f, base)) continue; /* its key was rejected above if given */
        join(fpath, sizeof fpath, path, f->name);
        lua_getfield(L, -1, f->name);
        int rc = SIM_OK;
        if (lua_isnil(L, -1)) {
            if (f->required && cf_applies(t, f, base))
                rc = fail(cv, fpath, "required field is missing");
        } else {
            rc = conv_value(cv, f, (char *)base + f->offset, fpath);
        }
        if (!rc && f->kind == CF_NUMLIST && cf_applies(t, f, base)) {
            lua_Integer len = lua_isnil(L, -1) ? -1 : (lua_Integer)lua_rawlen(L, -1);
            int *count = (int *)((char *)base + f->count_offset);
            if (len < 0) len = *count;
            if (first_list && first_list->count_offset == f->count_offset && len != first_len)
                rc = fail(cv, fpath, "has %lld values but %s has %lld: they go in pairs",
                          (long long)len, first_list->name, (long long)first_len);
            first_list = f;
            first_len = len;
            *count = (int)len;
        }
        if (!rc && f->kind == CF_LIST && !lua_isnil(L, -1))
            *(uint32_t *)((char *)base + f->count_offset) = (uint32_t)lua_rawlen(L, -1);

        lua_pop(L, 1);
        if (rc) return rc;
    }
    return SIM_OK;
}

/* --------------------------------------------------------------- overrides */

/* Sets root[path] = value for one "path=value" override. */
static int apply_override(lua_State *L, const char *o, sim_error *err)
{
    size_t plen = ovr_path_len(o);
    if (o[plen] != '=' || plen == 0)
        return sim_error_set(err, SIM_ERR_INPUT, "--set %s: expected path=value", o);
    const char *val = o + plen + 1;
    /* The value is a Lua literal (number, boolean, string, table) evaluated
     * in an empty environment; anything else is taken as a plain string, so
     * --set devices[1].traffic.kind=poisson works without quotes. */
    lua_pushfstring(L, "return %s", val);
    int pushed = 0;
    if (luaL_loadbufferx(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=--set", "t") == LUA_OK) {
        lua_newtable(L);
        lua_setupvalue(L, -2, 1);
        if (lua_pcall(L, 0, 1, 0) == LUA_OK && !lua_isnil(L, -1))
            pushed = 1;
        else
            lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
    }
    lua_remove(L, pushed ? -2 : -1);
    if (!pushed) lua_pushstring(L, val);
    /* stack: root, value. Walk the path, creating missing tables. */
    lua_pushvalue(L, -2);
    const char *p = o, *end = o + plen;
    while (p < end) {
        int is_index = 0;
        lua_Integer idx = 0;
        char name[256];
        size_t n = 0;
        if (*p == '[') {
            char *e;
            idx = strtoll(p + 1, &e, 10);
            if (e == p + 1 || *e != ']' || idx < 1) goto bad;
            is_index = 1;
            p = e + 1;
        } else {
            while (p < end && *p != '.' && *p != '[' && n < sizeof name - 1)
                name[n++] = *p++;
            name[n] = '\0';
            if (n == 0) goto bad;
        }
        if (p < end && *p == '.') p++;
        int last = p >= end;
        if (is_index)
            lua_pushinteger(L, idx);
        else
            lua_pushstring(L, name);
        if (last) {
            lua_pushvalue(L, -3);
            lua_settable(L, -3);
            lua_pop(L, 2);
            return SIM_OK;
        }
        lua_pushvalue(L, -1);
        lua_gettable(L, -3);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_newtable(L);
            /* Mark tables --set creates: a fixed array created this way
             * overlays the defaults instead of replacing them. */
            lua_getfield(L, LUA_REGISTRYINDEX, "mtc.overlay");
            lua_setmetatable(L, -2);
            lua_pushvalue(L, -2);
            lua_pushvalue(L, -2);
            lua_settable(L, -5);
        } else if (!lua_istable(L, -1)) {
            lua_pop(L, 4);
            return sim_error_set(err, SIM_ERR_INPUT, "--set %s: %.*s: not a table", o,
                                 (int)(p - o - 1), o);
        }
        lua_remove(L, -2);
        lua_remove(L, -2);
    }
bad:
    lua_pop(L, 2);
    return sim_error_set(err, SIM_ERR_INPUT, "--set %s: malformed path (use a.b[2].c=value)", o);
}

/* ------------------------------------------------------------------- load */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = b;
        }
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r < 4096) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int last_return_line(const char *text)
{
    int line = 1, found = 1;
    for (const char *p = text; *p; p++) {
        if ((p == text || p[-1] == '\n') && strncmp(p, "return", 6) == 0) found = line;
        if (*p == '\n') line++;
    }
    return found;
}

void scen_source_free(scen_source *src)
{
    free(src->path);
    free(src->text);
    src->path = src->text = NULL;
}

/* Lua shortens long chunk names in messages to "...tail:line:"; put the
 * whole file name back so the location can be copied. */
static void full_chunk_name(const char *m, const char *path, sim_error *err)
{
    if (strncmp(m, "...", 3) == 0) {
        const char *colon = strchr(m + 3, ':');
        size_t tail = colon ? (size_t)(colon - (m + 3)) : 0;
        size_t plen = strlen(path);
        if (colon && tail <= plen && strncmp(path + plen - tail, m + 3, tail) == 0) {
            sim_error_set(err, SIM_ERR_INPUT, "%s%s", path, colon);
            return;
        }
    }
    sim_error_set(err, SIM_ERR_INPUT, "%s", m);
}

typedef struct lua_run {
    lua_budget budget;
    sim_rng rng; /* the script's math.random stream; outlives the Lua state */
} lua_run;

/* Runs the script in a fresh sandboxed state; returns the state with the
 * scenario table on top, or NULL with err set. */
static lua_State *eval_script(const char *path, const scen_source *src, const char *dir,
                              uint64_t seed, lua_run *run, sim_error *err)
{
    run->budget = (lua_budget){0, 0};
    lua_State *L = lua_newstate(budget_alloc, &run->budget);
    if (!L) {
        sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
        return NULL;
    }
    sim_rng_key key = {seed, 0, 0, UINT32_MAX, 0, 0};
    sim_rng_init(&run->rng, &key);
    sandbox(L, dir, &run->rng);
    char chunk[4200];
    snprintf(chunk, sizeof chunk, "@%s", path);
    int st = luaL_loadbufferx(L, src->text, src->len, chunk, "t");
    if (st == LUA_OK) st = lua_pcall(L, 0, 1, 0);
    if (st != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        if (st == LUA_ERRMEM)
            sim_error_set(err, SIM_ERR_INPUT,
                          "%s: the scenario needs more than %zu MiB of Lua memory", path,
                          MEM_LIMIT >> 20);
        else if (!m)
            sim_error_set(err, SIM_ERR_INPUT, "%s: the scenario raised an error object of type %s",
                          path, luaL_typename(L, -1));
        else
            full_chunk_name(m, path, err);
        lua_close(L);
        return NULL;
    }
    if (!lua_istable(L, -1)) {
        sim_error_set(err, SIM_ERR_INPUT,
                      "%s:%d: the scenario must return a table (return mtc.scenario { ... }), "
                      "got %s",
                      path, last_return_line(src->text), luaL_typename(L, -1));
        lua_close(L);
        return NULL;
    }
    return L;
}

static int load(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
                scen_source *src, scen_sweep *sw, int drop, sim_error *err);

int scen_load(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
              scen_source *src, sim_error *err)
{
    return load(path, ovr, n_ovr, cfg, src, NULL, 0, err);
}

int scen_load_point(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
                    scen_source *src, sim_error *err)
{
    return load(path, ovr, n_ovr, cfg, src, NULL, 1, err);
}

int scen_load_sweep(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
                    scen_source *src, scen_sweep *sw, sim_error *err)
{
    return load(path, ovr, n_ovr, cfg, src, sw, 0, err);
}

/* drop: take `sweep` and `sweep_exclude` out unread (a point's load). */
static int load(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
                scen_source *src, scen_sweep *sw, int drop, sim_error *err)
{
    if (sw) memset(sw, 0, sizeof *sw);
    memset(src, 0, sizeof *src);
    scen_config_default(cfg);
    src->text = read_file(path, &src->len);
    if (!src->text)
        return sim_error_set(err, SIM_ERR_INPUT, "%s: cannot read: %s", path, strerror(errno));
    src->path = strdup(path);
    /* Default name: the file name without folder and extension. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(cfg->name, sizeof cfg->name, "%.*s", (int)strcspn(base, "."), base);
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", base == path ? 1 : (int)(base - path - 1),
             base == path ? "." : path);

    scen_lines *ix = scen_lines_build(src->text, src->len);
    if (!ix || !src->path) {
        scen_lines_free(ix);
        scen_source_free(src);
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
    }
    /* math.random in the script draws from the scenario's own seed. That seed
     * is only known once the script has run, so a script that declares a
     * seed other than the one its stream used is evaluated once more with
     * it (scripts are cheap and free of side effects). --seed fixes it. */
    uint64_t seed = 1; /* scen_config_default */
    int seed_fixed = 0;
    for (size_t i = 0; i < n_ovr; i++)
        if (strncmp(ovr[i], "seed=", 5) == 0) {
            seed = strtoull(ovr[i] + 5, NULL, 10);
            seed_fixed = 1;
        }
    lua_run *run = malloc(sizeof *run);
    lua_State *L = NULL;
    int rc = SIM_OK;
    if (!run) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        if (L) lua_close(L);
        L = eval_script(path, src, dir, seed, run, err);
        if (!L) {
            rc = err->code;
            goto out;
        }
        if (seed_fixed) break;
        lua_getfield(L, -1, "seed");
        uint64_t declared = lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0
                                ? (uint64_t)lua_tointeger(L, -1)
                                : seed;
        lua_pop(L, 1);
        if (declared == seed) break;
        seed = declared;
    }
    lua_sethook(L, NULL, 0, 0);
    for (size_t i = 0; i < n_ovr && rc == SIM_OK; i++)
        rc = apply_override(L, ovr[i], err);
    if (rc) goto out;
    conv cv = {L, path, ix, last_return_line(src->text), ovr, n_ovr, err};
    if (drop) {
        lua_pushnil(L);
        lua_setfield(L, -2, "sweep");
        lua_pushnil(L);
        lua_setfield(L, -2, "sweep_exclude");
    } else {
        /* the sweep is read (and taken out) before the conversion */
        scen_sweep tmp;
        char field[256], why[512];
        if (sweep_read(L, &tmp, field, sizeof field, why, sizeof why) != 0) {
            rc = fail(&cv, field, "%s", why);
            goto out;
        }
        if (tmp.n_points > 0 && !sw) {
            scen_sweep_free(&tmp);
            rc = fail(&cv, "sweep", "this scenario is a sweep: run it with `mtcsim sweep`");
            goto out;
        }
        if (sw)
            *sw = tmp;
        else
            scen_sweep_free(&tmp);
    }
    rc = conv_table(&cv, &cf_scenario, cfg, "");
    if (rc == SIM_OK) {
        char fpath[512], why[512];
        if (scen_config_check(cfg, fpath, sizeof fpath, why, sizeof why) != 0)
            rc = fail(&cv, fpath, "%s", why);
    }
out:
    if (L) lua_close(L);
    free(run);
    scen_lines_free(ix);
    if (rc) {
        scen_config_free(cfg);
        scen_source_free(src);
        if (sw) scen_sweep_free(sw);
    }
    return rc;
}
