"""/timeseries: per cell and replication, counts and loads per interval.

Every count over the bins sums to the cell's own total in /cells (random
access per CE level, reports, paging), the energy over the bins to the
devices' energy in /devices, the loads weighted by bin length to the cell's
utilisation; bins tile the simulated time; the default interval follows the
duration; the TR 37.868 study (no energy model) writes NaN loads; bad
intervals are scenario errors.
"""

import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

# Two groups, TR 45.820 coverage (three CE levels and some out of coverage),
# a burst so that random access collides and fails, eDRX devices with
# network commands so that paging happens, two replications.
SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "ts", duration = 900, seed = 11, replications = 2,
  timeseries = { interval_s = 7 },
  devices = {
    { name = "burst", count = 1000, traffic = mtc.tr37868.model2(mtc.payload.fixed(60), 30),
      coverage = mtc.coverage.tr45820() },
    { name = "edrx", count = 60, traffic = mtc.traffic.periodic(300),
      coverage = mtc.coverage.fixed(140),
      idle = { psm = false, edrx_cycle_s = 20.48 },
      downlink = { traffic = mtc.traffic.poisson(120, mtc.payload.fixed(20)) } },
  },
}
"""

REL = 1e-9
CE_COUNTS = ("preambles", "collided", "detected", "successes", "failures")
CELL_TOTALS = ("reports_generated", "reports_delivered", "reports_dropped", "reports_failed",
               "paging_records", "paging_deferrals")


def table(f, name):
    return {k: f[name][k][()] for k in f[name]}


class TimeSeries(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.scen = lib.write_scenario(cls.tmp.name, "ts.lua", SCENARIO)
        cls.out = os.path.join(cls.tmp.name, "ts.h5")
        cls.res = lib.run_mtcsim(["run", cls.scen, "-o", cls.out, "--quiet"], timeout=300)
        if cls.res.returncode != 0:
            raise AssertionError(cls.res.describe())
        with h5py.File(cls.out, "r") as f:
            cls.ts, cls.cells, cls.dev = (table(f, n) for n in ("timeseries", "cells", "devices"))
            cls.attrs = dict(f["timeseries"].attrs)
            cls.docs = {k: f["timeseries"][k].attrs["doc"] for k in f["timeseries"]}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rows(self, rep):
        return self.ts["replication"] == rep

    def test_bins_tile_the_run(self):
        self.assertEqual(float(self.attrs["interval_s"]), 7.0)
        n = -(-900 // 7)  # 129 bins, the last 4 s long
        for rep in (0, 1):
            m = self.rows(rep)
            self.assertEqual(int(m.sum()), n)
            np.testing.assert_array_equal(self.ts["t_s"][m], np.arange(n) * 7.0)
            np.testing.assert_array_equal(self.ts["dt_s"][m][:-1], 7.0)
            self.assertEqual(self.ts["dt_s"][m][-1], 900 - 128 * 7)
        self.assertTrue(np.all(self.ts["cell"] == 0) and np.all(self.ts["point_id"] == 0))

    def test_counts_sum_to_the_cells_totals(self):
        c = self.cells
        for rep in (0, 1):
            m, mc = self.rows(rep), c["replication"] == rep
            for k in range(3):
                for s in CE_COUNTS:
                    name = "ce%d_%s" % (k, s)
                    self.assertEqual(int(self.ts[name][m].sum()), int(c[name][mc][0]),
                                     (rep, name))
            for name in CELL_TOTALS:
                self.assertEqual(int(self.ts[name][m].sum()), int(c[name][mc][0]), (rep, name))
            self.assertTrue(np.all(self.ts["ce3_preambles"][m] == 0))  # three levels
        # the scenario exercises what it counts
        for name in ("ce0_collided", "ce1_successes", "paging_records", "reports_failed",
                     "msg3_failures"):
            self.assertGreater(int(self.ts[name].sum()), 0, name)
        self.assertGreater(sum(int(self.ts["ce%d_failures" % k].sum()) for k in range(3)), 0)

    def test_energy_sums_to_the_devices(self):
        for rep in (0, 1):
            got = self.ts["energy_j"][self.rows(rep)].sum()
            want = self.dev["energy_j"][self.dev["replication"] == rep].sum()
            self.assertAlmostEqual(got, want, delta=REL * want)
        self.assertTrue(np.all(self.ts["energy_j"] > 0))  # every device draws something always

    def test_loads_average_to_the_utilisation(self):
        for rep in (0, 1):
            m, mc = self.rows(rep), self.cells["replication"] == rep
            dt = self.ts["dt_s"][m]
            for col, cell in (("ul_busy", "npusch_utilisation"),
                              ("dl_busy", "npdcch_npdsch_utilisation")):
                got = (self.ts[col][m] * dt).sum() / dt.sum()
                want = self.cells[cell][mc][0]
                self.assertAlmostEqual(got, want, delta=REL * want, msg=(rep, col))
                self.assertTrue(np.all((self.ts[col][m] >= 0) & (self.ts[col][m] <= 1 + REL)))
            conn = self.ts["devices_connected"][m]
            self.assertTrue(np.all((conn >= -REL) & (conn <= 1060 + REL)))
            # the burst connects devices at once; before it (30 s) only the periodic group
            self.assertGreater(conn.max(), 20)

    def test_counts_follow_the_burst(self):
        # the TR 37.868 model 2 burst starts at 30 s and lasts 10 s: its 1000
        # reports are generated in the bins that overlap [30, 40) s
        m = self.rows(0)
        t0 = self.ts["t_s"][m]
        gen = self.ts["reports_generated"][m]
        burst = (t0 + 7 > 30) & (t0 < 40)
        periodic_in_burst = 60 * 14 / 300.0  # at most a few periodic reports there
        self.assertGreaterEqual(int(gen[burst].sum()), 1000)
        self.assertLessEqual(int(gen[burst].sum()), 1000 + 2 * periodic_in_burst + 60)

    def test_docs(self):
        for k, doc in self.docs.items():
            self.assertTrue(doc, k)


class Options(unittest.TestCase):
    def run_scen(self, tmp, text, *args):
        scen = lib.write_scenario(tmp, "o.lua", text)
        out = os.path.join(tmp, "o.h5")
        return lib.run_mtcsim(["run", scen, "-o", out, "--quiet", "--force"] + list(args)), out

    def test_default_interval_follows_duration(self):
        base = ('return { duration = %d, devices = { { count = 3, '
                'traffic = { kind = "periodic", period_s = 3600 } } } }')
        with tempfile.TemporaryDirectory() as tmp:
            for duration, want in ((600, 1.0), (86400, 1.0), (3 * 86400, 5.0),
                                   (10 * 86400, 10.0)):
                r, out = self.run_scen(tmp, base % duration)
                self.assertEqual(r.returncode, 0, r.describe())
                with h5py.File(out, "r") as f:
                    self.assertEqual(float(f["timeseries"].attrs["interval_s"]), want, duration)
                    self.assertLessEqual(len(f["timeseries/t_s"]), 86400)

    def test_disabled_and_longer_than_the_run(self):
        base = 'return { duration = 60, timeseries = %s, devices = { { count = 2 } } }'
        with tempfile.TemporaryDirectory() as tmp:
            r, out = self.run_scen(tmp, base % "{ enabled = false }")
            self.assertEqual(r.returncode, 0, r.describe())
            with h5py.File(out, "r") as f:
                self.assertNotIn("timeseries", f)
            r, out = self.run_scen(tmp, base % "{ interval_s = 3600 }")
            self.assertEqual(r.returncode, 0, r.describe())
            with h5py.File(out, "r") as f:
                np.testing.assert_array_equal(f["timeseries/dt_s"][()], [60.0])

    def test_bad_interval(self):
        base = 'return { duration = 86400, timeseries = { interval_s = %s },\n devices = { { count = 2 } } }'
        with tempfile.TemporaryDirectory() as tmp:
            for value, msg in (("0.0005", "shorter than 1 ms"), ("1e-10", "shorter than 1 ms"),
                               ("0.0015", "not a whole number of milliseconds"),
                               ("0.001", "more than 10^7"), ("-1", "timeseries.interval_s")):
                r, _ = self.run_scen(tmp, base % value)
                self.assertEqual(r.returncode, 2, r.describe())
                self.assertIn("timeseries.interval_s", r.stderr)
                self.assertIn(msg, r.stderr)
                self.assertIn("o.lua:1", r.stderr)

    def test_sweep_points_with_other_intervals(self):
        # a swept interval: each point's rows carry their bin length, the group
        # attribute (one value for the file) is NaN
        text = ('return { duration = 60, devices = { { count = 2 } },\n'
                ' sweep = { ["timeseries.interval_s"] = { 1, 2 } } }')
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "sw.lua", text)
            out = os.path.join(tmp, "sw.h5")
            r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            with h5py.File(out, "r") as f:
                t = table(f, "timeseries")
                self.assertTrue(np.isnan(f["timeseries"].attrs["interval_s"]))
            for point, width, n in ((0, 1.0, 60), (1, 2.0, 30)):
                m = t["point_id"] == point
                self.assertEqual(int(m.sum()), n)
                np.testing.assert_array_equal(t["dt_s"][m], width)

    def test_tr37868_study_has_no_loads(self):
        text = """local mtc = require "mtc"
return mtc.scenario { duration = 60, timeseries = { interval_s = 1 },
  cell = mtc.tr37868.cell(),
  devices = { { count = 500, traffic = mtc.tr37868.model2(), coverage = mtc.coverage.fixed(100) } } }"""
        with tempfile.TemporaryDirectory() as tmp:
            r, out = self.run_scen(tmp, text)
            self.assertEqual(r.returncode, 0, r.describe())
            with h5py.File(out, "r") as f:
                t, c = table(f, "timeseries"), table(f, "cells")
            for col in ("energy_j", "ul_busy", "dl_busy", "devices_connected"):
                self.assertTrue(np.all(np.isnan(t[col])), col)
            for col in ("reports_generated", "reports_delivered", "reports_failed",
                        "ce0_successes", "ce0_failures", "ce0_preambles", "ce0_collided",
                        "ce0_detected"):
                self.assertEqual(int(t[col].sum()), int(c[col][0]), col)
            self.assertEqual(int(t["reports_generated"].sum()), 500)
            self.assertTrue(np.all(t["reports_generated"][10:] == 0))  # all in the 10 s burst
            # preambles from the study's own opportunities, where they happened
            self.assertGreater(int(t["ce0_preambles"][:10].sum()), 500)
            self.assertGreaterEqual(int(t["ce0_detected"].sum()), int(c["ce0_successes"][0]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
