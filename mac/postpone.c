/* postpone.c: an NPUSCH postponed around the NPRACH resources it shares
 * subcarriers with (TS 36.211 10.1.3.6), and the NPRACH zones of the
 * uplink units that the scheduler chooses among (sched.c). */
#include "mac/mac_internal.h"

/* Whether t lies in a configured NPRACH resource of one of `levels` (a mask
 * of CE levels); if so *until is the end of that occasion, else *next the
 * start of the next one (SIM_NEVER without levels). The resource is the
 * whole occasion, its own 40 ms gaps included (TS 36.211 10.1.3.6 leaves
 * those out: up to 40 ms per 64 repetitions too much). */
static int prach_busy(const mac_cell *c, unsigned levels, sim_time_t t, sim_time_t *until,
                      sim_time_t *next)
{
    *next = SIM_NEVER;
    for (int k = 0; k < c->r.n_ce; k++) {
        if (!(levels & 1u << k)) continue;
        const sim_time_t P = c->prach_period[k], s0 = c->prach_start[k], D = c->prach_dur[k];
        sim_time_t os = s0;
        if (t >= s0) os = s0 + (t - s0) / P * P;
        if (t >= os && t < os + D) {
            *until = os + D;
            return 1;
        }
        sim_time_t nx = t < os ? os : os + P;
        if (nx < *next) *next = nx;
    }
    return 0;
}

/* End of `tx` of NPUSCH transmission from s, postponed around the NPRACH
 * of `levels` and paused by the 40 ms gaps. */
static sim_time_t postponed_end(const mac_cell *c, unsigned levels, sim_time_t s, sim_time_t tx)
{
    /* TS 36.211 10.1.3.6: the NPUSCH is postponed while any of its
     * resource elements would overlap a configured NPRACH resource, and
     * after 256 ms of transmission and/or such postponement a 40 ms gap
     * follows (none after the end); a postponement during a gap counts as
     * gap. Slot alignment of the resumption is not modelled. */
    const sim_time_t seg_max = 256 * SIM_MS, gap = 40 * SIM_MS;
    sim_time_t t = s, left = tx, since = 0;
    while (left > 0) {
        if (since >= seg_max) {
            t += gap;
            since = 0;
            continue;
        }
        sim_time_t until = 0, next = SIM_NEVER, room = seg_max - since;
        if (levels && prach_busy(c, levels, t, &until, &next)) {
            sim_time_t d = until - t < room ? until - t : room;
            t += d;
            since += d;
            continue;
        }
        sim_time_t seg = left < room ? left : room;
        if (next - t < seg) seg = next - t;
        t += seg;
        left -= seg;
        since += seg;
    }
    return t;
}

sim_time_t sched_npusch_end(const mac_cell *c, unsigned levels, sim_time_t s, const phy_ul_grant *g)
{
    if (!c->radio->ul_postpone || g->n_prb) return s + g->duration;
    return postponed_end(c, levels, s, phy_ul_tx_time(g));
}

static unsigned unit_levels(const mac_cell *c, int u);

sim_time_t sched_ack_end(mac_cell *c, int car, int scs_3k75, sim_time_t s, sim_time_t tx)
{
    /* a non-anchor carrier without NPRACH: only the gaps (TS 36.211
     * 10.1.3.6 postpones around the carrier's own NPRACH resources) */
    if (!mac_car_nprach(c, car)) return postponed_end(c, 0, s, tx);
    /* TS 36.213 16.4.2, Table 16.4.2-1: the HARQ-ACK resource field puts
     * NPUSCH format 2 on subcarrier 38 ... 45 at 3.75 kHz, 0 ... 3 at
     * 15 kHz (each four 3.75 kHz units wide); the eNB takes the one whose
     * postponement around NPRACH (TS 36.211 10.1.3.6) ends first: one walk
     * per distinct set of NPRACH levels (sched_build_zones lists them). */
    if (c->n_zones == 0) sched_build_zones(c);
    const int k = scs_3k75 != 0;
    sim_time_t best = SIM_NEVER;
    for (int i = 0; i < c->n_ack_masks[k]; i++) {
        const sim_time_t e = postponed_end(c, c->ack_masks[k][i], s, tx);
        if (e < best) best = e;
    }
    return best;
}

/* The CE levels whose NPRACH subcarriers include uplink unit u (3.75 kHz
 * units, one per NPRACH subcarrier). */
static unsigned unit_levels(const mac_cell *c, int u)
{
    unsigned m = 0;
    for (int k = 0; k < c->r.n_ce; k++)
        if (u >= c->r.ce[k].subcarrier_offset &&
            u < c->r.ce[k].subcarrier_offset + c->r.ce[k].subcarriers)
            m |= 1u << k;
    return m;
}

/* The zones: one per distinct set of NPRACH levels over the units, in
 * the order of their first unit, then the whole carrier (every level). */
void sched_build_zones(mac_cell *c)
{
    int nz = 0;
    unsigned all = 0;
    for (int u = 0; u < c->n_units; u++) {
        unsigned m = unit_levels(c, u);
        int z = 0;
        while (z < nz && c->zone_levels[z] != m)
            z++;
        if (z == nz) {
            c->zone_levels[nz] = m;
            c->zone_n[nz++] = 0;
        }
        c->zone_unit[z][c->zone_n[z]++] = (uint8_t)u;
        all |= m;
    }
    c->zone_levels[nz] = all;
    c->zone_n[nz] = (uint8_t)c->n_units;
    for (int u = 0; u < c->n_units; u++)
        c->zone_unit[nz][u] = (uint8_t)u;
    c->n_zones = nz + 1;
    /* the HARQ-ACK's resources (sched_ack_end): the distinct NPRACH level
     * sets of the 4 subcarriers at 15 kHz and the 8 at 3.75 kHz */
    for (int k = 0; k < 2; k++) {
        c->n_ack_masks[k] = 0;
        for (int i = 0; i < (k ? 8 : 4); i++) {
            unsigned m = 0;
            if (k)
                m = unit_levels(c, 38 + i);
            else
                for (int u = 4 * i; u < 4 * i + 4; u++)
                    m |= unit_levels(c, u);
            int dup = 0;
            for (int j = 0; j < c->n_ack_masks[k]; j++)
                dup |= c->ack_masks[k][j] == m;
            if (!dup) c->ack_masks[k][c->n_ack_masks[k]++] = m;
        }
    }
}
