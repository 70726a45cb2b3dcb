"""Several results files side by side, per device group (matched by name):
delivered share, report latency (mean, and the mean of the devices' own
95th percentiles), mean power and battery life (devices in coverage).
Used by `mtcsim-report A.h5 B.h5 ...`."""

import html
import math
import os

import numpy as np

from . import load
from . import plotting as pl

# key, table header, axis label, digits
METRICS = (("delivered", "delivered, %", "reports delivered, %", 2),
           ("latency", "latency mean, ms", "report latency (mean), ms", 1),
           ("p95", "device p95 latency (mean), ms", "per-device p95 latency, mean over devices, ms",
            1),
           ("power", "power, mW", "mean power per device, mW", 4),
           ("life", "battery life, y", "battery life (mean, in coverage), years", 2))
# the figure's panels use the text after the last ", " as the unit


def per_group(res):
    """{group name: {metric: value, 'runs': device runs, 'oos': out of
    coverage}} over every replication (and point) of the file."""
    d = res.devices
    names = res.group_name_array("devices")
    cov = (d["out_of_coverage"] == 0) if "out_of_coverage" in d else np.ones(d.rows, bool)
    energy = res.config.get("cell", {}).get("ra_model", "") != "tr37868"
    order = [g for g in res.group_names if g in set(names.tolist())]
    out = {}
    for g in order:
        m = names == g
        gen = float(d["reports_generated"][m].sum())
        dl = np.asarray(d["reports_delivered"][m], dtype=float)
        ok = dl > 0
        lat = float((d["latency_ms_mean"][m][ok] * dl[ok]).sum() / dl.sum()) if dl.sum() \
            else math.nan
        p95 = np.asarray(d["latency_ms_p95"][m][ok], dtype=float) if "latency_ms_p95" in d \
            else np.array([])
        p95 = p95[np.isfinite(p95)]
        life = np.asarray(d["battery_life_years"][m & cov], dtype=float)
        life = life[np.isfinite(life)]
        out[g] = {"delivered": 100.0 * dl.sum() / gen if gen else math.nan,
                  "latency": lat,
                  "p95": float(p95.mean()) if len(p95) else math.nan,
                  "power": float(np.mean(d["avg_power_mw"][m])) if energy and m.any()
                  else math.nan,
                  "life": float(life.mean()) if energy and len(life) else math.nan,
                  "runs": int(m.sum()), "oos": int((m & ~cov).sum())}
    return out


def fmt(v, digits):
    return "-" if not math.isfinite(v) else "%.*f" % (digits, v)


def compare(paths, labels, out, save=True):
    """Writes out/index.html and out/compare.png|pdf; returns the text table
    and the figure (save=False: the figure left open and unsaved)."""
    runs = [load(p) for p in paths]
    labels = labels or [os.path.splitext(os.path.basename(p))[0] for p in paths]
    if len(set(labels)) != len(labels):
        labels = ["%s (%d)" % (lab, i + 1) for i, lab in enumerate(labels)]
    data = [per_group(r) for r in runs]
    groups = []
    for dd in data:
        groups += [g for g in dd if g not in groups]
    os.makedirs(out, exist_ok=True)
    # text table: one row per group and file
    w = max(12, max(len(g) for g in groups) + 2) if groups else 12
    lw = max(8, max(len(x) for x in labels) + 2)
    cw = [max(12, len(h) + 2) for _, h, _, _ in METRICS]
    lines = ["%-*s%-*s%12s" % (w, "group", lw, "run", "device runs") +
             "".join("%*s" % (c, h) for c, (_, h, _, _) in zip(cw, METRICS))]
    for g in groups:
        for lab, dd in zip(labels, data):
            if g in dd:
                v = dd[g]
                lines.append("%-*s%-*s%12d" % (w, g, lw, lab, v["runs"]) +
                             "".join("%*s" % (c, fmt(v[k], dg))
                                     for c, (k, _, _, dg) in zip(cw, METRICS)))
            else:
                lines.append("%-*s%-*s%12s" % (w, g, lw, lab, "(no such group)"))
    text = "\n".join(lines)
    # figure: one panel per metric (title: the metric, y label: its unit),
    # grouped bars (one per file) per group; the legend in the sixth panel
    fig, grid = pl.new_figure(7.0, 7.2, nrows=3, ncols=2)
    x = np.arange(len(groups))
    wd = 0.8 / len(labels)
    hatches = ("", "//", "..", "xx", "\\\\", "oo")
    for ax, (k, _, title, _) in zip(grid.flat, METRICS):
        for j, (lab, dd) in enumerate(zip(labels, data)):
            v = [dd[g][k] if g in dd else math.nan for g in groups]
            ax.bar(x + (j - (len(labels) - 1) / 2) * wd, v, wd, label=lab, color="C%d" % j,
                   hatch=hatches[j % len(hatches)], edgecolor="white")
        name, _, unit = title.rpartition(", ")
        vals = [dd[g][k] for dd in data for g in dd]
        if k != "delivered" and pl.spans_decades(vals, 1.0):  # e.g. 70 ms ... 59 s
            ax.set_yscale("log")
            pl.plain_log_labels(ax.yaxis)
            name += " (log scale)"
        ax.set_title(name, fontsize=9)
        ax.set_ylabel(unit)
        ax.set_xticks(x, groups, rotation=20 if len(groups) > 3 else 0)
        ax.grid(alpha=0.3, axis="y")
        if k == "delivered":
            ax.set_ylim(0, 100)
        if not np.isfinite([dd[g][k] for dd in data for g in dd]).any():
            ax.text(0.5, 0.5, "not evaluated", transform=ax.transAxes, ha="center")
    spare = grid.flat[len(METRICS)]
    spare.axis("off")
    h, lab = grid.flat[0].get_legend_handles_labels()
    spare.legend(h, lab, loc="center", frameon=False, title="run")
    names = ["%s = %s (%s, seed %s)" % (lab, os.path.basename(p), r.attrs.get("scenario_name"),
                                        r.attrs.get("seed"))
             for lab, p, r in zip(labels, paths, runs)]
    pl.finish(fig, "mtcsim-report comparison: " + "; ".join(names), 0.02)
    cap = ("Per device group (matched by name), over every replication%s of each file: %s. "
           "Latency p95 is the mean over the group's devices of each device's own 95th "
           "percentile (the file holds no per-group report quantile); battery life over the "
           "devices in coverage; a panel whose values span a decade or more has a log "
           "scale (its title says so)." % (
               " and sweep point" if any(r.swept for r in runs) else "", "; ".join(names)))
    f = pl.Figure("compare", fig, cap, "Comparison")
    if save:
        pl.save(f, out)
    h = []
    from .report import html_figures, html_head
    h += html_head("mtcsim comparison")
    h.append("<h1>mtcsim comparison</h1><ul>%s</ul>" % "".join(
        "<li>%s</li>" % html.escape(n) for n in names))
    h.append("<div class='wrap'><table><tr><th class='l'>group</th><th class='l'>run</th>"
             "<th>device runs</th><th>out of coverage</th>%s</tr>" %
             "".join("<th>%s</th>" % html.escape(hd) for _, hd, _, _ in METRICS))
    for g in groups:
        for i, (lab, dd) in enumerate(zip(labels, data)):
            if g not in dd:
                continue
            v = dd[g]
            h.append("<tr><td class='l'>%s</td><td class='l'>%s</td><td>%d</td><td>%d</td>%s"
                     "</tr>" % (html.escape(g), html.escape(lab), v["runs"], v["oos"], "".join(
                         "<td id='r%d-%s-%s'>%s</td>" % (i, html.escape(g), k, fmt(v[k], dg))
                         for k, _, _, dg in METRICS)))
    h.append("</table></div>")
    h += html_figures([f], out=out)
    h.append("</body></html>")
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(h))
    return text, f
