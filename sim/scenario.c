/* scenario.c: loads a Lua scenario into plain C structs. Lua runs once at
 * start-up, never per event.
 *
 * The script runs in the sandboxed state of scenario_lua.c (no io, os,
 * package, dofile, loadfile; text-only load; an instruction and a memory
 * budget), with math.random drawing from the scenario's seeded
 * counter-based stream. Its returned table, after the --set overrides, is
 * converted with the schema of config.c; every error names file:line (from
 * the source-line index) and the field path. The C side reads the tables
 * raw (no metamethod runs), all of it inside one protected call.
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

/* -------------------------------------------------------------- conversion */

typedef struct conv {
    lua_State *L;
    const char *file;
    const scen_lines *ix;
    int fallback_line;
    const char *const *ovr;
    size_t n_ovr, n_user; /* ovr[n_user..]: a sweep point's values */
    scen_config *cfg;
    sim_error *err;
    const char *ix_root; /* prefix of paths in the line index ("@": a file's top-level table) */
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

/* out: who wrote override i, to begin its messages: "--set path=value"
 * for the user's, "file:line: swept path=value" (the line of the sweep's
 * entry for the path) for a sweep point's. */
static void override_who(const conv *cv, size_t i, char *out, size_t n)
{
    const char *o = cv->ovr[i];
    char oe[160];
    slua_shorten(oe, sizeof oe, o, strlen(o));
    if (i < cv->n_user) {
        snprintf(out, n, "--%s %s", o[0] == SCEN_SWEEP_MARK ? "sweep" : "set",
                 oe + (o[0] == SCEN_SWEEP_MARK));
        return;
    }
    size_t plen = ovr_path_len(o), word = 0;
    /* a point's value of a --sweep axis (the last one of the path wins) */
    for (size_t k = cv->n_user; k-- > 0;)
        if (cv->ovr[k][0] == SCEN_SWEEP_MARK && ovr_path_len(cv->ovr[k] + 1) == plen &&
            !strncmp(cv->ovr[k] + 1, o, plen)) {
            char axis[160];
            slua_shorten(axis, sizeof axis, cv->ovr[k] + 1, strlen(cv->ovr[k] + 1));
            snprintf(out, n, "--sweep %s (value %s)", axis, oe + plen + 1);
            return;
        }
    /* the key as the line index records it: sweep.name or sweep["a.b[1]"] */
    while (word < plen && (isalnum((unsigned char)o[word]) || o[word] == '_'))
        word++;
    char key[600];
    if (plen > 400)
        snprintf(key, sizeof key, "sweep");
    else if (word == plen)
        snprintf(key, sizeof key, "sweep.%.*s", (int)plen, o);
    else
        snprintf(key, sizeof key, "sweep[\"%.*s\"]", (int)plen, o);
    int line = scen_lines_find(cv->ix, key);
    snprintf(out, n, "%s:%d: swept %s", cv->file, line > 0 ? line : cv->fallback_line, oe);
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
            (strlen(path) < n && is_prefix_path(path, strlen(path), cv->ovr[i]))) {
            char who[800];
            override_who(cv, i, who, sizeof who);
            return sim_error_set(cv->err, SIM_ERR_INPUT, "%s: %s: %s", who, path, what);
        }
    }
    char ipath[600];
    snprintf(ipath, sizeof ipath, "%s%s", cv->ix_root ? cv->ix_root : "", path);
    int line = scen_lines_find(cv->ix, ipath);
    if (!line && cv->ix_root) line = scen_lines_first_under(cv->ix, ipath);
    return sim_error_set(cv->err, SIM_ERR_INPUT, "%s:%d: %s: %s", cv->file,
                         line > 0 ? line : cv->fallback_line, path[0] ? path : "(scenario)", what);
}

static const char *lua_type_desc(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER) return lua_isinteger(L, idx) ? "integer" : "number";
    return luaL_typename(L, idx);
}

static int conv_table(conv *cv, const cf_table *t, void *base, const char *path);

/* Pushes t[name] of the table on top without metamethods; its type. */
static int raw_field(lua_State *L, const char *name)
{
    lua_pushstring(L, name);
    return lua_rawget(L, -2);
}

/* The table on top has a metatable other than the mark of tables that
 * --set created. Such tables are refused: the C side reads raw, and an
 * __index supplying fields would be silently ignored. */
static int foreign_metatable(lua_State *L)
{
    if (!lua_getmetatable(L, -1)) return 0;
    lua_getfield(L, LUA_REGISTRYINDEX, "mtc.overlay");
    int overlay = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return !overlay;
}

#define PLAIN_DATA                                                                                 \
    "has a metatable: scenario tables must be plain data (derive tables with mtc.with, not "       \
    "setmetatable)"

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

static void fmt_num(char *buf, size_t n, double v)
{
    cf_shortest(buf, n, v);
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
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        char got[128];
        slua_shorten(got, sizeof got, s, len);
        if (strlen(s) != len) return fail(cv, path, "contains a zero byte (got \"%s\")", got);
        char opts[256] = "";
        for (int i = 0; f->names[i]; i++) {
            if (strcmp(s, f->names[i]) == 0) {
                *(int *)p = i;
                return SIM_OK;
            }
            size_t l = strlen(opts);
            snprintf(opts + l, sizeof opts - l, "%s\"%s\"", i ? ", " : "", f->names[i]);
        }
        return fail(cv, path, "must be one of %s (got \"%s\")", opts, got);
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
    if (foreign_metatable(L)) return fail(cv, path, PLAIN_DATA);
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
    if (foreign_metatable(L)) return fail(cv, path, PLAIN_DATA);
    /* The variant tag first: it decides which other fields apply. */
    if (t->tag) {
        const cf_field *tf = cf_find(t, t->tag);
        join(fpath, sizeof fpath, path, tf->name);
        raw_field(L, tf->name);
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
        size_t klen;
        const char *key = lua_tolstring(L, -1, &klen);
        if (strlen(key) != klen) {
            char k[128];
            slua_shorten(k, sizeof k, key, klen);
            lua_pop(L, 1);
            join(fpath, sizeof fpath, path, k);
            return fail(cv, fpath, "a field name with a zero byte");
        }
        const cf_field *f = cf_find_at(t, key, base);
        if ((!f || !cf_applies(t, f, base)) && nbad < 64)
            bad[nbad++] = lua_tostring(L, -1); /* stays valid: the key is in the table */
    }
    if (nbad) {
        qsort(bad, nbad, sizeof bad[0], cmp_str);
        const cf_field *f = cf_find(t, bad[0]);
        join(fpath, sizeof fpath, path, bad[0]);
        if (f) {
            const cf_field *tf = cf_find(t, t->tag);
            const int tag = cf_tag_value(t, base);
            /* the cell's RAT: say which RAT the field belongs to */
            if (!strcmp(t->tag, "rat") &&
                (f->when == (1u << MAC_RAT_NBIOT) || f->when == (1u << MAC_RAT_LTEM))) {
                char tpath[600];
                join(tpath, sizeof tpath, path, t->tag);
                return fail(cv, fpath, "an %s field, not used with %s = \"%s\"",
                            f->when == (1u << MAC_RAT_NBIOT) ? "NB-IoT" : "LTE-M", tpath,
                            tf->names[tag]);
            }
            return fail(cv, fpath, "does not apply when %s = \"%s\"", t->tag, tf->names[tag]);
        }
        if (t->other_rat && cf_find(t->other_rat, bad[0]))
            return fail(cv, fpath, "an %s field, not used with cell.rat = \"%s\"",
                        t->other_rat->rat_name, t->rat);
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
        raw_field(L, f->name);
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

/* A bare word: a letter or '_', then letters, digits and _ - . / : (and not
 * true, false or nil, nor a name of the mtc library: mtc.modules.bg96).
 * --set takes it as a string as it stands. */
static int bare_word(const char *v)
{
    if (!isalpha((unsigned char)*v) && *v != '_') return 0;
    if (!strncmp(v, "mtc.", 4)) return 0;
    if (!strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "nil")) return 0;
    for (; *v; v++)
        if (!isalnum((unsigned char)*v) && !strchr("_-./:", *v)) return 0;
    return 1;
}

/* Pushes the value of an override: a bare word as a string, `nil` as nil
 * (the field back to its default), anything else evaluated as a Lua
 * expression (under the scenario's budgets) in an environment holding only
 * `mtc`, the library a scenario's require "mtc" gives (loaded only when the
 * expression names it). An expression that does not compile, fails or
 * gives nil is an error. */
static int override_value(lua_State *L, const char *oe, const char *val, sim_error *err)
{
    if (bare_word(val)) {
        lua_pushstring(L, val);
        return SIM_OK;
    }
    if (!strcmp(val, "nil")) {
        lua_pushnil(L);
        return SIM_OK;
    }
    if (!*val)
        return sim_error_set(err, SIM_ERR_INPUT, "%s: no value (an empty string is written \"\")",
                             oe);
    lua_pushfstring(L, "return %s", val);
    if (luaL_loadbufferx(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=--set", "t") != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        if (strncmp(m, "--set:1: ", 9) == 0) m += 9;
        sim_error_set(err, SIM_ERR_INPUT,
                      "%s: the value is not a Lua value (%s); quote strings that are not "
                      "bare words, e.g. --set 'name=\"my run\"'",
                      oe, m);
        lua_pop(L, 2);
        return SIM_ERR_INPUT;
    }
    lua_remove(L, -2);
    lua_newtable(L);
    slua_watch *w = slua_budget_of(L)->watch;
    snprintf(w->what, sizeof w->what, "%.200s: evaluating the value:", oe);
    int st = LUA_OK;
    if (strstr(val, "mtc")) {
        lua_getglobal(L, "require");
        lua_pushliteral(L, "mtc");
        st = slua_pcall(L, 1, 1, 1);
        if (st == LUA_OK)
            lua_setfield(L, -2, "mtc");
        else
            lua_remove(L, -2); /* the environment; the chunk stays below the message */
    }
    if (st == LUA_OK) {
        lua_setupvalue(L, -2, 1);
        st = slua_pcall(L, 0, 1, 1);
    } else {
        lua_remove(L, -2); /* the chunk */
    }
    w->what[0] = '\0';
    if (st != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        if (strncmp(m, "--set:1: ", 9) == 0) m += 9;
        sim_error_set(err, SIM_ERR_INPUT, "%s: evaluating the value failed: %s", oe, m);
        lua_pop(L, 1);
        return SIM_ERR_INPUT;
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return sim_error_set(err, SIM_ERR_INPUT,
                             "%s: the value is nil (path=nil clears a field back to its default)",
                             oe);
    }
    return SIM_OK;
}

#define OVR_PATH_MAX 400 /* field paths are far shorter; messages quote them */

/* Sets root[path] = value for override i, "path=value" (root on top). */
static int apply_override(const conv *cv, size_t i)
{
    lua_State *L = cv->L;
    sim_error *err = cv->err;
    const char *o = cv->ovr[i];
    size_t plen = ovr_path_len(o);
    char oe[800];
    override_who(cv, i, oe, sizeof oe);
    if (o[plen] != '=' || plen == 0)
        return sim_error_set(err, SIM_ERR_INPUT, "%s: expected path=value", oe);
    if (plen > OVR_PATH_MAX)
        return sim_error_set(err, SIM_ERR_INPUT,
                             "%s: the path is %zu characters long, at most %d: no field "
                             "has such a path",
                             oe, plen, OVR_PATH_MAX);
    if (override_value(L, oe, o + plen + 1, err)) return SIM_ERR_INPUT;
    /* stack: root, value. Walk the path, creating missing tables. */
    lua_pushvalue(L, -2);
    const char *p = o, *end = o + plen;
    while (p < end) {
        int is_index = 0;
        lua_Integer idx = 0;
        size_t n = 0;
        if (*p == '[') {
            char *e;
            idx = strtoll(p + 1, &e, 10);
            if (e == p + 1 || *e != ']' || idx < 1) goto bad;
            is_index = 1;
            p = e + 1;
        } else {
            n = strcspn(p, ".[=");
            if (n == 0) goto bad;
        }
        if (is_index)
            lua_pushinteger(L, idx);
        else
            lua_pushlstring(L, p, n);
        p += n;
        if (p < end && *p == '.') p++;
        if (p >= end) {
            lua_pushvalue(L, -3);
            lua_rawset(L, -3);
            lua_pop(L, 2);
            return SIM_OK;
        }
        lua_pushvalue(L, -1);
        if (lua_rawget(L, -3) == LUA_TNIL && lua_isnil(L, -4)) {
            lua_pop(L, 4); /* path=nil where a table on the way is missing: nothing to clear */
            return SIM_OK;
        } else if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_newtable(L);
            /* Mark tables --set creates: a fixed array created this way
             * overlays the defaults instead of replacing them. */
            lua_getfield(L, LUA_REGISTRYINDEX, "mtc.overlay");
            lua_setmetatable(L, -2);
            lua_pushvalue(L, -2);
            lua_pushvalue(L, -2);
            lua_rawset(L, -5);
        } else if (!lua_istable(L, -1)) {
            lua_pop(L, 4);
            return sim_error_set(err, SIM_ERR_INPUT, "%s: %.*s: not a table", oe, (int)(p - o - 1),
                                 o);
        }
        lua_remove(L, -2);
        lua_remove(L, -2);
    }
bad:
    lua_pop(L, 2);
    return sim_error_set(err, SIM_ERR_INPUT, "%s: malformed path (use a.b[2].c=value)", oe);
}

/* The items of a --sweep value list in buf (NUL-separated, an empty one
 * last): split at commas outside brackets and quotes, so that {1, 2} and
 * "a,b" stay one value. -1 on an empty item or unbalanced brackets. */
static int split_values(const char *v, char *buf, size_t n)
{
    size_t o = 0;
    int depth = 0;
    char quote = 0;
    for (const char *p = v;; p++) {
        if (o + 2 > n) return -1;
        if (quote) {
            if (*p == '\\' && p[1])
                buf[o++] = *p++;
            else if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (strchr("{([", *p) && *p) {
            depth++;
        } else if (strchr("})]", *p) && *p) {
            depth--;
        }
        if (!*p || (*p == ',' && !depth && !quote)) {
            if (o == 0 || buf[o - 1] == '\0' || depth || quote) return -1;
            buf[o++] = '\0';
            if (!*p) break;
            continue;
        }
        buf[o++] = *p;
    }
    buf[o] = '\0';
    return 0;
}

/* --sweep path=v1,v2,... (override i, marked): root.sweep[path] = {v1, v2,
 * ...}, replacing the scenario's axis of that path or adding one (root on
 * top). A path of a zipped group is refused: its partners would lose
 * their pairing. */
static int apply_sweep_axis(const conv *cv, size_t i)
{
    lua_State *L = cv->L;
    sim_error *err = cv->err;
    const char *o = cv->ovr[i] + 1;
    const size_t plen = ovr_path_len(o);
    char oe[800];
    override_who(cv, i, oe, sizeof oe);
    if (o[plen] != '=' || plen == 0)
        return sim_error_set(err, SIM_ERR_INPUT, "%s: expected path=value,value,...", oe);
    if (plen > OVR_PATH_MAX)
        return sim_error_set(err, SIM_ERR_INPUT, "%s: the path is %zu characters long, at most %d",
                             oe, plen, OVR_PATH_MAX);
    const size_t word = strcspn(o, ".[=");
    if ((word == 5 && !strncmp(o, "sweep", 5)) || (word == 13 && !strncmp(o, "sweep_exclude", 13)))
        return sim_error_set(err, SIM_ERR_INPUT, "%s: %.*s is not a field to sweep", oe, (int)word,
                             o);
    const char *vals = o + plen + 1;
    const size_t blen = strlen(vals) + 2;
    char *buf = malloc(blen);
    if (!buf) return sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", oe);
    if (split_values(vals, buf, blen)) {
        free(buf);
        return sim_error_set(err, SIM_ERR_INPUT,
                             "%s: expected values separated by commas (an empty value, or an "
                             "unclosed bracket or quote)",
                             oe);
    }
    lua_newtable(L);
    lua_Integer n = 0;
    for (char *t = buf; *t; t += strlen(t) + 1) {
        if (override_value(L, oe, t, err)) {
            free(buf);
            lua_pop(L, 1);
            return SIM_ERR_INPUT;
        }
        if (lua_isnil(L, -1)) {
            free(buf);
            lua_pop(L, 2);
            return sim_error_set(err, SIM_ERR_INPUT, "%s: value %lld is nil", oe, (long long)n + 1);
        }
        lua_rawseti(L, -2, ++n);
    }
    free(buf);
    /* stack: root, list */
    lua_pushliteral(L, "sweep");
    int ty = lua_rawget(L, -3);
    if (ty == LUA_TNIL) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushliteral(L, "sweep");
        lua_pushvalue(L, -2);
        lua_rawset(L, -5);
    } else if (ty != LUA_TTABLE) {
        lua_pop(L, 2);
        return sim_error_set(err, SIM_ERR_INPUT, "%s: the scenario's sweep is not a table", oe);
    }
    /* stack: root, list, sweep */
    for (lua_Integer k = 1; lua_rawgeti(L, -1, k) == LUA_TTABLE; k++) {
        lua_pushlstring(L, o, plen);
        const int zipped = lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 2);
        if (zipped) {
            lua_pop(L, 2);
            return sim_error_set(
                err, SIM_ERR_INPUT,
                "%s: %.*s is in a zipped group of the scenario's sweep (sweep[%lld], "
                "paths that vary together): --sweep replaces or adds a plain axis "
                "only",
                oe, (int)plen, o, (long long)k);
        }
    }
    lua_pop(L, 1);
    lua_pushlstring(L, o, plen);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 2);
    return SIM_OK;
}

/* ------------------------------------------------------------------- load */

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
    for (char **f = src->inputs; f && *f; f++)
        free(*f);
    free(src->inputs);
    src->path = src->text = NULL;
    src->inputs = NULL;
}

/* Line where brackets nest deepest (strings and line comments skipped):
 * where Lua's parser runs out of C stack, which it reports without a line. */
static int deepest_line(const char *text)
{
    int line = 1, depth = 0, best = 0, best_line = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') line++;
        if (*p == '-' && p[1] == '-') {
            p += strcspn(p, "\n") - 1;
        } else if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; *p && *p != q && *p != '\n'; p++)
                if (*p == '\\' && p[1]) p++;
            if (!*p) break;
            if (*p == '\n') line++;
        } else if (strchr("{([", *p) && ++depth > best) {
            best = depth;
            best_line = line;
        } else if (strchr("})]", *p)) {
            depth--;
        }
    }
    return best_line;
}

typedef struct lua_run {
    slua_budget budget;
    sim_rng rng;      /* the script's math.random stream; outlives the Lua state */
    slua_watch watch; /* the CPU-time limit of the whole load */
} lua_run;

/* Runs the script in a fresh sandboxed state; returns the state with the
 * scenario table on top, or NULL with err set. */
static lua_State *eval_script(const char *path, const scen_source *src, const char *dir,
                              uint64_t seed, lua_run *run, sim_error *err)
{
    sim_rng_key key = {seed, 0, 0, UINT32_MAX, 0, 0};
    sim_rng_init(&run->rng, &key);
    lua_State *L = slua_open(&run->budget, path, dir, &run->rng, &run->watch);
    if (!L) {
        sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
        return NULL;
    }
    lua_pushfstring(L, "@%s", path);
    int st = luaL_loadbufferx(L, src->text, src->len, lua_tostring(L, -1), "t");
    lua_remove(L, -2);
    if (st == LUA_OK) st = slua_pcall(L, 0, 1, 1);
    if (st != LUA_OK) {
        /* syntax errors carry Lua's shortened chunk name */
        char m[1024];
        slua_full_name(lua_tostring(L, -1), path, m, sizeof m);
        size_t plen = strlen(path);
        int located = strncmp(m, path, plen) == 0 && m[plen] == ':';
        if (strstr(m, "C stack overflow") && !located)
            sim_error_set(err, SIM_ERR_INPUT,
                          "%s:%d: nested too deeply (%s): Lua allows about 200 levels of "
                          "brackets and calls; build deep tables in steps with local variables",
                          path, deepest_line(src->text), m);
        else if (!located) /* raised in a tail call of the script: its frame is gone */
            sim_error_set(err, SIM_ERR_INPUT, "%s:%d: %s", path, last_return_line(src->text), m);
        else
            sim_error_set(err, SIM_ERR_INPUT, "%s", m);
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

/* What the protected part of a load works on. */
typedef struct body {
    conv *cv;
    scen_sweep *sw; /* NULL: a sweep is an error */
    int drop;
    int rc;
} body;

/* Protected: the scenario table (1) with the overrides applied, its sweep
 * read and its fields converted; the result in bd->rc. Lua errors (only
 * memory, or the budget in --set or sweep_exclude code) propagate. */
static int read_result(lua_State *L)
{
    body *bd = lua_touserdata(L, 2);
    conv *cv = bd->cv;
    lua_settop(L, 1);
    /* --sweep axes (marked) after every --set; a point's load has its
     * values among the overrides instead */
    for (size_t i = 0; i < cv->n_ovr; i++)
        if (cv->ovr[i][0] != SCEN_SWEEP_MARK && (bd->rc = apply_override(cv, i))) return 0;
    for (size_t i = 0; i < cv->n_ovr && !bd->drop; i++)
        if (cv->ovr[i][0] == SCEN_SWEEP_MARK && (bd->rc = apply_sweep_axis(cv, i))) return 0;
    if (bd->drop) {
        lua_pushliteral(L, "sweep");
        lua_pushnil(L);
        lua_rawset(L, 1);
        lua_pushliteral(L, "sweep_exclude");
        lua_pushnil(L);
        lua_rawset(L, 1);
    } else {
        /* the sweep is read (and taken out) before the conversion */
        scen_sweep tmp;
        char field[256], why[1024];
        int st = sweep_read(L, &tmp, field, sizeof field, why, sizeof why);
        if (st == -2) {
            bd->rc = sim_error_set(cv->err, SIM_ERR_INPUT, "%s", why);
            return 0;
        }
        if (st != 0) {
            /* an axis of a --sweep: its message names it */
            for (size_t i = cv->n_user; i-- > 0;) {
                const char *o = cv->ovr[i];
                const size_t plen = ovr_path_len(o + 1);
                if (o[0] == SCEN_SWEEP_MARK && !strncmp(field, "sweep[\"", 7) &&
                    !strncmp(field + 7, o + 1, plen) && !strcmp(field + 7 + plen, "\"]")) {
                    char who[800];
                    override_who(cv, i, who, sizeof who);
                    bd->rc = sim_error_set(cv->err, SIM_ERR_INPUT, "%s: %s", who, why);
                    return 0;
                }
            }
            bd->rc = fail(cv, field, "%s", why);
            return 0;
        }
        if (tmp.n_points > 0 && !bd->sw) {
            scen_sweep_free(&tmp);
            bd->rc = fail(cv, "sweep", "this scenario is a sweep: run it with `mtcsim sweep`");
            return 0;
        }
        if (bd->sw)
            *bd->sw = tmp;
        else
            scen_sweep_free(&tmp);
    }
    bd->rc = conv_table(cv, &cf_scenario, cv->cfg, "");
    return 0;
}

static int load(const char *path, const char *const *ovr, size_t n_ovr, size_t n_user,
                scen_config *cfg, scen_source *src, scen_sweep *sw, int drop, sim_error *err);

int scen_load(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
              scen_source *src, sim_error *err)
{
    return load(path, ovr, n_ovr, n_ovr, cfg, src, NULL, 0, err);
}

int scen_load_point(const char *path, const char *const *ovr, size_t n_ovr, size_t n_user,
                    scen_config *cfg, scen_source *src, sim_error *err)
{
    return load(path, ovr, n_ovr, n_user, cfg, src, NULL, 1, err);
}

int scen_load_sweep(const char *path, const char *const *ovr, size_t n_ovr, scen_config *cfg,
                    scen_source *src, scen_sweep *sw, sim_error *err)
{
    return load(path, ovr, n_ovr, n_ovr, cfg, src, sw, 0, err);
}

/* drop: take `sweep` and `sweep_exclude` out unread (a point's load). */
static int load(const char *path, const char *const *ovr, size_t n_ovr, size_t n_user,
                scen_config *cfg, scen_source *src, scen_sweep *sw, int drop, sim_error *err)
{
    if (sw) memset(sw, 0, sizeof *sw);
    memset(src, 0, sizeof *src);
    scen_config_default(cfg);
    char rwhy[256];
    int rd = slua_read_source(path, &src->text, &src->len, rwhy, sizeof rwhy);
    if (rd != 0)
        return sim_error_set(err, SIM_ERR_INPUT, "%s%s: %s", path, rd == -2 ? ":1" : "", rwhy);
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
    conv cv;
    int rc = SIM_OK;
    if (!run) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
        goto out;
    }
    char wwhy[256];
    if (slua_watch_start(&run->watch, &run->budget, wwhy, sizeof wwhy) != 0) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: cannot limit the load's CPU time: %s", path,
                           wwhy);
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        if (L) lua_close(L);
        if (pass > 0) slua_watch_rearm(&run->watch);
        L = eval_script(path, src, dir, seed, run, err);
        if (!L) {
            rc = err->code;
            goto out;
        }
        if (seed_fixed) break;
        raw_field(L, "seed");
        uint64_t declared = lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0
                                ? (uint64_t)lua_tointeger(L, -1)
                                : seed;
        lua_pop(L, 1);
        if (declared == seed) break;
        seed = declared;
    }
    body bd = {&cv, sw, drop, SIM_OK};
    cv = (conv){.L = L,
                .file = path,
                .ix = ix,
                .fallback_line = last_return_line(src->text),
                .ovr = ovr,
                .n_ovr = n_ovr,
                .n_user = n_user,
                .cfg = cfg,
                .err = err};
    lua_pushcfunction(L, read_result);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, &bd);
    if (slua_pcall(L, 2, 0, 0) != LUA_OK) {
        /* a Lua error the C side could not prevent: memory or the budget */
        const char *m = lua_tostring(L, -1);
        if (!m) m = "(no message)";
        if (strncmp(m, path, strlen(path)) == 0)
            rc = sim_error_set(err, SIM_ERR_INPUT, "%s", m);
        else
            rc = sim_error_set(err, SIM_ERR_INPUT, "%s: %s", path, m);
        goto out;
    }
    rc = bd.rc;
    if (rc == SIM_OK) {
        for (uint32_t g = 0; g < cfg->n_groups; g++)
            mac_group_cfg_resolve(&cfg->groups[g]);
        char fpath[512], why[512];
        if (scen_config_check(cfg, fpath, sizeof fpath, why, sizeof why) != 0)
            rc = fail(&cv, fpath, "%s", why);
    }
out:
    if (L && rc == SIM_OK) src->inputs = slua_loaded_files(L);
    if (L) lua_close(L);
    if (run) slua_watch_stop(&run->watch);
    free(run);
    scen_lines_free(ix);
    if (rc) {
        scen_config_free(cfg);
        scen_source_free(src);
        if (sw) scen_sweep_free(sw);
    }
    return rc;
}

/* ------------------------------------------------------ the module list */

typedef struct mods {
    conv *cv;
    scen_module_info *m;
    size_t n;
    int rc;
} mods;

/* A string field of the catalogue entry on top, copied into out. */
static int entry_str(conv *cv, const char *path, const char *key, char *out, size_t n)
{
    lua_State *L = cv->L;
    char fpath[128];
    snprintf(fpath, sizeof fpath, "%s.%s", path, key);
    raw_field(L, key);
    size_t len = 0;
    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    int rc = SIM_OK;
    if (!v || len == 0 || len >= n || strlen(v) != len)
        rc = fail(cv, fpath, "expected a non-empty string of at most %zu bytes", n - 1);
    else
        memcpy(out, v, len + 1);
    lua_pop(L, 1);
    return rc;
}

/* Protected: the modules table (1): its catalogue (list part) in order,
 * each entry's profile modules[name] converted; every profile catalogued. */
static int read_modules(lua_State *L)
{
    mods *md = lua_touserdata(L, 2);
    conv *cv = md->cv;
    lua_settop(L, 1);
    if (!lua_istable(L, 1)) {
        md->rc = fail(cv, "modules", "require \"modules\" must give a table, got %s",
                      luaL_typename(L, 1));
        return 0;
    }
    const size_t n = (size_t)lua_rawlen(L, 1);
    md->m = calloc(n ? n : 1, sizeof *md->m);
    if (!md->m) {
        md->rc = sim_error_set(cv->err, SIM_ERR_RUNTIME, "out of memory");
        return 0;
    }
    for (size_t i = 0; i < n && !md->rc; i++) {
        scen_module_info *e = &md->m[i];
        char path[160];
        snprintf(path, sizeof path, "modules[%zu]", i + 1);
        lua_rawgeti(L, 1, (lua_Integer)i + 1);
        if (!lua_istable(L, -1)) {
            md->rc = fail(cv, path,
                          "a catalogue entry { name, rat, supply_v, source } expected, "
                          "got %s",
                          luaL_typename(L, -1));
        } else if (!(md->rc = entry_str(cv, path, "name", e->name, sizeof e->name)) &&
                   !(md->rc = entry_str(cv, path, "rat", e->rat, sizeof e->rat)) &&
                   !(md->rc = entry_str(cv, path, "source", e->source, sizeof e->source))) {
            raw_field(L, "supply_v");
            e->supply_v = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
            lua_pop(L, 1);
            if (!(e->supply_v > 0 && e->supply_v <= 100))
                md->rc = fail(cv, path, "supply_v: expected the supply voltage, V (0 to 100)");
        }
        lua_pop(L, 1);
        if (md->rc) break;
        for (size_t j = 0; j < i; j++)
            if (strcmp(md->m[j].name, e->name) == 0)
                md->rc = fail(cv, path, "\"%s\" is catalogued twice", e->name);
        if (md->rc) break;
        snprintf(path, sizeof path, "modules.%s", e->name);
        energy_profile_default(&e->profile);
        e->profile.power_mw[ENERGY_CDRX] = -1; /* idle_mw unless given */
        lua_pushstring(L, e->name);
        if (lua_rawget(L, 1) != LUA_TTABLE)
            md->rc = fail(cv, path, "catalogued, but not a profile table (got %s)",
                          luaL_typename(L, -1));
        else
            md->rc = conv_table(cv, &cf_module, &e->profile, path);
        lua_pop(L, 1);
        if (md->rc) break;
        energy_profile *p = &e->profile;
        if (p->power_mw[ENERGY_CDRX] < 0) p->power_mw[ENERGY_CDRX] = p->power_mw[ENERGY_IDLE];
        const char *f = NULL;
        char why[256], fpath[200];
        if (cf_module_check(p, &f, why, sizeof why) != 0) {
            snprintf(fpath, sizeof fpath, "%s.%s", path, f);
            md->rc = fail(cv, fpath, "%s", why);
        }
        md->n = i + 1;
    }
    /* every profile (string key) has its catalogue entry */
    lua_pushnil(L);
    while (!md->rc && lua_next(L, 1)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) continue;
        const char *k = lua_tostring(L, -1);
        size_t j = 0;
        while (j < md->n && strcmp(md->m[j].name, k) != 0)
            j++;
        if (j == md->n) {
            char path[160];
            snprintf(path, sizeof path, "modules.%.100s", k);
            md->rc = fail(cv, path,
                          "not in the catalogue: add { name = \"%.100s\", rat = ..., "
                          "supply_v = ..., source = ... } to the list part",
                          k);
            lua_pop(L, 1);
        }
    }
    return 0;
}

int scen_load_modules(const char *dir, scen_module_info **out, size_t *n, sim_error *err)
{
    *out = NULL;
    *n = 0;
    static const char who[] = "mtcsim check --modules";
    lua_run *run = calloc(1, sizeof *run);
    if (!run) return sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", who);
    char wwhy[256];
    if (slua_watch_start(&run->watch, &run->budget, wwhy, sizeof wwhy) != 0) {
        free(run);
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: cannot limit the load's CPU time: %s", who,
                             wwhy);
    }
    sim_rng_key key = {1, 0, 0, UINT32_MAX, 0, 0};
    sim_rng_init(&run->rng, &key);
    int rc = SIM_OK;
    char *text = NULL;
    scen_lines *ix = NULL;
    char **files = NULL;
    lua_State *L = slua_open(&run->budget, who, dir ? dir : MTCSIM_LUA_DIR, &run->rng, &run->watch);
    if (!L) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", who);
        goto out;
    }
    static const char chunk[] = "return require \"modules\"";
    if (luaL_loadbufferx(L, chunk, sizeof chunk - 1, "=modules", "t") != LUA_OK ||
        slua_pcall(L, 0, 1, 1) != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        rc = sim_error_set(err, SIM_ERR_INPUT, "%s", m ? m : "require \"modules\" failed");
        goto out;
    }
    /* the file that defined it: for the lines of error messages */
    files = slua_loaded_files(L);
    const char *file = "modules.lua";
    for (char **f = files; f && *f; f++) {
        const char *b = strrchr(*f, '/');
        if (strcmp(b ? b + 1 : *f, "modules.lua") == 0) file = *f;
    }
    size_t len = 0;
    char why[256];
    if (slua_read_source(file, &text, &len, why, sizeof why) == 0) ix = scen_lines_build(text, len);
    conv cv = {.L = L, .file = file, .ix = ix, .fallback_line = 1, .err = err, .ix_root = "@"};
    mods md = {.cv = &cv};
    lua_pushcfunction(L, read_modules);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, &md);
    if (slua_pcall(L, 2, 0, 0) != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        md.rc = sim_error_set(err, SIM_ERR_INPUT, "%s: %s", file, m ? m : "(no message)");
    }
    rc = md.rc;
    if (rc == SIM_OK) {
        *out = md.m;
        *n = md.n;
    } else {
        free(md.m);
    }
out:
    if (L) lua_close(L);
    slua_watch_stop(&run->watch);
    free(run);
    for (char **f = files; f && *f; f++)
        free(*f);
    free(files);
    free(text);
    scen_lines_free(ix);
    return rc;
}
