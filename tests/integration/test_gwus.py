"""Who a page wakes: Rel-15 WUS, Rel-16 group WUS, no WUS (mac/po_share.c).

Closed form: n devices, UE_ID uniform over 4096 values, DRX T = 256
frames with nB = T/16 give N = 16 paging frames per cycle, one occasion
each (TS 36.304 7.1: 4096 is a multiple of 16, so each of the 16 occasions
takes a UE_ID with probability 1/16). Group WUS splits an occasion's
devices over G = resources x groups WUS groups, independently of the
occasion. A page for one device then reaches each of the other n - 1 with
probability 1/(N G) (the size-biased class of the paged device has exactly
this mean), so the devices woken per page are (n - 1)/(N G):
- without WUS every device of the occasion reads the paging message
  (G = 1);
- with the Rel-15 WUS (gwus_groups = 0) every WUS device of the occasion
  wakes (G = 1);
- with group WUS only the paged device's group wakes: G = 1, 2, 4, 8, 16
  (2 resources x 8 groups) and LTE-M's 32 (4 x 8);
- with the common WUS for any page (gwus_common_above = 0 never, so a cell
  with gwus_common_above = 1 and one group paged per occasion stays at the
  group figure) the figure stays per group.
Pages are rare (one command per device per 6 h, no reports), so two
pages seldom share an occasion and devices are seldom connected; the
tolerance (7 % and 3 standard errors) covers that and the sampling.
Energy: each false wake costs a WUS device the occasion's NPDCCH and the
message, so idle receive time falls with G; a device whose WUS group
is never paged (one group of devices without commands) is never woken.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

N_DEV = 1000
SCEN = """
local mtc = require "mtc"
return mtc.scenario {
  name = "gwus", duration = mtc.days(1), seed = %(seed)d,
  cell = { rat = "%(rat)s",
           paging = { cycle_s = %(cycle)s, nB = "T/16", gwus_groups = %(groups)d,
                      gwus_resources = %(res)d, gwus_common_above = %(common)d } },
  devices = { {
    name = "fleet", count = %(n)d,
    traffic = { kind = "none" },
    downlink = { traffic = mtc.traffic.poisson(mtc.hours(6), mtc.payload.fixed(20)) },
    coverage = mtc.coverage.fixed(140),
    idle = { psm = false, wus = %(wus)s, gwus = %(gwus)s },
  } },
}
"""


def table(f, name):
    return {k: f[name][k][()] for k in f[name].keys()}


class GroupWus(unittest.TestCase):
    def run_case(self, tmp, rat="nbiot", groups=0, res=1, wus=True, gwus=True, common=0, seed=1):
        import h5py

        cycle = "2.56"
        text = SCEN % dict(seed=seed, rat=rat, cycle=cycle, groups=groups, res=res,
                           common=common, n=N_DEV, wus="true" if wus else "false",
                           gwus="true" if gwus else "false")
        name = "g_%s_%d_%d_%d_%d_%d_%d" % (rat, groups, res, wus, gwus, common, seed)
        scen = lib.write_scenario(tmp, name + ".lua", text)
        out = os.path.join(tmp, name + ".h5")
        lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
        with h5py.File(out, "r") as f:
            return table(f, "cells"), table(f, "devices")

    def per_page(self, cells):
        return float(cells["false_pages"].sum()) / float(cells["paging_records"].sum())

    def check(self, got, k, pages):
        want = (N_DEV - 1) / (16.0 * k)
        # per page: a sum of n - 1 Bernoulli(1 / (16 k)) draws; 3 standard errors
        se = (want * (1 - 1 / (16.0 * k)) / pages) ** 0.5
        self.assertLess(abs(got - want), 0.07 * want + 3 * se,
                        "woken per page %.3f, closed form %.3f (G = %d)" % (got, want, k))

    def test_closed_form(self):
        with tempfile.TemporaryDirectory() as tmp:
            cases = [("nbiot", dict(wus=False, gwus=False), 1),
                     ("nbiot", dict(groups=0), 1),
                     ("nbiot", dict(groups=1), 1),
                     ("nbiot", dict(groups=2), 2),
                     ("nbiot", dict(groups=4), 4),
                     ("nbiot", dict(groups=8), 8),
                     ("nbiot", dict(groups=8, res=2), 16),
                     ("nbiot", dict(groups=4, common=1), 4),
                     ("ltem", dict(groups=0), 1),
                     ("ltem", dict(groups=8, res=4), 32)]
            rx = {}
            for rat, kw, k in cases:
                with self.subTest(rat=rat, **kw):
                    cells, dev = self.run_case(tmp, rat=rat, **kw)
                    pages = float(cells["paging_records"].sum())
                    self.assertGreater(pages, 400)
                    self.check(self.per_page(cells), k, pages)
                    self.assertEqual(int(dev["false_pages"].sum()), int(cells["false_pages"].sum()))
                    rx[(rat, k, kw.get("wus", True))] = float(dev["time_s_rx"].mean())
            # the receive time falls with the groups (fewer false wakes)
            self.assertGreater(rx[("nbiot", 1, True)], rx[("nbiot", 2, True)])
            self.assertGreater(rx[("nbiot", 2, True)], rx[("nbiot", 8, True)])
            self.assertGreater(rx[("ltem", 1, True)], rx[("ltem", 32, True)])

    def test_common_wus(self):
        """gwus_common_above = 1: an occasion with pages of two or more groups
        wakes every group. With frequent commands (one per device per 30
        minutes) such occasions are common: more woken per page than with
        group WUS alone, at most the Rel-15 figure."""
        with tempfile.TemporaryDirectory() as tmp:
            global SCEN
            busy = SCEN.replace("mtc.hours(6)", "1800")
            saved, SCEN = SCEN, busy
            try:
                grp = self.per_page(self.run_case(tmp, groups=8)[0])
                com = self.per_page(self.run_case(tmp, groups=8, common=1)[0])
                r15 = self.per_page(self.run_case(tmp, groups=0)[0])
            finally:
                SCEN = saved
            self.assertGreater(com, 1.2 * grp)
            self.assertLessEqual(com, r15 * 1.001)


if __name__ == "__main__":
    unittest.main()
