#!/usr/bin/python3
"""Prints two mtcsim results files of the same fleet side by side, per
device group: delivered share, report latency (mean and 95th percentile
over the group's reports), mean average power and battery life.
usage: scripts/side_by_side.py A.h5 B.h5 [label_a label_b]"""
import json
import sys

import h5py
import numpy as np


def per_group(path):
    with h5py.File(path, "r") as f:
        cfg = json.loads(f["config/resolved"][()])
        names = [g["name"] for g in cfg["devices"]]
        d = {k: f["devices"][k][()] for k in
             ("group", "reports_generated", "reports_delivered", "latency_ms_mean",
              "latency_ms_p95", "avg_power_mw", "battery_life_years", "out_of_coverage")
             if k in f["devices"]}
    out = {}
    cov = (d["out_of_coverage"] == 0) if "out_of_coverage" in d else np.ones(len(d["group"]), bool)
    for g, name in enumerate(names):
        m = d["group"] == g
        gen, dl = d["reports_generated"][m].sum(), d["reports_delivered"][m]
        ok = dl > 0
        lat = (d["latency_ms_mean"][m][ok] * dl[ok]).sum() / max(dl.sum(), 1)
        out[name] = (100.0 * dl.sum() / max(gen, 1), lat,
                     float(np.nanmean(d["latency_ms_p95"][m][ok])) if ok.any() else float("nan"),
                     float(d["avg_power_mw"][m].mean()),
                     # battery life over the devices in coverage (out-of-coverage
                     # ones search all along; files before the flag: all)
                     float(d["battery_life_years"][m & cov].mean()) if (m & cov).any()
                     else float("nan"))
    return out


def main():
    a, b = sys.argv[1], sys.argv[2]
    la, lb = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("A", "B")
    ga, gb = per_group(a), per_group(b)
    hdr = ("delivered %", "latency ms", "p95 ms", "power mW", "life y")
    print("%-12s" % "group" + "".join("%22s" % h for h in hdr))
    print("%-12s" % "" + "".join("%11s%11s" % (la, lb) for _ in hdr))
    for name in ga:
        if name not in gb:
            continue
        x, y = ga[name], gb[name]
        cells = ["%11.2f%11.2f" % (x[0], y[0]), "%11.1f%11.1f" % (x[1], y[1]),
                 "%11.1f%11.1f" % (x[2], y[2]), "%11.4f%11.4f" % (x[3], y[3]),
                 "%11.2f%11.2f" % (x[4], y[4])]
        print("%-12s" % name + "".join(cells))


if __name__ == "__main__":
    main()
