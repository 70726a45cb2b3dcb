"""The module power profiles of scenarios/lib/modules.lua.

1. Each profile resolves (`mtcsim check`) to its source figures converted at
   the module's supply voltage (draw = current x voltage), to 1e-9 relative:
   TR 45.820 in mW, Quectel BG96 at 3.8 V, u-blox SARA-N211 at 3.6 V with
   its per-level transmit table, Nordic nRF9160 at 3.7 V (PSM floor 2.7 uA,
   Cat-M1 RMC 45 / 50 / 105 mA at 0 / 10 / 23 dBm), M5311 at 3.6 V. A
   change to a profile shows here and must be made in both places, with
   its source. Every catalogued module also loads alone (`mtcsim check`
   with just that module), and the set of profiles equals the file's
   `modules.NAME =` definitions.
2. In a run, a device at 164 dB transmits everything at its 23 dBm maximum
   (open-loop power control saturates; CE levels above 0 use P_max for
   NPRACH, TS 36.213 16.3.1/16.2.1), so its transmit energy is exactly
   time_s_tx times the profile's 23 dBm draw: 543, 589, 792, 388.5 and
   601.2 mW.
3. At 124 dB (CE level 0, power controlled well below 23 dBm) the
   SARA-N211's mean transmit draw lies strictly inside its table, below the
   +13 dBm entry's 360 mW and at least the -40 dBm entry's 266.4 mW, so the
   table, not the single 23 dBm figure, prices the transmissions.
5. `mtcsim check --modules` lists every module once, in the catalogue's
   order, with its RATs, supply voltage, powers, the currents at that
   voltage (e.g. nRF9160 PSM 2.7 uA, BG96 TX 155 mA) and a source line; a
   modules.lua beside a scenario is the one listed for it, and its errors
   (a field out of range, a profile missing from the catalogue) name the
   file, the line and the field (exit 2).
4. The connected-mode DRX fields (stored for the C-DRX model): unset,
   cdrx_mw takes the group's idle_mw (whatever sets it: the profile,
   the default, --set) and cdrx is true; a value given is kept exactly; a
   negative one is refused with its path (exit 2).
"""

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

EXPECTED = {
    "tr45820": dict(tx_mw=543, tx_ref_dbm=23, pa_efficiency=0.45, rx_mw=90, connected_mw=3,
                    idle_mw=3, edrx_mw=0.015, psm_mw=0.015),
    "bg96": dict(tx_mw=155 * 3.8, tx_ref_dbm=23, rx_mw=80, connected_mw=0.81 * 3.8,
                 idle_mw=1.56 * 3.8, edrx_mw=0.81 * 3.8, psm_mw=0.0039 * 3.8),
    "sara_n211": dict(rx_mw=46 * 3.6, connected_mw=6 * 3.6, idle_mw=6 * 3.6,
                      edrx_mw=0.003 * 3.6, psm_mw=0.003 * 3.6,
                      tx_table_dbm=[-40, -7, 3, 13, 23],
                      tx_table_mw=[m * 3.6 for m in (74, 75, 78, 100, 220)]),
    "nrf9160": dict(tx_table_dbm=[0, 10, 23], tx_table_mw=[m * 3.7 for m in (45, 50, 105)],
                    rx_mw=35 * 3.7, connected_mw=3, idle_mw=0.0027 * 3.7,
                    edrx_mw=0.0027 * 3.7, psm_mw=0.0027 * 3.7, cdrx_mw=0.0027 * 3.7),
    "m5311": dict(tx_mw=167 * 3.6, tx_ref_dbm=23, pa_efficiency=0.45, rx_mw=54 * 3.6,
                  connected_mw=3, idle_mw=0.4 * 3.6, edrx_mw=0.003 * 3.6, psm_mw=0.003 * 3.6,
                  cdrx_mw=0.4 * 3.6),
}
DRAW_23DBM = {"tr45820": 543.0, "bg96": 589.0, "sara_n211": 792.0, "nrf9160": 388.5,
              "m5311": 601.2}
SUPPLY_V = {"tr45820": 3.6, "bg96": 3.8, "sara_n211": 3.6, "nrf9160": 3.7, "m5311": 3.6}
# Printed currents (check --modules) against the source figures.
CURRENTS = {"nrf9160": ["TX 105 mA", "RX 35 mA", "PSM 2.7 uA", "idle 2.7 uA"],
            "bg96": ["TX 155 mA", "idle 1.56 mA", "PSM 3.9 uA"],
            "sara_n211": ["TX 220 mA", "RX 46 mA", "PSM 3 uA"],
            "m5311": ["TX 167 mA", "RX 54 mA", "idle 400 uA", "PSM 3 uA"]}

SCENARIO = """
local mtc = require "mtc"
local modules = require "modules"
local devices = {{}}
for _, about in ipairs(modules) do
  local name = about.name
  devices[#devices + 1] = {{
    name = name, count = 3, module = modules[name],
    coverage = mtc.coverage.fixed({cl}),
    traffic = mtc.traffic.periodic(mtc.hours(2), mtc.payload.fixed(100)),
    idle = {{ psm = true, t3324_s = 20 }},
  }}
end
return mtc.scenario {{ name = "modules", duration = mtc.days(1), seed = 3, devices = devices }}
"""


def parse_value(text):
    text = text.strip()
    if text.startswith("{"):
        inner = text.strip("{}").strip()
        return [float(x) for x in inner.split(",")] if inner else []
    return float(text)


class Modules(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def scenario(self, cl):
        return lib.write_scenario(self.tmp.name, f"modules{cl}.lua", SCENARIO.format(cl=cl))

    def run_devices(self, cl):
        import h5py

        out = os.path.join(self.tmp.name, f"m{cl}.h5")
        lib.run_ok(self, ["run", self.scenario(cl), "-o", out], timeout=120)
        with h5py.File(out, "r") as f:
            d = {k: f["devices"][k][()] for k in ("group", "energy_j_tx", "time_s_tx")}
            d["group"] = d["group"] - 1  # the file numbers groups from 1 (devices[g]); indexed from 0 here
            return d

    def test_profiles_resolve_to_source_figures(self):
        res = lib.run_ok(self, ["check", self.scenario(164)])
        values = lib.check_output_lines(res.stdout)
        for g, name in enumerate(EXPECTED, start=1):
            for field, want in EXPECTED[name].items():
                got = parse_value(values[f"devices[{g}].module.{field}"])
                if isinstance(want, list):
                    self.assertEqual(len(got), len(want), f"{name}.{field}")
                    for a, b in zip(got, want):
                        self.assertAlmostEqual(a, b, delta=1e-9 * max(1, abs(b)),
                                               msg=f"{name}.{field}")
                else:
                    self.assertAlmostEqual(got, want, delta=1e-9 * max(1, abs(want)),
                                           msg=f"{name}.{field}")

    def test_full_power_draw_at_164_db(self):
        d = self.run_devices(164)
        for g, name in enumerate(EXPECTED):
            m = d["group"] == g
            t = float(d["time_s_tx"][m].sum())
            e = float(d["energy_j_tx"][m].sum())
            self.assertGreater(t, 1.0, name)
            self.assertAlmostEqual(e / t * 1e3, DRAW_23DBM[name], delta=1e-6 * DRAW_23DBM[name],
                                   msg=f"{name}: mean transmit draw, mW")

    def test_table_prices_low_output(self):
        d = self.run_devices(124)
        m = d["group"] == 2
        draw = float(d["energy_j_tx"][m].sum()) / float(d["time_s_tx"][m].sum()) * 1e3
        self.assertGreaterEqual(draw, 74 * 3.6 - 1e-9)
        self.assertLess(draw, 100 * 3.6)


def defined_profiles():
    """Names of the `modules.NAME = ` definitions in modules.lua, in order."""
    with open(os.path.join(lib.SCENARIO_DIR, "lib", "modules.lua"), encoding="utf-8") as f:
        return re.findall(r"^modules\.(\w+) =", f.read(), re.M)


def listed(stdout):
    """{name: (row tokens, following lines)} of `mtcsim check --modules`."""
    rows, lines = {}, stdout.splitlines()
    for i, line in enumerate(lines):
        t = line.split()
        if t and t[0] in SUPPLY_V and not line.startswith(" "):
            rows[t[0]] = (line, lines[i + 1], lines[i + 2])
    return rows


class Catalogue(unittest.TestCase):
    def test_every_module_loads_alone(self):
        self.assertEqual(defined_profiles(), list(EXPECTED))
        with tempfile.TemporaryDirectory() as tmp:
            for name in EXPECTED:
                path = lib.write_scenario(tmp, name + ".lua", (
                    'local mtc = require "mtc"\n'
                    'return mtc.scenario { devices = { { count = 1, module = mtc.modules.%s } } }\n'
                    % name))
                v = lib.check_output_lines(lib.run_ok(self, ["check", path]).stdout)
                want = EXPECTED[name]["rx_mw"]
                self.assertAlmostEqual(float(v["devices[1].module.rx_mw"]), want,
                                       delta=1e-9 * want, msg=name)

    def test_check_modules_lists_all(self):
        res = lib.run_ok(self, ["check", "--modules"])
        rows = listed(res.stdout)
        self.assertEqual(list(rows), list(EXPECTED), res.stdout)
        self.assertIn("-- %d module profiles" % len(EXPECTED), res.stdout)
        for name, (row, cur, src) in rows.items():
            t = row.split()
            self.assertEqual(float(t[t.index("at") - 2]), SUPPLY_V[name], row)
            self.assertTrue(cur.strip().startswith("at %g V: TX" % SUPPLY_V[name]), cur)
            for c in CURRENTS.get(name, []):
                self.assertIn(c + ",", cur + ",", name)
            self.assertTrue(src.strip().startswith("source: ") and len(src.strip()) > 30, src)
        for col in ("supply V", "TX mW at dBm", "RX mW", "connected mW", "idle mW", "eDRX mW",
                    "PSM mW", "C-DRX sleep mW"):
            self.assertIn(col, res.stdout)

    def test_local_modules_and_errors(self):
        good = ('local modules = {}\n'
                'modules[1] = { name = "mine", rat = "NB-IoT", supply_v = 3.0, source = "bench" }\n'
                'modules.mine = {\n  rx_mw = 30,\n  psm_mw = 0.003,\n}\n'
                'return modules\n')
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", "return {}\n")
            lib.write_scenario(tmp, "modules.lua", good)
            res = lib.run_ok(self, ["check", "--modules", scen])
            self.assertIn("at 3 V: TX 181 mA, RX 10 mA", res.stdout)
            self.assertIn("source: bench", res.stdout)
            lib.write_scenario(tmp, "modules.lua", good.replace("psm_mw = 0.003", "psm_mw = -1"))
            res = lib.run_mtcsim(["check", "--modules", scen])
            self.assertEqual(res.returncode, 2, res.describe())
            self.assertIn("modules.lua:5: modules.mine.psm_mw: must be >= 0", res.stderr)
            lib.write_scenario(tmp, "modules.lua", good.replace(
                "return modules", "modules.other = {\n  rx_mw = 1,\n}\nreturn modules"))
            res = lib.run_mtcsim(["check", "--modules", scen])
            self.assertEqual(res.returncode, 2, res.describe())
            self.assertIn("modules.lua:8: modules.other: not in the catalogue", res.stderr)
            res = lib.run_mtcsim(["check", "--modules", "--set", "seed=2"])
            self.assertEqual(res.returncode, 2, res.describe())


CDRX = """
local mtc = require "mtc"
return mtc.scenario { duration = 3600, devices = {
  { count = 1, module = { idle_mw = 7 } },
  { count = 1, module = { cdrx_mw = 0.5, cdrx = false } },
  { count = 1 },
} }
"""


class CdrxFields(unittest.TestCase):
    def test_defaults_follow_idle(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = lib.write_scenario(tmp, "cdrx.lua", CDRX)
            v = lib.check_output_lines(lib.run_ok(self, ["check", path]).stdout)
            self.assertEqual(float(v["devices[1].module.cdrx_mw"]), 7.0)
            self.assertEqual(v["devices[1].module.cdrx"], "true")
            self.assertEqual(float(v["devices[2].module.cdrx_mw"]), 0.5)
            self.assertEqual(v["devices[2].module.cdrx"], "false")
            self.assertEqual(float(v["devices[3].module.cdrx_mw"]), 3.0)
            # an override of idle_mw moves the derived default with it
            v = lib.check_output_lines(lib.run_ok(
                self, ["check", path, "--set", "devices[3].module.idle_mw=4.5"]).stdout)
            self.assertEqual(float(v["devices[3].module.cdrx_mw"]), 4.5)
            res = lib.run_mtcsim(["check", path, "--set", "devices[1].module.cdrx_mw=-1"])
            self.assertEqual(res.returncode, 2, res.stderr)
            self.assertIn("devices[1].module.cdrx_mw: must be >= 0", res.stderr)


if __name__ == "__main__":
    unittest.main()
