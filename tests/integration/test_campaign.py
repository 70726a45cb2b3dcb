"""Firmware update campaigns (mac/campaign.c, issue 18 part 2).

- Bad input: a wrong mode name, a negative image size, a group that does
  not exist, an SC-MTCH repetition outside its set: `file:line: path: why`,
  exit 2.
- Invariants (unicast and multicast): updated + failed + pending = targets;
  every report delivered, dropped, failed or pending; energy by procedure
  sums to the total; fota_radio_j is energy_j_fota.
- The secure-update cost: fota_mcu_j = mcu_mw x (verify_s + KiB x
  (hash_s_per_kb + flash_s_per_kb)), to the 1 us the MCU time is kept in.
- Multicast closed form: 20 devices at 120 dB (one CE level, one session):
  every target updated; those that lost no block finish at the same instant
  (session end + the MCU time, to 1 us); their radio energy is RX power x
  the session's reception + idle power x the rest of the fota time, the
  reception T_rx solved from it is the same for all (1e-9 relative), lies
  between the blocks' NPDSCH airtime (blocks x N_SF x reps of the grant,
  at least one subframe each) and the fota time, and /campaign dl_s (DCIs
  and NPDSCHs of the session) is at most T_rx.
- Unicast: every block of every target is a DCI + NPDSCH booked: dl_s is at
  least blocks x 2 ms per target (1 DCI subframe + 1 NPDSCH subframe at
  the least), and the cell's other reports keep flowing.
- Triggers and rounds: with trigger next_connection a target is updated
  after its next report; PSM targets miss the first round, stay reachable
  (fota time) and are updated in a later one; without repair a receiver
  that lost blocks is served by a further round.
- The throttle: a target whose paging gives up frees its slot (one slot,
  unanswered pages at 165 dB: only those targets wait).
- A PSM receiver whose repair page fails returns to PSM at once.
- Multicast repairs share the unicast throttle (one slot: consecutive
  updates at least the MCU time apart).
- NAS timers: T3412 runs on through an SC-PTM session (2 TAUs in 2 h with
  T3412 = 1 h, whatever the session).
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

RX_MW, IDLE_MW = 90.0, 3.0  # mtc.modules.tr45820 (energy.c)
IMAGE = 6800  # bytes: 80 blocks of 680 bits
VERIFY_S, HASH_S, FLASH_S, MCU_MW = 0.23, 3.1e-3, 31.7e-3, 10.0  # the defaults

SCEN = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "fota_t", duration = %(duration)d, seed = 3,
  cell = { rat = "nbiot", link = { bler_target = %(bler)s } },
  devices = {
    { name = "meters", count = %(count)d,
      traffic = mtc.traffic.periodic(900, mtc.payload.fixed(50)),
      coverage = %(coverage)s, module = mtc.modules.tr45820,
      idle = { psm = %(psm)s }, rai = true },
    { name = "others", count = 10,
      traffic = mtc.traffic.periodic(300, mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(130), module = mtc.modules.tr45820, rai = true },
  },
  campaign = { mode = "%(mode)s", image_bytes = %(image)d, start_s = 600, groups = "meters",
    unicast = { trigger = "%(trigger)s" },
    multicast = { per_level = true, repair = %(repair)s, repeat_s = 900, sessions = 8 } },
}
"""


# Meters that report rarely (the campaign's own events only), at one
# coupling loss; the campaign's fields after its defaults here.
QUIET = """
local mtc = require "mtc"
return mtc.scenario {
  name = "%(name)s", duration = %(dur)s, seed = %(seed)s,
  cell = { rat = "nbiot", %(cell)s },
  devices = {
    { name = "meters", count = %(count)d,
      traffic = mtc.traffic.periodic(%(period)s, mtc.payload.fixed(50)),
      coverage = mtc.coverage.fixed(%(cl)d), module = mtc.modules.tr45820,
      idle = { %(idle)s }, rai = true },
  },
  campaign = { image_bytes = %(image)d, start_s = %(start)d, groups = "meters", %(campaign)s },
}
"""


def scenario(**kw):
    p = dict(duration=7200, bler="0.1", count=20, coverage="mtc.coverage.fixed(120)",
             mode="multicast", image=IMAGE, psm="false", trigger="page", repair="true")
    p.update(kw)
    return SCEN % p


class CampaignTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.runs = {}
        for name, kw in {"mc": dict(bler="0.001"), "mc_tr": dict(coverage="mtc.coverage.tr45820()",
                                                                 count=60),
                         "uc": dict(mode="unicast", coverage="mtc.coverage.tr45820()",
                                    count=30),
                         "uc_next": dict(mode="unicast", count=10, trigger="next_connection"),
                         "mc_psm": dict(psm="true", count=10),
                         "mc_norepair": dict(repair="false", count=20, coverage="mtc.coverage.fixed(157)")}.items():
            src = lib.write_scenario(cls.tmp.name, name + ".lua", scenario(**kw))
            out = os.path.join(cls.tmp.name, name + ".h5")
            res = lib.run_mtcsim(["run", src, "-o", out])
            if res.returncode != 0:
                raise AssertionError(res.describe())
            cls.runs[name] = lib.read_datasets(out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def col(self, run, table, name):
        return self.runs[run]["/%s/%s" % (table, name)]

    def test_invariants(self):
        for run in self.runs:
            with self.subTest(run=run):
                c = lambda n: int(self.col(run, "campaign", n)[0])  # noqa: E731
                self.assertEqual(c("updated") + c("failed") + c("pending"), c("targets"))
                grp = self.col(run, "devices", "group")
                self.assertEqual(c("targets"), int((grp == 1).sum()))
                st = self.col(run, "devices", "fota_status")
                np.testing.assert_array_equal(st[grp == 2], 0)  # not a target
                self.assertEqual(c("updated"), int((st == 1).sum()))
                d = lambda n: self.col(run, "devices", n).astype(float)  # noqa: E731
                np.testing.assert_array_equal(
                    d("reports_generated"),
                    d("reports_delivered") + d("reports_dropped") + d("reports_failed") +
                    d("reports_pending"))
                procs = sum(d("energy_j_" + p) for p in lib.PROCS)
                np.testing.assert_allclose(procs, d("energy_j"), rtol=1e-9)
                tprocs = sum(d("time_s_" + p) for p in lib.PROCS)
                np.testing.assert_allclose(tprocs, 7200.0, rtol=1e-12)
                np.testing.assert_array_equal(d("fota_radio_j"), d("energy_j_fota"))
                kb = IMAGE / 1024.0
                mcu = MCU_MW * (VERIFY_S + kb * (HASH_S + FLASH_S)) / 1e3
                upd = st == 1
                np.testing.assert_allclose(d("fota_mcu_j")[upd], mcu, atol=MCU_MW * 1e-6 / 1e3)  # the MCU time to 1 us
                self.assertGreater(c("updated"), 0)

    def test_multicast_closed_form(self):
        d = lambda n: self.col("mc", "devices", n).astype(float)  # noqa: E731
        tgt = self.col("mc", "devices", "group") == 1
        self.assertTrue(np.all(self.col("mc", "devices", "fota_status")[tgt] == 1),
                        "every target updated")
        self.assertEqual(int(self.col("mc", "campaign", "sessions")[0]), 1)
        clean = tgt & (self.col("mc", "devices", "fota_blocks_missed") == 0)
        self.assertGreaterEqual(int(clean.sum()), 15, "BLER 0.001: few blocks lost")
        mcu_s = VERIFY_S + IMAGE / 1024.0 * (HASH_S + FLASH_S)
        end = d("fota_done_s")[clean] - mcu_s
        self.assertLess(np.ptp(end), 1e-6, "one session end")
        e, t = d("energy_j_fota")[clean], d("time_s_fota")[clean]
        # E = rx T_rx + idle (T - T_rx)  ->  T_rx = (E - idle T) / (rx - idle), mW -> J
        t_rx = (e * 1e3 - IDLE_MW * t) / (RX_MW - IDLE_MW)
        self.assertLess(np.ptp(t_rx) / t_rx.mean(), 1e-9, "the same reception for all")
        self.assertTrue(np.all(t_rx <= t + 1e-9))
        blocks = math.ceil(IMAGE * 8 / 680)
        self.assertGreaterEqual(t_rx[0], blocks * 1e-3)
        dl_s = float(self.col("mc", "campaign", "dl_s")[0])
        self.assertGreater(dl_s, blocks * 2e-3)
        self.assertLessEqual(dl_s, t_rx[0] + 1e-9)
        # the session starts lead_s (10.24 s) after start_s at the earliest
        self.assertGreaterEqual(end[0] - t_rx[0], 600 + 10.24 - 1e-6)

    def test_multicast_levels_and_repair(self):
        c = lambda n: int(self.col("mc_tr", "campaign", n)[0])  # noqa: E731
        tgt = self.col("mc_tr", "devices", "group") == 1
        levels = set(self.col("mc_tr", "devices", "ce_level")[tgt].tolist()) - {4}
        self.assertGreaterEqual(c("sessions"), len(levels))
        self.assertEqual(c("pending"), 0)

    def test_unicast_blocks_book_the_downlink(self):
        c = lambda n: float(self.col("uc", "campaign", n)[0])  # noqa: E731
        blocks = math.ceil((IMAGE + 4) * 8 / 680)
        self.assertGreaterEqual(c("dl_s"), c("updated") * blocks * 2e-3)
        self.assertEqual(c("sessions"), 0)
        oth = self.col("uc", "devices", "group") == 2
        self.assertTrue(np.all(self.col("uc", "devices", "reports_delivered")[oth] > 0))
        share = self.runs["uc"]["/campaign_curve/share"]
        self.assertTrue(np.all(np.diff(share) >= 0))
        self.assertAlmostEqual(float(share[-1]), c("updated") / c("targets"))


    def test_triggers_and_rounds(self):
        # next_connection: a target takes its image at its next report (every 900 s)
        c = lambda r, n: int(self.col(r, "campaign", n)[0])  # noqa: E731
        self.assertEqual(c("uc_next", "updated"), 10)
        done = self.col("uc_next", "devices", "fota_done_s")[:10]
        self.assertTrue(np.all(done > 600) and np.all(done < 600 + 900 + 300))
        # PSM targets: none monitors at the first round; each learns at its
        # next report, stays reachable (fota) and gets a later round
        self.assertEqual(c("mc_psm", "updated"), 10)
        self.assertGreaterEqual(c("mc_psm", "sessions"), 1)
        t = self.col("mc_psm", "devices", "time_s_fota")[:10]
        self.assertTrue(np.all(t > 0))
        done = self.col("mc_psm", "devices", "fota_done_s")[:10]
        self.assertTrue(np.all(done > 600 + 10.24 + 900 - 1e-6), "not in the first round")
        # without repair, a receiver that lost blocks gets the next round
        # (BLER target 0.1 at 157 dB: blocks are lost)
        lost = self.col("mc_norepair", "devices", "fota_blocks_missed")[:20]
        self.assertGreater(int((lost > 0).sum()), 0)
        self.assertGreater(c("mc_norepair", "sessions"), 1)
        self.assertEqual(c("mc_norepair", "updated") + c("mc_norepair", "pending"), 20)


class CampaignErrorsTest(unittest.TestCase):
    CASES = [
        ('mode = "multicast"', 'mode = "broadcast"', "campaign.mode"),
        ("image_bytes = %d" % IMAGE, "image_bytes = -5", "campaign.image_bytes"),
        ('groups = "meters"', 'groups = "meters,valves"', "campaign.groups"),
        ("per_level = true", "per_level = true, mtch_reps = 3", "campaign.multicast.mtch_reps"),
    ]

    def test_review_cases(self):
        """Cases a review found: (a) a run ending while a later CE level's
        session waits its turn (its receivers' time was read uninitialised:
        an abort); (b) PSM targets whose reports ride EDT fetch the image
        (the network falls back to a connection for queued downlink data;
        they stayed pending); (c) a sweep over campaign.mode with "none"
        writes one /devices table (it failed after every point ran); (d)
        eDRX targets with a cycle longer than lead_s hear of a round only at
        an occasion inside lead_s (they all received the first one)."""
        base = """
local mtc = require "mtc"
return mtc.scenario {
  name = "rev", duration = %(dur)d, seed = 3,
  cell = { rat = "nbiot", edt = %(edt)s },
  devices = {
    { name = "meters", count = 200,
      traffic = mtc.traffic.periodic(%(period)d, mtc.payload.fixed(20)),
      coverage = mtc.tr45820.coupling_loss(), module = mtc.modules.tr45820,
      idle = %(idle)s, rai = true, edt = true },
  },
  campaign = { mode = "%(mode)s", image_bytes = %(image)d, start_s = 100, groups = "meters",
               multicast = { lead_s = 10.24 } },
}
"""
        with tempfile.TemporaryDirectory() as tmp:
            def run(name, cmd="run", extra=(), **kw):
                v = dict(dur=20000, edt="false", period=3600, idle="{ psm = false }",
                         mode="multicast", image=20000)
                v.update(kw)
                scen = lib.write_scenario(tmp, name + ".lua", base % v)
                out = os.path.join(tmp, name + ".h5")
                lib.run_ok(self, [cmd, scen, "-o", out, "--quiet"] + list(extra), timeout=300)
                return out
            for dur in (113, 120):  # (a)
                run("early%d" % dur, dur=dur, image=2000000)
            out = run("edt", mode="unicast", edt="true",
                      idle="{ psm = true, t3324_s = 0 }")  # (b)
            with h5py.File(out, "r") as f:
                st = f["devices"]["fota_status"][()]
                edt = f["devices"]["edt_reports"][()]
            self.assertEqual(int(np.count_nonzero(st == 3)), 0, np.bincount(st))
            self.assertGreater(int(edt.sum()), 0)
            out = run("sw", cmd="sweep", dur=3600,
                      extra=["--sweep", "campaign.mode=none,unicast,multicast"])  # (c)
            with h5py.File(out, "r") as f:
                np.testing.assert_array_equal(np.unique(f["devices"]["point_id"][()]), [0, 1, 2])
            out = run("edrx", dur=4000, idle="{ psm = false, edrx_cycle_s = 2621.44 }")  # (d)
            with h5py.File(out, "r") as f:
                done = f["devices"]["fota_done_s"][()]
            first = np.count_nonzero(done < 100 + 10.24 + 600)
            self.assertLess(first, 0.1 * len(done), "%d of %d in the first round" % (first, len(done)))

    def run_quiet(self, name, cell="", count=40, cl=150, idle="psm = false", dur="7200",
                  period="mtc.days(30)", campaign="", seed=3, image=IMAGE, start=600):
        """Runs QUIET (meters that report rarely: the campaign's own
        events only) and returns its datasets."""
        src = QUIET % dict(name=name, cell=cell, count=count, cl=cl, idle=idle, dur=dur,
                           period=period, campaign=campaign, seed=seed, image=image, start=start)
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, name + ".lua", src)
            out = os.path.join(tmp, name + ".h5")
            lib.run_ok(self, ["run", scen, "-o", out, "--quiet"], timeout=300)
            return lib.read_datasets(out)

    def test_unreached_target_frees_its_slot(self):
        """A unicast target whose paging gives up (max_attempts occasions
        unanswered at 165 dB) frees its max_parallel slot and keeps the
        image for its next connection: with one slot the campaign goes on
        (before, the first unanswered page stalled it: 21 of 30 pending
        against 1 paging failure)."""
        r = self.run_quiet("unreached", cell="paging = { max_attempts = 1 }", count=30, cl=165,
                           start=100, campaign='mode = "unicast", unicast = { max_parallel = 1 }')
        c = {n: int(r["/campaign/" + n][0]) for n in ("targets", "updated", "pending")}
        fails = int(r["/cells/paging_failures"][0])
        self.assertGreater(fails, 0, "the case must exercise an unanswered page")
        # only targets whose page went unanswered wait (for a report or TAU)
        self.assertLessEqual(c["pending"], fails, c)
        self.assertGreaterEqual(c["updated"], c["targets"] - fails, c)

    def test_session_keeps_nas_timers(self):
        """An SC-PTM session is idle-mode reception, no NAS signalling: T3412
        runs on through it (TS 24.301 5.3.5). 40 DRX meters without
        reports in 2 h, T3412 = 1 h, one session at 610 s: each makes its
        first TAU at a uniform point of the first hour (or right after the
        session, if it expired during it) and a second one an hour after
        that, before the end: exactly 2 TAUs each (when the session
        restarted T3412, 34 of 40 made only one)."""
        r = self.run_quiet("tau", cl=130, idle="psm = false, t3412_s = 3600",
                           campaign='mode = "multicast", multicast = { sessions = 1 }')
        self.assertEqual(int(r["/campaign/updated"][0]), 40)
        np.testing.assert_array_equal(r["/devices/taus"], 2)

    def test_repairs_share_the_throttle(self):
        """Multicast repairs take max_parallel slots as unicast targets do:
        40 receivers at 150 dB with a 0.3 BLER target all lose blocks in
        the one session; with one slot each repair starts when the previous
        target has verified (the slot's release), so consecutive updates
        are at least the MCU time apart (0.46 s for 6.8 KB); unthrottled
        (0) they overlap (before, the slot was ignored in multicast:
        6 ms apart)."""
        mcu_s = VERIFY_S + IMAGE / 1024.0 * (HASH_S + FLASH_S)
        gaps = {}
        for mp in (1, 0):
            r = self.run_quiet("mcrep%d" % mp, cell="link = { bler_target = 0.3 }",
                               campaign='mode = "multicast", unicast = { max_parallel = %d }, '
                                        "multicast = { sessions = 1 }" % mp)
            self.assertEqual(int(r["/campaign/updated"][0]), 40)
            self.assertEqual(int(np.count_nonzero(r["/devices/fota_blocks_missed"] > 0)), 40)
            gaps[mp] = np.diff(np.sort(r["/devices/fota_done_s"]))
        self.assertGreaterEqual(float(gaps[1].min()), mcu_s - 1e-6)
        self.assertLess(float(gaps[0].min()), mcu_s)

    def test_failed_repair_page_returns_to_psm(self):
        """A PSM receiver (T3324 = 0) with blocks to repair stays reachable
        after its session until paged; when that paging gives up it goes
        back to PSM (T3324 ran out long ago) instead of monitoring paging
        until its next report. 100 meters at 162 dB, paging Rmax 4 (pages
        missed), 12 h: no device monitors paging for more than a minute
        (before: 3 devices for up to 2,837 s)."""
        r = self.run_quiet("psm_repair", cell="paging = { max_attempts = 4, rmax = 4 }",
                           count=100, cl=162, idle="psm = true, t3324_s = 0",
                           dur="mtc.hours(12)", period="mtc.hours(1)", seed=1, image=20000,
                           campaign='mode = "multicast", multicast = { repeat_s = 3600 }')
        self.assertGreater(int(r["/cells/paging_failures"][0]), 0,
                           "the case must exercise a failed repair page")
        self.assertEqual(int(r["/campaign/updated"][0]), 100)
        self.assertLess(float(r["/devices/time_s_paging"].max()), 60.0)

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            for old, new, path in self.CASES:
                with self.subTest(field=path):
                    text = scenario().replace(old, new)
                    self.assertNotEqual(text, scenario())
                    src = lib.write_scenario(tmp, "bad.lua", text)
                    out = os.path.join(tmp, "bad.h5")
                    res = lib.run_mtcsim(["run", src, "-o", out])
                    lib.assert_usage_error(self, res)
                    line = 1 + text.splitlines().index(
                        next(ln for ln in text.splitlines() if new in ln))
                    self.assertTrue(res.first_err_line.startswith(
                        "%s:%d: %s: " % (src, line, path)), res.describe())
                    self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
