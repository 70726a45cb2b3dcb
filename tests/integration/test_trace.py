"""/trace: a per-event log of chosen devices.

The rows are the chosen devices' events inside the window, in time order;
what they record agrees with the per-device totals of /devices and, for
connections, with the independent integral in /timeseries (the time every
traced connection lasted, Msg4 to release, summed, equals the integral of
devices_connected when every device is traced); the size bound counts what
it leaves out and warns; bad selections are scenario errors.
"""

import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "tr", duration = 3 * 3600, seed = 5, replications = 2,
  trace = %s,
  devices = {
    { name = "meters", count = 40, traffic = mtc.traffic.periodic(1800, mtc.payload.fixed(50)),
      coverage = mtc.coverage.tr45820() },
    { name = "burst", count = 300, traffic = mtc.tr37868.model2(mtc.payload.fixed(80), 60),
      coverage = mtc.coverage.tr45820() },
  },
}
"""


def tables(path, *names):
    with h5py.File(path, "r") as f:
        return [{k: f[n][k][()] for k in f[n]} if n in f else None for n in names]


def text(col):
    return np.array([v.decode() for v in col])


class Trace(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_trace(self, trace, name, *args):
        scen = lib.write_scenario(self.tmp.name, name + ".lua", SCENARIO % trace)
        out = os.path.join(self.tmp.name, name + ".h5")
        r = lib.run_mtcsim(["run", scen, "-o", out, "--quiet"] + list(args), timeout=300)
        return r, out

    def test_chosen_devices(self):
        r, out = self.run_trace("{ devices = { 1, 7, 41, 300 } }", "some")
        self.assertEqual(r.returncode, 0, r.describe())
        t, d = tables(out, "trace", "devices")
        self.assertEqual(set(t["device"].tolist()), {1, 7, 41, 300})
        detail = text(t["detail"])
        for rep in (0, 1):
            for dev in (1, 7, 41, 300):
                rows = (t["device"] == dev) & (t["replication"] == rep)
                times = t["t_s"][rows]
                self.assertTrue(np.all(np.diff(times) >= 0), (rep, dev))
                e = t["energy_j"][rows]
                self.assertTrue(np.all(np.diff(e) >= 0), (rep, dev))
                row = (d["device"] == dev) & (d["replication"] == rep)
                for word, col in (("report generated", "reports_generated"),
                                  ("report delivered", "reports_delivered"),
                                  ("preamble sent", "ra_attempts")):
                    got = sum(word in x for x in detail[rows])
                    self.assertEqual(got, int(d[col][row][0]), (rep, dev, word))
                self.assertLessEqual(e.max(), d["energy_j"][row][0])
        self.assertEqual(set(text(t["state"])) - {"idle", "sync", "wait_prach", "preamble",
                                                  "rar_wait", "msg3", "msg4_wait", "connected",
                                                  "inactive", "release"}, set())

    def test_connections_match_the_time_series(self):
        # every device, the whole run: the connections' durations add up to
        # the time series' integral of devices connected (two mechanisms)
        r, out = self.run_trace("{ from_s = 0, to_s = 3 * 3600 }", "all")
        self.assertEqual(r.returncode, 0, r.describe())
        t, ts = tables(out, "trace", "timeseries")
        detail = text(t["detail"])
        for rep in (0, 1):
            total = 0.0
            for dev in set(t["device"][t["replication"] == rep].tolist()):
                rows = (t["device"] == dev) & (t["replication"] == rep)
                start = None
                for when, what in zip(t["t_s"][rows], detail[rows]):
                    if "connected" in what.split(", "):
                        start = when
                    if "released" in what.split(", "):
                        total += when - start
                        start = None
                if start is not None:
                    total += 3 * 3600 - start
            m = ts["replication"] == rep
            want = float((ts["devices_connected"][m] * ts["dt_s"][m]).sum())
            self.assertGreater(want, 100.0)
            self.assertAlmostEqual(total, want, delta=1e-6 * want)

    def test_window_and_bound(self):
        r, out = self.run_trace("{ from_s = 60, to_s = 75, max_rows = 500 }", "win")
        self.assertEqual(r.returncode, 0, r.describe())
        t, c = tables(out, "trace", "cells")
        self.assertTrue(np.all((t["t_s"] >= 60) & (t["t_s"] < 75)))
        for rep in (0, 1):
            self.assertEqual(int((t["replication"] == rep).sum()), 500)
        self.assertTrue(np.all(c["trace_dropped"] > 0))
        self.assertIn("trace.max_rows", r.stderr)
        # without a trace: no /trace, nothing dropped
        r, out = self.run_trace("{}", "none")
        self.assertEqual(r.returncode, 0, r.describe())
        t, c = tables(out, "trace", "cells")
        self.assertIsNone(t)
        self.assertTrue(np.all(c["trace_dropped"] == 0))

    def test_bad_selections(self):
        for trace, msg in (("{ devices = { 0 } }", "trace.devices"),
                           ("{ devices = { 1.5 } }", "not a device number"),
                           ("{ cells = { 3 } }", "not a cell of this run"),
                           ("{ from_s = 10, to_s = 5 }", "not after trace.from_s"),
                           ("{ max_rows = 0 }", "trace.max_rows"),
                           ("{ devices = { 341 } }", "device 341 of a cell of 340 devices"),
                           ("{ from_s = 10800 }", "not before the end of the run")):
            r, _ = self.run_trace(trace, "bad")
            self.assertEqual(r.returncode, 2, (trace, r.describe()))
            self.assertIn(msg, r.stderr, trace)
            self.assertIn("bad.lua:", r.stderr, trace)


if __name__ == "__main__":
    unittest.main(verbosity=2)
