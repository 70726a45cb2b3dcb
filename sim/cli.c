/* cli.c: the command line's texts (the overview and each command's --help)
 * and what getopt_long's failures mean, for main.c and life.c. */
#include "sim/cli.h"

#include <getopt.h>
#include <string.h>

#define SET_HELP                                                                                   \
    "  --seed N             base seed (same as --set seed=N)\n"                                    \
    "  --set path=value     override a scenario field: --set devices[1].count=500;\n"              \
    "                       a bare word is a string (cell.rat=ltem), anything else a Lua\n"        \
    "                       expression that may use the mtc library\n"                             \
    "                       (devices[1].module=mtc.modules.bg96); a table value replaces\n"        \
    "                       the whole table (devices[1].traffic={kind=\"poisson\",\n"              \
    "                       mean_interval_s=600}); path=nil clears the field back to\n"            \
    "                       its default\n"

#define OUT_HELP                                                                                   \
    "  -o, --out FILE       results file (written under a temporary name, renamed when\n"          \
    "                       complete; never an input); default NAME.h5 in the current\n"           \
    "                       folder, NAME the scenario's name as a plain file name\n"               \
    "  --force              replace an existing results file (refused without it)\n"

#define THREADS_HELP                                                                               \
    "  --threads N          OpenMP threads running replications and a layout's cells\n"            \
    "                       (default: all cores)\n"

#define SWEEP_HELP                                                                                 \
    "  --sweep path=v1,v2,...\n"                                                                   \
    "                       sweep path over these values (each read like a --set value;\n"         \
    "                       commas inside brackets or quotes do not split): replaces the\n"        \
    "                       scenario's axis of that path or adds one\n"

#define TAIL_HELP                                                                                  \
    "  -h, --help           this text\n"                                                           \
    "Options may come before or after the scenario; --opt=value and --opt value are\n"             \
    "the same. Exit codes: 0 success, 1 runtime failure, 2 usage or scenario error.\n"

static const char help_run[] =
    "usage: mtcsim run SCENARIO.lua [-o results.h5] [--force] [--seed N] [--threads N]\n"
    "                  [--set path=value]... [--quiet]\n"
    "\n"
    "Simulates every replication of the scenario, writes the HDF5 results and prints\n"
    "a summary (per device group, energy by procedure, the cell, random access).\n"
    "\n" OUT_HELP THREADS_HELP SET_HELP "  --quiet              no summary\n" TAIL_HELP;

static const char help_check[] =
    "usage: mtcsim check SCENARIO.lua [--seed N] [--set path=value]... [--sweep path=v,...]...\n"
    "       mtcsim check --modules [SCENARIO.lua]\n"
    "\n"
    "Loads and validates the scenario and prints the fully resolved configuration,\n"
    "one `path = value  -- meaning` line per field (every path can be given to --set);\n"
    "a sweep's points are listed and each is validated. --modules: the module power\n"
    "profiles of scenarios/lib/modules.lua (or of the modules.lua the scenario's\n"
    "require would find) instead.\n"
    "\n" SET_HELP SWEEP_HELP "  --modules            list the module power profiles\n" TAIL_HELP;

static const char help_sweep[] =
    "usage: mtcsim sweep SCENARIO.lua [--list] [-o results.h5] [--force] [--seed N]\n"
    "                    [--threads N] [--resume] [--task-index I --task-count N]\n"
    "                    [--set path=value]... [--sweep path=v1,v2,...]... [--quiet]\n"
    "\n"
    "Runs every point of the scenario's `sweep` x its replications; each finished\n"
    "point goes to RESULTS.h5.parts/, joined into RESULTS.h5 at the end.\n"
    "\n" OUT_HELP THREADS_HELP SET_HELP SWEEP_HELP
    "  --list               print the points and stop\n"
    "  --resume             keep the points an interrupted run completed\n"
    "  --task-index I, --task-count N\n"
    "                       run the points p with p mod N = I (job arrays; defaults\n"
    "                       SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN,\n"
    "                       SLURM_ARRAY_TASK_COUNT); join them with mtcsim merge\n"
    "  --quiet              no messages on stdout\n" TAIL_HELP;

static const char help_merge[] =
    "usage: mtcsim merge SCENARIO.lua [-o results.h5] [--force] [--seed N]\n"
    "                    [--set path=value]... [--sweep path=v1,v2,...]...\n"
    "\n"
    "Joins the point files of a sweep's job-array tasks (RESULTS.h5.parts/) into\n"
    "RESULTS.h5; give it the --seed, --set and --sweep the tasks had. Nothing to do\n"
    "if RESULTS.h5 is this sweep's finished file.\n"
    "\n" OUT_HELP SET_HELP SWEEP_HELP TAIL_HELP;

static const char help_life[] =
    "usage: mtcsim life [--module NAME] [--rat nbiot|ltem] [--coupling-loss DB,...]\n"
    "                   [--payload BYTES,...] [--every PERIOD,...]\n"
    "                   [--idle psm|drx|edrx:CYCLE,...] [--edt on|off|on,off]\n"
    "                   [--rai on|off|on,off] [--battery 2600mAh@3.6V|5Wh[@V]]\n"
    "                   [--devices N] [--replications N] [--days D] [--seed N]\n"
    "                   [--threads N] [-o results.h5] [--scenario FILE.lua] [--force]\n"
    "\n"
    "Battery life for planners: one device type per combination of the listed values\n"
    "(a sweep, the same seed for every combination), a table of years (mean, its\n"
    "95 % CI across replications, p5), average current at the battery voltage,\n"
    "charge per report by procedure and the dominant one.\n"
    "\n"
    "  --module NAME        module power profile (mtcsim check --modules); tr45820\n"
    "  --rat nbiot|ltem     nbiot\n"
    "  --coupling-loss DB,...  144,154,164\n"
    "  --payload BYTES,...  200\n"
    "  --every PERIOD,...   report period: 90s, 30min, 6h, 1d or seconds; 1d\n"
    "  --idle MODE,...      psm, drx or edrx:CYCLE (20.48s x 2^k); psm\n"
    "  --edt on|off|on,off  early data transmission; off\n"
    "  --rai on|off|on,off  release assistance (off: released after cell.inactivity_s,\n"
    "                       in connected-mode DRX); on\n"
    "  --battery CAP        2600mAh@3.6V, 5Wh or 5Wh@3V; 5Wh@3.6V\n"
    "  --devices N, --replications N, --days D, --seed N\n"
    "                       200, 5, 7, 1\n"
    "  --threads N          OpenMP threads (default: all cores)\n"
    "  -o, --out FILE       results file (default life_MODULE.h5)\n"
    "  --scenario FILE.lua  keep the generated sweep scenario (`mtcsim sweep` of it\n"
    "                       gives the same file)\n"
    "  --force              replace an existing results or scenario file\n"
    "The defaults are TR 45.820's battery-life case.\n" TAIL_HELP;

static const char help_all[] =
    "usage:\n"
    "  mtcsim run SCENARIO.lua [-o results.h5] [--force] [--seed N] [--threads N]\n"
    "                          [--set path=value]... [--quiet]\n"
    "  mtcsim check SCENARIO.lua [--seed N] [--set path=value]... [--sweep path=v,...]...\n"
    "  mtcsim check --modules [SCENARIO.lua]\n"
    "  mtcsim sweep SCENARIO.lua [--list] [-o results.h5] [--force] [--seed N] [--threads N]\n"
    "                            [--resume] [--task-index I --task-count N]\n"
    "                            [--set path=value]... [--sweep path=v,...]... [--quiet]\n"
    "  mtcsim merge SCENARIO.lua [-o results.h5] [--force] [--seed N] [--set path=value]...\n"
    "                            [--sweep path=v,...]...\n"
    "  mtcsim life [--module NAME] [--rat nbiot|ltem] [--coupling-loss DB,...]\n"
    "              [--payload BYTES,...] [--every PERIOD,...] [--idle psm|drx|edrx:CYCLE,...]\n"
    "              [--edt on|off|on,off] [--rai on|off|on,off]\n"
    "              [--battery 2600mAh@3.6V|5Wh[@V]] [--devices N]\n"
    "              [--replications N] [--days D] [--seed N] [--threads N]\n"
    "              [-o results.h5] [--scenario FILE.lua] [--force]\n"
    "  mtcsim COMMAND --help\n"
    "  mtcsim --version | --help\n"
    "\n"
    "run     simulate every replication, write the HDF5 results and print a summary\n"
    "check   load and validate the scenario, print the fully resolved configuration\n"
    "        (--modules: the module power profiles)\n"
    "sweep   run every point of the scenario's `sweep` x its replications (--list: print\n"
    "        the points and stop)\n"
    "merge   join the point files of a sweep's job-array tasks into RESULTS.h5\n"
    "life    battery life for planners: one device type per combination of the listed\n"
    "        values, a table of years, current and charge per report\n"
    "\n"
    "`mtcsim COMMAND --help` describes a command's options. Options may come before\n"
    "or after the scenario; --opt=value and --opt value are the same.\n"
    "\n"
    "MPI builds (cmake -DMTCSIM_MPI=ON): mpirun -n K mtcsim sweep shares the points\n"
    "over the ranks; mpirun -n K mtcsim run shares a layout's cells (rank 0 writes).\n"
    "\n"
    "One writer per results file (lock on RESULTS.h5.lock: a second one exits 1).\n"
    "SIGINT/SIGTERM remove the temporary file (exit 130/143); temporaries left by\n"
    "killed processes are removed by the next run, sweep or merge of the same -o.\n"
    "\n"
    "exit codes: 0 success, 1 runtime failure, 2 usage or scenario error\n";

const char *cli_help(const char *cmd)
{
    static const struct {
        const char *cmd, *text;
    } texts[] = {{"run", help_run},
                 {"check", help_check},
                 {"sweep", help_sweep},
                 {"merge", help_merge},
                 {"life", help_life}};
    if (!cmd) return help_all;
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (!strcmp(cmd, texts[k].cmd)) return texts[k].text;
    return NULL;
}

cli_failure cli_option_failure(int c, char *const *argv, int optind, int optopt,
                               const struct option *opts, char *name, size_t n)
{
    /* the option as typed (without its =value), or the short one */
    const char *typed = optind > 0 ? argv[optind - 1] : "";
    if (c == '?' && optopt > 0 && optopt < 256 && typed[0] == '-' && typed[1] != '-')
        snprintf(name, n, "-%c", optopt);
    else
        snprintf(name, n, "%.*s", (int)strcspn(typed, "="), typed);
    if (c == ':') return CLI_NO_VALUE;
    if (optopt && !strncmp(typed, "--", 2) && strchr(typed, '='))
        return CLI_EXTRA_VALUE; /* --flag=value of a flag */
    /* getopt_long takes unique abbreviations; a prefix of several is
     * ambiguous rather than unknown */
    int hits = 0;
    if (!strncmp(name, "--", 2) && name[2])
        for (const struct option *o = opts; o->name; o++)
            hits += !strncmp(o->name, name + 2, strlen(name + 2));
    return hits > 1 ? CLI_AMBIGUOUS : CLI_UNKNOWN;
}
