"""Downlink data waiting for a device that sends its report by EDT.

The network holds network commands for a device in PSM until it connects.
When the device's next report comes by EDT the network either sends them in
RRCEarlyDataComplete (Msg4 is one transport block: Cat-NB1 680 bits) or
answers with a connection set-up (the fallback of TS 36.300 7.3b) and the
report and commands go over the connection. Before this was modelled the
commands were never delivered: every report rode EDT, the commands waited
until buffer_s and were lost (0 of 1,567 delivered in the case below).

200 meters at 140 dB in PSM (T3324 = 0) report 20 bytes hourly by EDT;
commands arrive as a Poisson stream, one per 6 h on average, and are held
for a day. Each report finds the commands of the hour since the previous
one: N ~ Poisson(1/6). Msg4 holds 26 bytes (RRCEarlyDataComplete), the
application's acknowledgement 20 + 9 bytes and each command with its 9
L2 bytes: a 10-byte command fits once (440 + 152 = 592 bits; two are 744),
a 60-byte one never. So the fallbacks are the reports with N >= 2
(10 bytes) or N >= 1 (60 bytes; 10 bytes with an uplink answer, which
needs a connection): closed forms 9,600 x P(N >= k) within 3 standard
errors. Books: every command delivered, lost or pending; none lost; every
report by EDT or by a fallback connection.

The same for PUR (TS 36.300 7.3d.3: the response is RRCEarlyDataComplete
too): before, 90 of 670 commands reached PUR devices in PSM; the fallbacks
for downlink data (pur_fallbacks less pur_ta_invalid) follow N >= 2.
"""

import math
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

SCEN = """
local mtc = require "mtc"
return mtc.scenario {
  name = "edt_dl", duration = mtc.days(2), seed = 5,
  cell = { rat = "nbiot", edt = true, network = { buffer_s = 86400 } },
  devices = {
    { name = "meters", count = 200,
      traffic = mtc.traffic.periodic(mtc.hours(1), mtc.payload.fixed(20)),
      downlink = { traffic = mtc.traffic.poisson(mtc.hours(6), mtc.payload.fixed(%(cmd)d)),
                   answer_bytes = %(answer)d },
      coverage = mtc.coverage.fixed(140), module = mtc.modules.tr45820,
      idle = { psm = true, t3324_s = 0 }, rai = true, edt = true },
  },
}
"""
REPORTS = 200 * 48
LAM = 1.0 / 6.0  # commands per report interval

# PUR: 100 meters with a resource every report period (2621.44 s), 40
# periods; the same commands (one per 6 periods). Msg4's rule holds for
# the PUR response (RRCEarlyDataComplete): one 10-byte command rides, with
# two or more queued the device falls back to random access (then EDT,
# whose Msg3 the network answers with a connection).
PUR_SCEN = """
local mtc = require "mtc"
local P = 2621.44
return mtc.scenario {
  name = "pur_dl", duration = 40 * P, seed = 5,
  cell = { rat = "nbiot", edt = true, pur = { enabled = true }, network = { buffer_s = 86400 } },
  devices = {
    { name = "meters", count = 100,
      traffic = mtc.traffic.periodic(P, mtc.payload.fixed(20)),
      downlink = { traffic = mtc.traffic.poisson(6 * P, mtc.payload.fixed(10)) },
      coverage = mtc.coverage.fixed(140), module = mtc.modules.tr45820,
      idle = { psm = true, t3324_s = 0 }, rai = true, edt = true,
      pur = { enabled = true, periodicity_s = P, tbs_bits = 776 } },
  },
}
"""
PUR_REPORTS = 100 * 40


class EdtDownlink(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.runs = {}
        for name, cmd, answer in (("small", 10, 0), ("large", 60, 0), ("answer", 10, 10),
                                  ("pur", 0, 0)):
            text = PUR_SCEN if name == "pur" else SCEN % dict(cmd=cmd, answer=answer)
            src = lib.write_scenario(cls.tmp.name, name + ".lua", text)
            out = os.path.join(cls.tmp.name, name + ".h5")
            res = lib.run_mtcsim(["run", src, "-o", out, "--quiet"])
            if res.returncode != 0:
                raise AssertionError(res.describe())
            with h5py.File(out, "r") as f:
                cls.runs[name] = ({k: f["devices"][k][()].astype(np.int64)
                                   for k in f["devices"].keys() if f["devices"][k].dtype.kind in "iu"},
                                  {k: f["cells"][k][()] for k in f["cells"].keys()})

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_books(self):
        for name, (d, c) in self.runs.items():
            with self.subTest(run=name):
                np.testing.assert_array_equal(d["dl_generated"],
                                              d["dl_delivered"] + d["dl_lost"] + d["dl_pending"])
                self.assertEqual(int(d["dl_lost"].sum()), 0)
                # pending: the commands since each device's last report (~1/12 each)
                self.assertLess(int(d["dl_pending"].sum()), 0.05 * int(d["dl_generated"].sum()))
                if name == "pur":
                    self.assertEqual(int(d["reports_delivered"].sum()), PUR_REPORTS)
                    self.assertGreater(int(d["pur_reports"].sum()), 0.9 * PUR_REPORTS)
                    continue
                self.assertEqual(int(d["reports_delivered"].sum()), REPORTS)
                np.testing.assert_array_equal(d["edt_reports"] + d["edt_fallbacks"],
                                              d["reports_delivered"])
                self.assertEqual(int(c["edt_fallbacks"][0]), int(d["edt_fallbacks"].sum()))

    def test_fallbacks_closed_form(self):
        p1 = 1.0 - math.exp(-LAM)
        p2 = 1.0 - math.exp(-LAM) * (1.0 + LAM)
        for name, p in (("small", p2), ("large", p1), ("answer", p1)):
            with self.subTest(run=name):
                fb = int(self.runs[name][0]["edt_fallbacks"].sum())
                mean = REPORTS * p
                se = math.sqrt(REPORTS * p * (1.0 - p))
                self.assertLess(abs(fb - mean), 3 * se, "%d fallbacks, closed form %.1f" % (fb, mean))
        d = self.runs["pur"][0]
        fb = int((d["pur_fallbacks"] - d["pur_ta_invalid"]).sum())  # those for downlink data
        mean, se = PUR_REPORTS * p2, math.sqrt(PUR_REPORTS * p2 * (1.0 - p2))
        self.assertLess(abs(fb - mean), 3 * se, "PUR: %d fallbacks, closed form %.1f" % (fb, mean))
        # the commands that come with one report are the same in both runs
        self.assertEqual(int(self.runs["large"][0]["edt_fallbacks"].sum()),
                         int(self.runs["answer"][0]["edt_fallbacks"].sum()))


    def test_buffer_s_as_over_a_connection(self):
        """Commands held longer than network.buffer_s (default 3600 s) are
        lost before EDT's Msg4 is filled, as over a connection: reports
        every 2 h, so about half the commands expire; with EDT exactly the
        same commands are delivered and lost as without (before, EDT
        delivered 1,307 and lost 240, p95 latency 6,738 s)."""
        src = SCEN.replace("network = { buffer_s = 86400 }", "network = { buffer_s = 3600 }")
        src = src.replace("mtc.traffic.periodic(mtc.hours(1)", "mtc.traffic.periodic(mtc.hours(2)")
        got = {}
        with tempfile.TemporaryDirectory() as tmp:
            for edt in ("true", "false"):
                text = (src % dict(cmd=10, answer=0)).replace("edt = true", "edt = " + edt)
                scen = lib.write_scenario(tmp, "buf_%s.lua" % edt, text)
                out = os.path.join(tmp, "buf_%s.h5" % edt)
                lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
                with h5py.File(out, "r") as f:
                    got[edt] = {k: f["devices"][k][()].astype(np.int64)
                                for k in ("dl_delivered", "dl_lost", "edt_reports")}
                    got[edt]["p95"] = float(f["cells"]["dl_latency_ms_p95"][0])
        self.assertGreater(int(got["true"]["edt_reports"].sum()), 0)
        self.assertEqual(int(got["false"]["edt_reports"].sum()), 0)
        self.assertGreater(int(got["true"]["dl_lost"].sum()), 0)
        for k in ("dl_delivered", "dl_lost"):
            np.testing.assert_array_equal(got["true"][k], got["false"][k])
        self.assertLessEqual(got["true"]["p95"], 3600e3)


if __name__ == "__main__":
    unittest.main()
