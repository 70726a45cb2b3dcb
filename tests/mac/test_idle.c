/* test_idle.c: idle-mode timing arithmetic (mac/idle.c).
 *
 * - Paging frame and occasion (TS 36.304 7.1/7.2) against a table computed
 *   by hand; eDRX paging hyperframe and window (TS 36.304 7.3) likewise,
 *   including a window that wraps from H-SFN 1023 into H-SFN 0.
 * - idle_next_po, idle_count_po and idle_ptw_time against brute force that
 *   applies the spec's definitions frame by frame (a PO is monitored iff its
 *   paging frame lies in a window [PH x 1024 + PTW_start, + L x 100 - 1] of
 *   some PH), over random schedules and intervals of up to three days, with
 *   interval ends exactly on occasions.
 * - CRC-32 known answers; UE_ID_H against the spec's polynomial definition
 *   (long division, Y1 = 0xC704DD7B) and hand-checked values.
 * - Timer rounding (TS 24.008 GPRS timers 2 and 3), eDRX and PTW value sets.
 * - Speed of idle_count_po over one day (printed).
 */
#include "mac/idle.h"
#include "tests/check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FR IDLE_FRAME_US

static uint64_t rnd(uint64_t *s)
{
    /* xorshift64*: reproducible, local state */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
static int64_t rnd_in(uint64_t *s, int64_t lo, int64_t hi) /* [lo, hi] */
{
    return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

static idle_paging drx(int ue_id, int T, int num, int den)
{
    idle_paging p = {.T = T, .nB_num = num, .nB_den = den, .ue_id = ue_id};
    return p;
}

/* ------------------------------------------------------------ tables */

static void test_pf_po_table(void)
{
    /* N = min(T, nB), Ns = max(1, nB/T), PF: SFN mod T = (T div N)(UE_ID mod N),
     * i_s = floor(UE_ID / N) mod Ns, FDD PO: Ns=1 {9}, 2 {4,9}, 4 {0,4,5,9}. */
    static const struct {
        int ue, T, num, den, pf, sf;
    } rows[] = {
        /* T=128 nB=T: N=128, Ns=1, PF = 0 mod 128 = 0, PO 9 */
        {0, 128, 1, 1, 0, 9},
        /* T=128 nB=T: 1000 mod 128 = 104; Ns=1 -> 9 */
        {1000, 128, 1, 1, 104, 9},
        /* T=128 nB=T/4=32: N=32, T div N = 4, 1000 mod 32 = 8 -> PF 32; PO 9 */
        {1000, 128, 1, 4, 32, 9},
        /* T=256 nB=4T: N=256, Ns=4; 4095 mod 256 = 255; floor(4095/256)=15,
         * 15 mod 4 = 3 -> subframe 9 */
        {4095, 256, 4, 1, 255, 9},
        /* 513 mod 256 = 1; floor(513/256) = 2 -> i_s 2 -> subframe 5 */
        {513, 256, 4, 1, 1, 5},
        /* 300 mod 256 = 44; floor(300/256) = 1 -> subframe 4 */
        {300, 256, 4, 1, 44, 4},
        /* 100 mod 256 = 100; i_s 0 -> subframe 0 */
        {100, 256, 4, 1, 100, 0},
        /* T=512 nB=2T: N=512, Ns=2; 700 mod 512 = 188; floor(700/512)=1 -> 9 */
        {700, 512, 2, 1, 188, 9},
        /* 1500 mod 512 = 476; floor(1500/512) = 2, 2 mod 2 = 0 -> 4 */
        {1500, 512, 2, 1, 476, 4},
        /* nB = 2T written as 4/2: T=64, N=64, Ns=2; PF 2; i_s 0 -> 4 */
        {2, 64, 4, 2, 2, 4},
        /* T=1024 nB=T/16=64: N=64, T div N = 16; 1234 mod 64 = 18 -> PF 288 */
        {1234, 1024, 1, 16, 288, 9},
        /* T=1024 nB=T/1024=1: N=1 -> PF 0 */
        {4000, 1024, 1, 1024, 0, 9},
        /* T=128 nB=T/1024=1/8 (fractional): UE_ID mod 1/8 = 0 -> PF 0, i_s 0 */
        {4000, 128, 1, 1024, 0, 9},
        /* odd UE_IDs with nB < 1: T=128 nB=T/512=1/4, T=256 nB=T/1024=1/4: PF 0 */
        {4001, 128, 1, 512, 0, 9},
        {4001, 256, 1, 1024, 0, 9},
        /* T=512 nB=T/512=1: PF 0 */
        {77, 512, 1, 512, 0, 9},
        /* T=512 nB=T/2=256: T div N = 2, 77 mod 256 = 77 -> PF 154 */
        {77, 512, 1, 2, 154, 9},
        /* T=32 nB=T/8=4: T div N = 8, 3333 mod 4 = 1 -> PF 8 */
        {3333, 32, 1, 8, 8, 9},
        /* non-anchor UE_ID: T=1024 nB=4T; 16383 mod 1024 = 1023; 15 mod 4 = 3 -> 9 */
        {16383, 1024, 4, 1, 1023, 9},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        idle_paging p = drx(rows[i].ue, rows[i].T, rows[i].num, rows[i].den);
        CHECK_MSG(idle_paging_valid(&p), "row %zu", i);
        CHECK_MSG(idle_pf_offset(&p) == rows[i].pf, "row %zu: pf %d want %d", i, idle_pf_offset(&p),
                  rows[i].pf);
        CHECK_MSG(idle_po_subframe(&p) == rows[i].sf, "row %zu: sf %d want %d", i,
                  idle_po_subframe(&p), rows[i].sf);
        /* the first occasion from 0 is PF x 10 ms + subframe, the next one T later */
        sim_time_t po = rows[i].pf * FR + rows[i].sf * SIM_MS;
        CHECK_EQ_INT(idle_next_po(&p, 0), po);
        CHECK_EQ_INT(idle_next_po(&p, po), po);
        CHECK_EQ_INT(idle_next_po(&p, po + 1), po + rows[i].T * FR);
        CHECK_EQ_INT(idle_ph_offset(&p), -1);
    }
    /* invalid schedules */
    idle_paging bad[] = {drx(1, 100, 1, 1),     drx(1, 2048, 1, 1), drx(1, 128, 8, 1),
                         drx(1, 128, 1, 2048),  drx(1, 128, 3, 1),  drx(-1, 128, 1, 1),
                         drx(16384, 128, 1, 1), drx(1, 128, 0, 1)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_MSG(!idle_paging_valid(&bad[i]), "bad %zu", i);
        CHECK_EQ_INT(idle_pf_offset(&bad[i]), -1);
        CHECK_EQ_INT(idle_next_po(&bad[i], 0), SIM_NEVER);
        CHECK_EQ_INT(idle_count_po(&bad[i], 0, SIM_DAY), 0);
    }
    idle_paging e = drx(1, 128, 1, 1);
    e.edrx_hf = 3, e.ptw_frames = 256;
    CHECK(!idle_paging_valid(&e));
    e.edrx_hf = 2048;
    CHECK(!idle_paging_valid(&e));
    e.edrx_hf = 2, e.ptw_frames = 0;
    CHECK(!idle_paging_valid(&e));
    e.ptw_frames = 256, e.ue_id_h = 4096;
    CHECK(!idle_paging_valid(&e));
}

static void test_ptw_table(void)
{
    /* PH: H-SFN mod Te = UE_ID_H mod Te; PTW_start SFN = 256 i_eDRX,
     * i_eDRX = floor(UE_ID_H / Te) mod 4; the window is L x 100 frames from
     * there. first_* = the first window ending after t = 0, in frames from
     * t = 0 (end exclusive). */
    static const struct {
        int uh, Te, L, ph, sfn;
        int64_t first_start, first_end;
    } rows[] = {
        /* 911 mod 2 = 1; floor(911/2) = 455, 455 mod 4 = 3 -> 768; window frames
         * 1024 + 768 = 1792 ... 2047 (17.92 s to 20.48 s) */
        {911, 2, 256, 1, 768, 1792, 2048},
        /* Te = 1024: PH 911, i_eDRX = 0; 4096 frames from H-SFN 911 SFN 0 to
         * H-SFN 914 SFN 1023 */
        {911, 1024, 4096, 911, 0, 911 * 1024, 915 * 1024},
        /* 4095 mod 1024 = 1023; floor(4095/1024) = 3 -> 768; 512 frames: H-SFN
         * 1023 SFN 768 to H-SFN 0 SFN 255 after the wrap, so at t = 0 the device
         * is inside the window that started 2.56 s before */
        {4095, 1024, 512, 1023, 768, -256, 256},
        /* 1000 mod 256 = 232; floor(1000/256) = 3 -> 768; 768 frames end in
         * H-SFN 233 SFN 511 */
        {1000, 256, 768, 232, 768, 232 * 1024 + 768, 233 * 1024 + 512},
        /* 100 mod 8 = 4; floor(100/8) = 12, 12 mod 4 = 0 -> SFN 0 */
        {100, 8, 256, 4, 0, 4 * 1024, 4 * 1024 + 256},
        /* 37 mod 16 = 5; floor(37/16) = 2 -> 512; 2560 frames end in H-SFN 7
         * SFN 1023 (512 + 2559 = 3071 = 2 x 1024 + 1023) */
        {37, 16, 2560, 5, 512, 5 * 1024 + 512, 8 * 1024},
        /* 0: PH 0, SFN 0 */
        {0, 2, 256, 0, 0, 0, 256},
        /* 5 mod 4 = 1; floor(5/4) = 1 -> 256 */
        {5, 4, 1024, 1, 256, 1024 + 256, 2048 + 256},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        idle_paging p = drx(0, 128, 1, 1);
        p.ue_id_h = rows[i].uh, p.edrx_hf = rows[i].Te, p.ptw_frames = rows[i].L;
        CHECK_MSG(idle_paging_valid(&p), "row %zu", i);
        CHECK_MSG(idle_ph_offset(&p) == rows[i].ph, "row %zu: ph %d", i, idle_ph_offset(&p));
        CHECK_MSG(idle_ptw_start_sfn(&p) == rows[i].sfn, "row %zu: sfn %d", i,
                  idle_ptw_start_sfn(&p));
        sim_time_t s, e;
        idle_next_ptw(&p, 0, &s, &e);
        CHECK_MSG(s == rows[i].first_start * FR && e == rows[i].first_end * FR,
                  "row %zu: window [%lld, %lld)", i, (long long)s, (long long)e);
        /* the window ending exactly at e is over at e: the next one is a cycle on */
        sim_time_t s2, e2;
        idle_next_ptw(&p, e, &s2, &e2);
        CHECK_EQ_INT(s2, s + (sim_time_t)rows[i].Te * IDLE_HYPERFRAME_US);
        CHECK_EQ_INT(e2, e + (sim_time_t)rows[i].Te * IDLE_HYPERFRAME_US);
        idle_next_ptw(&p, e - 1, &s2, &e2);
        CHECK_EQ_INT(s2, s);
        /* window time per cycle is L frames */
        CHECK_EQ_INT(idle_ptw_time(&p, 0, rows[i].Te * IDLE_HYPERFRAME_US), rows[i].L * FR);
        /* T = 128, PF 0: the window holds L / 128 occasions per cycle */
        CHECK_EQ_INT(idle_count_po(&p, 0, rows[i].Te * IDLE_HYPERFRAME_US), rows[i].L / 128);
        /* the first monitored occasion: PF 0 subframe 9 from the window start */
        sim_time_t from = s < 0 ? 0 : s;
        CHECK_EQ_INT(idle_next_po(&p, from), (s < 0 ? 0 : s) + 9 * SIM_MS);
    }
    /* T = 1024 and a 256-frame window at SFN 0 that never holds PF 700: no
     * occasion is ever monitored */
    idle_paging p = drx(700, 1024, 1, 1);
    p.edrx_hf = 2, p.ptw_frames = 256, p.ue_id_h = 0;
    CHECK_EQ_INT(idle_pf_offset(&p), 700);
    CHECK_EQ_INT(idle_next_po(&p, 0), SIM_NEVER);
    CHECK_EQ_INT(idle_count_po(&p, 0, 10 * SIM_DAY), 0);
    CHECK_EQ_INT(idle_ptw_time(&p, 0, 2 * IDLE_HYPERFRAME_US), 256 * FR);
    /* a window longer than the cycle (40.96 s window, 20.48 s cycle): always
     * inside, every DRX occasion monitored */
    idle_paging q = drx(321, 256, 1, 1);
    q.edrx_hf = 2, q.ptw_frames = 4096, q.ue_id_h = 3;
    idle_paging d = drx(321, 256, 1, 1);
    CHECK_EQ_INT(idle_ptw_time(&q, 123, SIM_DAY), SIM_DAY - 123);
    CHECK_EQ_INT(idle_count_po(&q, 123, SIM_DAY), idle_count_po(&d, 123, SIM_DAY));
    CHECK_EQ_INT(idle_next_po(&q, 777777), idle_next_po(&d, 777777));
    /* DRX: the whole interval counts as window */
    CHECK_EQ_INT(idle_ptw_time(&d, 5, 17), 12);
    CHECK_EQ_INT(idle_ptw_time(&d, 17, 5), 0);
    sim_time_t s, e;
    idle_next_ptw(&d, 42, &s, &e);
    CHECK(s == 42 && e == SIM_NEVER);
}

/* ------------------------------------------------------------ brute force */

static int64_t mod(int64_t a, int64_t m)
{
    return ((a % m) + m) % m;
}
static int64_t floordiv(int64_t a, int64_t m)
{
    return (a - mod(a, m)) / m;
}

/* Is frame f inside a paging time window? Straight from TS 36.304 7.3: some
 * PH h (h mod Te = UE_ID_H mod Te) with PTW_start = h x 1024 + 256 i_eDRX <= f
 * <= PTW_start + L - 1. L <= 4096 frames, so h is at most 4 hyperframes back. */
static int in_ptw(const idle_paging *p, int64_t f)
{
    if (!p->edrx_hf) return 1;
    int64_t Te = p->edrx_hf, start = 256 * ((p->ue_id_h / Te) % 4);
    for (int64_t h = floordiv(f, 1024) - 4; h <= floordiv(f, 1024); h++) {
        if (mod(h, Te) != p->ue_id_h % Te) continue;
        int64_t s = h * 1024 + start;
        if (f >= s && f <= s + p->ptw_frames - 1) return 1;
    }
    return 0;
}

/* Monitored occasions in [a, b): every frame with SFN mod T = PF offset,
 * kept if it is inside a window. */
static size_t brute_po(const idle_paging *p, sim_time_t a, sim_time_t b, sim_time_t **out)
{
    int64_t T = p->T, pf = idle_pf_offset(p), sf = idle_po_subframe(p);
    int64_t f0 = floordiv(a, FR) - 1, f1 = floordiv(b, FR) + 1;
    size_t cap = (size_t)((f1 - f0) / T + 2), n = 0;
    sim_time_t *v = malloc(cap * sizeof *v);
    for (int64_t f = f0 + mod(pf - f0, T); f <= f1; f += T) {
        sim_time_t t = f * FR + sf * SIM_MS;
        if (t >= a && t < b && in_ptw(p, f)) v[n++] = t;
    }
    *out = v;
    return n;
}

/* Window time in [a, b): the union of the windows of every PH, clipped. */
static sim_time_t brute_ptw(const idle_paging *p, sim_time_t a, sim_time_t b)
{
    if (!p->edrx_hf) return b - a;
    int64_t Te = p->edrx_hf, start = 256 * ((p->ue_id_h / Te) % 4);
    sim_time_t sum = 0, cur_s = 0, cur_e = 0;
    int have = 0;
    for (int64_t h = floordiv(a, IDLE_HYPERFRAME_US) - 5; h <= floordiv(b, IDLE_HYPERFRAME_US);
         h++) {
        if (mod(h, Te) != p->ue_id_h % Te) continue;
        sim_time_t s = (h * 1024 + start) * FR, e = s + p->ptw_frames * FR;
        if (have && s <= cur_e) { /* overlapping windows (L > cycle): merge */
            if (e > cur_e) cur_e = e;
            continue;
        }
        if (have) {
            sim_time_t lo = cur_s > a ? cur_s : a, hi = cur_e < b ? cur_e : b;
            if (hi > lo) sum += hi - lo;
        }
        cur_s = s, cur_e = e, have = 1;
    }
    if (have) {
        sim_time_t lo = cur_s > a ? cur_s : a, hi = cur_e < b ? cur_e : b;
        if (hi > lo) sum += hi - lo;
    }
    return sum;
}

static const int Ts[] = {32, 64, 128, 256, 512, 1024};
static const int nbs[][2] = {{4, 1},  {2, 1},  {1, 1},   {1, 2},   {1, 4},   {1, 8},   {1, 16},
                             {1, 32}, {1, 64}, {1, 128}, {1, 256}, {1, 512}, {1, 1024}};

static idle_paging random_paging(uint64_t *r)
{
    idle_paging p = drx((int)rnd_in(r, 0, 4095), Ts[rnd_in(r, 0, 5)], 1, 1);
    int k = (int)rnd_in(r, 0, 12);
    p.nB_num = nbs[k][0], p.nB_den = nbs[k][1];
    if (rnd_in(r, 0, 4) > 0) { /* 4 in 5 with eDRX */
        p.edrx_hf = 2 << rnd_in(r, 0, 9);
        p.ptw_frames = 256 * (int)rnd_in(r, 1, 16);
        if (rnd_in(r, 0, 9) == 0) p.ptw_frames = (int)rnd_in(r, 1, 4096); /* any length */
        p.ue_id_h = (int)rnd_in(r, 0, 4095);
    }
    return p;
}

static int check_against_brute(const idle_paging *p, sim_time_t a, sim_time_t b, uint64_t *r)
{
    sim_time_t *v;
    size_t n = brute_po(p, a, b, &v);
    int bad = 0;
    if (idle_count_po(p, a, b) != (int64_t)n) bad |= 1;
    /* enumerate with idle_next_po */
    size_t i = 0;
    for (sim_time_t t = idle_next_po(p, a); t < b; t = idle_next_po(p, t + 1), i++)
        if (i >= n || t != v[i]) {
            bad |= 2;
            break;
        }
    if (i != n) bad |= 2;
    if (n == 0 && idle_next_po(p, a) < b) bad |= 2;
    /* sub-intervals with ends exactly on occasions (and one microsecond off) */
    for (int k = 0; k < 20 && n > 0; k++) {
        size_t i0 = (size_t)rnd_in(r, 0, (int64_t)n - 1), i1 = (size_t)rnd_in(r, 0, (int64_t)n - 1);
        if (i0 > i1) {
            size_t x = i0;
            i0 = i1, i1 = x;
        }
        /* [v[i0], v[i1]) holds i1 - i0; [v[i0], v[i1] + 1) one more;
         * [v[i0] + 1, v[i1]) one fewer (when i1 > i0) */
        if (idle_count_po(p, v[i0], v[i1]) != (int64_t)(i1 - i0)) bad |= 4;
        if (idle_count_po(p, v[i0], v[i1] + 1) != (int64_t)(i1 - i0 + 1)) bad |= 4;
        if (i1 > i0 && idle_count_po(p, v[i0] + 1, v[i1]) != (int64_t)(i1 - i0 - 1)) bad |= 4;
        if (idle_next_po(p, v[i0]) != v[i0]) bad |= 4;
        if (i0 + 1 < n && idle_next_po(p, v[i0] + 1) != v[i0 + 1]) bad |= 4;
    }
    if (idle_ptw_time(p, a, b) != brute_ptw(p, a, b)) bad |= 8;
    free(v);
    return bad;
}

static void test_random(void)
{
    uint64_t r = 0x9E3779B97F4A7C15ull;
    int fails = 0, runs = 0;
    /* long intervals: up to three days anywhere in the first 30 days */
    for (int it = 0; it < 150; it++, runs++) {
        idle_paging p = random_paging(&r);
        sim_time_t a = rnd_in(&r, 0, 30 * SIM_DAY), b = a + rnd_in(&r, 0, 3 * SIM_DAY);
        int bad = check_against_brute(&p, a, b, &r);
        if (bad) {
            fails++;
            fprintf(stderr, "mismatch %d: ue %d T %d nB %d/%d edrx %d ptw %d uh %d [%lld, %lld)\n",
                    bad, p.ue_id, p.T, p.nB_num, p.nB_den, p.edrx_hf, p.ptw_frames, p.ue_id_h,
                    (long long)a, (long long)b);
        }
    }
    /* short intervals, many schedules, around the start and the H-SFN wrap
     * (1024 hyperframes = 10485.76 s) */
    for (int it = 0; it < 3000; it++, runs++) {
        idle_paging p = random_paging(&r);
        sim_time_t c = rnd_in(&r, 0, 2) == 0 ? 0 : 1024 * IDLE_HYPERFRAME_US * rnd_in(&r, 1, 3);
        sim_time_t a = c + rnd_in(&r, -3600 * SIM_S, 3600 * SIM_S);
        if (a < 0) a = rnd_in(&r, 0, 100 * SIM_S);
        sim_time_t b = a + rnd_in(&r, 0, 3600 * SIM_S);
        int bad = check_against_brute(&p, a, b, &r);
        if (bad) {
            fails++;
            fprintf(stderr, "mismatch %d: ue %d T %d nB %d/%d edrx %d ptw %d uh %d [%lld, %lld)\n",
                    bad, p.ue_id, p.T, p.nB_num, p.nB_den, p.edrx_hf, p.ptw_frames, p.ue_id_h,
                    (long long)a, (long long)b);
        }
        if (fails > 10) break;
    }
    CHECK_MSG(fails == 0, "%d of %d random schedules disagree with brute force", fails, runs);
    /* frame-by-frame check of the window membership used by the brute force
     * against idle_ptw_time, over 3 hours for a few schedules */
    for (int it = 0; it < 6; it++) {
        idle_paging p = random_paging(&r);
        if (!p.edrx_hf) p.edrx_hf = 2, p.ptw_frames = 512, p.ue_id_h = 77;
        int64_t f0 = rnd_in(&r, 0, 1000000), nf = 3 * 360000, in = 0;
        for (int64_t f = f0; f < f0 + nf; f++)
            in += in_ptw(&p, f);
        CHECK_EQ_INT(idle_ptw_time(&p, f0 * FR, (f0 + nf) * FR), in * FR);
    }
}

/* Invariants over long horizons: a whole number of cycles holds a fixed
 * count, additivity over a split point, and no overflow at SIM_NEVER. */
static void test_invariants(void)
{
    uint64_t r = 12345;
    for (int it = 0; it < 500; it++) {
        idle_paging p = random_paging(&r);
        sim_time_t cyc = p.edrx_hf ? p.edrx_hf * IDLE_HYPERFRAME_US : p.T * FR;
        sim_time_t a = rnd_in(&r, 0, 400 * SIM_DAY);
        int64_t n1 = idle_count_po(&p, a, a + cyc);
        int64_t k = rnd_in(&r, 1, 1000);
        CHECK(idle_count_po(&p, a, a + k * cyc) == k * n1);
        sim_time_t m = a + rnd_in(&r, 0, k * cyc);
        CHECK(idle_count_po(&p, a, m) + idle_count_po(&p, m, a + k * cyc) == k * n1);
        CHECK(idle_ptw_time(&p, a, a + k * cyc) ==
              k * (p.edrx_hf ? (p.ptw_frames < p.edrx_hf * 1024 ? p.ptw_frames * FR : cyc) : cyc));
        /* ten years of occasions */
        int64_t ten = idle_count_po(&p, 0, 3650 * SIM_DAY);
        CHECK(ten >= 0 && ten <= 3650 * SIM_DAY / (8 * FR) * 4 + 4);
        CHECK(idle_count_po(&p, a, SIM_NEVER) > 0 || idle_next_po(&p, a) == SIM_NEVER);
        CHECK(idle_ptw_time(&p, a, SIM_NEVER) > 0);
    }
}

/* ------------------------------------------------------------ hash */

/* Remainder of the 64-bit polynomial x (bit i = coefficient of x^i) divided
 * by the CRC-32 generator x^32 + x^26 + ... + 1 (0x104C11DB7), long hand. */
static uint32_t poly_mod(uint64_t x)
{
    const uint64_t g = 0x104C11DB7ull;
    for (int i = 63; i >= 32; i--)
        if (x >> i & 1) x ^= g << (i - 32);
    return (uint32_t)x;
}

/* TS 36.304 7.3 Hashed_ID, literally: ~(Y1 + Y2), Y1 = x^32 (x^31 + ... + 1)
 * mod G, Y2 = x^32 (b31 x^31 + ... + b0) mod G. */
static uint32_t hashed_id_spec(uint32_t s)
{
    return ~(poly_mod(0xFFFFFFFFull << 32) ^ poly_mod((uint64_t)s << 32));
}

static uint32_t rev(uint32_t x, int n)
{
    uint32_t y = 0;
    for (int i = 0; i < n; i++)
        y = (y << 1) | (x >> i & 1);
    return y;
}

static void test_hash(void)
{
    const char *c = "123456789";
    CHECK_EQ_INT(idle_crc32((const uint8_t *)c, 9), 0xCBF43926u); /* CRC-32 check value */
    CHECK_EQ_INT(idle_crc32(NULL, 0), 0);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    CHECK_EQ_INT(idle_crc32((const uint8_t *)fox, strlen(fox)), 0x414FA339u);
    /* Feeding bit-reversed bytes and reversing the result gives the
     * non-reflected CRC-32 (CRC-32/BZIP2, check value 0xFC891918): the
     * construction idle_ue_id_h relies on. */
    uint8_t b[9];
    for (int i = 0; i < 9; i++)
        b[i] = (uint8_t)rev((uint8_t)c[i], 8);
    CHECK_EQ_INT(rev(idle_crc32(b, 9), 32), 0xFC891918u);
    /* Y1 as printed in the spec's note */
    CHECK_EQ_INT(poly_mod(0xFFFFFFFFull << 32), 0xC704DD7Bu);
    /* Hand-checked: S-TMSI bits all 0 -> Y2 = 0, Hashed_ID = ~0xC704DD7B =
     * 0x38FB2284, UE_ID_H = 0x38F = 911; all 1 -> Y2 = Y1, Hashed_ID =
     * 0xFFFFFFFF, UE_ID_H = 4095. */
    CHECK_EQ_INT(idle_ue_id_h(0), 911);
    CHECK_EQ_INT(idle_ue_id_h(0xFFFFFFFFu), 4095);
    /* S-TMSI = 1 (only b0): Y2 = x^32 mod G = 0x04C11DB7, Hashed_ID =
     * ~(0xC704DD7B ^ 0x04C11DB7) = ~0xC3C5C0CC = 0x3C3A3F33, UE_ID_H = 0x3C3 */
    CHECK_EQ_INT(idle_ue_id_h(1), 0x3C3);
    uint64_t r = 99;
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        uint32_t s = (uint32_t)rnd(&r);
        if (idle_ue_id_h(s) != (int)(hashed_id_spec(s) >> 20)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
}

/* ------------------------------------------------------------ timers, values */

static void test_timers(void)
{
    static const double t3324[][2] = {
        {0, 0},         {-5, 0},        {1, 2},       {2, 2},
        {3, 4},         {61, 62},       {62, 62},     {63, 120},
        {120, 120},     {121, 180},     {1860, 1860}, {1861, 2160},
        {11160, 11160}, {11161, 11160}, {1e9, 11160}, {120.0000000001, 120},
    };
    for (size_t i = 0; i < sizeof t3324 / sizeof t3324[0]; i++)
        CHECK_MSG(idle_t3324_round(t3324[i][0]) == t3324[i][1], "t3324(%g) = %g, want %g",
                  t3324[i][0], idle_t3324_round(t3324[i][0]), t3324[i][1]);
    static const double t3412[][2] = {
        {0, 0},
        {1, 2},
        {62, 62},
        {63, 90},
        {930, 930},
        {931, 960},
        {1860, 1860},
        {1861, 2400},
        {3000, 3000},
        {18600, 18600},
        {18601, 21600},
        {86400, 86400},
        {86401, 90000},
        {111600, 111600},
        {111601, 144000},
        {1116000, 1116000},
        {1116001, 1152000},
        {35712000, 35712000},
        {4e7, 35712000},
    };
    for (size_t i = 0; i < sizeof t3412 / sizeof t3412[0]; i++)
        CHECK_MSG(idle_t3412_round(t3412[i][0]) == t3412[i][1], "t3412(%g) = %g, want %g",
                  t3412[i][0], idle_t3412_round(t3412[i][0]), t3412[i][1]);
    /* exhaustive: the result is representable, >= s, and nothing representable
     * lies in [s, result) */
    static const double u2[] = {2, 60, 360}, u3[] = {2, 30, 60, 600, 3600, 36000, 1152000};
    int bad = 0;
    for (double s = 0.5; s < 12000; s += 0.5) {
        double g = idle_t3324_round(s);
        int rep = 0;
        for (int k = 0; k < 3; k++)
            for (int v = 0; v <= 31; v++) {
                if (v * u2[k] == g) rep = 1;
                if (v * u2[k] >= s && v * u2[k] < g) bad++;
            }
        if (!rep || (g < s && s <= 11160)) bad++;
    }
    for (double s = 1; s < 4e7; s *= 1.01) {
        double g = idle_t3412_round(s);
        int rep = 0;
        for (int k = 0; k < 7; k++)
            for (int v = 0; v <= 31; v++) {
                if (v * u3[k] == g) rep = 1;
                if (v * u3[k] >= s && v * u3[k] < g) bad++;
            }
        if (!rep || (g < s && s <= 35712000)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
}

static void test_values(void)
{
    static const double cyc[] = {20.48,  40.96,   81.92,   163.84,  327.68,
                                 655.36, 1310.72, 2621.44, 5242.88, 10485.76};
    for (int k = 0; k < 10; k++)
        CHECK_EQ_INT(idle_edrx_hyperframes(cyc[k]), 2 << k);
    static const double notc[] = {0, 5.12, 10.24, 61.44, 30, 20971.52, -20.48};
    for (size_t i = 0; i < sizeof notc / sizeof notc[0]; i++)
        CHECK_EQ_INT(idle_edrx_hyperframes(notc[i]), -1);
    for (int n = 0; n < 16; n++)
        CHECK_EQ_INT(idle_ptw_frames(2.56 * (n + 1)), 256 * (n + 1));
    CHECK_EQ_INT(idle_ptw_frames(7.68), 768);
    CHECK_EQ_INT(idle_ptw_frames(40.96), 4096);
    static const double notp[] = {0, 1.28, 3, 43.52, -2.56};
    for (size_t i = 0; i < sizeof notp / sizeof notp[0]; i++)
        CHECK_EQ_INT(idle_ptw_frames(notp[i]), -1);
    /* LTE-M (WB-S1, TS 24.008 10.5.5.32): eDRX 20.48 ... 2621.44 s (the
     * 5.12 and 10.24 s cycles not modelled), PTW 1.28 x (n + 1) s */
    for (int k = 0; k < 8; k++)
        CHECK_EQ_INT(idle_edrx_hyperframes_ltem(cyc[k]), 2 << k);
    static const double notcl[] = {0, 5.12, 10.24, 5242.88, 10485.76};
    for (size_t i = 0; i < sizeof notcl / sizeof notcl[0]; i++)
        CHECK_EQ_INT(idle_edrx_hyperframes_ltem(notcl[i]), -1);
    for (int n = 0; n < 16; n++)
        CHECK_EQ_INT(idle_ptw_frames_ltem(1.28 * (n + 1)), 128 * (n + 1));
    static const double notpl[] = {0, 0.64, 2, 21.76, 40.96};
    for (size_t i = 0; i < sizeof notpl / sizeof notpl[0]; i++)
        CHECK_EQ_INT(idle_ptw_frames_ltem(notpl[i]), -1);
}

/* ------------------------------------------------------------ speed */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void test_speed(void)
{
    idle_paging d = drx(1234, 128, 1, 1);
    idle_paging e = d;
    e.edrx_hf = 2, e.ptw_frames = 512, e.ue_id_h = 911; /* 20.48 s cycle: 4219 per day */
    const int n = 1000000;
    volatile int64_t sink = 0;
    double t0 = now_s();
    for (int i = 0; i < n; i++)
        sink += idle_count_po(&d, (sim_time_t)i * 997, (sim_time_t)i * 997 + SIM_DAY);
    double t1 = now_s();
    for (int i = 0; i < n; i++)
        sink += idle_count_po(&e, (sim_time_t)i * 997, (sim_time_t)i * 997 + SIM_DAY);
    double t2 = now_s();
    double ns_d = (t1 - t0) / n * 1e9, ns_e = (t2 - t1) / n * 1e9;
    printf("idle_count_po over one day: DRX %.1f ns/call, eDRX %.1f ns/call\n", ns_d, ns_e);
    /* generous bounds (sanitizer builds are slower): O(1) either way */
    CHECK_MSG(ns_d < 5000 && ns_e < 20000, "%.1f / %.1f ns", ns_d, ns_e);
    CHECK(sink != 0);
    /* one day of DRX at T = 128: 86400 / 1.28 = 67500 occasions exactly */
    CHECK_EQ_INT(idle_count_po(&d, 0, SIM_DAY), 67500);
}

int main(void)
{
    test_pf_po_table();
    test_ptw_table();
    test_random();
    test_invariants();
    test_hash();
    test_timers();
    test_values();
    test_speed();
    return check_done();
}
