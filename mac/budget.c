/* budget.c: the cell's link budget in one place.
 *
 * An MCL is a statement about one link budget: TR 45.820's 164 dB for
 * NB-IoT assumes a 23 dBm device, an eNB noise figure of 3 dB and two
 * receive antennas; the 155.7 dB of LTE-M's coverage target assumes a
 * 20 dBm device and TR 36.888's eNB noise figure of 5 dB (the LTE-M
 * coverage white paper of Ericsson, Nokia et al., 2017: the same link is
 * 160.7 dB with 23 dBm and TR 45.820's noise figures). The cell plans its
 * last level with the MCL moved into its own link's power, noise figure and
 * antennas, and the configuration check holds that plan against the
 * coverage the link abstraction gives.
 */
#include "mac/mac_internal.h"

#include <math.h>
#include <stdlib.h>

double mac_pcmax_dbm(const mac_radio_cfg *r, double class_dbm)
{
    /* TS 36.101 6.2.5F (NB1/NB2) and 6.2.5EA (M1): P_CMAX between
     * min(P_EMAX, P_PowerClass - MPR) and min(P_EMAX, P_PowerClass); the
     * single-tone and QPSK allocations modelled have no MPR */
    return class_dbm < r->p_max_dbm ? class_dbm : r->p_max_dbm;
}

double mac_planned_edge_db(const mac_radio_cfg *r)
{
    /* uplink-limited MCL: device power - eNB sensitivity (noise figure,
     * receive diversity); thermal noise only, as an MCL is defined */
    const phy_link_cfg *l = &r->link;
    const double rx = r->mcl_rx_antennas > 0 ? r->mcl_rx_antennas : 1;
    return r->mcl_db + (mac_pcmax_dbm(r, l->ue_max_dbm) - r->mcl_tx_dbm) +
           (r->mcl_enb_nf_db - l->enb_nf_db) + 10.0 * log10(l->enb_rx_antennas / rx);
}

int mac_budget_of(const mac_radio_cfg *r, mac_budget *b)
{
    return mac_budget_at(r, r->link.ue_max_dbm, b);
}

int mac_budget_at(const mac_radio_cfg *r, double class_dbm, mac_budget *b)
{
    static const char *const limits[] = {
        [0] = "nothing below 200 dB",
        [MAC_LIMIT_PREAMBLE] = "the random-access preamble",
        [MAC_LIMIT_MSG3] = "Msg3",
        [MAC_LIMIT_DCI] = "the DCI",
    };
    const mac_radio *radio = mac_radio_of(r->rat);
    if (!radio || r->n_ce < 1 || r->n_ce > MAC_MAX_CE) return -1;
    /* the radio's rules only read the configuration: a bare cell will do */
    mac_cell *c = calloc(1, sizeof *c);
    if (!c) return -1;
    c->r = *r;
    c->radio = radio;
    c->r.link.ue_max_dbm = mac_pcmax_dbm(r, class_dbm);
    const phy_link_cfg *l = &c->r.link;
    b->planned_db = mac_planned_edge_db(r);
    for (int k = 0; k < MAC_MAX_CE; k++)
        b->level_edge_db[k] =
            k + 1 < r->n_ce ? mac_rsrp(c, 0.0) - r->ce[k].rsrp_threshold_dbm : b->planned_db;
    /* the largest coverage loss in coverage, to 0.01 dB (coverage only
     * shrinks with the loss) */
    double lo = 100.0, hi = 200.0;
    int why = mac_coverage_limit(c, l, hi);
    if (!why) {
        lo = hi;
    } else if ((why = mac_coverage_limit(c, l, lo)) != 0) {
        hi = lo;
    } else {
        while (hi - lo > 0.01) {
            const double mid = 0.5 * (lo + hi);
            const int w = mac_coverage_limit(c, l, mid);
            if (w) {
                hi = mid;
                why = w;
            } else {
                lo = mid;
            }
        }
    }
    b->edge_db = lo;
    b->limit = limits[why];
    free(c);
    return 0;
}
