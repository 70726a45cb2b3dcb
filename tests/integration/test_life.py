"""`mtcsim life`, the planner's command.

1. Its results file is the file `mtcsim sweep` writes from the scenario it
   wrote (--scenario): every dataset identical (wall_s aside).
2. Its printed table is recomputed here from the `mtcsim sweep` file, as
   the README states it: years = mean over the replications of /points
   fleet_life_mean_years, 95 % CI half-width = t(0.975, R - 1) s / sqrt(R)
   (scipy), p5 = 5th percentile (linear, as GSL) of battery_life_years over
   every device in coverage, current = mean avg_current_ua over them,
   charge per report = sum over replications of /groups energy_j_<proc> /
   voltage_v / 3600 * 1e6 / reports_delivered; the printed strings must be
   the same.
3. Common random numbers: every point runs on the base seed, and the
   phase draws (how many reports each device generates in a window that is
   not a whole number of periods) are the same device by device in every
   point, while they differ between devices and between replications, and
   differ between points without common random numbers.
4. Bad options: exit 2 with `mtcsim life: OPTION: what is wrong`; an
   existing results or scenario file is refused without --force, before
   anything is written.
"""

import os
import re
import sys
import tempfile
import unittest

import h5py
import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

# small: 2 coupling losses x EDT on/off, 50 bytes every 5 h over 1.1 days
# (phases decide whether a device reports 5 or 6 times)
ARGS = ["--module", "bg96", "--coupling-loss", "144,164", "--payload", "50", "--every", "5h",
        "--edt", "on,off", "--battery", "2600mAh@3.6V", "--devices", "20",
        "--replications", "3", "--days", "1.1", "--seed", "3", "--threads", "2"]


def table_rows(stdout):
    """The printed rows as lists of fields (the line under the header)."""
    lines = stdout.splitlines()
    head = [i for i, line in enumerate(lines) if "years mean (95% CI)" in line]
    assert len(head) == 1, stdout
    rows = []
    for line in lines[head[0] + 1:]:
        if not line.strip():
            break
        rows.append(line)
    return rows


def fmt(v, f):
    return "-" if not np.isfinite(v) else f % v


def period(s):
    for unit, n in (("d", 86400), ("h", 3600), ("min", 60)):
        if s >= n and s % n == 0:
            return "%g%s" % (s / n, unit)
    return "%gs" % s


def expected_rows(path):
    """The table recomputed from a results file (sequential sums in row
    order, as the C code adds)."""
    with h5py.File(path, "r") as f:
        pts, dev, grp = f["points"], f["devices"], f["groups"]
        pid = pts["point_id"][()]
        rows = []
        for p in sorted(set(pid.tolist())):
            life = [x for i, x in zip(pid, pts["fleet_life_mean_years"][()])
                    if i == p and np.isfinite(x)]
            s = 0.0
            for x in life:
                s += x
            mean = s / len(life)
            sq = 0.0
            for x in life:
                sq += (x - mean) * (x - mean)
            r = len(life)
            ci = stats.t.ppf(0.975, r - 1) * np.sqrt(sq / (r - 1)) / np.sqrt(r)
            sel = (dev["point_id"][()] == p) & (dev["out_of_coverage"][()] == 0)
            lives = dev["battery_life_years"][()][sel]
            p5 = np.percentile(lives, 5)  # linear, as gsl_stats_quantile_from_sorted_data
            ua = 0.0
            for x in dev["avg_current_ua"][()][sel]:
                ua += x
            ua /= len(lives)
            g = grp["point_id"][()] == p
            delivered = 0.0
            for x in grp["reports_delivered"][()][g]:
                delivered += float(x)
            uah = {}
            for proc in lib.PROCS:
                q = 0.0
                for e, v in zip(grp["energy_j_" + proc][()][g], grp["voltage_v"][()][g]):
                    q += e / v
                uah[proc] = q / 3600.0 * 1e6 / delivered
            total = 0.0
            for proc in lib.PROCS:
                total += uah[proc]
            # largest first, ties in the procedure order
            order = sorted(lib.PROCS, key=lambda k: (-uah[k], lib.PROCS.index(k)))
            top = ", ".join("%s %.2f" % (k, uah[k]) for k in order[:3] if uah[k] > 0)
            dom = "%s %.1f %%" % (order[0], 100 * uah[order[0]] / total)
            rows.append({"point": p, "years": "%s (+-%s)" % (fmt(mean, "%.2f"), fmt(ci, "%.2f")),
                         "p5": fmt(p5, "%.2f"), "ua": fmt(ua, "%.3f"), "q": fmt(total, "%.2f"),
                         "top": top, "dom": dom})
        return rows


class Life(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        cls.scen = os.path.join(d, "plan.lua")
        cls.a = os.path.join(d, "life.h5")
        cls.b = os.path.join(d, "sweep.h5")
        cls.life = lib.run_mtcsim(["life"] + ARGS + ["--scenario", cls.scen, "-o", cls.a],
                                  timeout=120)
        cls.sweep = lib.run_mtcsim(["sweep", cls.scen, "-o", cls.b, "--threads", "1"],
                                   timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_same_file_as_sweep_of_written_scenario(self):
        lib.assert_ok(self, self.life)
        lib.assert_ok(self, self.sweep)
        a, b = lib.read_datasets(self.a), lib.read_datasets(self.b)
        self.assertEqual(sorted(a), sorted(b))
        for name in a:
            if name.endswith("/wall_s"):
                continue
            if isinstance(a[name], np.ndarray):
                np.testing.assert_array_equal(a[name], b[name], err_msg=name)
            else:
                self.assertEqual(a[name], b[name], name)
        # the scenario is a sweep on common random numbers, with a comment
        with open(self.scen, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("common_random_numbers = true", text)
        self.assertTrue(text.startswith("-- plan.lua: written by `mtcsim life`"), text[:200])

    def test_table_recomputed_from_sweep_file(self):
        lib.assert_ok(self, self.life)
        lib.assert_ok(self, self.sweep)
        rows = table_rows(self.life.stdout)
        want = expected_rows(self.b)
        self.assertEqual(len(rows), 4)  # 2 coupling losses x EDT on/off
        labels = [("144", "on"), ("144", "off"), ("164", "on"), ("164", "off")]
        for line, w, (cl, edt) in zip(rows, want, labels):
            fields = line.split()
            self.assertEqual(fields[:6], [cl, edt, "on", "psm", "50", period(18000)], line)
            self.assertEqual(" ".join(fields[6:8]), w["years"], line)
            self.assertEqual(fields[8:11], [w["p5"], w["ua"], w["q"]], line)
            self.assertIn("  %s " % w["top"], line)
            self.assertTrue(line.endswith(" " + w["dom"]), line)
        # the CI is a real interval: 3 replications, independent draws
        self.assertNotIn("(+--)", self.life.stdout)
        self.assertIn("results: %s" % self.a, self.life.stdout)

    def test_common_random_numbers(self):
        lib.assert_ok(self, self.life)
        with h5py.File(self.a, "r") as f:
            seeds = set(f["points"]["seed"][()].tolist())
            self.assertEqual(seeds, {3})
            d = f["devices"]
            pid, rep, dev = d["point_id"][()], d["replication"][()], d["device"][()]
            gen = d["reports_generated"][()]
        points = sorted(set(pid.tolist()))
        self.assertEqual(len(points), 4)
        by_point = []
        for p in points:
            sel = pid == p
            order = np.lexsort((dev[sel], rep[sel]))
            by_point.append(gen[sel][order])
        for p in points[1:]:
            np.testing.assert_array_equal(by_point[0], by_point[p],
                                          "point %d drew other phases than point 0" % p)
        # the draws matter: devices (and replications) differ
        self.assertEqual(set(by_point[0].tolist()), {5, 6})
        n = len(by_point[0]) // 3
        self.assertFalse(np.array_equal(by_point[0][:n], by_point[0][n:2 * n]))
        # without common random numbers the points draw apart
        c = os.path.join(self.tmp.name, "indep.h5")
        lib.run_ok(self, ["sweep", self.scen, "-o", c, "--set", "common_random_numbers=false"],
                   timeout=120)
        with h5py.File(c, "r") as f:
            d = f["devices"]
            g0 = d["reports_generated"][()][d["point_id"][()] == 0]
            g2 = d["reports_generated"][()][d["point_id"][()] == 2]
        self.assertFalse(np.array_equal(g0, g2))

    def test_rai_off_pays_the_tail(self):
        """--rai off: the network releases after cell.inactivity_s; that tail
        (conn_wait, in connected-mode DRX) costs charge per report, and only
        there."""
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "rai.h5")
            res = lib.run_ok(self, ["life", "--module", "bg96", "--coupling-loss", "144",
                                    "--payload", "50", "--every", "1d", "--rai", "on,off",
                                    "--devices", "10", "--replications", "2", "--days", "1.1",
                                    "-o", out])
            rows = table_rows(res.stdout)
            self.assertEqual([r.split()[2] for r in rows], ["on", "off"])
            q = [float(r.split()[10]) for r in rows]
            self.assertGreater(q[1], q[0])
            with h5py.File(out, "r") as f:
                pid = f["/devices/point_id"][()]
                tail = f["/devices/energy_j_conn_wait"][()]
            self.assertTrue(np.all(tail[pid == 0] == 0))
            self.assertTrue(np.all(tail[pid == 1] > 0))

    def test_bad_options(self):
        cases = [
            (["--every", "6x"], "mtcsim life: --every: '6x': expected report periods such as "
                                "30min,6h,1d (or seconds)"),
            (["--every", "0"], "mtcsim life: --every: '0': must be a value from 1 to 3.2e+09"),
            (["--coupling-loss", "144,,"], "mtcsim life: --coupling-loss: '144,,': an empty "
                                           "item in the list"),
            (["--idle", ",psm"], "mtcsim life: --idle: ',psm': an empty item in the list"),
            (["--coupling-loss", "144,144"], "mtcsim life: --coupling-loss: '144' is given "
                                             "twice"),
            (["--payload", "50.5"], "mtcsim life: --payload: '50.5': must be a whole number "
                                    "from 1 to 1e+06"),
            (["--edt", "maybe"], "mtcsim life: --edt: 'maybe': expected on, off, on,off or "
                                 "off,on"),
            (["--rai", "yes"], "mtcsim life: --rai: 'yes': expected on, off, on,off or "
                               "off,on"),
            (["--idle", "edrx:30s"], "mtcsim life: --idle: 'edrx:30s': expected psm, drx or "
                                     "edrx:CYCLE with CYCLE 20.48 x 2^k s (20.48s ... "
                                     "10485.76s)"),
            (["--battery", "2600mAh"], "mtcsim life: --battery: '2600mAh': expected "
                                       "CAPACITYmAh@VOLTSV (2600mAh@3.6V) or "
                                       "CAPACITYWh[@VOLTSV] (5Wh), capacity > 0, volts up "
                                       "to 100"),
            (["--battery", "2600mAh@3.6"], "mtcsim life: --battery: '2600mAh@3.6': expected "
                                           "CAPACITYmAh@VOLTSV (2600mAh@3.6V) or "
                                           "CAPACITYWh[@VOLTSV] (5Wh), capacity > 0, volts up "
                                           "to 100"),
            (["--module", "bg69"], "mtcsim life: --module: unknown module 'bg69' (known: "
                                   "tr45820, bg96, sara_n211, nrf9160, m5311)"),
            (["--rat", "ltem"], "mtcsim life: --rat: module tr45820 has figures for NB-IoT "
                                "only, not LTE-M"),
            (["--idle", "psm,edrx:5242.88s", "--module", "bg96", "--rat", "ltem"],
             "mtcsim life: --idle: edrx:5242.88s: LTE-M eDRX cycles end at 2621.44s"),
            (["--replications", "1"], "mtcsim life: --replications: '1': expected a whole "
                                      "number from 2 to 1000"),
            (["--days", "-1"], "mtcsim life: --days: '-1': expected a number of days above 0, "
                               "at most 3650"),
            (["--seed", "-1"], None),
            (["--bogus", "1"], "mtcsim life: --bogus: unknown option"),
            (["--every"], "mtcsim life: --every: needs a value"),
        ]
        with tempfile.TemporaryDirectory() as d:
            for args, first in cases:
                with self.subTest(args=args):
                    res = lib.run_mtcsim(["life"] + args, cwd=d)
                    lib.assert_usage_error(self, res, first)
                    self.assertTrue(res.first_err_line.startswith("mtcsim life: %s: " % args[0]),
                                    res.describe())
            self.assertEqual(os.listdir(d), [])  # nothing written

    def test_refuses_to_overwrite(self):
        with tempfile.TemporaryDirectory() as d:
            small = ["--devices", "2", "--replications", "2", "--days", "0.1",
                     "--coupling-loss", "144"]
            # default results file: life_MODULE.h5 in the current folder
            lib.run_ok(self, ["life"] + small, cwd=d)
            self.assertEqual(os.listdir(d), ["life_tr45820.h5"])
            res = lib.run_mtcsim(["life"] + small + ["--scenario", "s.lua"], cwd=d)
            lib.assert_usage_error(self, res, "mtcsim life: -o: life_tr45820.h5 exists: pass "
                                              "--force to replace it")
            self.assertFalse(os.path.exists(os.path.join(d, "s.lua")))
            lib.run_ok(self, ["life"] + small + ["--scenario", "s.lua", "--force"], cwd=d)
            res = lib.run_mtcsim(["life"] + small + ["--scenario", "s.lua", "-o", "x.h5"],
                                 cwd=d)
            lib.assert_usage_error(self, res, "mtcsim life: --scenario: s.lua exists: pass "
                                              "--force to replace it")
            res = lib.run_mtcsim(["life"] + small + ["--scenario", "y", "-o", "y", "--force"],
                                 cwd=d)
            lib.assert_usage_error(self, res, "mtcsim life: --scenario: y is also the results "
                                              "file (-o)")
            # the written scenario checks as a sweep (every point loads)
            lib.run_ok(self, ["check", "s.lua"], cwd=d)
            self.assertEqual(sorted(os.listdir(d)), ["life_tr45820.h5", "s.lua"])


if __name__ == "__main__":
    unittest.main()
