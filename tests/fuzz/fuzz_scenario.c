/* fuzz_scenario.c: libFuzzer target of the scenario loader (scen_load_sweep).
 *
 * The input is a scenario's Lua text; its lines "--@set path=value" (Lua
 * comments, at most 8) are also given as --set overrides, so the override
 * parser is fuzzed too. scen_load_sweep reads a file, so the text goes to a
 * fresh temporary folder per input (no state between inputs). A loaded
 * configuration is printed, turned into JSON and, for a small sweep, every
 * point is loaded (sweep_check). Any return code is fine; a crash, a
 * sanitizer report, a leak or a timeout is a finding.
 */
#include "sim/app.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OVERRIDES   8
#define MAX_SWEEP_CHECK 4 /* points: each is a full load */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t collect_overrides(const uint8_t *data, size_t size, char **ovr)
{
    static const char tag[] = "--@set ";
    size_t n = 0;
    for (size_t i = 0; i < size && n < MAX_OVERRIDES; i++) {
        if ((i > 0 && data[i - 1] != '\n') || size - i < sizeof tag - 1 ||
            memcmp(data + i, tag, sizeof tag - 1) != 0)
            continue;
        const uint8_t *s = data + i + sizeof tag - 1;
        const uint8_t *e = memchr(s, '\n', size - (size_t)(s - data));
        size_t len = e ? (size_t)(e - s) : size - (size_t)(s - data);
        ovr[n] = strndup((const char *)s, len); /* stops at a NUL, as argv would */
        if (ovr[n]) n++;
    }
    return n;
}

static void load_once(const char *path, const char *const *ovr, size_t n_ovr)
{
    scen_config cfg;
    scen_source src;
    scen_sweep sw;
    sim_error err;
    sim_error_clear(&err);
    if (scen_load_sweep(path, ovr, n_ovr, &cfg, &src, &sw, &err) != SIM_OK) return;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        scen_config_print(&cfg, null);
        if (sw.n_points) sweep_print_points(null, &sw);
        fclose(null);
    }
    free(scen_config_json(&cfg));
    if (sw.n_points > 0 && sw.n_points <= MAX_SWEEP_CHECK)
        (void)sweep_check(path, ovr, n_ovr, &cfg, &sw, &err);
    scen_sweep_free(&sw);
    scen_config_free(&cfg);
    scen_source_free(&src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/mtcsim-fuzz-XXXXXX";
    if (!mkdtemp(dir)) return 0;
    char path[sizeof dir + 16];
    snprintf(path, sizeof path, "%s/fuzz.lua", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
        int ok = fwrite(data, 1, size, f) == size;
        ok &= fclose(f) == 0;
        if (ok) {
            char *ovr[MAX_OVERRIDES];
            size_t n = collect_overrides(data, size, ovr);
            load_once(path, (const char *const *)ovr, n);
            for (size_t i = 0; i < n; i++)
                free(ovr[i]);
        }
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
