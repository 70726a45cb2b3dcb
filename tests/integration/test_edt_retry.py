"""EDT after a lost Msg4: the retry chooses EDT again for what is queued now.

When an EDT Msg3 is decoded the report is delivered; if its Msg4 is then
lost (one HARQ transmission, 164 dB) the device retries random access with
whatever is at the head of its queue: another report (which must fit EDT
to go in Msg3) or a network command (which EDT cannot carry). Reports and
frequent commands at 164 dB with harq_max_tx = 1 make this happen; the run
must finish (it crashed before) and keep its books: every report is
delivered, dropped, failed or pending, every command delivered, lost or
pending, and no report rides EDT unless it fits the level's EDT TBS.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCENARIO = """
local mtc = require "mtc"
return mtc.scenario {
  name = "edt_retry", duration = mtc.hours(6), seed = %d,
  cell = { edt = true, harq_max_tx = 1 },
  devices = { {
    count = 300,
    traffic = mtc.traffic.poisson(600, mtc.payload.fixed(20)),
    downlink = { traffic = mtc.traffic.poisson(60, mtc.payload.fixed(20)) },
    coverage = mtc.coverage.fixed(164),
    idle = { psm = false },
    edt = true, rai = true,
  } },
}
"""


class EdtRetry(unittest.TestCase):
    def test_lost_msg4_then_retry(self):
        import h5py
        import numpy as np

        with tempfile.TemporaryDirectory() as tmp:
            for seed in (1, 2, 3):
                with self.subTest(seed=seed):
                    scen = lib.write_scenario(tmp, "edt%d.lua" % seed, SCENARIO % seed)
                    out = os.path.join(tmp, "edt%d.h5" % seed)
                    lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
                    with h5py.File(out, "r") as f:
                        d = {k: f["devices"][k][()] for k in f["devices"].keys()}
                    gen = d["reports_generated"].astype(np.int64)
                    books = (d["reports_delivered"] + d["reports_dropped"] + d["reports_failed"]
                             + d["reports_pending"]).astype(np.int64)
                    np.testing.assert_array_equal(gen, books)
                    dl = (d["dl_delivered"] + d["dl_lost"] + d["dl_pending"]).astype(np.int64)
                    np.testing.assert_array_equal(d["dl_generated"].astype(np.int64), dl)
                    self.assertGreater(int(d["edt_reports"].sum()), 0)
                    self.assertLessEqual(int(d["edt_reports"].sum()),
                                         int(d["reports_delivered"].sum()))


if __name__ == "__main__":
    unittest.main()
