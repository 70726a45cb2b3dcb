/* life.h: between the files of `mtcsim life`: its options (life_options.c
 * reads them) and the command (life.c). */
#ifndef MTCSIM_LIFE_H
#define MTCSIM_LIFE_H

#include "sim/cli.h"

#define LIFE_MAX_VALUES 16

typedef struct life_opts {
    const char *module, *rat, *out, *scenario;
    double cl[LIFE_MAX_VALUES], payload[LIFE_MAX_VALUES], every[LIFE_MAX_VALUES];
    int n_cl, n_payload, n_every;
    int edt[2], n_edt;
    int rai[2], n_rai;
    int idle_psm[LIFE_MAX_VALUES];
    double idle_edrx[LIFE_MAX_VALUES]; /* 0: none */
    int n_idle;
    int mah;                /* the battery given in mAh (else Wh) */
    double capacity, volts; /* mAh or Wh; V */
    long devices, reps;
    double days;
    unsigned long long seed;
    int threads, force;
} life_opts;

/* "mtcsim life: OPT: what is wrong" on stderr; SIM_ERR_INPUT. */
int life_error(const char *opt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The command line into o (its defaults set); *help: --help was given
 * (nothing else read). */
int life_parse_options(int argc, char **argv, life_opts *o, int *help);
/* The module must be one of the library's profiles and have figures for
 * the RAT (check --modules lists them). */
int life_check_module(const life_opts *o);

#endif
