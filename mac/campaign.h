/* campaign.h: the firmware update campaign's state, shared by
 * mac/campaign.c (the delivery) and mac/campaign_stats.c (its results). */
#ifndef MTCSIM_MAC_CAMPAIGN_H
#define MTCSIM_MAC_CAMPAIGN_H

#include "mac/mac_internal.h"

enum { FS_NONE = 0, FS_DONE = 1, FS_FAILED = 2, FS_PENDING = 3 };
/* what a pending target waits for */
enum { FW_SESSION = 0, FW_UNICAST = 1, FW_VERIFY = 2 };

typedef struct mac_fota {
    uint8_t *status, *wait;
    double *done_s, *mcu_j;
    uint32_t *missed;      /* multicast: blocks still missing after its last session */
    uint32_t *lost;        /* multicast: blocks lost over its sessions */
    uint8_t *heard;        /* multicast: has received a session */
    sim_time_t *rx0, *rx1; /* multicast: the receiver's session window */
    uint32_t *sid;         /* multicast: the receiver's session */
    uint32_t n_targets;
    sim_time_t start, last_round; /* last_round: start of the last round */
    uint32_t sessions;
    double *lat_gen, *lat_ms; /* others' reports: generated (s), latency (ms) */
    /* unicast throttle (max_parallel, every unicast fetch: images, repairs,
     * stragglers): fetches waiting, in order, the targets holding a slot
     * (triggered, neither finished nor given up by paging) and their count */
    uint32_t *queue, q_head, q_n, active;
    uint8_t *slot;
    uint32_t *qbytes;       /* a waiting fetch's bytes (image or repair) */
    uint8_t *qpage;         /* and whether it is paged when its slot comes */
    struct fota_sess *sess; /* SC-PTM sessions sent */
    uint32_t n_sess, sess_cap;
    size_t lat_n, lat_cap;
} mac_fota;

/* An SC-PTM session: its receivers, the SC-MTCH grant and DCI of its worst
 * receiver, the blocks still to book. */
typedef struct fota_sess {
    uint32_t *rx, n;
    int ce, rt, flags;
    phy_dl_grant g;
    uint64_t left;
    sim_time_t from;  /* the SC-MCCH's DCI start */
    int rc, mflags;   /* the SC-MCCH's DCI repetitions and scheduling flags */
    int m_sub;        /* its NPDSCH subframes */
    int64_t pdsch_us; /* the NPDSCHs sent so far (the SC-MCCH's included) */
    uint32_t next;    /* the round's next session (per level), UINT32_MAX: none */
} fota_sess;

/* A receiver's time receiving in session ss from its start to t: the
 * level's search spaces and the NPDSCHs (campaign.c). */
int64_t campaign_rx_time(const mac_cell *c, const fota_sess *ss, sim_time_t t);

#endif
