/* life_options.c: the options of `mtcsim life` (getopt_long): lists of
 * values with units, on/off pairs, idle modes, the battery, and the
 * module's check against the profile library. */
#include "sim/life.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int life_error(const char *opt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mtcsim life: %s: ", opt);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see mtcsim life --help)\n");
    va_end(ap);
    return SIM_ERR_INPUT;
}

/* A number with an optional unit suffix (the unit's factor in *mul; no
 * suffix: factor 1). -1 if not a number followed by one of the units. */
static int number_unit(const char *s, const char *const *units, const double *mul, double *v)
{
    char *end;
    errno = 0;
    const double x = strtod(s, &end);
    if (end == s || errno || !isfinite(x) || s[0] == ' ') return -1;
    if (!*end) return *v = x, 0;
    for (int k = 0; units[k]; k++)
        if (!strcmp(end, units[k])) return *v = x * mul[k], 0;
    return -1;
}

/* A comma-separated list into buf as NUL-separated items ending in an
 * empty one; an empty item ("144,,164") is an error. */
static int split_list(const char *opt, const char *arg, char *buf, size_t n)
{
    const size_t len = strlen(arg);
    if (len + 2 > n) return life_error(opt, "the list is too long");
    memcpy(buf, arg, len + 1);
    buf[len + 1] = '\0';
    for (size_t i = 0; i <= len; i++) {
        if (buf[i] != ',' && buf[i] != '\0') continue;
        if (i == 0 || buf[i - 1] == '\0')
            return life_error(opt, "'%s': an empty item in the list", arg);
        buf[i] = '\0';
    }
    return SIM_OK;
}

/* A comma-separated list of numbers (with units) in [lo, hi]. */
static int parse_list(const char *opt, const char *arg, const char *const *units, const double *mul,
                      double lo, double hi, int whole, const char *expect, double *out, int *n)
{
    char buf[1024];
    if (split_list(opt, arg, buf, sizeof buf)) return SIM_ERR_INPUT;
    *n = 0;
    for (char *t = buf; *t; t += strlen(t) + 1) {
        double v;
        if (*n == LIFE_MAX_VALUES) return life_error(opt, "at most %d values", LIFE_MAX_VALUES);
        if (number_unit(t, units, mul, &v)) return life_error(opt, "'%s': expected %s", t, expect);
        if (v < lo || v > hi || (whole && v != floor(v)))
            return life_error(opt, "'%s': must be %s from %g to %g", t,
                              whole ? "a whole number" : "a value", lo, hi);
        for (int k = 0; k < *n; k++)
            if (out[k] == v) return life_error(opt, "'%s' is given twice", t);
        out[(*n)++] = v;
    }
    if (*n == 0) return life_error(opt, "expected %s", expect);
    return SIM_OK;
}

/* --edt, --rai: on, off, on,off or off,on */
static int parse_onoff(const char *opt, const char *arg, int *v, int *n)
{
    *n = 0;
    if (!strcmp(arg, "on") || !strcmp(arg, "off")) {
        v[(*n)++] = !strcmp(arg, "on");
    } else if (!strcmp(arg, "on,off") || !strcmp(arg, "off,on")) {
        v[0] = arg[1] == 'n';
        v[1] = !v[0];
        *n = 2;
    } else {
        return life_error(opt, "'%s': expected on, off, on,off or off,on", arg);
    }
    return SIM_OK;
}

/* psm | drx | edrx:CYCLE (s), comma-separated. */
static int parse_idle(const char *arg, life_opts *o)
{
    static const char *const su[] = {"s", NULL};
    static const double sm[] = {1};
    char buf[1024];
    if (split_list("--idle", arg, buf, sizeof buf)) return SIM_ERR_INPUT;
    o->n_idle = 0;
    for (char *t = buf; *t; t += strlen(t) + 1) {
        if (o->n_idle == LIFE_MAX_VALUES)
            return life_error("--idle", "at most %d values", LIFE_MAX_VALUES);
        double c = 0;
        int psm = !strcmp(t, "psm");
        if (!psm && strcmp(t, "drx")) {
            /* TS 24.008 10.5.5.32: eDRX cycles are 20.48 s x 2^k (k 0..9) */
            int ok = !strncmp(t, "edrx:", 5) && !number_unit(t + 5, su, sm, &c);
            double k = ok ? log2(c / 20.48) : -1;
            if (!ok || k < 0 || k > 9 || fabs(k - round(k)) > 1e-9)
                return life_error("--idle",
                                  "'%s': expected psm, drx or edrx:CYCLE with CYCLE 20.48 x 2^k s "
                                  "(20.48s ... 10485.76s)",
                                  t);
            c = 20.48 * ldexp(1, (int)round(k));
        }
        for (int k = 0; k < o->n_idle; k++)
            if (o->idle_psm[k] == psm && o->idle_edrx[k] == c)
                return life_error("--idle", "'%s' is given twice", t);
        o->idle_psm[o->n_idle] = psm;
        o->idle_edrx[o->n_idle++] = c;
    }
    if (!o->n_idle) return life_error("--idle", "expected psm, drx or edrx:CYCLE");
    return SIM_OK;
}

/* 2600mAh@3.6V, 5Wh, 5Wh@3V */
static int parse_battery(const char *arg, life_opts *o)
{
    char *end;
    errno = 0;
    const double x = strtod(arg, &end);
    const int mah = !strncmp(end, "mAh", 3), wh = !strncmp(end, "Wh", 2);
    const char *rest = end + (mah ? 3 : wh ? 2 : 0);
    double v = 3.6;
    int ok = end != arg && !errno && isfinite(x) && x > 0 && (mah || wh);
    ok = ok && (*rest || !mah); /* mAh needs its voltage to be energy */
    if (ok && *rest) {
        char *vend;
        ok = rest[0] == '@' && rest[1] != ' ';
        v = ok ? strtod(rest + 1, &vend) : 0;
        ok = ok && vend != rest + 1 && !strcmp(vend, "V") && isfinite(v) && v > 0 && v <= 100;
    }
    if (!ok || (mah && x > 1e8) || (wh && x > 1e6))
        return life_error("--battery",
                          "'%s': expected CAPACITYmAh@VOLTSV (2600mAh@3.6V) or CAPACITYWh[@VOLTSV] "
                          "(5Wh), capacity > 0, volts up to 100",
                          arg);
    o->mah = mah;
    o->capacity = x;
    o->volts = v;
    return SIM_OK;
}

static const char *const dur_units[] = {"s", "min", "h", "d", NULL};
static const double dur_mul[] = {1, 60, 3600, 86400};

enum { L_HELP = 'h', L_OUT = 'o', L_FORCE = 256, L_VALUE };

/* Every option but --force and --help takes a value; the handler below
 * tells them apart by name. */
static const struct option life_options[] = {
    {.name = "module", .has_arg = required_argument, .val = L_VALUE},
    {.name = "rat", .has_arg = required_argument, .val = L_VALUE},
    {.name = "coupling-loss", .has_arg = required_argument, .val = L_VALUE},
    {.name = "payload", .has_arg = required_argument, .val = L_VALUE},
    {.name = "every", .has_arg = required_argument, .val = L_VALUE},
    {.name = "edt", .has_arg = required_argument, .val = L_VALUE},
    {.name = "rai", .has_arg = required_argument, .val = L_VALUE},
    {.name = "idle", .has_arg = required_argument, .val = L_VALUE},
    {.name = "battery", .has_arg = required_argument, .val = L_VALUE},
    {.name = "devices", .has_arg = required_argument, .val = L_VALUE},
    {.name = "replications", .has_arg = required_argument, .val = L_VALUE},
    {.name = "threads", .has_arg = required_argument, .val = L_VALUE},
    {.name = "days", .has_arg = required_argument, .val = L_VALUE},
    {.name = "seed", .has_arg = required_argument, .val = L_VALUE},
    {.name = "scenario", .has_arg = required_argument, .val = L_VALUE},
    {.name = "out", .has_arg = required_argument, .val = L_OUT},
    {.name = "force", .has_arg = no_argument, .val = L_FORCE},
    {.name = "help", .has_arg = no_argument, .val = L_HELP},
    {0},
};

static int take_option(const char *a, const char *v, life_opts *o);

/* 1: --help was given (nothing else done). */
int life_parse_options(int argc, char **argv, life_opts *o, int *help)
{
    opterr = 0;
    optind = 2;
    int c, k;
    while ((c = getopt_long(argc, argv, "-:ho:", life_options, &k)) != -1) {
        char name[128];
        if (c == L_HELP) return *help = 1, SIM_OK;
        if (c == L_FORCE) {
            o->force = 1;
            continue;
        }
        if (c == 1) return life_error(optarg, "unexpected argument");
        if (c == '?' || c == ':') {
            switch (cli_option_failure(c, argv, optind, optopt, life_options, name, sizeof name)) {
            case CLI_NO_VALUE:
                return life_error(name, "needs a value");
            case CLI_EXTRA_VALUE:
                return life_error(name, "takes no value");
            case CLI_AMBIGUOUS:
                return life_error(name, "ambiguous option (the start of several options)");
            case CLI_UNKNOWN:
                return life_error(name, "unknown option");
            }
        }
        snprintf(name, sizeof name, "--%s", c == L_OUT ? "out" : life_options[k].name);
        int rc = take_option(c == L_OUT ? "-o" : name, optarg, o);
        if (rc) return rc;
    }
    if (optind < argc) return life_error(argv[optind], "unexpected argument");
    return SIM_OK;
}

/* One option a (its long name; -o for the results file) with value v. */
static int take_option(const char *a, const char *v, life_opts *o)
{
    static const char *const db[] = {"dB", NULL}, *const by[] = {"B", NULL};
    static const double one[] = {1};
    int rc = SIM_OK;
    char *end;
    if (!strcmp(a, "--module")) {
        o->module = v;
    } else if (!strcmp(a, "--rat")) {
        if (strcmp(v, "nbiot") && strcmp(v, "ltem"))
            return life_error(a, "'%s': expected nbiot or ltem", v);
        o->rat = v;
    } else if (!strcmp(a, "--coupling-loss")) {
        /* the range of coverage.fixed_db */
        rc = parse_list(a, v, db, one, 0, 250, 0, "coupling losses in dB such as 144,154,164",
                        o->cl, &o->n_cl);
    } else if (!strcmp(a, "--payload")) {
        rc = parse_list(a, v, by, one, 1, 1e6, 1, "payload sizes in bytes such as 50,200",
                        o->payload, &o->n_payload);
    } else if (!strcmp(a, "--every")) {
        rc = parse_list(a, v, dur_units, dur_mul, 1, 3.2e9, 0,
                        "report periods such as 30min,6h,1d (or seconds)", o->every, &o->n_every);
    } else if (!strcmp(a, "--edt")) {
        rc = parse_onoff(a, v, o->edt, &o->n_edt);
    } else if (!strcmp(a, "--rai")) {
        rc = parse_onoff(a, v, o->rai, &o->n_rai);
    } else if (!strcmp(a, "--idle")) {
        rc = parse_idle(v, o);
    } else if (!strcmp(a, "--battery")) {
        rc = parse_battery(v, o);
    } else if (!strcmp(a, "--devices") || !strcmp(a, "--replications") || !strcmp(a, "--threads")) {
        const long max = a[2] == 'd' ? 100000 : a[2] == 'r' ? 1000 : 4096;
        const long n = strtol(v, &end, 10);
        if (*end || !*v || n < (a[2] == 'r' ? 2 : 1) || n > max)
            return life_error(a, "'%s': expected a whole number from %d to %ld", v,
                              a[2] == 'r' ? 2 : 1, max);
        if (a[2] == 'd') o->devices = n;
        if (a[2] == 'r') o->reps = n;
        if (a[2] == 't') o->threads = (int)n;
    } else if (!strcmp(a, "--days")) {
        o->days = strtod(v, &end);
        if (*end || !*v || !(o->days > 0) || o->days > 3650)
            return life_error(a, "'%s': expected a number of days above 0, at most 3650", v);
    } else if (!strcmp(a, "--seed")) {
        errno = 0;
        o->seed = strtoull(v, &end, 10);
        /* seeds are Lua integers read exactly as doubles: < 2^53 */
        if (*end || !*v || v[0] == '-' || errno || o->seed > 9007199254740991ULL)
            return life_error(a, "'%s': expected a whole number from 0 to 9007199254740991", v);
    } else if (!strcmp(a, "-o") || !strcmp(a, "--scenario")) {
        if (!*v) return life_error(a, "needs a file name");
        *(a[1] == 'o' ? &o->out : &o->scenario) = v;
    }
    return rc;
}

int life_check_module(const life_opts *o)
{
    scen_module_info *m;
    size_t n;
    sim_error err;
    sim_error_clear(&err);
    if (scen_load_modules(NULL, &m, &n, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    char names[512] = "";
    int found = -1;
    for (size_t k = 0; k < n; k++) {
        if (!strcmp(m[k].name, o->module)) found = (int)k;
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "",
                 m[k].name);
    }
    const char *rat = !strcmp(o->rat, "ltem") ? "LTE-M" : "NB-IoT";
    int rc = SIM_OK;
    if (found < 0)
        rc = life_error("--module", "unknown module '%s' (known: %s)", o->module, names);
    else if (!strstr(m[found].rat, rat))
        rc = life_error("--rat", "module %s has figures for %s only, not %s", o->module,
                        m[found].rat, rat);
    /* TS 24.008 10.5.5.32: WB-S1 (LTE-M) eDRX cycles end at 2621.44 s */
    for (int k = 0; k < o->n_idle && !rc; k++)
        if (!strcmp(o->rat, "ltem") && o->idle_edrx[k] > 2621.44)
            rc = life_error("--idle", "edrx:%gs: LTE-M eDRX cycles end at 2621.44s",
                            o->idle_edrx[k]);
    free(m);
    return rc;
}
