#!/usr/bin/env python3
"""Energy per report of each group of a results file (scenarios/pur.lua).

For each group of /groups: reports delivered, the energy the reports cost
(the group's energy without the sleep between them: procedures psm_sleep
and paging), in mJ per delivered report, its procedures' shares, the PUR
counts of /devices, mean latency and battery life; then, per coupling
loss in the group names (name_<cl>), each scheme's energy per report
relative to the others'. Usage: pur_compare.py RESULTS.h5
"""

import sys

import h5py
import numpy as np

SLEEP = ("psm_sleep", "paging")


def main(path):
    with h5py.File(path, "r") as f:
        g = f["groups"]
        d = f["devices"]
        names = [n.decode() for n in g["group_name"][:]]
        procs = sorted(k[len("energy_j_"):] for k in g.keys() if k.startswith("energy_j_"))
        rows = {}
        print("group       reports  mJ/report  (of which pur / access / ul+dl data / sync)  "
              "PUR reports fallbacks TA-invalid  latency s  life y")
        for i, name in enumerate(names):
            delivered = float(g["reports_delivered"][i])
            active = sum(float(g["energy_j_" + p][i]) for p in procs if p not in SLEEP)
            per = 1e3 * active / delivered if delivered else float("nan")
            part = {p: 1e3 * float(g["energy_j_" + p][i]) / delivered if delivered else float("nan")
                    for p in procs}
            sel = d["group"][:] == i + 1
            pur = int(d["pur_reports"][sel].sum())
            fb = int(d["pur_fallbacks"][sel].sum())
            ta = int(d["pur_ta_invalid"][sel].sum())
            lat = (float(np.nanmean(d["latency_ms_mean"][sel])) / 1e3
                   if np.any(np.isfinite(d["latency_ms_mean"][sel])) else float("nan"))
            life = float(np.mean(d["battery_life_years"][sel]))
            rows[name] = per
            print(f"{name:10s} {int(delivered):8d} {per:10.2f}  ({part['pur']:.2f} / "
                  f"{part['access']:.2f} / {part['ul_data'] + part['dl_data']:.2f} / "
                  f"{part['sync']:.2f})  {pur:11d} {fb:9d} {ta:10d} {lat:10.2f} {life:7.2f}")
        cls = sorted({n.rsplit("_", 1)[1] for n in names if "_" in n})
        for cl in cls:
            e = {s: rows.get(f"{s}_{cl}") for s in ("ra", "edt", "pur")}
            if None in e.values():
                continue
            print(f"{cl} dB: PUR saves {100 * (1 - e['pur'] / e['edt']):.1f} % against EDT, "
                  f"{100 * (1 - e['pur'] / e['ra']):.1f} % against random access "
                  f"(RA / PUR = {e['ra'] / e['pur']:.2f}x; EDT saves "
                  f"{100 * (1 - e['edt'] / e['ra']):.1f} % against RA)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
