/* idle.c: idle-mode timing of NB-IoT: paging frames and occasions, eDRX
 * paging time windows, counting occasions arithmetically, the S-TMSI hash
 * and the GPRS timer encodings. See idle.h.
 *
 * Time origin: H-SFN 0, SFN 0, subframe 0 at t = 0. Absolute frame
 * f = floor(t / 10 ms), absolute hyperframe h = floor(f / 1024). Every
 * period used here (T, 1024 frames, T_eDRX,H hyperframes) is a power of two
 * dividing 1024 frames resp. 1024 hyperframes, so "SFN mod T" equals
 * "f mod T" and "H-SFN mod T_eDRX,H" equals "h mod T_eDRX,H" across the SFN
 * and H-SFN wrap-arounds: the schedules below are exactly periodic in
 * absolute time and are computed with floor divisions, never by walking.
 *
 * Invalid parameters (see idle_paging_valid) make the offsets -1, the next
 * occasion SIM_NEVER and the counts 0.
 */
#include "mac/idle.h"

#include <math.h>

/* ------------------------------------------------------------ helpers */

/* floor(n / d), ceil(n / d) for d > 0 and any n, without overflow. */
static int64_t fdiv(int64_t n, int64_t d)
{
    int64_t q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}
static int64_t cdiv(int64_t n, int64_t d)
{
    int64_t q = n / d;
    return (n % d != 0 && n > 0) ? q + 1 : q;
}

static int is_pow2(int64_t x)
{
    return x > 0 && (x & (x - 1)) == 0;
}

/* The derived schedule of one device. */
typedef struct sched {
    int64_t T;      /* DRX cycle, frames */
    int pf;         /* PF offset: SFN mod T */
    int sf;         /* PO subframe */
    sim_time_t po0; /* time of the occasion in frame pf: the DRX grid is po0 + k T */
    /* eDRX (edrx = 0: none) */
    int edrx;
    int64_t C;  /* cycle, frames (T_eDRX,H x 1024) */
    int64_t S0; /* first frame of the window of cycle 0 (PH = ph offset) */
    int64_t L;  /* window length, frames, at most C (see idle_next_ptw) */
    int ph;     /* PH offset */
    int ptw_sfn;
} sched;

/* nB / T = num / den reduced; returns 0 unless it is one of 4, 2, 1, 1/2, ...,
 * 1/1024 (TS 36.331 PCCH-Config-NB nB-r13: fourT ... one1024thT). */
static int nb_ratio(const idle_paging *p, int64_t *num, int64_t *den)
{
    int64_t a = p->nB_num, b = p->nB_den;
    if (a <= 0 || b <= 0) return 0;
    while (a % 2 == 0 && b % 2 == 0)
        a /= 2, b /= 2;
    if (!is_pow2(a) || !is_pow2(b)) return 0;
    if (!((b == 1 && a <= 4) || (a == 1 && b <= 1024))) return 0;
    *num = a;
    *den = b;
    return 1;
}

static int make_sched(const idle_paging *p, sched *s)
{
    int64_t num, den;
    if (!p || !is_pow2(p->T) || p->T < 32 || p->T > 1024 || !nb_ratio(p, &num, &den)) return 0;
    if (p->ue_id < 0 || p->ue_id >= 16384) return 0;
    int64_t T = p->T;
    /* TS 36.304 7.1: N = min(T, nB), Ns = max(1, nB / T), with nB = T num / den.
     * For nB < 1 (NB-IoT T/512 and T/1024 with a short T, e.g. T = 128,
     * nB = T/1024 = 1/8) N is fractional. Evaluated exactly, the PF rule
     * SFN mod T = (T div N) (UE_ID mod N) then has UE_ID mod N = 0 (an integer
     * is a multiple of 1/2^k), i.e. PF offset 0 every T frames, and i_s = 0:
     * the same as N = 1. So N is clamped to 1, which is not a deviation from
     * the formula. (RAN2#105/106 noted that nB may be fractional without
     * changing the formula; no value set excludes these combinations.) */
    int64_t N = num >= den ? T : T / den;
    if (N < 1) N = 1;
    int64_t Ns = num >= den ? num / den : 1;
    int64_t ue = p->ue_id;
    s->T = T;
    s->pf = (int)((T / N) * (ue % N));
    int i_s = (int)((ue / N) % Ns);
    /* TS 36.304 7.2, FDD subframe patterns (NPDCCH, and MPDCCH above 3 MHz):
     * Ns = 1: {9}; Ns = 2: {4, 9}; Ns = 4: {0, 4, 5, 9}. */
    static const int pat1[1] = {9}, pat2[2] = {4, 9}, pat4[4] = {0, 4, 5, 9};
    s->sf = Ns == 1 ? pat1[0] : Ns == 2 ? pat2[i_s] : pat4[i_s];
    s->po0 = (sim_time_t)s->pf * IDLE_FRAME_US + (sim_time_t)s->sf * SIM_MS;
    s->edrx = 0;
    if (p->edrx_hf == 0) return 1;
    /* NB-IoT eDRX: T_eDRX,H = 2 ... 1024 hyperframes (TS 36.304 7.3; 20.48 s x
     * 2^k, TS 24.008 10.5.5.32), UE_ID_H 12 bits, a window of >= 1 frame. */
    if (!is_pow2(p->edrx_hf) || p->edrx_hf < 2 || p->edrx_hf > 1024) return 0;
    if (p->ue_id_h < 0 || p->ue_id_h >= 4096 || p->ptw_frames < 1) return 0;
    int64_t Te = p->edrx_hf;
    /* TS 36.304 7.3: PH: H-SFN mod T_eDRX,H = UE_ID_H mod T_eDRX,H; PTW_start
     * SFN = 256 i_eDRX, i_eDRX = floor(UE_ID_H / T_eDRX,H) mod 4; PTW_end SFN =
     * (PTW_start + L x 100 - 1) mod 1024, i.e. L x 100 frames (here
     * ptw_frames), running into the next hyperframe(s) when it wraps. */
    s->edrx = 1;
    s->ph = (int)(p->ue_id_h % Te);
    s->ptw_sfn = (int)(256 * ((p->ue_id_h / Te) % 4));
    s->C = Te * 1024;
    s->S0 = (int64_t)s->ph * 1024 + s->ptw_sfn;
    /* A window as long as the cycle or longer (possible for NB-IoT: PTW up to
     * 40.96 s, cycle from 20.48 s) overlaps the next one: the device is then
     * always inside a window (their union), which clamping to C represents. */
    s->L = p->ptw_frames < s->C ? p->ptw_frames : s->C;
    return 1;
}

/* Number of DRX occasions (po0 + k T frames, k any integer) before time x. */
static int64_t drx_before(const sched *s, sim_time_t x)
{
    return cdiv(x - s->po0, s->T * IDLE_FRAME_US);
}

/* First DRX occasion at or after x (x <= SIM_NEVER - one cycle). */
static sim_time_t drx_next(const sched *s, sim_time_t x)
{
    return s->po0 + drx_before(s, x) * s->T * IDLE_FRAME_US;
}

/* Window k of eDRX: [start, end) in microseconds. */
static void window(const sched *s, int64_t k, sim_time_t *start, sim_time_t *end)
{
    *start = (s->S0 + k * s->C) * IDLE_FRAME_US;
    *end = *start + s->L * IDLE_FRAME_US;
}

/* Index of the window that starts at or before x (the window containing x,
 * or the last one before it). */
static int64_t window_at(const sched *s, sim_time_t x)
{
    return fdiv(x - s->S0 * IDLE_FRAME_US, s->C * IDLE_FRAME_US);
}

/* Occasions inside one window: the same for every window, since a window's
 * start moves by whole cycles (C = 1024 T_eDRX,H frames, a multiple of T). */
static int64_t per_window(const sched *s)
{
    sim_time_t a, b;
    window(s, 0, &a, &b);
    return drx_before(s, b) - drx_before(s, a);
}

/* Number of monitored occasions before x, counted from window 0 (negative
 * for x before it): whole windows before x's window plus the part of x's
 * window before x. A PO lies in a window iff its frame does, and then its
 * time does too, since windows are whole frames. */
static int64_t po_before(const sched *s, sim_time_t x)
{
    if (!s->edrx) return drx_before(s, x);
    int64_t k = window_at(s, x);
    sim_time_t ws, we;
    window(s, k, &ws, &we);
    sim_time_t cut = x < we ? x : we;
    return k * per_window(s) + drx_before(s, cut) - drx_before(s, ws);
}

/* Window time before x, counted from window 0. */
static sim_time_t ptw_before(const sched *s, sim_time_t x)
{
    int64_t k = window_at(s, x);
    sim_time_t ws, we;
    window(s, k, &ws, &we);
    sim_time_t in = x < we ? x - ws : we - ws;
    return k * s->L * IDLE_FRAME_US + in;
}

/* ------------------------------------------------------------ public API */

int idle_paging_valid(const idle_paging *p)
{
    sched s;
    return make_sched(p, &s);
}

int idle_pf_offset(const idle_paging *p)
{
    sched s;
    return make_sched(p, &s) ? s.pf : -1;
}

int idle_po_subframe(const idle_paging *p)
{
    sched s;
    return make_sched(p, &s) ? s.sf : -1;
}

int idle_ph_offset(const idle_paging *p)
{
    sched s;
    return make_sched(p, &s) && s.edrx ? s.ph : -1;
}

int idle_ptw_start_sfn(const idle_paging *p)
{
    sched s;
    return make_sched(p, &s) && s.edrx ? s.ptw_sfn : -1;
}

/* Times are clamped to +-IDLE_T_MAX, where the arithmetic below cannot
 * overflow (it adds at most a few eDRX cycles, each <= 1.1e10 us). */
#define IDLE_T_MAX (SIM_NEVER / 2)
static sim_time_t clamp_t(sim_time_t t)
{
    return t > IDLE_T_MAX ? IDLE_T_MAX : t < -IDLE_T_MAX ? -IDLE_T_MAX : t;
}

sim_time_t idle_next_po(const idle_paging *p, sim_time_t t)
{
    sched s;
    if (!make_sched(p, &s) || t > IDLE_T_MAX) return SIM_NEVER;
    t = clamp_t(t);
    if (!s.edrx) return drx_next(&s, t);
    if (per_window(&s) == 0) return SIM_NEVER; /* e.g. T = 1024, a 256-frame window */
    int64_t k = window_at(&s, t);
    for (int i = 0; i < 2; i++, k++) {
        sim_time_t ws, we;
        window(&s, k, &ws, &we);
        if (we <= t) continue;
        sim_time_t po = drx_next(&s, t > ws ? t : ws);
        if (po < we) return po;
    }
    return SIM_NEVER; /* not reached: the next window holds an occasion */
}

int64_t idle_count_po(const idle_paging *p, sim_time_t a, sim_time_t b)
{
    sched s;
    if (!make_sched(p, &s) || b <= a) return 0;
    return po_before(&s, clamp_t(b)) - po_before(&s, clamp_t(a));
}

void idle_next_ptw(const idle_paging *p, sim_time_t t, sim_time_t *start, sim_time_t *end)
{
    sched s;
    /* DRX (or invalid): one window that never ends, starting now. */
    if (!make_sched(p, &s) || !s.edrx || t > IDLE_T_MAX) {
        *start = t;
        *end = SIM_NEVER;
        return;
    }
    /* The end is exclusive (the start of the frame after PTW_end); the first
     * window with end > t is the one containing t or the next one. The start
     * of the one containing t lies before t, before 0 for a window that
     * wrapped from H-SFN 1023 into H-SFN 0 at the start of the simulation. */
    int64_t k = window_at(&s, clamp_t(t));
    window(&s, k, start, end);
    if (*end <= t) window(&s, k + 1, start, end);
}

sim_time_t idle_ptw_time(const idle_paging *p, sim_time_t a, sim_time_t b)
{
    sched s;
    if (b <= a) return 0;
    if (!make_sched(p, &s) || !s.edrx) return b - a;
    return ptw_before(&s, clamp_t(b)) - ptw_before(&s, clamp_t(a));
}

/* ------------------------------------------------------------ S-TMSI hash */

/* The reflected CRC-32 of IEEE 802.3 / ISO-HDLC: polynomial 0x04C11DB7
 * (reversed 0xEDB88320), register preset to all ones, bits of each byte
 * least significant first, result complemented. crc32("123456789") =
 * 0xCBF43926. */
uint32_t idle_crc32(const uint8_t *bytes, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= bytes[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static uint32_t rev_bits(uint32_t x, int n)
{
    uint32_t r = 0;
    for (int i = 0; i < n; i++, x >>= 1)
        r = (r << 1) | (x & 1u);
    return r;
}

/* TS 36.304 7.3: Hashed_ID is the 32-bit FCS of the bits b31, b30, ..., b0
 * of the S-TMSI: the ones complement of Y1 + Y2 (mod 2), Y1 the remainder of
 * x^32 (x^31 + ... + 1) and Y2 that of x^32 (b31 x^31 + ... + b0), both
 * divided by the CRC-32 generator. That is the CRC-32 register preset to
 * ones, fed b31 first, complemented, with the coefficient of x^31 as the
 * most significant bit of Hashed_ID (the same definition and Y1 =
 * 0xC704DD7B are given in TS 38.304 7.4; public implementations shift the
 * 32-bit result right by 20 for the 12-bit UE_ID_H). The reflected CRC-32
 * feeds each byte's least significant bit first and leaves the coefficient
 * of x^31 in bit 0, so each byte is bit-reversed on the way in (b31 is then
 * the first bit) and the register on the way out. UE_ID_H = the 12 most
 * significant bits (NPDCCH). */
int idle_ue_id_h(uint32_t s_tmsi_lsb32)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)rev_bits(s_tmsi_lsb32 >> (24 - 8 * i), 8);
    uint32_t hashed = rev_bits(idle_crc32(b, 4), 32);
    return (int)(hashed >> 20);
}

/* ------------------------------------------------------------ timers */

/* Smallest v x unit >= s over the units, v = 0 ... 31; the largest value
 * when s is beyond all of them. A request within 1e-9 of a unit step counts
 * as that step (so 120.0000000001 s is 2 min, not 2 min 2 s). */
static double timer_round(double s, const double *units, int n)
{
    if (isnan(s)) return s;
    if (s <= 0) return 0;
    double best = INFINITY, max = 0;
    for (int i = 0; i < n; i++) {
        double v = ceil(s / units[i] - 1e-9);
        if (v < 0) v = 0;
        if (v <= 31 && v * units[i] < best) best = v * units[i];
        if (31 * units[i] > max) max = 31 * units[i];
    }
    return isinf(best) ? max : best;
}

/* TS 24.008 10.5.7.4 (GPRS timer 2, value coded as 10.5.7.3): unit 2 s,
 * 1 min or 1 decihour (6 min); value 0 ... 31. */
double idle_t3324_round(double s)
{
    static const double u[] = {2, 60, 360};
    return timer_round(s, u, 3);
}

/* TS 24.008 10.5.7.4a (GPRS timer 3): unit 10 min, 1 h, 10 h, 2 s, 30 s,
 * 1 min or 320 h; value 0 ... 31. */
double idle_t3412_round(double s)
{
    static const double u[] = {600, 3600, 36000, 2, 30, 60, 1152000};
    return timer_round(s, u, 7);
}

/* ------------------------------------------------------------ eDRX values */

/* Within 1 ms of a listed value (requests come from decimal text). */
static int near(double a, double b)
{
    return fabs(a - b) <= 1e-3;
}

/* TS 24.008 10.5.5.32, NB-S1 mode: eDRX cycle 20.48 s x 2^k, k = 0 ... 9
 * (20.48 ... 10485.76 s), i.e. 2 ... 1024 hyperframes of 10.24 s. */
int idle_edrx_hyperframes(double s)
{
    for (int k = 0; k <= 9; k++)
        if (near(s, 20.48 * (1 << k))) return 2 << k;
    return -1;
}

/* TS 24.008 10.5.5.32, NB-S1 mode: paging time window 2.56 s x (n + 1),
 * n = 0 ... 15, i.e. 256 (n + 1) frames. */
int idle_ptw_frames(double s)
{
    for (int n = 0; n <= 15; n++)
        if (near(s, 2.56 * (n + 1))) return 256 * (n + 1);
    return -1;
}

/* TS 24.008 10.5.5.32, WB-S1 mode (LTE-M): eDRX cycles of 20.48 s x 2^k up
 * to 2621.44 s are hyperframe based like NB-IoT's; the 5.12 s and 10.24 s
 * cycles (paging as a long DRX cycle) are not modelled. */
int idle_edrx_hyperframes_ltem(double s)
{
    for (int k = 0; k <= 7; k++)
        if (near(s, 20.48 * (1 << k))) return 2 << k;
    return -1;
}

/* TS 24.008 10.5.5.32, WB-S1 mode: paging time window 1.28 s x (n + 1),
 * n = 0 ... 15, i.e. 128 (n + 1) frames. */
int idle_ptw_frames_ltem(double s)
{
    for (int n = 0; n <= 15; n++)
        if (near(s, 1.28 * (n + 1))) return 128 * (n + 1);
    return -1;
}
