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
    int64_t ts_bin; /* the time series' bin (0: none) */
    uint32_t ts_n, trace_n;
    uint64_t trace_dropped;
} pack_head;

/* A time series' bytes: the counts, then the four integrals. */
static size_t ts_bytes(uint32_t n)
{
    return (size_t)n * (MAC_TS_COUNTERS * sizeof(uint32_t) + 4 * sizeof(double));
}

#define PACK_MAGIC 0x6d746370u /* "mtcp" */

static uint32_t pack_sizes(void)
{
    return (uint32_t)(sizeof(mac_device_stats) ^ (sizeof(mac_cell_stats) << 12) ^
                      (sizeof(energy_matrix) << 22));
}

size_t mac_cell_pack_size(const mac_cell *c)
{
    return sizeof(pack_head) + sizeof c->cstats + (size_t)c->n_devs * sizeof *c->dstats +
           (size_t)c->cfg.n_groups * sizeof *c->genergy + ts_bytes(c->tsout.n) +
           (size_t)c->trace.n * sizeof *c->trace.rows;
}

void mac_cell_pack(const mac_cell *c, size_t bytes, void *buf)
{
    pack_head h = {.magic = PACK_MAGIC,
                   .n_devs = c->n_devs,
                   .n_groups = c->cfg.n_groups,
                   .sizes = pack_sizes(),
                   .bytes = bytes,
                   .ts_bin = c->tsout.bin,
                   .ts_n = c->tsout.n,
                   .trace_n = c->trace.n,
                   .trace_dropped = c->trace.dropped};
    char *p = buf;
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    memcpy(p, &c->cstats, sizeof c->cstats);
    p += sizeof c->cstats;
    memcpy(p, c->dstats, (size_t)c->n_devs * sizeof *c->dstats);
    p += (size_t)c->n_devs * sizeof *c->dstats;
    memcpy(p, c->genergy, (size_t)c->cfg.n_groups * sizeof *c->genergy);
    p += (size_t)c->cfg.n_groups * sizeof *c->genergy;
    if (c->tsout.n) {
        const size_t nc = (size_t)c->tsout.n * MAC_TS_COUNTERS * sizeof(uint32_t);
        memcpy(p, c->tsout.count, nc);
        memcpy(p + nc, c->tsout.ul_busy, (size_t)c->tsout.n * 4 * sizeof(double));
        p += ts_bytes(c->tsout.n);
    }
    if (c->trace.n) memcpy(p, c->trace.rows, (size_t)c->trace.n * sizeof *c->trace.rows);
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
    c->tsout.n = h.ts_n;
    c->trace.n = h.trace_n;
    c->trace.dropped = h.trace_dropped;
    if (n != mac_cell_pack_size(c)) {
        free(c);
        goto bad;
    }
    c->dstats = malloc((h.n_devs ? h.n_devs : 1) * sizeof *c->dstats);
    c->genergy = malloc((h.n_groups ? h.n_groups : 1) * sizeof *c->genergy);
    if (h.ts_n) {
        c->tsout.bin = h.ts_bin;
        c->tsout.count = malloc((size_t)h.ts_n * MAC_TS_COUNTERS * sizeof(uint32_t));
        c->tsout.ul_busy = malloc((size_t)h.ts_n * 4 * sizeof(double));
    }
    if (h.trace_n) c->trace.rows = malloc((size_t)h.trace_n * sizeof *c->trace.rows);
    c->trace.cap = h.trace_n;
    if (!c->dstats || !c->genergy || (h.ts_n && (!c->tsout.count || !c->tsout.ul_busy)) ||
        (h.trace_n && !c->trace.rows)) {
        mac_cell_destroy(c);
        goto oom;
    }
    const char *p = (const char *)buf + sizeof h;
    memcpy(&c->cstats, p, sizeof c->cstats);
    p += sizeof c->cstats;
    memcpy(c->dstats, p, (size_t)h.n_devs * sizeof *c->dstats);
    p += (size_t)h.n_devs * sizeof *c->dstats;
    memcpy(c->genergy, p, (size_t)h.n_groups * sizeof *c->genergy);
    p += (size_t)h.n_groups * sizeof *c->genergy;
    for (uint32_t g = 0; g < h.n_groups; g++)
        c->genergy[g].bins = NULL; /* the sender's */
    if (h.ts_n) {
        const size_t nc = (size_t)h.ts_n * MAC_TS_COUNTERS * sizeof(uint32_t);
        memcpy(c->tsout.count, p, nc);
        memcpy(c->tsout.ul_busy, p + nc, (size_t)h.ts_n * 4 * sizeof(double));
        c->tsout.dl_busy = c->tsout.ul_busy + h.ts_n;
        c->tsout.connected = c->tsout.dl_busy + h.ts_n;
        c->tsout.energy_j = c->tsout.connected + h.ts_n;
        p += ts_bytes(h.ts_n);
    }
    if (h.trace_n) memcpy(c->trace.rows, p, (size_t)h.trace_n * sizeof *c->trace.rows);
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
