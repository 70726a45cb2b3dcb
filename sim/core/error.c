/* error.c: error values of the event core (a code that doubles as exit code, a message). */
#include "sim/core/sim.h"

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
