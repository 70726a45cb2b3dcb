"""End-to-end test of the HDF5 results file of `mtcsim run`.

Runs small scenarios written here and checks, with h5py, the layout of the
file (root attributes, /config, the column tables of runner.c, their types
and storage) and invariants of the values (report conservation, time and
energy per power state, battery life, latency of the PLACEHOLDER exchange,
report counts of periodic, Poisson and TR 45.820 traffic), each with a
stated tolerance.
"""

import datetime
import json
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

DAY = 86400.0
STATES = ("psm", "idle", "connected", "rx", "tx")

# Powers (mW) per group: distinct values so a mix-up between states or
# groups shows. Battery capacities in Wh.
METERS = dict(count=200, tx_mw=500.0, rx_mw=80.0, connected_mw=4.0, idle_mw=2.5, psm_mw=0.01,
              capacity_wh=5.0, payload=40)
ALARMS = dict(count=100, tx_mw=450.0, rx_mw=70.0, connected_mw=5.0, idle_mw=3.5, psm_mw=0.02,
              capacity_wh=2.5, payload=30)
TX_S, RX_S = 0.1, 0.2
PERIOD_S = 1800.0      # meters: periodic, random phase
MEAN_INTERVAL_S = 600  # alarms: Poisson
SEED = 7


def module_lua(g):
    return ("{ tx_mw = %r, rx_mw = %r, connected_mw = %r, idle_mw = %r, psm_mw = %r }"
            % (g["tx_mw"], g["rx_mw"], g["connected_mw"], g["idle_mw"], g["psm_mw"]))


LAYOUT_SCENARIO = """\
-- Two groups for the results layout test.
local mtc = require "mtc"

return mtc.scenario {
  name = "layout",
  duration = mtc.days(1),
  seed = %(seed)d,
  replications = 2,
  devices = {
    {
      name = "meters",
      count = %(m_count)d,
      traffic = { kind = "periodic", period_s = %(period)r, random_phase = true,
                  payload = mtc.payload.fixed(%(m_payload)d) },
      module = %(m_module)s,
      battery = { capacity_wh = %(m_cap)r },
      exchange = mtc.placeholder_exchange(%(tx)r, %(rx)r),
      sleep = "psm",
    },
    {
      name = "alarms",
      count = %(a_count)d,
      traffic = mtc.traffic.poisson(%(mean)d, mtc.payload.fixed(%(a_payload)d)),
      module = %(a_module)s,
      battery = { capacity_wh = %(a_cap)r },
      exchange = mtc.placeholder_exchange(%(tx)r, %(rx)r),
      sleep = "idle",
    },
  },
}
""" % dict(seed=SEED, m_count=METERS["count"], period=PERIOD_S, m_payload=METERS["payload"],
           m_module=module_lua(METERS), m_cap=METERS["capacity_wh"], tx=TX_S, rx=RX_S,
           a_count=ALARMS["count"], mean=MEAN_INTERVAL_S, a_payload=ALARMS["payload"],
           a_module=module_lua(ALARMS), a_cap=ALARMS["capacity_wh"])

# Exchange (30 s + 0.2 s) longer than the report period (10 s): the buffer
# of 4 reports overflows.
OVERFLOW_SCENARIO = """\
return {
  name = "overflow",
  duration = 3600,
  devices = {
    { count = 20,
      traffic = { kind = "periodic", period_s = 10, payload = { kind = "fixed", bytes = 10 } },
      exchange = { tx_s = 30, rx_s = 0.2 },
      max_pending = 4 },
  },
}
"""

MIX_SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "mix",
  duration = mtc.days(1),
  devices = { { count = 2000, traffic = mtc.tr45820.mar_periodic() } },
}
"""

# Columns written by sim/runner.c and their HDF5 types.
U8, U32, U64, F64 = np.dtype("<u1"), np.dtype("<u4"), np.dtype("<u8"), np.dtype("<f8")
POINTS_COLUMNS = dict(point_id=U32, replication=U32, seed=U64, status=U8, wall_s=F64,
                      events=U64, sim_time_s=F64, model_bytes=U64)
DEVICES_COLUMNS = dict(point_id=U32, replication=U32, cell=U32, device=U32, group=U32,
                       reports_generated=U32, reports_delivered=U32, reports_dropped=U32,
                       reports_pending=U32, bytes_delivered=U64, latency_ms_mean=F64,
                       latency_ms_p50=F64, latency_ms_p95=F64, latency_ms_max=F64,
                       energy_j=F64, avg_power_mw=F64, battery_life_years=F64)
for _s in STATES:
    DEVICES_COLUMNS["time_s_" + _s] = F64
    DEVICES_COLUMNS["energy_j_" + _s] = F64
CELLS_COLUMNS = dict(point_id=U32, replication=U32, cell=U32, devices=U32,
                     reports_generated=U64, reports_delivered=U64, reports_dropped=U64,
                     reports_pending=U64, bytes_delivered=U64, latency_ms_mean=F64,
                     latency_ms_p50=F64, latency_ms_p95=F64, latency_ms_max=F64, energy_j=F64,
                     events=U64)
UNITS = {"/devices/energy_j": "J", "/devices/time_s_tx": "s", "/devices/latency_ms_p95": "ms",
         "/devices/avg_power_mw": "mW", "/devices/battery_life_years": "y",
         "/points/wall_s": "s", "/cells/energy_j": "J"}


def to_us(seconds):
    """Times in the file are integer microseconds / 1e6: recover them exactly."""
    return np.rint(np.asarray(seconds) * 1e6).astype(np.int64)


def text_of(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


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
        cls.nrep, cls.ndev = 2, METERS["count"] + ALARMS["count"]

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        lib.assert_ok(self, self.res)

    def group_mask(self, g):
        return self.dev["group"] == g

    # ------------------------------------------------------------- layout

    def test_root_attributes(self):
        ver = lib.run_ok(self, ["--version"]).stdout.split()
        with h5py.File(self.out, "r") as f:
            a = dict(f.attrs)
        self.assertEqual(text_of(a["format"]), "mtcsim")
        self.assertEqual(int(a["format_version"]), 1)
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
        g0, g1 = cfg["devices"]
        self.assertEqual(g0["name"], "meters")
        self.assertEqual(g0["count"], METERS["count"])
        self.assertEqual(g0["traffic"]["kind"], "periodic")
        self.assertEqual(g0["traffic"]["period_s"], PERIOD_S)
        self.assertIs(g0["traffic"]["random_phase"], True)
        self.assertEqual(g0["traffic"]["payload"], {"kind": "fixed", "bytes": METERS["payload"]})
        self.assertEqual(g0["sleep"], "psm")
        self.assertEqual(g1["traffic"]["kind"], "poisson")
        self.assertEqual(g1["traffic"]["mean_interval_s"], MEAN_INTERVAL_S)
        self.assertNotIn("period_s", g1["traffic"])  # only the fields of the variant
        self.assertEqual(g1["sleep"], "idle")
        for g, want in ((g0, METERS), (g1, ALARMS)):
            for s in STATES:
                self.assertEqual(g["module"][s + "_mw"], want[s + "_mw"])
            self.assertEqual(g["battery"]["capacity_wh"], want["capacity_wh"])
            self.assertEqual(g["exchange"], {"tx_s": TX_S, "rx_s": RX_S})
            self.assertEqual(g["max_pending"], 16)

    def test_tables_columns_types_storage(self):
        tables = {"/points": (POINTS_COLUMNS, self.nrep),
                  "/devices": (DEVICES_COLUMNS, self.nrep * self.ndev),
                  "/cells": (CELLS_COLUMNS, self.nrep)}
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
        np.testing.assert_array_equal(p["events"], self.data["/cells/events"])

    def test_device_rows(self):
        d = self.dev
        np.testing.assert_array_equal(d["replication"], np.repeat([0, 1], self.ndev))
        np.testing.assert_array_equal(d["device"], np.tile(np.arange(self.ndev), self.nrep))
        groups = np.r_[np.zeros(METERS["count"]), np.ones(ALARMS["count"])]
        np.testing.assert_array_equal(d["group"], np.tile(groups, self.nrep))
        self.assertTrue(np.all(d["point_id"] == 0) and np.all(d["cell"] == 0))

    # --------------------------------------------------------- invariants

    def test_report_conservation(self):
        d = self.dev
        np.testing.assert_array_equal(
            d["reports_generated"].astype(np.int64),
            d["reports_delivered"].astype(np.int64) + d["reports_dropped"] + d["reports_pending"])
        self.assertTrue(np.all(d["reports_dropped"] == 0), "nothing should overflow here")
        # Fixed payloads: bytes = size x delivered.
        for g, want in ((0, METERS), (1, ALARMS)):
            m = self.group_mask(g)
            delivered = d["reports_delivered"][m].astype(np.uint64)
            np.testing.assert_array_equal(d["bytes_delivered"][m], delivered * want["payload"])

    def test_time_per_state_sums_to_duration(self):
        d = self.dev
        total = sum(d["time_s_" + s] for s in STATES)
        np.testing.assert_allclose(total, DAY, rtol=0, atol=1e-6)
        # Exactly, in whole microseconds.
        np.testing.assert_array_equal(sum(to_us(d["time_s_" + s]) for s in STATES), int(DAY * 1e6))
        # PLACEHOLDER exchange: tx, rx, then the group's sleep state; nothing else.
        self.assertTrue(np.all(d["time_s_connected"] == 0))
        self.assertTrue(np.all(d["time_s_idle"][self.group_mask(0)] == 0))
        self.assertTrue(np.all(d["time_s_psm"][self.group_mask(1)] == 0))

    def test_energy_per_state(self):
        d = self.dev
        for g, want in ((0, METERS), (1, ALARMS)):
            m = self.group_mask(g)
            for s in STATES:
                with self.subTest(group=g, state=s):
                    np.testing.assert_allclose(d["energy_j_" + s][m],
                                               want[s + "_mw"] * d["time_s_" + s][m] * 1e-3,
                                               rtol=1e-9, atol=1e-15)
        state_sum = d["energy_j_psm"] + d["energy_j_idle"] + d["energy_j_connected"] + \
            d["energy_j_rx"] + d["energy_j_tx"]
        np.testing.assert_allclose(d["energy_j"], state_sum, rtol=1e-12, atol=0)
        np.testing.assert_allclose(d["avg_power_mw"], d["energy_j"] / DAY * 1e3, rtol=1e-12)
        cap = np.where(d["group"] == 0, METERS["capacity_wh"], ALARMS["capacity_wh"])
        life = cap * 3600.0 / (d["avg_power_mw"] * 1e-3) / (365.25 * 86400.0)
        np.testing.assert_allclose(d["battery_life_years"], life, rtol=1e-9)

    def test_exchange_time_and_latency(self):
        d = self.dev
        tx, rx = to_us(d["time_s_tx"]), to_us(d["time_s_rx"])
        dl, pend = d["reports_delivered"].astype(np.int64), d["reports_pending"].astype(np.int64)
        tx_us, rx_us = int(TX_S * 1e6), int(RX_S * 1e6)
        # A report generated less than 300 ms before the end is still in
        # flight: its exchange counts partly.
        self.assertTrue(np.all(tx >= tx_us * dl) and np.all(tx <= tx_us * (dl + pend)))
        self.assertTrue(np.all(rx >= rx_us * dl) and np.all(rx <= rx_us * (dl + pend)))
        m = self.group_mask(0)
        # Periodic every 1800 s: never queued, so every latency is exactly tx + rx.
        for col in ("latency_ms_mean", "latency_ms_p50", "latency_ms_p95", "latency_ms_max"):
            np.testing.assert_array_equal(d[col][m], 300.0, err_msg=col)
        self.assertTrue(np.all(pend[m] <= 1))
        # Nothing in flight: exactly 0.1 s per delivered report; one in
        # flight (generated < 300 ms before the end): strictly more.
        np.testing.assert_array_equal(tx[m] > tx_us * dl[m], pend[m] == 1)
        np.testing.assert_array_equal(rx[m] == rx_us * dl[m], pend[m] == 0)
        # Poisson: queueing is possible, so latencies are >= 300 ms and ordered.
        a = ~m & (dl > 0)
        self.assertTrue(np.all(d["latency_ms_p50"][a] >= 300.0))
        self.assertTrue(np.all(d["latency_ms_mean"][a] >= 300.0))
        self.assertTrue(np.all(d["latency_ms_p95"][a] >= d["latency_ms_p50"][a]))
        self.assertTrue(np.all(d["latency_ms_max"][a] >= d["latency_ms_p95"][a]))
        self.assertTrue(np.all(np.isnan(d["latency_ms_mean"][dl == 0])))

    def test_periodic_report_count(self):
        # First report uniform in [0, 1800 s), then every 1800 s: 48 in a day.
        gen = self.dev["reports_generated"][self.group_mask(0)]
        np.testing.assert_array_equal(gen, int(DAY / PERIOD_S))

    def test_poisson_report_count(self):
        gen = self.dev["reports_generated"][self.group_mask(1)].astype(float)
        expected = DAY / MEAN_INTERVAL_S  # 144
        se = gen.std(ddof=1) / np.sqrt(gen.size)
        self.assertLess(abs(gen.mean() - expected), 5 * se,
                        "mean %.3f, expected %.1f, SE %.3f" % (gen.mean(), expected, se))
        # Poisson: variance equals mean (loose: 200 samples).
        self.assertLess(abs(gen.var(ddof=1) / expected - 1), 0.5)

    def test_cells_match_devices(self):
        d = self.dev
        c = {k.split("/")[2]: v for k, v in self.data.items() if k.startswith("/cells/")}
        np.testing.assert_array_equal(c["replication"], [0, 1])
        np.testing.assert_array_equal(c["devices"], [self.ndev, self.ndev])
        for r in range(self.nrep):
            m = d["replication"] == r
            for col in ("reports_generated", "reports_delivered", "reports_dropped",
                        "reports_pending", "bytes_delivered"):
                self.assertEqual(int(c[col][r]), int(d[col][m].astype(np.uint64).sum()), col)
            np.testing.assert_allclose(c["energy_j"][r], d["energy_j"][m].sum(), rtol=1e-12)
            dl = d["reports_delivered"][m]
            ok = dl > 0
            mean = np.sum(d["latency_ms_mean"][m][ok] * dl[ok]) / dl.sum()
            np.testing.assert_allclose(c["latency_ms_mean"][r], mean, rtol=1e-12)
            self.assertEqual(c["latency_ms_max"][r], np.max(d["latency_ms_max"][m][ok]))
            self.assertEqual(c["latency_ms_p50"][r], 300.0)  # most reports are not queued
            self.assertGreaterEqual(c["latency_ms_p95"][r], 300.0)

    # ------------------------------------------------------ other scenarios

    def run_scenario(self, name, text):
        path = lib.write_scenario(self._tmp.name, name + ".lua", text)
        out = os.path.join(self._tmp.name, name + ".h5")
        lib.run_ok(self, ["run", path, "-o", out, "--quiet"])
        data = lib.read_datasets(out)
        return {k.split("/")[2]: v for k, v in data.items() if k.startswith("/devices/")}

    def test_buffer_overflow(self):
        d = self.run_scenario("overflow", OVERFLOW_SCENARIO)
        T = 3600 * 10**6
        exch = 30_200_000  # tx 30 s + rx 0.2 s, in us
        gen, dl = d["reports_generated"].astype(np.int64), d["reports_delivered"].astype(np.int64)
        drop, pend = d["reports_dropped"].astype(np.int64), d["reports_pending"].astype(np.int64)
        np.testing.assert_array_equal(gen, dl + drop + pend)
        np.testing.assert_array_equal(gen, 360)  # every 10 s for an hour
        self.assertTrue(np.all(drop > 0), "no report dropped")
        self.assertTrue(np.all((pend >= 1) & (pend <= 4)), "buffer of 4 (busy at the end)")
        # Asleep until the first report (phase < 10 s), then busy to the end:
        # one delivery per 30.2 s.
        phase = to_us(d["time_s_psm"])
        self.assertTrue(np.all((phase >= 0) & (phase < 10 * 10**6)))
        np.testing.assert_array_equal(to_us(d["time_s_tx"]) + to_us(d["time_s_rx"]), T - phase)
        np.testing.assert_array_equal(dl, (T - phase) // exch)
        self.assertTrue(np.all(d["latency_ms_mean"] >= 30200.0))
        self.assertTrue(np.all(d["latency_ms_max"] > 30200.0))

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


if __name__ == "__main__":
    unittest.main(verbosity=2)
