"""Latency figures past the exact log (cell.latency_exact_per_device).

The same scenario run with the default (exact: a few reports a device),
with 0 (binned from the start) and with a limit the run exceeds (binned
after the log filled up): every latency column of /devices and /cells
within +-0.5 % of the exact run, everything else identical, and
/cells/latency_binned saying which way each run went. The exact run's
figures are checked against the reports' own latencies elsewhere
(test_timeline, test_results_layout); here only the binning is tested.
"""

import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "latbins",
  duration = mtc.hours(6),
  seed = 3,
  devices = {
    { name = "often", count = 200, traffic = mtc.traffic.poisson(600),
      coverage = mtc.tr45820.coupling_loss(), rai = true },
    { name = "commands", count = 100, traffic = mtc.traffic.periodic(3600),
      coverage = mtc.coverage.fixed(150), rai = true,
      downlink = { traffic = mtc.traffic.poisson(1800, mtc.payload.fixed(20)), answer_bytes = 10 } },
  },
}
"""

LATENCY = ("latency_ms_mean", "latency_ms_p50", "latency_ms_p95", "latency_ms_max",
           "dl_latency_ms_mean", "dl_latency_ms_p50", "dl_latency_ms_p95", "dl_latency_ms_max")


class LatencyBins(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="mtcsim-lat-")
        scen = lib.write_scenario(cls._tmp.name, "lat.lua", SCENARIO)
        cls.runs = {}
        for name, sets in (("exact", []), ("zero", ["--set", "cell.latency_exact_per_device=0"]),
                           ("full", ["--set", "cell.latency_exact_per_device=1"])):
            out = os.path.join(cls._tmp.name, name + ".h5")
            r = lib.run_mtcsim(["run", scen, "-o", out, "--quiet", "--threads", "1"] + sets)
            assert r.returncode == 0, r.describe()
            cls.runs[name] = lib.read_datasets(out)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_flag(self):
        self.assertEqual(self.runs["exact"]["/cells/latency_binned"].tolist(), [0])
        self.assertEqual(self.runs["zero"]["/cells/latency_binned"].tolist(), [1])
        # 300 devices x 1 report is 300 entries, below the log's smallest
        # limit (4096): filled up only with enough reports
        full = self.runs["full"]
        self.assertGreater(int(full["/devices/reports_delivered"].sum()), 4096)
        self.assertEqual(full["/cells/latency_binned"].tolist(), [1])

    def test_within_half_a_percent(self):
        exact = self.runs["exact"]
        self.assertGreater(np.isfinite(exact["/devices/dl_latency_ms_mean"]).sum(), 10)
        for name in ("zero", "full"):
            got = self.runs[name]
            for table in ("/devices/", "/cells/"):
                for col in LATENCY:
                    key = table + col
                    if key not in exact:
                        continue
                    a, b = exact[key], got[key]
                    np.testing.assert_array_equal(np.isnan(a), np.isnan(b), key)
                    m = np.isfinite(a)
                    rel = np.abs(b[m] / a[m] - 1)
                    self.assertLessEqual(rel.max(initial=0), 0.005 + 1e-12, "%s %s" % (name, key))
                    if table == "/devices/" and col == "latency_ms_p95":
                        # binned, not the exact values
                        self.assertGreater(rel.max(), 0, "%s %s: no binning" % (name, key))

    def test_nothing_else_changes(self):
        exact = self.runs["exact"]
        for name in ("zero", "full"):
            got = self.runs[name]
            self.assertEqual(sorted(exact), sorted(got))
            for key in exact:
                # model_bytes: the binned log is smaller
                if key.rsplit("/", 1)[-1] in LATENCY + ("latency_binned", "resolved", "wall_s",
                                                         "model_bytes"):
                    continue
                a, b = exact[key], got[key]
                if isinstance(a, np.ndarray):
                    self.assertEqual(a.tobytes(), b.tobytes(), "%s: %s differs" % (name, key))
                else:
                    self.assertEqual(a, b, "%s: %s differs" % (name, key))


if __name__ == "__main__":
    unittest.main(verbosity=2)
