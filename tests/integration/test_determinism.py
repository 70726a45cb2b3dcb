"""End-to-end determinism of `mtcsim run`.

The same scenario and seed must give bit-identical results whatever the
thread count and whichever event queue runs the engine; the seed and the
replication index must change the draws. Arrays are compared as raw bytes
(so NaN latencies of devices that delivered nothing compare too).
"""

import json
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

# Several traffic kinds, including many events at equal times (synchronised
# periodic reports and a burst) where the queue's FIFO tie-break matters;
# coverage from the TR 45.820 composition, a table and fixed values, so all
# three CE levels and out-of-coverage devices occur; a TR 37.868 model 2
# burst of 2000 devices so that random access collides a lot (backoff,
# CE-level escalation, failures); queueing (Poisson, and an overflowing
# buffer at 160 dB); and devices that never deliver (NaN latencies).
SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "determinism",
  duration = mtc.hours(2),
  seed = 11,
  replications = 4,
  devices = {
    { name = "mix", count = 300, traffic = mtc.tr45820.mar_periodic(),
      coverage = mtc.coverage.tr45820(), rai = true },
    { name = "poisson", count = 150,
      traffic = mtc.traffic.poisson(120, mtc.payload.uniform(10, 90)),
      coverage = mtc.coverage.table({ 120, 140, 150, 165 }, { 0, 0.5, 0.9, 1 }),
      idle = { psm = false, wus = true },
      downlink = { traffic = mtc.traffic.poisson(900, mtc.payload.fixed(30)), answer_bytes = 10 } },
    { name = "sync", count = 200,
      traffic = { kind = "periodic", period_s = 600, random_phase = false, start_s = 0 },
      coverage = mtc.coverage.fixed(140), rai = true },
    { name = "burst", count = 2000, traffic = mtc.tr37868.model2(nil, 60),
      coverage = mtc.coverage.tr45820(), rai = true },
    { name = "busy", count = 5, traffic = mtc.traffic.poisson(5),
      coverage = mtc.coverage.fixed(160), max_pending = 3 },
    { name = "silent", count = 5, traffic = mtc.traffic.none() },
    { name = "far", count = 3, traffic = mtc.traffic.periodic(1800),
      coverage = mtc.coverage.fixed(200) },
  },
}
"""

# A layout with one replication, and a sweep of it, for cells in parallel.
LAYOUT = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "layout",
  duration = mtc.hours(1),
  seed = 5,
  cell = { layout_sites = 7, interference_passes = 2 },
  devices = {
    { name = "meters", count = 2100, traffic = mtc.traffic.poisson(900),
      coverage = mtc.tr45820.coupling_loss(), rai = true },
  },
}
"""
LAYOUT_SWEEP = LAYOUT.replace("  cell =", '  sweep = { ["devices[1].count"] = { 1050, 2100 } },\n  cell =')

# Differ between runs by nature: the time and the command line of the run.
VOLATILE_ATTRS = {"created", "command_line"}


def read_file(path):
    with h5py.File(path, "r") as f:
        attrs = {k: v for k, v in f.attrs.items() if k not in VOLATILE_ATTRS}
    return attrs, lib.read_datasets(path)


def raw(value):
    if isinstance(value, np.ndarray):
        return value.dtype.str, value.shape, value.tobytes()
    return value


class Determinism(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="mtcsim-det-")
        cls.scenario = lib.write_scenario(cls._tmp.name, "det.lua", SCENARIO)
        cls.cache = {}

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def results(self, *args):
        """Runs the scenario with extra arguments (cached), returns (attrs, datasets)."""
        if args not in self.cache:
            out = os.path.join(self._tmp.name, "r%d.h5" % len(self.cache))
            lib.run_ok(self, ["run", self.scenario, "-o", out, "--quiet"] + list(args))
            self.cache[args] = read_file(out)
        return self.cache[args]

    def assert_identical(self, a, b, skip=(), what=""):
        attrs_a, data_a = a
        attrs_b, data_b = b
        self.assertEqual(sorted(data_a), sorted(data_b), what + ": different datasets")
        for name in sorted(data_a):
            if name in skip:
                continue
            self.assertTrue(raw(data_a[name]) == raw(data_b[name]),
                            "%s: %s differs" % (what, name))
        self.assertEqual(attrs_a.keys(), attrs_b.keys())
        for k in attrs_a:
            self.assertEqual(raw(np.asarray(attrs_a[k])), raw(np.asarray(attrs_b[k])), k)

    def test_scenario_exercises_ties_and_nans(self):
        _, data = self.results("--threads", "1")
        lat = data["/devices/latency_ms_mean"]
        self.assertTrue(np.isnan(lat).any(), "no device without deliveries (NaN latency)")
        self.assertTrue((data["/devices/reports_dropped"] > 0).any(), "no overflow")
        self.assertEqual(len(data["/points/replication"]), 4)
        # Contention: the burst makes preambles collide in every replication,
        # so the comparisons below cover collision resolution, backoff draws
        # and failed procedures, not just lone devices.
        rep, group = data["/devices/replication"], data["/devices/group"]
        coll = data["/devices/ra_collisions"].astype(np.int64)
        self.assertGreater(coll.sum(), 0, "no random-access collision")
        for r in range(4):
            self.assertGreater(coll[(rep == r) & (group == 3)].sum(), 100,
                               "burst without collisions in replication %d" % r)
        self.assertGreater(data["/devices/ra_failures"].sum(), 0, "no failed random access")
        self.assertGreater(data["/devices/ce_escalations"].sum(), 0, "no CE-level escalation")
        self.assertGreater(data["/devices/reports_failed"].sum(), 0, "no failed report")
        ce = data["/devices/ce_level"]
        self.assertEqual(set(np.unique(ce).tolist()), {0, 1, 2, 4}, "not every CE level occurs")
        # Idle mode: paging with WUS draws and network commands are covered.
        self.assertGreater(data["/devices/wus_monitored"].sum(), 0, "no WUS monitored")
        self.assertGreater(data["/devices/pages_received"].sum(), 0, "no page received")
        self.assertGreater(data["/devices/dl_delivered"].sum(), 0, "no command delivered")

    def test_thread_count_does_not_matter(self):
        base = self.results("--threads", "1")
        for n in ("2", "3"):
            # /points/wall_s is the wall-clock time of each replication:
            # machine- and load-dependent, never reproducible.
            self.assert_identical(base, self.results("--threads", n), skip={"/points/wall_s"},
                                  what="--threads 1 vs " + n)

    def test_ltem_thread_count_does_not_matter(self):
        # The same fleet on an LTE-M cell (its four CE levels, PRACH
        # repetitions, narrowband scheduling) and in the TR 37.868
        # access-only evaluation.
        for extra in (["--set", "cell.rat=ltem"],
                      ["--set", "cell.rat=ltem", "--set", "cell.ra_model=tr37868"]):
            base = self.results("--threads", "1", *extra)
            _, data = base
            if "tr37868" not in extra[-1]:
                self.assertEqual(set(np.unique(data["/devices/ce_level"]).tolist()),
                                 {0, 1, 2, 3, 4}, "LTE-M: not every CE level occurs")
            self.assert_identical(base, self.results("--threads", "3", *extra),
                                  skip={"/points/wall_s"}, what="LTE-M --threads 1 vs 3 " + extra[-1])

    def test_layout_cells_in_parallel(self):
        # A 7-site layout (21 cells, two interference passes): with one
        # replication, the cells of each pass run as tasks on the threads
        # (mac_run_all), so this compares cells run in order against cells
        # run concurrently, and in a sweep (points x replications x cells).
        scen = {"run": lib.write_scenario(self._tmp.name, "layout.lua", LAYOUT),
                "sweep": lib.write_scenario(self._tmp.name, "layout_sw.lua", LAYOUT_SWEEP)}
        files = {}
        for cmd, n in (("run", "1"), ("run", "2"), ("run", "3"), ("sweep", "1"), ("sweep", "2")):
            out = os.path.join(self._tmp.name, "layout_%s_%s.h5" % (cmd, n))
            lib.run_ok(self, [cmd, scen[cmd], "-o", out, "--quiet", "--threads", n])
            files[cmd, n] = read_file(out)
        _, data = files["run", "1"]
        self.assertEqual(len(np.unique(data["/cells/cell"])), 21)
        self.assertTrue((data["/cells/ul_iot_db"] > 0).all(), "no interference pass")
        # each cell's events (both passes) add up to the replication's
        self.assertEqual(int(data["/cells/events"].astype(np.int64).sum()),
                         int(data["/points/events"][0]))
        self.assertTrue((data["/cells/events"] > 0).all())
        for key in (("run", "2"), ("run", "3")):
            self.assert_identical(files["run", "1"], files[key], skip={"/points/wall_s"},
                                  what="layout --threads 1 vs %s" % key[1])
        self.assert_identical(files["sweep", "1"], files["sweep", "2"],
                              skip={"/points/wall_s"}, what="layout sweep --threads 1 vs 2")

    def test_same_seed_twice(self):
        a = self.results("--threads", "2")
        out = os.path.join(self._tmp.name, "again.h5")
        lib.run_ok(self, ["run", self.scenario, "-o", out, "--quiet", "--threads", "2"])
        self.assert_identical(a, read_file(out), skip={"/points/wall_s"}, what="rerun")

    def test_heap_and_radix_queues_agree(self):
        radix = self.results("--threads", "2")
        heap = self.results("--threads", "2", "--set", 'engine.queue="heap"')
        # Same events in the same order (FIFO among equal times) give the
        # same results. Not compared: wall_s (wall-clock time), model_bytes
        # (memory, which includes the queue's own), and the resolved
        # configuration, which records the queue (checked below).
        skip = {"/points/wall_s", "/points/model_bytes", "/config/resolved"}
        self.assert_identical(radix, heap, skip=skip, what="radix vs heap")
        cfg_r = json.loads(radix[1]["/config/resolved"])
        cfg_h = json.loads(heap[1]["/config/resolved"])
        self.assertEqual(cfg_r["engine"]["queue"], "radix")
        self.assertEqual(cfg_h["engine"]["queue"], "heap")
        cfg_h["engine"]["queue"] = "radix"
        self.assertEqual(cfg_r, cfg_h)

    def test_seed_changes_results(self):
        a = self.results("--threads", "2")[1]
        b = self.results("--threads", "2", "--seed", "12")[1]
        np.testing.assert_array_equal(b["/points/seed"], 12)
        ea, eb = a["/devices/energy_j"], b["/devices/energy_j"]
        self.assertFalse(np.array_equal(ea, eb), "--seed does not change energy_j")
        # Not just a few devices: most with random traffic change.
        self.assertGreater(np.mean(ea != eb), 0.5)

    def test_replications_differ(self):
        d = self.results("--threads", "1")[1]
        rep, energy = d["/devices/replication"], d["/devices/energy_j"]
        gen = d["/devices/reports_generated"]
        per_rep = [energy[rep == r] for r in range(4)]
        gens = [gen[rep == r] for r in range(4)]
        for i in range(4):
            for j in range(i + 1, 4):
                self.assertFalse(np.array_equal(per_rep[i], per_rep[j]),
                                 "replications %d and %d have equal energy_j" % (i, j))
                self.assertFalse(np.array_equal(gens[i], gens[j]),
                                 "replications %d and %d generate the same reports" % (i, j))
        cells_e = d["/cells/energy_j"]
        self.assertEqual(len(set(cells_e.tolist())), 4)


if __name__ == "__main__":
    unittest.main(verbosity=2)
