"""mtcsim sweep: points, seeds, determinism, and agreement with single runs.

- `--list` prints the points in a fixed order: axes sorted by path name
  (a zipped group by its first path), the last axis fastest, excluded
  points left out; the same list lands in /config/sweep.
- /points has one row per (point, replication), in that order, with every
  swept path as a column (strings as indexes into their values, named in
  the column's doc) and the point's seed: a seed derived from (base seed,
  point), distinct per point, or the base seed everywhere with
  common_random_numbers.
- Determinism: --threads 1, 2 and 3, and 3 job-array tasks joined by
  `mtcsim merge`, give identical datasets (wall_s aside).
- Interruption: a sweep killed (SIGKILL) after some points completed
  leaves no results file, only the complete point files; `--resume` keeps
  them (without it the run refuses) and the result is identical to an
  uninterrupted run; `--resume` on a finished sweep does nothing.
- A point is the scenario with the point's values and seed: `mtcsim run`
  with the same --set and --seed gives bit-identical /devices and /cells
  rows (point_id aside).
- Errors: a sweep given to `mtcsim run`, a table as a value, zipped lists
  of different lengths, an exclusion of every point: exit 2 with
  file:line: field: reason.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

try:
    import h5py  # noqa: E402
    import numpy as np  # noqa: E402
except ImportError:  # pragma: no cover
    h5py = None

SCENARIO = lib.sweep_scenario("""\
{
    ["devices[1].count"] = { 30, 90 },
    ["cell.rat"] = { "nbiot", "ltem" },
    { ["devices[1].coverage.fixed_db"] = { 130, 150 },
      ["devices[1].traffic.payload.bytes"] = { 20, 200 } },
  }""", extra=(
    '  sweep_exclude = function(p) return p["cell.rat"] == "ltem" and p["devices[1].count"] == 90 '
    'end,\n'))

LIST = [
    ['"nbiot"', "30", "130", "20"],
    ['"nbiot"', "30", "150", "200"],
    ['"nbiot"', "90", "130", "20"],
    ['"nbiot"', "90", "150", "200"],
    ['"ltem"', "30", "130", "20"],
    ['"ltem"', "30", "150", "200"],
]
PATHS = ["cell.rat", "devices[1].count", "devices[1].coverage.fixed_db",
         "devices[1].traffic.payload.bytes"]


def same(a, b, skip=("/points/wall_s",)):
    """Datasets of two files equal (NaN equal to NaN), names included."""
    assert sorted(a) == sorted(b), sorted(set(a) ^ set(b))
    for k in a:
        if k in skip:
            continue
        if isinstance(a[k], bytes):
            assert a[k] == b[k], k
        else:
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def read_all(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = obj[()]
        f.visititems(visit)
    return out


@unittest.skipIf(h5py is None, "h5py and numpy are needed")
class Sweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.scen = lib.write_scenario(cls.tmp.name, "sw.lua", SCENARIO)
        cls.files, cls.out = {}, {}
        for threads in ("1", "2", "3"):
            out = os.path.join(cls.tmp.name, "sw%s.h5" % threads)
            r = lib.run_mtcsim(["sweep", cls.scen, "-o", out, "--threads", threads, "--quiet"],
                               timeout=120)
            if r.returncode != 0:
                raise AssertionError(r.describe())
            cls.files[threads] = read_all(out)
            cls.out[threads] = out

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_list(self):
        r = lib.run_mtcsim(["sweep", self.scen, "--list"])
        self.assertEqual(r.returncode, 0, r.describe())
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["point"] + PATHS)
        self.assertEqual([ln.split()[1:] for ln in lines[1:]], LIST)
        self.assertEqual([int(ln.split()[0]) for ln in lines[1:]], list(range(6)))
        self.assertEqual(self.files["1"]["/config/sweep"].decode(), r.stdout)

    def test_points_table(self):
        p = self.files["1"]
        np.testing.assert_array_equal(p["/points/point_id"], np.repeat(np.arange(6), 2))
        np.testing.assert_array_equal(p["/points/replication"], np.tile([0, 1], 6))
        # swept strings as the strings, numbers as numbers with the field's unit
        rat = [row[0].strip('"').encode() for row in LIST]
        np.testing.assert_array_equal(p["/points/cell.rat"], np.repeat(rat, 2))
        for k in (1, 2, 3):
            np.testing.assert_array_equal(p["/points/" + PATHS[k]],
                                          np.repeat([float(row[k]) for row in LIST], 2))
        with h5py.File(self.out["1"], "r") as f:
            for path, unit in zip(PATHS, ("", "", "dB", "B")):
                ds = f["points"][path]
                self.assertEqual(int(ds.attrs["swept"]), 1, path)
                got = ds.attrs["unit"]
                self.assertEqual(got.decode() if isinstance(got, bytes) else got, unit, path)
            self.assertNotIn("swept", f["points"]["seed"].attrs)
        seeds = p["/points/seed"].reshape(6, 2)
        self.assertTrue(np.all(seeds[:, 0] == seeds[:, 1]))
        self.assertEqual(len(set(seeds[:, 0].tolist())), 6, "points share a seed")
        counts = np.bincount(p["/devices/point_id"].astype(int), minlength=6)
        np.testing.assert_array_equal(counts, [2 * int(row[1]) for row in LIST])

    def test_thread_count_does_not_matter(self):
        same(self.files["1"], self.files["2"])
        same(self.files["1"], self.files["3"])

    def test_resume_of_a_finished_sweep(self):
        out = os.path.join(self.tmp.name, "sw1.h5")
        before = os.path.getmtime(out)
        r = lib.run_mtcsim(["sweep", self.scen, "-o", out, "--resume"])
        self.assertEqual(r.returncode, 0, r.describe())
        self.assertIn("all 6 points are complete already", r.stdout)
        self.assertEqual(os.path.getmtime(out), before)

    def test_job_array_merge(self):
        out = os.path.join(self.tmp.name, "tasks.h5")
        for i in range(3):
            r = lib.run_mtcsim(["sweep", self.scen, "-o", out, "--quiet", "--task-index", str(i),
                                "--task-count", "3"], timeout=120)
            self.assertEqual(r.returncode, 0, r.describe())
            self.assertFalse(os.path.exists(out), "a task wrote the joined file")
        r = lib.run_mtcsim(["merge", self.scen, "-o", out], timeout=120)
        self.assertEqual(r.returncode, 0, r.describe())
        self.assertFalse(os.path.exists(out + ".parts"), "point files left after the merge")
        same(self.files["1"], read_all(out))

    def test_merge_refuses_missing_points(self):
        out = os.path.join(self.tmp.name, "half.h5")
        r = lib.run_mtcsim(["sweep", self.scen, "-o", out, "--quiet", "--task-index", "0",
                            "--task-count", "2"], timeout=120)
        self.assertEqual(r.returncode, 0, r.describe())
        r = lib.run_mtcsim(["merge", self.scen, "-o", out])
        self.assertEqual(r.returncode, 2, r.describe())
        self.assertIn("point 1 has not been run", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_kill_and_resume(self):
        # slower points (300 and 900 devices, 6 hours) so the kill lands mid-sweep
        slow = lib.write_scenario(self.tmp.name, "slow.lua", SCENARIO.replace(
            "duration = 1800", "duration = 21600").replace("{ 30, 90 }", "{ 300, 900 }"))
        ref = os.path.join(self.tmp.name, "ref.h5")
        r = lib.run_mtcsim(["sweep", slow, "-o", ref, "--quiet", "--threads", "2"], timeout=300)
        self.assertEqual(r.returncode, 0, r.describe())
        out = os.path.join(self.tmp.name, "killed.h5")
        proc = subprocess.Popen([lib.mtcsim_path(), "sweep", slow, "-o", out, "--quiet",
                                 "--threads", "1"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        parts = out + ".parts"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            done = [f for f in os.listdir(parts) if f.endswith(".h5")] \
                if os.path.isdir(parts) else []
            if done:
                break
            time.sleep(0.05)
        if proc.poll() is not None:
            self.skipTest("the sweep finished before it could be killed")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.assertFalse(os.path.exists(out), "a killed sweep left a results file")
        kept = [f for f in os.listdir(parts) if f.endswith(".h5")]
        self.assertGreaterEqual(len(kept), 1)
        self.assertLess(len(kept), 6)
        r = lib.run_mtcsim(["sweep", slow, "-o", out, "--quiet"], timeout=300)
        self.assertEqual(r.returncode, 2, "a second run without --resume must refuse")
        r = lib.run_mtcsim(["sweep", slow, "-o", out, "--resume", "--threads", "2"],
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.describe())
        self.assertIn("points kept from the earlier run", r.stdout)
        same(read_all(ref), read_all(out))

    def test_point_equals_single_run(self):
        p = self.files["1"]
        point = 4  # LTE-M, 30 devices, 130 dB, 20 bytes
        seed = int(p["/points/seed"][2 * point])
        out = os.path.join(self.tmp.name, "single.h5")
        args = ["run", self.scen, "-o", out, "--quiet", "--seed", str(seed)]
        for path, val in zip(PATHS, LIST[point]):
            args += ["--set", "%s=%s" % (path, val)]
        # a scenario with a sweep is refused by `run`: drop it with a copy
        plain = lib.write_scenario(self.tmp.name, "plain.lua",
                                   SCENARIO.split("  sweep = {")[0] + "}\n")
        args[1] = plain
        r = lib.run_mtcsim(args, timeout=60)
        self.assertEqual(r.returncode, 0, r.describe())
        s = read_all(out)
        for group in ("/devices/", "/cells/"):
            rows = p[group + "point_id"] == point
            for k in s:
                if k.startswith(group) and not k.endswith("point_id"):
                    np.testing.assert_array_equal(p[k][rows], s[k], err_msg=k)

    def test_common_random_numbers(self):
        out = os.path.join(self.tmp.name, "crn.h5")
        r = lib.run_mtcsim(["sweep", self.scen, "-o", out, "--quiet", "--set",
                            "common_random_numbers=true"], timeout=120)
        self.assertEqual(r.returncode, 0, r.describe())
        with h5py.File(out, "r") as f:
            self.assertTrue(np.all(f["points/seed"][()] == 4))


@unittest.skipIf(h5py is None, "h5py and numpy are needed")
class SweepEdges(unittest.TestCase):
    """Found by review: a swept seed, odd string values, settings that must
    match across the files of one sweep."""

    def test_swept_seed(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", 'return { duration = 60, devices = { { count = 2 } },'
                                      ' sweep = { seed = { 5, 6 } } }')
            out = os.path.join(tmp, "s.h5")
            r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            with h5py.File(out, "r") as f:
                np.testing.assert_array_equal(f["points/seed"][()], [5, 6])

    def test_string_with_control_bytes(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "c.lua", 'return { duration = 60, devices = { { count = 1 } },'
                                      ' sweep = { ["devices[1].name"] = { "a\\rb", "q\\"x" } } }')
            out = os.path.join(tmp, "c.h5")
            r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            with h5py.File(out, "r") as f:
                names = [json.loads(f["config/resolved"].asstr()[()])["devices"][0]["name"]]
                swept = f["points/devices[1].name"][()]
            # both values reached the file as the strings themselves
            self.assertEqual(list(swept), [b"a\rb", b'q"x'])
            r = lib.run_mtcsim(["sweep", scen, "--list"])
            self.assertIn('"a\\013b"', r.stdout)  # \r as a decimal escape, round-tripped
            self.assertEqual(len(names), 1)

    def test_set_of_a_swept_path_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", 'return { devices = { { count = 1 } },'
                                      ' sweep = { ["devices[1].count"] = { 1, 2 } } }')
            r = lib.run_mtcsim(["sweep", scen, "-o", os.path.join(tmp, "o.h5"), "--set",
                                "devices[1].count=5"])
            self.assertEqual(r.returncode, 2, r.describe())
            self.assertIn("devices[1].count is swept", r.stderr)

    def test_check_validates_points(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", 'return { devices = { { count = 1 } },'
                                      ' sweep = { ["devices[1].count"] = { 1, -3 } } }')
            r = lib.run_mtcsim(["check", scen])
            self.assertEqual(r.returncode, 2, r.describe())
            self.assertIn("sweep point 1:", r.stderr)
            self.assertIn("devices[1].count: must be >= 1", r.stderr)

    def test_merge_refuses_mixed_settings(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "s.lua", 'return { duration = 60, devices = { { count = 2 } },'
                                      ' sweep = { ["devices[1].count"] = { 1, 2 } } }')
            out = os.path.join(tmp, "m.h5")
            for i, seed in ((0, "1"), (1, "99")):
                r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet", "--seed", seed,
                                    "--task-index", str(i), "--task-count", "2"])
                self.assertEqual(r.returncode, 0, r.describe())
            r = lib.run_mtcsim(["merge", scen, "-o", out, "--seed", "1"])
            self.assertEqual(r.returncode, 2, r.describe())
            self.assertIn("different scenario, sweep or settings", r.stderr)
            self.assertFalse(os.path.exists(out))


class SweepErrors(unittest.TestCase):
    def check(self, text, want, cmd="sweep"):
        with tempfile.TemporaryDirectory() as tmp:
            path = lib.write_scenario(tmp, "bad.lua", text)
            r = lib.run_mtcsim([cmd, path, "--list"] if cmd == "sweep" else [cmd, path])
            self.assertEqual(r.returncode, 2, r.describe())
            self.assertIn(want, r.stderr)
            self.assertFalse(os.path.exists(os.path.join(tmp, "bad.h5")))

    def test_run_refuses_a_sweep(self):
        self.check('return { devices = { { count = 1 } }, sweep = { seed = { 1, 2 } } }',
                   "sweep: this scenario is a sweep: run it with `mtcsim sweep`", cmd="run")

    def test_table_value(self):
        self.check('return { devices = { { count = 1 } }, sweep = { seed = { {} } } }',
                   'sweep["seed"]: value 1: only numbers, strings and booleans can be swept')

    def test_zipped_lengths(self):
        self.check('return { devices = { { count = 1 } }, sweep = { { seed = { 1, 2 }, '
                   '["devices[1].count"] = { 1 } } } }',
                   "sweep[1]: zipped paths must have as many values each")

    def test_exclude_everything(self):
        self.check('return { devices = { { count = 1 } }, sweep = { seed = { 1, 2 } }, '
                   'sweep_exclude = function(p) return true end }',
                   "sweep_exclude: excludes every point")


if __name__ == "__main__":
    unittest.main(verbosity=2)
