/* po_share.c: who else a page wakes.
 *
 * A paging occasion is shared by every device whose UE_ID puts its paging
 * frame and subframe there (TS 36.304 7.1). When the eNB pages one of them,
 * the occasion's DCI (P-RNTI) is seen by all: a device without WUS, which
 * monitors the occasion anyway, then reads the paging message to find
 * that it holds no record for it. A device with WUS sleeps through the
 * occasion unless its WUS is sent (TS 36.304 7.4 for the Rel-15 WUS,
 * common to every WUS device of the occasion), and then monitors the
 * occasion and reads the message too. Rel-16 group WUS (TS 36.304 7.4,
 * TS 36.331 GWUS-Config-NB-r16 / GWUS-Config-r16) gives the WUS devices
 * of an occasion groups (resources x groups per resource) and sends only
 * the paged devices' groups' WUS, or the common WUS when more groups than
 * gwus_common_above are paged there; so fewer devices wake per page.
 *
 * Group of a device: uniform over the groups and independent of its
 * occasion (TS 36.304 assigns it from IMSI digits above those of UE_ID;
 * the model draws those digits from the device's own stream). The
 * probability-based assignment of GWUS-ProbThreshList is not modelled.
 *
 * The devices are indexed by group and UE_ID, so a page visits only the
 * devices whose UE_ID can give that occasion (UE_ID mod N fixed by the
 * paging frame): O(sharers), not O(devices), per page.
 */
#include "mac/mac_internal.h"

#include <stdlib.h>

enum { PS_UE_IDS = 4096, RNG_IMSI_HIGH = 12 };

static int pages_possible(const mac_cell *c)
{
    for (uint32_t g = 0; g < c->cfg.n_groups; g++)
        if (c->cfg.groups[g].downlink.traffic.kind != TRAFFIC_NONE) return 1;
    return 0;
}

int po_share_setup(mac_cell *c)
{
    if (c->r.simulate_occasions || !pages_possible(c)) return 0;
    const size_t keys = (size_t)c->cfg.n_groups * PS_UE_IDS;
    c->ps_start = calloc(keys + 1, sizeof *c->ps_start);
    const size_t nd = c->n_devs ? c->n_devs : 1;
    c->ps_dev = malloc(nd * sizeof *c->ps_dev);
    c->ps_code = malloc(nd * sizeof *c->ps_code);
    c->ps_uidh = malloc(nd * sizeof *c->ps_uidh);
    if (!c->ps_start || !c->ps_dev || !c->ps_code || !c->ps_uidh) return -1;
    for (uint32_t id = 0; id < c->n_devs; id++) {
        idle_paging p = sleep_dev_paging(c, id);
        c->ps_start[(size_t)c->devs[id].group * PS_UE_IDS + (size_t)p.ue_id + 1]++;
    }
    for (size_t k = 0; k < keys; k++)
        c->ps_start[k + 1] += c->ps_start[k];
    uint32_t *fill = calloc(keys, sizeof *fill);
    if (!fill) return -1;
    for (uint32_t id = 0; id < c->n_devs; id++) {
        idle_paging p = sleep_dev_paging(c, id);
        size_t k = (size_t)c->devs[id].group * PS_UE_IDS + (size_t)p.ue_id;
        const uint32_t at = c->ps_start[k] + fill[k]++;
        uint64_t bit = po_share_bit(c, id);
        uint8_t code = 0;
        while (bit > 1) {
            bit >>= 1;
            code++;
        }
        c->ps_dev[at] = id;
        c->ps_code[at] = code;
        c->ps_uidh[at] = (uint16_t)p.ue_id_h;
    }
    free(fill);
    return 0;
}

void po_share_free(mac_cell *c)
{
    free(c->ps_start);
    free(c->ps_dev);
    free(c->ps_code);
    free(c->ps_uidh);
    c->ps_start = c->ps_dev = NULL;
    c->ps_code = NULL;
    c->ps_uidh = NULL;
}

static int gwus_total(const mac_cell *c)
{
    return c->r.paging.gwus_groups * c->r.paging.gwus_resources;
}

uint64_t po_share_bit(const mac_cell *c, uint32_t id)
{
    const mac_idle_cfg *ic = &c->cfg.groups[c->devs[id].group].idle;
    if (!ic->wus) return PO_SHARE_NOWUS;
    const int n = gwus_total(c);
    if (!ic->gwus || n < 1) return PO_SHARE_WUS; /* Rel-15 WUS */
    sim_rng r = mac_rng(c, id, RNG_IMSI_HIGH, 0);
    return (uint64_t)PO_SHARE_GROUP0 << sim_rng_int(&r, (uint64_t)n);
}

static int popcount64(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static void wake_po(mac_cell *c, uint32_t x, sim_time_t po, int car, uint64_t fresh);

void po_share_wake(mac_cell *c, uint32_t x, sim_time_t at, struct po_load *slot)
{
    if (!c->ps_start || !slot) return;
    uint64_t want = slot->booked;
    const int n = gwus_total(c);
    const uint64_t all = n > 0 ? (((uint64_t)1 << n) - 1u) * PO_SHARE_GROUP0 : 0;
    const int common = c->r.paging.gwus_common_above;
    if (common > 0 && popcount64(want & all) > common) want |= all; /* the common WUS */
    const uint64_t fresh = want & ~slot->woken;
    if (!fresh) return;
    slot->woken |= fresh;
    /* every nominal occasion moved to this subframe shares its DCI (TS
     * 36.304 7.1: an occasion on an invalid subframe moves to the next
     * valid one; on the anchor at most two invalid subframes follow each
     * other, a frame back is ample) */
    const phy_dl_map *map = c->car[slot->car].map;
    for (sim_time_t po = at - 10 * SIM_MS; po <= at; po += SIM_MS)
        if (po >= 0 && phy_dl_next_valid(map, po) == at) wake_po(c, x, po, slot->car, fresh);
}

static void wake_po(mac_cell *c, uint32_t x, sim_time_t po, int car, uint64_t fresh)
{
    const int sfn = (int)((po / IDLE_FRAME_US) % 1024);
    for (uint32_t g = 0; g < c->cfg.n_groups; g++) {
        const idle_paging *gp = &c->gpage[g];
        /* TS 36.304 7.1: SFN mod T = (T div N) (UE_ID mod N), N = min(T, nB) */
        int nb = gp->T * gp->nB_num / gp->nB_den;
        int N = nb < gp->T ? nb : gp->T;
        if (N < 1) N = 1;
        const int step = gp->T / N, k = sfn % gp->T;
        if (step < 1 || k % step) continue;
        idle_paging p = *gp;
        for (int u = k / step; u < PS_UE_IDS; u += N) {
            const size_t key = (size_t)g * PS_UE_IDS + (size_t)u;
            p.ue_id = u;
            for (uint32_t i = c->ps_start[key]; i < c->ps_start[key + 1]; i++) {
                if (!(((uint64_t)1 << c->ps_code[i]) & fresh)) continue;
                const uint32_t y = c->ps_dev[i];
                mac_dev *d = &c->devs[y];
                /* a device with a page of its own pending reads that one
                 * (approximation: it may be booked at a later occasion) */
                if (y == x || d->paging || !sleep_monitors(c, d)) continue;
                p.ue_id_h = c->ps_uidh[i];
                if (idle_next_po(&p, po) != po) continue; /* subframe, or outside its PTW */
                if (c->n_car > 1 && mac_paging_carrier(c, &p) != car) continue; /* another's */
                if (c->ps_code[i] == 0)
                    d->xwake_msg++;
                else
                    d->xwake_po++;
                d->false_pages++;
                c->false_pages++;
            }
        }
    }
}
