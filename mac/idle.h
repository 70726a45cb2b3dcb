/* idle.h: idle-mode timing of NB-IoT (module-internal to mac/).
 *
 * Pure arithmetic, no events: paging frames and occasions (TS 36.304 7.1),
 * eDRX paging hyperframes and paging time windows (TS 36.304 7.3), counting
 * the occasions a device monitors in an interval without enumerating them
 * one by one, the wake-up-signal window before an occasion (TS 36.304 7.4,
 * TS 36.213 16.9), the S-TMSI hash (UE_ID_H), and the GPRS timer encodings
 * that round requested PSM timers to what the network can grant
 * (TS 24.008 10.5.7.4a, 10.5.7.3).
 *
 * Time is sim_time_t microseconds from the start of the simulation, which is
 * taken to be the start of H-SFN 0, SFN 0, subframe 0. A radio frame is
 * 10 ms, a hyperframe 1024 frames (10.24 s).
 */
#ifndef MTCSIM_MAC_IDLE_H
#define MTCSIM_MAC_IDLE_H

#include "sim/core/sim.h"

#define IDLE_FRAME_US      ((sim_time_t)10000)
#define IDLE_HYPERFRAME_US (1024 * IDLE_FRAME_US)

/* A device's paging schedule. */
typedef struct idle_paging {
    int T;      /* DRX cycle in radio frames: 32 ... 1024 (NB-IoT 128 ... 1024) */
    int nB_num; /* nB = T * nB_num / nB_den: 4T, 2T, T, T/2 ... T/1024 */
    int nB_den;
    int ue_id; /* IMSI mod 4096 (NB-IoT NPDCCH) */
    /* eDRX (0 when not used): cycle in hyperframes (2 ... 1024 for NB-IoT),
     * PTW length in frames, and UE_ID_H (12 most significant bits of the
     * S-TMSI hash) */
    int edrx_hf;
    int ptw_frames;
    int ue_id_h;
} idle_paging;

/* TS 36.304 7.1: the paging frame offset (SFN mod T = PF offset) and the
 * paging-occasion subframe (from i_s and Ns, FDD table). */
int idle_pf_offset(const idle_paging *p);
int idle_po_subframe(const idle_paging *p);
/* Absolute time of the first paging occasion at or after t (DRX: every T
 * frames; eDRX: only occasions inside a paging time window). The occasion
 * time is the start of its subframe (before any shift to a valid NB-IoT
 * subframe, which mac/ applies). */
sim_time_t idle_next_po(const idle_paging *p, sim_time_t t);
/* Number of occasions in [a, b), computed arithmetically (O(1) for DRX;
 * O(1) per eDRX cycle boundary for eDRX). */
int64_t idle_count_po(const idle_paging *p, sim_time_t a, sim_time_t b);
/* TS 36.304 7.3: paging hyperframe offset (H-SFN mod T_eDRX,H), PTW start
 * frame within it (SFN = 256 i_eDRX) and the PTW as an absolute interval:
 * the first window that ends after t. */
int idle_ph_offset(const idle_paging *p);
int idle_ptw_start_sfn(const idle_paging *p);
void idle_next_ptw(const idle_paging *p, sim_time_t t, sim_time_t *start, sim_time_t *end);
/* Time in [a, b) that lies inside paging time windows (eDRX), for
 * charging light versus deep sleep. For DRX, b - a. */
sim_time_t idle_ptw_time(const idle_paging *p, sim_time_t a, sim_time_t b);

/* UE_ID_H: the 12 most significant bits of CRC-32 (IEEE 802.3, as used for
 * the FCS) over the 32 least significant bits of the S-TMSI, b31 first
 * (TS 36.304 7.3). */
int idle_ue_id_h(uint32_t s_tmsi_lsb32);
uint32_t idle_crc32(const uint8_t *bytes, size_t n);

/* TS 24.008 GPRS timer 2 (T3324) and timer 3 (T3412 extended): the
 * smallest representable value >= s (value 0..31 times a unit), or the
 * largest representable if s exceeds it. T3324 units: 2 s, 60 s, 360 s;
 * T3412 units: 2 s, 30 s, 60 s, 600 s, 3600 s, 36000 s, 1152000 s. */
double idle_t3324_round(double s);
double idle_t3412_round(double s);

/* eDRX cycles (TS 24.008 10.5.5.32, NB-IoT): 20.48 s x 2^k, k = 0 ... 9,
 * as hyperframes (2 ... 1024); -1 if s is not one. PTW for NB-IoT:
 * 2.56 s x (n + 1), n = 0 ... 15, as frames; -1 if not one. */
int idle_edrx_hyperframes(double s);
int idle_ptw_frames(double s);
/* The same for LTE-M (WB-S1 mode): eDRX 20.48 ... 2621.44 s, PTW 1.28 x (n + 1) s. */
int idle_edrx_hyperframes_ltem(double s);
int idle_ptw_frames_ltem(double s);

/* Added with idle.c: 1 if *p is a schedule the functions above accept (T a
 * power of two 32 ... 1024; nB / T one of 4, 2, 1, 1/2 ... 1/1024; UE_ID
 * 0 ... 16383; with eDRX: T_eDRX,H a power of two 2 ... 1024, UE_ID_H
 * 0 ... 4095, ptw_frames >= 1), else 0. On an invalid schedule the offsets
 * are -1, idle_next_po is SIM_NEVER and idle_count_po is 0. */
int idle_paging_valid(const idle_paging *p);

#endif
