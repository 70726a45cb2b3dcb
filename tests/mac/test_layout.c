/* test_layout.c: multi-cell layouts.
 *
 * 7 sites (21 cells): every device lands in exactly one cell; with one pass
 * there is no interference rise; with two, each cell's rise equals
 * 10 log10(1 + I/N), I being the sum over the other cells' devices of their
 * mean radiated power (recovered from the first pass's transmit energy and
 * time through the PA model) divided by their coupling loss to the cell,
 * recomputed here from the same coverage streams; and the whole replication
 * is deterministic.
 */
#include "mac/mac.h"
#include "tests/check.h"

#include <math.h>
#include <stdlib.h>

static void setup(mac_radio_cfg *r, mac_group_cfg *g, int passes, uint32_t n)
{
    mac_radio_cfg_default(r);
    r->layout_sites = 7;
    r->interference_passes = passes;
    mac_group_cfg_default(g);
    g->count = n;
    g->traffic.kind = TRAFFIC_PERIODIC;
    g->traffic.period_s = 600;
    g->rai = 1;
}

static int run(const mac_radio_cfg *r, const mac_group_cfg *g, mac_run *out)
{
    mac_run_cfg rc = {.radio = r,
                      .groups = g,
                      .n_groups = 1,
                      .duration = 3600 * SIM_S,
                      .seed = 5,
                      .replication = 0,
                      .queue = SIM_QUEUE_RADIX};
    sim_error err;
    sim_error_clear(&err);
    int code = mac_run_all(&rc, out, &err);
    CHECK_MSG(code == SIM_OK, "%s", err.msg);
    return code;
}

int main(void)
{
    const uint32_t N = 3000;
    mac_radio_cfg r1, r2;
    mac_group_cfg g1, g2;
    setup(&r1, &g1, 1, N);
    setup(&r2, &g2, 2, N);
    mac_run one, two, again;
    if (run(&r1, &g1, &one) || run(&r2, &g2, &two) || run(&r2, &g2, &again)) return check_done();

    CHECK_EQ_INT(one.n_cells, 21);
    uint64_t total = 0;
    int nonempty = 0;
    for (uint32_t k = 0; k < one.n_cells; k++) {
        uint32_t nd;
        mac_cell_device_stats(one.cells[k], &nd);
        total += nd;
        nonempty += nd > 0;
        CHECK(one.iot_db[k] == 0.0);
    }
    CHECK_EQ_INT(total, N);
    CHECK_EQ_INT(nonempty, 21);

    /* The rise by hand from pass one (= run `one`: same streams). */
    phy_hex *hex = phy_hex_create(&g1.coverage, 7);
    double I[21] = {0}, cls[21];
    uint32_t *seen = calloc(21, sizeof *seen);
    double noise = pow(10, phy_noise_dbm(180e3, r1.link.enb_nf_db) / 10);
    const energy_profile *m = &g1.module;
    double circuit = m->power_mw[ENERGY_TX] - pow(10, m->tx_ref_dbm / 10) / m->pa_efficiency;
    for (uint32_t i = 0; i < N; i++) {
        sim_rng rng;
        sim_rng_key key = {5, 0, 0xFFFFFF, i, MAC_RNG_COVERAGE, 0};
        sim_rng_init(&rng, &key);
        int best = phy_hex_device(hex, &g1.coverage, &rng, cls);
        uint32_t nd;
        const mac_device_stats *s = mac_cell_device_stats(one.cells[best], &nd);
        const mac_device_stats *d = &s[seen[best]++]; /* cells keep global order */
        CHECK_NEAR(d->coupling_loss_db, cls[best], 1e-4);
        double t_tx = d->energy.time_us[ENERGY_TX] / 1e6;
        double p = m->pa_efficiency * (d->energy_j[ENERGY_TX] * 1e3 - circuit * t_tx) / 3600;
        for (int k = 0; k < 21; k++)
            if (k != best && p > 0) I[k] += p * pow(10, -cls[k] / 10);
    }
    int rising = 0;
    for (int k = 0; k < 21; k++) {
        double want = 10 * log10(1 + I[k] / noise);
        CHECK_NEAR(two.iot_db[k], want, 1e-9 + 1e-9 * want);
        CHECK(two.iot_db[k] == again.iot_db[k]);
        rising += two.iot_db[k] > 0;
    }
    CHECK_EQ_INT(rising, 21);
    printf("interference rise: cell 0 %.4f dB, cell 20 %.4f dB\n", two.iot_db[0], two.iot_db[20]);
    /* Deterministic: identical per-device energy in a rerun. */
    for (uint32_t k = 0; k < two.n_cells; k++) {
        uint32_t na, nb;
        const mac_device_stats *a = mac_cell_device_stats(two.cells[k], &na);
        const mac_device_stats *b = mac_cell_device_stats(again.cells[k], &nb);
        CHECK_EQ_INT(na, nb);
        for (uint32_t i = 0; i < na && i < nb; i++)
            if (energy_total_j(&a[i].energy) != energy_total_j(&b[i].energy)) {
                CHECK_MSG(0, "cell %u device %u differs in a rerun", k, i);
                break;
            }
    }
    free(seen);
    phy_hex_free(hex);
    mac_run_free(&one);
    mac_run_free(&two);
    mac_run_free(&again);
    return check_done();
}
