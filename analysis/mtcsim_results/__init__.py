"""mtcsim_results: load an mtcsim results file (HDF5) in one call.

    import mtcsim_results as mr
    res = mr.load("quickstart.h5")        # numpy arrays
    res.devices["battery_life_years"]     # one column
    res.points, res.cells, res.ra_delay_cdf, res.groups, res.energy_matrix
    res.timeseries, res.trace             # empty Tables when the file has none
    res.attrs, res.config, res.format_version
    res.swept                             # swept paths (sweeps), in order
    res.swept_values(path)                # one value per /points row (str or float)
    res.group_names                       # devices[i].name, scenario order
    devices = mr.frames("quickstart.h5")["devices"]   # pandas (python3-pandas)

Every table of the file is a group of 1-D columns of equal length
(README, "Results (HDF5)"); a Table maps column names to numpy arrays and
keeps each column's unit and doc. Fixed-length byte-string columns come
back decoded (numpy str arrays); every other column is the file's array.

Both file formats are read. Format 1: `group` and `device` 0-based, names
from /config/resolved, string swept values as indexes whose strings are in
the column doc. Format 2: `group` and `device` 1-based with a `group_name`
column, swept columns typed (float64 with a unit, or the strings
themselves, attribute swept = 1), and /timeseries. The helpers below
(group_name_array, swept_values, swept_unit, point_values) hide the
difference.
"""

import json
import re

import h5py
import numpy as np

__all__ = ["load", "frames", "Results", "Table", "readable_path"]

TABLES = ("points", "devices", "cells", "ra_delay_cdf", "groups", "energy_matrix", "timeseries",
          "trace")
# /points columns that are not swept paths
POINT_COLUMNS = {"point_id", "replication", "seed", "status", "wall_s", "events", "sim_time_s",
                 "model_bytes", "fleet_life_mean_years", "fleet_life_p5_years",
                 "fleet_life_p50_years", "fleet_share_10y", "fleet_excluded"}
# units of format-1 swept columns (which have none) guessed from the path's end
SUFFIX_UNITS = (("_ms", "ms"), ("_s", "s"), ("_dbm", "dBm"), ("_db", "dB"), ("_bytes", "B"),
                ("_mw", "mW"), ("_uw", "uW"), ("_wh", "Wh"), ("_mah", "mAh"), ("_v", "V"),
                ("_khz", "kHz"), ("_hz", "Hz"), ("_years", "y"))


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    return v


def _decode(a):
    """Fixed-length byte strings (UTF-8, NUL-padded) -> numpy str array."""
    if a.dtype.kind == "S":
        return np.array([x.decode("utf-8", "replace") for x in a.tolist()], dtype=str)
    if a.dtype.kind == "O":
        return np.array([_text(x) for x in a.tolist()], dtype=str)
    return a


class Table(dict):
    """Column name -> numpy array, plus .unit, .doc and .attrs per column."""

    def __init__(self):
        super().__init__()
        self.unit = {}
        self.doc = {}
        self.attrs = {}
        self.group_attrs = {}

    @property
    def rows(self):
        return len(next(iter(self.values()))) if self else 0


def readable_path(path):
    """A reader's name for a swept path: 'devices[1].traffic.period_s' ->
    'devices[1] traffic period'; the unit goes beside it (swept_unit)."""
    p = re.sub(r"_(ms|s|db|dbm|bytes|mw|uw|wh|mah|v|khz|hz|years)$", "", path)
    known = {"cell.rat": "radio (cell.rat)", "count": "device count"}
    if p in known:
        return known[p]
    head, _, last = p.rpartition(".")
    last = known.get(last, last.replace("_", " "))
    if head.startswith("devices[") and head.count(".") >= 1:
        grp, _, rest = head.partition(".")
        return "%s %s %s" % (grp, rest.replace(".", " ").replace("_", " "), last)
    return (head.replace(".", " ") + " " + last).strip() if head else last


class Results:
    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            self.attrs = {k: _text(v) for k, v in f.attrs.items()}
            if int(self.attrs.get("complete", 0)) != 1:
                raise ValueError("%s: not a complete mtcsim results file" % path)
            self.format_version = int(self.attrs.get("format_version", 1))
            for name in TABLES:
                t = Table()
                if name in f:
                    t.group_attrs = {k: _text(v) for k, v in f[name].attrs.items()}
                    for col, ds in f[name].items():
                        t[col] = _decode(ds[()])
                        t.attrs[col] = {k: _text(v) for k, v in ds.attrs.items()}
                        t.unit[col] = t.attrs[col].get("unit", "")
                        t.doc[col] = t.attrs[col].get("doc", "")
                setattr(self, name, t)
            self.config = json.loads(f["config/resolved"].asstr()[()])
            self.scenario = f["config/scenario"].asstr()[()]
            self.sweep_text = f["config/sweep"].asstr()[()] if "config/sweep" in f else None
        # the bin length of /timeseries (s); None without one
        self.timeseries_interval_s = (float(self.timeseries.group_attrs.get("interval_s", 1.0))
                                      if self.timeseries else None)
        if self.timeseries_interval_s is not None and not np.isfinite(self.timeseries_interval_s):
            # sweep points with different intervals (NaN): the most common bin length
            vals, counts = np.unique(self.timeseries["dt_s"], return_counts=True)
            self.timeseries_interval_s = float(vals[np.argmax(counts)])
        self.group_names = [g.get("name", "group %d" % (i + 1))
                            for i, g in enumerate(self.config.get("devices", []))]
        # format 2 numbers groups (and devices within a cell) from 1
        self.group_base = 1 if self.format_version >= 2 else 0
        marked = [c for c in self.points if str(self.points.attrs[c].get("swept", "0")) == "1"]
        if self.sweep_text:  # the sweep's own order (the header line of /config/sweep)
            head = self.sweep_text.splitlines()[0].split()[1:]
            self.swept = [q for q in head if q in self.points] or marked
        elif marked:
            self.swept = marked
        else:
            self.swept = [c for c in self.points if self.points.doc[c].startswith("swept value")]

    # ---- groups ---------------------------------------------------------
    def group_name(self, g):
        """The name of group number g as the file numbers it."""
        i = int(g) - self.group_base
        return self.group_names[i] if 0 <= i < len(self.group_names) else "group %d" % int(g)

    def group_name_array(self, table):
        """One group name per row of a table with a `group` column."""
        t = getattr(self, table) if isinstance(table, str) else table
        if "group_name" in t:
            return np.asarray(t["group_name"], dtype=str)
        return np.array([self.group_name(g) for g in t["group"].tolist()], dtype=str)

    # ---- swept values ---------------------------------------------------
    def swept_labels(self, path):
        """Format 1: the strings of a string-valued swept path by index, from
        the column doc ("index into: 0 = "nbiot", 1 = "ltem""); None for
        numbers and for format 2 (whose columns hold the strings)."""
        doc = self.points.doc.get(path, "")
        if "index into:" not in doc:
            return None
        labels = {}
        # the values are Lua string literals: "..." with \" \\ and \ddd escapes
        for k, lit in re.findall(r'(\d+) = "((?:[^"\\]|\\.)*)"', doc.split("index into:", 1)[1]):
            labels[int(k)] = re.sub(r"\\(\d{1,3}|.)", lambda m: chr(int(m.group(1)))
                                    if m.group(1).isdigit() else m.group(1), lit)
        return labels

    def swept_is_string(self, path):
        return self.points[path].dtype.kind == "U" or self.swept_labels(path) is not None

    def swept_values(self, path):
        """The swept value of every /points row: a str array for strings (both
        formats), else a float array."""
        col = self.points[path]
        if col.dtype.kind == "U":
            return col
        labels = self.swept_labels(path)
        if labels is not None:
            return np.array([labels.get(int(v), str(v)) for v in col.tolist()], dtype=str)
        return np.asarray(col, dtype=float)

    def swept_unit(self, path):
        """The unit of a swept path: the column's (format 2); format 1 has
        none, so it is read off the path's end (_s, _db, _bytes ...)."""
        if self.swept_is_string(path):
            return ""
        u = self.points.unit.get(path, "")
        if u or self.format_version >= 2:
            return u
        low = path.lower()
        for suf, unit in SUFFIX_UNITS:
            if low.endswith(suf):
                return unit
        return ""

    def point_ids(self):
        return sorted(set(self.points["point_id"].tolist())) if self.points else [0]

    def point_values(self):
        """{point_id: {swept path: value}} (empty dicts without a sweep)."""
        pid = self.points["point_id"]
        out = {}
        for q in self.swept:
            vals = self.swept_values(q)
            for i, p in enumerate(pid.tolist()):
                v = vals[i]
                out.setdefault(p, {})[q] = str(v) if vals.dtype.kind == "U" else float(v)
        for p in self.point_ids():
            out.setdefault(p, {})
        return out


def load(path):
    """The whole results file as numpy arrays (a Results object)."""
    return Results(path)


def frames(path):
    """The tables as pandas DataFrames (dict name -> DataFrame; needs pandas,
    Debian's python3-pandas). Tables with a `group` column get `group_name`
    (format 1: from the configuration); tables with `point_id` get one column
    per swept path, joined by point_id:

        devices = mtcsim_results.frames("sweep.h5")["devices"]
    """
    import pandas as pd  # optional dependency

    res = load(path)
    pv = res.point_values()
    out = {}
    for name in TABLES:
        t = getattr(res, name)
        if not t:
            continue
        df = pd.DataFrame(dict(t))
        if name != "points":
            if "group" in df and "group_name" not in df:
                df.insert(list(df.columns).index("group") + 1, "group_name",
                          res.group_name_array(t))
            if "point_id" in df and res.swept:
                sw = pd.DataFrame([{"point_id": p, **pv[p]} for p in sorted(pv)])
                sw["point_id"] = sw["point_id"].astype(df["point_id"].dtype)
                df = df.merge(sw, on="point_id", how="left", validate="many_to_one")
        else:
            for q in res.swept:  # format 1 string indexes -> the strings
                df[q] = res.swept_values(q)
        out[name] = df
    return out
