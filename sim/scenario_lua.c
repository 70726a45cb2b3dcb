/* scenario_lua.c: the sandboxed Lua state scenarios run in, its budgets and
 * its protected calls (with scenario.c and sweep.c, the only Lua users).
 *
 * Budgets. Memory is capped (the allocator refuses past the limit), Lua
 * instructions are counted by a count hook that stays installed for the
 * whole life of the state: the script, --set expressions, sweep_exclude and
 * library code called while the C side reads the result. Once the
 * instruction budget is spent the state is poisoned: the hook raises at
 * every instruction and pcall, xpcall, coroutine.resume and coroutine.close
 * raise again when they return, so a script cannot catch the stop. __gc
 * finalisers run with hooks off (Lua suspends hooks inside them), so
 * setmetatable refuses metatables with a __gc field. Work the count does
 * not see (C functions) falls under the load's CPU-time limit
 * (scenario_watch.c), which the hook enforces too.
 *
 * Messages. Every call goes through slua_pcall, whose message handler turns
 * any error value into a string "file:line: what" (the line of the Lua code
 * that raised it, after the scenario's line that led there when that code
 * is elsewhere); memory and budget errors name the line running when
 * the budget ran out. A panic handler ends the program with a message, never abort().
 */
#include "sim/app.h"
#include "sim/sweep_lua.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEM_LIMIT    ((size_t)1 << 30)  /* 1 GiB for the scenario's Lua code */
#define MEM_HEADROOM ((size_t)64 << 20) /* for the C side's own calls once the script is done */
#define STEP_LIMIT   500000000LL        /* VM instructions (about a second): endless loops */
#define HOOK_EVERY   10000

/* ------------------------------------------------------------- budgets */

static const char *src_name(const lua_Debug *ar)
{
    return ar->source[0] == '@' ? ar->source + 1 : ar->short_src;
}

/* Line of the innermost frame of the scenario file from `level` outwards;
 * 0 if there is none. A deep stack (a runaway recursion) is searched at
 * both ends only: its innermost frames and its outermost ones (where the
 * script called into it), each lua_getstack costing the depth. */
static int script_line(lua_State *L, const slua_budget *b, int level)
{
    enum { ENDS = 64 };
    lua_Debug ar;
    int l = level, found = 0;
    if (!b->script) return 0;
    for (; l < level + ENDS && lua_getstack(L, l, &ar); l++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && strcmp(src_name(&ar), b->script) == 0) return ar.currentline;
    }
    if (l < level + ENDS) return 0; /* the whole stack was seen */
    int lo = l, hi = 2 * l;         /* lo: a level that exists; hi: one that may not */
    while (lua_getstack(L, hi, &ar) && hi < (1 << 28)) {
        lo = hi;
        hi *= 2;
    }
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (lua_getstack(L, mid, &ar))
            lo = mid;
        else
            hi = mid;
    }
    for (l = lo; l >= level + ENDS && l > lo - ENDS; l--) { /* outermost first */
        lua_getstack(L, l, &ar);
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && strcmp(src_name(&ar), b->script) == 0) found = ar.currentline;
    }
    return found;
}

/* out: "file:line" of the innermost Lua function from `level` outwards,
 * preceded by "script:line: " when it is not in the scenario file but was
 * called from it (an error in a library or a required module then also
 * names the scenario's line); "" when no Lua function runs. */
static void locate(lua_State *L, const slua_budget *b, int level, char *out, size_t n)
{
    lua_Debug ar;
    out[0] = '\0';
    for (; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline <= 0) continue;
        const char *src = src_name(&ar);
        int sl = b->script && strcmp(src, b->script) != 0 ? script_line(L, b, level + 1) : 0;
        if (sl > 0)
            snprintf(out, n, "%s:%d: %s:%d", b->script, sl, src, ar.currentline);
        else
            snprintf(out, n, "%s:%d", src, ar.currentline);
        return;
    }
}

/* b->where: where L runs (see locate). */
static void note_where(lua_State *L, slua_budget *b)
{
    locate(L, b, 0, b->where, sizeof b->where);
}

static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    slua_budget *b = ud;
    if (!ptr) osize = 0;
    if (nsize == 0) {
        b->used -= osize;
        free(ptr);
        return NULL;
    }
    if (nsize > osize && b->used + (nsize - osize) > b->limit) {
        /* Lua raises the memory error without a message handler: note the
         * line now. Reading the call info allocates nothing, and Lua keeps
         * it current at every point that can allocate. */
        if (b->main) note_where(b->main, b);
        return NULL;
    }
    /* a large block: its line, should copying it outlast the CPU limit
     * (scenario_watch.c reports the line where the script got stuck) */
    if (nsize >= (1u << 20) && b->main) note_where(b->main, b);
    void *p = realloc(ptr, nsize);
    if (p) b->used += nsize - osize;
    return p;
}

slua_budget *slua_budget_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

static int raise_stop(lua_State *L)
{
    slua_budget *b = slua_budget_of(L);
    lua_sethook(L, b->hook, LUA_MASKCOUNT, 1); /* this thread too stops at once */
    lua_pushstring(L, b->stop);
    return lua_error(L);
}

static void step_hook(lua_State *L, lua_Debug *ar)
{
    slua_budget *b = slua_budget_of(L);
    if (!b->exhausted) {
        int late = b->watch && b->watch->expired;
        b->steps += HOOK_EVERY;
        if (b->steps <= STEP_LIMIT && !late) {
            /* where, for the CPU-time limit if the script gets stuck in C */
            lua_getinfo(L, "Sl", ar);
            if (ar->currentline > 0)
                snprintf(b->where, sizeof b->where, "%s:%d", src_name(ar), ar->currentline);
            return;
        }
        b->exhausted = 1;
        note_where(L, b);
        char limit[96];
        if (late) /* with the memory: a script building huge strings may be the cause */
            snprintf(limit, sizeof limit, "%s of CPU time, %zu MiB of Lua memory in use",
                     SLUA_CPU_LIMIT_TEXT, b->used >> 20);
        else
            snprintf(limit, sizeof limit, "%lld Lua instructions", STEP_LIMIT);
        snprintf(b->stop, sizeof b->stop,
                 "%s: the scenario is still running after %s (an endless loop?): scenarios "
                 "must finish within this budget",
                 b->where[0] ? b->where : "(scenario)", limit);
    }
    raise_stop(L);
}

/* ------------------------------------------------------------- sandbox */

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

/* After a wrapped pcall-like function returns: a spent budget goes on. */
static int after_guarded(lua_State *L, int status, lua_KContext ctx)
{
    (void)status;
    (void)ctx;
    if (slua_budget_of(L)->exhausted) return raise_stop(L);
    return lua_gettop(L);
}

static int guarded(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, after_guarded);
    return after_guarded(L, LUA_OK, 0);
}

/* xpcall's message handler, wrapped: Lua runs a handler with hooks off
 * when the error came from the hook, so after the budget is spent the
 * script's handler is not called at all. */
static int guarded_handler(lua_State *L)
{
    slua_budget *b = slua_budget_of(L);
    if (b->exhausted) {
        lua_pushstring(L, b->stop);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int guarded_xpcall(lua_State *L)
{
    luaL_checkany(L, 2);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    return guarded(L);
}

/* String functions that match patterns run in C, where the count hook
 * never fires: their caller is noted first, for the message of the
 * CPU-time limit if a pattern backtracks for ever. */
static int located(lua_State *L)
{
    /* the subject and the pattern are checked here, so that their errors
     * name the call as the script wrote it ("bad argument #1 to 'find'") */
    luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    note_where(L, slua_budget_of(L));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Replaces table[name] (the table on top) with a guarded version. */
static void guard(lua_State *L, const char *name)
{
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, guarded, 1);
    lua_setfield(L, -2, name);
}

static int safe_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc finalisers are not available in scenarios "
                                 "(Lua runs them outside the instruction budget)");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

int slua_read_source(const char *path, char **text, size_t *len, char *why, size_t wlen)
{
    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return snprintf(why, wlen, "cannot read: %s", strerror(errno)), -1;
    struct stat st;
    int bad = fstat(fd, &st) != 0;
    if (bad || !S_ISREG(st.st_mode)) {
        int e = bad ? errno : 0;
        close(fd);
        if (!bad && S_ISDIR(st.st_mode))
            return snprintf(why, wlen, "is a directory, not a file"), -1;
        return snprintf(why, wlen, "%s",
                        e ? strerror(e)
                          : "is not a regular file (a device, FIFO or socket): give a .lua file"),
               -1;
    }
    if ((uint64_t)st.st_size > SLUA_SOURCE_MAX) {
        close(fd);
        return snprintf(why, wlen, "is %lld bytes; Lua sources are limited to %zu MiB",
                        (long long)st.st_size, SLUA_SOURCE_MAX >> 20),
               -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return snprintf(why, wlen, "out of memory"), -1;
    }
    for (;;) { /* the file may change under us: never read past the cap */
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(why, wlen, "cannot read: %s", strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0 || (n += (size_t)r) == cap) break;
    }
    close(fd);
    if (n == cap) {
        free(buf);
        return snprintf(why, wlen, "changed while it was read"), -1;
    }
    if (n > 0 && buf[0] == LUA_SIGNATURE[0]) {
        free(buf);
        return snprintf(why, wlen, "is a precompiled (binary) Lua chunk: give the Lua source"), -2;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* require(name): scenario folder, its lib/ folder, then the installed
 * scenarios/lib. Modules are cached in the registry; a module that is
 * still loading when it is required again is a cycle. */
static int safe_require(lua_State *L)
{
    size_t nlen;
    const char *name = luaL_checklstring(L, 1, &nlen);
    if (nlen == 0 || nlen > 200 || strlen(name) != nlen)
        return luaL_error(L, "require: bad module name (1 to 200 letters, digits, '_', '.')");
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
            return luaL_error(L, "require: bad module name '%s'", name);
    lua_getfield(L, LUA_REGISTRYINDEX, "mtc.loaded");
    int ty = lua_getfield(L, -1, name);
    if (ty == LUA_TLIGHTUSERDATA)
        return luaL_error(L, "require '%s': the module requires itself (a require cycle)", name);
    if (ty != LUA_TNIL) return 1;
    lua_pop(L, 1);
    char rel[256];
    snprintf(rel, sizeof rel, "%s", name);
    for (char *c = rel; *c; c++)
        if (*c == '.') *c = '/';
    lua_getfield(L, LUA_REGISTRYINDEX, "mtc.dir");
    const char *dir = lua_tostring(L, -1);
    char d0[4096], d1[4096];
    snprintf(d0, sizeof d0, "%s", dir);
    snprintf(d1, sizeof d1, "%s/lib", dir);
    lua_pop(L, 1);
    const char *dirs[3] = {d0, d1, MTCSIM_LUA_DIR};
    for (int i = 0; i < 3; i++) {
        char path[8192], why[256];
        snprintf(path, sizeof path, "%s/%s.lua", dirs[i], rel);
        if (access(path, F_OK) != 0) continue;
        char *text;
        size_t len;
        if (slua_read_source(path, &text, &len, why, sizeof why) != 0)
            return luaL_error(L, "require '%s': %s %s", name, path, why);
        /* an input: -o may not write onto it (outputs_check) */
        lua_getfield(L, LUA_REGISTRYINDEX, "mtc.files");
        lua_pushstring(L, path);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        lua_pop(L, 1);
        lua_pushfstring(L, "@%s", path);
        int st = luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t");
        free(text);
        if (st != LUA_OK) return lua_error(L);
        lua_remove(L, -2);           /* the chunk name */
        lua_pushlightuserdata(L, L); /* "loading" */
        lua_setfield(L, -3, name);
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

char **slua_loaded_files(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, "mtc.files") != LUA_TTABLE) {
        lua_pop(L, 1);
        return NULL;
    }
    const size_t n = (size_t)lua_rawlen(L, -1);
    char **f = n ? calloc(n + 1, sizeof *f) : NULL;
    for (size_t i = 0; f && i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        const char *p = lua_tostring(L, -1);
        f[i] = p ? strdup(p) : NULL;
        lua_pop(L, 1);
        if (!f[i]) {
            for (size_t j = 0; j < i; j++)
                free(f[j]);
            free(f);
            f = NULL;
        }
    }
    lua_pop(L, 1);
    return f;
}

static int panic(lua_State *L)
{
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "mtcsim: unprotected error in the scenario's Lua state: %s\n",
            m ? m : "(no message)");
    fflush(stderr);
    _exit(1); /* the state is unusable; exit() would run handlers that may touch it */
}

lua_State *slua_open(slua_budget *b, const char *script, const char *dir, sim_rng *rng,
                     slua_watch *watch)
{
    memset(b, 0, sizeof *b);
    b->limit = MEM_LIMIT;
    b->script = script;
    b->watch = watch;
    b->hook = step_hook;
    lua_State *L = lua_newstate(budget_alloc, b);
    if (!L) return NULL;
    lua_atpanic(L, panic);
    b->main = L;
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
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "mtc.files");
    lua_pushglobaltable(L);
    guard(L, "pcall");
    lua_getfield(L, -1, "xpcall");
    lua_pushcclosure(L, guarded_xpcall, 1);
    lua_setfield(L, -2, "xpcall");
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, safe_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    lua_pop(L, 1);
    lua_getglobal(L, "coroutine");
    guard(L, "resume");
    guard(L, "close");
    lua_pop(L, 1);
    lua_getglobal(L, "string");
    /* Lua names a function called by C (here: by the wrapper) in argument
     * errors by looking for it in the loaded modules: they keep the
     * library's own functions ("bad argument #2 to 'string.find'"). */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -4)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_setfield(L, -2, LUA_STRLIBNAME);
    lua_pop(L, 1);
    static const char *const patterns[] = {"find", "match", "gmatch", "gsub"};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        lua_getfield(L, -1, patterns[i]);
        lua_pushcclosure(L, located, 1);
        lua_setfield(L, -2, patterns[i]);
    }
    lua_pop(L, 1);
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
    return L;
}

/* ------------------------------------------------------ protected calls */

/* Length of a leading "chunk:line: " location in m, 0 if there is none. */
static size_t location_len(const char *m)
{
    for (const char *p = m; *p && *p != '\n' && p - m < 4200; p++) {
        if (*p != ':' || !isdigit((unsigned char)p[1])) continue;
        const char *q = p + 1;
        while (isdigit((unsigned char)*q))
            q++;
        if (q[0] == ':' && q[1] == ' ') return (size_t)(q + 2 - m);
    }
    return 0;
}

/* Pushes s[0..len) with each zero byte written \000: messages go on as C
 * strings, which would end at the first one. */
static const char *push_escaped(lua_State *L, const char *s, size_t len)
{
    if (strlen(s) == len) {
        lua_pushlstring(L, s, len);
        return lua_tostring(L, -1);
    }
    luaL_Buffer buf;
    luaL_buffinit(L, &buf);
    for (size_t i = 0; i < len; i++) {
        if (s[i])
            luaL_addchar(&buf, s[i]);
        else
            luaL_addlstring(&buf, "\\000", 4);
    }
    luaL_pushresult(&buf);
    return lua_tostring(L, -1);
}

/* Message handler: the error value as "file:line: what", the file:line of
 * the Lua code that raised it; when that is not the scenario file, the
 * scenario's line that led there comes first ("s.lua:4: mtc.lua:18:
 * what"). Lua's own messages shorten long chunk names to "...tail"; the
 * full name is put back so that the location can be copied. An error
 * value that is not a string is named by its type: its __tostring is not
 * called (it is the script's code, and could fail or loop again). */
static int message_handler(lua_State *L)
{
    slua_budget *b = slua_budget_of(L);
    if (b->exhausted) {
        lua_pushstring(L, b->stop);
        return 1;
    }
    char loc[4400];
    locate(L, b, 1, loc, sizeof loc);
    const char *sep = loc[0] ? ": " : "";
    int ty = lua_type(L, 1);
    if (ty == LUA_TNIL) {
        lua_pushfstring(L, "%s%serror() without a message", loc, sep);
        return 1;
    }
    if (ty != LUA_TSTRING && ty != LUA_TNUMBER) {
        lua_pushfstring(L, "%s%serror() with a value that is not a message string (a %s)", loc, sep,
                        luaL_typename(L, 1));
        return 1;
    }
    size_t len;
    const char *raw = lua_tolstring(L, 1, &len);
    const char *m = push_escaped(L, raw, len);
    size_t n = location_len(m);
    if (n == 0) {
        lua_pushfstring(L, "%s%s%s", loc, sep, m);
        return 1;
    }
    lua_Debug ar;
    const char *colon = strchr(m, ':');
    if (strncmp(m, "...", 3) == 0) { /* a shortened name: find the chunk it ends */
        size_t tail = (size_t)(colon - (m + 3));
        for (int level = 1; level < 64 && lua_getstack(L, level, &ar); level++) {
            lua_getinfo(L, "S", &ar);
            const char *full = src_name(&ar);
            size_t flen = strlen(full);
            if (tail <= flen && strncmp(full + flen - tail, m + 3, tail) == 0) {
                m = lua_pushfstring(L, "%s%s", full, colon);
                break;
            }
        }
    }
    size_t slen = b->script ? strlen(b->script) : 0;
    if (b->script && !(strncmp(m, b->script, slen) == 0 && m[slen] == ':')) {
        int sl = script_line(L, b, 1);
        if (sl > 0) lua_pushfstring(L, "%s:%d: %s", b->script, sl, m);
    }
    return 1;
}

int slua_pcall(lua_State *L, int nargs, int nres, int script)
{
    slua_budget *b = slua_budget_of(L);
    size_t limit = b->limit;
    b->limit = script ? MEM_LIMIT : MEM_LIMIT + MEM_HEADROOM;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    int st = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    b->limit = limit;
    if (st == LUA_OK) return LUA_OK;
    if (b->exhausted) {
        lua_pop(L, 1);
        lua_pushstring(L, b->stop);
    } else if (st == LUA_ERRMEM) {
        lua_pop(L, 1);
        lua_pushfstring(L,
                        "%s%sthe scenario needs more than %d MiB of Lua memory: make its "
                        "tables smaller",
                        b->where, b->where[0] ? ": " : "", (int)(MEM_LIMIT >> 20));
    } else if (st == LUA_ERRERR) {
        lua_pop(L, 1);
        lua_pushfstring(L, "%s%san error while handling an error (too deep a recursion?)", b->where,
                        b->where[0] ? ": " : "");
    }
    return st; /* with a message string on top */
}

void slua_full_name(const char *m, const char *path, char *out, size_t n)
{
    if (strncmp(m, "...", 3) == 0) {
        const char *colon = strchr(m + 3, ':');
        size_t tail = colon ? (size_t)(colon - (m + 3)) : 0, plen = strlen(path);
        if (colon && tail <= plen && strncmp(path + plen - tail, m + 3, tail) == 0) {
            snprintf(out, n, "%s%s", path, colon);
            return;
        }
    }
    snprintf(out, n, "%s", m);
}

size_t slua_shorten(char *out, size_t n, const char *s, size_t len)
{
    char shown[4 * 60 + 1], *p = shown;
    for (size_t i = 0; i < len && i < 60; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) /* a zero byte would end the message */
            p += snprintf(p, 5, "\\%03u", ch);
        else
            *p++ = (char)ch;
    }
    *p = '\0';
    if (len <= 60) return (size_t)snprintf(out, n, "%s", shown);
    return (size_t)snprintf(out, n, "%s... (%zu bytes)", shown, len);
}
