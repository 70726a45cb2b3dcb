"""mpirun -n 2 mtcsim sweep: the same file as one process.

Runs only with an MPI build (`mtcsim --version` says "mpi"; scripts/test.sh
builds one with -DMTCSIM_MPI=ON and runs this test against it) and mpirun
on the PATH; skipped otherwise. Two ranks take the points of a 6-point
sweep (2 replications each) from the shared counter, rank 0 joins the
point files: every dataset equals the single-process result (wall_s
aside). As root, mpirun needs --allow-run-as-root; on a 2-core machine
--oversubscribe.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402
from test_sweep import SCENARIO, read_all, same  # noqa: E402

try:
    import h5py  # noqa: E402,F401
except ImportError:  # pragma: no cover
    h5py = None


def mpi_build():
    try:
        out = subprocess.run([lib.mtcsim_path(), "--version"], stdout=subprocess.PIPE,
                             timeout=30).stdout.decode()
    except Exception:  # noqa: BLE001
        return False
    return "mpi" in out and shutil.which("mpirun") is not None


REQUIRED = os.environ.get("MTCSIM_REQUIRE_MPI") == "1"  # scripts/test.sh: no silent skip


@unittest.skipIf(not REQUIRED and (h5py is None or not mpi_build()),
                 "needs an MPI build of mtcsim and mpirun")
class Mpi(unittest.TestCase):
    def test_build_has_mpi(self):
        self.assertTrue(mpi_build(), "mtcsim --version does not say mpi, or no mpirun")

    def test_two_ranks_equal_one_process(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "sw.lua", SCENARIO)
            one = os.path.join(tmp, "one.h5")
            r = lib.run_mtcsim(["sweep", scen, "-o", one, "--quiet", "--threads", "1"],
                               timeout=300)
            self.assertEqual(r.returncode, 0, r.describe())
            two = os.path.join(tmp, "two.h5")
            cmd = ["mpirun", "-n", "2", "--oversubscribe"]
            if os.geteuid() == 0:
                cmd.append("--allow-run-as-root")
            cmd += [lib.mtcsim_path(), "sweep", scen, "-o", two, "--threads", "1"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr.decode()[-3000:])
            self.assertIn("merged 6 points", p.stdout.decode())
            self.assertFalse(os.path.exists(two + ".parts"))
            same(read_all(one), read_all(two))


if __name__ == "__main__":
    unittest.main(verbosity=2)
