"""mpirun -n K mtcsim sweep / run: the same file as one process.

Runs only with an MPI build (`mtcsim --version` says "mpi"; scripts/test.sh
builds one with -DMTCSIM_MPI=ON and runs this test against it) and mpirun
on the PATH; skipped otherwise. Two ranks take the points of a 6-point
sweep (2 replications each) from the shared counter, rank 0 joins the
point files: every dataset equals the single-process result (wall_s
aside). `mtcsim run` of a layout under 2 and 3 ranks (its cells spread
over the ranks, radiated powers exchanged between the two interference
passes, results sent to rank 0): the same file and summary as one
process, with a firmware update campaign too (its per-cell results
packed with the cell's); a single-cell run under mpirun is run once, by rank 0. As root, mpirun needs --allow-run-as-root; on a 2-core machine
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

    def mpirun(self, n, args):
        cmd = ["mpirun", "-n", str(n), "--oversubscribe"]
        if os.geteuid() == 0:
            cmd.append("--allow-run-as-root")
        return subprocess.run(cmd + [lib.mtcsim_path()] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=300)

    def test_layout_over_ranks_equals_one_process(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "layout.lua", LAYOUT)
            one = os.path.join(tmp, "one.h5")
            r = lib.run_mtcsim(["run", scen, "-o", one, "--threads", "1"], timeout=300)
            self.assertEqual(r.returncode, 0, r.describe())
            ref = read_all(one)
            self.assertEqual(len(set(ref["/cells/cell"].tolist())), 21)
            # the last line holds wall times (and says how many ranks ran)
            summary = [ln for ln in r.stdout.splitlines() if "run times summed" not in ln
                       and not ln.startswith("results:")]
            for n in (2, 3):
                out = os.path.join(tmp, "r%d.h5" % n)
                p = self.mpirun(n, ["run", scen, "-o", out, "--threads", "1"])
                self.assertEqual(p.returncode, 0, p.stderr.decode()[-3000:])
                same(ref, read_all(out))
                got = [ln for ln in p.stdout.decode().splitlines()
                       if "run times summed" not in ln and not ln.startswith("results:")]
                self.assertEqual(summary, got, "summary printed once, as one process prints it")
                # the cells did run on the ranks (not all on rank 0)
                self.assertIn("cells over %d MPI ranks" % n, p.stdout.decode())

    def test_campaign_over_ranks_equals_one_process(self):
        # a firmware update campaign's per-cell results (/campaign,
        # /campaign_curve, the fota_* columns) travel in the packed cell
        with tempfile.TemporaryDirectory() as tmp:
            text = LAYOUT.replace("  devices = {", CAMPAIGN + "  devices = {", 1)
            scen = lib.write_scenario(tmp, "fota.lua", text)
            one = os.path.join(tmp, "one.h5")
            r = lib.run_mtcsim(["run", scen, "-o", one, "--threads", "1"], timeout=300)
            self.assertEqual(r.returncode, 0, r.describe())
            ref = read_all(one)
            self.assertEqual(len(ref["/campaign/cell"]), 2 * 21)
            self.assertGreater(int(ref["/campaign/updated"].sum()), 0)
            out = os.path.join(tmp, "r2.h5")
            p = self.mpirun(2, ["run", scen, "-o", out, "--threads", "1"])
            self.assertEqual(p.returncode, 0, p.stderr.decode()[-3000:])
            same(ref, read_all(out))

    def test_single_cell_run_once(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "one.lua", LAYOUT.replace("layout_sites = 7",
                                                                     "layout_sites = 0"))
            out = os.path.join(tmp, "one.h5")
            p = self.mpirun(2, ["run", scen, "-o", out, "--threads", "1"])
            self.assertEqual(p.returncode, 0, p.stderr.decode()[-3000:])
            self.assertEqual(p.stdout.decode().count("results: "), 1)
            self.assertEqual(len(read_all(out)["/points/replication"]), 2)

    def test_ranks_must_resolve_the_same_scenario(self):
        # MPMD: rank 1 runs with another seed (as if a file differed between
        # nodes): refused before any cell runs, no file written
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "layout.lua", LAYOUT)
            out = os.path.join(tmp, "r.h5")
            cmd = ["mpirun", "--oversubscribe"]
            if os.geteuid() == 0:
                cmd.append("--allow-run-as-root")
            args = ["run", scen, "-o", out, "--threads", "1"]
            cmd += ["-n", "1", lib.mtcsim_path()] + args + [":", "-n", "1", lib.mtcsim_path()]
            cmd += args + ["--seed", "2"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
            self.assertEqual(p.returncode, 2, p.stderr.decode()[-3000:])
            self.assertIn("resolved the scenario differently", p.stderr.decode())
            self.assertFalse(os.path.exists(out))

    def test_layout_error_stops_every_rank(self):
        with tempfile.TemporaryDirectory() as tmp:
            scen = lib.write_scenario(tmp, "layout.lua", LAYOUT)
            out = os.path.join(tmp, "r.h5")
            with open(out, "w") as f:
                f.write("not a results file")
            p = self.mpirun(2, ["run", scen, "-o", out, "--threads", "1"])
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("exists", p.stderr.decode())
            with open(out) as f:
                self.assertEqual(f.read(), "not a results file", "input overwritten")


# Two replications of a 7-site layout (21 cells) with two interference
# passes: every exchange between ranks happens in both replications.
LAYOUT = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "layout_mpi",
  duration = mtc.hours(1),
  seed = 9,
  replications = 2,
  cell = { layout_sites = 7, interference_passes = 2 },
  devices = {
    { name = "meters", count = 2100, traffic = mtc.traffic.poisson(900),
      coverage = mtc.tr45820.coupling_loss(), rai = true },
    { name = "alarms", count = 300, traffic = mtc.traffic.poisson(3600),
      coverage = mtc.tr45820.coupling_loss() },
  },
}
"""

# An SC-PTM campaign to the alarms of every cell (PSM devices: held for a round).
CAMPAIGN = """\
  campaign = { mode = "multicast", image_bytes = 4000, start_s = 600, groups = "alarms" },
"""


if __name__ == "__main__":
    unittest.main(verbosity=2)
