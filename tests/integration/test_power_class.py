"""Power classes (TS 36.101 Table 6.2.2F-1, 6.2.2EA-1) in whole runs.

- scenarios/power_classes.lua (23, 20 and 14 dBm over the TR 45.820
  coupling losses, fewer devices and hours): /groups tx_max_dbm is the
  class, edge_db is the 23 dBm edge less 3 and 9 dB (0.02 dB: the
  bisection's step; the edge is uplink-limited, where the closed form
  holds), and out_of_coverage counts exactly the devices whose coupling
  loss lies beyond their group's edge (the /devices flag agrees).
- Twins: 14 dBm devices at L and 23 dBm devices at L + 9 dB, both at one
  CE level by RSRP (so the same repetition limits: NB-IoT 145/154 dB,
  LTE-M 130/139 dB), see the same uplink SNR and get the same repetitions
  for every report.
- cell.p_max_dbm = 20 caps the 23 dBm class at 20 dBm: its tx_max_dbm,
  edge_db and every device's uplink SNR follow (3 dB), the 14 dBm class is
  untouched.
Both radios.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCEN = os.path.join(lib.SOURCE_DIR, "scenarios", "power_classes.lua")

TWINS = """
local mtc = require "mtc"
local function g(name, dbm, cl)
  return { name = name, count = 20, tx_max_dbm = dbm,
           traffic = mtc.traffic.periodic(600, mtc.payload.fixed(200)),
           coverage = mtc.coverage.fixed(cl), rai = true }
end
return mtc.scenario {
  name = "twins", duration = mtc.hours(2), seed = 3,
  cell = { rat = "%s" },
  devices = { g("c14", 14, %g), g("c23", 23, %g) },
}
"""


def table(f, name):
    return {k: f[name][k][()] for k in f[name].keys()}


class PowerClass(unittest.TestCase):
    def run_classes(self, tmp, rat, extra=()):
        out = os.path.join(tmp, "pc_%s_%d.h5" % (rat, len(extra)))
        args = ["run", SCEN, "-o", out, "--quiet", "--set", "cell.rat=\"%s\"" % rat,
                "--set", "duration=7200"]
        for i in (1, 2, 3):
            args += ["--set", "devices[%d].count=1500" % i]
        for e in extra:
            args += ["--set", e]
        lib.run_ok(self, args, timeout=300)
        return out

    def test_edges_and_coverage(self):
        import h5py
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            for rat in ("nbiot", "ltem"):
                with self.subTest(rat=rat), h5py.File(self.run_classes(tmp, rat), "r") as f:
                    g = table(f, "groups")
                    d = table(f, "devices")
                    np.testing.assert_array_equal(g["tx_max_dbm"], [23, 20, 14])
                    e = g["edge_db"]
                    self.assertAlmostEqual(e[0] - e[1], 3, delta=0.02)
                    self.assertAlmostEqual(e[0] - e[2], 9, delta=0.02)
                    for k in range(3):
                        mine = d["group"] == k + 1
                        beyond = d["coupling_loss_db"][mine] > e[k]
                        near = np.abs(d["coupling_loss_db"][mine] - e[k]) < 0.01
                        oos = d["out_of_coverage"][mine].astype(bool)
                        # away from the edge's 0.01 dB the flag is the closed form
                        np.testing.assert_array_equal(oos[~near], beyond[~near])
                        self.assertEqual(int(g["out_of_coverage"][k]), int(oos.sum()))
                    # a smaller class loses devices to coverage, never gains
                    self.assertLessEqual(g["out_of_coverage"][0], g["out_of_coverage"][1])
                    self.assertLess(g["out_of_coverage"][1], g["out_of_coverage"][2])

    def test_twins(self):
        import h5py
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            # both of a pair at one CE level (NB-IoT level 1: 144.2 ... 154.2
            # dB; LTE-M level 0: below 140.2 dB, with open-loop power control)
            for rat, cl, ce in (("nbiot", 145, 1), ("ltem", 130, 0)):
                with self.subTest(rat=rat):
                    scen = lib.write_scenario(tmp, "twins_%s.lua" % rat,
                                              TWINS % (rat, cl, cl + 9))
                    out = os.path.join(tmp, "twins_%s.h5" % rat)
                    lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
                    with h5py.File(out, "r") as f:
                        d = table(f, "devices")
                    a, b = d["group"] == 1, d["group"] == 2
                    np.testing.assert_array_equal(d["ce_level"][a], ce)
                    np.testing.assert_array_equal(d["ce_level"][b], ce)
                    np.testing.assert_allclose(d["ul_snr_db"][a], d["ul_snr_db"][b], atol=1e-4)
                    self.assertGreater(float(d["npusch_reps_mean"][a].min()), 0)
                    np.testing.assert_array_equal(d["npusch_reps_mean"][a],
                                                  d["npusch_reps_mean"][b])

    def test_p_max(self):
        import h5py
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            for rat in ("nbiot", "ltem"):
                with self.subTest(rat=rat):
                    free = self.run_classes(tmp, rat)
                    capped = self.run_classes(tmp, rat, ["cell.p_max_dbm=20"])
                    with h5py.File(free, "r") as f, h5py.File(capped, "r") as c:
                        gf, gc = table(f, "groups"), table(c, "groups")
                        df, dc = table(f, "devices"), table(c, "devices")
                    np.testing.assert_array_equal(gc["tx_max_dbm"], [20, 20, 14])
                    self.assertAlmostEqual(gc["edge_db"][0], gf["edge_db"][1], delta=1e-9)
                    self.assertAlmostEqual(gc["edge_db"][2], gf["edge_db"][2], delta=1e-9)
                    first = df["group"] == 1
                    np.testing.assert_allclose(
                        dc["ul_snr_db"][first], df["ul_snr_db"][first] - 3, atol=1e-4)
                    last = df["group"] == 3
                    np.testing.assert_array_equal(dc["ul_snr_db"][last], df["ul_snr_db"][last])


if __name__ == "__main__":
    unittest.main()
