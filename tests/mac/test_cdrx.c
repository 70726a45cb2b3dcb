/* test_cdrx.c: connected-mode DRX (TS 36.321 5.7) against closed forms.
 *
 * 1. A connected wait of a minute divides into monitoring, awake and asleep
 *    as the DRX pattern says: with the timer window of I PDCCH periods from
 *    an NPDCCH occasion (NB-IoT) or I subframes (LTE-M), and N on-durations
 *    of onDurationTimer x pp (or psf) starting where
 *    [(SFN x 10) + subframe] mod cycle = offset (counted here from the
 *    cycle's arithmetic, restarting every 10.24 s), the awake time is
 *    exactly I x pp + N x on, the monitored time (I + N x on) x Rmax valid
 *    subframes within one subframe per cycle, the rest is DRX sleep.
 *    Several cycles, including ones that do not divide 10240 subframes.
 * 2. A network command that arrives while the device sleeps waits for the
 *    next on-duration: its latency exceeds that without DRX by exactly the
 *    time from the first search space after its arrival to the first one
 *    in an on-duration.
 * 3. 1000 waits (both radios, every cycle, offsets at the edges, windows
 *    overlapping on-durations, across SFN wraps): the awake time equals a
 *    millisecond-by-millisecond marking of the on-durations and the window.
 * 4. LTE-M refuses an on-duration no search space of some level starts in.
 * The hand timelines of a whole report with DRX, with and without RAI, are
 * in test_timeline.c.
 */
#include "mac/mac_internal.h"
#include "tests/check.h"
#include "tests/mac/one_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SFN_MS 10240

typedef struct cfg {
    int ltem, ce, cycle, on, inact, offset;
} cfg;

/* Cycle starts in [a, b), from the formula (every SFN period anew); *on_sum
 * (may be NULL) gets their on-durations of `on` each, cut by the next
 * start (onDurationTimer restarts there: the Active Time is the union). */
static int starts_in(int cycle, int offset, sim_time_t a, sim_time_t b, sim_time_t *first,
                     sim_time_t on, int64_t *on_sum)
{
    int n = 0;
    *first = SIM_NEVER;
    if (on_sum) *on_sum = 0;
    for (sim_time_t p = a / (SFN_MS * SIM_MS) * SFN_MS * SIM_MS; p < b; p += SFN_MS * SIM_MS)
        for (int sf = offset; sf < SFN_MS; sf += cycle) {
            sim_time_t s = p + (sim_time_t)sf * SIM_MS;
            if (s >= a && s < b) {
                if (s < *first) *first = s;
                n++;
                const int nsf = sf + cycle < SFN_MS ? sf + cycle : SFN_MS + offset;
                const sim_time_t gap = (sim_time_t)(nsf - sf) * SIM_MS;
                if (on_sum) *on_sum += on < gap ? on : gap;
            }
        }
    return n;
}

/* A cell of one device that sends nothing (the waits are set by hand). */
static mac_cell *silent_cell(const mac_radio_cfg *radio, mac_group_cfg *g, sim_engine **e)
{
    mac_group_cfg_default(g);
    g->traffic.kind = TRAFFIC_NONE;
    mac_cell_cfg cc = {
        .radio = radio, .groups = g, .n_groups = 1, .duration = 600 * SIM_S, .seed = 3};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 64};
    *e = sim_engine_create(&ec, &err);
    mac_cell *c = mac_cell_create(&cc, *e, &err);
    CHECK(c != NULL);
    return c;
}

static void closed_form(const cfg *k)
{
    mac_radio_cfg radio;
    mac_group_cfg g;
    if (k->ltem)
        mac_radio_cfg_default_ltem(&radio);
    else
        mac_radio_cfg_default(&radio);
    radio.cdrx = (mac_cdrx_cfg){.enabled = 1,
                                .on_duration = k->on,
                                .inactivity = k->inact,
                                .retransmission = 0,
                                .ul_retransmission = 0,
                                .cycle_sf = k->cycle,
                                .start_offset = k->offset};
    sim_engine *e;
    mac_cell *c = silent_cell(&radio, &g, &e);
    mac_dev *d = &c->devs[0];
    d->ce = (uint8_t)k->ce;
    const sim_time_t T = c->ss_period[k->ce], rx = c->ss_rx[k->ce];
    const sim_time_t unit = k->ltem ? SIM_MS : T; /* pp or psf */
    const sim_time_t on = (sim_time_t)k->on * unit, C = (sim_time_t)k->cycle * SIM_MS;
    /* the window opens at a search space a little after an on-duration
     * (t = 20.48 s + offset + on + 3 ms), and the wait ends at a cycle start
     * about a minute later: whole on-durations only */
    sim_time_t a = 2 * SFN_MS * SIM_MS + (sim_time_t)k->offset * SIM_MS + on + 3 * SIM_MS;
    if (!k->ltem) a = sched_ss_next(c, k->ce, a);
    sim_time_t w_end = a + (sim_time_t)k->inact * unit;
    sim_time_t first, dummy;
    starts_in(k->cycle, k->offset, a + 60 * SIM_S, a + 60 * SIM_S + 2 * C, &first, 0, NULL);
    const sim_time_t b = first;
    int64_t on_sum;
    int n_on = starts_in(k->cycle, k->offset, w_end, b, &dummy, on, &on_sum);
    /* the window must not meet an on-duration (the closed form adds them) */
    CHECK(starts_in(k->cycle, k->offset, a - on, w_end, &dummy, 0, NULL) == 0);
    d->drx_from = a;
    d->drx_until = w_end;
    int64_t sleep;
    const int64_t mon = drx_wait(c, d, a, b, &sleep);
    const int64_t awake = (b - a) - sleep;
    const int64_t want_awake = (w_end - a) + on_sum;
    /* monitored: Rmax valid subframes per search space (NB-IoT: a space
     * per pp; LTE-M: the spaces' share rx / T of the active time) */
    const double want_mon = (double)want_awake * (double)rx / (double)T;
    /* on-durations aligned to the search spaces: within a subframe per
     * cycle; otherwise a space cut by an on-duration's edge is monitored
     * only inside it (partial PDCCH periods), up to rx per on-duration */
    const int aligned = (k->offset * SIM_MS) % T == 0 && on % T == 0 && C % T == 0;
    printf("%s%s CE%d cycle %d on %d inact %d offset %d: %d on-durations in %.3f s; awake %.3f s "
           "(closed form %.3f), monitoring %.3f s (%.3f), asleep %.3f s\n",
           k->ltem ? "LTE-M" : "NB-IoT", aligned ? "" : " (unaligned)", k->ce, k->cycle, k->on,
           k->inact, k->offset, n_on, (b - a) / 1e6, awake / 1e6, want_awake / 1e6, mon / 1e6,
           want_mon / 1e6, sleep / 1e6);
    CHECK(n_on > 0);
    CHECK_EQ_INT(awake, want_awake);
    CHECK_NEAR((double)mon, want_mon, (double)(n_on + 1) * (double)(aligned ? SIM_MS : rx));
    CHECK(sleep == (b - a) - want_awake);
    mac_cell_destroy(c);
    sim_engine_destroy(e);
}

/* 2: a command at t_cmd to a device whose Active Time has ended. */
static double command_latency_ms(int drx, double t_cmd_s, sim_time_t *dci)
{
    mac_radio_cfg radio;
    mac_radio_cfg_default(&radio);
    radio.cdrx.enabled = drx;
    radio.inactivity_s = 30; /* still connected when the command comes */
    phy_link_calibrate(&radio.link, PHY_CAL_SHANNON);
    mac_group_cfg g;
    one_report_group(&g, 10, 50, 144);
    g.rai = 0;
    g.downlink.traffic.kind = TRAFFIC_PERIODIC;
    g.downlink.traffic.period_s = 86400;
    g.downlink.traffic.random_phase = 0;
    g.downlink.traffic.start_s = t_cmd_s;
    mac_cell_cfg cc = {
        .radio = &radio, .groups = &g, .n_groups = 1, .duration = 120 * SIM_S, .seed = 7};
    sim_error err;
    sim_error_clear(&err);
    sim_engine_config ec = {SIM_QUEUE_RADIX, 64};
    sim_engine *e = sim_engine_create(&ec, &err);
    mac_cell *c = mac_cell_create(&cc, e, &err);
    CHECK(sim_engine_run(e, cc.duration, &err) == SIM_OK && mac_cell_finish(c, &err) == SIM_OK);
    uint32_t n;
    const mac_device_stats *s = mac_cell_device_stats(c, &n);
    CHECK_EQ_INT(s->dl_delivered, 1);
    CHECK_EQ_INT(s->harq_retx, 0);
    const double lat = s->dl_latency_ms_mean;
    /* where the DCI goes: the first search space from t_cmd (no DRX) or
     * the first in an on-duration (cycle 2048 ms from SFN 0, 2 pp); the
     * command is received at the end of its NPDSCH: the DCI's R valid
     * subframes, then from the first valid subframe >= n + 5 (TS 36.213
     * 16.4.1) */
    sim_time_t t = (sim_time_t)llround(t_cmd_s * 1e6), T = c->ss_period[0];
    sim_time_t ss = sched_ss_next(c, 0, t);
    if (drx)
        while ((ss % (SFN_MS * SIM_MS)) % (2048 * SIM_MS) >= 2 * T)
            ss = sched_ss_next(c, 0, ss + 1);
    const mac_dev *d = &c->devs[0];
    phy_dl_grant dg;
    mac_dl_select(c, &c->glink[0], d->cl_db, 8 * (20 + radio.l2_overhead_bytes), 0, &dg);
    const int R = mac_dci_reps(c, &c->glink[0], d->cl_db, radio.ce[0].npdcch_rmax, NULL);
    const sim_time_t dci_end = phy_dl_span_end(&c->dlmap, phy_dl_next_valid(&c->dlmap, ss), R);
    const sim_time_t ps = phy_dl_next_valid(&c->dlmap, dci_end + 4 * SIM_MS);
    *dci = phy_dl_span_end(&c->dlmap, ps, dg.n_subframes); /* received */
    mac_cell_destroy(c);
    sim_engine_destroy(e);
    return lat;
}

/* 3: windows that overlap on-durations, waits across the SFN wrap, every
 * value set: awake time against a millisecond-by-millisecond marking of
 * the on-durations (each cycle start from the formula, cut by the next) and
 * the window; monitoring within the awake time. A fixed pseudo-random
 * sequence (LCG) picks 1000 cases. */
static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

static void brute_force(void)
{
    static const int nb_cy[] = {256,  512,  1024, 1280, 1536, 2048, 2560, 3072,
                                4096, 4608, 5120, 6144, 7680, 8192, 9216, 10240};
    static const int nb_on[] = {1, 2, 3, 4, 8, 16, 32};
    static const int lt_cy[] = {10,  20,  32,  40,  60,  64,   70,   80,   128,
                                160, 256, 320, 512, 640, 1024, 1280, 2048, 2560};
    static const int lt_on[] = {1, 2, 5, 10, 20, 50, 100, 200, 400, 800, 1600};
    uint64_t x = 12345;
    int bad = 0, n = 0;
    for (int ltem = 0; ltem < 2; ltem++) {
        mac_radio_cfg radio;
        if (ltem)
            mac_radio_cfg_default_ltem(&radio);
        else
            mac_radio_cfg_default(&radio);
        mac_group_cfg g;
        sim_engine *e;
        mac_cell *c = silent_cell(&radio, &g, &e);
        for (int it = 0; it < 500; it++, n++) {
            const int cy = ltem ? lt_cy[lcg(&x) % 18] : nb_cy[lcg(&x) % 16];
            c->r.cdrx.cycle_sf = cy;
            c->r.cdrx.on_duration = ltem ? lt_on[lcg(&x) % 11] : nb_on[lcg(&x) % 7];
            /* offsets at the edges: 0, the cycle's last subframe, and the
             * one that puts a start exactly at the SFN wrap */
            const int pick = (int)(lcg(&x) % 4);
            c->r.cdrx.start_offset = pick == 0   ? 0
                                     : pick == 1 ? cy - 1
                                     : pick == 2 ? SFN_MS % cy
                                                 : (int)(lcg(&x) % (uint64_t)cy);
            drx_setup(c);
            mac_dev *d = &c->devs[0];
            d->ce = (uint8_t)(lcg(&x) % (uint64_t)c->r.n_ce);
            const sim_time_t on = c->drx_on[d->ce], C = (sim_time_t)cy * SIM_MS;
            /* a wait of up to 30 s starting within 2 s of an SFN wrap */
            const sim_time_t sfn = SFN_MS * SIM_MS;
            const sim_time_t a = (sim_time_t)(1 + lcg(&x) % 3) * sfn - 2 * SIM_S +
                                 (sim_time_t)(lcg(&x) % 4000) * SIM_MS;
            const sim_time_t b = a + (sim_time_t)(1 + lcg(&x) % 30000) * SIM_MS;
            /* a window anywhere around the wait (possibly empty or past) */
            d->drx_from = a - 500 * SIM_MS + (sim_time_t)(lcg(&x) % 6000) * SIM_MS;
            d->drx_until = d->drx_from + (sim_time_t)(lcg(&x) % 3000) * SIM_MS;
            /* by hand, per millisecond */
            const sim_time_t lo = (a / sfn - 1) * sfn;
            const size_t len = (size_t)((b - lo) / SIM_MS);
            unsigned char *act = calloc(len, 1);
            CHECK(act != NULL);
            if (!act) break;
            for (sim_time_t p = lo; p < b; p += sfn)
                for (int sf = c->r.cdrx.start_offset; sf < SFN_MS; sf += cy) {
                    const sim_time_t st = p + (sim_time_t)sf * SIM_MS;
                    const sim_time_t nx =
                        sf + cy < SFN_MS ? st + C : p + sfn + c->r.cdrx.start_offset * SIM_MS;
                    const sim_time_t en = st + on < nx ? st + on : nx;
                    for (sim_time_t t = st; t < en && t < b; t += SIM_MS)
                        act[(t - lo) / SIM_MS] = 1;
                }
            int64_t want = 0;
            for (sim_time_t t = a; t < b; t += SIM_MS)
                if (act[(t - lo) / SIM_MS] || (t >= d->drx_from && t < d->drx_until))
                    want += SIM_MS;
            free(act);
            int64_t sleep;
            const int64_t mon = drx_wait(c, d, a, b, &sleep);
            const int64_t awake = (b - a) - sleep;
            if (awake != want || mon < 0 || mon > awake || sleep < 0) {
                if (bad++ < 5)
                    fprintf(stderr,
                            "%s CE%d cycle %d on %d offset %d wait [%lld, %lld) window [%lld, "
                            "%lld): awake %lld, by hand %lld, monitoring %lld\n",
                            ltem ? "LTE-M" : "NB-IoT", d->ce, cy, c->r.cdrx.on_duration,
                            c->r.cdrx.start_offset, (long long)a, (long long)b,
                            (long long)d->drx_from, (long long)d->drx_until, (long long)awake,
                            (long long)want, (long long)mon);
            }
        }
        mac_cell_destroy(c);
        sim_engine_destroy(e);
    }
    printf("%d random waits against the millisecond marking: %d differ\n", n, bad);
    CHECK_EQ_INT(bad, 0);
}

/* 4: LTE-M refuses on-durations that no search space of a level starts in
 * (a device with R = Rmax could never be scheduled); NB-IoT's always hold
 * one. Default LTE-M levels: search spaces every 4, 16, 128 and 192
 * subframes from 0; on-duration 10 of every 320. */
static void reachable(void)
{
    mac_radio_cfg r;
    char field[64], why[512];
    mac_radio_cfg_default_ltem(&r);
    static const struct {
        int offset, on, ok;
    } lt[] = {
        {0, 10, 1},  {64, 10, 1}, /* 64: a multiple of 4 and 16, and 384 mod 320 */
        {1, 10, 0},               /* [1, 11): no multiple of 16 */
        {7, 10, 0},  /* [7, 17) holds 8 and 16, but multiples of 128 and 192 fall on 0, 64, 128,
                        192, 256 mod 320 */
        {1, 400, 1}, /* continuous */
    };
    for (size_t i = 0; i < sizeof lt / sizeof lt[0]; i++) {
        r.cdrx.start_offset = lt[i].offset;
        r.cdrx.on_duration = lt[i].on;
        const int rc = mac_ltem_cfg_check(&r, field, sizeof field, why, sizeof why);
        CHECK_MSG((rc == 0) == lt[i].ok, "LTE-M offset %d on %d: rc %d %s %s", lt[i].offset,
                  lt[i].on, rc, rc ? field : "", rc ? why : "");
        if (!lt[i].ok) CHECK(strcmp(field, "cdrx.on_duration") == 0);
    }
    mac_radio_cfg_default(&r);
    r.cdrx.on_duration = 1;
    for (int off = 0; off < r.cdrx.cycle_sf; off += 7) {
        r.cdrx.start_offset = off;
        CHECK(mac_nbiot_cfg_check(&r, field, sizeof field, why, sizeof why) == 0);
    }
}

int main(void)
{
    static const cfg cases[] = {
        {.ltem = 0, .ce = 0, .cycle = 256, .on = 1, .inact = 0, .offset = 0},
        {.ltem = 0, .ce = 0, .cycle = 2048, .on = 2, .inact = 2, .offset = 0},
        {.ltem = 0, .ce = 0, .cycle = 2048, .on = 4, .inact = 8, .offset = 37},
        {.ltem = 0, .ce = 1, .cycle = 1536, .on = 4, .inact = 4, .offset = 128},
        {.ltem = 0, .ce = 2, .cycle = 9216, .on = 8, .inact = 3, .offset = 0},
        {.ltem = 0, .ce = 0, .cycle = 10240, .on = 32, .inact = 32, .offset = 5},
        {.ltem = 1, .ce = 0, .cycle = 40, .on = 10, .inact = 0, .offset = 3},
        {.ltem = 1, .ce = 0, .cycle = 320, .on = 10, .inact = 200, .offset = 0},
        {.ltem = 1, .ce = 1, .cycle = 2560, .on = 100, .inact = 20, .offset = 1000},
        {.ltem = 1, .ce = 0, .cycle = 70, .on = 8, .inact = 4, .offset = 69},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        closed_form(&cases[i]);
    /* 2: the report at 10 s is over by about 10.4 s; the Active Time after
     * it ends within 100 ms; commands at 15.0 and 16.5 s fall in DRX sleep
     * (on-durations at 14.336 and 16.384 s, 32 ms long) */
    for (int i = 0; i < 2; i++) {
        const double t_cmd = i ? 16.5 : 15.0;
        sim_time_t rx_plain, rx_drx;
        const double plain = command_latency_ms(0, t_cmd, &rx_plain);
        const double drx = command_latency_ms(1, t_cmd, &rx_drx);
        printf("command at %.1f s: latency %.1f ms without DRX (by hand %.1f), %.1f ms with (by "
               "hand %.1f: it waits for the next on-duration)\n",
               t_cmd, plain, sim_time_to_ms(rx_plain) - t_cmd * 1e3, drx,
               sim_time_to_ms(rx_drx) - t_cmd * 1e3);
        CHECK_NEAR(plain, sim_time_to_ms(rx_plain) - t_cmd * 1e3, 1e-6);
        CHECK_NEAR(drx, sim_time_to_ms(rx_drx) - t_cmd * 1e3, 1e-6);
        CHECK(drx - plain > 1000);
    }
    brute_force();
    reachable();
    return check_done();
}
