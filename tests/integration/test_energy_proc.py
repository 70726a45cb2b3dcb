"""Energy and time by procedure (README, "Energy by procedure"), end to end.

Runs a scenario whose groups between them go through every procedure:
PSM with a short periodic TAU and expiring system information, eDRX with
WUS and network commands with an answer, DRX with commands and the
inactivity tail, a group out of coverage, a group on preconfigured uplink
resources (PUR); on NB-IoT (control plane) and
on LTE-M with the user plane. Checked from the HDF5 file:

- per device, the procedures' times sum to the simulated time (integer
  microseconds, exactly) and to the power states' times; their energies
  sum to energy_j within 1e-9 relative, as do the states' (the state view
  and the procedure view give the same total);
- every procedure the scenario exercises has energy and time > 0 (a
  missing tag cannot hide), and those a group cannot go through have none
  (out of coverage: only oos; PSM devices with release assistance and no
  commands: no conn_wait, command; DRX devices: no psm_sleep);
- /groups: energy_j_<proc> is the sum over the group's devices (1e-9
  relative), shares sum to 1, charge_uah_per_report = energy_j / voltage_v
  / 3600 x 1e6 / reports_delivered (1e-12 relative), voltage_v 3.6 V;
- /energy_matrix: over states it gives /groups energy_j_<proc> and
  time_s_<proc> (1e-9 relative), over procedures the devices' time per
  power state (exactly, in microseconds);
- the summary prints each group's charge per report as /groups gives it
  over all replications.
"""

import os
import re
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

PROCS = lib.PROCS
STATES = lib.STATES
HOURS = 12.0
REL = 1e-9

SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "energy_proc", duration = mtc.hours(%g), seed = 11, replications = 2,
  -- system information expires after 30 min: PSM devices (TAU every hour) re-read it
  cell = { paging = { si_validity_s = 1800 }, pur = { enabled = true } },
  -- a firmware image for the DRX group, fetched by unicast (fota)
  campaign = { mode = "unicast", image_bytes = 3000, start_s = 7200, groups = "drx_cmd" },
  devices = {
    { name = "psm_tau", count = 40,
      traffic = mtc.traffic.periodic(mtc.hours(4), mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(145), rai = true,
      idle = { psm = true, t3324_s = 20, t3412_s = mtc.hours(1) } },
    { name = "edrx_cmd", count = 40,
      traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(140), rai = false,
      downlink = { traffic = mtc.traffic.poisson(mtc.hours(2), mtc.payload.fixed(20)),
                   answer_bytes = 10 },
      idle = { psm = false, edrx_cycle_s = 20.48, wus = true } },
    { name = "drx_cmd", count = 30,
      traffic = mtc.traffic.poisson(mtc.hours(3), mtc.payload.fixed(30)),
      coverage = mtc.coverage.fixed(150), rai = false,
      downlink = { traffic = mtc.traffic.poisson(mtc.hours(3), mtc.payload.fixed(20)) },
      idle = { psm = false } },
    { name = "ooc", count = 3,
      traffic = mtc.traffic.periodic(mtc.hours(4), mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(200), rai = true },
    -- PUR every 327.68 s (32 hyperframes), the report period: the first
    -- report by random access, the rest on the resource (600 bits: what
    -- LTE-M's CE mode A carries at 130 dB in one block)
    { name = "pur", count = 10,
      traffic = mtc.traffic.periodic(327.68, mtc.payload.fixed(10)),
      coverage = mtc.coverage.fixed(130), rai = true,
      pur = { enabled = true, periodicity_s = 327.68, tbs_bits = 600 } },
  },
}
""" % HOURS
G_PSM, G_EDRX, G_DRX, G_OOC, G_PUR = range(5)
# What each group must show (> 0) and must not (exactly 0).
MUST = {G_PSM: ("sync", "sysinfo", "access", "rrc", "ul_data", "dl_data", "paging", "psm_sleep",
                "tau"),
        G_EDRX: ("sync", "access", "rrc", "ul_data", "dl_data", "conn_wait", "paging", "command"),
        G_DRX: ("sync", "access", "rrc", "ul_data", "dl_data", "conn_wait", "paging", "command",
                "fota"),
        G_OOC: ("oos",),
        G_PUR: ("sync", "access", "ul_data", "dl_data", "pur", "psm_sleep")}
NEVER = {G_PSM: ("conn_wait", "command", "oos", "pur", "fota"),
         G_EDRX: ("psm_sleep", "oos", "pur", "fota"),
         G_DRX: ("psm_sleep", "oos", "pur"),
         G_OOC: tuple(p for p in PROCS if p != "oos"),
         G_PUR: ("conn_wait", "command", "oos", "fota")}
RUNS = {"nbiot_cp": [], "ltem_up": ["--set", "cell.rat=ltem", "--set", "cell.plane=up"]}


def us(seconds):
    """Times in the file are integer microseconds / 1e6: recover them exactly."""
    return np.rint(np.asarray(seconds) * 1e6).astype(np.int64)


class EnergyByProcedure(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="mtcsim-proc-")
        scen = lib.write_scenario(cls.tmp.name, "energy_proc.lua", SCENARIO)
        cls.runs = {}
        for name, extra in RUNS.items():
            out = os.path.join(cls.tmp.name, name + ".h5")
            r = lib.run_mtcsim(["run", scen, "-o", out] + extra)
            if r.returncode != 0:
                raise AssertionError(r.describe())
            with h5py.File(out, "r") as f:
                tables = {t: {k: f[t][k][()] for k in f[t]}
                          for t in ("devices", "groups", "energy_matrix", "points")}
                tables["voltage_doc"] = f["groups/voltage_v"].attrs["doc"]
                for t in ("devices", "groups", "energy_matrix"):
                    tables[t]["group"] = tables[t]["group"] - 1  # the file numbers groups from 1 (devices[g]); indexed from 0 here
            cls.runs[name] = (tables, r.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def each(self, check):
        for name, (t, out) in self.runs.items():
            with self.subTest(run=name):
                check(t, out)

    def test_device_sums(self):
        self.each(self.check_device_sums)

    def check_device_sums(self, t, _):
        d = t["devices"]
        sim_us = us(HOURS * 3600)
        proc_us = sum(us(d["time_s_" + p]) for p in PROCS)
        state_us = sum(us(d["time_s_" + s]) for s in STATES)
        np.testing.assert_array_equal(proc_us, np.full(len(proc_us), sim_us))
        np.testing.assert_array_equal(state_us, proc_us)
        e = d["energy_j"]
        self.assertTrue(np.all(e > 0))
        proc_j = sum(d["energy_j_" + p] for p in PROCS)
        state_j = sum(d["energy_j_" + s] for s in STATES)
        np.testing.assert_allclose(proc_j, e, rtol=REL, atol=0)
        np.testing.assert_allclose(state_j, e, rtol=REL, atol=0)
        np.testing.assert_allclose(proc_j, state_j, rtol=REL, atol=0)
        for p in PROCS:
            self.assertTrue(np.all(d["energy_j_" + p] >= 0), p)

    def test_every_exercised_procedure_has_energy(self):
        self.each(self.check_every_exercised_procedure_has_energy)

    def check_every_exercised_procedure_has_energy(self, t, _):
        d = t["devices"]
        for g, procs in MUST.items():
            sel = d["group"] == g
            for p in procs:
                self.assertGreater(d["energy_j_" + p][sel].sum(), 0, (g, p))
                self.assertGreater(d["time_s_" + p][sel].sum(), 0, (g, p))
        for g, procs in NEVER.items():
            sel = d["group"] == g
            for p in procs:
                self.assertEqual(d["energy_j_" + p][sel].sum(), 0, (g, p))
                self.assertEqual(d["time_s_" + p][sel].sum(), 0, (g, p))
        # together the groups go through every procedure
        for p in PROCS:
            self.assertGreater(d["energy_j_" + p].sum(), 0, p)
        # a TAU per hour of PSM: the TAU procedure belongs to those devices
        psm = d["group"] == G_PSM
        self.assertGreater(d["taus"][psm].sum(), 0)
        self.assertGreater(d["si_reads"][psm].sum(), 0)

    def test_groups_table(self):
        self.each(self.check_groups_table)

    def check_groups_table(self, t, _):
        d, g = t["devices"], t["groups"]
        self.assertEqual(len(g["group"]), 2 * 5)  # replications x groups, one cell
        np.testing.assert_array_equal(g["voltage_v"], 3.6)
        doc = t["voltage_doc"]
        self.assertIn("3.6 V", doc.decode() if isinstance(doc, bytes) else doc)
        share = sum(g["share_" + p] for p in PROCS)
        np.testing.assert_allclose(share, 1.0, rtol=REL)
        for i in range(len(g["group"])):
            sel = (d["group"] == g["group"][i]) & (d["replication"] == g["replication"][i])
            self.assertEqual(g["devices"][i], sel.sum())
            self.assertEqual(g["reports_delivered"][i], d["reports_delivered"][sel].sum())
            np.testing.assert_allclose(g["energy_j"][i], d["energy_j"][sel].sum(), rtol=REL)
            for p in PROCS:
                np.testing.assert_allclose(g["energy_j_" + p][i],
                                           d["energy_j_" + p][sel].sum(), rtol=REL,
                                           atol=0, err_msg=p)
                self.assertEqual(us(g["time_s_" + p][i]), us(d["time_s_" + p][sel]).sum(),
                                 p)
            delivered = g["reports_delivered"][i]
            if delivered:
                want = g["energy_j"][i] / 3.6 / 3600 * 1e6 / delivered
                self.assertAlmostEqual(g["charge_uah_per_report"][i] / want, 1.0, places=12)
            else:
                self.assertTrue(np.isnan(g["charge_uah_per_report"][i]))

    def test_matrix(self):
        self.each(self.check_matrix)

    def check_matrix(self, t, _):
        d, g, m = t["devices"], t["groups"], t["energy_matrix"]
        self.assertEqual(len(m["group"]), 2 * 5 * len(PROCS) * len(STATES))
        for i in range(len(g["group"])):
            rows = (m["group"] == g["group"][i]) & (m["replication"] == g["replication"][i])
            for k, p in enumerate(PROCS):
                sel = rows & (m["procedure"] == k)
                self.assertEqual(sel.sum(), len(STATES))
                np.testing.assert_allclose(m["energy_j"][sel].sum(), g["energy_j_" + p][i],
                                           rtol=REL, atol=0, err_msg=p)
                self.assertEqual(us(m["time_s"][sel]).sum(), us(g["time_s_" + p][i]), p)
            devs = (d["group"] == g["group"][i]) & (d["replication"] == g["replication"][i])
            for k, s in enumerate(STATES):
                sel = rows & (m["state"] == k)
                self.assertEqual(us(m["time_s"][sel]).sum(), us(d["time_s_" + s][devs]).sum(),
                                 s)
                # a device's TX energy is its total less the other states
                # (energy_state_j): rounding of the group's total, no more
                np.testing.assert_allclose(m["energy_j"][sel].sum(),
                                           d["energy_j_" + s][devs].sum(), rtol=REL,
                                           atol=REL * g["energy_j"][i], err_msg=s)
        # the out-of-coverage devices: cell search receiving, sleeping in between
        ooc = (m["group"] == G_OOC) & (m["energy_j"] > 0)
        self.assertEqual(set(m["procedure"][ooc].tolist()), {PROCS.index("oos")})
        self.assertEqual(set(m["state"][ooc].tolist()),
                         {STATES.index("rx"), STATES.index("psm")})

    def test_summary(self):
        self.each(self.check_summary)

    def check_summary(self, t, out):
        g = t["groups"]
        self.assertIn("energy by procedure", out)
        for k, name in enumerate(("psm_tau", "edrx_cmd", "drx_cmd")):
            sel = g["group"] == k
            want = g["energy_j"][sel].sum() / 3.6 / 3600 * 1e6 / g["reports_delivered"][
                sel].sum()
            m = re.search(r"^  %s +([0-9.]+)  (\S+) ([0-9.]+) %%" % name, out, re.M)
            self.assertIsNotNone(m, name)
            self.assertEqual(m.group(1), "%.2f" % want)
            # the first share printed is the group's largest
            shares = {p: g["energy_j_" + p][sel].sum() / g["energy_j"][sel].sum()
                      for p in PROCS}
            top = max(shares, key=shares.get)
            self.assertEqual(m.group(2), top)
            self.assertEqual(m.group(3), "%.1f" % (100 * shares[top]))
        self.assertRegex(out, r"\n  ooc +-  oos 100\.0 %\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
