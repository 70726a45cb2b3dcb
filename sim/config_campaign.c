/* config_campaign.c: the firmware update campaign (`campaign`, the model
 * in mac/campaign.c): its fields, value sets and checks. */
#include "sim/app.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define K(f) offsetof(mac_campaign_cfg, f)
static const char *const mode_names[] = {"none", "unicast", "multicast", NULL};
static const char *const trigger_names[] = {"page", "next_connection", NULL};

static const cf_field unicast_fields[] = {
    {.name = "trigger",
     .kind = CF_ENUM,
     .offset = K(trigger),
     .names = trigger_names,
     .doc = "how a target learns of its image: \"page\" (default): paged at its next paging "
            "occasion if it monitors paging (DRX, eDRX; a device in PSM takes it at its next "
            "connection), \"next_connection\": at its next connection (report or TAU)"},
    {.name = "spread_s",
     .kind = CF_NUM,
     .offset = K(spread_s),
     .min = 0,
     .max = 3.2e9,
     .doc = "the targets' triggers drawn uniformly over [start_s, start_s + spread_s), s; "
            "default 0 (all at start_s)"},
    {.name = "max_block_tries",
     .kind = CF_INT,
     .offset = K(max_block_tries),
     .int_bytes = 4,
     .min = 1,
     .max = 32,
     .doc = "an image block HARQ gave up on is sent again by RLC AM (TS 36.322 5.2.1, "
            "maxRetxThreshold t1 ... t32) up to this many times, then the update fails; "
            "default 8"},
    {.name = "max_parallel",
     .kind = CF_INT,
     .offset = K(max_parallel),
     .int_bytes = 4,
     .min = 0,
     .max = 1e9,
     .doc = "the update server triggers at most this many targets at a time, the next when "
            "one finishes (an assumption: servers throttle campaigns; swept in the README); "
            "multicast repairs and stragglers share the slots; 0: every target at its trigger; "
            "default 32"},
};
static const cf_table cf_campaign_unicast = {.fields = unicast_fields,
                                             .n = sizeof unicast_fields / sizeof unicast_fields[0]};

static const cf_field multicast_fields[] = {
    {.name = "per_level",
     .kind = CF_BOOL,
     .offset = K(per_level),
     .doc = "one SC-PTM session per CE level at its worst receiver's repetitions (default "
            "true); false: one session at the worst receiver of all"},
    {.name = "sessions",
     .kind = CF_INT,
     .offset = K(sessions),
     .int_bytes = 4,
     .min = 1,
     .max = 1000,
     .doc = "rounds at most: a round again, repeat_s later, while targets were not reachable "
            "(PSM, busy); default 3"},
    {.name = "repeat_s",
     .kind = CF_NUM,
     .offset = K(repeat_s),
     .min = 1,
     .max = 3.2e9,
     .doc = "time between rounds, s; default 3600"},
    {.name = "lead_s",
     .kind = CF_NUM,
     .offset = K(lead_s),
     .min = 0,
     .max = 3.2e9,
     .doc = "campaign start to the first round, s: the SC-MCCH change notification reaches "
            "the monitoring targets within their paging (eDRX) cycle, so it should cover the "
            "longest; default 10.24"},
    {.name = "mcch_reps",
     .kind = CF_INT,
     .offset = K(mcch_reps),
     .int_bytes = 4,
     .min = 0,
     .max = 2048,
     .doc = "npdcch-NumRepetitions-SC-MCCH-r14 (TS 36.331 SC-MCCH-Config-NB: r1, r2, r4 ... "
            "r2048), Rmax of the SC-MCCH's DCI; 0 (default): the session's level's "
            "npdcch_rmax"},
    {.name = "mtch_reps",
     .kind = CF_INT,
     .offset = K(mtch_reps),
     .int_bytes = 4,
     .min = 0,
     .max = 2048,
     .doc = "npdcch-NumRepetitions-SC-MTCH-r14 (TS 36.331 SC-MTCH-Info-NB: r1 ... r2048), "
            "Rmax of each image block's DCI (type 2A search space, TS 36.213 16.6), the DCI "
            "taking the fewest of Rmax/8 ... Rmax its worst receiver needs; 0 (default): the "
            "session's level's npdcch_rmax"},
    {.name = "mcch_bytes",
     .kind = CF_INT,
     .offset = K(mcch_bytes),
     .int_bytes = 4,
     .min = 1,
     .max = 1000,
     .doc = "SCPTMConfiguration-NB message on SC-MCCH, bytes (assumed: one SC-MTCH-Info-NB "
            "with its TMGI, G-RNTI and scheduling); default 32"},
    {.name = "repair",
     .kind = CF_BOOL,
     .offset = K(repair),
     .doc =
         "blocks a receiver lost in its session (SC-MTCH has no HARQ) are fetched by "
         "unicast afterwards, and targets no round reached get the image by unicast after "
         "the last round (default true); false: they wait for the next round, keeping the blocks "
         "they got (block numbers in the image's framing, an assumption)"},
};
static const cf_table cf_campaign_multicast = {
    .fields = multicast_fields, .n = sizeof multicast_fields / sizeof multicast_fields[0]};

static const cf_field device_fields[] = {
    {.name = "verify_s",
     .kind = CF_NUM,
     .offset = K(verify_s),
     .min = 0,
     .max = 1e4,
     .doc = "ECDSA P-256 signature verification on the MCU, s; default 0.23 (SEGGER "
            "emSecure-ECDSA: 67.45 ms on a Cortex-M7 at 216 MHz, i.e. 14.6 M cycles, taken at "
            "64 MHz, an nRF52-class Cortex-M4: an assumption)"},
    {.name = "hash_s_per_kb",
     .kind = CF_NUM,
     .offset = K(hash_s_per_kb),
     .min = 0,
     .max = 100,
     .doc = "SHA-256 per KiB of image, s; default 0.0031 (195 cycles per byte, Microchip's "
            "software SHA-256 for ECDSA verification, at 64 MHz)"},
    {.name = "flash_s_per_kb",
     .kind = CF_NUM,
     .offset = K(flash_s_per_kb),
     .min = 0,
     .max = 100,
     .doc = "flash erase and write per KiB, s; default 0.0317 (nRF52832 NVMC: 41 us per "
            "32-bit word written, 85 ms per 4 KiB page erased: an assumption from its "
            "product specification)"},
    {.name = "mcu_mw",
     .kind = CF_NUM,
     .offset = K(mcu_mw),
     .min = 0,
     .max = 1e4,
     .doc = "MCU (and flash) draw while verifying, hashing and writing, mW; default 10 (about "
            "3 mA at 3.3 V: an assumption, swept in the README)"},
};
static const cf_table cf_campaign_device = {.fields = device_fields,
                                            .n = sizeof device_fields / sizeof device_fields[0]};

static const cf_field campaign_fields[] = {
    {.name = "mode",
     .kind = CF_ENUM,
     .offset = K(mode),
     .names = mode_names,
     .doc = "\"none\" (default), \"unicast\" (each target fetches the image over its own "
            "connection) or \"multicast\" (SC-PTM sessions, TS 36.331 5.8a)"},
    {.name = "image_bytes",
     .kind = CF_NUM,
     .offset = K(image_bytes),
     .min = 1,
     .max = 1e8,
     .doc = "the signed image, bytes; default 200000"},
    {.name = "start_s",
     .kind = CF_NUM,
     .offset = K(start_s),
     .min = 0,
     .max = 3.2e9,
     .doc = "the campaign starts, s since the start of the run; default 0"},
    {.name = "groups",
     .kind = CF_STR,
     .offset = K(groups),
     .elem_size = MAC_FOTA_GROUPS_LEN,
     .doc = "the target groups, their names separated by commas (\"meters,trackers\"); "
            "default \"\": every group"},
    {.name = "unicast",
     .kind = CF_TABLE,
     .offset = 0,
     .sub = &cf_campaign_unicast,
     .doc = "unicast delivery"},
    {.name = "multicast",
     .kind = CF_TABLE,
     .offset = 0,
     .sub = &cf_campaign_multicast,
     .doc = "SC-PTM delivery"},
    {.name = "device",
     .kind = CF_TABLE,
     .offset = 0,
     .sub = &cf_campaign_device,
     .doc = "the secure update on the device's MCU"},
};
#undef K
const cf_table cf_campaign = {.fields = campaign_fields,
                              .n = sizeof campaign_fields / sizeof campaign_fields[0]};

static int has_group(const scen_config *c, const char *name, size_t len)
{
    for (uint32_t g = 0; g < c->n_groups; g++)
        if (strlen(c->groups[g].name) == len && strncmp(c->groups[g].name, name, len) == 0)
            return 1;
    return 0;
}

int scen_campaign_check(const scen_config *c, char *path, size_t path_len, char *why,
                        size_t why_len)
{
    const mac_campaign_cfg *k = &c->radio.campaign;
    if (k->mode == MAC_FOTA_NONE) return 0;
    size_t len;
    for (const char *p = k->groups; (p = mac_campaign_group_next(p, &len)) != NULL;) {
        if (!has_group(c, p, len)) {
            snprintf(path, path_len, "campaign.groups");
            snprintf(why, why_len, "\"%.*s\" is not the name of a group of devices", (int)len, p);
            return -1;
        }
        p = strchr(p, ',');
        if (p) p++;
    }
    if (k->start_s >= c->duration_s) {
        char a[32], b[32];
        snprintf(path, path_len, "campaign.start_s");
        snprintf(why, why_len, "%s s is not before the end of the run (duration %s s)",
                 cf_shortest(a, sizeof a, k->start_s), cf_shortest(b, sizeof b, c->duration_s));
        return -1;
    }
    const struct {
        int v;
        const char *field, *ie;
    } reps[2] = {{k->mcch_reps, "mcch_reps", "SC-MCCH"}, {k->mtch_reps, "mtch_reps", "SC-MTCH"}};
    /* NB-IoT npdcch-NumRepetitions-SC-MCCH/-SC-MTCH-r14 r1 ... r2048; LTE-M
     * mpdcch-NumRepetition-SC-MCCH/-SC-MTCH-r14 r1 ... r256 */
    const int lt = c->radio.rat == MAC_RAT_LTEM, top = lt ? 256 : 2048;
    for (int i = 0; i < 2; i++)
        if (reps[i].v != 0 && !(reps[i].v <= top && (reps[i].v & (reps[i].v - 1)) == 0)) {
            snprintf(path, path_len, "campaign.multicast.%s", reps[i].field);
            snprintf(why, why_len,
                     "%d is not in %s-%s-r14's set (1, 2, 4 ... %d; 0: the level's %s)", reps[i].v,
                     lt ? "mpdcch-NumRepetition" : "npdcch-NumRepetitions", reps[i].ie, top,
                     lt ? "mpdcch_rmax" : "npdcch_rmax");
            return -1;
        }
    return 0;
}
