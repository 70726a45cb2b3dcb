/* test_scenario_lines.c: field path -> source line index of Lua scenarios.
 * Every expected line number below is counted by hand from the source
 * literal next to it (one string literal per source line). */
#include "sim/app.h"
#include "tests/check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static scen_lines *build(const char *src)
{
    return scen_lines_build(src, strlen(src));
}

#define FIND(ix, path, want)                                                                       \
    do {                                                                                           \
        int got_ = scen_lines_find((ix), (path));                                                  \
        CHECK_MSG(got_ == (want), "find(\"%s\") = %d, want %d", (path), got_, (int)(want));        \
    } while (0)

/* The example of DESIGN.md "Scenarios (Lua)", verbatim. */
static const char design[] =
    "local mtc = require \"mtc\"            -- scenarios/lib/mtc.lua: units, profiles, "
    "helpers\n" /* 1 */
    "\n"
    "return mtc.scenario {\n"
    "  name     = \"tr45820-cell\",\n" /* 4 */
    "  duration = mtc.days(1),\n"
    "  seed     = 1,\n"
    "  cell = {\n" /* 7 */
    "    rat    = \"nbiot\",                 -- \"nbiot\" | \"ltem\"\n"
    "    ce_levels = {                     -- NPRACH resource per CE level\n"
    "      { rsrp_threshold_dbm = -108, period_ms = 160, subcarriers = 48, repetitions = 2 },\n"
    "      { rsrp_threshold_dbm = -118, period_ms = 320, subcarriers = 24, repetitions = 8 },\n"
    "      { period_ms = 1280, subcarriers = 12, repetitions = 32 },\n" /* 12 */
    "    },\n"
    "    paging = { cycle_s = 2.56, nB = \"T\" },\n"
    "    wus    = { enabled = true, max_duration_factor = 1/8, time_offset_ms = 40 },\n"
    "    edt    = { enabled = true, max_tbs_bits = 1000 },\n" /* 16 */
    "  },\n"
    "  devices = {\n"
    "    { count = 52547,\n" /* 19 */
    "      coupling_loss = mtc.tr45820.coupling_loss(),\n"
    "      traffic = mtc.tr45820.mar_periodic(),\n"
    "      module  = mtc.modules.tr45820,          -- power per state\n"
    "      battery = { capacity_wh = 5 },\n"
    "      psm  = { t3324_s = 20, t3412_s = mtc.hours(24) } },\n" /* 24 */
    "  },\n"
    "  sweep = { [\"cell.wus.enabled\"] = { false, true } }, replications = 3,\n" /* 26 */
    "}\n";

static void check_design(const scen_lines *ix)
{
    FIND(ix, "name", 4);
    FIND(ix, "duration", 5);
    FIND(ix, "seed", 6);
    FIND(ix, "cell", 7);
    FIND(ix, "cell.rat", 8);
    FIND(ix, "cell.ce_levels", 9);
    FIND(ix, "cell.ce_levels[1]", 10);
    FIND(ix, "cell.ce_levels[1].repetitions", 10);
    FIND(ix, "cell.ce_levels[2].period_ms", 11);
    FIND(ix, "cell.ce_levels[3]", 12);
    FIND(ix, "cell.ce_levels[3].rsrp_threshold_dbm", 12); /* absent: the item */
    FIND(ix, "cell.ce_levels[4]", 9);                     /* absent: the list */
    FIND(ix, "cell.paging.nB", 14);
    FIND(ix, "cell.wus.max_duration_factor", 15);
    FIND(ix, "cell.edt.max_tbs_bits", 16);
    FIND(ix, "devices", 18);
    FIND(ix, "devices[1]", 19);
    FIND(ix, "devices[1].count", 19);
    FIND(ix, "devices[1].coupling_loss", 20);
    FIND(ix, "devices[1].traffic", 21);
    FIND(ix, "devices[1].module", 22);
    FIND(ix, "devices[1].battery.capacity_wh", 23);
    FIND(ix, "devices[1].psm", 24);
    FIND(ix, "devices[1].psm.t3324_s", 24);
    FIND(ix, "devices[1].psm.t3412_s", 24);
    FIND(ix, "devices[1].psm.nonexistent", 24);
    FIND(ix, "devices[1].psm.nonexistent.deeper[3]", 24);
    FIND(ix, "devices[2].count", 18);
    FIND(ix, "sweep", 26);
    FIND(ix, "sweep[\"cell.wus.enabled\"]", 26);
    FIND(ix, "sweep[\"cell.wus.enabled\"][2]", 26);
    FIND(ix, "sweep[\"cell.wus.other\"]", 26);
    FIND(ix, "sweep.cell", 26); /* dotted string keys stay one component */
    FIND(ix, "replications", 26);
    FIND(ix, "nothing", 0);
    FIND(ix, "nothing.name", 0);
    FIND(ix, "", 0);
    FIND(ix, "mtc", 0); /* a local, not a field */
    FIND(ix, "rsrp_threshold_dbm", 0);
    FIND(ix, "namex", 0); /* prefixes end on component boundaries */
    FIND(ix, "nam", 0);
    FIND(ix, "devices[10]", 18); /* "[1" is not a component of "[10]" */
}

static void test_design(void)
{
    scen_lines *ix = build(design);
    CHECK(ix != NULL);
    if (!ix) return;
    check_design(ix);
    scen_lines_free(ix);
}

/* Same source with other newline conventions: \r\n and lone \r. */
static void test_line_endings(void)
{
    static const char *const nl[] = {"\r\n", "\r"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(design), m = 0;
        char *s = malloc(2 * n + 1);
        for (size_t i = 0; i < n; i++) {
            if (design[i] == '\n') {
                memcpy(s + m, nl[k], strlen(nl[k]));
                m += strlen(nl[k]);
            } else {
                s[m++] = design[i];
            }
        }
        scen_lines *ix = scen_lines_build(s, m);
        CHECK(ix != NULL);
        if (ix) check_design(ix);
        scen_lines_free(ix);
        free(s);
    }
}

/* Comments and strings holding braces, '=' and quotes are not structure. */
static void test_comments_strings(void)
{
    static const char src[] =
        "-- { a = 1 } \"unbalanced\n" /* 1 */
        "--[[ x = 1, {\n"
        "  y = 2 } ]]\n"
        "--[==[ z = { ]] ]=] still comment ]==]\n"
        "local doc = [[\n" /* 5 */
        "text { q = 3 } \" '\n"
        "]]\n"
        "return {\n"                                                /* 8 */
        "  --[[ x = 0, { ]] x = 9, -- } x = 8\n"                    /* 9 */
        "  s = \"x = 5, {\\\" }\", b = '[[', c = [=[ ]] } { ]=],\n" /* 10 */
        "  d = \"\\z\n"
        "        tail\", e = 'it\\'s', f = \"a\\\n" /* 12 */
        "b\",\n"                                    /* 13 */
        "  long = [==[\n"                           /* 14 */
        "one\n"
        "two ]] ]=]\n"
        "three]==], g = \"\\u{7FFFFFFF}\\x41\\65\\0\",\n" /* 17 */
        "  --[==[\n"
        "  h = 1 ]]\n"
        "  ]==]\n"
        "  y = 1,\n"                                                      /* 21 */
        "  [ [[key]] ] = 2, [ [=[a b]=] ] = 3,\n"                         /* 22 */
        "  ops = a // b .. c ~= d <= e >= f << 1 >> 2 == 3 and #t ~ 1,\n" /* 23 */
        "  nums = { 0x1p4, 1e-3, .5, 3., 0xA.8P-1, 0XFF, 1E+2 },\n"       /* 24 */
        "  after = 1,\n"                                                  /* 25 */
        "}\n";
    scen_lines *ix = build(src);
    CHECK(ix != NULL);
    if (!ix) return;
    FIND(ix, "x", 9);
    FIND(ix, "s", 10);
    FIND(ix, "b", 10);
    FIND(ix, "c", 10);
    FIND(ix, "d", 11);
    FIND(ix, "e", 12);
    FIND(ix, "f", 12);
    FIND(ix, "long", 14);
    FIND(ix, "g", 17);
    FIND(ix, "h", 0);
    FIND(ix, "y", 21);
    FIND(ix, "q", 0);
    FIND(ix, "a", 0);
    FIND(ix, "z", 0);
    FIND(ix, "key", 22);
    FIND(ix, "[\"a b\"]", 22);
    FIND(ix, "ops", 23);
    FIND(ix, "nums[7]", 24);
    FIND(ix, "nums[8]", 24);
    FIND(ix, "after", 25);
    scen_lines_free(ix);
}

static void test_roots(void)
{
    static const char plain[] = "\n"
                                "return {\n"
                                "  a = 1,\n" /* 3 */
                                "  t = { b = 2 },\n"
                                "}\n";
    static const char paren[] = "local mtc = require('mtc')\n"
                                "return mtc.scenario({\n"
                                "  a = 1,\n" /* 3 */
                                "  list = { 'x',\n"
                                "    'y' },\n" /* 5 */
                                "})\n";
    static const char method[] = "\xEF\xBB\xBF#!/usr/bin/env mtcsim\n" /* BOM, shebang */
                                 "return lib.x:make { a = 1,\n"
                                 "  b = 2 }\n";
    /* locals and globals before the root never leak into root paths */
    static const char locals[] = "local x = { a = 1 }\n"
                                 "local cell = mtc.cell { paging = { cycle_s = 1 } }\n" /* 2 */
                                 "M.defaults = {\n"
                                 "  b = 2, a = 7 }\n" /* 4 */
                                 "local function mk(n) return { count = n, b = 5 } end\n"
                                 "setup({ b = 6 })\n"
                                 "for i = 1, 3 do local t = { b = i } end\n"
                                 "if cond then\n"
                                 "  return { b = 8,\n" /* 9 */
                                 "  a = 3 }\n"
                                 "end\n"
                                 "return { b = 9 }\n";
    scen_lines *ix = build(plain);
    CHECK(ix != NULL);
    if (ix) {
        FIND(ix, "a", 3);
        FIND(ix, "t.b", 4);
    }
    scen_lines_free(ix);
    ix = build(paren);
    CHECK(ix != NULL);
    if (ix) {
        FIND(ix, "a", 3);
        FIND(ix, "list[1]", 4);
        FIND(ix, "list[2]", 5);
    }
    scen_lines_free(ix);
    ix = build(method);
    CHECK(ix != NULL);
    if (ix) {
        FIND(ix, "a", 2);
        FIND(ix, "b", 3);
    }
    scen_lines_free(ix);
    ix = build(locals);
    CHECK(ix != NULL);
    if (ix) {
        FIND(ix, "a", 10);
        FIND(ix, "b", 9);
        FIND(ix, "count", 0);
        FIND(ix, "paging", 0);
        FIND(ix, "@x.a", 1);
        FIND(ix, "@cell.paging.cycle_s", 2);
        FIND(ix, "@M.defaults.a", 4);
    }
    scen_lines_free(ix);
}

static void test_keys(void)
{
    static const char src[] = "return {\n"
                              "  [\"a\"] = 1,\n" /* 2 */
                              "  ['b_2'] = 2,\n"
                              "  [2] = 'two', [0x10] = 16, [3.0] = 3,\n" /* 4 */
                              "  ['cell.wus.enabled'] = { false,\n"      /* 5 */
                              "    true },\n"                            /* 6 */
                              "  [k .. 'x'] = { z = 1, { w = 2 } },\n"   /* 7 */
                              "  [f(1, {y = 0})] = 4, [\"\"] = 5,\n"     /* 8 */
                              "  y = 2;\n"                               /* 9 */
                              "  list = { 10, [5] = 50,\n"               /* 10 */
                              "    20; 30 },\n"                          /* 11 */
                              "  y = 3,\n"                               /* 12: repeated key */
                              "  [\"a.b\"] = { c = { 1 } },\n"           /* 13 */
                              "}\n";
    scen_lines *ix = build(src);
    CHECK(ix != NULL);
    if (!ix) return;
    FIND(ix, "a", 2);
    FIND(ix, "b_2", 3);
    FIND(ix, "[2]", 4);
    FIND(ix, "[16]", 4);
    FIND(ix, "[3]", 4);
    FIND(ix, "[\"cell.wus.enabled\"]", 5);
    FIND(ix, "[\"cell.wus.enabled\"][1]", 5);
    FIND(ix, "[\"cell.wus.enabled\"][2]", 6);
    FIND(ix, "cell.wus.enabled", 0);
    FIND(ix, "z", 0);
    FIND(ix, "[1]", 0);
    FIND(ix, "[1].w", 0);
    FIND(ix, "[\"\"]", 8);
    FIND(ix, "y", 9);
    FIND(ix, "list[1]", 10);
    FIND(ix, "list[5]", 10);
    FIND(ix, "list[2]", 11);
    FIND(ix, "list[3]", 11);
    FIND(ix, "list[4]", 10);
    FIND(ix, "[\"a.b\"].c[1]", 13);
    FIND(ix, "[\"a.b\"].d", 13);
    scen_lines_free(ix);
}

static void test_calls_functions(void)
{
    static const char src[] =
        "return mtc.scenario {\n"
        "  devices = {\n"
        "    { count = 1,\n"                                                /* 3 */
        "      traffic = mtc.periodic { period_s = 60,\n"                   /* 4 */
        "        payload = mtc.fixed({ bytes = 20 }) },\n"                  /* 5 */
        "      module = f(x, { idle_mw = 3 }, 'y', { sleep_mw = 0.01 }),\n" /* 6 */
        "      g = h(a, b)[1], k = (1 + 2) * (3),\n"                        /* 7 */
        "    },\n"
        "  },\n"
        "  f = function(t) return { z = 1 } end,\n" /* 10 */
        "  after_f = 2,\n"                          /* 11 */
        "  h = function(a, b)\n"                    /* 12 */
        "    local x, y = { 1 }, { 2 }\n"
        "    if a then return x elseif b then return y else end\n"
        "    for i = 1, 2 do end; while false do break end\n"
        "    repeat local q = { } until true\n"
        "    goto done ::done:: return { nested = { 3 } }\n"
        "  end, after_h = 3;\n"          /* 18 */
        "  m = { function() end, 7 },\n" /* 19 */
        "}\n";
    scen_lines *ix = build(src);
    CHECK(ix != NULL);
    if (!ix) return;
    FIND(ix, "devices[1].count", 3);
    FIND(ix, "devices[1].traffic", 4);
    FIND(ix, "devices[1].traffic.period_s", 4);
    FIND(ix, "devices[1].traffic.payload", 5);
    FIND(ix, "devices[1].traffic.payload.bytes", 5);
    FIND(ix, "devices[1].module.idle_mw", 6);
    FIND(ix, "devices[1].module.sleep_mw", 6);
    FIND(ix, "devices[1].g", 7);
    FIND(ix, "devices[1].k", 7);
    FIND(ix, "devices[2]", 2);
    FIND(ix, "f", 10);
    FIND(ix, "f.z", 10);
    FIND(ix, "z", 0);
    FIND(ix, "after_f", 11);
    FIND(ix, "h", 12);
    FIND(ix, "nested", 0);
    FIND(ix, "after_h", 18);
    FIND(ix, "m[1]", 19);
    FIND(ix, "m[2]", 19);
    FIND(ix, "m[3]", 19);
    scen_lines_free(ix);
}

/* Malformed input never crashes and keeps what came before the damage. */
static void test_malformed(void)
{
    static const char *const bad[] = {
        "return { a = 1,\n b = [==[ unterminated ]=] ]]\n c = 3 }",
        "return { a = 1,\n b = \"unterminated\n c = 3 }",
        "return { a = 1,\n b = 'x\\",
        "return { a = 1,\n b = { c = { d = 2,\n",
        "return { a = 1,\n b = 2 } }} } { c = 3",
        "return { a = 1,\n b = function() } c = 3",
        "return { a = 1,\n b = (1 + } c = 3",
        "return { a = 1,\n [b = 2, c = 3",
        "return { a = 1,\n b = [=x] ~~ $ @ ` \x01\x7f\x80\xff",
        "return { a = 1,\n b = 0x, c = 1e+, d = 3..4, e = '\\u{ffffffffffffff', f = '\\u{' }",
        "return { a = 1,\n --[=[ unterminated comment ]]",
        "return { a = 1,\n b = '\\z",
        "return { a = 1,\n  {[\"\"]\r\n{[", /* once read a NULL text pool */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        scen_lines *ix = build(bad[k]);
        CHECK_MSG(ix != NULL, "case %zu", k);
        if (ix) {
            FIND(ix, "a", 1);
            FIND(ix, "a.b", 1);
        }
        scen_lines_free(ix);
    }
    scen_lines *ix = build("return { a = 1,\n b = { c = { d = 2,\n");
    FIND(ix, "b.c.d", 2);
    scen_lines_free(ix);

    ix = scen_lines_build(NULL, 0);
    CHECK(ix != NULL);
    FIND(ix, "a", 0);
    scen_lines_free(ix);
    ix = scen_lines_build("", 0);
    CHECK(ix != NULL);
    scen_lines_free(ix);
    scen_lines_free(NULL);
    FIND(NULL, "a", 0);

    /* embedded NUL bytes: the length, not the terminator, bounds the text */
    static const char nul[] = "return { a = 1, \0 b = '\0', c = 2 }";
    ix = scen_lines_build(nul, sizeof nul - 1);
    CHECK(ix != NULL);
    FIND(ix, "c", 1);
    scen_lines_free(ix);

    /* very deep nesting: no stack exhaustion, and the shallow part is kept */
    size_t depth = 200000;
    char *deep = malloc(2 * depth + 64);
    size_t m = (size_t)sprintf(deep, "return { a = 1,\n");
    for (size_t i = 0; i < depth; i++)
        deep[m++] = '{';
    for (size_t i = 0; i < depth; i++)
        deep[m++] = '}';
    m += (size_t)sprintf(deep + m, ",\nb = 2 }");
    ix = scen_lines_build(deep, m);
    CHECK(ix != NULL);
    FIND(ix, "a", 1);
    FIND(ix, "[1][1][1]", 2);
    FIND(ix, "b", 3);
    scen_lines_free(ix);
    memset(deep, 'f', m);
    for (size_t i = 0; i + 9 < m; i += 9)
        memcpy(deep + i, "function ", 9);
    ix = scen_lines_build(deep, m);
    CHECK(ix != NULL);
    scen_lines_free(ix);
    free(deep);

    /* random bytes, and random damage to a valid scenario */
    uint64_t x = 88172645463325252u;
    char *buf = malloc(sizeof design + 64);
    for (int round = 0; round < 3000; round++) {
        size_t n;
        if (round % 2 == 0) {
            n = 1 + round % 300;
            for (size_t i = 0; i < n; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
                static const char alpha[] = " {}[]()=,;'\"\\-\n.:#a1fz";
                buf[i] = round % 4 == 0 ? (char)x : alpha[x % (sizeof alpha - 1)];
            }
        } else {
            n = sizeof design - 1;
            memcpy(buf, design, n);
            for (int e = 0; e < 4; e++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                buf[x % n] = "{}[]=,'\"-\\\n"[(x >> 32) % 11];
            }
        }
        ix = scen_lines_build(buf, n);
        CHECK(ix != NULL);
        (void)scen_lines_find(ix, "devices[1].psm.t3324_s");
        (void)scen_lines_find(ix, "sweep[\"cell.wus");
        (void)scen_lines_find(ix, "a[");
        scen_lines_free(ix);
    }
    free(buf);
}

/* A scenario of a few thousand lines and a few thousand lookups. */
static void test_large(void)
{
    const int ndev = 2000;
    size_t cap = 64 + (size_t)ndev * 100, m = 0;
    char *s = malloc(cap);
    m += (size_t)sprintf(s + m, "return {\n  devices = {\n"); /* lines 1-2 */
    for (int i = 0; i < ndev; i++)                            /* device i+1 on 3 + 2i */
        m += (size_t)sprintf(s + m, "    { count = %d,\n      psm = { t3324_s = %d } },\n", i, i);
    m += (size_t)sprintf(s + m, "  },\n}\n");
    clock_t t0 = clock();
    scen_lines *ix = scen_lines_build(s, m);
    CHECK(ix != NULL);
    int bad = 0;
    for (int i = 0; i < ndev && ix; i++) {
        char p[64];
        snprintf(p, sizeof p, "devices[%d].psm.t3324_s", i + 1);
        bad += scen_lines_find(ix, p) != 4 + 2 * i;
        snprintf(p, sizeof p, "devices[%d].count", i + 1);
        bad += scen_lines_find(ix, p) != 3 + 2 * i;
        snprintf(p, sizeof p, "devices[%d].psm.missing", i + 1);
        bad += scen_lines_find(ix, p) != 4 + 2 * i;
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_EQ_INT(bad, 0);
    printf("large: %d lines, %d lookups, %.3f s\n", 2 * ndev + 4, 3 * ndev, secs);
    CHECK(secs < 2.0); /* generous: measured a few ms at -O2 */
    scen_lines_free(ix);
    free(s);
}

int main(void)
{
    test_design();
    test_line_endings();
    test_comments_strings();
    test_roots();
    test_keys();
    test_calls_functions();
    test_malformed();
    test_large();
    return check_done();
}
