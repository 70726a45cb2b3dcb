"""mtcsim_results: load an mtcsim results file (HDF5) in one call.

    import mtcsim_results as mr
    res = mr.load("quickstart.h5")        # numpy arrays
    res.devices["battery_life_years"]     # one column
    res.points, res.cells, res.ra_delay_cdf, res.groups, res.energy_matrix
    res.attrs, res.config
    res.swept                             # swept paths (sweeps), in order
    res.group_names                       # devices[i].name by group index
    frames = mr.frames("quickstart.h5")   # pandas DataFrames, if pandas is installed

Every table of the file is a group of 1-D columns of equal length
(README, "Results (HDF5)"); a Table maps column names to numpy arrays and
keeps each column's unit and doc.
"""

import json
import re

import h5py
import numpy as np

TABLES = ("points", "devices", "cells", "ra_delay_cdf", "groups", "energy_matrix")
# /points columns that are not swept paths
POINT_COLUMNS = {"point_id", "replication", "seed", "status", "wall_s", "events", "sim_time_s",
                 "model_bytes", "fleet_life_mean_years", "fleet_life_p5_years",
                 "fleet_life_p50_years", "fleet_share_10y", "fleet_excluded"}


class Table(dict):
    """Column name -> numpy array, plus .unit and .doc per column."""

    def __init__(self):
        super().__init__()
        self.unit = {}
        self.doc = {}

    @property
    def rows(self):
        return len(next(iter(self.values()))) if self else 0


class Results:
    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            self.attrs = {k: (v.decode() if isinstance(v, bytes) else v)
                          for k, v in f.attrs.items()}
            if int(self.attrs.get("complete", 0)) != 1:
                raise ValueError("%s: not a complete mtcsim results file" % path)
            for name in TABLES:
                t = Table()
                if name in f:
                    for col, ds in f[name].items():
                        t[col] = ds[()]
                        t.unit[col] = ds.attrs.get("unit", b"")
                        t.doc[col] = ds.attrs.get("doc", b"")
                        for d in (t.unit, t.doc):
                            if isinstance(d[col], bytes):
                                d[col] = d[col].decode()
                setattr(self, name, t)
            self.config = json.loads(f["config/resolved"].asstr()[()])
            self.scenario = f["config/scenario"].asstr()[()]
            self.sweep_text = f["config/sweep"].asstr()[()] if "config/sweep" in f else None
        self.group_names = [g["name"] for g in self.config.get("devices", [])]
        # format 2 numbers groups from 1 (devices[g]); this loader's users
        # index group_names from 0 (interim, until the package reads both)
        if int(self.attrs.get("format_version", 1)) >= 2:
            for name in ("devices", "groups", "energy_matrix"):
                t = getattr(self, name)
                if "group" in t:
                    t["group"] = t["group"] - 1
            # swept strings: indexes with the format 1 doc (interim, as above)
            for col, v in list(self.points.items()):
                if getattr(v, "dtype", None) is not None and v.dtype.kind == "S" and \
                        self.points.doc[col].startswith("swept"):
                    vals = list(dict.fromkeys(v.tolist()))
                    self.points[col] = np.array([float(vals.index(x)) for x in v.tolist()])
                    self.points.doc[col] = "swept value, index into:" + ",".join(
                        ' %d = "%s"' % (i, x.decode().replace("\\", "\\\\").replace('"', '\\"'))
                        for i, x in enumerate(vals))
        # swept paths in the file's column order (name order), from the
        # /config/sweep header when present (the sweep's own order)
        if self.sweep_text:
            self.swept = self.sweep_text.splitlines()[0].split()[1:]
        else:
            self.swept = [c for c in self.points if self.points.doc[c].startswith("swept value")]

    def swept_labels(self, path):
        """Display labels of a swept path's values: strings from the column doc
        ("index into: 0 = "nbiot", 1 = "ltem""), numbers as they are."""
        doc = self.points.doc.get(path, "")
        if "index into:" not in doc:
            return None
        labels = {}
        # the values are Lua string literals: "..." with \" \\ and \ddd escapes
        for k, lit in re.findall(r'(\d+) = "((?:[^"\\]|\\.)*)"', doc.split("index into:", 1)[1]):
            labels[int(k)] = re.sub(r"\\(\d{1,3}|.)", lambda m: chr(int(m.group(1)))
                                    if m.group(1).isdigit() else m.group(1), lit)
        return labels


def load(path):
    """The whole results file as numpy arrays (a Results object)."""
    return Results(path)


def frames(path):
    """The tables as pandas DataFrames (dict name -> DataFrame); needs pandas."""
    import pandas as pd  # optional dependency

    res = load(path)
    return {name: pd.DataFrame(dict(getattr(res, name))) for name in TABLES
            if getattr(res, name)}
