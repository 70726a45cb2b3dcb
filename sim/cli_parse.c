/* cli_parse.c: the options of run, check, sweep and merge (getopt_long),
 * each command with its own table, into a struct cli for main.c. */
#include "sim/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "mtcsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see mtcsim %s%s--help)\n", cmd ? cmd : "", cmd ? " " : "");
    return SIM_ERR_INPUT;
}

/* The options of run, check, sweep and merge; cmds: the commands taking
 * each (bits of enum cli_cmd). */
enum {
    O_FORCE = 256,
    O_SEED,
    O_THREADS,
    O_SET,
    O_SWEEP,
    O_QUIET,
    O_MODULES,
    O_LIST,
    O_RESUME,
    O_TASK_INDEX,
    O_TASK_COUNT
};
static const struct {
    struct option opt;
    int cmds;
} all_options[] = {
    {{.name = "out", .has_arg = required_argument, .val = 'o'}, C_RUN | C_SWEEP | C_MERGE},
    {{.name = "force", .has_arg = no_argument, .val = O_FORCE}, C_RUN | C_SWEEP | C_MERGE},
    {{.name = "seed", .has_arg = required_argument, .val = O_SEED}, C_ALL},
    {{.name = "threads", .has_arg = required_argument, .val = O_THREADS},
     C_RUN | C_SWEEP | C_MERGE},
    {{.name = "set", .has_arg = required_argument, .val = O_SET}, C_ALL},
    {{.name = "sweep", .has_arg = required_argument, .val = O_SWEEP}, C_CHECK | C_SWEEP | C_MERGE},
    {{.name = "quiet", .has_arg = no_argument, .val = O_QUIET}, C_RUN | C_SWEEP | C_MERGE},
    {{.name = "modules", .has_arg = no_argument, .val = O_MODULES}, C_CHECK},
    {{.name = "list", .has_arg = no_argument, .val = O_LIST}, C_SWEEP},
    {{.name = "resume", .has_arg = no_argument, .val = O_RESUME}, C_SWEEP},
    {{.name = "task-index", .has_arg = required_argument, .val = O_TASK_INDEX}, C_SWEEP},
    {{.name = "task-count", .has_arg = required_argument, .val = O_TASK_COUNT}, C_SWEEP},
    {{.name = "help", .has_arg = no_argument, .val = 'h'}, C_ALL},
};
#define N_OPTIONS (sizeof all_options / sizeof all_options[0])

void cli_free(cli *o)
{
    for (size_t i = 0; o->owned && i < o->n_ovr; i++)
        free(o->owned[i]);
    free(o->owned);
    free(o->ovr);
}

/* A whole number in [lo, hi], all of s; -1 otherwise (lo >= 0). */
static long whole(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return !*s || *end || errno || v < lo || v > hi ? -1 : v;
}

/* A message for a getopt failure, naming the option. */
static int option_failure(const cli *o, int c, char **argv, const struct option *longs)
{
    char name[128];
    switch (cli_option_failure(c, argv, optind, optopt, longs, name, sizeof name)) {
    case CLI_NO_VALUE:
        if (!strcmp(name, "-o") || !strcmp(name, "--out"))
            return cli_usage_error(o->cmd, "%s needs a file name", name);
        if (!strcmp(name, "--set") || !strcmp(name, "--sweep"))
            return cli_usage_error(o->cmd,
                                   !strcmp(name, "--set") ? "%s needs path=value"
                                                          : "%s needs path=value,value,...",
                                   name);
        if (!strcmp(name, "--seed")) return cli_usage_error(o->cmd, "%s needs a number", name);
        if (!strcmp(name, "--threads"))
            return cli_usage_error(o->cmd, "%s needs a whole number from 1 to 4096", name);
        return cli_usage_error(o->cmd, "%s needs a whole number from 0 to 1000000", name);
    case CLI_EXTRA_VALUE:
        return cli_usage_error(o->cmd, "%s takes no value", name);
    case CLI_AMBIGUOUS:
        return cli_usage_error(o->cmd, "ambiguous option '%s' (the start of several options)",
                               name);
    case CLI_UNKNOWN:
        break;
    }
    for (size_t k = 0; k < N_OPTIONS; k++)
        if (!strncmp(name, "--", 2) && !strcmp(all_options[k].opt.name, name + 2)) {
            fprintf(stderr, "mtcsim: %s is not an option of mtcsim %s\n(see mtcsim %s --help)\n",
                    name, o->cmd, o->cmd);
            return SIM_ERR_INPUT;
        }
    return cli_usage_error(o->cmd, "unknown option '%s'", name);
}

/* One option (c: getopt's value, a: its argument). */
static int take_option(cli *o, int c, const char *a)
{
    long v;
    switch (c) {
    case 'o':
        if (!*a) return cli_usage_error(o->cmd, "%s needs a file name", "-o");
        o->out = a;
        break;
    case O_THREADS:
        if ((v = whole(a, 1, 4096)) < 0)
            return cli_usage_error(o->cmd, "--threads needs a whole number from 1 to 4096%s", "");
        o->threads = (int)v;
        break;
    case O_SEED: {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(a, &end, 10);
        /* Seeds are Lua integers read exactly as doubles: < 2^53. */
        if (*end || a[0] == '-' || !a[0] || errno || s > 9007199254740991ULL)
            return cli_usage_error(
                o->cmd, "--seed needs a whole number from 0 to 9007199254740991, got '%s'", a);
        o->owned[o->n_ovr] = malloc(32);
        if (!o->owned[o->n_ovr]) return SIM_ERR_RUNTIME;
        snprintf(o->owned[o->n_ovr], 32, "seed=%llu", s);
        o->ovr[o->n_ovr] = o->owned[o->n_ovr];
        o->n_ovr++;
        break;
    }
    case O_SET:
        o->ovr[o->n_ovr++] = a;
        break;
    case O_SWEEP: {
        /* marked for the loader: a sweep axis, not a field's value */
        const size_t n = strlen(a) + 2;
        o->owned[o->n_ovr] = malloc(n);
        if (!o->owned[o->n_ovr]) return SIM_ERR_RUNTIME;
        snprintf(o->owned[o->n_ovr], n, "%c%s", SCEN_SWEEP_MARK, a);
        o->ovr[o->n_ovr] = o->owned[o->n_ovr];
        o->n_ovr++;
        break;
    }
    case O_QUIET:
        o->quiet = 1;
        break;
    case O_FORCE:
        o->force = 1;
        break;
    case O_MODULES:
        o->modules = 1;
        break;
    case O_LIST:
        o->list = 1;
        break;
    case O_RESUME:
        o->resume = 1;
        break;
    case O_TASK_INDEX:
    case O_TASK_COUNT:
        if ((v = whole(a, 0, 1000000)) < 0)
            return cli_usage_error(o->cmd, "%s needs a whole number from 0 to 1000000",
                                   c == O_TASK_INDEX ? "--task-index" : "--task-count");
        *(c == O_TASK_INDEX ? &o->task_index : &o->task_count) = v;
        break;
    case 1: /* a non-option argument, in its place */
        if (o->scenario) return cli_usage_error(o->cmd, "unexpected argument '%s'", a);
        o->scenario = a;
        break;
    }
    return SIM_OK;
}

int cli_parse(int argc, char **argv, cli *o)
{
    struct option longs[N_OPTIONS + 1];
    size_t n = 0;
    for (size_t k = 0; k < N_OPTIONS; k++)
        if (all_options[k].cmds & o->bit) longs[n++] = all_options[k].opt;
    longs[n] = (struct option){0};
    /* '-': non-options in their place (the first error in argv order is
     * reported); ':': a missing value returns ':' */
    const char *shorts = o->bit & C_CHECK ? "-:h" : "-:ho:";
    opterr = 0;
    optind = 2;
    int c, rc = SIM_OK;
    while (!rc && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == 'h') {
            o->help = 1;
            return SIM_OK;
        }
        /* an empty file name: named as typed (--out=, --out "", -o "") */
        if (c == 'o' && !*optarg)
            rc = cli_usage_error(o->cmd, "%s needs a file name",
                                 !strncmp(argv[optind - 1], "--", 2) ||
                                         (optind >= 2 && !strncmp(argv[optind - 2], "--", 2))
                                     ? "--out"
                                     : "-o");
        else
            rc = c == '?' || c == ':' ? option_failure(o, c, argv, longs)
                                      : take_option(o, c, optarg);
    }
    /* after "--": the rest are arguments */
    for (int i = optind; i < argc && !rc; i++)
        rc = take_option(o, 1, argv[i]);
    return rc;
}
