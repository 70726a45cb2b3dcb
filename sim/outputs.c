/* outputs.c: what mtcsim may write where. The results file's default name,
 * the refusal to write onto an input or (without --force) onto an existing
 * file. */
#include "sim/app.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void outputs_default_name(const char *scenario_name, char *buf, size_t n)
{
    /* The name is the scenario's to choose, the folder is not: "../x" or
     * "/tmp/x" must not put the file elsewhere, so only a plain file name
     * of portable characters is kept. */
    const char *s = scenario_name;
    while (*s == '.' || *s == '/')
        s++;
    size_t k = 0;
    for (; *s && k + 4 < n; s++) {
        const char c = *s;
        const int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        buf[k++] = keep ? c : '_';
    }
    if (k == 0) {
        snprintf(buf, n, "results.h5");
        return;
    }
    snprintf(buf + k, n - k, ".h5");
}

int outputs_check(const char *out, const char *const *inputs, size_t n_inputs, int force,
                  sim_error *err)
{
    struct stat so;
    if (stat(out, &so) != 0) return SIM_OK; /* nothing there (or unreachable: creating says why) */
    /* Same file whatever the name: symbolic and hard links included. */
    for (size_t i = 0; i < n_inputs; i++) {
        struct stat si;
        if (inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino)
            return sim_error_set(err, SIM_ERR_INPUT,
                                 "-o %s: that is the input %s (the same file): choose another "
                                 "results file",
                                 out, inputs[i]);
    }
    if (!force && !S_ISDIR(so.st_mode))
        return sim_error_set(err, SIM_ERR_INPUT, "%s exists: pass --force to replace it", out);
    return SIM_OK;
}
