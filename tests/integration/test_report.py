"""analysis/mtcsim-report and the mtcsim_results package on files the
simulator makes: a run (two groups and one out of coverage, 2
replications), a sweep (radio x a doubling report period, 3
replications), a one-replication sweep and a TR 37.868 sweep; and on
copies rewritten by h5py into results format 2 and given a synthetic
/timeseries (the spec of README "Results (HDF5)").

Checked, each against numbers computed here from the file:
- the HTML's tables (devices, reports, delivered share, out of coverage,
  battery life per group; charge per report and energy shares per
  procedure; per sweep point the mean and 95 % half-width with Student's
  t, one row per point);
- every figure is a PNG at 300 dpi (pHYs) beside a PDF, listed in the HTML
  with a caption naming the scenario and the seed, and drawn with the
  source line (name, seed) in the figure;
- no legend covers data: each legend's box holds no data point (lines,
  markers, error bars, bars) of any axes of its figure;
- battery-life CDFs per group with "N devices x R replications", the curve
  equal to the group's in-coverage lives; out-of-coverage runs excluded and
  their number in the caption; NB-IoT and LTE-M CE levels never pooled;
- energy per device per day, log scale exactly when the stacks span a
  decade; no energy or battery-life figure for a TR 37.868 scenario;
- random access on two axes, probabilities' confidence intervals inside
  [0, 1], the stored access-delay CDF drawn;
- sweeps: x label with a readable name and unit, base-2 log axis for a
  doubling parameter, distinct markers per series, "95 % CI" only with two
  replications or more;
- the time-series figure from /timeseries (RA success per bin equal to the
  file's), none without;
- format 2 (1-based groups and devices, group_name, typed swept columns)
  gives the same tables as format 1; frames() joins group names and swept
  values into /devices;
- `mtcsim-report A B --label ...` compares runs per group (table and plot);
- the report refuses a file that is not complete (exit 2).
The package's installation is test_package_install.py.
"""

import math
import os
import re
import shutil
import struct
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
from mtcsim_results import plotting as pl  # noqa: E402
from mtcsim_results import report as rp  # noqa: E402

PYTHON = os.environ.get("MTCSIM_PYTHON") or sys.executable

RUN = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "rep", duration = mtc.hours(6), seed = 3, replications = 2,
  timeseries = { interval_s = 60 },
  devices = {
    { name = "meters", count = 150, traffic = mtc.traffic.periodic(1800, mtc.payload.fixed(60)),
      coverage = mtc.tr45820.coupling_loss(), rai = true },
    { name = "alarms", count = 50, traffic = mtc.traffic.poisson(3600, mtc.payload.fixed(20)),
      coverage = mtc.coverage.fixed(150),
      downlink = { traffic = mtc.traffic.poisson(7200, mtc.payload.fixed(20)) },
      idle = { psm = false } },
    { name = "cellar", count = 10, traffic = mtc.traffic.periodic(3600, mtc.payload.fixed(20)),
      coverage = mtc.coverage.fixed(185) },
  },
}
"""
SWEEP = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "swp", duration = mtc.hours(4), seed = 5, replications = 3,
  timeseries = { interval_s = 120 },
  devices = {
    { name = "meters", count = 60, traffic = mtc.traffic.periodic(1800, mtc.payload.fixed(60)),
      coverage = mtc.tr45820.coupling_loss() },
  },
  sweep = { ["cell.rat"] = { "nbiot", "ltem" },
            ["devices[1].traffic.period_s"] = { 900, 1800, 3600 } },
}
"""
SWEEP1 = SWEEP.replace("replications = 3", "replications = 1").replace('name = "swp"',
                                                                       'name = "one"')
TR = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "tr", duration = 70, seed = 11, replications = 2, common_random_numbers = true,
  cell = mtc.tr37868.cell(),
  devices = { { name = "mtc", count = 100, traffic = mtc.tr37868.model1(mtc.payload.fixed(100)),
                coverage = mtc.coverage.fixed(120) } },
  sweep = { ["devices[1].count"] = { 500, 2000 } },
}
"""


def report(args, out=None):
    cmd = [PYTHON, os.path.join(ANALYSIS, "mtcsim-report")] + list(args)
    if out:
        cmd += ["-o", out]
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)


def cell(text, ident):
    m = re.search(r"id='%s'>([^<]*)<" % re.escape(ident), text)
    assert m, ident
    return m.group(1)


def base(f):
    """The number of the first group (and device) in an open file: 0 in
    format 1, 1 in format 2."""
    return 1 if int(f.attrs.get("format_version", 1)) >= 2 else 0


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def close(figs):
    import matplotlib.pyplot as plt
    for f in figs:
        plt.close(f.fig)
    return True


def png_info(path):
    """(width, height, dpi) from the PNG's IHDR and pHYs chunks."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    w, h = struct.unpack(">II", data[16:24])
    i = data.find(b"pHYs")
    assert i > 0, path + ": no pHYs chunk"
    ppx, ppy, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    assert unit == 1
    return w, h, ppx * 0.0254


def data_points(fig):
    """Display coordinates of every plotted point of every axes."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle
    pts = []
    for ax in fig.axes:
        for line in ax.get_lines():
            xy = np.asarray(line.get_xydata(), dtype=float)
            xy = xy[np.isfinite(xy).all(axis=1)]
            if len(xy):
                pts.append(ax.transData.transform(xy))
        for coll in ax.collections:
            if isinstance(coll, LineCollection):
                for seg in coll.get_segments():
                    seg = np.asarray(seg, dtype=float)
                    seg = seg[np.isfinite(seg).all(axis=1)]
                    if len(seg):
                        pts.append(ax.transData.transform(seg))
        for p in ax.patches:
            if isinstance(p, Rectangle) and p.get_height() > 0:
                b = p.get_window_extent()
                pts.append(np.array([[b.x0, b.y0], [b.x1, b.y1], [(b.x0 + b.x1) / 2, b.y1]]))
    return np.vstack(pts) if pts else np.zeros((0, 2))


def errorbar_ranges(ax):
    """(low, high) y of every vertical error bar drawn on the axes."""
    from matplotlib.collections import LineCollection
    out = []
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            for seg in coll.get_segments():
                out.append((min(seg[:, 1]), max(seg[:, 1])))
    return out


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.h5 = {}
        for name, text, cmd in (("run", RUN, "run"), ("sweep", SWEEP, "sweep"),
                                ("one", SWEEP1, "sweep"), ("tr", TR, "sweep")):
            scen = lib.write_scenario(cls.tmp.name, name + ".lua", text)
            out = os.path.join(cls.tmp.name, name + ".h5")
            r = lib.run_mtcsim([cmd, scen, "-o", out, "--quiet"], timeout=300)
            if r.returncode != 0:
                raise AssertionError(r.describe())
            cls.h5[name] = out
        cls.rep = {}
        cls.built = {}
        for name in ("run", "sweep"):
            rep = os.path.join(cls.tmp.name, name + "_report")
            if name == "run":  # the launcher, with MTCSIM_PYTHON
                p = report([cls.h5[name]], rep)
                if p.returncode != 0:
                    raise AssertionError(p.stderr.decode())
            else:  # in-process, the HTML alone (faster; the files are checked on "run")
                cls.keep(name, rp.report(cls.h5[name], rep, save=False))
            cls.rep[name] = rep

    @classmethod
    def keep(cls, key, built):
        run, _, figs, skipped = built
        cls.built[key] = (run, {f.name: f for f in figs}, skipped)

    @classmethod
    def tearDownClass(cls):
        for _, figs, _ in cls.built.values():
            close(figs.values())
        cls.tmp.cleanup()

    def figs(self, name, path=None):
        """The unsaved figures of a file, by name (built once)."""
        key = path or name
        if key not in self.built:
            self.keep(key, rp.build_figures(mr.load(path or self.h5[name])))
        return self.built[key]

    # ---------------------------------------------------------------- files
    def check_report_files(self, rep, name, seed, files=True):
        html = read(os.path.join(rep, "index.html"))
        figs = re.findall(r"<figure id='fig-([^']+)'><img src='([^']+)'[^>]*><figcaption>(.*?)"
                          r"</figcaption></figure>", html, re.S)
        self.assertEqual(len(figs), html.count("<img "))
        for stem, img, caption in figs:
            self.assertEqual(img, stem + ".png")
            self.assertIn("%s, seed %d:" % (name, seed), caption, stem)
            if not files:
                continue
            w, h, dpi = png_info(os.path.join(rep, img))
            self.assertAlmostEqual(dpi, 300, delta=0.5, msg=img)
            self.assertGreaterEqual(w, 1200, img)  # at least 4 in wide at 300 dpi
            with open(os.path.join(rep, stem + ".pdf"), "rb") as f:
                self.assertEqual(f.read(5), b"%PDF-", stem)
            import matplotlib.image as mpimg
            a = mpimg.imread(os.path.join(rep, img))[..., :3]
            self.assertGreater(float(a.std()), 0.05, img + " looks blank")
        return html, [f[0] for f in figs]

    def test_run_files_and_tables(self):
        html, names = self.check_report_files(self.rep["run"], "rep", 3)
        self.assertEqual([n for n in names if n != "timeseries"],
                         ["battery_life_cdf", "energy_states", "energy_procedures",
                          "random_access", "ra_delay_cdf", "latency_cdf", "ce_levels",
                          "coupling_loss"])
        with h5py.File(self.h5["run"], "r") as f:
            has_ts = "timeseries" in f
        if not has_ts:
            self.assertIn("timeseries (no /timeseries in the file)", html)
        with h5py.File(self.h5["run"], "r") as f:
            d = {k: f["devices"][k][()] for k in ("group", "reports_generated",
                                                  "reports_delivered", "battery_life_years",
                                                  "out_of_coverage")}
            g = {k: f["groups"][k][()] for k in f["groups"]}
            d["group"] = d["group"] - base(f)
            g["group"] = g["group"] - base(f)
        self.assertEqual(int(d["out_of_coverage"][d["group"] == 2].sum()), 20)  # 10 x 2
        for key, sel in (("0", d["group"] == 0), ("1", d["group"] == 1), ("2", d["group"] == 2),
                         ("all", np.ones(len(d["group"]), bool))):
            gen = int(d["reports_generated"][sel].sum())
            self.assertEqual(int(cell(html, key + "-devices")), int(sel.sum()))
            self.assertEqual(int(cell(html, key + "-generated")), gen)
            self.assertEqual(int(cell(html, key + "-oos")), int(d["out_of_coverage"][sel].sum()))
            self.assertEqual(cell(html, key + "-delivered"),
                             "%.2f" % (100.0 * d["reports_delivered"][sel].sum() / gen))
            life = d["battery_life_years"][sel & (d["out_of_coverage"] == 0)]
            want = "%.2f" % life[np.isfinite(life)].mean() if np.isfinite(life).any() else "-"
            self.assertEqual(cell(html, key + "-life-mean"), want)
        for k in (0, 1):
            sel = g["group"] == k
            uah = g["energy_j"][sel].sum() / 3.6 / 3600 * 1e6 / g["reports_delivered"][sel].sum()
            self.assertEqual(cell(html, "g%d-uah" % k), "%.2f" % uah)
            e = {q: g[q][sel].sum() for q in g if q.startswith("energy_j_")}
            for p in ("access", "paging", "ul_data"):
                self.assertEqual(cell(html, "g%d-%s" % (k, p)),
                                 "%.1f" % (100 * e["energy_j_" + p] / sum(e.values())))

    def test_sweep_files_and_table(self):
        html, names = self.check_report_files(self.rep["sweep"], "swp", 5, files=False)
        self.assertIn("sweep_life", names)
        self.assertIn("sweep_delivered", names)
        with h5py.File(self.h5["sweep"], "r") as f:
            pid = f["points/point_id"][()]
            life = f["points/fleet_life_mean_years"][()]
        rows = re.findall(r"<tr><td>(\d+)</td><td id='p\d+-cell.rat'>([^<]*)</td>", html)
        self.assertEqual([int(r[0]) for r in rows], sorted(set(pid.tolist())))  # one row each
        self.assertEqual(sorted({r[1] for r in rows}), ["LTE-M", "NB-IoT"])  # readable
        self.assertIn("<th>report period, s</th>", html)
        t2 = 4.303  # Student t 0.975, 2 degrees of freedom (3 replications)
        for pt in sorted(set(pid.tolist())):
            x = life[pid == pt]
            self.assertEqual(len(x), 3)
            self.assertEqual(cell(html, "p%d-life" % pt),
                             "%.2f &plusmn; %.2f" % (x.mean(), t2 * x.std(ddof=1) / math.sqrt(3)))

    # -------------------------------------------------------------- figures
    def legends_clear(self, f, what):
        """Asserts that no legend of the figure holds a data point; how many
        legends were checked."""
        f.fig.canvas.draw()
        pts = data_points(f.fig)
        checked = 0
        for ax in f.fig.axes:
            leg = ax.get_legend()
            if leg is None:
                continue
            b = leg.get_window_extent()
            inside = ((pts[:, 0] > b.x0) & (pts[:, 0] < b.x1) & (pts[:, 1] > b.y0)
                      & (pts[:, 1] < b.y1))
            self.assertFalse(inside.any(), "%s/%s: legend covers %d data points"
                             % (what, f.name, int(inside.sum())))
            checked += 1
        boxes = [ax.get_legend().get_window_extent() for ax in f.fig.axes if ax.get_legend()]
        for i, a in enumerate(boxes):  # nor does one legend cover another
            for b in boxes[i + 1:]:
                self.assertFalse(a.overlaps(b), "%s/%s: legends overlap" % (what, f.name))
        return checked

    def test_legends_never_cover_data(self):
        checked = 0
        for name in ("run", "sweep", "one", "tr"):
            _, figs, _ = self.figs(name)
            for f in figs.values():
                checked += self.legends_clear(f, name)
        self.assertGreater(checked, 10)

    def test_captions_name_and_seed_in_figures(self):
        for name, scen, seed in (("run", "rep", 3), ("tr", "tr", 11)):
            _, figs, _ = self.figs(name)
            for f in figs.values():
                self.assertTrue(f.caption.startswith("%s, seed %d: " % (scen, seed)), f.caption)
                texts = [t.get_text() for t in f.fig.texts]
                self.assertTrue(any("%s, seed %d" % (scen, seed) in t for t in texts), f.name)

    def test_battery_life_per_group(self):
        run, figs, _ = self.figs("run")
        f = figs["battery_life_cdf"]
        ax = f.fig.axes[0]
        with h5py.File(self.h5["run"], "r") as h:
            grp = h["devices/group"][()] - base(h)
            life = h["devices/battery_life_years"][()]
            oos = h["devices/out_of_coverage"][()]
        lines = {ln.get_label().split("\n")[0]: ln for ln in ax.get_lines()}
        self.assertEqual(lines["meters"].get_label(), "meters\n150 devices x 2 replications")
        self.assertEqual(lines["alarms"].get_label(), "alarms\n50 devices x 2 replications")
        self.assertNotIn("cellar", lines)  # every one out of coverage
        want = np.sort(life[(grp == 0) & (oos == 0)])
        np.testing.assert_allclose(lines["meters"].get_xdata()[1:], want)
        self.assertEqual(lines["meters"].get_ydata()[-1], 1.0)
        self.assertIn("20 device runs out of coverage (no CE level reachable) excluded",
                      f.caption)
        self.assertEqual(int(oos.sum()), 20)
        self.assertIn("No device in coverage, so no curve: cellar.", f.caption)
        fin = life[(oos == 0) & np.isfinite(life) & (life > 0)]
        wide = np.log10(np.percentile(fin, 95) / np.percentile(fin, 5)) >= 1.5
        self.assertTrue(wide)  # alarms (no PSM) last weeks, meters decades
        self.assertEqual(ax.get_xscale(), "log" if wide else "linear")
        ce = [ln.get_label().split("\n")[0] for ln in f.fig.axes[1].get_lines()]
        self.assertTrue(ce and all(x.startswith("NB-IoT CE ") for x in ce), ce)

    def test_many_groups(self):
        """Past MAX_CDF_GROUPS groups (here forced to 1): percentiles per
        group instead of CDF lines, horizontal energy bars, legends clear."""
        old = rp.MAX_CDF_GROUPS
        rp.MAX_CDF_GROUPS = 1
        try:
            run = rp.Run(mr.load(self.h5["run"]))
            f = rp.fig_battery_life(run)
            e = rp.fig_stacks(run, "procedures")
        finally:
            rp.MAX_CDF_GROUPS = old
        ax = f.fig.axes[0]
        with h5py.File(self.h5["run"], "r") as h:
            grp = h["devices/group"][()] - base(h)
            life = h["devices/battery_life_years"][()]
            oos = h["devices/out_of_coverage"][()]
        for i, c in enumerate(ax.containers[:2]):  # meters, alarms (cellar: none in coverage)
            q5, q50, q95 = np.percentile(life[(grp == i) & (oos == 0)], [5, 50, 95])
            x, y = c.lines[0].get_data()
            self.assertEqual((float(x[0]), float(y[0])), (q50, i))
            seg = c.lines[2][0].get_segments()[0]
            np.testing.assert_allclose(sorted(seg[:, 0]), [q5, q95])
        self.assertTrue(f.caption.startswith("rep, seed 3: Median and 5th to 95th percentile"))
        self.assertEqual([t.get_text() for t in e.fig.axes[0].get_yticklabels()][:1],
                         ["meters"])
        self.assertGreater(len(e.fig.axes[0].patches), 0)
        self.assertEqual(e.fig.axes[0].patches[0].get_y(), -0.35)  # horizontal bars
        for x in (f, e):
            self.legends_clear(x, "many groups")
        close([f, e])

    def test_ce_levels_never_pooled_across_radios(self):
        run, figs, _ = self.figs("sweep")
        ce = [ln.get_label().split("\n")[0] for ln in figs["battery_life_cdf"].fig.axes[1]
              .get_lines()]
        self.assertIn("NB-IoT CE 0", ce)
        self.assertIn("LTE-M CE 0", ce)
        ax = figs["ce_levels"].fig.axes[0]
        with h5py.File(self.h5["sweep"], "r") as h:
            pid = h["devices/point_id"][()]
            lvl = h["devices/ce_level"][()]
        res = mr.load(self.h5["sweep"])
        rat = res.swept_values("cell.rat")[np.searchsorted(res.points["point_id"], pid)]
        bars = {}
        for c in ax.containers:
            bars[c.get_label().split("\n")[0]] = [int(p.get_height()) for p in c]
        for r, key in (("nbiot", "NB-IoT"), ("ltem", "LTE-M")):
            self.assertEqual(bars[key], [int(((rat == r) & (lvl == k)).sum()) for k in range(5)])

    def test_energy_per_day_and_log_scale(self):
        run, figs, _ = self.figs("run")
        ax = figs["energy_states"].fig.axes[0]
        self.assertEqual(ax.get_ylabel(), "energy per device per day, J")
        with h5py.File(self.h5["run"], "r") as h:
            d = {k: h["devices"][k][()] for k in h["devices"] if k.startswith(("energy_j_",
                                                                              "time_s_"))}
            grp = h["devices/group"][()] - base(h)
        states = ("psm", "edrx", "idle", "cdrx", "connected", "rx", "tx")
        t = sum(d["time_s_" + s] for s in states)
        tot = [float(np.mean(sum(d["energy_j_" + s] for s in states)[grp == g]
                             / t[grp == g] * 86400)) for g in (0, 1, 2)]
        tops = sorted(max(p.get_y() + p.get_height() for p in ax.patches
                          if abs(p.get_x() + p.get_width() / 2 - i) < 0.01) for i in range(3))
        np.testing.assert_allclose(tops, sorted(tot), rtol=1e-9)
        span = max(tot) / min(tot)
        self.assertEqual(ax.get_yscale(), "log" if span >= 10 else "linear")
        # a copy whose group 2 draws 1000 x less: the stacks span decades -> log
        cp = os.path.join(self.tmp.name, "scaled.h5")
        shutil.copy(self.h5["run"], cp)
        with h5py.File(cp, "r+") as h:
            g = h["devices/group"][()] - base(h)
            for s in states:
                col = h["devices/energy_j_" + s]
                v = col[()]
                v[g == 0] *= 1e-3
                col[...] = v
        f2 = rp.fig_stacks(rp.Run(mr.load(cp)), "states")
        self.assertEqual(f2.fig.axes[0].get_yscale(), "log")
        top = max(p.get_y() + p.get_height() for p in f2.fig.axes[0].patches)
        self.assertGreater(f2.fig.axes[0].get_ylim()[1], top * 1.2)  # no bar cut at the top
        self.assertIn("Log scale", f2.caption)
        close([f2])
        self.assertEqual(figs["energy_states"].fig.axes[0].get_yscale() == "log",
                         "Log scale" in figs["energy_states"].caption)

    def test_no_energy_figures_for_tr37868(self):
        run, figs, skipped = self.figs("tr")
        self.assertFalse(run.energy_evaluated)
        for name in ("battery_life_cdf", "energy_states", "energy_procedures", "sweep_life"):
            self.assertNotIn(name, figs)
        self.assertIn("energy_states (energy not evaluated)", skipped)
        self.assertIn("random_access", figs)
        self.assertIn("ra_delay_cdf", figs)
        with h5py.File(self.h5["tr"], "r") as h:
            ts = {k: h["timeseries"][k][()] for k in h["timeseries"]} if "timeseries" in h \
                else None
        if ts is not None:  # no power panel; what the study leaves out is said, not drawn
            f = figs["timeseries"]
            self.assertEqual(len(f.fig.axes), 4)
            pre = sum(ts["ce%d_preambles" % k].sum() for k in range(4))
            ended = sum(ts["ce%d_%s" % (k, w)].sum() for k in range(4)
                        for w in ("successes", "failures"))
            self.assertEqual("preamble counts" in f.caption, pre == 0 and ended > 0)
            if pre == 0 and ended > 0:
                self.assertEqual(f.fig.axes[1].get_lines(), [])
            self.assertEqual("uplink busy share" in f.caption,
                             not np.isfinite(ts["ul_busy"]).any())
        ax = figs["random_access"].fig.axes[0]
        self.assertEqual(ax.get_xlabel(), "device count")  # 500, 2000: no log for 2 values

    def test_random_access_axes_and_clipped_ci(self):
        run, figs, _ = self.figs("sweep")
        f = figs["random_access"]
        a_s, a_c = f.fig.axes[:2]
        self.assertEqual(a_s.get_ylabel(), "success probability")
        self.assertEqual(a_c.get_ylabel(), "collision probability")
        self.assertLessEqual(a_c.get_ylim()[1], 1.0)
        for ax in (a_s, a_c):
            rng = errorbar_ranges(ax)
            self.assertTrue(rng)
            for lo, hi in rng:
                self.assertGreaterEqual(lo, 0.0)
                self.assertLessEqual(hi, 1.0)
        ax = figs["sweep_delivered"].fig.axes[0]
        for lo, hi in errorbar_ranges(ax):
            self.assertGreaterEqual(lo, 0.0)
            self.assertLessEqual(hi, 100.0)
        # the stored access-delay CDF, one line per point, as in the file
        with h5py.File(self.h5["sweep"], "r") as h:
            t = {k: h["ra_delay_cdf"][k][()] for k in h["ra_delay_cdf"]}
            c = {k: h["cells"][k][()] for k in ("point_id", "replication", "ra_successes")}
        ax = figs["ra_delay_cdf"].fig.axes[0]
        line = ax.get_lines()[0]
        m = t["point_id"] == 0
        w = {int(r): float(s) for p, r, s in zip(c["point_id"], c["replication"],
                                                 c["ra_successes"]) if p == 0}
        xs = sorted(set(t["delay_ms"][m].tolist()))
        want = [sum(w[int(r)] * s for r, x, s in zip(t["replication"][m], t["delay_ms"][m],
                                                     t["share"][m]) if x == xv) / sum(w.values())
                for xv in xs]
        np.testing.assert_allclose(line.get_ydata(), want, rtol=1e-9)
        self.assertEqual(len(ax.get_lines()), 6)

    def test_count_text(self):
        self.assertEqual(pl.count_text({(0, 0): 5, (0, 1): 5}), "5 devices x 2 replications")
        self.assertEqual(pl.count_text({(0, 0): 5, (0, 1): 5, (1, 0): 5, (1, 1): 5}),
                         "5 devices x 2 replications x 2 points")
        # a CE level reached in one replication only is not "1 device x 1 replication"
        self.assertEqual(pl.count_text({(0, 0): 1, (0, 1): 0}), "1 device run")
        self.assertEqual(pl.count_text({(0, 0): 3, (0, 1): 4}), "7 device runs")

    def test_clipped_errors(self):
        e = pl.clipped_errors([0.99, 0.5, 0.01], [0.05, 0.1, 0.05], 0, 1)
        np.testing.assert_allclose(e, [[0.05, 0.1, 0.01], [0.01, 0.1, 0.05]])

    def test_sweep_axis_units_log_markers_and_ci(self):
        run, figs, _ = self.figs("sweep")
        ax = figs["sweep_life"].fig.axes[0]
        self.assertEqual(ax.get_xlabel(), "report period, s (log scale)")
        self.assertEqual(ax.get_xscale(), "log")
        self.assertEqual(ax.xaxis.get_transform().base, 2)
        self.assertEqual([t.get_text() for t in ax.get_xticklabels()], ["900", "1800", "3600"])
        conts = ax.containers
        self.assertEqual(len(conts), 2)  # NB-IoT and LTE-M
        markers = [c.lines[0].get_marker() for c in conts]
        self.assertEqual(len(set(markers)), len(markers))
        labels = sorted(c.get_label() for c in conts)
        self.assertEqual(labels, ["radio = LTE-M", "radio = NB-IoT"])
        self.assertIn("95 % confidence interval (Student t over 3 replications)",
                      figs["sweep_life"].caption)
        self.assertTrue(errorbar_ranges(ax))
        for key in ("life", "latency"):  # log y exactly when the means span a decade
            f = figs["sweep_" + key]
            means = [rp.mean_ci(v)[0] for v in rp.point_metrics(run)[key][2].values()]
            span = max(means) / min(means)
            self.assertEqual(f.fig.axes[0].get_yscale(), "log" if span >= 10 else "linear",
                             (key, span))
            self.assertEqual("Log scale" in f.caption, span >= 10)
        run1, figs1, _ = self.figs("one")
        for f in figs1.values():
            self.assertNotIn("95 %", f.caption)
            for ax in f.fig.axes:
                self.assertFalse(errorbar_ranges(ax), f.name)
        self.assertIn("one replication: no confidence interval", figs1["sweep_life"].caption)
        # a share near 100 %: the axis starts below every value and the caption says where
        for f in (figs1["sweep_delivered"], figs["sweep_delivered"]):
            ax = f.fig.axes[0]
            ys = np.concatenate([ln.get_ydata() for ln in ax.get_lines()])
            lows = [lo for lo, _ in errorbar_ranges(ax)] + list(ys[np.isfinite(ys)])
            y0, y1 = ax.get_ylim()
            self.assertLessEqual(y0, min(lows))
            self.assertGreaterEqual(y1, 100.0)
            m = re.search(r"The y axis starts at ([0-9.]+)", f.caption)
            if m:
                self.assertAlmostEqual(float(m.group(1)), y0, places=9)
                self.assertGreater(min(lows), 50)
            else:
                self.assertLess(y0, 0)
        self.assertEqual(pl.log_base([60, 120, 240, 480]), 2)
        self.assertEqual(pl.log_base([1000, 5000, 10000, 30000]), 2)
        self.assertEqual(pl.log_base([130, 140, 150, 160]), None)

    # ----------------------------------------------------- format 2, series
    def convert(self, src, dst, version, timeseries=False):
        """A copy of a results file rewritten into results format `version`
        (README, "Results (HDF5)"); format 1: 0-based group and device, no
        group_name, string swept values as indexes named in the column doc,
        no unit; format 2: 1-based, group_name, typed swept columns with
        swept = 1. Optionally with a synthetic /timeseries."""
        shutil.copy(src, dst)
        res = mr.load(src)
        with h5py.File(dst, "r+") as f:
            if res.format_version != version:
                f.attrs["format_version"] = version
                step = 1 if version >= 2 else -1
                for t in ("devices", "groups", "energy_matrix"):
                    if t not in f or "group" not in f[t]:
                        continue
                    g = f[t]["group"][()]
                    f[t]["group"][...] = g + step
                    if version >= 2:
                        names = [res.group_name(x).encode() for x in g]
                        f[t].create_dataset("group_name", data=np.array(names, dtype="S64"))
                    else:
                        del f[t]["group_name"]
                f["devices/device"][...] = f["devices/device"][()] + step
                for q in res.swept:
                    vals = res.swept_values(q)
                    unit = res.swept_unit(q)
                    del f["points"][q]
                    if vals.dtype.kind == "U" and version >= 2:
                        ds = f["points"].create_dataset(q, data=np.array(
                            [v.encode() for v in vals], dtype="S16"))
                    elif vals.dtype.kind == "U":
                        order = list(dict.fromkeys(vals.tolist()))
                        ds = f["points"].create_dataset(q, data=np.array(
                            [float(order.index(v)) for v in vals]))
                    else:
                        ds = f["points"].create_dataset(q, data=vals.astype(np.float64))
                    if version >= 2:
                        ds.attrs["unit"] = unit
                        ds.attrs["swept"] = np.int32(1)
                        ds.attrs["doc"] = "swept value"
                    else:
                        ds.attrs["unit"] = ""
                        ds.attrs["doc"] = "swept value" + ("" if vals.dtype.kind != "U" else
                                                           ", index into:" + ",".join(
                            ' %d = "%s"' % (i, v) for i, v in enumerate(order)))
            if timeseries:
                add_timeseries(f)
        return dst

    def test_format2_same_tables(self):
        v1 = self.convert(self.h5["sweep"], os.path.join(self.tmp.name, "v1.h5"), 1)
        v2 = self.convert(self.h5["sweep"], os.path.join(self.tmp.name, "v2.h5"), 2)
        a, b = mr.load(v1), mr.load(v2)
        self.assertEqual(a.format_version, 1)
        self.assertEqual(b.format_version, 2)
        self.assertEqual(a.swept_labels("cell.rat"), {0: "nbiot", 1: "ltem"})
        self.assertEqual(a.swept_unit("devices[1].traffic.period_s"), "s")  # from the name
        self.assertEqual(b.swept, a.swept)
        for q in a.swept:
            np.testing.assert_array_equal(a.swept_values(q), b.swept_values(q))
            self.assertEqual(a.swept_unit(q), b.swept_unit(q))
        np.testing.assert_array_equal(a.group_name_array("devices"), b.group_name_array("devices"))
        np.testing.assert_array_equal(a.devices["device"] + 1, b.devices["device"])
        fa, fb = mr.frames(v1), mr.frames(v2)
        for col in ["group_name"] + a.swept:
            self.assertEqual(fa["devices"][col].tolist(), fb["devices"][col].tolist())
        # the tables (the figures come from the same loaded columns)
        rp.report(v1, os.path.join(self.tmp.name, "v1_report"), figures=False)
        rp.report(v2, os.path.join(self.tmp.name, "v2_report"), figures=False)
        h1 = read(os.path.join(self.tmp.name, "v1_report", "index.html"))
        h2 = read(os.path.join(self.tmp.name, "v2_report", "index.html"))
        strip = lambda h: re.sub(r"results format \d, created [^<]*", "", h)  # noqa: E731
        self.assertEqual(strip(h1), strip(h2))
        # and the figures of format 1: the same figures, captions and curves
        _, f1, _ = self.figs(None, v1)
        _, f2, _ = self.figs("sweep")
        self.assertEqual(sorted(f1), sorted(f2))
        for name in f1:
            self.assertEqual(f1[name].caption, f2[name].caption)
            for a1, a2 in zip(f1[name].fig.axes, f2[name].fig.axes):
                for l1, l2 in zip(a1.get_lines(), a2.get_lines()):
                    self.assertEqual(l1.get_label(), l2.get_label())
                    np.testing.assert_array_equal(l1.get_ydata(), l2.get_ydata())

    def test_frames_join(self):
        fr = mr.frames(self.h5["sweep"])
        dev = fr["devices"]
        with h5py.File(self.h5["sweep"], "r") as f:
            pid = f["devices/point_id"][()]
            ppid = f["points/point_id"][()]
            per = f["points/devices[1].traffic.period_s"][()]
            rat = f["points/cell.rat"][()]
            if rat.dtype.kind == "S":  # format 2: the strings; format 1: indexes
                rat = np.array([("nbiot", "ltem").index(x.decode()) for x in rat])
        self.assertEqual(len(dev), len(pid))
        self.assertEqual(set(dev["group_name"]), {"meters"})
        want = {int(p): v for p, v in zip(ppid, per)}
        self.assertEqual(dev["devices[1].traffic.period_s"].tolist(), [want[int(p)] for p in pid])
        wr = {int(p): ("nbiot", "ltem")[int(v)] for p, v in zip(ppid, rat)}
        self.assertEqual(dev["cell.rat"].tolist(), [wr[int(p)] for p in pid])

    def test_timeseries(self):
        _, figs, skipped = self.figs("run")
        with h5py.File(self.h5["run"], "r") as h:
            self.assertEqual("timeseries" in figs, "timeseries" in h)
            real = {k: h["timeseries"][k][()] for k in h["timeseries"]} if "timeseries" in h \
                else None
        if real is not None:  # the simulator's own series: per bin, both replications summed
            ax = figs["timeseries"].fig.axes[0]
            s = sum(real["ce%d_successes" % k] for k in range(4)).astype(float)
            fl = sum(real["ce%d_failures" % k] for k in range(4)).astype(float)
            bins, inv = np.unique(real["t_s"], return_inverse=True)
            ss, ff = np.bincount(inv, s), np.bincount(inv, fl)
            want = np.divide(ss, ss + ff, out=np.full(len(bins), np.nan), where=ss + ff > 0)
            np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), want, rtol=1e-12)
            p = np.bincount(inv, real["energy_j"]) / 2 / np.bincount(inv, real["dt_s"]) * 2
            unit = "W" if np.nanmax(p) * 1e3 > 5000 else "mW"
            self.assertEqual(figs["timeseries"].fig.axes[4].get_ylabel(),
                             "power of the\ndevices, " + unit)
        ts = self.convert(self.h5["run"], os.path.join(self.tmp.name, "ts.h5"), 2, True)
        res = mr.load(ts)
        self.assertEqual(res.timeseries_interval_s, 600.0)
        self.keep(ts, rp.report(ts, os.path.join(self.tmp.name, "ts_report"), save=False))
        _, figs, _ = self.figs(None, ts)
        f = figs["timeseries"]
        self.assertEqual(self.legends_clear(f, "timeseries"), 0)  # one run: nothing to name
        a_ra = f.fig.axes[0]
        self.assertEqual(a_ra.get_ylabel(), "RA success\nprobability")
        self.assertIn("bins of 600 s", f.caption)
        with h5py.File(ts, "r") as h:
            t = {k: h["timeseries"][k][()] for k in h["timeseries"]}
        s = sum(t["ce%d_successes" % k] for k in range(4))
        fl = sum(t["ce%d_failures" % k] for k in range(4))
        bins = sorted(set(t["t_s"].tolist()))
        want = [s[t["t_s"] == b].sum() / (s[t["t_s"] == b].sum() + fl[t["t_s"] == b].sum())
                for b in bins]
        np.testing.assert_allclose(a_ra.get_lines()[0].get_ydata(), want, rtol=1e-12)
        np.testing.assert_allclose(a_ra.get_lines()[0].get_xdata() * 3600,
                                   np.array(bins) + 300)  # bin centres, hours
        en = f.fig.axes[4].get_lines()[0].get_ydata()
        e = [t["energy_j"][t["t_s"] == b].sum() / 2 / 600 * 1e3 for b in bins]
        np.testing.assert_allclose(en, e, rtol=1e-12)
        html = read(os.path.join(self.tmp.name, "ts_report", "index.html"))
        # 2,160 bins of 10 s: merged 5 at a time (at most 500 drawn), sums and weighted means
        fine = self.convert(self.h5["run"], os.path.join(self.tmp.name, "fine.h5"), 2)
        with h5py.File(fine, "r+") as h:
            add_timeseries(h, 10.0)
            t = {k: h["timeseries"][k][()] for k in h["timeseries"]}
        ff = rp.fig_timeseries(rp.Run(mr.load(fine)))[0]
        self.assertIn("bins of 10 s merged 5 at a time for drawing (50 s)", ff.caption)
        s = sum(t["ce%d_successes" % k] for k in range(4)).astype(float)
        fl = sum(t["ce%d_failures" % k] for k in range(4)).astype(float)
        _, inv = np.unique(t["t_s"], return_inverse=True)
        grp = inv // 5
        ss, fs = np.bincount(grp, s), np.bincount(grp, fl)
        np.testing.assert_allclose(ff.fig.axes[0].get_lines()[0].get_ydata(), ss / (ss + fs),
                                   rtol=1e-12)
        ub = np.bincount(grp, t["ul_busy"] * t["dt_s"]) / np.bincount(grp, t["dt_s"])
        np.testing.assert_allclose(ff.fig.axes[2].get_lines()[0].get_ydata(), ub, rtol=1e-12)
        self.assertLessEqual(ff.fig.axes[2].get_ylim()[1], 1.0)
        self.assertGreaterEqual(ff.fig.axes[2].get_ylim()[1], ub.max())
        close([ff])
        # a sweep of 6 points: one line per point, named in a legend clear of the data
        tsw = self.convert(self.h5["one"], os.path.join(self.tmp.name, "tsw.h5"), 2, True)
        tf = rp.fig_timeseries(rp.Run(mr.load(tsw)))
        self.assertEqual([f.name for f in tf], ["timeseries"])  # 6 points fit one figure
        self.assertEqual(len([ln for ln in tf[0].fig.axes[0].get_lines()
                              if not ln.get_label().startswith("_")]), 6)
        self.assertEqual(self.legends_clear(tf[0], "timeseries sweep"), 1)
        close(tf)
        self.assertIn("<figure id='fig-timeseries'>", html)

    # ---------------------------------------------------------- comparison
    def test_compare(self):
        out = os.path.join(self.tmp.name, "cmp")
        a = self.convert(self.h5["run"], os.path.join(self.tmp.name, "a.h5"), 1)
        b = self.convert(self.h5["run"], os.path.join(self.tmp.name, "b.h5"), 2)
        p = report([a, b, "--label", "v1", "--label", "v2"], out)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        text = p.stdout.decode()
        html = read(os.path.join(out, "index.html"))
        with h5py.File(a, "r") as f:
            d = {k: f["devices"][k][()] for k in f["devices"]}
            d["group"] = d["group"] - base(f)
        for i in (0, 1):
            for gi, g in enumerate(("meters", "alarms")):
                m = d["group"] == gi
                dl = d["reports_delivered"][m]
                self.assertEqual(cell(html, "r%d-%s-delivered" % (i, g)),
                                 "%.2f" % (100 * dl.sum() / d["reports_generated"][m].sum()))
                lat = (d["latency_ms_mean"][m][dl > 0] * dl[dl > 0]).sum() / dl.sum()
                self.assertEqual(cell(html, "r%d-%s-latency" % (i, g)), "%.1f" % lat)
                self.assertEqual(cell(html, "r%d-%s-power" % (i, g)),
                                 "%.4f" % d["avg_power_mw"][m].mean())
                life = d["battery_life_years"][m & (d["out_of_coverage"] == 0)]
                self.assertEqual(cell(html, "r%d-%s-life" % (i, g)), "%.2f" % life.mean())
        self.assertEqual(cell(html, "r0-cellar-life"), "-")
        self.assertRegex(text, r"meters\s+v1\s+300\s")
        # the figure: a panel per metric, its bars the table's values; a log
        # scale where the values span a decade; the legend covers no bar
        from mtcsim_results.compare import compare, METRICS
        _, f = compare([a, b], ["v1", "v2"], os.path.join(self.tmp.name, "cmp2"), save=False)
        f.fig.canvas.draw()
        for ax, (k, _, _, dg) in zip(f.fig.axes, METRICS):
            vals = [p.get_height() for p in ax.patches if np.isfinite(p.get_height())]
            for i, g in enumerate(("meters", "alarms")):  # file 1's bars, then file 2's
                for j in (0, 1):
                    got = ax.patches[3 * j + i].get_height()
                    self.assertEqual("%.*f" % (dg, got), cell(html, "r%d-%s-%s" % (j, g, k)))
            pos = [v for v in vals if v > 0]
            wide = len(pos) > 1 and max(pos) / min(pos) >= 10 and k != "delivered"
            self.assertEqual(ax.get_yscale(), "log" if wide else "linear", k)
        self.assertEqual(self.legends_clear(f, "compare"), 1)
        close([f])
        w, h, dpi = png_info(os.path.join(out, "compare.png"))
        self.assertAlmostEqual(dpi, 300, delta=0.5)
        self.assertTrue(os.path.exists(os.path.join(out, "compare.pdf")))

    def test_incomplete_file_refused(self):
        bad = os.path.join(self.tmp.name, "bad.h5")
        with h5py.File(bad, "w") as f:
            f.attrs["complete"] = 0
        p = report([bad], os.path.join(self.tmp.name, "bad_report"))
        self.assertEqual(p.returncode, 2, p.stderr.decode())
        self.assertIn("not a complete mtcsim results file", p.stderr.decode())

    def test_loader(self):
        res = mr.load(self.h5["sweep"])
        self.assertEqual(res.swept, ["cell.rat", "devices[1].traffic.period_s"])
        self.assertEqual(sorted(set(res.swept_values("cell.rat").tolist())), ["ltem", "nbiot"])
        self.assertEqual(res.swept_unit("devices[1].traffic.period_s"), "s")
        self.assertEqual(res.group_names, ["meters"])
        with h5py.File(self.h5["sweep"], "r") as f:
            for name in ("points", "devices", "cells", "ra_delay_cdf", "groups", "energy_matrix",
                         "timeseries", "trace"):
                t = getattr(res, name)
                self.assertEqual(sorted(t), sorted(f[name].keys()) if name in f else [])
                for col in f[name] if name in f else ():
                    raw = f[name][col][()]
                    if raw.dtype.kind == "S":  # byte strings come back decoded
                        raw = np.array([x.decode() for x in raw])
                    np.testing.assert_array_equal(t[col], raw)

    def test_trace_loaded(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "t.lua", """\
local mtc = require "mtc"
return mtc.scenario { duration = 600, seed = 4, trace = { devices = { 1 } },
  devices = { { count = 3, traffic = mtc.traffic.periodic(60, mtc.payload.fixed(20)) } } }
""")
            out = os.path.join(tmp, "t.h5")
            r = lib.run_mtcsim(["run", scen, "-o", out, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            res = mr.load(out)
            with h5py.File(out, "r") as f:
                self.assertEqual(sorted(res.trace), sorted(f["trace"].keys()))
                raw = f["trace/event"][()]
            self.assertGreater(res.trace.rows, 0)
            self.assertEqual(res.trace["event"].tolist(), [x.decode() for x in raw])
            self.assertEqual(set(res.trace["device"].tolist()), {1})
            self.assertEqual(len(mr.frames(out)["trace"]), res.trace.rows)

    def test_string_labels_with_separators(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", 'return { duration = 60, devices = { { count = 1 } },'
                                      ' sweep = { ["devices[1].name"] = { "a, b", "c = d", "e\\"f" } } }')
            out = os.path.join(tmp, "s.h5")
            r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            self.assertEqual(mr.load(out).swept_values("devices[1].name").tolist(),
                             ["a, b", "c = d", 'e"f'])
            run = rp.Run(mr.load(out))
            figs = rp.fig_sweeps(run, rp.point_metrics(run), [])
            self.assertEqual(run.value_text("devices[1].name", run.pv[2]["devices[1].name"]),
                             'e"f')
            f = {f.name: f for f in figs}["sweep_life"]
            ax = f.fig.axes[0]
            self.assertEqual([t.get_text() for t in ax.get_xticklabels()], ["a, b", "c = d", 'e"f'])
            self.assertEqual(ax.get_xlabel(), "group name")
            self.assertEqual(ax.containers[0].lines[0].get_linestyle(), "None")  # not joined
            close(figs)


def add_timeseries(f, interval=600.0):
    """A synthetic /timeseries per the format-2 spec: every (point,
    replication, cell) of /cells, bins of `interval` over the run, the last
    one shorter; counts drawn from a fixed generator."""
    rng = np.random.default_rng(1)
    if "timeseries" in f:  # the simulator's own, replaced by known values
        del f["timeseries"]
    dur = float(f["points/sim_time_s"][0])
    starts = np.arange(0.0, dur, interval)
    cols = {k: [] for k in ("point_id", "replication", "cell", "t_s", "dt_s")}
    keys = sorted(set(zip(f["cells/point_id"][()].tolist(), f["cells/replication"][()].tolist(),
                          f["cells/cell"][()].tolist())))
    n = len(keys) * len(starts)
    for p, r, c in keys:
        for t in starts:
            cols["point_id"].append(p)
            cols["replication"].append(r)
            cols["cell"].append(c)
            cols["t_s"].append(t)
            cols["dt_s"].append(min(interval, dur - t))
    g = f.create_group("timeseries")
    g.attrs["interval_s"] = interval
    for k, v in cols.items():
        g.create_dataset(k, data=np.array(v, dtype=np.float64 if k.endswith("_s") else np.uint32))
    for k in range(4):
        pre = rng.integers(0, 50, n)
        g.create_dataset("ce%d_preambles" % k, data=pre.astype(np.uint32))
        g.create_dataset("ce%d_collided" % k, data=(pre // 10).astype(np.uint32))
        g.create_dataset("ce%d_detected" % k, data=(pre - pre // 10).astype(np.uint32))
        g.create_dataset("ce%d_successes" % k, data=(pre - pre // 8).astype(np.uint32))
        g.create_dataset("ce%d_failures" % k, data=(pre // 8).astype(np.uint32))
    for k in ("msg3_failures", "msg4_failures", "reports_generated", "reports_delivered",
              "reports_dropped", "reports_failed", "paging_records", "paging_deferrals"):
        g.create_dataset(k, data=rng.integers(0, 20, n).astype(np.uint32))
    g.create_dataset("ul_busy", data=rng.uniform(0, 0.5, n))
    g.create_dataset("dl_busy", data=rng.uniform(0, 0.3, n))
    g.create_dataset("devices_connected", data=rng.uniform(0, 10, n))
    g.create_dataset("energy_j", data=rng.uniform(1, 5, n))


if __name__ == "__main__":
    unittest.main(verbosity=2)
