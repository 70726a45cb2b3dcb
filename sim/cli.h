/* cli.h: the command line, between main.c, life and the texts of cli.c. */
#ifndef MTCSIM_CLI_H
#define MTCSIM_CLI_H

#include "sim/app.h"

/* cli.c: the overview (cmd NULL) or a command's --help text; NULL for an
 * unknown command. */
const char *cli_help(const char *cmd);
/* What a getopt_long failure (c: '?' or ':', opterr 0, optstring with a
 * leading ':') means; name: the option as typed, without its =value. */
typedef enum { CLI_UNKNOWN, CLI_AMBIGUOUS, CLI_NO_VALUE, CLI_EXTRA_VALUE } cli_failure;
struct option;
cli_failure cli_option_failure(int c, char *const *argv, int optind, int optopt,
                               const struct option *opts, char *name, size_t n);

/* cli_parse.c: run, check, sweep and merge. */
enum cli_cmd { C_RUN = 1, C_CHECK = 2, C_SWEEP = 4, C_MERGE = 8, C_ALL = 15 };

/* What the command line asks for (bit: the command). */
typedef struct cli {
    const char *cmd, *scenario, *out;
    int bit, threads, quiet, force, list, resume, modules, help;
    long task_index, task_count;
    const char **ovr; /* --seed, --set and --sweep, in their order */
    char **owned;     /* the strings of ovr made here */
    size_t n_ovr;
} cli;

/* Parses argv[2..] into o (o->cmd, o->bit, and ovr and owned with argc
 * slots set by the caller); a usage error is printed, SIM_ERR_INPUT. */
int cli_parse(int argc, char **argv, cli *o);
void cli_free(cli *o);
/* "mtcsim: " fmt (with arg) and a pointer to the command's --help on
 * stderr; SIM_ERR_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

#endif
