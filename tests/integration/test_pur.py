"""Preconfigured uplink resources (README, "Preconfigured uplink resources
(PUR)"), end to end on scenarios/pur.lua, shortened to 6 PUR periods and
10 devices a group.

Checked from the HDF5 file:
- every device: generated = delivered + dropped + failed + pending; the
  procedures' times sum to the simulated time (exact microseconds) and
  their energies to energy_j (1e-9 relative), `pur` included;
- groups without PUR have no PUR counts and no `pur` time or energy; a PUR
  device sends its first report by EDT (its RRCEarlyDataComplete carries
  the configuration; a periodic TAU before it may do so) and, with the
  default 3 dB RSRP sd against the 8 dB threshold, almost every later one
  on the resource (fallbacks are counted and their reports still
  delivered); transmissions >= PUR reports; no occasion skipped (report
  period = PUR period);
- /cells: the PUR counts are the devices' sums; the occasions' reserved
  share is positive and part of the uplink utilisation;
- on 15 kHz (cell.pur.spacing) at 144 dB PUR costs less energy per report
  than EDT and random access (the README's figures); an RSRP change far
  beyond the threshold (sd 100 dB against 4 dB) makes nearly every PUR
  attempt fall back (TA invalid) and the reports still arrive;
- the share of PUR attempts whose TA the RSRP criterion invalidates is the
  closed form P(|N(0, sd)| > threshold) = erfc(threshold / (sd sqrt 2)):
  sd 6 dB against 8 dB, 18.2 %, within 4 standard errors over 60 devices.
"""

import math
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

P = 83886.08
SHORT = ["--set", "duration=%r" % (6 * P)] + sum(
    (["--set", "devices[%d].count=10" % k] for k in range(1, 7)), [])
SCEN = os.path.join(lib.SOURCE_DIR, "scenarios", "pur.lua")
GROUPS = ("ra_144", "edt_144", "pur_144", "ra_164", "edt_164", "pur_164")
COUNTS = ("pur_reports", "pur_transmissions", "pur_fallbacks", "pur_ta_invalid", "pur_skipped",
          "pur_releases")
SLEEP = ("psm_sleep", "paging")


def run(tmp, name, extra):
    out = os.path.join(tmp, name + ".h5")
    r = lib.run_mtcsim(["run", SCEN, "-o", out, "--quiet"] + SHORT + extra)
    if r.returncode != 0:
        raise AssertionError(r.describe())
    with h5py.File(out, "r") as f:
        return {t: {k: f[t][k][()] for k in f[t]} for t in ("devices", "cells", "groups")}


def per_report(t):
    """Energy per delivered report without the sleep between reports, J, by group name."""
    g = t["groups"]
    e = sum(g["energy_j_" + p] for p in lib.PROCS if p not in SLEEP)
    return {n.decode(): e[i] / g["reports_delivered"][i] for i, n in enumerate(g["group_name"])}


class Pur(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="mtcsim-pur-")
        cls.base = run(cls.tmp.name, "base", [])
        cls.k15 = run(cls.tmp.name, "k15", ["--set", 'cell.pur.spacing="15khz"'])
        cls.bad_ta = run(cls.tmp.name, "bad_ta", [
            "--set", "devices[3].pur.rsrp_change_sd_db=100",
            "--set", "devices[6].pur.rsrp_change_sd_db=100", "--set", "cell.pur.rsrp_increase_db=4"])

        cls.sd6 = run(cls.tmp.name, "sd6", [
            "--set", "devices[3].count=30", "--set", "devices[6].count=30",
            "--set", "devices[3].pur.rsrp_change_sd_db=6",
            "--set", "devices[6].pur.rsrp_change_sd_db=6"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def groups_of(self, d):
        return [GROUPS[g - 1] for g in d["group"]]

    def test_busy_cell_response_at_window_end(self):
        """A response that ends exactly at the window's end is a response
        (1,000 PUR devices at 150 dB on 81.92 s periods made one: the whole
        window was then charged on top of its HARQ-ACK and the run aborted,
        'parts exceed the interval'). The run finishes, books balance and
        the energy by procedure sums to the total; with three non-anchor
        carriers too (pur_ul_util stays a part of npusch_utilisation)."""
        text = """
local mtc = require "mtc"
local P = 81.92
return mtc.scenario {
  name = "purc", duration = mtc.hours(1), seed = %d,
  cell = { rat = "nbiot", edt = true, pur = { enabled = true },
           carriers = { non_anchor = %d, data = "balanced" } },
  devices = {
    { name = "pur", count = 1000, traffic = mtc.traffic.periodic(P, mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(150), module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 }, rai = true, edt = true, idle = { psm = false },
      pur = { enabled = true, periodicity_s = P, tbs_bits = 776 } },
  },
}
"""
        with tempfile.TemporaryDirectory() as tmp:
            for seed, k in ((1, 0), (5, 0), (2, 3)):
                with self.subTest(seed=seed, non_anchor=k):
                    scen = lib.write_scenario(tmp, "purc%d.lua" % seed, text % (seed, k))
                    out = os.path.join(tmp, "purc%d.h5" % seed)
                    lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
                    with h5py.File(out, "r") as f:
                        d = {n: f["devices"][n][()] for n in f["devices"]}
                        c = {n: f["cells"][n][()] for n in f["cells"]}
                    books = (d["reports_delivered"] + d["reports_dropped"] + d["reports_failed"]
                             + d["reports_pending"])
                    np.testing.assert_array_equal(d["reports_generated"], books)
                    procs = sum(d["energy_j_" + p] for p in lib.PROCS)
                    np.testing.assert_allclose(procs, d["energy_j"], rtol=1e-9)
                    self.assertGreater(int(d["pur_transmissions"].sum()), 0)
                    self.assertLessEqual(float(c["pur_ul_util"][0]),
                                         float(c["npusch_utilisation"][0]) + 1e-12)

    def test_invariants(self):
        for t in (self.base, self.k15, self.bad_ta):
            d = t["devices"]
            np.testing.assert_array_equal(
                d["reports_generated"], d["reports_delivered"] + d["reports_dropped"] +
                d["reports_failed"] + d["reports_pending"])
            us = sum(np.rint(d["time_s_" + p] * 1e6).astype(np.int64) for p in lib.PROCS)
            np.testing.assert_array_equal(us, np.full(len(us), int(round(6 * P * 1e6))))
            np.testing.assert_allclose(sum(d["energy_j_" + p] for p in lib.PROCS), d["energy_j"],
                                       rtol=1e-9, atol=0)

    def test_counts(self):
        d = self.base["devices"]
        names = self.groups_of(d)
        pur = np.array([n.startswith("pur") for n in names])
        for k in COUNTS:
            self.assertEqual(d[k][~pur].sum(), 0, k)
        self.assertEqual(d["energy_j_pur"][~pur].sum(), 0)
        self.assertEqual(d["time_s_pur"][~pur].sum(), 0)
        # the first report (or a TAU before it) by EDT configures PUR; each
        # later one tries the resource
        tries = d["pur_reports"][pur] + d["pur_fallbacks"][pur]
        self.assertTrue(np.all(tries >= d["reports_delivered"][pur] - 1))
        self.assertTrue(np.all(d["pur_reports"][pur] <= d["reports_delivered"][pur]))
        self.assertGreater(d["pur_reports"][pur].sum(), 0.9 * (d["reports_delivered"][pur] - 1).sum())
        self.assertTrue(np.all(d["pur_transmissions"][pur] >= d["pur_reports"][pur]))
        self.assertEqual(d["pur_skipped"].sum(), 0)
        self.assertEqual(d["pur_releases"].sum(), 0)
        self.assertTrue(np.all(d["energy_j_pur"][pur] > 0))
        c = self.base["cells"]
        for k in COUNTS:
            self.assertEqual(c[k].sum(), d[k].sum(), k)
        self.assertGreater(c["pur_ul_util"][0], 0)
        self.assertLess(c["pur_ul_util"][0], c["npusch_utilisation"][0])

    def test_pur_saves_at_144_db_on_15_khz(self):
        e = per_report(self.k15)
        self.assertLess(e["pur_144"], e["edt_144"])
        self.assertLess(e["pur_144"], e["ra_144"])

    def test_invalid_ta_falls_back(self):
        d = self.bad_ta["devices"]
        pur = np.array([n.startswith("pur") for n in self.groups_of(d)])
        tries = d["pur_reports"][pur].sum() + d["pur_fallbacks"][pur].sum()
        self.assertGreaterEqual(tries, (d["reports_delivered"][pur] - 1).sum())
        # |N(0, 100 dB)| <= 4 dB: 3 % of the occasions keep a valid TA
        self.assertGreater(d["pur_ta_invalid"][pur].sum(), 0.9 * tries)
        self.assertEqual(d["reports_delivered"][pur].sum(), d["reports_generated"][pur].sum())


    def test_ta_invalid_share_is_the_closed_form(self):
        d = self.sd6["devices"]
        pur = np.array([n.startswith("pur") for n in self.groups_of(d)])
        # every attempt that passed the TA check was transmitted at least once
        tries = d["pur_ta_invalid"][pur].sum() + d["pur_reports"][pur].sum() + \
            (d["pur_fallbacks"][pur] - d["pur_ta_invalid"][pur]).sum()
        share = d["pur_ta_invalid"][pur].sum() / tries
        want = math.erfc(8 / (6 * math.sqrt(2)))
        se = math.sqrt(want * (1 - want) / tries)
        self.assertLess(abs(share - want), 4 * se, (share, want, tries))


if __name__ == "__main__":
    unittest.main()
