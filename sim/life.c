/* life.c: `mtcsim life`, battery life for product planners in one command.
 *
 * The options become a sweep scenario (one group of devices, one sweep
 * point per combination of the listed values, every point on the base
 * seed: common random numbers), written as Lua (--scenario keeps it), run
 * like `mtcsim sweep` and summarised by life_table.c from the results file
 * alone, so that `mtcsim sweep` of the written scenario gives the same
 * file and the same table. */
#include "sim/life.h"

#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The shortest form that reads back as v (3.6, not 3.6000000000000001). */
static const char *num(double v, char *buf, size_t n)
{
    return cf_shortest(buf, n, v);
}

static void lua_list(FILE *f, const double *v, int n)
{
    char b[32];
    fputs("{ ", f);
    for (int k = 0; k < n; k++)
        fprintf(f, "%s%s", k ? ", " : "", num(v[k], b, sizeof b));
    fputs(" }", f);
}

/* The scenario as Lua text (file: its file name; name: the scenario's
 * name; cmd: the command line), for the header. */
static void write_scenario(FILE *f, const life_opts *o, const char *file, const char *name,
                           const char *cmd)
{
    char every[32], b[6][32];
    life_format_period(o->every[0], every, sizeof every);
    fprintf(f,
            "-- %s: written by `mtcsim life` (mtcsim %s):\n--   %s\n"
            "-- Battery life of one device type per combination of the options:\n"
            "-- each combination is a sweep point, every point runs on the same seed\n"
            "-- (common_random_numbers: the options see the same random draws), and\n"
            "-- the 95 %% confidence interval of the mean life is across the\n"
            "-- replications. Refine it and run it again with\n"
            "--   mtcsim sweep %s\n"
            "local mtc = require \"mtc\"\n\n",
            file, MTCSIM_VERSION, cmd, file);
    fprintf(f,
            "return mtc.scenario {\n  name = \"%s\",\n  duration = mtc.days(%s), -- --days\n"
            "  seed = %llu, -- --seed\n  replications = %ld, -- --replications\n"
            "  common_random_numbers = true,\n"
            "  timeseries = { enabled = false }, -- a battery table does not read it\n"
            "  -- the cell allows EDT (Rel-15); devices[1].edt says whether the device uses it\n"
            "  cell = { rat = \"%s\", edt = true },\n  devices = {\n    {\n"
            "      name = \"device\",\n      count = %ld, -- --devices\n",
            name, num(o->days, b[0], sizeof b[0]), o->seed, o->reps, o->rat, o->devices);
    fprintf(f,
            "      -- the swept fields below hold the first value of each list\n"
            "      traffic = mtc.traffic.periodic(%s, mtc.payload.fixed(%s)), -- %s\n"
            "      coverage = mtc.coverage.fixed(%s),\n      module = mtc.modules.%s,\n",
            num(o->every[0], b[0], sizeof b[0]), num(o->payload[0], b[1], sizeof b[1]), every,
            num(o->cl[0], b[2], sizeof b[2]), o->module);
    if (o->mah)
        fprintf(f, "      battery = { rating = \"mah\", capacity_mah = %s, voltage_v = %s },\n",
                num(o->capacity, b[0], sizeof b[0]), num(o->volts, b[1], sizeof b[1]));
    else
        fprintf(f, "      battery = { capacity_wh = %s, voltage_v = %s },\n",
                num(o->capacity, b[0], sizeof b[0]), num(o->volts, b[1], sizeof b[1]));
    fprintf(f,
            "      -- PSM at once after the exchange (t3324_s = 0, as the TR 45.820\n"
            "      -- battery-life method); with psm = false the device monitors paging\n"
            "      -- in DRX, or in eDRX with edrx_cycle_s\n"
            "      idle = { psm = %s, t3324_s = 0, edrx_cycle_s = %s },\n"
            "      edt = %s,\n"
            "      -- release assistance (Rel-14 RAI): released once the answer is down;\n"
            "      -- without it after cell.inactivity_s, in connected-mode DRX (cell.cdrx)\n"
            "      rai = %s,\n    },\n  },\n  sweep = {\n",
            o->idle_psm[0] ? "true" : "false", num(o->idle_edrx[0], b[0], sizeof b[0]),
            o->edt[0] ? "true" : "false", o->rai[0] ? "true" : "false");
    fputs("    [\"devices[1].coverage.fixed_db\"] = ", f);
    lua_list(f, o->cl, o->n_cl);
    fputs(", -- --coupling-loss, dB\n    [\"devices[1].edt\"] = { ", f);
    for (int k = 0; k < o->n_edt; k++)
        fprintf(f, "%s%s", k ? ", " : "", o->edt[k] ? "true" : "false");
    fputs(" }, -- --edt\n    [\"devices[1].rai\"] = { ", f);
    for (int k = 0; k < o->n_rai; k++)
        fprintf(f, "%s%s", k ? ", " : "", o->rai[k] ? "true" : "false");
    fputs(" }, -- --rai\n    [\"devices[1].traffic.payload.bytes\"] = ", f);
    lua_list(f, o->payload, o->n_payload);
    fputs(", -- --payload\n    [\"devices[1].traffic.period_s\"] = ", f);
    lua_list(f, o->every, o->n_every);
    fputs(", -- --every, s\n    { -- --idle: psm, drx or edrx (zipped: these vary together)\n"
          "      [\"devices[1].idle.edrx_cycle_s\"] = ",
          f);
    lua_list(f, o->idle_edrx, o->n_idle);
    fputs(",\n      [\"devices[1].idle.psm\"] = { ", f);
    for (int k = 0; k < o->n_idle; k++)
        fprintf(f, "%s%s", k ? ", " : "", o->idle_psm[k] ? "true" : "false");
    fputs(" },\n    },\n  },\n}\n", f);
}

/* The command line for the scenario's header comment (control characters
 * shown as '?': the comment must stay one line). */
int life_main(int argc, char **argv)
{
    /* Defaults: TR 45.820 5.4 / 7.3.6.4 battery-life method (its module
     * figures, 5 Wh, coupling loss 144/154/164 dB, 200 bytes once a day,
     * PSM after the exchange; the TR predates EDT, Rel-15). The voltage
     * only converts to current: 3.6 V, the battery.voltage_v default
     * (lithium thionyl chloride). Fleet, replications, days and seed are
     * (assumptions) a few minutes' run giving a CI of about 1 % (README). */
    life_opts o = {.module = "tr45820",
                   .rat = "nbiot",
                   .cl = {144, 154, 164},
                   .n_cl = 3,
                   .payload = {200},
                   .n_payload = 1,
                   .every = {86400},
                   .n_every = 1,
                   .edt = {0},
                   .n_edt = 1,
                   .rai = {1},
                   .n_rai = 1,
                   .idle_psm = {1},
                   .n_idle = 1,
                   .capacity = 5,
                   .volts = 3.6,
                   .devices = 200,
                   .reps = 5,
                   .days = 7,
                   .seed = 1};
    int help = 0;
    int rc = life_parse_options(argc, argv, &o, &help);
    if (!rc && help) return fputs(cli_help("life"), stdout), SIM_OK;
    if (!rc) rc = life_check_module(&o);
    if (rc) return rc;
    char name[96], cmd[2048], dir[4096], tmp[4096 + 128], default_out[sizeof name + 8];
    snprintf(name, sizeof name, "life_%s", o.module);
    char *line = outputs_command_line(argc, argv);
    snprintf(cmd, sizeof cmd, "%s", line ? line : "mtcsim life");
    free(line);
    sim_error err;
    sim_error_clear(&err);
    /* the scenario: --scenario FILE (never over an existing file without
     * --force), else a file in a private folder (a require must not find
     * another user's mtc.lua in a shared /tmp), removed at the end */
    const char *path = o.scenario, *out = o.out;
    if (!out) {
        outputs_default_name(name, default_out, sizeof default_out);
        out = default_out;
    }
    /* before anything is written: the results file too (again, with the
     * scenario's inputs and the lock, before the run) */
    if (path && !strcmp(out, path))
        return life_error("--scenario", "%s is also the results file (-o)", path);
    if (outputs_check(out, NULL, 0, o.force, &err)) return life_error("-o", "%s", err.msg);
    if (path && outputs_check(path, NULL, 0, o.force, &err))
        return life_error("--scenario", "%s", err.msg);
    if (!path) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/mtcsim-life-XXXXXX",
                 t && *t && strlen(t) < 4000 ? t : "/tmp");
        if (!mkdtemp(dir)) {
            fprintf(stderr, "mtcsim life: cannot create a temporary folder: %s\n", strerror(errno));
            return SIM_ERR_RUNTIME;
        }
        snprintf(tmp, sizeof tmp, "%s/%s.lua", dir, name);
        path = tmp;
    }
    FILE *f = fopen(path, "w");
    const char *base = strrchr(path, '/');
    if (f) write_scenario(f, &o, base ? base + 1 : path, name, cmd);
    if (!f || ferror(f) | fclose(f)) {
        fprintf(stderr, "mtcsim life: %s: cannot write: %s\n", path, strerror(errno));
        rc = SIM_ERR_RUNTIME;
    }
    scen_config cfg;
    scen_source src;
    scen_sweep sw;
    memset(&sw, 0, sizeof sw);
    int loaded = 0, lock = -1;
    if (!rc) {
        rc = scen_load_sweep(path, NULL, 0, &cfg, &src, &sw, &err);
        loaded = !rc;
        if (rc) fprintf(stderr, "%s\n", err.msg);
    }
    if (!rc) {
        run_options opt = {.out_path = out,
                           .threads = o.threads ? o.threads : omp_get_max_threads(),
                           .quiet = 1,
                           .command_line = cmd,
                           .task_count = 1,
                           .force = o.force};
        rc = outputs_claim(out, path, &src, o.force, 1, &lock, &err);
        if (!rc) rc = sweep_main(path, NULL, 0, &cfg, &src, &sw, &opt, &err);
        outputs_unlock(out, lock, 1);
        if (rc) fprintf(stderr, "mtcsim life: %s\n", err.msg);
    }
    if (!rc) {
        printf("\nmtcsim %s life: module %s (%s), battery %g %s at %g V, %ld devices x %ld "
               "replications x %g days per option, seed %llu (the same for every option)\n\n",
               MTCSIM_VERSION, o.module, !strcmp(o.rat, "ltem") ? "LTE-M" : "NB-IoT", o.capacity,
               o.mah ? "mAh" : "Wh", o.volts, o.devices, o.reps, o.days, o.seed);
        rc = life_table_print(stdout, out, &sw, &err);
        if (rc) fprintf(stderr, "mtcsim life: %s\n", err.msg);
    }
    if (!rc)
        printf("\n  years: battery / average power, mean over the replications' fleet means (95 %% "
               "CI: Student t over the replications); p5: 5th percentile over every device; "
               "current: at the battery voltage; charge per delivered report by procedure "
               "(energy / voltage), the three largest and the largest share\n"
               "results: %s\n%s%s%s",
               out, o.scenario ? "scenario: " : "", o.scenario ? o.scenario : "",
               o.scenario ? "\n" : "");
    if (loaded) {
        scen_config_free(&cfg);
        scen_source_free(&src);
    }
    scen_sweep_free(&sw);
    if (!o.scenario) {
        remove(tmp);
        rmdir(dir);
    }
    return rc;
}
