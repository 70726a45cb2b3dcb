/* one_report.h: the device group the MAC tests build most: fixed coupling
 * loss, one fixed-size report a day from start_s (no random phase). */
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

#endif
