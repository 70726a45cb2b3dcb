"""Output files: what mtcsim writes, where, and what it refuses to touch.

- Disk full: a run, a sweep and a --resume on a tmpfs too small for the
  results (a private mount namespace, `unshare -rm`, skipped with the reason
  where the machine does not allow one) and past a file size limit
  (RLIMIT_FSIZE: writes fail with EFBIG) exit 1 with the reason, leave no
  file under the final name and no temporary (the old code crashed with
  SIGSEGV in HDF5's shutdown at exit).
"""

import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

QUICKSTART = os.path.join(lib.SCENARIO_DIR, "quickstart.lua")

SWEEP = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "sw", duration = 1800, seed = 4, replications = 2,
  devices = { { name = "d", count = 60, traffic = mtc.traffic.periodic(300, mtc.payload.fixed(50)),
                coverage = mtc.coverage.fixed(140), rai = true } },
  sweep = { ["devices[1].count"] = { 30, 90, 120 } },
}
"""


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
