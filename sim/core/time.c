/* time.c: conversion of seconds (scenario input) to integer microseconds of
 * simulated time. The inline helpers in sim.h convert back. */
#include "sim/core/sim.h"

#include <math.h>

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
