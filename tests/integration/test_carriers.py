"""NB-IoT non-anchor carriers (Rel-14; mac/carriers.c).

- Collisions: with K equally loaded NPRACH carriers (nprach_probability_anchor
  -1: 1/K each) the share of preambles that collide at load N equals the
  single-carrier share at load N/K (both within 3 standard errors and 10 %),
  and both equal the closed form for Poisson contenders, 1 - exp(-lambda/S)
  with lambda the preambles per opportunity and carrier and S = 24 the
  subcarriers (within 10 %; retransmissions make the arrivals slightly
  burstier than Poisson).
- NPRACH carrier choice: nprach_probability_anchor 1/2 with 3 non-anchor
  carriers puts half the accesses on the anchor and 1/6 on each other.
- Paging carriers: the TS 36.304 7.1 rule, floor(UE_ID / nB) mod W below
  the running sum of the weights, computed here over every UE_ID for the
  expected share of each carrier (weights 1, 2, 2, 2), against the devices'
  /devices paging_carrier (multinomial, 4 standard errors).
- Capacity: four carriers carry four times the load at the single
  carrier's per-carrier downlink and uplink utilisation (10 %).
- data = "balanced" spreads connections over the carriers (with NPRACH on
  the anchor alone, "nprach" keeps every connection there).
- Bad input: a probability outside the set, no paging carrier left, and
  the table on LTE-M are errors.
"""

import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCEN = """
local mtc = require "mtc"
return mtc.scenario {
  name = "carriers", duration = mtc.hours(%(hours)g), seed = %(seed)d,
  cell = { rat = "nbiot", carriers = { non_anchor = %(k)d %(extra)s },
           ce_levels = { { subcarriers = 24 }, {}, {} }, paging = { cycle_s = 2.56 } },
  devices = { {
    name = "meters", count = %(n)d,
    traffic = mtc.traffic.poisson(%(mean)g, mtc.payload.fixed(50)),
    coverage = mtc.coverage.fixed(130),
    idle = { psm = false },
    rai = true,
  } },
}
"""


def table(f, name):
    return {k: f[name][k][()] for k in f[name].keys()}


class Carriers(unittest.TestCase):
    def run_case(self, tmp, k, n, mean=600.0, hours=1, extra="", seed=1):
        import h5py

        text = SCEN % dict(k=k, n=n, mean=mean, hours=hours, extra=extra, seed=seed)
        name = "c%d_%d_%d_%d" % (k, n, abs(hash(extra)) % 10000, seed)
        scen = lib.write_scenario(tmp, name + ".lua", text)
        out = os.path.join(tmp, name + ".h5")
        lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
        with h5py.File(out, "r") as f:
            return table(f, "cells"), table(f, "devices")

    def test_collisions_scale_with_carriers(self):
        with tempfile.TemporaryDirectory() as tmp:
            one, _ = self.run_case(tmp, 0, 3000)
            four, _ = self.run_case(tmp, 3, 12000)
            shares = []
            for c in (one, four):
                pre = float(c["ce0_preambles"][0])
                col = float(c["ce0_collided"][0])
                opp = float(c["ce0_opportunities"][0])  # all carriers' opportunities
                lam = pre / opp
                closed = 1 - math.exp(-lam / 24.0)  # 24 subcarriers at CE level 0
                share = col / pre
                self.assertGreater(pre, 5000)
                self.assertLess(abs(share - closed), 0.10 * closed,
                                "collided %.4f, closed form %.4f (lambda %.3f)"
                                % (share, closed, lam))
                shares.append((share, pre))
            (s1, p1), (s4, p4) = shares
            se = math.sqrt(s1 * (1 - s1) / p1 + s4 * (1 - s4) / p4)
            self.assertLess(abs(s1 - s4), max(3 * se, 0.10 * s1),
                            "one carrier %.4f, four %.4f" % (s1, s4))
            # per-carrier utilisation as on one carrier
            for key in ("npdcch_npdsch_utilisation", "npusch_utilisation"):
                a, b = float(one[key][0]), float(four[key][0])
                self.assertLess(abs(a - b), 0.10 * a, "%s: %.4f vs %.4f" % (key, a, b))
            self.check_carrier_table(tmp)
            self.assertEqual(int(four["reports_delivered"][0]),
                             int(four["reports_generated"][0]) - int(four["reports_pending"][0])
                             - int(four["reports_failed"][0]) - int(four["reports_dropped"][0]))

    def check_carrier_table(self, tmp):
        """/carriers: one row per carrier, its counts summing to /cells' and
        its utilisations averaging to the cell's."""
        import h5py
        import numpy as np

        for name in os.listdir(tmp):
            if not name.endswith(".h5"):
                continue
            with h5py.File(os.path.join(tmp, name), "r") as f:
                k = table(f, "carriers")
                c = table(f, "cells")
                n = len(k["carrier"])
                np.testing.assert_array_equal(k["carrier"], np.arange(n))
                pre = sum(int(c["ce%d_preambles" % j][0]) for j in range(3))
                col = sum(int(c["ce%d_collided" % j][0]) for j in range(3))
                self.assertEqual(int(k["preambles"].sum()), pre)
                self.assertEqual(int(k["collided"].sum()), col)
                self.assertEqual(int(k["paging_records"].sum()), int(c["paging_records"][0]))
                self.assertAlmostEqual(float(k["dl_utilisation"].mean()),
                                       float(c["npdcch_npdsch_utilisation"][0]), places=9)
                self.assertAlmostEqual(float(k["ul_utilisation"].mean()),
                                       float(c["npusch_utilisation"][0]), places=9)

    def test_sweep_keeps_the_table(self):
        """A sweep's file (points written apart, then merged) has /carriers
        with every point's rows (the merge's table list once left it out)."""
        import h5py
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            text = SCEN % dict(k=0, n=300, mean=600.0, hours=0.1, extra="", seed=1)
            scen = lib.write_scenario(tmp, "sw.lua", text)
            out = os.path.join(tmp, "sw.h5")
            lib.run_ok(self, ["sweep", scen, "-o", out, "--quiet",
                              "--sweep", "cell.carriers.non_anchor=0,3"], timeout=300)
            with h5py.File(out, "r") as f:
                k = table(f, "carriers")
            np.testing.assert_array_equal(np.bincount(k["point_id"]), [1, 4])

    def test_nprach_probability(self):
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            _, d = self.run_case(tmp, 3, 4000, extra=", nprach_probability_anchor = 0.5")
            used = d["ra_attempts"] > 0
            counts = np.bincount(d["carrier"][used], minlength=4).astype(float)
            n = counts.sum()
            for k, p in enumerate((0.5, 1 / 6, 1 / 6, 1 / 6)):
                self.assertLess(abs(counts[k] / n - p), 4 * math.sqrt(p * (1 - p) / n) + 0.01,
                                "carrier %d: %.4f, want %.4f" % (k, counts[k] / n, p))

    def test_paging_carriers(self):
        import numpy as np

        # T = 2.56 s = 256 frames, nB = T (default): floor(UE_ID / 256) mod W
        weights = [1, 2, 2, 2]
        w = sum(weights)
        want = np.zeros(4)
        for u in range(4096):
            x = (u // 256) % w
            acc = 0
            for n, wn in enumerate(weights):
                acc += wn
                if x < acc:
                    want[n] += 1
                    break
        want /= 4096
        with tempfile.TemporaryDirectory() as tmp:
            _, d = self.run_case(tmp, 3, 6000, mean=36000, hours=0.1,
                                 extra=", paging_weight_anchor = 1, paging_weight = 2")
            counts = np.bincount(d["paging_carrier"], minlength=4).astype(float)
            n = counts.sum()
            for k in range(4):
                se = math.sqrt(want[k] * (1 - want[k]) / n)
                self.assertLess(abs(counts[k] / n - want[k]), 4 * se,
                                "carrier %d: %.4f, want %.4f" % (k, counts[k] / n, want[k]))

    def test_balanced_data(self):
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            # NPRACH on the anchor only: without balancing every connection
            # stays there; balanced, the eNB spreads them, the anchor (busy
            # with every RAR and Msg4) taking the fewest
            _, d0 = self.run_case(tmp, 3, 3000, extra=", nprach = false")
            _, d1 = self.run_case(tmp, 3, 3000, extra=", nprach = false, data = \"balanced\"")
            used0 = d0["reports_delivered"] > 0
            used1 = d1["reports_delivered"] > 0
            self.assertEqual(int(np.count_nonzero(d0["carrier"][used0])), 0)
            counts = np.bincount(d1["carrier"][used1], minlength=4)
            self.assertTrue(all(counts[k] > 0.2 * used1.sum() for k in range(1, 4)), counts)
            self.assertLess(counts[0], min(counts[1:]), counts)

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            cases = [
                ("nprach_probability_anchor = 0.3 --<",
                 "cell.carriers.nprach_probability_anchor: must be 0 or 1/k, k = 2 ... 16 "
                 "(nprach-ProbabilityAnchor-r14), or -1 (1 / carriers)"),
                ("paging_weight_anchor = 0, paging = false --<",
                 "cell.carriers.paging_weight_anchor: 0 leaves no paging carrier (no "
                 "non-anchor carrier carries paging)"),
            ]
            for i, (fields, msg) in enumerate(cases):
                text = ("return {\n  cell = { carriers = { non_anchor = 2,\n    %s\n  } },\n"
                        "  devices = { { count = 1 } },\n}\n" % fields)
                scen = lib.write_scenario(tmp, "bad%d.lua" % i, text)
                res = lib.run_mtcsim(["check", scen], cwd=tmp)
                lib.assert_no_crash(self, res)
                self.assertEqual(res.returncode, 2, res.describe())
                self.assertIn(msg, res.stderr, res.describe())
                self.assertIn("bad%d.lua:" % i, res.first_err_line, res.describe())
            text = ('return {\n  cell = { rat = "ltem",\n    carriers = { non_anchor = 2 },\n'
                    '  },\n  devices = { { count = 1 } },\n}\n')
            scen = lib.write_scenario(tmp, "ltem.lua", text)
            res = lib.run_mtcsim(["check", scen], cwd=tmp)
            lib.assert_no_crash(self, res)
            self.assertEqual(res.returncode, 2, res.describe())
            self.assertIn("carriers", res.stderr, res.describe())


if __name__ == "__main__":
    unittest.main()
