/* error.c: error values and time conversion helpers of the event core. */
#include "sim/sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

void sim_error_clear(sim_error *err)
{
    if (err) {
        err->code = SIM_OK;
        err->msg[0] = '\0';
    }
}

int sim_error_set(sim_error *err, int code, const char *fmt, ...)
{
    if (err && err->code == SIM_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

int sim_time_from_s(double s, sim_time_t *out)
{
    /* 2^62 us is about 146,000 years: far beyond any scenario, and leaves
     * headroom so that now + delay never overflows. */
    const double limit = 4611686018427387904.0;
    if (!isfinite(s)) return -1;
    double us = nearbyint(s * 1e6);
    if (us > limit || us < -limit) return -1;
    *out = (sim_time_t)us;
    return 0;
}
