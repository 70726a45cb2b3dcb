"""analysis/mtcsim-report and analysis/mtcsim_results.py on files the
simulator makes: a short run (two groups) and a small sweep (2 points x 3
replications).

Checked: every plot the report lists exists, is a PNG matplotlib can read,
and is not blank (pixel standard deviation above 0.05, and more than 50
distinct colours: axes, text and data); the HTML's numbers equal those
computed here from the file (devices, reports, delivered share, mean
battery life per group and overall; per group the charge per delivered
report and the share of energy per procedure from /groups; per sweep
point the mean fleet life over replications and its 95 % confidence
half-width with Student's t);
the loader gives the same columns as h5py; the report refuses a file that
is not complete (exit 2).
"""

import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

ANALYSIS = os.path.join(lib.SOURCE_DIR, "analysis")
sys.path.insert(0, ANALYSIS)
import mtcsim_results as mr  # noqa: E402

RUN = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "rep", duration = mtc.hours(6), seed = 3, replications = 2,
  devices = {
    { name = "meters", count = 150, traffic = mtc.traffic.periodic(1800, mtc.payload.fixed(60)),
      coverage = mtc.tr45820.coupling_loss(), rai = true },
    { name = "alarms", count = 50, traffic = mtc.traffic.poisson(3600, mtc.payload.fixed(20)),
      coverage = mtc.coverage.fixed(150),
      downlink = { traffic = mtc.traffic.poisson(7200, mtc.payload.fixed(20)) },
      idle = { psm = false } },
  },
}
"""
SWEEP = RUN.replace("replications = 2,", "replications = 3,").replace(
    "  devices = {", '  sweep = { ["cell.rat"] = { "nbiot", "ltem" } },\n  devices = {', 1)


def report(path, out):
    return subprocess.run(["/usr/bin/python3", os.path.join(ANALYSIS, "mtcsim-report"), path,
                           "-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=300)


def cell(text, ident):
    m = re.search(r"id='%s'>([^<]*)<" % re.escape(ident), text)
    assert m, ident
    return m.group(1)


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.files = {}
        for name, text, cmd in (("run", RUN, "run"), ("sweep", SWEEP, "sweep")):
            scen = lib.write_scenario(cls.tmp.name, name + ".lua", text)
            out = os.path.join(cls.tmp.name, name + ".h5")
            r = lib.run_mtcsim([cmd, scen, "-o", out, "--quiet"], timeout=300)
            if r.returncode != 0:
                raise AssertionError(r.describe())
            rep = os.path.join(cls.tmp.name, name + "_report")
            p = report(out, rep)
            if p.returncode != 0:
                raise AssertionError(p.stderr.decode())
            cls.files[name] = (out, rep)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check_pngs(self, rep, want):
        import matplotlib.image as mpimg
        html = open(os.path.join(rep, "index.html"), encoding="utf-8").read()
        imgs = re.findall(r"<img src='([^']+)'", html)
        self.assertEqual(len(imgs), want)
        for img in imgs:
            path = os.path.join(rep, img)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", img)
            a = mpimg.imread(path)[..., :3]
            self.assertGreater(float(a.std()), 0.05, img + " looks blank")
            colours = len(np.unique((a * 255).astype(np.uint8).reshape(-1, 3), axis=0))
            self.assertGreater(colours, 50, img + " has almost no content")
        return html

    def test_run_report(self):
        out, rep = self.files["run"]
        html = self.check_pngs(rep, 7)
        with h5py.File(out, "r") as f:
            d = {k: f["devices"][k][()] for k in ("group", "reports_generated",
                                                  "reports_delivered", "battery_life_years",
                                                  "out_of_coverage")}
        d["group"] = d["group"] - 1  # the file's groups are 1-based; the report's ids 0-based
        for key, sel in (("0", d["group"] == 0), ("1", d["group"] == 1),
                         ("all", np.ones(len(d["group"]), bool))):
            gen = int(d["reports_generated"][sel].sum())
            self.assertEqual(int(cell(html, key + "-devices")), int(sel.sum()))
            self.assertEqual(int(cell(html, key + "-generated")), gen)
            self.assertEqual(cell(html, key + "-delivered"),
                             "%.2f" % (100.0 * d["reports_delivered"][sel].sum() / gen))
            life = d["battery_life_years"][sel & (d["out_of_coverage"] == 0)]
            self.assertEqual(cell(html, key + "-life-mean"), "%.2f" % life[np.isfinite(life)].mean())
        self.assertIn("energy_procedures.png", html)
        with h5py.File(out, "r") as f:
            g = {k: f["groups"][k][()] for k in f["groups"]}
        g["group"] = g["group"] - 1
        for k in (0, 1):
            sel = g["group"] == k
            uah = g["energy_j"][sel].sum() / 3.6 / 3600 * 1e6 / g["reports_delivered"][sel].sum()
            self.assertEqual(cell(html, "g%d-uah" % k), "%.2f" % uah)
            e = {q: g[q][sel].sum() for q in g if q.startswith("energy_j_")}
            for p in ("access", "paging", "ul_data"):
                self.assertEqual(cell(html, "g%d-%s" % (k, p)),
                                 "%.1f" % (100 * e["energy_j_" + p] / sum(e.values())))

    def test_sweep_report(self):
        out, rep = self.files["sweep"]
        html = self.check_pngs(rep, 7 + 5)
        with h5py.File(out, "r") as f:
            pid = f["points/point_id"][()]
            life = f["points/fleet_life_mean_years"][()]
        t2 = 4.303  # Student t 0.975, 2 degrees of freedom (3 replications)
        for pt in (0, 1):
            x = life[pid == pt]
            self.assertEqual(len(x), 3)
            want = "%.2f &plusmn; %.2f" % (x.mean(), t2 * x.std(ddof=1) / math.sqrt(3))
            self.assertEqual(cell(html, "p%d-m0" % pt).replace("\xb1", "&plusmn;"),
                             want.replace("&plusmn;", "\xb1") if "\xb1" in html else want)

    def test_loader(self):
        out, _ = self.files["sweep"]
        res = mr.load(out)
        self.assertEqual(res.swept, ["cell.rat"])
        self.assertEqual(res.swept_labels("cell.rat"), {0: "nbiot", 1: "ltem"})
        self.assertEqual(res.group_names, ["meters", "alarms"])
        with h5py.File(out, "r") as f:
            for name in ("points", "devices", "cells", "ra_delay_cdf", "groups", "energy_matrix"):
                t = getattr(res, name)
                self.assertEqual(sorted(t), sorted(f[name].keys()))
                for col in f[name]:
                    raw = f[name][col][()]
                    if col == "group":  # interim loader: 0-based groups of a 1-based file
                        raw = raw - 1
                    if raw.dtype.kind == "S":  # interim loader: swept strings as indexes
                        continue
                    np.testing.assert_array_equal(t[col], raw)

    def test_frames(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.skipTest("pandas is optional and not installed")
        out, _ = self.files["run"]
        fr = mr.frames(out)
        self.assertEqual(len(fr["devices"]), len(mr.load(out).devices["group"]))

    def test_string_labels_with_separators(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", 'return { duration = 60, devices = { { count = 1 } },'
                                      ' sweep = { ["devices[1].name"] = { "a, b", "c = d", "e\\"f" } } }')
            out = os.path.join(tmp, "s.h5")
            r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            self.assertEqual(mr.load(out).swept_labels("devices[1].name"),
                             {0: "a, b", 1: "c = d", 2: 'e"f'})
            p = report(out, os.path.join(tmp, "rep"))
            self.assertEqual(p.returncode, 0, p.stderr.decode())

    def test_incomplete_file_refused(self):
        bad = os.path.join(self.tmp.name, "bad.h5")
        with h5py.File(bad, "w") as f:
            f.attrs["complete"] = 0
        p = report(bad, os.path.join(self.tmp.name, "bad_report"))
        self.assertEqual(p.returncode, 2, p.stderr.decode())
        self.assertIn("not a complete mtcsim results file", p.stderr.decode())


if __name__ == "__main__":
    unittest.main(verbosity=2)
