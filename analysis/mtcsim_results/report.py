"""mtcsim-report: plots and tables from mtcsim results files.

usage: mtcsim-report RESULTS.h5 [-o DIR]            one run or sweep
       mtcsim-report A.h5 B.h5 ... [--label NAME ...] [-o DIR]   compare runs

One file: DIR (default RESULTS_report) gets index.html (the key tables and
every figure with its caption) and each figure twice, as a 300-dpi PNG and
as a PDF (vector): battery_life_cdf (per group and per CE level; devices
out of coverage left out and counted), energy_states and energy_procedures
(mean energy per device per day, stacked per group, log scale when the
totals span a decade or more; not drawn where the scenario does not
evaluate energy, cell.ra_model = "tr37868"), random_access (success and
collision probability on separate axes), ra_delay_cdf (the stored
access-delay CDF), latency_cdf, ce_levels, coupling_loss, for sweeps
sweep_<metric> (each key metric against the swept parameter with 95 %
confidence intervals over replications), and with /timeseries the time
series (random-access success, load, energy against time; timeseries_1,
_2 ... for sweeps of more than six points).

Several files: DIR (default compare_report) gets index.html with a table
per device group (delivered share, latency mean and p95, mean power,
battery life) and compare.png / compare.pdf; the table is printed too.

Needs h5py, numpy and matplotlib (Debian: python3-h5py, python3-numpy,
python3-matplotlib; scripts/install-deps.sh installs them).
"""

import argparse
import html
import math
import os
import sys

import numpy as np
from matplotlib.ticker import FuncFormatter

from . import load
from . import plotting as pl
from .plotting import mean_ci

STATES = ("psm", "edrx", "idle", "cdrx", "connected", "rx", "tx")
# energy/energy.h energy_proc, in its order (README, "Energy by procedure")
PROCS = ("sync", "sysinfo", "access", "rrc", "ul_data", "dl_data", "conn_wait", "paging",
         "psm_sleep", "tau", "command", "oos")
RAT_NAMES = {"nbiot": "NB-IoT", "ltem": "LTE-M"}
# the readable names of swept leaves (the unit goes beside, from the file)
LEAVES = {"count": "device count", "fixed_db": "coupling loss", "period_s": "report period",
          "mean_s": "mean report interval", "edrx_cycle_s": "eDRX cycle",
          "ptw_s": "paging time window", "t3324_s": "active timer T3324",
          "t3412_s": "periodic TAU timer T3412", "rat": "radio", "module": "module",
          "npdcch_g": "NPDCCH G", "bytes": "payload", "size": "payload",
          "capacity_wh": "battery capacity", "capacity_mah": "battery capacity",
          "name": "group name", "stack": "protocol stack"}


def fmt(v, digits=2):
    return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else \
        ("%.*f" % (digits, v))


def fmt_sig(v, digits=3):
    """Significant digits: a probability of 5e-6 must not print as 0.000."""
    return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else \
        ("%.*g" % (digits, v))


class Run:
    """One results file and what the figures need from it."""

    def __init__(self, res):
        self.res = res
        a = res.attrs
        self.name = str(a.get("scenario_name", "") or os.path.basename(res.path))
        self.seed = a.get("seed", "?")
        self.source = "mtcsim %s (git %s): %s, seed %s" % (
            a.get("software_version", "?"), a.get("git_sha", "?"), self.name, self.seed)
        cell = res.config.get("cell", {})
        self.energy_evaluated = cell.get("ra_model", "") != "tr37868"
        d = res.devices
        self.d = d
        self.gname = res.group_name_array("devices") if d else np.array([], dtype=str)
        self.groups = [g for g in res.group_names if g in set(self.gname.tolist())] + sorted(
            set(self.gname.tolist()) - set(res.group_names))
        self.pv = res.point_values()
        base_rat = cell.get("rat", "nbiot")
        self.point_rat = {p: v.get("cell.rat", base_rat) for p, v in self.pv.items()}
        self.rat = np.array([self.point_rat.get(p, base_rat) for p in d["point_id"].tolist()],
                            dtype=str) if d else np.array([], dtype=str)
        self.rats = sorted(set(self.rat.tolist()))
        self.cov = (d["out_of_coverage"] == 0) if "out_of_coverage" in d else \
            np.ones(d.rows, dtype=bool)
        reps = {}
        if res.points:
            for p, r in zip(res.points["point_id"].tolist(), res.points["replication"].tolist()):
                reps.setdefault(p, set()).add(r)
        self.reps = {p: len(s) for p, s in reps.items()}
        self.min_reps = min(self.reps.values()) if self.reps else 1
        self.pooled = len(self.pv) > 1

    def caption(self, text):
        return "%s, seed %s: %s" % (self.name, self.seed, text)

    def counts(self, mask):
        """'N devices x R replications' for a selection of /devices rows,
        'N device runs' when its size differs between the replications (or
        points) it covers: a replication of those points without any row of
        the selection counts as zero, not as absent."""
        pid, rep = self.d["point_id"], self.d["replication"]
        pts = set(pid[mask].tolist())
        c = {k: 0 for k in zip(pid.tolist(), rep.tolist()) if k[0] in pts}
        for k in zip(pid[mask].tolist(), rep[mask].tolist()):
            c[k] += 1
        return pl.count_text(c)

    def pooled_note(self):
        return " Every sweep point pooled (%d points)." % len(self.pv) if self.pooled else ""

    def readable(self, path):
        """'devices[1].traffic.period_s' -> 'meters: report period, s'."""
        head, _, leaf = path.rpartition(".")
        name = LEAVES.get(leaf, leaf.replace("_", " "))
        prefix = ""
        if head.startswith("devices["):
            try:
                i = int(head[len("devices["):head.index("]")])
                prefix = self.res.group_names[i - 1] + ": " if len(self.res.group_names) > 1 \
                    else ""
            except (ValueError, IndexError):
                prefix = head + ": "
            rest = head[head.index("]") + 1:].strip(".")
            if rest and leaf not in LEAVES:
                name = rest.replace(".", " ") + " " + name
        elif head and head != "cell":
            prefix = head + ": "
        unit = self.res.swept_unit(path)
        return prefix + name + (", " + unit if unit else "")

    def value_text(self, path, v):
        if isinstance(v, str):
            return RAT_NAMES.get(v, v) if path == "cell.rat" else v
        unit = self.res.swept_unit(path)
        return "%g%s" % (v, " " + unit if unit else "")


# ---------------------------------------------------------------- figures
MAX_CDF_GROUPS = 6  # more groups: percentiles per group instead of CDF lines


def fig_battery_life(run):
    d, cov = run.d, run.cov
    life = np.asarray(d["battery_life_years"], dtype=float)
    many = len(run.groups) > MAX_CDF_GROUPS
    ce_keys = [(rat, k) for rat in run.rats for k in range(4)
               if (cov & (run.rat == rat) & (d["ce_level"] == k)).any()]
    # each panel as tall as its legend (two lines an entry) or its group rows
    h1 = max(2.6, (0.26 * len(run.groups) + 0.6) if many else 0.4 * (len(run.groups) + 1))
    h2 = max(2.6, 0.4 * len(ce_keys))
    fig, axes = pl.new_figure(5.0, h1 + h2 + 1.2, nrows=2,
                              gridspec_kw={"height_ratios": [h1, h2]})
    n = 0
    ax = axes[0][0]
    if many:  # a CDF per group would be unreadable: median, 5th-95th percentile
        for i, g in enumerate(run.groups):
            v = life[cov & (run.gname == g)]
            v = v[np.isfinite(v)]
            if not len(v):
                continue
            q5, q50, q95 = np.percentile(v, [5, 50, 95])
            ax.errorbar([q50], [i], xerr=[[q50 - q5], [q95 - q50]], fmt="o", color="C0",
                        capsize=2, markersize=4)
            n += len(v)
        ax.set_yticks(range(len(run.groups)), ["%s (%s)" % (g, run.counts(run.gname == g))
                                               for g in run.groups], fontsize=7)
        ax.set_ylim(len(run.groups) - 0.5, -0.5)
        ax.set_title("per device group: median and 5th to 95th percentile")
    else:
        for i, g in enumerate(run.groups):
            m = cov & (run.gname == g)
            n += pl.cdf_line(ax, life[m], "%s\n%s" % (g, run.counts(m)),
                             linestyle=pl.LINESTYLES[i % 4])
        m = cov
        if len(run.groups) > 1:
            pl.cdf_line(ax, life[m], "all in coverage\n%s" % run.counts(m), color="k",
                        linewidth=1.8)
        ax.set_title("per device group")
    ax = axes[1][0]
    for rat, k in ce_keys:  # NB-IoT and LTE-M CE levels are never pooled
        m = cov & (run.rat == rat) & (d["ce_level"] == k)
        lab = "%s CE %d" % (RAT_NAMES.get(rat, rat), k)
        pl.cdf_line(ax, life[m], "%s\n%s" % (lab, run.counts(m)),
                    linestyle=pl.LINESTYLES[k % 4])
    ax.set_title("per CE level")
    fin = life[cov & np.isfinite(life) & (life > 0)]
    # a log axis when the middle 90 % of the lives span more than 1.5 decades
    # (0.1 and 25 years in one fleet), not for a few outliers
    p5, p95 = np.percentile(fin, [5, 95]) if len(fin) else (1.0, 1.0)
    log = p95 / p5 >= 10 ** 1.5
    for j, ax in enumerate(axes[:, 0]):
        if log:
            ax.set_xscale("log")
            pl.plain_log_labels(ax.xaxis)
        ax.set_xlabel("battery life, years" + (" (log scale)" if log else ""))
        ax.grid(alpha=0.3)
        if j == 0 and many:
            continue
        ax.set_ylabel("share of device runs")
        ax.set_ylim(0, 1.02)
        pl.outside_legend(ax)
    if not n:
        plt_close(fig)
        return None
    oos = int((~cov).sum())
    nonfinite = int((cov & ~np.isfinite(life)).sum())
    none_in = [g for g in run.groups if not (cov & (run.gname == g)).any()]
    cap = ("%s of the battery life of each device run (a device in one replication), per "
           "device group and per CE level; %d device run%s out of coverage (no CE level "
           "reachable) excluded%s.%s" % (
               "Median and 5th to 95th percentile (%d groups) and CDFs" % len(run.groups)
               if many else "CDFs",
               oos, "" if oos == 1 else "s",
               "; %d without a finite battery life excluded" % nonfinite if nonfinite else "",
               run.pooled_note()))
    if none_in:
        cap += " No device in coverage, so no curve: %s." % ", ".join(none_in)
    if log:
        cap += " Log scale: the middle 90 %% of the lives span %.1f decades." % math.log10(
            p95 / p5)
    pl.finish(fig, run.source, 0.03)
    return pl.Figure("battery_life_cdf", fig, run.caption(cap), "Battery life")


def plt_close(fig):
    import matplotlib.pyplot as plt
    plt.close(fig)


def per_day(run, col, mask):
    """Mean energy per device per day (J/day) of a column over a selection:
    each device's energy over its own simulated time (the sum of its state
    times)."""
    d = run.d
    t = sum(np.asarray(d["time_s_" + s], dtype=float) for s in STATES if "time_s_" + s in d)
    e = np.asarray(d[col], dtype=float)[mask]
    t = t[mask]
    ok = t > 0
    return float((e[ok] / t[ok] * 86400.0).mean()) if ok.any() else math.nan


def fig_stacks(run, kind):
    """Energy per device per day stacked per group (left) and the shares
    (right): by power state or by procedure."""
    if not run.energy_evaluated:
        return None
    d = run.d
    names = STATES if kind == "states" else PROCS
    used = [p for p in names if "energy_j_" + p in d and np.any(d["energy_j_" + p])]
    if not used or not run.groups:
        return None
    tab = pl.plt.get_cmap("tab20").colors
    colours = tab[0::2] + tab[1::2]
    mean = {p: np.array([per_day(run, "energy_j_" + p, run.gname == g) for g in run.groups])
            for p in used}
    total = sum(mean.values())
    ng = len(run.groups)
    flat = ng > MAX_CDF_GROUPS  # many groups: horizontal bars, a row per group
    if flat:
        fig, axes = pl.new_figure(8.0, 0.24 * ng + 1.4, ncols=2, sharey=True)
    else:
        fig, axes = pl.new_figure(max(6.4, 1.3 * ng + 4.6), 3.8, ncols=2)
    log = pl.spans_decades(total, 1.0)
    x = np.arange(ng)
    for j, ax in enumerate(axes[0]):
        bottom = np.zeros(ng)
        for p in used:
            v = mean[p] if j == 0 else 100.0 * np.divide(
                mean[p], total, out=np.zeros(len(total)), where=total > 0)
            colour = colours[names.index(p) % len(colours)]
            if flat:
                ax.barh(x, v, left=bottom, label=p, height=0.7, color=colour)
            else:
                ax.bar(x, v, bottom=bottom, label=p, width=0.7, color=colour)
            bottom += v
        if flat:
            ax.set_yticks(x, run.groups, fontsize=7)
            ax.set_ylim(ng - 0.5, -0.5)
        else:
            ax.set_xticks(x, run.groups, rotation=20 if ng > 3 else 0,
                          ha="right" if ng > 3 else "center")
    ax0, ax1 = axes[0]
    val0, val1 = (ax0.xaxis, ax1.xaxis) if flat else (ax0.yaxis, ax1.yaxis)
    val0.set_label_text("energy per device per day, J")
    if log:
        if flat:
            ax0.set_xscale("log")
            ax0.set_xlim(total[total > 0].min() / 30.0, total.max() * 2.0)
        else:
            ax0.set_yscale("log")
            ax0.set_ylim(total[total > 0].min() / 30.0, total.max() * 2.0)  # room above the top
        pl.plain_log_labels(val0)
    val1.set_label_text("share of the group's energy, %")
    (ax1.set_xlim if flat else ax1.set_ylim)(0, 100)
    ax0.set_title("per device per day" + (" (log scale)" if log else ""))
    ax1.set_title("shares")
    pl.outside_legend(ax1, title="power state" if kind == "states" else "procedure")
    what = "power state" if kind == "states" else "procedure"
    cap = ("Mean energy per device per day (J/day: each device's energy over its simulated "
           "time, scaled to 24 h) by %s, stacked per device group, and the shares of the "
           "group's energy; %s.%s%s" % (
               what, "; ".join("%s %s" % (g, run.counts(run.gname == g)) for g in run.groups),
               " Log scale: the totals span %.1f decades; a segment's height on it is not "
               "its share (see the right panel)." % math.log10(total.max() / total[total > 0]
                                                               .min()) if log else "",
               run.pooled_note()))
    pl.finish(fig, run.source)
    return pl.Figure("energy_" + kind, fig, run.caption(cap),
                     "Energy by " + what)


def cell_load(c, i):
    pre = sum(float(c["ce%d_preambles" % k][i]) for k in range(4) if "ce%d_preambles" % k in c)
    opp = sum(float(c["ce%d_opportunities" % k][i]) for k in range(4)
              if "ce%d_opportunities" % k in c)
    return pre / opp if opp else math.nan, pre


def ra_delay(run):
    """The stored access-delay CDF per point: {point: (delay_ms, share)},
    the replications' and cells' CDFs averaged weighted by their
    successful accesses."""
    t, c = run.res.ra_delay_cdf, run.res.cells
    out = {}
    if not t or not c:
        return out
    w = {(int(p), int(r), int(k)): float(s) for p, r, k, s in zip(
        c["point_id"], c["replication"], c["cell"], c["ra_successes"])}
    acc = {}
    for p, r, k, x, s in zip(t["point_id"].tolist(), t["replication"].tolist(),
                             t["cell"].tolist(), t["delay_ms"].tolist(), t["share"].tolist()):
        wt = w.get((p, r, k), 0.0)
        a = acc.setdefault(p, {}).setdefault(x, [0.0, 0.0])
        a[0] += wt * s
        a[1] += wt
    for p, xs in acc.items():
        keys = sorted(k for k in xs if xs[k][1] > 0)
        if keys:
            out[p] = (np.array(keys), np.array([xs[k][0] / xs[k][1] for k in keys]))
    return out


def fig_random_access(run, metrics):
    c = run.res.cells
    if not c or "ra_success_prob" not in c:
        return None
    fig, axes = pl.new_figure(5.0, 5.6, nrows=2)
    a_s, a_c = axes[:, 0]
    if run.res.swept:
        sx = SweepX(run)
        sx.draw(a_s, metrics["ra_success"])
        n = sx.draw(a_c, metrics["ra_collision"])
        if n > 1:
            pl.outside_legend(a_s)
        how = "against %s, mean over replications%s" % (
            sx.label, " with 95 %% confidence intervals (Student t over %d replications), "
            "clipped to [0, 1]" % run.min_reps if run.min_reps >= 2 else
            " (one replication: no confidence interval)")
    else:
        load = np.array([cell_load(c, i)[0] for i in range(c.rows)])
        a_s.plot(load, c["ra_success_prob"], "o", fillstyle="none")
        a_c.plot(load, c["ra_collision_prob"], "s", color="C1", fillstyle="none")
        hi = np.nanmax(load) if np.isfinite(load).any() else 1.0
        for ax in (a_s, a_c):
            ax.set_xlabel("offered load,\npreambles per PRACH opportunity (all CE levels)")
            ax.set_xlim(0, 1.1 * hi if hi > 0 else 1.0)
            ax.grid(alpha=0.3)
        how = "against the offered load (preambles per PRACH opportunity, all CE levels), " \
              "one marker per cell and replication (%d)" % c.rows
    a_s.set_ylabel("success probability")
    a_c.set_ylabel("collision probability")
    zs = zoom_bounded(a_s, 0.0, 1.0)
    coll = np.asarray(c["ra_collision_prob"], dtype=float)
    coll = coll[np.isfinite(coll)]
    top = float(coll.max()) if len(coll) else 0.0
    # no floor: a collision probability of 4e-7 must not sit on the axis
    ymax = min(1.0, 1.2 * top) if top > 0 else 1e-6
    a_c.set_ylim(-0.03 * ymax, ymax)
    a_s.set_title("random-access success")
    a_c.set_title("preamble collision (own scale)")
    cap = ("Random access in TR 37.868 terms: success probability (top: completed / "
           "(completed + abandoned) procedures) and preamble collision probability (bottom, "
           "on its own scale) %s.%s" % (how, " The success axis starts at %g." % zs
                                         if zs is not None else ""))
    pl.finish(fig, run.source, 0.03)
    return pl.Figure("random_access", fig, run.caption(cap), "Random access")


def fig_ra_delay(run):
    cdfs = ra_delay(run)
    if not cdfs:
        return None
    fig, axes = pl.new_figure(5.0, 3.6)
    ax = axes[0][0]
    top = 0.0
    for i, (p, (x, s)) in enumerate(sorted(cdfs.items())):
        lab = run.point_label(p) if run.res.swept else None
        ax.step(x, s, where="post", label=lab, marker=pl.MARKERS[i % len(pl.MARKERS)],
                markevery=max(1, len(x) // 8), fillstyle="none", markersize=5,
                linestyle=pl.LINESTYLES[i % 4], color="C%d" % (i % 10))
        top = max(top, float(x[-1]))
    ax.set_xlabel("access delay, ms")
    ax.set_ylabel("share of successful accesses")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    pl.outside_legend(ax)
    cap = ("Access-delay CDF as stored in the file (/ra_delay_cdf, up to %g ms: a curve "
           "below 1 there has accesses that took longer), averaged over cells and "
           "replications weighted by their successful accesses%s." % (
               top, "; one line per sweep point" if run.res.swept else ""))
    pl.finish(fig, run.source)
    return pl.Figure("ra_delay_cdf", fig, run.caption(cap), "Access delay")


def fig_latency(run):
    d = run.d
    fig, axes = pl.new_figure(6.4, 3.8)
    ax = axes[0][0]
    n = 0
    many = len(run.groups) > MAX_CDF_GROUPS
    for i, g in enumerate(["all groups"] if many else run.groups):
        m = np.ones(d.rows, bool) if many else run.gname == g
        n += pl.cdf_line(ax, d["latency_ms_mean"][m] / 1e3, "%s, uplink reports\n%s" % (
            g, run.counts(m)), linestyle=pl.LINESTYLES[i % 4])
    if "dl_latency_ms_mean" in d:
        n += pl.cdf_line(ax, d["dl_latency_ms_mean"] / 1e3, "downlink commands, all groups",
                         color="k")
    if not n:
        plt_close(fig)
        return None
    ax.set_xscale("log")
    pl.plain_log_labels(ax.xaxis)
    ax.set_xlabel("mean latency per device, s (log scale)")
    ax.set_ylabel("share of device runs")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    pl.outside_legend(ax)
    cap = ("CDF of each device run's mean uplink report latency %s, and of the "
           "downlink command latency; device runs without a delivered report are not "
           "drawn.%s" % ("over all %d groups (per group: the table)" % len(run.groups)
                         if many else "per group", run.pooled_note()))
    pl.finish(fig, run.source)
    return pl.Figure("latency_cdf", fig, run.caption(cap), "Latency")


def fig_ce(run):
    d = run.d
    fig, axes = pl.new_figure(6.4, 3.6)
    ax = axes[0][0]
    levels = [0, 1, 2, 3, 4]
    names = ["CE 0", "CE 1", "CE 2", "CE 3", "out of\ncoverage"]
    width = 0.8 / max(1, len(run.rats))
    for j, rat in enumerate(run.rats):  # never pooled across radios
        v = [int(((run.rat == rat) & (d["ce_level"] == k)).sum()) for k in levels]
        ax.bar(np.arange(5) + (j - (len(run.rats) - 1) / 2) * width, v, width,
               label="%s\n%s" % (RAT_NAMES.get(rat, rat), run.counts(run.rat == rat)),
               hatch=("", "//", "..")[j % 3])
    ax.set_xticks(np.arange(5), names)
    ax.set_ylabel("device runs (devices x replications)")
    ax.grid(alpha=0.3, axis="y")
    pl.outside_legend(ax)
    cap = "Device runs (a device in one replication) per CE level, per radio.%s" % \
        run.pooled_note()
    pl.finish(fig, run.source)
    return pl.Figure("ce_levels", fig, run.caption(cap), "CE levels")


def fig_cl(run):
    cl = np.asarray(run.d["coupling_loss_db"], dtype=float)
    cl = cl[np.isfinite(cl)]
    if not len(cl):
        return None
    fig, axes = pl.new_figure(6.4, 3.4)
    ax = axes[0][0]
    ax.hist(cl, bins=40 if np.ptp(cl) > 0 else 1)
    ax.set_xlabel("coupling loss, dB")
    ax.set_ylabel("device runs (devices x replications)")
    ax.grid(alpha=0.3, axis="y")
    cap = "Histogram of the coupling loss of %s.%s" % (
        run.counts(np.ones(run.d.rows, bool)), run.pooled_note())
    pl.finish(fig, run.source)
    return pl.Figure("coupling_loss", fig, run.caption(cap), "Coupling loss")


# ------------------------------------------------------------------ sweeps
def point_metrics(run):
    """Key metrics per point: {key: (title, unit range, {point: [one value
    per replication]})}. Cells of a replication are aggregated first (sums
    of reports, latency weighted by delivered reports, collision weighted by
    preambles), so confidence intervals are over replications."""
    c, p = run.res.cells, run.res.points
    acc = {}
    for i in range(c.rows):
        k = (int(c["point_id"][i]), int(c["replication"][i]))
        a = acc.setdefault(k, [0.0] * 7)
        dl = float(c["reports_delivered"][i])
        a[0] += float(c["reports_generated"][i])
        a[1] += dl
        if dl > 0 and math.isfinite(c["latency_ms_mean"][i]):
            a[2] += c["latency_ms_mean"][i] * dl
        a[3] += float(c["ra_successes"][i])
        a[4] += float(c["ra_failures"][i])
        _, pre = cell_load(c, i)
        if math.isfinite(c["ra_collision_prob"][i]):
            a[5] += float(c["ra_collision_prob"][i]) * pre
            a[6] += pre
    m = {}
    if run.energy_evaluated:
        life = {}
        for i in range(p.rows):
            life.setdefault(int(p["point_id"][i]), []).append(float(p["fleet_life_mean_years"][i]))
        m["life"] = ("fleet battery life (mean over devices in coverage), years",
                     (0, math.inf), life)
    per = {k: {} for k in ("delivered", "latency", "ra_success", "ra_collision")}
    for (pt, _), a in sorted(acc.items()):
        per["delivered"].setdefault(pt, []).append(100 * a[1] / a[0] if a[0] else math.nan)
        per["latency"].setdefault(pt, []).append(a[2] / a[1] if a[1] else math.nan)
        per["ra_success"].setdefault(pt, []).append(a[3] / (a[3] + a[4]) if a[3] + a[4]
                                                    else math.nan)
        per["ra_collision"].setdefault(pt, []).append(a[5] / a[6] if a[6] else math.nan)
    m["delivered"] = ("reports delivered, %", (0, 100), per["delivered"])
    m["latency"] = ("report latency (mean), ms", (0, math.inf), per["latency"])
    m["ra_success"] = ("random-access success probability", (0, 1), per["ra_success"])
    m["ra_collision"] = ("preamble collision probability", (0, 1), per["ra_collision"])
    return m


YLABELS = {"life": "battery life, years\n(fleet mean, in coverage)",
           "latency": "report latency, ms\n(mean)", "delivered": "reports delivered, %"}


class SweepX:
    """The x axis of sweep plots: the first numeric swept path (else the
    first), its readable label with unit, whether it is logarithmic, and the
    other swept paths that vary on their own (one line per combination)."""

    def __init__(self, run):
        res = run.res
        self.run = run
        numeric = [q for q in res.swept if not res.swept_is_string(q)]
        self.path = numeric[0] if numeric else res.swept[0]
        self.string = res.swept_is_string(self.path)
        self.label = run.readable(self.path)
        pv = run.pv
        self.x = {p: v[self.path] for p, v in pv.items()}
        if self.string:
            cats = []
            for p in sorted(pv):
                if self.x[p] not in cats:
                    cats.append(self.x[p])
            self.cats = cats
            self.pos = {p: float(cats.index(self.x[p])) for p in pv}
            self.base = None
        else:
            self.pos = {p: float(self.x[p]) for p in pv}
            self.base = pl.log_base(list(self.pos.values()))
        self.others = []
        for q in res.swept:
            if q == self.path:
                continue
            seen = {}
            for p in sorted(pv):
                if seen.setdefault(self.x[p], pv[p][q]) != pv[p][q]:
                    self.others.append(q)
                    break

    def series(self):
        """{key (values of the other paths): [points sorted by x]}."""
        out = {}
        pv = self.run.pv
        for p in sorted(pv):
            out.setdefault(tuple(pv[p][q] for q in self.others), []).append(p)
        return {k: sorted(v, key=lambda p: self.pos[p]) for k, v in sorted(out.items())}

    def series_label(self, key):
        return ", ".join("%s = %s" % (self.run.readable(q).split(",")[0],
                                      self.run.value_text(q, v))
                         for q, v in zip(self.others, key))

    def draw(self, ax, metric):
        """Mean per point and its 95 % CI (when two replications or more),
        clipped to the metric's range; distinct markers per series."""
        title, (lo, hi), per = metric
        drawn = 0
        for i, (key, pts) in enumerate(self.series().items()):
            pts = [p for p in pts if p in per]
            mc = [mean_ci(per[p]) for p in pts]
            y = np.array([a for a, _ in mc])
            if not np.isfinite(y).any():
                continue
            x = np.array([self.pos[p] for p in pts])
            err = pl.clipped_errors(y, [b for _, b in mc], lo, hi)
            ax.errorbar(x, y, yerr=err if self.run.min_reps >= 2 else None,
                        marker=pl.MARKERS[i % len(pl.MARKERS)], fillstyle="none",
                        markersize=6, capsize=3,
                        # categories (strings) are not joined: no line between them
                        linestyle="none" if self.string else pl.LINESTYLES[i % 4],
                        label=self.series_label(key) or None)
            drawn += 1
        if self.string:
            ax.set_xticks(range(len(self.cats)),
                          [self.run.value_text(self.path, c) for c in self.cats])
            ax.set_xlim(-0.5, len(self.cats) - 0.5)
        else:
            xs = sorted(set(self.pos.values()))
            if self.base:
                ax.set_xscale("log", base=self.base)
                ax.minorticks_off()
            if len(xs) <= 12:
                ax.set_xticks(xs, ["%g" % v for v in xs])
        ax.set_xlabel(self.label + (" (log scale)" if self.base else ""))
        ax.grid(alpha=0.3)
        return drawn


def zoom_bounded(ax, lo, hi):
    """A bounded metric (a share, a probability) on [lo, hi]; when every
    drawn value and interval end lies in the upper half, the axis starts just
    below the lowest one so that differences near the top stay visible (the
    caption says where it starts). Returns that start, or None."""
    low = [min(np.min(ln.get_ydata()[np.isfinite(ln.get_ydata())]), np.inf)
           for ln in ax.get_lines() if np.isfinite(ln.get_ydata()).any()]
    for lo_, _ in _errorbar_spans(ax):
        low.append(lo_)
    m = min(low) if low else lo
    if m >= lo + 0.5 * (hi - lo) and hi - m > 1e-6 * (hi - lo):
        bottom = max(lo, m - 0.15 * (hi - m))
        bottom = math.floor(bottom / (hi - lo) * 100) / 100 * (hi - lo)
        ax.set_ylim(bottom, hi + 0.03 * (hi - bottom))
        return bottom
    pad = 0.02 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    return None


def _errorbar_spans(ax):
    from matplotlib.collections import LineCollection
    out = []
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            for seg in coll.get_segments():
                if len(seg):
                    out.append((float(np.min(seg[:, 1])), float(np.max(seg[:, 1]))))
    return out


def point_label(run, p):
    v = run.pv.get(p, {})
    return ", ".join("%s = %s" % (run.readable(q).split(",")[0], run.value_text(q, v[q]))
                     for q in run.res.swept if q in v) or "point %d" % p


Run.point_label = point_label


def fig_sweeps(run, metrics, skipped):
    out = []
    sx = SweepX(run)
    ci = run.min_reps >= 2
    for key, metric in metrics.items():
        fig, axes = pl.new_figure(6.4, 3.8)
        ax = axes[0][0]
        if not sx.draw(ax, metric):
            plt_close(fig)
            skipped.append("sweep_%s (no finite value)" % key)
            continue
        title, (lo, hi), per = metric
        ax.set_ylabel(YLABELS.get(key, title))
        means = [mean_ci(v)[0] for v in per.values()]
        log = not math.isfinite(hi) and pl.spans_decades(means, 1.0)
        zoom = None
        if math.isfinite(hi):
            zoom = zoom_bounded(ax, lo, hi)
        elif log:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "%g" % v))
            ax.set_ylabel(YLABELS.get(key, title) + ", log scale")
        else:
            ax.set_ylim(bottom=0)
        pl.outside_legend(ax)
        cap = ("%s against %s; mean over replications per point%s%s." % (
            title[0].upper() + title[1:], sx.label,
            " with its 95 %% confidence interval (Student t over %d replications) clipped "
            "to [%g, %s]" % (run.min_reps, lo, "%g" % hi if math.isfinite(hi) else "inf")
            if ci else " (one replication: no confidence interval)",
            "; one line per %s" % " and ".join(run.readable(q) for q in sx.others)
            if sx.others else "") + (" The y axis starts at %g (every value is near the top "
                                     "of the range)." % zoom if zoom is not None else "") + (
            " Log scale: the means span %.1f decades." % math.log10(
                max(m for m in means if m > 0) / min(m for m in means if m > 0)) if log else ""))
        pl.finish(fig, run.source)
        out.append(pl.Figure("sweep_" + key, fig, run.caption(cap), title))
    return out


# --------------------------------------------------------------- timeseries
def timeseries_points(run):
    """{point: {'t': bin starts, 'dt': bin lengths, column: per-bin value
    summed over cells and averaged over replications}} (ratios: sums over
    replications first)."""
    ts = run.res.timeseries
    if not ts or not ts.rows:
        return {}
    cols = [c for c in ts if c not in ("point_id", "replication", "cell", "t_s", "dt_s")]
    out = {}
    for p in sorted(set(ts["point_id"].tolist())):
        m = ts["point_id"] == p
        t = np.asarray(ts["t_s"][m], dtype=float)
        bins, inv = np.unique(t, return_inverse=True)
        nrep = len(set(ts["replication"][m].tolist()))
        r = {"t": bins, "reps": nrep}
        dt = np.zeros(len(bins))
        np.maximum.at(dt, inv, np.asarray(ts["dt_s"][m], dtype=float))
        r["dt"] = dt
        for c in cols:
            s = np.zeros(len(bins))
            np.add.at(s, inv, np.asarray(ts[c][m], dtype=float))
            r[c] = s / nrep  # per replication (cells summed)
        ncell = np.zeros(len(bins))
        np.add.at(ncell, inv, 1.0)
        r["cells"] = ncell / nrep
        out[p] = merge_bins(r, cols)
    return out


TS_MAX_POINTS = 500  # more bins than this are merged for drawing
TS_SHARES = ("ul_busy", "dl_busy", "devices_connected")  # means over the bin, not counts


def merge_bins(r, cols):
    """Consecutive bins merged k at a time so that at most TS_MAX_POINTS are
    drawn (a day of 1 s bins is a solid band): counts and energy summed,
    shares and means weighted by the bin lengths; r['merged'] = k."""
    n = len(r["t"])
    need = max(1, -(-n // TS_MAX_POINTS))
    k = min(m * 10 ** j for j in range(12) for m in (1, 2, 5) if m * 10 ** j >= need)
    r["merged"] = k
    if k == 1:
        return r
    starts = np.arange(0, n, k)
    dt = np.add.reduceat(r["dt"], starts)
    out = {"t": r["t"][starts], "dt": dt, "reps": r["reps"], "merged": k,
           "cells": np.maximum.reduceat(r["cells"], starts)}
    for c in cols:
        v = r[c]
        if c in TS_SHARES:
            ok = np.isfinite(v)
            w = np.add.reduceat(np.where(ok, r["dt"], 0.0), starts)
            tot = np.add.reduceat(np.where(ok, v * r["dt"], 0.0), starts)
            out[c] = np.divide(tot, w, out=np.full(len(starts), np.nan), where=w > 0)
        else:
            out[c] = np.add.reduceat(v, starts)
    return out


TS_PER_FIGURE = 6  # sweep points per time-series figure (more would be unreadable)


def fig_timeseries(run):
    """The time-series figures: one for a run; for a sweep one per
    TS_PER_FIGURE points."""
    tp = timeseries_points(run)
    if not tp:
        return []
    pts = sorted(tp)
    chunks = [pts[i:i + TS_PER_FIGURE] for i in range(0, len(pts), TS_PER_FIGURE)]
    return [ts_figure(run, {p: tp[p] for p in ch}, k + 1 if len(chunks) > 1 else 0,
                      len(chunks)) for k, ch in enumerate(chunks)]


def ts_figure(run, tp, part, parts):
    panels = 5 if run.energy_evaluated else 4
    fig, axes = pl.new_figure(6.4, 1.75 * panels + 0.6, nrows=panels, sharex=True)
    axes = axes[:, 0]
    a_ra, a_pre, a_ul, a_dl = axes[:4]
    span = max(r["t"][-1] + r["dt"][-1] for r in tp.values())
    scale, unit = (3600.0, "h") if span > 3 * 3600 else ((60.0, "min") if span > 1800 else
                                                         (1.0, "s"))
    peak = max((np.nanmax(r["energy_j"] / np.where(r["dt"] > 0, r["dt"], np.nan))
                if "energy_j" in r and np.isfinite(r["energy_j"]).any() else 0.0)
               for r in tp.values()) * 1e3
    pscale, punit = (1e3, "W") if peak > 5000 else (1.0, "mW")
    for i, (p, r) in enumerate(sorted(tp.items())):
        lab = run.point_label(p) if run.res.swept else None
        j = i + (part - 1) * TS_PER_FIGURE if part else i
        mk = dict(marker=pl.MARKERS[j % len(pl.MARKERS)], fillstyle="none", markersize=4,
                  markevery=max(1, len(r["t"]) // 10), linestyle=pl.LINESTYLES[j % 4],
                  color="C%d" % (j % 10), label=lab)
        x = (r["t"] + r["dt"] / 2) / scale
        succ = sum(r.get("ce%d_successes" % k, 0) for k in range(4))
        fail = sum(r.get("ce%d_failures" % k, 0) for k in range(4))
        done = succ + fail
        prob = np.divide(succ, done, out=np.full(len(x), np.nan), where=done > 0)
        a_ra.plot(x, prob, **mk)
        # bins between empty ones (no line to draw) stay visible as dots
        a_ra.plot(x, prob, linestyle="none", marker=".", markersize=2, color=mk["color"])
        pre = sum(r.get("ce%d_preambles" % k, 0) for k in range(4))
        dt = np.where(r["dt"] > 0, r["dt"], np.nan)
        a_pre.plot(x, pre / dt, **mk)
        cells = np.where(r["cells"] > 0, r["cells"], np.nan)
        if "ul_busy" in r:
            a_ul.plot(x, r["ul_busy"] / cells, **mk)
        if "dl_busy" in r:
            a_dl.plot(x, r["dl_busy"] / cells, **mk)
        if run.energy_evaluated and "energy_j" in r:
            axes[4].plot(x, r["energy_j"] / dt * 1e3 / pscale, **mk)
    a_ra.set_ylabel("RA success\nprobability")
    a_pre.set_ylabel("preambles\nper s")
    a_ul.set_ylabel("uplink busy\nshare")
    a_dl.set_ylabel("downlink busy\nshare")
    a_ra.set_ylim(-0.02, 1.02)
    # what the file does not record is said, not drawn as zeros or left blank
    # (the TR 37.868 study: outcomes without preamble counts, NaN loads)
    pre_total = sum(float(np.nansum(r.get("ce%d_preambles" % k, 0))) for r in tp.values()
                    for k in range(4))
    ended = sum(float(np.nansum(r.get("ce%d_%s" % (k, w), 0))) for r in tp.values()
                for k in range(4) for w in ("successes", "failures"))
    gaps = []
    if pre_total == 0 and ended > 0:
        for ln in list(a_pre.get_lines()):
            ln.remove()
        a_pre.text(0.5, 0.5, "no preamble counts in this file's time series\n(%d random "
                   "accesses ended)" % ended, ha="center", va="center",
                   transform=a_pre.transAxes, color="0.3")
        gaps.append("preamble counts")
    for ax, what in ((a_ul, "uplink busy share"), (a_dl, "downlink busy share")):
        if not any(np.isfinite(ln.get_ydata()).any() for ln in ax.get_lines()):
            ax.text(0.5, 0.5, "not evaluated (NaN in the file)", ha="center", va="center",
                    transform=ax.transAxes, color="0.3")
            gaps.append(what)
    for ax in (a_ul, a_dl):  # each share on its own scale: a light load stays visible
        ys = [ln.get_ydata() for ln in ax.get_lines()]
        peak = max((np.nanmax(y) for y in ys if np.isfinite(y).any()), default=0.0)
        top = max(0.01, 1.2 * peak)  # a saturated bin may exceed 1 (HARQ-ACKs, see README)
        ax.set_ylim(-0.02 * top, top)
    a_pre.set_ylim(bottom=0)
    if run.energy_evaluated:
        axes[4].set_ylabel("power of the\ndevices, %s" % punit)
        axes[4].set_ylim(bottom=0)
    axes[-1].set_xlabel("time, %s (bin centres)" % unit)
    for ax in axes:
        ax.grid(alpha=0.3)
    pl.outside_legend(a_ra)
    nrep = min(r["reps"] for r in tp.values())
    k = max(r["merged"] for r in tp.values())
    cap = ("Against time, in bins of %g s%s (/timeseries): random-access success probability "
           "(completed / (completed + abandoned) procedures, all CE levels; gaps where none "
           "ended), preambles sent per second (all cells), the uplink and downlink busy "
           "share (mean over cells, each on its own scale)%s; sums over cells, mean over %d replication%s.%s"
           % (run.res.timeseries_interval_s,
              " merged %d at a time for drawing (%g s)" % (k, k * run.res.timeseries_interval_s)
              if k > 1 else "",
              " and the power drawn by the cells' devices (energy per bin / bin length, all "
              "cells)" if run.energy_evaluated else " (energy not evaluated: no power panel)",
              nrep, "" if nrep == 1 else "s",
              " One line per sweep point%s." % (
                  ", points %d to %d (figure %d of %d)" % (min(tp), max(tp), part, parts)
                  if part else "") if run.res.swept else ""))
    if gaps:
        cap += " Not in the file's time series: %s." % ", ".join(gaps)
    pl.finish(fig, run.source, 0.03)
    return pl.Figure("timeseries" + ("_%d" % part if part else ""), fig, run.caption(cap),
                     "Time series")


# ---------------------------------------------------------------- tables
def group_rows(run):
    d = run.d
    rows = []
    keys = [(str(i), g, run.gname == g) for i, g in enumerate(run.groups)]
    keys.append(("all", "all", np.ones(d.rows, dtype=bool)))
    for key, name, m in keys:
        gen = int(d["reports_generated"][m].sum())
        dl = d["reports_delivered"][m]
        life = np.asarray(d["battery_life_years"][m & run.cov], dtype=float)
        fin = life[np.isfinite(life)]
        lat = (d["latency_ms_mean"][m][dl > 0] * dl[dl > 0]).sum() / dl.sum() if dl.sum() \
            else math.nan
        rows.append({
            "key": key, "name": name, "devices": int(m.sum()), "generated": gen,
            "delivered": 100.0 * dl.sum() / gen if gen else math.nan,
            "failed": int(d["reports_failed"][m].sum()),
            "oos": int((m & ~run.cov).sum()),
            "latency": lat,
            "life_mean": float(fin.mean()) if len(fin) else math.nan,
            "life_p5": float(np.percentile(fin, 5)) if len(fin) else math.nan,
            "life_10y": 100.0 * (fin >= 10).sum() / len(fin) if len(fin) else math.nan,
        })
    return rows


def proc_rows(run):
    """Per group over every replication, cell and point (/groups): the
    charge per delivered report and the share of the group's energy per
    procedure. [] for files without /groups."""
    g = run.res.groups
    if not g or "charge_uah_per_report" not in g or not run.energy_evaluated:
        return []
    names = run.res.group_name_array("groups")
    rows = []
    for i, k in enumerate([x for x in run.groups if x in set(names.tolist())]):
        m = names == k
        procs = {p: g["energy_j_" + p][m].sum() for p in PROCS if "energy_j_" + p in g}
        total = sum(procs.values())
        dl = int(g["reports_delivered"][m].sum())
        rows.append({
            "key": str(i), "name": k,
            "uah": (g["energy_j"][m] / g["voltage_v"][m]).sum() / 3600 * 1e6 / dl
            if dl else math.nan,
            "share": {p: 100.0 * v / total if total > 0 else math.nan for p, v in procs.items()},
        })
    return rows


CSS = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:0 1em}"
       ".wrap{overflow-x:auto;margin-bottom:1em}"
       "table{border-collapse:collapse;font-size:90%}"
       "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td{white-space:nowrap}"
       "th{background:#eee;vertical-align:bottom;max-width:9em;white-space:normal}"
       "td.l,th.l{text-align:left}"
       "figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}"
       "figcaption{font-size:90%;color:#333;margin-top:.3em}")


def html_head(title):
    return ["<!DOCTYPE html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width'><title>%s</title>"
            "<style>%s</style></head><body>" % (html.escape(title), CSS)]


def html_figures(figs, first=1, out=None):
    """<figure>s with numbered captions; a PNG saved in out is shown at its
    print size (300 dpi -> 96 CSS px per inch), never wider than the page."""
    h = []
    for i, f in enumerate(figs, first):
        png = f.name + ".png"
        size = ""
        path = os.path.join(out, png) if out else None
        if path and os.path.exists(path):
            with open(path, "rb") as fh:
                head = fh.read(24)
            w = int.from_bytes(head[16:20], "big")
            size = " width='%d'" % round(w * 96 / pl.DPI)
        h.append("<figure id='fig-%s'><img src='%s'%s alt='%s'><figcaption><b>Figure %d.</b> "
                 "%s <a href='%s'>[PDF]</a></figcaption></figure>"
                 % (f.name, png, size, html.escape(f.title), i, html.escape(f.caption),
                    f.name + "." + pl.VECTOR))
    return h


def write_html(run, out, figs, rows, metrics, prows, skipped):
    res, a = run.res, run.res.attrs
    h = html_head("mtcsim report: %s" % run.name)
    h.append("<h1>mtcsim report: %s</h1>" % html.escape(run.name))
    h.append("<p>%s, mtcsim %s (git %s), seed %s, %s, results format %d, created %s</p>" % (
        html.escape(str(a.get("scenario_file", ""))), html.escape(str(a.get("software_version",
                                                                             ""))),
        html.escape(str(a.get("git_sha", ""))), html.escape(str(run.seed)),
        "%d sweep points" % len(run.pv) if res.swept else
        "%d replication%s" % (run.min_reps, "" if run.min_reps == 1 else "s"),
        res.format_version, html.escape(str(a.get("created", "")))))
    if not run.energy_evaluated:
        h.append("<p>Energy is not evaluated in this scenario (cell.ra_model = \"tr37868\": "
                 "only the access is simulated): no energy or battery-life figures.</p>")
    life = run.energy_evaluated
    h.append("<h2>Devices per group</h2><p>Over every replication%s; \"device runs\" counts "
             "a device once per replication; battery life over the device runs in coverage "
             "(\"out of coverage\" ones excluded).</p>" % (
                 " and every sweep point (per-point figures: the sweep table below)"
                 if res.swept else ""))
    h.append("<div class='wrap'><table><tr><th class='l'>group</th><th>device runs</th>"
             "<th>reports</th><th>delivered, %</th><th>failed</th><th>out of coverage</th>"
             "<th>latency mean, ms</th>" + (
                 "<th>battery life mean, y</th><th>battery life p5, y</th>"
                 "<th>&ge; 10 y, %</th>" if life else "") + "</tr>")
    for r in rows:
        k = r["key"]
        h.append("<tr><td class='l'>%s</td><td id='%s-devices'>%d</td>"
                 "<td id='%s-generated'>%d</td><td id='%s-delivered'>%s</td>"
                 "<td id='%s-failed'>%d</td><td id='%s-oos'>%d</td><td id='%s-latency'>%s</td>"
                 % (html.escape(r["name"]), k, r["devices"], k, r["generated"], k,
                    fmt(r["delivered"]), k, r["failed"], k, r["oos"], k, fmt(r["latency"], 1))
                 + ("<td id='%s-life-mean'>%s</td><td id='%s-life-p5'>%s</td>"
                    "<td id='%s-life-10y'>%s</td>" % (k, fmt(r["life_mean"]), k,
                                                       fmt(r["life_p5"]), k,
                                                       fmt(r["life_10y"], 1)) if life else "")
                 + "</tr>")
    h.append("</table></div>")
    if prows:
        used = [p for p in PROCS if any(r["share"].get(p, 0) > 0 for r in prows)]
        h.append("<h2>Energy by procedure</h2><p>Per group over every replication%s: the "
                 "charge per delivered report (all the devices' energy at the battery "
                 "voltage) and the share of the group's energy per procedure, %%.</p>"
                 % (" and every sweep point" if res.swept else "") +
                 "<div class='wrap'><table><tr><th class='l'>group</th>"
                 "<th>&micro;Ah per report</th>%s</tr>"
                 % "".join("<th>%s, %%</th>" % p for p in used))
        for r in prows:
            k = r["key"]
            h.append("<tr><td class='l'>%s</td><td id='g%s-uah'>%s</td>%s</tr>"
                     % (html.escape(r["name"]), k, fmt(r["uah"]),
                        "".join("<td id='g%s-%s'>%s</td>" % (k, p, fmt(r["share"].get(p), 1))
                                for p in used)))
        h.append("</table></div>")
    if res.swept:
        ci = run.min_reps >= 2
        h.append("<h2>Sweep points</h2><p>One row per point: the mean over its replications%s (the figures clip the interval to the physical range)."
                 "</p>" % (" &plusmn; the half-width of the 95 % confidence interval "
                           "(Student t)" if ci else " (one replication: no confidence "
                           "interval)"))
        h.append("<div class='wrap'><table><tr><th>point</th>%s<th>replications</th>%s</tr>"
                 % ("".join("<th>%s</th>" % html.escape(run.readable(q)) for q in res.swept),
                    "".join("<th>%s</th>" % html.escape(t) for t, _, _ in metrics.values())))
        for pt in sorted(run.pv):
            vals = "".join("<td id='p%d-%s'>%s</td>" % (pt, html.escape(q), html.escape(
                run.value_text(q, run.pv[pt][q]).rsplit(" ", 1)[0]
                if not isinstance(run.pv[pt][q], str) else run.value_text(q, run.pv[pt][q])))
                for q in res.swept)
            cells = []
            for j, (key, (t, _, per)) in enumerate(metrics.items()):
                mu, hw = mean_ci(per.get(pt, []))
                d = 3 if key.startswith("ra_") else 2
                f = fmt_sig if key == "ra_collision" else (lambda v, d=d: fmt(v, d))
                cells.append("<td id='p%d-%s'>%s%s</td>" % (pt, key, f(mu),
                             " &plusmn; " + f(hw) if ci and math.isfinite(hw) else ""))
            h.append("<tr><td>%d</td>%s<td>%d</td>%s</tr>" % (pt, vals, run.reps.get(pt, 0),
                                                          "".join(cells)))
        h.append("</table></div>")
    h.append("<h2>Figures</h2><p>Each figure as a 300-dpi PNG and as a PDF (vector) beside "
             "this page.</p>")
    h += html_figures(figs, out=out)
    if skipped:
        h.append("<p>Not drawn: %s.</p>" % html.escape("; ".join(skipped)))
    h.append("</body></html>")
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(h))


def build_figures(res):
    """Every figure of one file (unsaved matplotlib figures) and the ones
    left out with the reason."""
    run = Run(res)
    metrics = point_metrics(run)
    figs, skipped = [], []
    plan = [("battery_life_cdf", lambda: fig_battery_life(run) if run.energy_evaluated else None,
             "energy not evaluated" if not run.energy_evaluated else "no finite battery life"),
            ("energy_states", lambda: fig_stacks(run, "states"),
             "energy not evaluated" if not run.energy_evaluated else "no energy by state"),
            ("energy_procedures", lambda: fig_stacks(run, "procedures"),
             "energy not evaluated" if not run.energy_evaluated else
             "no energy by procedure in the file"),
            ("random_access", lambda: fig_random_access(run, metrics), "no random access"),
            ("ra_delay_cdf", lambda: fig_ra_delay(run), "no access-delay CDF in the file"),
            ("latency_cdf", lambda: fig_latency(run), "no delivered report"),
            ("ce_levels", lambda: fig_ce(run), ""),
            ("coupling_loss", lambda: fig_cl(run), "no finite coupling loss"),
            ("timeseries", lambda: fig_timeseries(run), "no /timeseries in the file")]
    for name, make, why in plan:
        f = make()
        if not f:
            skipped.append("%s (%s)" % (name, why))
        else:
            figs += f if isinstance(f, list) else [f]
    if res.swept:
        # random access against the swept parameter: the random_access figure
        figs += fig_sweeps(run, {k: v for k, v in metrics.items() if not k.startswith("ra_")},
                           skipped)
    return run, metrics, figs, skipped


def report(path, out, save=True, figures=True):
    """The report of one file in out; returns build_figures' (run, metrics,
    figures, skipped) (save=False: only index.html, the figures left open
    and unsaved; figures=False: index.html with the tables alone)."""
    res = load(path)
    if figures:
        built = build_figures(res)
    else:
        run = Run(res)
        built = (run, point_metrics(run), [], [])
    run, metrics, figs, skipped = built
    os.makedirs(out, exist_ok=True)
    if save:
        for f in figs:
            pl.save(f, out)
    write_html(run, out, figs, group_rows(run), metrics, proc_rows(run), skipped)
    return built


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="mtcsim-report",
        description="Plots and tables from mtcsim results files. One file: its report "
        "(index.html, each figure as a 300-dpi PNG and a PDF). Several files: a comparison "
        "per device group (delivered share, latency mean and p95, mean power, battery life): "
        "a table (printed too) and a plot.")
    ap.add_argument("results", nargs="+", help="results file(s) (.h5)")
    ap.add_argument("-o", "--out", help="output folder (default: RESULTS_report for one "
                    "file, compare_report beside the first file for several)")
    ap.add_argument("--label", action="append", default=[],
                    help="name of a file in the comparison, once per file in order "
                    "(default: the file names)")
    args = ap.parse_args(argv)
    try:
        if len(args.results) == 1:
            if args.label:
                ap.error("--label is for comparisons (two files or more)")
            out = args.out or os.path.splitext(args.results[0])[0] + "_report"
            figs = report(args.results[0], out)[2]
            print("mtcsim-report: %s/index.html and %d figures (PNG and PDF)" % (out, len(figs)))
        else:
            from .compare import compare
            if args.label and len(args.label) != len(args.results):
                ap.error("--label: %d labels for %d files" % (len(args.label),
                                                             len(args.results)))
            out = args.out or os.path.join(os.path.dirname(args.results[0]) or ".",
                                           "compare_report")
            text = compare(args.results, args.label or None, out)[0]
            print(text)
            print("mtcsim-report: %s/index.html and compare.png / compare.pdf" % out)
    except (OSError, ValueError, KeyError) as e:
        print("mtcsim-report: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
