/* common.c: the helpers every procedure of mac/ shares: per-device random
 * streams, power per energy state, and uplink power control with its
 * BLER. Random draws come from per-device counter-based streams indexed by
 * a per-device draw counter, so no draw depends on how devices' events
 * interleave. */
#include "mac/mac_internal.h"

sim_rng mac_rng(const mac_cell *c, uint32_t dev, uint32_t purpose, uint64_t sub)
{
    sim_rng r;
    sim_rng_key k = {c->cfg.seed, c->cfg.replication, c->cfg.cell, dev, purpose, sub};
    sim_rng_init(&r, &k);
    return r;
}

double mac_power(const mac_cell *c, const mac_dev *d, energy_state s)
{
    return c->gmod[d->group].power_mw[s];
}

double mac_tx_mw(const mac_cell *c, const mac_dev *d, double tx_dbm)
{
    return energy_tx_power_at(&c->gmod[d->group], c->gtx_ref_mw[d->group], tx_dbm);
}

void mac_enter(mac_cell *c, mac_dev *d, energy_state s, sim_time_t now)
{
    energy_enter(&d->energy, s, mac_power(c, d, s), now);
}

void mac_set_proc(mac_cell *c, mac_dev *d, energy_proc p)
{
    energy_set_proc(&d->energy, p, sim_now(c->engine));
}

energy_proc mac_step_proc(const mac_cell *c, const mac_dev *d, const mac_step *st)
{
    if (d->in_setup && d->step < c->n_setup) return ENERGY_PROC_RRC;
    if (d->pending > 0 && c->reports[d->head].kind == ITEM_TAU) return ENERGY_PROC_TAU;
    return st->kind == STEP_UL_DATA || st->kind == STEP_UL_FIXED ? ENERGY_PROC_UL_DATA
                                                                 : ENERGY_PROC_DL_DATA;
}

void mac_ul_link(const mac_cell *c, const mac_dev *d, const phy_ul_grant *g, double *tx_dbm,
                 double *bler)
{
    const phy_link_cfg *l = &c->glink[d->group];
    double bw = g->scs_3k75 ? 3750.0 : 15000.0 * g->tones;
    double res = (double)g->n_ru * (g->tones == 1 ? 96.0 : 144.0);
    phy_chan ch = phy_npusch_chan(g->tones, g->scs_3k75);
    if (g->n_prb) { /* LTE-M PUSCH: one subframe per repetition */
        bw = 180e3 * g->n_prb;
        res = (double)g->n_prb * l->ltem_ul_re_per_prb;
        ch = PHY_CH_PUSCH;
    }
    double req = phy_required_snr_db(l, ch, g->tbs + 24.0, res);
    double gain = phy_eff_snr_db(l, ch, 0.0, g->reps, req);
    double p = l->ue_max_dbm;
    /* TS 36.213 16.2.1.1 (NB-IoT), 5.1.1.1 (BL/CE): full power beyond 2
     * repetitions; otherwise the power that reaches the grant's need plus a
     * margin (alpha = 1). */
    if (g->reps <= 2) {
        double need = req - gain + l->pc_margin_db + phy_noise_dbm(bw, l->enb_nf_db) +
                      l->ul_interference_db + d->cl_db - phy_ul_rx_gain_db(l);
        p = need < l->ue_min_dbm ? l->ue_min_dbm : need < p ? need : p;
    }
    *tx_dbm = p;
    *bler = phy_bler(l, phy_eff_snr_db(l, ch, phy_ul_snr_db(l, d->cl_db, p, bw), g->reps, req), req,
                     l->bler_target);
}

double mac_ack_power(const mac_cell *c, const mac_dev *d)
{
    /* NPUSCH format 2 (1 bit, 16 data REs per repetition: 4 slots x 4
     * symbols, TS 36.211 10.1.3) and PUCCH format 1a have their own
     * calibrated need (phy/calib.c); same power control as format 1: full
     * power beyond 2 repetitions, else just enough with the margin. */
    const phy_link_cfg *l = &c->glink[d->group];
    int reps = c->r.ce[d->ce].ack_reps;
    if (reps > 2) return l->ue_max_dbm;
    /* LTE-M PUCCH format 1a over one PRB (180 kHz) */
    const int lt = c->r.rat == MAC_RAT_LTEM;
    const double bw = lt ? 180e3 : d->scs_3k75 ? 3750.0 : 15000.0; /* the RAR's spacing */
    const phy_chan ch = lt            ? PHY_CH_PUCCH
                        : d->scs_3k75 ? PHY_CH_NPUSCH_F2_3K75
                                      : PHY_CH_NPUSCH_F2_15K;
    double need = phy_chan_need_db(l, ch) - phy_rep_snr_db(l, ch, 0.0, reps) + l->pc_margin_db +
                  phy_noise_dbm(bw, l->enb_nf_db) + l->ul_interference_db + d->cl_db -
                  phy_ul_rx_gain_db(l);
    return need < l->ue_min_dbm ? l->ue_min_dbm : need < l->ue_max_dbm ? need : l->ue_max_dbm;
}
