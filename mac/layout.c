/* layout.c: one replication of a scenario: a single cell, or a hexagonal
 * layout of cells with devices attached to their best cell.
 *
 * Cells share nothing but the clock, so each runs on its own engine. In a
 * layout the uplink of one cell sees interference from the devices of the
 * others. It is found in two passes: the first runs every cell without
 * inter-cell interference and measures each device's mean radiated power;
 * the interference at cell k is the sum over the other cells' devices of
 * that power divided by their coupling loss to k; the second pass reruns
 * every cell with its rise over thermal, 10 log10(1 + I_k / N), added to
 * its uplink noise. Same streams in both passes, so the result is
 * deterministic. Interference in the downlink is not modelled.
 */
#include "mac/mac_internal.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Coverage draws of a layout use their own RNG key (cell = this value). */
#define LAYOUT_KEY_CELL 0xFFFFFFu

static sim_rng layout_rng(const mac_run_cfg *cfg, uint32_t dev)
{
    sim_rng r;
    sim_rng_key k = {cfg->seed, cfg->replication, LAYOUT_KEY_CELL, dev, MAC_RNG_COVERAGE, 0};
    sim_rng_init(&r, &k);
    return r;
}

void mac_tasks(const mac_run_cfg *cfg, uint32_t n, void (*body)(void *, uint32_t), void *ctx)
{
    if (omp_in_parallel()) {
#pragma omp taskloop grainsize(1)
        for (uint32_t i = 0; i < n; i++)
            body(ctx, i);
    } else {
        const int threads = cfg->threads > 1 ? cfg->threads : 1;
#pragma omp parallel num_threads(threads)
#pragma omp single
#pragma omp taskloop grainsize(1)
        for (uint32_t i = 0; i < n; i++)
            body(ctx, i);
    }
}

/* Devices per task of the placement and of the interference sums. */
#define LAYOUT_BLOCK     4096u
#define LAYOUT_MAX_CELLS 64

typedef struct place_ctx {
    const mac_run_cfg *cfg;
    const phy_hex *hex;
    int cells;
    uint32_t n;
    const uint16_t *grp;
    uint16_t *cell_of;
    float *cl;
    /* interference: devices [base, base + nb) of the current block, their
     * radiated powers (layout order) and terms[j x cells + k] */
    const uint32_t *start, *local;
    const double *prad;
    double *terms, *interf;
    uint32_t base, nb;
} place_ctx;

/* Devices [b x LAYOUT_BLOCK, ...): position, losses, best cell. */
static void place_block(void *ctx, uint32_t b)
{
    place_ctx *p = ctx;
    double cls[LAYOUT_MAX_CELLS];
    uint32_t end = (b + 1) * LAYOUT_BLOCK < p->n ? (b + 1) * LAYOUT_BLOCK : p->n;
    for (uint32_t i = b * LAYOUT_BLOCK; i < end; i++) {
        sim_rng r = layout_rng(p->cfg, i);
        int best = phy_hex_device(p->hex, &p->cfg->groups[p->grp[i]].coverage, &r, cls);
        p->cell_of[i] = (uint16_t)best;
        p->cl[i] = (float)cls[best];
    }
}

/* Every device's power at every other cell, p x 10^(-loss / 10), for the
 * current block's part j (the losses drawn again from the device's own
 * stream; 0 for its own cell and for devices that radiated nothing). */
static void terms_part(void *ctx, uint32_t part)
{
    place_ctx *p = ctx;
    double cls[LAYOUT_MAX_CELLS];
    const uint32_t per = 256;
    uint32_t j0 = part * per, j1 = j0 + per < p->nb ? j0 + per : p->nb;
    for (uint32_t j = j0; j < j1; j++) {
        uint32_t i = p->base + j;
        double *t = &p->terms[(size_t)j * (size_t)p->cells];
        double pw = p->prad[p->start[p->cell_of[i]] + p->local[i]];
        for (int k = 0; k < p->cells; k++)
            t[k] = 0.0;
        if (pw <= 0) continue;
        sim_rng r = layout_rng(p->cfg, i);
        phy_hex_device(p->hex, &p->cfg->groups[p->grp[i]].coverage, &r, cls);
        for (int k = 0; k < p->cells; k++)
            if (k != p->cell_of[i]) t[k] = pw * pow(10, -cls[k] / 10);
    }
}

/* Cell k's sum over the block, in device order: the same additions as one
 * loop over every device (the zeros add nothing), so the same sum
 * whatever the threads. */
static void terms_sum(void *ctx, uint32_t k)
{
    place_ctx *p = ctx;
    double s = p->interf[k];
    for (uint32_t j = 0; j < p->nb; j++)
        s += p->terms[(size_t)j * (size_t)p->cells + k];
    p->interf[k] = s;
}

static int run_layout(const mac_run_cfg *cfg, mac_run *out, sim_error *err)
{
    const mac_radio_cfg *radio = cfg->radio;
    phy_hex *hex = phy_hex_create(&cfg->groups[0].coverage, radio->layout_sites);
    uint32_t n = 0;
    for (uint32_t g = 0; g < cfg->n_groups; g++)
        n += cfg->groups[g].count;
    int cells = hex ? phy_hex_cells(hex) : 0;
    uint16_t *cell_of = malloc((n ? n : 1) * sizeof *cell_of);
    uint16_t *grp = malloc((n ? n : 1) * sizeof *grp);
    float *cl = malloc((n ? n : 1) * sizeof *cl);
    uint32_t *local = malloc((n ? n : 1) * sizeof *local);
    double *interf = calloc((size_t)(cells ? cells : 1), sizeof *interf);
    mac_radio_cfg *rc_k = malloc((size_t)(cells ? cells : 1) * sizeof *rc_k);
    uint32_t *count = calloc((size_t)(cells ? cells : 1) + 1, sizeof *count);
    out->cells = calloc((size_t)(cells ? cells : 1), sizeof *out->cells);
    out->iot_db = calloc((size_t)(cells ? cells : 1), sizeof *out->iot_db);
    int rc = SIM_OK;
    if (!hex || !cell_of || !grp || !cl || !local || !interf || !rc_k || !count || !out->cells ||
        !out->iot_db) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory");
        goto done;
    }
    out->n_cells = (uint32_t)cells;
    if (cells > LAYOUT_MAX_CELLS) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "layout: %d cells, at most %d", cells,
                           LAYOUT_MAX_CELLS);
        goto done;
    }
    /* Place every device and attach it to its best cell (each device's
     * draws come from its own stream: in blocks, on the threads). */
    for (uint32_t i = 0, g = 0, k = 0; i < n; i++, k++) {
        while (k >= cfg->groups[g].count) {
            g++;
            k = 0;
        }
        grp[i] = (uint16_t)g;
    }
    place_ctx pl = {.cfg = cfg,
                    .hex = hex,
                    .cells = cells,
                    .n = n,
                    .grp = grp,
                    .cell_of = cell_of,
                    .cl = cl,
                    .local = local,
                    .interf = interf};
    mac_tasks(cfg, (n + LAYOUT_BLOCK - 1) / LAYOUT_BLOCK, place_block, &pl);
    for (uint32_t i = 0; i < n; i++)
        local[i] = count[cell_of[i]]++;
    /* Each cell's devices, in global order. */
    uint32_t *start = calloc((size_t)cells + 1, sizeof *start);
    uint16_t *cgrp = malloc((n ? n : 1) * sizeof *cgrp);
    float *ccl = malloc((n ? n : 1) * sizeof *ccl);
    double *prad = radio->interference_passes > 1 ? malloc((n ? n : 1) * sizeof *prad) : NULL;
    uint64_t *cell_ev = calloc((size_t)cells + 1, sizeof *cell_ev);
    /* per cell, the largest over the passes: a rank sends its cells' with
     * their results, so rank 0 gets the same figure as one process */
    size_t *cell_by = calloc((size_t)cells + 1, sizeof *cell_by);
    if (!start || !cgrp || !ccl || (radio->interference_passes > 1 && !prad) || !cell_ev ||
        !cell_by) {
        free(start);
        free(cgrp);
        free(ccl);
        free(prad);
        free(cell_ev);
        free(cell_by);
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory");
        goto done;
    }
    for (int k = 0; k < cells; k++)
        start[k + 1] = start[k] + count[k];
    for (uint32_t i = 0; i < n; i++) {
        cgrp[start[cell_of[i]] + local[i]] = grp[i];
        ccl[start[cell_of[i]] + local[i]] = cl[i];
    }
    int passes = radio->interference_passes;
    for (int k = 0; k < cells; k++)
        rc_k[k] = *radio;
    for (int pass = 0; pass < passes && !rc; pass++) {
        /* distributed: each rank fills its devices, the sum gives them all */
        if (prad && cfg->dist) memset(prad, 0, (n ? n : 1) * sizeof *prad);
        rc = mac_layout_pass(cfg, rc_k, (uint32_t)cells, count, start, cgrp, ccl, n, (uint32_t)pass,
                             (uint32_t)passes, prad, cell_ev, cell_by, out, err);
        if (rc || pass + 1 == passes) break;
        /* Interference at every cell from the other cells' devices: per
         * block of devices, the terms on the threads, then each cell's sum
         * in device order. */
        for (int k = 0; k < cells; k++)
            interf[k] = 0;
        pl.start = start;
        pl.prad = prad;
        pl.terms = malloc((size_t)LAYOUT_BLOCK * (size_t)cells * sizeof *pl.terms);
        if (!pl.terms) {
            rc = sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory");
            break;
        }
        for (pl.base = 0; pl.base < n; pl.base += LAYOUT_BLOCK) {
            pl.nb = n - pl.base < LAYOUT_BLOCK ? n - pl.base : LAYOUT_BLOCK;
            mac_tasks(cfg, (pl.nb + 255) / 256, terms_part, &pl);
            mac_tasks(cfg, (uint32_t)cells, terms_sum, &pl);
        }
        free(pl.terms);
        pl.terms = NULL;
        double noise_mw = pow(10, phy_noise_dbm(180e3, radio->link.enb_nf_db) / 10);
        for (int k = 0; k < cells; k++) {
            out->iot_db[k] = 10 * log10(1 + interf[k] / noise_mw);
            rc_k[k].link.ul_interference_db = radio->link.ul_interference_db + out->iot_db[k];
        }
    }
    free(start);
    free(cgrp);
    free(ccl);
    free(prad);
    free(cell_ev);
    free(cell_by);
done:
    phy_hex_free(hex);
    free(cell_of);
    free(grp);
    free(cl);
    free(local);
    free(interf);
    free(rc_k);
    free(count);
    return rc;
}

int mac_run_all(const mac_run_cfg *cfg, mac_run *out, sim_error *err)
{
    out->cells = NULL;
    out->iot_db = NULL;
    out->n_cells = 0;
    out->events = 0;
    out->bytes = 0;
    if (cfg->radio->layout_sites > 0) return run_layout(cfg, out, err);
    out->cells = calloc(1, sizeof *out->cells);
    out->iot_db = calloc(1, sizeof *out->iot_db);
    if (!out->cells || !out->iot_db) return sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
    out->n_cells = 1;
    return mac_layout_one_cell(cfg, out, err);
}

uint32_t mac_run_cells(const mac_radio_cfg *radio)
{
    return radio->layout_sites > 0 ? 3u * (uint32_t)radio->layout_sites : 1u;
}

void mac_run_free(mac_run *r)
{
    for (uint32_t k = 0; r->cells && k < r->n_cells; k++)
        mac_cell_destroy(r->cells[k]);
    free(r->cells);
    free(r->iot_db);
    r->cells = NULL;
    r->iot_db = NULL;
    r->n_cells = 0;
}
