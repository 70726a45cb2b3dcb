/* config.c: the configuration schema, defaults, checks, and its printed and
 * JSON forms. No Lua here: scenario.c walks the Lua table with this schema.
 *
 * Every field a scenario may set is listed once, with its range and a doc
 * string naming the unit and the source of its default. The defaults are
 * the values the modules' *_default() functions put in the structs.
 */
#include "sim/app.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define ARR(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(k) (1u << (k))

static const char *const queue_names[] = {"heap", "radix", NULL};
static const char *const traffic_names[] = {
    "periodic", "poisson", "burst_uniform", "burst_beta", "tr45820_mix", "none", NULL};
static const char *const payload_names[] = {"fixed", "uniform", "pareto", NULL};

/* ----------------------------------------------------------------- payload */
#define P(f) offsetof(traffic_payload_cfg, f)
static const cf_field payload_fields[] = {
    {.name = "kind",
     .kind = CF_ENUM,
     .offset = P(kind),
     .names = payload_names,
     .doc = "payload size distribution; default pareto (TR 45.820 Annex E)"},
    {.name = "bytes",
     .kind = CF_NUM,
     .offset = P(bytes),
     .min = 1,
     .max = 1e9,
     .when = BIT(PAYLOAD_FIXED),
     .doc = "bytes per report"},
    {.name = "min_bytes",
     .kind = CF_NUM,
     .offset = P(min_bytes),
     .min = 0,
     .min_open = 1,
     .max = 1e9,
     .when = BIT(PAYLOAD_UNIFORM) | BIT(PAYLOAD_PARETO),
     .doc = "lower bound, bytes; default 20 (commonly used with TR 45.820, unconfirmed)"},
    {.name = "max_bytes",
     .kind = CF_NUM,
     .offset = P(max_bytes),
     .min = 0,
     .min_open = 1,
     .max = 1e9,
     .when = BIT(PAYLOAD_UNIFORM) | BIT(PAYLOAD_PARETO),
     .doc = "upper bound (cut-off), bytes; default 200 (commonly used, unconfirmed)"},
    {.name = "shape",
     .kind = CF_NUM,
     .offset = P(shape),
     .min = 0,
     .min_open = 1,
     .max = 100,
     .when = BIT(PAYLOAD_PARETO),
     .doc = "Pareto shape alpha; default 2.5 (TR 45.820 Annex E)"},
};
#undef P
static const cf_table payload_table = {
    .fields = payload_fields, .n = ARR(payload_fields), .tag = "kind"};

/* ----------------------------------------------------------------- traffic */
#define T(f)   offsetof(traffic_cfg, f)
#define PER    BIT(TRAFFIC_PERIODIC)
#define BURSTS (BIT(TRAFFIC_BURST_UNIFORM) | BIT(TRAFFIC_BURST_BETA))
#define SENDS  (~BIT(TRAFFIC_NONE))
static const cf_field traffic_fields[] = {
    {.name = "kind",
     .kind = CF_ENUM,
     .offset = T(kind),
     .names = traffic_names,
     .doc = "arrival process; default tr45820_mix (TR 45.820 Annex E); downlink commands: default "
            "none"},
    {.name = "period_s",
     .kind = CF_NUM,
     .offset = T(period_s),
     .min = 1e-3,
     .max = 1e9,
     .when = PER,
     .doc = "report period, s (at least 0.001: one subframe)"},
    {.name = "random_phase",
     .kind = CF_BOOL,
     .offset = T(random_phase),
     .when = PER,
     .doc = "first report uniform in [0, period) (else at start_s); default true"},
    {.name = "mean_interval_s",
     .kind = CF_NUM,
     .offset = T(mean_interval_s),
     .min = 1e-3,
     .max = 1e9,
     .when = BIT(TRAFFIC_POISSON),
     .doc = "mean time between reports, s (at least 0.001: one subframe)"},
    {.name = "start_s",
     .kind = CF_NUM,
     .offset = T(start_s),
     .min = 0,
     .max = 1e9,
     .when = PER | BURSTS,
     .doc = "burst window start (or first periodic report without phase), s"},
    {.name = "spread_s",
     .kind = CF_NUM,
     .offset = T(spread_s),
     .min = 0,
     .max = 1e9,
     .when = BURSTS,
     .doc = "burst window length, s; TR 37.868: 60 (model 1), 10 (model 2)"},
    {.name = "beta_a",
     .kind = CF_NUM,
     .offset = T(beta_a),
     .min = 0,
     .min_open = 1,
     .max = 1e3,
     .when = BIT(TRAFFIC_BURST_BETA),
     .doc = "Beta shape a; TR 37.868 model 2: 3"},
    {.name = "beta_b",
     .kind = CF_NUM,
     .offset = T(beta_b),
     .min = 0,
     .min_open = 1,
     .max = 1e3,
     .when = BIT(TRAFFIC_BURST_BETA),
     .doc = "Beta shape b; TR 37.868 model 2: 4"},
    {.name = "mix_share",
     .kind = CF_NUMLIST,
     .offset = T(mix_share),
     .min = 0,
     .max = 1,
     .elem_size = TRAFFIC_MIX_MAX,
     .count_offset = T(mix_count),
     .min_count = 1,
     .max_count = TRAFFIC_MIX_MAX,
     .when = BIT(TRAFFIC_TR45820_MIX),
     .doc = "share of devices per class; default 0.4, 0.4, 0.15, 0.05 (TR 45.820 Annex E)"},
    {.name = "mix_period_s",
     .kind = CF_NUMLIST,
     .offset = T(mix_period_s),
     .min = 1e-3,
     .max = 1e9,
     .elem_size = TRAFFIC_MIX_MAX,
     .count_offset = T(mix_count),
     .min_count = 1,
     .max_count = TRAFFIC_MIX_MAX,
     .when = BIT(TRAFFIC_TR45820_MIX),
     .doc = "period per class, s; default 86400, 7200, 3600, 1800 (TR 45.820 Annex E)"},
    {.name = "payload",
     .kind = CF_TABLE,
     .offset = T(payload),
     .sub = &payload_table,
     .when = SENDS,
     .doc = "report size"},
};
#undef T
const cf_table cf_traffic = {.fields = traffic_fields, .n = ARR(traffic_fields), .tag = "kind"};

/* ------------------------------------------------------------------ module */
#define PW(s) (offsetof(energy_profile, power_mw) + (s) * sizeof(double))
static const cf_field module_fields[] = {
    {.name = "tx_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_TX),
     .min = 0,
     .max = 1e5,
     .doc = "transmit power draw, mW; default 543 (TR 45.820 method at 23 dBm, unconfirmed)"},
    {.name = "rx_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_RX),
     .min = 0,
     .max = 1e5,
     .doc = "receive power draw, mW; default 90 (TR 45.820 method, unconfirmed)"},
    {.name = "connected_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_CONNECTED),
     .min = 0,
     .max = 1e5,
     .doc = "connected, not sending or receiving, mW; default 3 (as light sleep)"},
    {.name = "cdrx_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_CDRX),
     .min = 0,
     .max = 1e5,
     .doc = "connected-mode DRX sleep between on-durations, mW; idle_mw when not given (the "
            "same receiver-off sleep; assumption)"},
    {.name = "idle_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_IDLE),
     .min = 0,
     .max = 1e5,
     .doc = "idle light sleep, mW; default 3 (TR 45.820 method; some quote 2.4)"},
    {.name = "edrx_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_EDRX),
     .min = 0,
     .max = 1e5,
     .doc = "eDRX sleep between paging windows, mW; default 0.015 (deep sleep, TR 45.820 method)"},
    {.name = "psm_mw",
     .kind = CF_NUM,
     .offset = PW(ENERGY_PSM),
     .min = 0,
     .max = 1e5,
     .doc = "PSM deep sleep, mW; default 0.015 (TR 45.820 method)"},
    {.name = "cdrx",
     .kind = CF_BOOL,
     .offset = offsetof(energy_profile, cdrx),
     .doc = "the module applies connected-mode DRX when the cell configures it (cell.cdrx); "
            "default true (every Rel-13 device, TS 36.321 5.7)"},
    {.name = "tx_ref_dbm",
     .kind = CF_NUM,
     .offset = offsetof(energy_profile, tx_ref_dbm),
     .min = -40,
     .max = 33,
     .doc = "output power at which tx_mw was measured, dBm; default 23"},
    {.name = "pa_efficiency",
     .kind = CF_NUM,
     .offset = offsetof(energy_profile, pa_efficiency),
     .min = 0,
     .min_open = 1,
     .max = 1,
     .doc = "PA efficiency: lower output saves (P_ref - P_out) / efficiency; default 0.45 "
            "(behind the quoted 543 mW, unconfirmed)"},
    {.name = "tx_table_dbm",
     .kind = CF_NUMLIST,
     .offset = offsetof(energy_profile, tx_dbm),
     .min = -50,
     .max = 33,
     .elem_size = ENERGY_TX_TABLE_MAX,
     .count_offset = offsetof(energy_profile, tx_n),
     .min_count = 2,
     .max_count = ENERGY_TX_TABLE_MAX,
     .doc = "measured transmit output levels, dBm, increasing (with tx_table_mw; replaces the PA "
            "curve)"},
    {.name = "tx_table_mw",
     .kind = CF_NUMLIST,
     .offset = offsetof(energy_profile, tx_mw),
     .min = 0,
     .max = 1e5,
     .elem_size = ENERGY_TX_TABLE_MAX,
     .count_offset = offsetof(energy_profile, tx_n),
     .min_count = 2,
     .max_count = ENERGY_TX_TABLE_MAX,
     .doc = "supply power at those levels, mW"},
};
#undef PW
const cf_table cf_module = {.fields = module_fields, .n = ARR(module_fields)};

static const char *const rating_names[] = {"wh", "mah", NULL};
static const char *const sd_names[] = {"proportional", "linear", NULL};
#define B(f) offsetof(energy_battery, f)
static const cf_field battery_fields[] = {
    {.name = "rating",
     .kind = CF_ENUM,
     .offset = B(rating),
     .names = rating_names,
     .doc = "how the capacity is given: wh (default) or mah at voltage_v"},
    {.name = "capacity_wh",
     .kind = CF_NUM,
     .offset = B(capacity_wh),
     .min = 0,
     .min_open = 1,
     .max = 1e6,
     .when = BIT(BATTERY_RATED_WH),
     .doc = "rated energy, Wh; default 5 (TR 45.820)"},
    {.name = "capacity_mah",
     .kind = CF_NUM,
     .offset = B(capacity_mah),
     .min = 0,
     .min_open = 1,
     .max = 1e8,
     .required = 1,
     .when = BIT(BATTERY_RATED_MAH),
     .doc = "rated charge, mAh"},
    {.name = "voltage_v",
     .kind = CF_NUM,
     .offset = B(voltage_v),
     .min = 0,
     .min_open = 1,
     .max = 100,
     .doc =
         "nominal voltage, V: turns capacity_mah into energy, and the average current (summary, "
         "/devices/avg_current_ua) is power / voltage_v; default 3.6 (lithium thionyl chloride)"},
    {.name = "usable_fraction",
     .kind = CF_NUM,
     .offset = B(usable_fraction),
     .min = 0,
     .min_open = 1,
     .max = 1,
     .doc = "share usable before the cut-off voltage; default 1 (TR 45.820 counts it all)"},
    {.name = "derating",
     .kind = CF_NUM,
     .offset = B(derating),
     .min = 0,
     .min_open = 1,
     .max = 1.5,
     .doc = "temperature derating of the capacity (1 at the rating temperature); default 1"},
    {.name = "self_discharge_per_year",
     .kind = CF_NUM,
     .offset = B(self_discharge_per_year),
     .min = 0,
     .max = 1,
     .doc = "share of the charge lost per year (Li-SOCl2 ~ 0.01); default 0 (TR 45.820 "
            "ignores leakage)"},
    {.name = "self_discharge",
     .kind = CF_ENUM,
     .offset = B(self_discharge),
     .names = sd_names,
     .doc = "proportional (of the remaining charge, default) or linear (of the rated charge)"},
};
#undef B
static const cf_table battery_table = {
    .fields = battery_fields, .n = ARR(battery_fields), .tag = "rating"};

/* ------------------------------------------------------------------ group */
#define G(f) offsetof(mac_group_cfg, f)
static const cf_field group_fields[] = {
    {.name = "name",
     .kind = CF_STR,
     .offset = G(name),
     .elem_size = sizeof(((mac_group_cfg *)0)->name),
     .doc = "label of the group in summaries; default \"devices\""},
    {.name = "count",
     .kind = CF_INT,
     .offset = G(count),
     .int_bytes = 4,
     .min = 1,
     .max = 1e8,
     .required = 1,
     .doc = "number of devices in the group"},
    {.name = "traffic",
     .kind = CF_TABLE,
     .offset = G(traffic),
     .sub = &cf_traffic,
     .doc = "what the devices send and when"},
    {.name = "module",
     .kind = CF_TABLE,
     .offset = G(module),
     .sub = &cf_module,
     .doc = "power draw per state"},
    {.name = "battery",
     .kind = CF_TABLE,
     .offset = G(battery),
     .sub = &battery_table,
     .doc = "battery"},
    {.name = "coverage",
     .kind = CF_TABLE,
     .offset = G(coverage),
     .sub = &cf_coverage,
     .doc = "coupling-loss distribution of the group"},
    {.name = "rai",
     .kind = CF_BOOL,
     .offset = G(rai),
     .doc = "release assistance (Rel-14 RAI; rai-Activation-r14): release once the buffer is "
            "empty; default false (the device must ask; reported to work on NB-IoT networks, "
            "rarely on LTE-M)"},
    {.name = "answer",
     .kind = CF_BOOL,
     .offset = G(answer),
     .doc = "the application expects an acknowledgement down per report (cell.dl_ack_bytes); "
            "with rai the release follows it, without one the release follows the uplink; "
            "default true"},
    {.name = "stack",
     .kind = CF_TABLE,
     .offset = G(stack),
     .sub = &cf_stack,
     .doc = "application protocol stack (scenarios/lib/stacks.lua); default none"},
    {.name = "edt",
     .kind = CF_BOOL,
     .offset = G(edt),
     .doc = "EDT capable (Rel-15), used where cell.edt allows it; default true"},
    {.name = "tx_max_dbm",
     .kind = CF_NUM,
     .offset = G(tx_max_dbm),
     .min = 14,
     .max = 23,
     .doc = "power class, dBm (TS 36.101 Table 6.2.2F-1 NB-IoT, 6.2.2EA-1 LTE-M): 23 (class 3), "
            "20 (class 5) or 14 (class 6, Rel-14); capped by cell.p_max_dbm; default 23"},
    {.name = "idle",
     .kind = CF_TABLE,
     .offset = G(idle),
     .sub = &cf_idle,
     .doc = "idle-mode requests: DRX, eDRX, PSM timers, WUS"},
    {.name = "downlink",
     .kind = CF_TABLE,
     .offset = G(downlink),
     .sub = &cf_downlink,
     .doc = "network commands to the devices (TR 45.820 network command)"},
    {.name = "pur",
     .kind = CF_TABLE,
     .offset = G(pur),
     .sub = &cf_pur,
     .doc = "preconfigured uplink resources requested (Rel-16 PUR)"},
    {.name = "max_pending",
     .kind = CF_INT,
     .offset = G(max_pending),
     .int_bytes = 4,
     .min = 1,
     .max = 65535,
     .doc = "device buffer, reports; more are dropped; default 16"},
};
#undef G

static void group_init(void *g)
{
    mac_group_cfg_default(g);
}
static const cf_table group_table = {.fields = group_fields, .n = ARR(group_fields)};

static const cf_field engine_fields[] = {
    {.name = "queue",
     .kind = CF_ENUM,
     .offset = 0,
     .names = queue_names,
     .doc = "event queue: radix (default, fast) or heap (baseline)"},
};
static const cf_table engine_table = {.fields = engine_fields, .n = ARR(engine_fields)};

/* -------------------------------------------------------------------- root */
#define S(f) offsetof(scen_config, f)
static const cf_field root_fields[] = {
    {.name = "name",
     .kind = CF_STR,
     .offset = S(name),
     .elem_size = sizeof(((scen_config *)0)->name),
     .doc = "scenario name; default the file name"},
    {.name = "duration",
     .kind = CF_NUM,
     .offset = S(duration_s),
     .min = 0,
     .min_open = 1,
     .max = 3.2e9,
     .doc = "simulated time per replication, s; default 86400"},
    {.name = "seed",
     .kind = CF_INT,
     .offset = S(seed),
     .int_bytes = 8,
     .min = 0,
     .max = 9007199254740991.0,
     .doc = "base seed of all random streams; default 1"},
    {.name = "replications",
     .kind = CF_INT,
     .offset = S(replications),
     .int_bytes = 4,
     .min = 1,
     .max = 100000,
     .doc = "independent replications; default 1"},
    {.name = "common_random_numbers",
     .kind = CF_BOOL,
     .offset = S(common_random_numbers),
     .doc = "sweeps: every point uses the base seed (common random numbers) instead of a seed "
            "derived from (seed, point); default false"},
    {.name = "cell",
     .kind = CF_TABLE,
     .offset = S(radio),
     .sub = &cf_cell,
     .doc = "the cell (NB-IoT or LTE-M)"},
    {.name = "engine",
     .kind = CF_TABLE,
     .offset = S(queue),
     .sub = &engine_table,
     .doc = "event engine"},
    {.name = "timeseries",
     .kind = CF_TABLE,
     .offset = S(timeseries),
     .sub = &cf_timeseries,
     .doc = "per-cell time series in /timeseries"},
    {.name = "trace",
     .kind = CF_TABLE,
     .offset = S(trace),
     .sub = &cf_trace,
     .doc = "per-event log of chosen devices in /trace (off unless devices or a window given)"},
    {.name = "campaign",
     .kind = CF_TABLE,
     .offset = S(radio) + offsetof(mac_radio_cfg, campaign),
     .sub = &cf_campaign,
     .doc = "a firmware update campaign (unicast or SC-PTM multicast), its results in "
            "/campaign; none by default"},
    {.name = "devices",
     .kind = CF_LIST,
     .offset = S(groups),
     .sub = &group_table,
     .elem_size = sizeof(mac_group_cfg),
     .count_offset = S(n_groups),
     .min_count = 1,
     .max_count = 1000,
     .init = group_init,
     .required = 1,
     .doc = "device groups"},
};
#undef S
const cf_table cf_scenario = {.fields = root_fields, .n = ARR(root_fields)};

/* ------------------------------------------------------------------ access */

void scen_config_default(scen_config *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->name, "scenario");
    c->duration_s = 86400;
    c->seed = 1;
    c->replications = 1;
    c->queue = SIM_QUEUE_RADIX;
    mac_radio_cfg_default(&c->radio);
    scen_timeseries_default(&c->timeseries);
    scen_trace_default(&c->trace);
}

void scen_config_free(scen_config *c)
{
    free(c->groups);
    c->groups = NULL;
    c->n_groups = 0;
}

const cf_field *cf_find(const cf_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->fields[i].name, name) == 0) return &t->fields[i];
    return NULL;
}

const cf_field *cf_find_at(const cf_table *t, const char *name, const void *base)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->fields[i].name, name) == 0 && cf_applies(t, &t->fields[i], base))
            return &t->fields[i];
    return cf_find(t, name);
}

int cf_tag_value(const cf_table *t, const void *base)
{
    if (!t->tag) return -1;
    const cf_field *f = cf_find(t, t->tag);
    return *(const int *)((const char *)base + f->offset);
}

int cf_applies(const cf_table *t, const cf_field *f, const void *base)
{
    int tag = cf_tag_value(t, base);
    return f->when == 0 || tag < 0 || (f->when & BIT(tag)) != 0;
}

int cf_module_check(const energy_profile *m, const char **field, char *why, size_t why_len)
{
    for (int i = 1; i < m->tx_n; i++)
        if (!(m->tx_dbm[i] > m->tx_dbm[i - 1])) {
            *field = "tx_table_dbm";
            snprintf(why, why_len, "must increase (item %d)", i + 1);
            return -1;
        }
    double pa_in = pow(10, m->tx_ref_dbm / 10) / m->pa_efficiency;
    if (m->power_mw[ENERGY_TX] < pa_in) {
        *field = "tx_mw";
        snprintf(why, why_len, "must be at least the PA input at tx_ref_dbm, %.1f mW", pa_in);
        return -1;
    }
    return 0;
}

int scen_config_check(const scen_config *c, char *path, size_t path_len, char *why, size_t why_len)
{
    char cell_field[128];
    if (mac_radio_cfg_check(&c->radio, cell_field, sizeof cell_field, why, why_len) != 0) {
        snprintf(path, path_len, "cell.%s", cell_field);
        return -1;
    }
    for (uint32_t g = 0; c->radio.layout_sites > 0 && g < c->n_groups; g++) {
        const phy_coverage_cfg *cv = &c->groups[g].coverage;
        if (cv->kind != PHY_CL_TR45820) {
            snprintf(path, path_len, "devices[%u].coverage.kind", g + 1);
            snprintf(why, why_len,
                     "must be \"tr45820\" when cell.layout_sites > 0 (devices are "
                     "placed over the layout)");
            return -1;
        }
        if (cv->isd_m != c->groups[0].coverage.isd_m) {
            snprintf(path, path_len, "devices[%u].coverage.isd_m", g + 1);
            snprintf(why, why_len, "must equal devices[1]'s in a layout (one site grid)");
            return -1;
        }
    }
    for (uint32_t g = 0; g < c->n_groups; g++) {
        const char *f = NULL;
        if (cf_coverage_check(&c->groups[g].coverage, &f, why, why_len) != 0) {
            snprintf(path, path_len, "devices[%u].coverage.%s", g + 1, f);
            return -1;
        }
        if (mac_idle_cfg_check(&c->groups[g].idle, c->radio.rat, &f, why, why_len) != 0) {
            snprintf(path, path_len, "devices[%u].idle.%s", g + 1, f);
            return -1;
        }
        if (mac_pur_cfg_check(&c->groups[g].pur, c->radio.rat, &f, why, why_len) != 0) {
            snprintf(path, path_len, "devices[%u].pur.%s", g + 1, f);
            return -1;
        }
        if (c->radio.simulate_occasions && c->groups[g].downlink.traffic.kind != TRAFFIC_NONE) {
            snprintf(path, path_len, "devices[%u].downlink.traffic.kind", g + 1);
            snprintf(why, why_len,
                     "must be \"none\" with cell.simulate_occasions (a validation "
                     "mode for idle energy)");
            return -1;
        }
        if (traffic_cfg_check(&c->groups[g].downlink.traffic, &f, why, why_len) != 0) {
            snprintf(path, path_len, "devices[%u].downlink.traffic.%s", g + 1, f);
            return -1;
        }
        if (cf_module_check(&c->groups[g].module, &f, why, why_len) != 0) {
            snprintf(path, path_len, "devices[%u].module.%s", g + 1, f);
            return -1;
        }
        const double pc = c->groups[g].tx_max_dbm;
        if (pc != 23 && pc != 20 && pc != 14) {
            snprintf(path, path_len, "devices[%u].tx_max_dbm", g + 1);
            snprintf(why, why_len,
                     "must be a power class of TS 36.101: 23 (class 3), 20 (class 5) or 14 "
                     "(class 6) dBm (got %g); cell.p_max_dbm caps the output below a class",
                     pc);
            return -1;
        }
    }
    for (uint32_t g = 0; g < c->n_groups; g++) {
        const char *field = NULL;
        if (traffic_cfg_check(&c->groups[g].traffic, &field, why, why_len) != 0) {
            snprintf(path, path_len, "devices[%u].traffic.%s", g + 1, field);
            return -1;
        }
    }
    if (scen_output_check(c, path, path_len, why, why_len) != 0) return -1;
    if (scen_campaign_check(c, path, path_len, why, why_len) != 0) return -1;
    return scen_volume_check(c, path, path_len, why, why_len);
}

/* ----------------------------------------------------------------- output */

typedef struct emitter {
    FILE *out;
    int json;
} emitter;

const char *cf_shortest(char *buf, size_t n, double v)
{
    /* 15 digits are exact for every decimal of up to 15; 17 for every double */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

static void emit_num(FILE *out, double v)
{
    char buf[32];
    cf_shortest(buf, sizeof buf, v);
    if (isfinite(v))
        fputs(buf, out);
    else
        fputs("null", out);
}

static void emit_str(FILE *out, const char *s, int json)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, json ? "\\u%04x" : "\\%03u", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void emit_value(const emitter *em, const cf_field *f, const char *p)
{
    FILE *o = em->out;
    switch (f->kind) {
    case CF_NUM:
        emit_num(o, *(const double *)p);
        break;
    case CF_INT:
        if (f->int_bytes == 8)
            fprintf(o, "%llu", (unsigned long long)*(const uint64_t *)p);
        else if (f->min < 0)
            fprintf(o, "%d", *(const int32_t *)p);
        else
            fprintf(o, "%u", *(const uint32_t *)p);
        break;
    case CF_BOOL:
        fputs(*(const int *)p ? "true" : "false", o);
        break;
    case CF_ENUM:
        emit_str(o, f->names[*(const int *)p], em->json);
        break;
    case CF_STR:
        emit_str(o, p, em->json);
        break;
    default:
        break;
    }
}

static void emit_table(const emitter *em, const cf_table *t, const void *base, const char *prefix);

static void emit_field(const emitter *em, const cf_table *t, const cf_field *f, const void *base,
                       const char *prefix, int *first)
{
    FILE *o = em->out;
    const char *p = (const char *)base + f->offset;
    char path[512];
    snprintf(path, sizeof path, "%.400s%s%.100s", prefix, *prefix ? "." : "", f->name);
    if (em->json) {
        fprintf(o, "%s\"%s\":", *first ? "" : ",", f->name);
        *first = 0;
    }
    if (f->kind == CF_TABLE) {
        if (em->json) fputc('{', o);
        emit_table(em, f->sub, p, path);
        if (em->json) fputc('}', o);
        return;
    }
    if (f->kind == CF_LIST || f->kind == CF_ARRAY) {
        uint32_t n = f->kind == CF_LIST
                         ? *(const uint32_t *)((const char *)base + f->count_offset)
                         : (uint32_t) * (const int *)((const char *)base + f->count_offset);
        const char *elems = f->kind == CF_LIST ? *(const char *const *)p : p;
        if (em->json) fputc('[', o);
        for (uint32_t i = 0; i < n; i++) {
            char ipath[540];
            snprintf(ipath, sizeof ipath, "%s[%u]", path, i + 1);
            if (em->json) fprintf(o, "%s{", i ? "," : "");
            emit_table(em, f->sub, elems + (size_t)i * f->elem_size, ipath);
            if (em->json) fputc('}', o);
        }
        if (em->json) fputc(']', o);
        return;
    }
    if (!em->json) fprintf(o, "%s = ", path);
    if (f->kind == CF_NUMLIST) {
        int n = *(const int *)((const char *)base + f->count_offset);
        fputs(em->json ? "[" : "{", o);
        for (int i = 0; i < n; i++) {
            if (i) fputs(em->json ? "," : ", ", o);
            emit_num(o, ((const double *)p)[i]);
        }
        fputs(em->json ? "]" : "}", o);
    } else {
        emit_value(em, f, p);
    }
    if (!em->json) fprintf(o, "  -- %s\n", f->doc);
    (void)t;
}

static void emit_table(const emitter *em, const cf_table *t, const void *base, const char *prefix)
{
    int first = 1;
    for (size_t i = 0; i < t->n; i++)
        if (cf_applies(t, &t->fields[i], base))
            emit_field(em, t, &t->fields[i], base, prefix, &first);
}

/* What the network grants each group (mac_idle_grant_of): printed after
 * the requests, as `devices[i].idle.granted.*` (not settable: derived). */
static void emit_granted(const emitter *em, const scen_config *c)
{
    static const char *const names[5] = {"drx_cycle_s", "t3324_s", "t3412_s", "edrx_cycle_s",
                                         "ptw_s"};
    static const char *const docs[5] = {
        "paging cycle used: min(requested DRX, cell default) (TS 36.304 7.1)",
        "active time granted: capped by network.t3324_max_s, rounded up to a GPRS timer 2 "
        "value (TS 24.008 10.5.7.3); -1: no PSM",
        "periodic TAU granted: floored by network.t3412_min_s, rounded up to a GPRS timer 3 "
        "value (TS 24.008 10.5.7.4a)",
        "eDRX cycle granted (0: none; only if network.edrx_allowed)",
        "paging time window granted with eDRX (0: none)"};
    FILE *o = em->out;
    if (em->json) fputs(",\"granted\":{\"devices\":[", o);
    for (uint32_t g = 0; g < c->n_groups; g++) {
        mac_idle_grant gr;
        mac_idle_grant_of(&c->radio, &c->groups[g].idle, &gr);
        const double v[5] = {gr.drx_cycle_s, gr.t3324_s, gr.t3412_s, gr.edrx_cycle_s, gr.ptw_s};
        if (em->json) fprintf(o, "%s{\"idle\":{", g ? "," : "");
        for (int k = 0; k < 5; k++) {
            if (em->json) {
                fprintf(o, "%s\"%s\":", k ? "," : "", names[k]);
                emit_num(o, v[k]);
            } else {
                fprintf(o, "devices[%u].idle.granted.%s = ", g + 1, names[k]);
                emit_num(o, v[k]);
                fprintf(o, "  -- %s\n", docs[k]);
            }
        }
        if (em->json) fputs("}}", o);
    }
    if (em->json) fputs("]}", o);
}

/* The link model and where each channel's calibration comes from:
 * `cell.link.source.<channel>` (not settable: documentation). */
static void emit_link_sources(const emitter *em, const scen_config *c)
{
    const phy_link_cfg *l = &c->radio.link;
    FILE *o = em->out;
    if (em->json) fputs(",\"link_sources\":{", o);
    for (int ch = 0; ch < PHY_CH_COUNT; ch++) {
        const char *src = phy_chan_source(l->calibration, (phy_chan)ch);
        const int user = !phy_cal_is_set(l, (phy_chan)ch);
        if (em->json)
            fprintf(o, "%s\"%s\":\"%s%s\"", ch ? "," : "", phy_chan_name((phy_chan)ch),
                    user ? "user-set; the set's: " : "", src);
        else
            fprintf(o,
                    "cell.link.source.%s = \"%s%s\"  -- read-only: where this channel's "
                    "calibration comes from (%s set, phy/calib.c)\n",
                    phy_chan_name((phy_chan)ch), user ? "user-set; the set's: " : "", src,
                    phy_cal_set_name(l->calibration));
    }
    if (em->json) fputc('}', o);
}

/* The cell's link budget (mac/budget.c): `cell.budget.*`, documentation. */
static void emit_budget(const emitter *em, const scen_config *c)
{
    mac_budget b;
    if (mac_budget_of(&c->radio, &b) != 0) return;
    FILE *o = em->out;
    const int n = c->radio.n_ce;
    if (em->json) {
        fputs(",\"budget\":{\"planned_db\":", o);
        emit_num(o, b.planned_db);
        fputs(",\"edge_db\":", o);
        emit_num(o, b.edge_db);
        fprintf(o, ",\"limit\":\"%s\",\"level_edges_db\":[", b.limit);
        for (int k = 0; k < n; k++) {
            if (k) fputc(',', o);
            emit_num(o, b.level_edge_db[k]);
        }
        fputs("]}", o);
        return;
    }
    fprintf(o,
            "cell.budget.planned_db = %.2f  -- read-only: the coupling loss the last CE level is "
            "planned for: mcl_db moved into this link's device power, eNB noise figure and "
            "receive antennas\n",
            b.planned_db);
    fprintf(o,
            "cell.budget.edge_db = %.2f  -- read-only: the largest coupling loss at which a "
            "device of the link's power class reaches the last CE level (link abstraction, "
            "this calibration); %s ends it\n",
            b.edge_db, b.limit);
    fputs("cell.budget.level_edges_db = {", o);
    for (int k = 0; k < n; k++) {
        if (k) fputs(", ", o);
        fprintf(o, "%.2f", b.level_edge_db[k]);
    }
    fputs("}  -- read-only: where each CE level ends (RSRP thresholds; the last: planned_db)\n", o);
    /* groups of another power class reach less far (or further) */
    for (uint32_t g = 0; g < c->n_groups; g++) {
        mac_budget bg;
        const double pc = mac_pcmax_dbm(&c->radio, c->groups[g].tx_max_dbm);
        if (pc == mac_pcmax_dbm(&c->radio, c->radio.link.ue_max_dbm) ||
            mac_budget_at(&c->radio, c->groups[g].tx_max_dbm, &bg) != 0)
            continue;
        fprintf(o,
                "devices[%u].budget.edge_db = %.2f  -- read-only: the edge of this group's %g dBm "
                "devices; %s ends it\n",
                g + 1, bg.edge_db, pc, bg.limit);
    }
}

/* A power in mW to 4 significant digits, and the current it is at volts. */
static void fmt_mw(char *buf, size_t n, double mw)
{
    snprintf(buf, n, "%.4g", mw);
}
static void fmt_current(char *buf, size_t n, double mw, double volts)
{
    double ma = mw / volts;
    if (ma >= 1)
        snprintf(buf, n, "%.4g mA", ma);
    else
        snprintf(buf, n, "%.4g uA", ma * 1000);
}

void scen_modules_print(const scen_module_info *m, size_t n, FILE *out)
{
    static const char *const states[] = {"RX", "connected", "idle", "eDRX", "PSM", "C-DRX sleep"};
    fprintf(out,
            "-- %zu module profiles (scenarios/lib/modules.lua, require \"modules\" or "
            "mtc.modules.NAME): power drawn per state in mW; the currents below each row are "
            "power / supply V at the voltage the figures were given for\n\n",
            n);
    fprintf(out, "%-10s %-14s %8s %17s %9s %12s %9s %9s %9s %14s %6s\n", "name", "RAT(s)",
            "supply V", "TX mW at dBm", "RX mW", "connected mW", "idle mW", "eDRX mW", "PSM mW",
            "C-DRX sleep mW", "C-DRX");
    for (size_t i = 0; i < n; i++) {
        const energy_profile *p = &m[i].profile;
        /* a measured table: its top entry; else the draw at tx_ref_dbm */
        const int table = p->tx_n >= 2;
        const double tx_mw = table ? p->tx_mw[p->tx_n - 1] : p->power_mw[ENERGY_TX];
        const double tx_dbm = table ? p->tx_dbm[p->tx_n - 1] : p->tx_ref_dbm;
        const double mw[6] = {p->power_mw[ENERGY_RX],   p->power_mw[ENERGY_CONNECTED],
                              p->power_mw[ENERGY_IDLE], p->power_mw[ENERGY_EDRX],
                              p->power_mw[ENERGY_PSM],  p->power_mw[ENERGY_CDRX]};
        char tx[40], v[6][24];
        snprintf(tx, sizeof tx, "%.4g at %.4g%s", tx_mw, tx_dbm, table ? "*" : "");
        for (int k = 0; k < 6; k++)
            fmt_mw(v[k], sizeof v[k], mw[k]);
        fprintf(out, "%-10s %-14s %8.4g %17s %9s %12s %9s %9s %9s %14s %6s\n", m[i].name, m[i].rat,
                m[i].supply_v, tx, v[0], v[1], v[2], v[3], v[4], v[5], p->cdrx ? "yes" : "no");
        char c[40];
        fmt_current(c, sizeof c, tx_mw, m[i].supply_v);
        fprintf(out, "    at %.4g V: TX %s", m[i].supply_v, c);
        for (int k = 0; k < 6; k++) {
            fmt_current(c, sizeof c, mw[k], m[i].supply_v);
            fprintf(out, ", %s %s", states[k], c);
        }
        fprintf(out, "\n    source: %s\n", m[i].source);
    }
    fprintf(out, "\n* a measured transmit table (tx_table_dbm / tx_table_mw): its highest level; "
                 "otherwise tx_mw at tx_ref_dbm, lower levels by the PA efficiency. Every figure "
                 "with its document, table and assumptions: scenarios/lib/modules.lua\n");
}

void scen_config_print(const scen_config *c, FILE *out)
{
    emitter em = {out, 0};
    emit_table(&em, &cf_scenario, c, "");
    emit_granted(&em, c);
    emit_link_sources(&em, c);
    emit_budget(&em, c);
}

char *scen_config_json(const scen_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    emitter em = {f, 1};
    fputc('{', f);
    emit_table(&em, &cf_scenario, c, "");
    emit_granted(&em, c);
    emit_link_sources(&em, c);
    emit_budget(&em, c);
    fputs("}\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
