"""Output files: what mtcsim writes, where, and what it refuses to touch.

- Disk full: a run, a sweep and a --resume on a tmpfs too small for the
  results (a private mount namespace, `unshare -rm`, skipped with the reason
  where the machine does not allow one) and past a file size limit
  (RLIMIT_FSIZE: writes fail with EFBIG) exit 1 with the reason, leave no
  file under the final name and no temporary (the old code crashed with
  SIGSEGV in HDF5's shutdown at exit).
- Overwriting: -o naming the scenario (also through a symbolic or a hard
  link) is refused even with --force; an existing file is replaced only
  with --force (run, sweep, merge: exit 2, "exists: pass --force"), also
  when it appears while the run is writing (exit 1, the complete results
  kept under the temporary name); --resume and merge on the sweep's own
  finished file do nothing.
- Corruption: every column carries a Fletcher32 checksum; a flipped byte
  in a point file's data makes merge fail (exit 1) naming the file and the
  dataset as corrupt (the old code joined it into a complete file), and a
  damaged point file is called corrupt, not missing.
- Signals: SIGINT, SIGTERM during a run or a sweep remove the temporary
  (and the lock file) and exit 130 / 143; temporaries of killed (SIGKILL)
  processes are removed by the next run or --resume, so .parts goes away
  after a successful --resume.
- Lock: a second writer of the same -o is refused at once (exit 1, naming
  the process holding it); job-array tasks share it.
- Default name: NAME.h5 in the current folder, NAME the scenario's name as
  a plain file name ("../x" and "/abs/x" stay in the folder).
"""

import glob
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

QUICKSTART = os.path.join(lib.SCENARIO_DIR, "quickstart.lua")

SWEEP = lib.sweep_scenario('{ ["devices[1].count"] = { 30, 90, 120 } }')


def can_mount_tmpfs():
    """None if a private tmpfs can be mounted here, else the reason."""
    if not shutil.which("unshare"):
        return "no unshare(1)"
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=64k none "$0"',
                            d], capture_output=True, text=True)
        if p.returncode != 0:
            return "cannot mount a tmpfs in a user namespace: " + p.stderr.strip()
    return None


TMPFS = can_mount_tmpfs()

# Runs "$@" with $D a fresh tmpfs of $SIZE, then lists what is left in it
# after the line "--left".
FULL_SH = 'mount -t tmpfs -o size="$SIZE" none "$D" || exit 99; cd "$D"; ' \
          'rc=0; "$@" || rc=$?; echo "--left"; find . -mindepth 1 | sort; exit $rc'


def run_full(size, mount, *cmds):
    """Runs each mtcsim argument list in turn on a tmpfs of `size` at `mount`
    (the same mount for all); returns (list of (rc, stderr), files left)."""
    for old in glob.glob(mount + ".rc") + glob.glob(mount + ".err*"):
        os.remove(old)
    script = ""
    for i, args in enumerate(cmds):
        quoted = " ".join("'%s'" % a for a in [lib.mtcsim_path()] + list(args))
        script += '%s 2>"$D.err%d"; echo "rc%d=$?" >>"$D.rc"; ' % (quoted, i, i)
    env = dict(os.environ, SIZE=size, D=mount)
    p = subprocess.run(["unshare", "-rm", "sh", "-c", FULL_SH, "sh", "sh", "-c", script],
                       capture_output=True, text=True, env=env, timeout=200)
    assert p.returncode != 99, p.stderr
    left = p.stdout.split("--left\n", 1)[1].split()
    results = []
    with open(mount + ".rc") as f:
        rcs = [int(line.split("=")[1]) for line in f]
    for i, rc in enumerate(rcs):
        with open("%s.err%d" % (mount, i)) as f:
            results.append((rc, f.read()))
    return results, left


class DiskFull(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def assert_clean_failure(self, rc, err, reason):
        self.assertEqual(rc, 1, err)
        self.assertIn(reason, err)
        for m in lib.SANITIZER_MARKERS:
            self.assertNotIn(m, err)

    @unittest.skipIf(TMPFS, "disk-full on a tmpfs: %s" % TMPFS)
    def test_run_on_a_full_tmpfs(self):
        mnt = os.path.join(self.dir, "mnt")
        os.mkdir(mnt)
        for size in ("100k", "500k"):
            res, left = run_full(size, mnt, ["run", QUICKSTART, "-o", mnt + "/out.h5", "--quiet"])
            rc, err = res[0]
            self.assert_clean_failure(rc, err, "No space left on device")
            self.assertEqual(left, [], "files left on the full disk (%s)" % size)

    @unittest.skipIf(TMPFS, "disk-full on a tmpfs: %s" % TMPFS)
    def test_sweep_and_resume_on_a_full_tmpfs(self):
        scen = lib.write_scenario(self.dir, "sw.lua", SWEEP)
        # the sizes of the point files and the joined file, measured
        ref = os.path.join(self.dir, "ref.h5")
        r = lib.run_mtcsim(["sweep", scen, "-o", ref, "--quiet"])
        lib.assert_ok(self, r)
        joined = os.path.getsize(ref)
        mnt = os.path.join(self.dir, "mnt")
        os.mkdir(mnt)
        out = mnt + "/o.h5"
        # the first point file does not fit
        res, left = run_full("200k", mnt, ["sweep", scen, "-o", out, "--quiet"],
                             ["sweep", scen, "-o", out, "--quiet", "--resume"])
        for rc, err in res:
            self.assert_clean_failure(rc, err, "No space left on device")
        self.assertEqual(left, ["./o.h5.parts"])
        # the points fit but the joined file does not
        size = "%dk" % ((3 * point_file_size(self, scen, self.dir) + joined // 2) // 1024)
        res, left = run_full(size, mnt, ["sweep", scen, "-o", out, "--quiet"],
                             ["sweep", scen, "-o", out, "--quiet", "--resume"])
        for rc, err in res:
            self.assert_clean_failure(rc, err, "No space left on device")
        self.assertEqual(left, ["./o.h5.parts", "./o.h5.parts/point-000000.h5",
                                "./o.h5.parts/point-000001.h5", "./o.h5.parts/point-000002.h5"])

    def test_file_size_limit(self):
        """RLIMIT_FSIZE: writes past it fail with EFBIG (SIGXFSZ is left at
        its default, as a shell gives it: mtcsim must not die of it)."""
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (200 * 1024, 200 * 1024))

        out = os.path.join(self.dir, "out.h5")
        for args in (["run", QUICKSTART, "-o", out, "--quiet"],
                     ["sweep", lib.write_scenario(self.dir, "sw.lua", SWEEP), "-o", out,
                      "--quiet"]):
            p = subprocess.run([lib.mtcsim_path()] + args, capture_output=True, text=True,
                               preexec_fn=limit, timeout=100)
            self.assert_clean_failure(p.returncode, p.stderr, "File too large")
            self.assertEqual(glob.glob(out + "*") + glob.glob(out + ".parts/*"),
                             [out + ".parts"] if args[0] == "sweep" else [])


def scenario_named(folder, file, name):
    """A quick scenario called `name`."""
    with open(QUICKSTART, encoding="utf-8") as f:
        text = f.read()
    assert 'name = "quickstart",' in text
    return lib.write_scenario(folder, file, text.replace('name = "quickstart",',
                                                         "name = %s," % lua_str(name), 1))


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Overwrite(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.scen = os.path.join(self.dir, "q.lua")
        shutil.copy(QUICKSTART, self.scen)
        with open(self.scen, "rb") as f:
            self.text = f.read()

    def tearDown(self):
        self.tmp.cleanup()

    def refused(self, args, first_line):
        r = lib.run_mtcsim(args, cwd=self.dir)
        lib.assert_usage_error(self, r, first_line)

    def test_scenario_is_never_the_output(self):
        os.symlink("q.lua", os.path.join(self.dir, "sym.lua"))
        os.link(self.scen, os.path.join(self.dir, "hard.lua"))
        for out in ("q.lua", "sym.lua", "hard.lua", "./q.lua"):
            for force in ([], ["--force"]):
                self.refused(["run", "q.lua", "-o", out, "--quiet"] + force,
                             "mtcsim: -o %s: that is the input q.lua (the same file): choose "
                             "another results file" % out)
        self.refused(["run", "sym.lua", "-o", "q.lua", "--quiet"],
                     "mtcsim: -o q.lua: that is the input sym.lua (the same file): choose "
                     "another results file")
        with open(self.scen, "rb") as f:
            self.assertEqual(f.read(), self.text)

    def test_required_module_is_never_the_output(self):
        # a module the scenario requires is an input too, --force or not
        os.mkdir(os.path.join(self.dir, "lib2"))
        shutil.copy(self.scen, os.path.join(self.dir, "lib2", "mod.lua"))
        with open(os.path.join(self.dir, "r.lua"), "w") as f:
            f.write('local m = require "lib2.mod"\nreturn m\n')
        for force in ([], ["--force"]):
            self.refused(["run", "r.lua", "-o", "lib2/mod.lua", "--quiet"] + force,
                         "mtcsim: -o lib2/mod.lua: that is the input ./lib2/mod.lua (the same "
                         "file): choose another results file")
        with open(os.path.join(self.dir, "lib2", "mod.lua"), "rb") as f:
            self.assertEqual(f.read(), self.text)

    def test_special_file_is_never_the_output(self):
        self.refused(["run", "q.lua", "-o", "/dev/null", "--quiet", "--force"],
                     "mtcsim: -o /dev/null: not a regular file (a device, pipe or socket): "
                     "choose a results file")

    def test_existing_file_needs_force(self):
        out = os.path.join(self.dir, "out.h5")
        lib.run_ok(self, ["run", "q.lua", "-o", out, "--quiet"], cwd=self.dir)
        mtime = os.stat(out).st_mtime_ns
        self.refused(["run", "q.lua", "-o", out, "--quiet"],
                     "mtcsim: %s exists: pass --force to replace it" % out)
        self.assertEqual(os.stat(out).st_mtime_ns, mtime)
        lib.run_ok(self, ["run", "q.lua", "-o", out, "--quiet", "--force"], cwd=self.dir)
        self.assertNotEqual(os.stat(out).st_mtime_ns, mtime)
        # the default name too
        lib.run_ok(self, ["run", "q.lua", "--quiet"], cwd=self.dir)
        self.refused(["run", "q.lua", "--quiet"],
                     "mtcsim: quickstart.h5 exists: pass --force to replace it")

    def test_sweep_and_merge(self):
        scen = lib.write_scenario(self.dir, "sw.lua", SWEEP)
        out = os.path.join(self.dir, "s.h5")
        other = os.path.join(self.dir, "other.h5")
        with open(other, "w") as f:
            f.write("not results\n")
        lib.run_ok(self, ["sweep", scen, "-o", out, "--quiet"])
        mtime = os.stat(out).st_mtime_ns
        self.refused(["sweep", scen, "-o", out, "--quiet"],
                     "%s exists: pass --force to replace it" % out)
        # this sweep's finished file: nothing to do, nothing replaced
        r = lib.run_ok(self, ["sweep", scen, "-o", out, "--resume"])
        self.assertIn("complete already", r.stdout)
        r = lib.run_ok(self, ["merge", scen, "-o", out])
        self.assertEqual(r.stdout, "%s: already merged (all 3 points)\n" % out)
        self.assertEqual(os.stat(out).st_mtime_ns, mtime)
        # another file: refused by sweep, --resume and merge
        for args in (["sweep", scen, "-o", other, "--quiet"],
                     ["sweep", scen, "-o", other, "--quiet", "--resume"],
                     ["merge", scen, "-o", other]):
            self.refused(args, "%s exists: pass --force to replace it" % other)
        with open(other) as f:
            self.assertEqual(f.read(), "not results\n")
        lib.run_ok(self, ["sweep", scen, "-o", other, "--quiet", "--force"])
        self.refused(["sweep", scen, "-o", scen, "--force"],
                     "-o %s: that is the input %s (the same file): choose another results file"
                     % (scen, scen))

    def test_file_that_appears_while_running(self):
        """Checked again when the file is put in place (no replacing rename)."""
        out = os.path.join(self.dir, "late.h5")
        slow = scenario_named(self.dir, "slow.lua", "slow")
        proc = subprocess.Popen([lib.mtcsim_path(), "run", slow, "-o", out, "--quiet",
                                 "--threads", "1", "--set", "duration=864000",
                                 "--set", "replications=1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while not glob.glob(out + ".tmp*") and proc.poll() is None:
            time.sleep(0.01)
        with open(out, "w") as f:
            f.write("someone else's\n")
        _, err = proc.communicate(timeout=100)
        self.assertEqual(proc.returncode, 1, err)
        self.assertIn("late.h5 appeared while this run was writing: not replaced", err)
        with open(out) as f:
            self.assertEqual(f.read(), "someone else's\n")
        kept = glob.glob(out + ".tmp*")
        self.assertEqual(len(kept), 1)
        self.assertIn(kept[0], err)


class DefaultName(unittest.TestCase):
    def test_names_stay_in_the_folder(self):
        with tempfile.TemporaryDirectory() as top:
            work = os.path.join(top, "work")
            os.mkdir(work)
            cases = {"../x": "x.h5", "/abs/y": "abs_y.h5", "a b/c:d": "a_b_c_d.h5",
                     "..": "results.h5", "r\u00e9sum\u00e9": "r__sum__.h5",
                     ".hidden": "hidden.h5", "ok-1.2_x": "ok-1.2_x.h5"}
            for i, (name, want) in enumerate(sorted(cases.items())):
                scen = scenario_named(work, "n%d.lua" % i, name)
                r = lib.run_ok(self, ["run", scen, "--set", "duration=60"], cwd=work)
                self.assertIn("results: %s" % want, r.stdout, name)
                self.assertTrue(os.path.exists(os.path.join(work, want)), name)
                os.remove(os.path.join(work, want))
            self.assertEqual(sorted(os.listdir(top)), ["work"])
            self.assertEqual(sorted(f for f in os.listdir(work) if not f.endswith(".lua")), [])


class Corruption(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.scen = lib.write_scenario(self.tmp.name, "sw.lua", SWEEP)
        self.out = os.path.join(self.tmp.name, "c.h5")
        for i in (0, 1):
            lib.run_ok(self, ["sweep", self.scen, "-o", self.out, "--quiet", "--task-index",
                              str(i), "--task-count", "2"])
        self.point = self.out + ".parts/point-000001.h5"

    def tearDown(self):
        self.tmp.cleanup()

    def test_every_column_has_a_checksum(self):
        import h5py
        lib.run_ok(self, ["merge", self.scen, "-o", self.out, "--quiet"])
        n = 0
        with h5py.File(self.out) as f:
            for g in ("points", "devices", "cells", "ra_delay_cdf", "groups", "energy_matrix"):
                for name, d in f[g].items():
                    self.assertTrue(d.fletcher32, "%s/%s" % (g, name))
                    n += 1
        self.assertGreater(n, 100)

    def test_flipped_data_byte(self):
        import h5py
        with h5py.File(self.point) as f:
            off = f["devices/energy_j"].id.get_chunk_info(0).byte_offset + 100
        with open(self.point, "r+b") as fh:
            fh.seek(off)
            b = fh.read(1)
            fh.seek(off)
            fh.write(bytes([b[0] ^ 0x10]))
        r = lib.run_mtcsim(["merge", self.scen, "-o", self.out])
        lib.assert_no_crash(self, r)
        self.assertEqual(r.returncode, 1, r.describe())
        self.assertIn("%s is corrupt: cannot read dataset /devices/energy_j (data error "
                      "detected by Fletcher32 checksum)" % self.point, r.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_flipped_text_byte(self):
        # the texts (/config/*) are variable-length strings, outside
        # Fletcher32's reach: a CRC-32 attribute guards them
        import h5py
        with h5py.File(self.point) as f:
            text = f["config/resolved"][()]
            self.assertIn("crc32", f["config/resolved"].attrs)
        with open(self.point, "rb") as fh:
            data = fh.read()
        off = data.find(text[:200])
        self.assertGreater(off, 0)
        off += text[:200].index(b'"duration"') + 2  # the 'u' of duration
        with open(self.point, "r+b") as fh:
            fh.seek(off)
            fh.write(b"U")
        for args in (["merge", self.scen, "-o", self.out],
                     ["sweep", self.scen, "-o", self.out, "--resume", "--quiet"]):
            r = lib.run_mtcsim(args)
            lib.assert_no_crash(self, r)
            self.assertEqual(r.returncode, 1, r.describe())
            self.assertIn("%s is corrupt: dataset /config/resolved fails its CRC-32" % self.point,
                          r.stderr)
            self.assertFalse(os.path.exists(self.out))

    def test_damaged_point_file_is_not_missing(self):
        with open(self.point, "r+b") as fh:
            fh.write(b"garbage!")
        for args in (["merge", self.scen, "-o", self.out],
                     ["sweep", self.scen, "-o", self.out, "--resume", "--quiet"]):
            r = lib.run_mtcsim(args)
            lib.assert_no_crash(self, r)
            self.assertEqual(r.returncode, 1, r.describe())
            self.assertEqual(r.first_err_line,
                             "%s is corrupt: not a complete results file (damaged after it was "
                             "written); remove it and run its point again (--resume)"
                             % self.point)


SLOW_SWEEP = lib.sweep_scenario('{ ["devices[1].count"] = { 200, 201, 202, 203 } }',
                                name="slow", duration=86400, replications=1, count=200)


def start(args):
    return subprocess.Popen([lib.mtcsim_path()] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(pattern, proc, timeout=60):
    t0 = time.monotonic()
    while not glob.glob(pattern):
        if proc.poll() is not None or time.monotonic() - t0 > timeout:
            raise AssertionError("%s never appeared" % pattern)
        time.sleep(0.01)


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


class Signals(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.slow_run = scenario_named(self.dir, "q.lua", "q")
        self.slow_sweep = lib.write_scenario(self.dir, "slow.lua", SLOW_SWEEP)

    def tearDown(self):
        self.tmp.cleanup()

    def run_args(self, out):
        return ["run", self.slow_run, "-o", out, "--quiet", "--threads", "1", "--set",
                "duration=864000", "--set", "replications=1"]

    def test_run_interrupted(self):
        out = os.path.join(self.dir, "r.h5")
        for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
            proc = start(self.run_args(out))
            wait_for(out + ".tmp*", proc)
            proc.send_signal(sig)
            proc.communicate(timeout=60)
            self.assertEqual(proc.returncode, code)
            self.assertEqual(sorted(os.listdir(self.dir)), ["q.lua", "slow.lua"])

    def test_sweep_interrupted_then_resumed(self):
        out = os.path.join(self.dir, "s.h5")
        proc = start(["sweep", self.slow_sweep, "-o", out, "--quiet", "--threads", "1"])
        wait_for(out + ".parts/point-??????.h5", proc)  # the first point written
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 143)
        left = sorted(os.listdir(self.dir)) + sorted(os.listdir(out + ".parts"))
        self.assertEqual([f for f in left if "tmp" in f or f.endswith(".lock")], [], left)
        # a kill (no cleanup possible) during a point and during the join
        pid = dead_pid()
        for name in ("point-000003.h5.tmp%d" % pid, "../s.h5.tmp%d" % pid):
            with open(os.path.join(out + ".parts", name), "w") as f:
                f.write("half written\n")
        with open(out + ".lock", "w"):
            pass
        lib.run_ok(self, ["sweep", self.slow_sweep, "-o", out, "--quiet", "--resume"],
                   timeout=200)
        self.assertEqual(sorted(os.listdir(self.dir)), ["q.lua", "s.h5", "slow.lua"])

    def test_killed_run_leaves_nothing_for_long(self):
        out = os.path.join(self.dir, "k.h5")
        proc = start(self.run_args(out))
        wait_for(out + ".tmp*", proc)
        proc.kill()
        proc.communicate(timeout=60)
        self.assertEqual(len(glob.glob(out + ".tmp*")), 1)
        lib.run_ok(self, ["run", self.slow_run, "-o", out, "--quiet", "--set", "duration=60"])
        self.assertEqual(sorted(os.listdir(self.dir)), ["k.h5", "q.lua", "slow.lua"])

    def test_second_writer_refused(self):
        out = os.path.join(self.dir, "l.h5")
        for first, second in ((self.run_args(out), ["run", self.slow_run, "-o", out, "--quiet"]),
                              (["sweep", self.slow_sweep, "-o", out, "--quiet", "--threads", "1"],
                               ["sweep", self.slow_sweep, "-o", out, "--quiet", "--resume"]),
                              (["sweep", self.slow_sweep, "-o", out, "--quiet", "--threads", "1"],
                               ["merge", self.slow_sweep, "-o", out])):
            proc = start(first)
            try:
                wait_for(out + ".lock", proc)
                r = lib.run_mtcsim(second)
                lib.assert_no_crash(self, r)
                self.assertEqual(r.returncode, 1, r.describe())
                self.assertEqual(r.first_err_line.replace("mtcsim: ", ""),
                                 "%s is being written by another mtcsim (process %d): wait for "
                                 "it to finish or choose another -o" % (out, proc.pid))
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.communicate(timeout=60)
            shutil.rmtree(out + ".parts", ignore_errors=True)

    def test_job_array_tasks_share_the_lock(self):
        out = os.path.join(self.dir, "a.h5")
        proc = start(["sweep", self.slow_sweep, "-o", out, "--quiet", "--threads", "1",
                      "--task-index", "0", "--task-count", "4"])
        try:
            wait_for(out + ".lock", proc)
            lib.run_ok(self, ["sweep", self.slow_sweep, "-o", out, "--quiet", "--task-index",
                              "1", "--task-count", "4"], timeout=200)
        finally:
            proc.communicate(timeout=200)
        self.assertEqual(proc.returncode, 0)


def point_file_size(tc, scen, folder):
    """Size of the largest point file of the sweep (written by a job-array
    task, which leaves them)."""
    out = os.path.join(folder, "pt.h5")
    r = lib.run_mtcsim(["sweep", scen, "-o", out, "--quiet", "--task-index", "0",
                        "--task-count", "2"])
    lib.assert_ok(tc, r)
    return max(os.path.getsize(p) for p in glob.glob(out + ".parts/*.h5"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
