"""End-to-end test of the HDF5 results file of `mtcsim run`.

Runs small NB-IoT scenarios written here and checks, with h5py, the layout
of the file (root attributes, /config, the column tables of runner.c, their
types and storage) and invariants of the values (report conservation, time
and energy per power state with power-controlled transmit draw, battery
life, CE levels and coverage, random-access counters per device and per
cell, latency growing with coupling loss, report counts of periodic,
Poisson and TR 45.820 traffic, buffer overflow), each with a stated
tolerance.
"""

import datetime
import json
import math
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

DAY = 86400.0
STATES = lib.STATES
PROCS = lib.PROCS
SEED = 7
PERIOD_S = 1800.0      # periodic groups: one report per 30 min, random phase
MEAN_INTERVAL_S = 600  # alarms: Poisson

# The default cell (mac_radio_cfg_default): NRSRP = 43 dBm - 10 log10(12)
# - CL; CE thresholds -112 and -122 dBm put the level edges at 144.2 and
# 154.2 dB; resynchronisation after sleep 100, 400, 1200 ms; NPRACH periods
# 160, 320, 1280 ms, all starting 8 ms into the period.
ENB_TX_DBM = 43.0
RSRP_THRESHOLDS = (-112.0, -122.0)
SYNC_MS = (100.0, 400.0, 1200.0)
NPRACH_PERIOD_MS = (160, 320, 1280)
NPRACH_START_MS = 8
UE_MIN_DBM = -40.0  # TS 36.101 minimum output power
OUT_OF_COVERAGE = 4  # MAC_MAX_CE: one past the last CE level either radio has

# mtc.modules.tr45820, the default module (energy.c).
DEFAULT_MODULE = dict(tx_mw=543.0, rx_mw=90.0, connected_mw=3.0, idle_mw=3.0, cdrx_mw=3.0, psm_mw=0.015,
                      edrx_mw=0.015,
                      tx_ref_dbm=23.0, pa_efficiency=0.45)

# Device groups, in order. Powers (mW) are distinct per state and group so
# that a mix-up shows. `cl`: fixed coupling loss in dB (None: TR 45.820
# composition). `ce`: the CE level the fixed coupling loss must give.
GROUPS = [
    dict(name="meters", count=200, traffic="periodic", payload=40, cl=140.0, ce=0,
         sleep="psm", rai=True, tx_max_dbm=23.0, capacity_wh=5.0,
         module=dict(tx_mw=500.0, rx_mw=80.0, connected_mw=4.0, idle_mw=2.5, cdrx_mw=1.5, psm_mw=0.01,
                     edrx_mw=0.012,
                     tx_ref_dbm=23.0, pa_efficiency=0.45)),
    # Power class 20 dBm below a 23 dBm reference: the draw never reaches tx_mw.
    dict(name="alarms", count=100, traffic="poisson", payload=30, cl=None, ce=None,
         sleep="idle", rai=False, tx_max_dbm=20.0, capacity_wh=2.5,
         module=dict(tx_mw=450.0, rx_mw=70.0, connected_mw=5.0, idle_mw=3.5, cdrx_mw=2.0, psm_mw=0.02,
                     edrx_mw=0.03,
                     tx_ref_dbm=23.0, pa_efficiency=0.5)),
    dict(name="ce1", count=1, traffic="periodic", payload=40, cl=150.0, ce=1,
         sleep="psm", rai=True, tx_max_dbm=23.0, capacity_wh=5.0, module=DEFAULT_MODULE),
    dict(name="ce2", count=1, traffic="periodic", payload=40, cl=160.0, ce=2,
         sleep="psm", rai=True, tx_max_dbm=23.0, capacity_wh=5.0, module=DEFAULT_MODULE),
    dict(name="ooc", count=1, traffic="periodic", payload=40, cl=200.0, ce=OUT_OF_COVERAGE,
         sleep="psm", rai=True, tx_max_dbm=23.0, capacity_wh=5.0, module=DEFAULT_MODULE),
    # The TR 36.942 macro minimum coupling loss: open-loop power control asks
    # for less than the UE's minimum output (-120 dBm target + 70 dB).
    dict(name="near", count=1, traffic="periodic", payload=40, cl=70.0, ce=0,
         sleep="psm", rai=True, tx_max_dbm=23.0, capacity_wh=5.0, module=DEFAULT_MODULE),
]
G_METERS, G_ALARMS, G_CE1, G_CE2, G_OOC, G_NEAR = range(len(GROUPS))
PERIODIC = [i for i, g in enumerate(GROUPS) if g["traffic"] == "periodic"]
# Woken from PSM for every report and released at once (RAI).
ASLEEP_BETWEEN = [i for i, g in enumerate(GROUPS) if g["sleep"] == "psm" and g["rai"]]


def lua_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % v
    return repr(v)


def group_lua(g):
    m = ", ".join("%s = %s" % (k, lua_value(v)) for k, v in g["module"].items())
    if g["traffic"] == "periodic":
        traffic = ('{ kind = "periodic", period_s = %r, random_phase = true, '
                   'payload = mtc.payload.fixed(%d) }' % (PERIOD_S, g["payload"]))
    else:
        traffic = "mtc.traffic.poisson(%d, mtc.payload.fixed(%d))" % (MEAN_INTERVAL_S,
                                                                      g["payload"])
    cov = ("mtc.coverage.fixed(%r)" % g["cl"]) if g["cl"] is not None \
        else "mtc.coverage.tr45820()"
    return """\
    {
      name = "%s",
      count = %d,
      traffic = %s,
      module = { %s },
      battery = { capacity_wh = %r },
      coverage = %s,
      idle = { psm = %s },
      rai = %s,
      tx_max_dbm = %r,
    },
""" % (g["name"], g["count"], traffic, m, g["capacity_wh"], cov,
       lua_value(g["sleep"] == "psm"),
       lua_value(g["rai"]), g["tx_max_dbm"])


LAYOUT_SCENARIO = """\
-- Device groups for the results layout test.
local mtc = require "mtc"

return mtc.scenario {
  name = "layout",
  duration = mtc.days(1),
  seed = %d,
  replications = 2,
  cell = { rat = "nbiot" },
  devices = {
%s  },
}
""" % (SEED, "".join(group_lua(g) for g in GROUPS))

# Poisson reports every 2 s on average at 160 dB (CE level 2: one report
# takes seconds): the buffer of 2 overflows.
OVERFLOW_COUNT, OVERFLOW_DURATION, OVERFLOW_MEAN = 5, 3600, 2
OVERFLOW_SCENARIO = """\
local mtc = require "mtc"
return {
  name = "overflow",
  duration = %d,
  devices = {
    { count = %d,
      traffic = mtc.traffic.poisson(%d, mtc.payload.fixed(10)),
      coverage = mtc.coverage.fixed(160),
      max_pending = 2 },
  },
}
""" % (OVERFLOW_DURATION, OVERFLOW_COUNT, OVERFLOW_MEAN)

MIX_SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "mix",
  duration = mtc.days(1),
  devices = { { count = 2000, traffic = mtc.tr45820.mar_periodic(),
                coverage = mtc.coverage.tr45820(), rai = true } },
}
"""

# Columns written by sim/runner.c and their HDF5 types.
U8, U32, U64, F64 = np.dtype("<u1"), np.dtype("<u4"), np.dtype("<u8"), np.dtype("<f8")
POINTS_COLUMNS = dict(point_id=U32, replication=U32, seed=U64, status=U8, wall_s=F64,
                      events=U64, sim_time_s=F64, model_bytes=U64, fleet_excluded=U64)
NAME = np.dtype("S64")  # group names: fixed-width UTF-8 (sim/runner.c GROUP_NAME_W)
DEVICES_COLUMNS = dict(point_id=U32, replication=U32, cell=U32, device=U32, group=U32,
                       group_name=NAME,
                       ce_level=U8, coupling_loss_db=F64, rsrp_dbm=F64, ul_snr_db=F64,
                       dl_snr_db=F64, reports_generated=U32, reports_delivered=U32,
                       reports_dropped=U32, reports_failed=U32, reports_pending=U32,
                       bytes_delivered=U64, ra_attempts=U32, ra_collisions=U32,
                       ra_failures=U32, ce_escalations=U32, out_of_coverage=U8,
                       cell_searches=U32, si_reads=U32, harq_retx=U32, false_pages=U32,
                       paging_carrier=U8, carrier=U8,
                       pur_reports=U32, pur_transmissions=U32, pur_fallbacks=U32,
                       pur_ta_invalid=U32, pur_skipped=U32, pur_releases=U32,
                       npusch_reps_mean=F64, latency_ms_mean=F64, latency_ms_p50=F64,
                       latency_ms_p95=F64, latency_ms_max=F64, energy_j=F64, avg_power_mw=F64,
                       avg_current_ua=F64, battery_life_years=F64)
for _s in STATES + PROCS:
    DEVICES_COLUMNS["time_s_" + _s] = F64
    DEVICES_COLUMNS["energy_j_" + _s] = F64
GROUPS_COLUMNS = dict(point_id=U32, replication=U32, cell=U32, group=U32, group_name=NAME,
                      devices=U32, tx_max_dbm=F64, edge_db=F64, out_of_coverage=U32,
                      reports_delivered=U64, energy_j=F64, voltage_v=F64,
                      charge_uah_per_report=F64)
for _p in PROCS:
    GROUPS_COLUMNS["energy_j_" + _p] = F64
    GROUPS_COLUMNS["time_s_" + _p] = F64
    GROUPS_COLUMNS["share_" + _p] = F64
MATRIX_COLUMNS = dict(point_id=U32, replication=U32, cell=U32, group=U32, group_name=NAME,
                      procedure=U8, procedure_name=np.dtype("S16"), state_name=np.dtype("S16"),
                      state=U8, time_s=F64, energy_j=F64)
CELLS_COLUMNS = dict(point_id=U32, replication=U32, cell=U32, devices=U32, out_of_coverage=U32,
                     reports_generated=U64, reports_delivered=U64, reports_dropped=U64,
                     reports_failed=U64, reports_pending=U64, edt_reports=U64,
                     pur_reports=U64, pur_transmissions=U64, pur_fallbacks=U64,
                     pur_ta_invalid=U64, pur_skipped=U64, pur_releases=U64, pur_ul_util=F64,
                     bytes_delivered=U64,
                     latency_ms_mean=F64, latency_ms_p50=F64, latency_ms_p95=F64,
                     latency_ms_max=F64, energy_j=F64, events=U64,
                     npdcch_npdsch_utilisation=F64, npusch_utilisation=F64,
                     false_pages=U64)
CE_STATS = ("opportunities", "preambles", "collided", "detected", "successes", "failures",
            "rar_pdus", "rar_missed")
for _k in range(3):
    for _s in CE_STATS:
        CELLS_COLUMNS["ce%d_%s" % (_k, _s)] = U64
UNITS = {"/devices/energy_j": "J", "/devices/time_s_tx": "s", "/devices/latency_ms_p95": "ms",
         "/devices/avg_power_mw": "mW", "/devices/avg_current_ua": "uA",
         "/devices/battery_life_years": "y",
         "/devices/coupling_loss_db": "dB", "/devices/rsrp_dbm": "dBm",
         "/devices/ul_snr_db": "dB", "/devices/dl_snr_db": "dB", "/devices/bytes_delivered": "B",
         "/points/wall_s": "s", "/cells/energy_j": "J", "/cells/latency_ms_max": "ms",
         "/devices/energy_j_access": "J", "/devices/time_s_tau": "s",
         "/groups/charge_uah_per_report": "uAh", "/groups/voltage_v": "V",
         "/groups/tx_max_dbm": "dBm", "/groups/edge_db": "dB",
         "/groups/share_paging": "", "/energy_matrix/time_s": "s"}


def to_us(seconds):
    """Times in the file are integer microseconds / 1e6: recover them exactly."""
    return np.rint(np.asarray(seconds) * 1e6).astype(np.int64)


def text_of(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def tx_draw_mw(module, out_dbm):
    """Transmit supply power at out_dbm output (energy.c energy_tx_power_mw)."""
    ref, out = 10 ** (module["tx_ref_dbm"] / 10), 10 ** (out_dbm / 10)
    return module["tx_mw"] - (ref - out) / module["pa_efficiency"]


def expected_ce(rsrp_dbm):
    """CE level of an RSRP by the default thresholds (TS 36.321 5.1.1)."""
    for k, thr in enumerate(RSRP_THRESHOLDS):
        if rsrp_dbm >= thr:
            return k
    return len(RSRP_THRESHOLDS)


class ResultsLayout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="mtcsim-layout-")
        d = cls._tmp.name
        cls.scenario = lib.write_scenario(d, "layout.lua", LAYOUT_SCENARIO)
        cls.out = os.path.join(d, "layout.h5")
        cls.res = lib.run_mtcsim(["run", cls.scenario, "-o", cls.out, "--threads", "2"])
        cls.t_run = datetime.datetime.now(datetime.timezone.utc)
        cls.data = lib.read_datasets(cls.out) if cls.res.returncode == 0 else {}
        cls.dev = {k.split("/")[2]: v for k, v in cls.data.items() if k.startswith("/devices/")}
        # the file's groups are 1-based (devices[g]); GROUPS here is indexed from 0
        cls.g0 = cls.dev["group"] - 1 if "group" in cls.dev else None
        cls.cells = {k.split("/")[2]: v for k, v in cls.data.items() if k.startswith("/cells/")}
        cls.points = {k.split("/")[2]: v for k, v in cls.data.items()
                      if k.startswith("/points/")}
        cls.nrep, cls.ndev = 2, sum(g["count"] for g in GROUPS)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        lib.assert_ok(self, self.res)

    def group_mask(self, *groups):
        return np.isin(self.g0, groups)

    def per_device(self, key):
        """A group property as one value per device row."""
        return np.array([GROUPS[g][key] for g in self.g0])

    def module_of(self, key):
        return np.array([GROUPS[g]["module"][key] for g in self.g0])

    # ------------------------------------------------------------- layout

    def test_root_attributes(self):
        ver = lib.run_ok(self, ["--version"]).stdout.split()
        with h5py.File(self.out, "r") as f:
            a = dict(f.attrs)
        self.assertEqual(text_of(a["format"]), "mtcsim")
        self.assertEqual(int(a["format_version"]), 2)
        self.assertEqual(text_of(a["software_version"]), ver[1])  # "mtcsim 0.1.0 (git ..."
        sha = text_of(a["git_sha"])
        self.assertTrue(sha, "empty git_sha")
        self.assertIn("git " + sha, " ".join(ver))
        self.assertEqual(text_of(a["rng_algorithm"]), "philox4x64-10")
        self.assertEqual(int(a["seed"]), SEED)
        self.assertEqual(text_of(a["scenario_name"]), "layout")
        self.assertEqual(text_of(a["scenario_file"]), self.scenario)
        self.assertEqual(int(a["complete"]), 1)
        cmd = text_of(a["command_line"])
        self.assertIn(self.scenario, cmd)
        self.assertIn(" run ", cmd)
        created = text_of(a["created"])
        self.assertRegex(created, r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
        t = datetime.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        self.assertLess(abs((self.t_run - t).total_seconds()), 600, "created is not now (UTC)")

    def test_config(self):
        with open(self.scenario, "rb") as f:
            source = f.read()
        scen = self.data["/config/scenario"]
        self.assertEqual(scen if isinstance(scen, bytes) else scen.encode("utf-8"), source)
        cfg = json.loads(text_of(self.data["/config/resolved"]))
        self.assertEqual(cfg["name"], "layout")
        self.assertEqual(cfg["duration"], DAY)
        self.assertEqual(cfg["seed"], SEED)
        self.assertEqual(cfg["replications"], 2)
        self.assertEqual(cfg["engine"]["queue"], "radix")
        # The default cell: three CE levels.
        cell = cfg["cell"]
        self.assertEqual(cell["rat"], "nbiot")
        self.assertEqual(cell["plane"], "cp")
        self.assertEqual(len(cell["ce_levels"]), 3)
        for k, lvl in enumerate(cell["ce_levels"]):
            self.assertEqual(lvl["nprach_period_ms"], NPRACH_PERIOD_MS[k])
            self.assertEqual(lvl["nprach_start_ms"], NPRACH_START_MS)
            self.assertEqual(lvl["sync_ms"], SYNC_MS[k])
            if k < 2:
                self.assertEqual(lvl["rsrp_threshold_dbm"], RSRP_THRESHOLDS[k])
        self.assertEqual(cell["link"]["enb_tx_dbm"], ENB_TX_DBM)
        self.assertEqual(len(cfg["devices"]), len(GROUPS))
        g0, g1 = cfg["devices"][:2]
        self.assertEqual(g0["traffic"]["kind"], "periodic")
        self.assertEqual(g0["traffic"]["period_s"], PERIOD_S)
        self.assertIs(g0["traffic"]["random_phase"], True)
        self.assertEqual(g0["traffic"]["payload"], {"kind": "fixed", "bytes": 40})
        self.assertEqual(g1["traffic"]["kind"], "poisson")
        self.assertEqual(g1["traffic"]["mean_interval_s"], MEAN_INTERVAL_S)
        self.assertNotIn("period_s", g1["traffic"])  # only the fields of the variant
        # tr45820 coverage: its own fields with their defaults, no fixed_db.
        self.assertEqual(g1["coverage"]["kind"], "tr45820")
        self.assertNotIn("fixed_db", g1["coverage"])
        self.assertEqual(g1["coverage"]["isd_m"], 1732)
        for g, want in zip(cfg["devices"], GROUPS):
            with self.subTest(group=want["name"]):
                self.assertEqual(g["name"], want["name"])
                self.assertEqual(g["count"], want["count"])
                self.assertIs(g["idle"]["psm"], want["sleep"] == "psm")
                self.assertIs(g["rai"], want["rai"])
                self.assertEqual(g["tx_max_dbm"], want["tx_max_dbm"])
                for k, v in want["module"].items():
                    self.assertEqual(g["module"][k], v, k)
                self.assertEqual(g["battery"]["capacity_wh"], want["capacity_wh"])
                if want["cl"] is not None:
                    self.assertEqual(g["coverage"], {"kind": "fixed", "fixed_db": want["cl"]})
                self.assertEqual(g["max_pending"], 16)
                self.assertNotIn("exchange", g)

    def test_tables_columns_types_storage(self):
        tables = {"/points": (POINTS_COLUMNS, self.nrep),
                  "/devices": (DEVICES_COLUMNS, self.nrep * self.ndev),
                  "/cells": (CELLS_COLUMNS, self.nrep),
                  "/groups": (GROUPS_COLUMNS, self.nrep * len(GROUPS)),
                  "/energy_matrix": (MATRIX_COLUMNS,
                                     self.nrep * len(GROUPS) * len(PROCS) * len(STATES))}
        with h5py.File(self.out, "r") as f:
            for group, (columns, rows) in tables.items():
                self.assertIn(group, f)
                names = set(f[group].keys())
                self.assertTrue(set(columns) <= names,
                                "%s lacks %s" % (group, set(columns) - names))
                for name in sorted(names):  # every column, also ones added later
                    ds = f[group][name]
                    with self.subTest(dataset=ds.name):
                        self.assertEqual(ds.shape, (rows,))
                        if name in columns:
                            self.assertEqual(ds.dtype, columns[name])
                        self.assertIsNotNone(ds.chunks, "not chunked")
                        self.assertTrue(ds.shuffle, "no shuffle filter")
                        self.assertEqual(ds.compression, "gzip")
                        self.assertIn("unit", ds.attrs)
                        self.assertTrue(text_of(ds.attrs["doc"]), "empty doc")
                        if ds.name in UNITS:
                            self.assertEqual(text_of(ds.attrs["unit"]), UNITS[ds.name])

    def test_points(self):
        p = {k.split("/")[2]: v for k, v in self.data.items() if k.startswith("/points/")}
        np.testing.assert_array_equal(p["replication"], [0, 1])
        np.testing.assert_array_equal(p["point_id"], [0, 0])
        np.testing.assert_array_equal(p["seed"], [SEED, SEED])
        np.testing.assert_array_equal(p["status"], [1, 1])
        np.testing.assert_array_equal(p["sim_time_s"], [DAY, DAY])
        self.assertTrue(np.all(p["events"] > 0))
        self.assertTrue(np.all(p["wall_s"] >= 0))
        np.testing.assert_array_equal(p["events"], self.cells["events"])

    def test_device_rows(self):
        d = self.dev
        np.testing.assert_array_equal(d["replication"], np.repeat([0, 1], self.ndev))
        # devices and groups are numbered from 1, as devices[g] and trace.devices
        np.testing.assert_array_equal(d["device"],
                                      np.tile(np.arange(1, self.ndev + 1), self.nrep))
        groups = np.concatenate([np.full(g["count"], i + 1) for i, g in enumerate(GROUPS)])
        np.testing.assert_array_equal(d["group"], np.tile(groups, self.nrep))
        names = np.concatenate([[g["name"].encode()] * g["count"] for g in GROUPS])
        np.testing.assert_array_equal(d["group_name"], np.tile(names, self.nrep))
        self.assertTrue(np.all(d["point_id"] == 0) and np.all(d["cell"] == 0))

    # ----------------------------------------------------------- coverage

    def test_coverage_and_ce_levels(self):
        d = self.dev
        cl, rsrp, ce = d["coupling_loss_db"], d["rsrp_dbm"], d["ce_level"]
        # NRSRP: the carrier's power over 12 subcarriers, less the coupling
        # loss (stored as float32: 1e-4 dB).
        np.testing.assert_allclose(rsrp, ENB_TX_DBM - 10 * math.log10(12) - cl, rtol=0,
                                   atol=1e-4)
        for i, g in enumerate(GROUPS):
            if g["cl"] is None:
                continue
            m = self.group_mask(i)
            with self.subTest(group=g["name"]):
                np.testing.assert_array_equal(cl[m], g["cl"])
                np.testing.assert_array_equal(ce[m], g["ce"])
        # TR 45.820 coverage: spread over tens of dB, each device at the
        # level its RSRP gives (or out of coverage beyond the last edge).
        m = self.group_mask(G_ALARMS)
        self.assertGreater(np.ptp(cl[m]), 20.0)
        self.assertEqual(len(np.unique(cl[m])), m.sum(), "coupling losses repeat")
        for r, c, k in zip(rsrp[m], cl[m], ce[m]):
            if min(abs(r - t) for t in RSRP_THRESHOLDS) < 1e-3:
                continue  # float32 rounding at an edge
            if k == OUT_OF_COVERAGE:
                self.assertLess(r, RSRP_THRESHOLDS[-1], "out of coverage at %.1f dB" % c)
            else:
                self.assertEqual(k, expected_ce(r), "CL %.2f dB, RSRP %.2f dBm" % (c, r))
        # The stored SNRs fall dB for dB with the coupling loss (the uplink's
        # rises with the power class).
        dl = d["dl_snr_db"] + cl
        np.testing.assert_allclose(dl, dl[0], rtol=0, atol=1e-3, err_msg="dl_snr_db + CL")
        ul = d["ul_snr_db"] + cl - self.per_device("tx_max_dbm")
        np.testing.assert_allclose(ul, ul[0], rtol=0, atol=1e-3, err_msg="ul_snr_db + CL - P")

    def test_out_of_coverage_device(self):
        d = self.dev
        m = self.group_mask(G_OOC)
        self.assertEqual(m.sum(), self.nrep)
        gen = d["reports_generated"][m]
        np.testing.assert_array_equal(gen, int(DAY / PERIOD_S))
        np.testing.assert_array_equal(d["reports_failed"][m], gen)
        for col in ("reports_delivered", "reports_dropped", "reports_pending", "bytes_delivered",
                    "ra_attempts", "ra_collisions", "ra_failures", "ce_escalations",
                    "harq_retx", "time_s_tx", "time_s_connected", "time_s_idle"):
            np.testing.assert_array_equal(d[col][m], 0, err_msg=col)
        # No cell: it keeps searching (receiver on 10 s), sleeping 60 s, 120 s,
        # ... up to 3600 s between searches (the defaults); worked out here.
        t, scans, rx, backoff = 0.0, 0, 0.0, 60.0
        while t < DAY:
            scans += 1
            rx += min(10.0, DAY - t)
            t += 10.0 + backoff
            backoff = min(2 * backoff, 3600.0)
        np.testing.assert_array_equal(d["out_of_coverage"][m], 1)
        np.testing.assert_array_equal(d["cell_searches"][m], scans)
        np.testing.assert_allclose(d["time_s_rx"][m], rx, rtol=0, atol=1e-6)
        np.testing.assert_allclose(d["time_s_psm"][m], DAY - rx, rtol=0, atol=1e-6)
        np.testing.assert_allclose(
            d["energy_j"][m],
            (DEFAULT_MODULE["rx_mw"] * rx + DEFAULT_MODULE["psm_mw"] * (DAY - rx)) * 1e-3,
            rtol=1e-12)
        self.assertTrue(np.all(np.isnan(d["latency_ms_mean"][m])))
        # Everyone else has the flag down, and the fleet figures leave them out.
        np.testing.assert_array_equal(d["out_of_coverage"][~m & (d["ce_level"] != OUT_OF_COVERAGE)],
                                      0)
        np.testing.assert_array_equal(self.points["fleet_excluded"],
                                      [int(np.sum((d["replication"] == r) &
                                                  (d["out_of_coverage"] == 1)))
                                       for r in range(self.nrep)])
        # Every out-of-coverage device is counted by its cell.
        for r in range(self.nrep):
            rows = d["replication"] == r
            self.assertEqual(int(self.cells["out_of_coverage"][r]),
                             int(np.sum(d["ce_level"][rows] == OUT_OF_COVERAGE)))
            self.assertGreaterEqual(int(self.cells["out_of_coverage"][r]), 1)

    # --------------------------------------------------------- invariants

    def test_report_conservation(self):
        d = self.dev
        np.testing.assert_array_equal(
            d["reports_generated"].astype(np.int64),
            d["reports_delivered"].astype(np.int64) + d["reports_dropped"]
            + d["reports_failed"] + d["reports_pending"])
        # Fixed payloads: bytes = size x delivered.
        for i, g in enumerate(GROUPS):
            m = self.group_mask(i)
            delivered = d["reports_delivered"][m].astype(np.uint64)
            np.testing.assert_array_equal(d["bytes_delivered"][m], delivered * g["payload"],
                                          err_msg=g["name"])

    def test_good_coverage_delivers_everything(self):
        # One report per 30 min at 140 dB (and 70 dB) in a cell using well
        # under 1 % of its carrier: nothing fails or overflows; at most the
        # last report is still in flight at the end.
        d = self.dev
        m = self.group_mask(G_METERS, G_NEAR)
        self.assertTrue(0 < self.cells["npusch_utilisation"].max() < 0.05)
        np.testing.assert_array_equal(d["reports_failed"][m], 0)
        np.testing.assert_array_equal(d["reports_dropped"][m], 0)
        self.assertTrue(np.all(d["reports_pending"][m] <= 1))
        self.assertTrue(np.all(d["reports_delivered"][m] >= int(DAY / PERIOD_S) - 1))
        np.testing.assert_array_equal(d["ra_failures"][m], 0)
        np.testing.assert_array_equal(d["ce_escalations"][m], 0)

    def test_random_access_per_report(self):
        # Asleep between reports (PSM, released at once): every report needs
        # its own random access, so at least one preamble per delivery.
        d = self.dev
        m = self.group_mask(*ASLEEP_BETWEEN)
        self.assertTrue(np.all(d["ra_attempts"][m] >= d["reports_delivered"][m]))
        self.assertTrue(np.all(d["ra_collisions"] <= d["ra_attempts"]))
        # In coverage: one NPUSCH data block at least per delivered report.
        ok = d["reports_delivered"] > 0
        self.assertTrue(np.all(d["npusch_reps_mean"][ok] >= 1))
        self.assertTrue(np.all(np.isnan(d["npusch_reps_mean"][self.group_mask(G_OOC)])))

    def test_time_per_state_sums_to_duration(self):
        d = self.dev
        total = sum(d["time_s_" + s] for s in STATES)
        np.testing.assert_allclose(total, DAY, rtol=0, atol=1e-6)
        # Exactly, in whole microseconds.
        np.testing.assert_array_equal(sum(to_us(d["time_s_" + s]) for s in STATES), int(DAY * 1e6))
        for s in STATES:
            self.assertTrue(np.all(d["time_s_" + s] >= 0), s)
        # Light sleep between reports: never in PSM (out of coverage the modem
        # sleeps deeply between cell searches whatever it asked the network).
        idle = self.group_mask(*[i for i, g in enumerate(GROUPS) if g["sleep"] == "idle"])
        idle &= d["out_of_coverage"] == 0
        self.assertTrue(np.all(d["time_s_psm"][idle] == 0))
        # In coverage and reporting: some time sending and receiving.
        ok = d["reports_delivered"] > 0
        self.assertTrue(np.all(d["time_s_tx"][ok] > 0) and np.all(d["time_s_rx"][ok] > 0))

    def test_energy_per_state(self):
        d = self.dev
        for s in STATES:
            if s == "tx":
                continue
            with self.subTest(state=s):
                np.testing.assert_allclose(d["energy_j_" + s],
                                           self.module_of(s + "_mw") * d["time_s_" + s] * 1e-3,
                                           rtol=1e-9, atol=1e-15)
        # Transmit draw follows the output power: between the draw at the
        # UE's minimum output (-40 dBm) and at its power class.
        t = d["time_s_tx"]
        mods = [GROUPS[g]["module"] for g in self.g0]
        lo = np.array([tx_draw_mw(m, UE_MIN_DBM) for m in mods]) * t * 1e-3
        hi = np.array([tx_draw_mw(m, GROUPS[g]["tx_max_dbm"])
                       for m, g in zip(mods, self.g0)]) * t * 1e-3
        self.assertTrue(np.all(hi <= self.module_of("tx_mw") * t * 1e-3 * (1 + 1e-12)))
        e = d["energy_j_tx"]
        for i, g in enumerate(GROUPS):
            m = self.group_mask(i)
            with self.subTest(group=g["name"]):
                low = np.flatnonzero(e[m] < lo[m] * (1 - 1e-9))
                self.assertEqual(len(low), 0, "tx energy below the draw at %g dBm: %s J < %s J"
                                 % (UE_MIN_DBM, e[m][low][:3], lo[m][low][:3]))
                high = np.flatnonzero(e[m] > hi[m] * (1 + 1e-9))
                self.assertEqual(len(high), 0, "tx energy above the draw at %g dBm: %s J > %s J"
                                 % (g["tx_max_dbm"], e[m][high][:3], hi[m][high][:3]))
        # Power control shows: at 140 dB the meters do not always send at 23 dBm.
        m = self.group_mask(G_METERS)
        self.assertTrue(np.all(e[m] < hi[m] * (1 - 1e-6)))
        state_sum = d["energy_j_psm"] + d["energy_j_edrx"] + d["energy_j_idle"] + d["energy_j_cdrx"] + \
            d["energy_j_connected"] + \
            d["energy_j_rx"] + d["energy_j_tx"]
        np.testing.assert_allclose(d["energy_j"], state_sum, rtol=1e-12, atol=0)
        np.testing.assert_allclose(d["avg_power_mw"], d["energy_j"] / DAY * 1e3, rtol=1e-12)
        cap = self.per_device("capacity_wh")
        life = cap * 3600.0 / (d["avg_power_mw"] * 1e-3) / (365.25 * 86400.0)
        np.testing.assert_allclose(d["battery_life_years"], life, rtol=1e-9)

    def test_latency(self):
        d = self.dev
        dl = d["reports_delivered"]
        ok = dl > 0
        self.assertTrue(np.all(np.isnan(d["latency_ms_mean"][~ok])))
        for col in ("latency_ms_p50", "latency_ms_p95", "latency_ms_max"):
            self.assertTrue(np.all(np.isnan(d[col][~ok])), col)
        self.assertTrue(np.all(d["latency_ms_p50"][ok] > 0))
        # Ordered; linear interpolation between equal order statistics may
        # round in the last bit, hence the 1e-12 relative slack.
        slack = 1 - 1e-12
        self.assertTrue(np.all(d["latency_ms_p95"][ok] >= d["latency_ms_p50"][ok] * slack))
        self.assertTrue(np.all(d["latency_ms_max"][ok] >= d["latency_ms_p95"][ok] * slack))
        self.assertTrue(np.all(d["latency_ms_max"][ok] >= d["latency_ms_mean"][ok] * slack))
        # Woken from PSM for each report: at least the resynchronisation of
        # the device's CE level before anything is sent.
        for i in ASLEEP_BETWEEN:
            g = GROUPS[i]
            if g["ce"] is None or g["ce"] == OUT_OF_COVERAGE:
                continue
            m = self.group_mask(i)
            with self.subTest(group=g["name"]):
                self.assertTrue(np.all(d["latency_ms_p50"][m] > SYNC_MS[g["ce"]]))
        # Deeper coverage, longer reports: per replication, the device at
        # 160 dB is slower than the one at 150 dB, which is slower than the
        # mean device at 140 dB.
        for r in range(self.nrep):
            rows = d["replication"] == r
            lat = [d["latency_ms_mean"][rows & self.group_mask(i)].mean()
                   for i in (G_METERS, G_CE1, G_CE2)]
            self.assertTrue(lat[0] < lat[1] < lat[2], "latency at 140/150/160 dB: %s ms" % lat)

    def test_periodic_report_count(self):
        # First report uniform in [0, 1800 s), then every 1800 s: 48 in a day.
        gen = self.dev["reports_generated"][self.group_mask(*PERIODIC)]
        np.testing.assert_array_equal(gen, int(DAY / PERIOD_S))

    def test_poisson_report_count(self):
        gen = self.dev["reports_generated"][self.group_mask(G_ALARMS)].astype(float)
        expected = DAY / MEAN_INTERVAL_S  # 144
        se = gen.std(ddof=1) / np.sqrt(gen.size)
        self.assertLess(abs(gen.mean() - expected), 5 * se,
                        "mean %.3f, expected %.1f, SE %.3f" % (gen.mean(), expected, se))
        # Poisson: variance equals mean (loose: 200 samples).
        self.assertLess(abs(gen.var(ddof=1) / expected - 1), 0.5)

    def test_cells_match_devices(self):
        d, c = self.dev, self.cells
        np.testing.assert_array_equal(c["replication"], [0, 1])
        np.testing.assert_array_equal(c["devices"], [self.ndev, self.ndev])
        for r in range(self.nrep):
            m = d["replication"] == r
            for col in ("reports_generated", "reports_delivered", "reports_dropped",
                        "reports_failed", "reports_pending", "edt_reports", "bytes_delivered"):
                self.assertEqual(int(c[col][r]), int(d[col][m].astype(np.uint64).sum()), col)
            np.testing.assert_allclose(c["energy_j"][r], d["energy_j"][m].sum(), rtol=1e-12)
            dl = d["reports_delivered"][m]
            ok = dl > 0
            mean = np.sum(d["latency_ms_mean"][m][ok] * dl[ok]) / dl.sum()
            np.testing.assert_allclose(c["latency_ms_mean"][r], mean, rtol=1e-9)
            self.assertEqual(c["latency_ms_max"][r], np.max(d["latency_ms_max"][m][ok]))
            self.assertLessEqual(c["latency_ms_p50"][r], c["latency_ms_p95"][r] * (1 + 1e-12))
            self.assertLessEqual(c["latency_ms_p95"][r], c["latency_ms_max"][r] * (1 + 1e-12))
            # Random access: the per-level counters add up to the devices'.
            for col, stat in (("ra_attempts", "preambles"), ("ra_collisions", "collided"),
                              ("ra_failures", "failures")):
                total = sum(int(c["ce%d_%s" % (k, stat)][r]) for k in range(3))
                self.assertEqual(total, int(d[col][m].astype(np.uint64).sum()), col)
            for k in range(3):
                pre, det = int(c["ce%d_preambles" % k][r]), int(c["ce%d_detected" % k][r])
                self.assertLessEqual(int(c["ce%d_collided" % k][r]), pre)
                self.assertLessEqual(det, pre)
                self.assertLessEqual(int(c["ce%d_successes" % k][r]), det)
                # every detected preamble got a RAR or is counted as missed;
                # a PDU holds at most 12 RARs (680-bit block, TS 36.321 6.1.5)
                missed, pdus = int(c["ce%d_rar_missed" % k][r]), int(c["ce%d_rar_pdus" % k][r])
                self.assertLessEqual(missed, det)
                self.assertGreaterEqual(12 * pdus, det - missed)
                self.assertLessEqual(pdus, det - missed)
                # Opportunities in [0, T): start + j x period < T.
                T = int(DAY * 1000)
                want = (T - 1 - NPRACH_START_MS) // NPRACH_PERIOD_MS[k] + 1
                self.assertEqual(int(c["ce%d_opportunities" % k][r]), want, "CE %d" % k)
                self.assertGreater(pre, 0, "no preamble at CE level %d" % k)
            for col in ("npdcch_npdsch_utilisation", "npusch_utilisation"):
                self.assertTrue(0 < c[col][r] < 1, col)

    # ------------------------------------------------------ other scenarios

    def run_scenario(self, name, text):
        path = lib.write_scenario(self._tmp.name, name + ".lua", text)
        out = os.path.join(self._tmp.name, name + ".h5")
        lib.run_ok(self, ["run", path, "-o", out, "--quiet"])
        data = lib.read_datasets(out)
        return {k.split("/")[2]: v for k, v in data.items() if k.startswith("/devices/")}

    def test_buffer_overflow(self):
        d = self.run_scenario("overflow", OVERFLOW_SCENARIO)
        gen, dl = d["reports_generated"].astype(np.int64), d["reports_delivered"].astype(np.int64)
        drop, pend = d["reports_dropped"].astype(np.int64), d["reports_pending"].astype(np.int64)
        fail = d["reports_failed"].astype(np.int64)
        np.testing.assert_array_equal(gen, dl + drop + fail + pend)
        np.testing.assert_array_equal(d["ce_level"], 2)
        self.assertTrue(np.all(drop > 0), "no report dropped")
        self.assertTrue(np.all(dl > 0), "nothing delivered")
        self.assertTrue(np.all(pend <= 2), "buffer of 2")
        # Poisson, mean 1800 reports in the hour per device.
        expected = OVERFLOW_DURATION / OVERFLOW_MEAN
        self.assertTrue(np.all(np.abs(gen - expected) < 5 * math.sqrt(expected)), gen)
        np.testing.assert_array_equal(sum(to_us(d["time_s_" + s]) for s in STATES),
                                      OVERFLOW_DURATION * 10**6)
        # Busy from the first report to the end: hardly any time asleep.
        self.assertTrue(np.all(d["time_s_psm"] < 0.05 * OVERFLOW_DURATION), d["time_s_psm"])

    def test_tr45820_mix(self):
        d = self.run_scenario("mix", MIX_SCENARIO)
        gen = d["reports_generated"].astype(float)
        # Each class is periodic with a random phase: exactly 1, 12, 24 or 48 a day.
        self.assertTrue(set(np.unique(gen)) <= {1.0, 12.0, 24.0, 48.0}, np.unique(gen))
        # TR 45.820 Annex E: 0.4 x 1 + 0.4 x 12 + 0.15 x 24 + 0.05 x 48 = 11.2 a day.
        se = gen.std(ddof=1) / np.sqrt(gen.size)
        self.assertLess(abs(gen.mean() - 11.2), 5 * se,
                        "mean %.3f reports/day, SE %.3f" % (gen.mean(), se))
        for n, share in ((1, 0.4), (12, 0.4), (24, 0.15), (48, 0.05)):
            frac = np.mean(gen == n)
            se = np.sqrt(share * (1 - share) / gen.size)
            self.assertLess(abs(frac - share), 5 * se, "class of %d reports/day" % n)
        np.testing.assert_array_equal(
            gen, d["reports_delivered"].astype(float) + d["reports_dropped"]
            + d["reports_failed"] + d["reports_pending"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
