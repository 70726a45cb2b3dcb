/* gcache.c: a memo of grant selections, per cell.
 *
 * Grant selection (the link adaptation over TBS, resource units, tones and
 * repetitions) is a pure function of the link, the coupling loss, the
 * block size, the CE level and the request's flags, and the procedures ask
 * the same question several times per block (the NB-IoT tone-width probes,
 * the grant again at the NPUSCH's start and end). A direct-mapped memo:
 * only exact keys hit (coupling losses stored as float, as the devices hold
 * them), so results do not depend on it; a collision only recomputes.
 */
#include "mac/mac_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct mac_gcache {
    const phy_link_cfg *l; /* NULL: empty */
    float cl;
    int32_t bits;
    int32_t ce, dir; /* dir: 0 downlink, 1 + flags uplink */
    int weak;
    phy_ul_grant u;
    phy_dl_grant d;
};

int mac_gcache_init(mac_cell *c)
{
    c->gcache = calloc(MAC_GCACHE_N, sizeof *c->gcache);
    if (!c->gcache) return -1;
    c->gcache_bytes = MAC_GCACHE_N * sizeof *c->gcache;
    return 0;
}

static struct mac_gcache *slot(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits,
                               int ce, int dir, int *hit)
{
    *hit = 0;
    if (!c->gcache || (double)(float)cl_db != cl_db) return NULL;
    float f = (float)cl_db;
    uint32_t fb;
    memcpy(&fb, &f, sizeof fb);
    uint64_t h = (uint64_t)fb * 0x9E3779B97F4A7C15ull ^ (uint64_t)bits * 0xC2B2AE3D27D4EB4Full ^
                 (uint64_t)(uintptr_t)l ^ (uint64_t)ce << 40 ^ (uint64_t)dir << 44;
    h ^= h >> 29;
    struct mac_gcache *e = &c->gcache[(h * 0xBF58476D1CE4E5B9ull >> 52) & (MAC_GCACHE_N - 1)];
    *hit = e->l == l && e->cl == f && e->bits == bits && e->ce == ce && e->dir == dir;
    return e;
}

int mac_gcache_ul(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  int flags, phy_ul_grant *g, mac_ul_select_fn fn)
{
    int hit;
    struct mac_gcache *e = slot(c, l, cl_db, bits, ce, 1 + flags, &hit);
    if (hit) {
        *g = e->u;
        return e->weak;
    }
    const int weak = fn(c, l, cl_db, bits, ce, flags, g);
    if (e)
        *e = (struct mac_gcache){.l = l,
                                 .cl = (float)cl_db,
                                 .bits = bits,
                                 .ce = ce,
                                 .dir = 1 + flags,
                                 .weak = weak,
                                 .u = *g};
    return weak;
}

int mac_gcache_dl(const mac_cell *c, const phy_link_cfg *l, double cl_db, int bits, int ce,
                  phy_dl_grant *g, mac_dl_select_fn fn)
{
    int hit;
    struct mac_gcache *e = slot(c, l, cl_db, bits, ce, 0, &hit);
    if (hit) {
        *g = e->d;
        return e->weak;
    }
    const int weak = fn(c, l, cl_db, bits, ce, g);
    if (e)
        *e = (struct mac_gcache){
            .l = l, .cl = (float)cl_db, .bits = bits, .ce = ce, .dir = 0, .weak = weak, .d = *g};
    return weak;
}
