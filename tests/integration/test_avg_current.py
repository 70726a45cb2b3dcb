"""Average current: the summary's `current uA` and /devices/avg_current_ua.

Planners budget a device in microamps at its battery's voltage, so mtcsim
reports I = P / V next to the average power, V being the group's
battery.voltage_v (with either rating; default 3.6 V).

1. /devices/avg_current_ua equals avg_power_mw / voltage_v x 1000 per
   device, to 1e-12 relative (the same double arithmetic).
2. Each summary row's current equals its power / voltage_v x 1000 within
   0.1 % (both printed rounded: power to 1e-4 mW, current to 1e-3 uA; the
   scenario keeps its devices in idle DRX, above 1 mW, so that the rounding
   stays below 0.01 %), and equals the group
   mean of the file's column within 0.1 %.
3. Three groups with one module at 3.6 V (default), 3.0 V (mah) and 1.5 V
   (wh with voltage_v) print the same power and currents in the ratio of
   their voltages; the "all" row is the mean of the devices' currents.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCENARIO = """
local mtc = require "mtc"
local function group(name, battery)
  return { name = name, count = 4, battery = battery,
           coverage = mtc.coverage.fixed(150),
           traffic = mtc.traffic.periodic(mtc.hours(1), mtc.payload.fixed(100)),
           idle = { psm = false } }  -- idle DRX: some mW, printed to 5 digits
end
return mtc.scenario { name = "current", duration = mtc.hours(12), seed = 5, devices = {
  group("v36"),
  group("v30", { rating = "mah", capacity_mah = 2400, voltage_v = 3.0 }),
  group("v15", { capacity_wh = 5, voltage_v = 1.5 }),
} }
"""
VOLTS = {"v36": 3.6, "v30": 3.0, "v15": 1.5}


def summary_rows(stdout):
    """{group: (power mW, current uA)} from the summary's group table."""
    rows, inside = {}, False
    for line in stdout.splitlines():
        t = line.split()
        if t[:1] == ["group"] and "current" in t:
            inside = True
            continue
        if inside:
            if not t:
                break
            rows[t[0]] = (float(t[10]), float(t[11]))  # after "delivered %"
    return rows


class AvgCurrent(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import h5py

        cls.tmp = tempfile.TemporaryDirectory()
        path = lib.write_scenario(cls.tmp.name, "current.lua", SCENARIO)
        out = os.path.join(cls.tmp.name, "current.h5")
        res = lib.run_mtcsim(["run", path, "-o", out, "--threads", "2"], timeout=120)
        assert res.returncode == 0, res.describe()
        cls.stdout = res.stdout
        with h5py.File(out, "r") as f:
            cls.d = {k: f["devices"][k][()] for k in ("group", "avg_power_mw", "avg_current_ua")}
            cls.d["group"] = cls.d["group"] - 1  # the file numbers groups from 1 (devices[g]); indexed from 0 here
            cls.unit = f["devices"]["avg_current_ua"].attrs.get("unit")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_column(self):
        import numpy as np

        volts = np.array([VOLTS[n] for n in VOLTS])[self.d["group"]]
        np.testing.assert_allclose(self.d["avg_current_ua"],
                                   self.d["avg_power_mw"] / volts * 1000.0, rtol=1e-12, atol=0)
        unit = self.unit.decode() if isinstance(self.unit, bytes) else self.unit
        self.assertEqual(unit, "uA")

    def test_summary(self):
        rows = summary_rows(self.stdout)
        self.assertEqual(set(rows), set(VOLTS) | {"all"}, self.stdout)
        currents = []
        for g, name in enumerate(VOLTS):
            mw, ua = rows[name]
            self.assertGreater(mw, 1.0, name)  # 1e-4 mW printed: below 0.01 % of it
            self.assertAlmostEqual(ua, mw / VOLTS[name] * 1000.0, delta=1e-3 * ua, msg=name)
            m = self.d["group"] == g
            mean = float(self.d["avg_current_ua"][m].mean())
            self.assertAlmostEqual(ua, mean, delta=1e-3 * mean, msg=name)
            currents.append(mean)
        # same module and traffic: the same power, currents in the voltages' ratio
        self.assertAlmostEqual(rows["v30"][1] / rows["v36"][1], 3.6 / 3.0, delta=0.05)
        self.assertAlmostEqual(rows["v15"][1] / rows["v36"][1], 3.6 / 1.5, delta=0.1)
        allmean = float(self.d["avg_current_ua"].mean())
        self.assertAlmostEqual(rows["all"][1], allmean, delta=1e-3 * allmean)
        self.assertIn("current: mean per device at its battery's voltage_v", self.stdout)


if __name__ == "__main__":
    unittest.main()
