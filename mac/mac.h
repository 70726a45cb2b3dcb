/* mac.h: the procedures of a cell and its devices.
 *
 * Until the NB-IoT issue lands, a report is sent by the PLACEHOLDER EXCHANGE:
 * a fixed-duration transmission followed by a fixed-duration reception,
 * durations from the scenario (devices[i].exchange), powers from the
 * device's module profile. No random access, no shared channel: devices do
 * not interact. Everything else (traffic, buffering, latency, energy) is the
 * real machinery the radio models will drive.
 */
#ifndef MTCSIM_MAC_H
#define MTCSIM_MAC_H

#include "sim/sim.h"
#include "traffic/traffic.h"
#include "energy/energy.h"

/* Placeholder exchange of one report (replaced by the NB-IoT procedures). */
typedef struct mac_exchange_cfg {
    double tx_s; /* transmit time per report */
    double rx_s; /* receive time per report (acknowledgement) */
} mac_exchange_cfg;

/* One group of identical devices (a row of the scenario's `devices` list). */
typedef struct mac_group_cfg {
    char name[64];
    uint32_t count;
    traffic_cfg traffic;
    energy_profile module;
    energy_battery battery;
    mac_exchange_cfg exchange;
    energy_state sleep_state; /* state between reports: ENERGY_PSM or ENERGY_IDLE */
    uint32_t max_pending;     /* device buffer: reports beyond it are dropped */
} mac_group_cfg;

void mac_group_cfg_default(mac_group_cfg *g);

typedef struct mac_cell_cfg {
    const mac_group_cfg *groups;
    uint32_t n_groups;
    sim_time_t duration; /* simulated interval [0, duration) */
    uint64_t seed;
    uint32_t replication;
    uint32_t cell;
} mac_cell_cfg;

/* RNG purposes (the `purpose` word of sim_rng_key) used by this model. */
enum { MAC_RNG_TRAFFIC = 1, MAC_RNG_PAYLOAD = 2 };

/* Per-device results, filled by mac_cell_finish. */
typedef struct mac_device_stats {
    uint32_t group;
    uint32_t reports_generated;
    uint32_t reports_delivered;
    uint32_t reports_dropped;
    uint32_t reports_pending; /* generated, not delivered, not dropped at the end */
    uint64_t bytes_delivered;
    double latency_ms_mean; /* NAN when nothing was delivered */
    double latency_ms_p50;
    double latency_ms_p95;
    double latency_ms_max;
    energy_account energy; /* closed at the end of the run */
    double avg_power_mw;
    double battery_life_years;
} mac_device_stats;

/* Cell-level results, filled by mac_cell_finish. */
typedef struct mac_cell_stats {
    uint32_t devices;
    uint64_t reports_generated;
    uint64_t reports_delivered;
    uint64_t reports_dropped;
    uint64_t reports_pending;
    uint64_t bytes_delivered;
    double latency_ms_mean;
    double latency_ms_p50;
    double latency_ms_p95;
    double latency_ms_max;
    double energy_j;
} mac_cell_stats;

typedef struct mac_cell mac_cell;

/* Builds the cell's devices, registers handlers on e and schedules each
 * device's first report. NULL with err set on failure. */
mac_cell *mac_cell_create(const mac_cell_cfg *cfg, sim_engine *e, sim_error *err);
void mac_cell_destroy(mac_cell *c);
/* Closes energy accounts at the end of the run and computes the stats. */
int mac_cell_finish(mac_cell *c, sim_error *err);
const mac_device_stats *mac_cell_device_stats(const mac_cell *c, uint32_t *n);
const mac_cell_stats *mac_cell_stats_get(const mac_cell *c);
/* Bytes of model memory (devices, report buffers, latency log). */
size_t mac_cell_bytes(const mac_cell *c);

#endif
