/* cell_pack.c: a finished cell's results as one block of bytes, so that a
 * layout's cells can run in other processes (MPI ranks) and their results
 * be written by one. Same program on both sides (a cluster of one
 * architecture): the structs travel as they are, behind a header that
 * checks their sizes. */
#include "mac/mac_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct pack_head {
    uint32_t magic, n_devs, n_groups, sizes;
    uint64_t bytes;
} pack_head;

#define PACK_MAGIC 0x6d746370u /* "mtcp" */

static uint32_t pack_sizes(void)
{
    return (uint32_t)(sizeof(mac_device_stats) ^ (sizeof(mac_cell_stats) << 12) ^
                      (sizeof(energy_matrix) << 22));
}

size_t mac_cell_pack_size(const mac_cell *c)
{
    return sizeof(pack_head) + sizeof c->cstats + (size_t)c->n_devs * sizeof *c->dstats +
           (size_t)c->cfg.n_groups * sizeof *c->genergy;
}

void mac_cell_pack(const mac_cell *c, size_t bytes, void *buf)
{
    pack_head h = {PACK_MAGIC, c->n_devs, c->cfg.n_groups, pack_sizes(), bytes};
    char *p = buf;
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    memcpy(p, &c->cstats, sizeof c->cstats);
    p += sizeof c->cstats;
    memcpy(p, c->dstats, (size_t)c->n_devs * sizeof *c->dstats);
    p += (size_t)c->n_devs * sizeof *c->dstats;
    memcpy(p, c->genergy, (size_t)c->cfg.n_groups * sizeof *c->genergy);
}

mac_cell *mac_cell_unpack(const void *buf, size_t n, size_t *bytes, sim_error *err)
{
    pack_head h;
    if (n < sizeof h) goto bad;
    memcpy(&h, buf, sizeof h);
    if (h.magic != PACK_MAGIC || h.sizes != pack_sizes()) goto bad;
    mac_cell *c = calloc(1, sizeof *c);
    if (!c) goto oom;
    c->n_devs = h.n_devs;
    c->cfg.n_groups = h.n_groups;
    if (n != mac_cell_pack_size(c)) {
        free(c);
        goto bad;
    }
    c->dstats = malloc((h.n_devs ? h.n_devs : 1) * sizeof *c->dstats);
    c->genergy = malloc((h.n_groups ? h.n_groups : 1) * sizeof *c->genergy);
    if (!c->dstats || !c->genergy) {
        mac_cell_destroy(c);
        goto oom;
    }
    const char *p = (const char *)buf + sizeof h;
    memcpy(&c->cstats, p, sizeof c->cstats);
    p += sizeof c->cstats;
    memcpy(c->dstats, p, (size_t)h.n_devs * sizeof *c->dstats);
    p += (size_t)h.n_devs * sizeof *c->dstats;
    memcpy(c->genergy, p, (size_t)h.n_groups * sizeof *c->genergy);
    /* as mac_cell_finish leaves them: the results' accounts point nowhere
     * (the sender cleared them, so this only guards against a pointer of
     * another process ever travelling) */
    for (uint32_t i = 0; i < h.n_devs; i++)
        c->dstats[i].energy.matrix = NULL;
    *bytes = h.bytes;
    return c;
bad:
    sim_error_set(err, SIM_ERR_RUNTIME,
                  "layout: a cell's results from another process are damaged or from a "
                  "different build");
    return NULL;
oom:
    sim_error_set(err, SIM_ERR_RUNTIME, "layout: out of memory receiving a cell's results");
    return NULL;
}
