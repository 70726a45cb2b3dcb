/* one_report.h: the device group the MAC tests build most: fixed coupling
 * loss, one fixed-size report a day from start_s (no random phase); and a
 * cell run to its end. */
#ifndef MTCSIM_TESTS_MAC_ONE_REPORT_H
#define MTCSIM_TESTS_MAC_ONE_REPORT_H

#include "mac/mac.h"

static inline void one_report_group(mac_group_cfg *g, double start_s, uint32_t bytes, double cl_db)
{
    mac_group_cfg_default(g);
    g->traffic.kind = TRAFFIC_PERIODIC;
    g->traffic.period_s = 86400;
    g->traffic.random_phase = 0;
    g->traffic.start_s = start_s;
    g->traffic.payload.kind = PAYLOAD_FIXED;
    g->traffic.payload.bytes = bytes;
    g->coverage.kind = PHY_CL_FIXED;
    g->coverage.fixed_db = cl_db;
}

/* Runs one cell of configuration cc to its duration: the finished cell
 * (NULL if anything failed), its engine in *e (the caller destroys both). */
static inline mac_cell *one_cell_run(const mac_cell_cfg *cc, sim_engine **e)
{
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 64};
    *e = sim_engine_create(&ec, &err);
    mac_cell *c = *e ? mac_cell_create(cc, *e, &err) : NULL;
    if (c &&
        (sim_engine_run(*e, cc->duration, &err) != SIM_OK || mac_cell_finish(c, &err) != SIM_OK)) {
        mac_cell_destroy(c);
        c = NULL;
    }
    return c;
}

#endif
