/* carriers.c: which carrier a device uses (NB-IoT non-anchor carriers,
 * Rel-14).
 *
 * A cell has the anchor carrier (index 0: NPSS, NSSS, NPBCH, system
 * information) and up to 15 non-anchor carriers (TS 36.331 SIB22-NB
 * dl-ConfigList-r14 / ul-ConfigList-r14), each with its own downlink and
 * uplink timelines and, when configured, NPRACH resources and paging. A
 * device picks
 * - its NPRACH carrier at every random-access resource selection (TS 36.321
 *   5.1.1/5.1.2): the anchor with nprach-ProbabilityAnchor, else one of the
 *   non-anchor carriers with NPRACH uniformly; its RAR, Msg3 and Msg4 are on
 *   that carrier;
 * - its paging carrier from its UE_ID (TS 36.304 7.1): the smallest n with
 *   floor(UE_ID / (N Ns)) mod W < W(0) + ... + W(n), W the weights' sum;
 * and the eNB gives a connection its carrier at RRC setup (RRCConnection-
 * Setup's carrierConfigDedicated): the random access's, or the carrier
 * whose downlink is free earliest.
 */
#include "mac/mac_internal.h"

int mac_nprach_carrier(const mac_cell *c, sim_rng *r)
{
    const mac_carrier_cfg *cc = &c->r.carriers;
    if (c->n_car < 2 || !cc->nprach) return 0;
    const int k = c->n_car - 1;
    const double pa = cc->nprach_prob_anchor < 0 ? 1.0 / c->n_car : cc->nprach_prob_anchor;
    if (sim_rng_uniform(r) < pa) return 0;
    return 1 + (int)sim_rng_int(r, (uint64_t)k);
}

int mac_paging_carrier(const mac_cell *c, const idle_paging *p)
{
    const mac_carrier_cfg *cc = &c->r.carriers;
    if (c->n_car < 2 || !cc->paging) return 0;
    /* N Ns = max(T, nB) ... in frames: nB when nB >= T (N = T, Ns = nB/T),
     * else N = nB, Ns = 1: nB either way, at least 1 */
    int nns = p->T * p->nB_num / p->nB_den;
    if (nns < 1) nns = 1;
    const int w_all = cc->paging_weight_anchor + (c->n_car - 1) * cc->paging_weight;
    const int x = (p->ue_id / nns) % w_all;
    int sum = cc->paging_weight_anchor;
    if (x < sum) return 0;
    for (int n = 1; n < c->n_car; n++) {
        sum += cc->paging_weight;
        if (x < sum) return n;
    }
    return c->n_car - 1; /* not reached: x < w_all */
}

int mac_data_carrier(const mac_cell *c, const mac_dev *d)
{
    if (c->n_car < 2 || c->r.carriers.data != MAC_CAR_DATA_BALANCED) return d->car;
    /* the carrier whose downlink (NPDCCH + NPDSCH) is booked least far
     * ahead; ties: the lowest index */
    int best = 0;
    for (int k = 1; k < c->n_car; k++)
        if (c->car[k].dl[0].last_end < c->car[best].dl[0].last_end) best = k;
    return best;
}
