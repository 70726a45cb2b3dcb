/* config_unit.c: the unit of a scenario field, for result columns that
 * hold field values (a sweep's swept values in /points). The schema keeps
 * units in the field names (period_s, mcl_db, tx_mw, ...) and in the docs
 * ("report period, s (...)"); this reads them from there, so a field
 * added with a unit in its name or doc gets it here without a second
 * list. */
#include "sim/app.h"

#include <string.h>

/* Units as they are spelled in field names (suffix) and as written. */
static const struct {
    const char *suffix, *unit;
} by_suffix[] = {
    {"_ms", "ms"},   {"_us", "us"}, {"_s", "s"},     {"_dbm", "dBm"},
    {"_dbi", "dBi"}, {"_db", "dB"}, {"_mw", "mW"},   {"_mah", "mAh"},
    {"_wh", "Wh"},   {"_v", "V"},   {"_m", "m"},     {"_deg", "deg"},
    {"_bytes", "B"}, {"_hz", "Hz"}, {"_khz", "kHz"}, {"_ua", "uA"},
};

/* Units a doc may name after its first ", " ("rated energy, Wh; ..."). */
static const char *const doc_units[] = {"ms",  "us", "s", "dBm", "dBi", "dB",    "mW",
                                        "mAh", "Wh", "V", "m",   "deg", "bytes", "Hz"};

static const char *unit_of_field(const cf_field *f)
{
    const size_t n = strlen(f->name);
    for (size_t i = 0; i < sizeof by_suffix / sizeof by_suffix[0]; i++) {
        const size_t k = strlen(by_suffix[i].suffix);
        if ((n > k && strcmp(f->name + n - k, by_suffix[i].suffix) == 0) ||
            strcmp(f->name, by_suffix[i].suffix + 1) == 0) /* "bytes" */
            return by_suffix[i].unit;
    }
    const char *c = f->doc ? strstr(f->doc, ", ") : NULL;
    if (!c) return "";
    c += 2;
    for (size_t i = 0; i < sizeof doc_units / sizeof doc_units[0]; i++) {
        const size_t k = strlen(doc_units[i]);
        if (strncmp(c, doc_units[i], k) == 0 &&
            (c[k] == ';' || c[k] == ' ' || c[k] == '\0' || c[k] == ',' || c[k] == ')'))
            return strcmp(doc_units[i], "bytes") == 0 ? "B" : doc_units[i];
    }
    return "";
}

const char *cf_path_unit(const char *path)
{
    const cf_table *t = &cf_scenario;
    const cf_field *f = NULL;
    char seg[128];
    for (const char *p = path; t && *p;) {
        size_t n = strcspn(p, ".[");
        if (n == 0 || n >= sizeof seg) return "";
        memcpy(seg, p, n);
        seg[n] = '\0';
        f = cf_find(t, seg);
        if (!f) return "";
        p += n;
        while (*p == '[') { /* list or array element: the element's schema */
            const char *e = strchr(p, ']');
            if (!e) return "";
            p = e + 1;
        }
        if (*p == '.') p++;
        t = *p ? f->sub : NULL;
        if (*p && !t) return "";
    }
    return f && (f->kind == CF_NUM || f->kind == CF_INT || f->kind == CF_NUMLIST) ? unit_of_field(f)
                                                                                  : "";
}
