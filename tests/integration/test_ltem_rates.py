"""LTE-M peak rates in the event model, against the hand-worked HD-FDD
schedules.

One device at 100 dB (every link margin large: BLER ~0, and the uplink
power-control margin is raised to 20 dB so no block is lost) sends, and a
second one receives, a large message in CE mode A without repetitions.
The rate is taken from the difference of the latencies of a 100 kB and a
50 kB message (400 blocks of 1000 bits), which cancels the access,
paging and connection overheads:

- uplink: DCI 6-0A in n, n+1, n+2 (every subframe a candidate with
  mpdcch_g = 1 at level 0), PUSCH in n+4, n+5, n+6 (TS 36.213 8.0), a guard
  subframe n+7, the next DCIs from n+8: 3 blocks per 8 ms = 375 kbit/s, the
  Rel-13 Cat-M1 HD-FDD figure (phy_ltem_peak_kbps(0), tests/phy);
- downlink: MPDCCH n, n+1, n+2 (on 2 PRBs), PDSCH n+2, n+3, n+4 (2nd BL/CE
  subframe, TS 36.213 7.1.11; 1000 bits on 4 PRBs, sharing subframe n+2
  with the third MPDCCH), the last PDSCH ending a guard subframe before the
  first HARQ-ACK (PUCCH n+6, n+7, n+8), guard n+9, next MPDCCH n+10: 3
  blocks per 10 ms = 300 kbit/s, the Rel-13 figure.
Tolerance: one burst period (8 or 10 ms) of 1,067 / 1,333 ms, i.e. the
burst boundary of the two message sizes.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

try:
    import h5py  # noqa: E402
except ImportError:  # pragma: no cover
    h5py = None

SCENARIO = """\
local mtc = require "mtc"
local size = 100000
return mtc.scenario {
  name = "ltem_rates", duration = 600, seed = 1,
  cell = { rat = "ltem", cp_overhead_bytes = 0, l2_overhead_bytes = 0, dl_ack_bytes = 0,
           link = { pc_margin_db = 20 } },
  devices = {
    { name = "up", count = 1,
      traffic = { kind = "periodic", period_s = 1000, random_phase = false, start_s = 10,
                  payload = { kind = "fixed", bytes = size } },
      coverage = mtc.coverage.fixed(100), rai = true, answer = false, edt = false },
    { name = "down", count = 1, traffic = mtc.traffic.none(),
      downlink = { traffic = { kind = "periodic", period_s = 1000, random_phase = false,
                               start_s = 100, payload = { kind = "fixed", bytes = size } } },
      coverage = mtc.coverage.fixed(100), idle = { psm = false }, rai = true },
  },
}
"""


@unittest.skipIf(h5py is None, "h5py is needed")
class LtemRates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        path = lib.write_scenario(cls.tmp.name, "rates.lua", SCENARIO)
        cls.lat = {}
        for size in (50000, 100000):
            out = os.path.join(cls.tmp.name, "r%d.h5" % size)
            r = lib.run_mtcsim(["run", path, "-o", out, "--quiet",
                                "--set", "devices[1].traffic.payload.bytes=%d" % size,
                                "--set", "devices[2].downlink.traffic.payload.bytes=%d" % size])
            if r.returncode != 0:
                raise AssertionError(r.describe())
            with h5py.File(out, "r") as f:
                d = f["devices"]
                cls.lat[size] = (float(d["latency_ms_mean"][0]),
                                 float(d["dl_latency_ms_mean"][1]),
                                 int(d["harq_retx"][0]), int(d["harq_retx"][1]))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_no_losses(self):
        for size, v in self.lat.items():
            self.assertEqual(v[2:], (0, 0), "retransmissions at 100 dB (size %d)" % size)

    def test_uplink_375_kbps(self):
        dt = self.lat[100000][0] - self.lat[50000][0]
        self.assertLessEqual(abs(dt - 400 / 3 * 8), 8.0, "400 blocks took %.1f ms" % dt)
        self.assertAlmostEqual(400e3 / dt, 375.0, delta=3.0)

    def test_downlink_300_kbps(self):
        dt = self.lat[100000][1] - self.lat[50000][1]
        self.assertLessEqual(abs(dt - 400 / 3 * 10), 10.0, "400 blocks took %.1f ms" % dt)
        self.assertAlmostEqual(400e3 / dt, 300.0, delta=3.0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
