"""The analysis package installs offline with Debian's packages only, the
way the README says (section "Analysis and reports"):

    python3 -m venv --system-site-packages VENV
    VENV/bin/pip install --no-build-isolation --no-deps ./analysis

into a temporary venv made from MTCSIM_PYTHON (a copy of analysis/ is
installed, so that the build leaves nothing in the source tree). Then,
from a folder outside the source tree and without PYTHONPATH: `import
mtcsim_results` comes from the venv's site-packages, load() and frames()
read a results file the simulator wrote, and the venv's `mtcsim-report`
entry point writes its report (exit 0, index.html, PNG and PDF). Skipped,
saying which, only when venv, pip, setuptools or wheel are missing
(Debian: python3-venv python3-pip python3-setuptools python3-wheel).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

PYTHON = os.environ.get("MTCSIM_PYTHON") or sys.executable
ANALYSIS = os.path.join(lib.SOURCE_DIR, "analysis")


def run(cmd, **kw):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PIP_NO_INDEX"] = "1"  # offline: never ask a package index
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          timeout=240, **kw)


class Install(unittest.TestCase):
    def test_install_and_entry_point(self):
        missing = [m for m in ("venv", "ensurepip", "setuptools", "wheel", "pip")
                   if run([PYTHON, "-c", "import " + m]).returncode != 0]
        if missing:
            self.skipTest("%s lacks %s (Debian: python3-venv python3-pip python3-setuptools "
                          "python3-wheel; scripts/install-deps.sh)" % (PYTHON, ", ".join(missing)))
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "analysis")
            shutil.copytree(ANALYSIS, src, ignore=shutil.ignore_patterns(
                "__pycache__", "build", "*.egg-info"))
            venv = os.path.join(tmp, "venv")
            r = run([PYTHON, "-m", "venv", "--system-site-packages", venv])
            self.assertEqual(r.returncode, 0, r.stdout.decode())
            r = run([os.path.join(venv, "bin", "pip"), "install", "--no-build-isolation",
                     "--no-deps", src])
            self.assertEqual(r.returncode, 0, r.stdout.decode())
            scen = lib.write_scenario(tmp, "s.lua", """\
local mtc = require "mtc"
return mtc.scenario { name = "inst", duration = mtc.hours(2), seed = 9,
  timeseries = { interval_s = 60 },
  devices = { { name = "m", count = 20,
                traffic = mtc.traffic.periodic(1800, mtc.payload.fixed(40)) } } }
""")
            h5 = os.path.join(tmp, "inst.h5")
            r = lib.run_mtcsim(["run", scen, "-o", h5, "--quiet"])
            self.assertEqual(r.returncode, 0, r.describe())
            outside = os.path.join(tmp, "elsewhere")
            os.makedirs(outside)
            vpy = os.path.join(venv, "bin", "python")
            r = run([vpy, "-c", "import mtcsim_results as mr, sys; print(mr.__file__); "
                     "f = mr.frames(sys.argv[1])['devices']; print(len(f), "
                     "sorted(set(f.group_name)))", h5], cwd=outside)
            out = r.stdout.decode()
            self.assertEqual(r.returncode, 0, out)
            where, line = out.splitlines()[:2]
            self.assertTrue(where.startswith(os.path.realpath(venv)) or where.startswith(venv),
                            where)
            self.assertIn("site-packages", where)
            self.assertEqual(line, "20 ['m']")
            rep = os.path.join(tmp, "rep")
            r = run([os.path.join(venv, "bin", "mtcsim-report"), h5, "-o", rep], cwd=outside)
            self.assertEqual(r.returncode, 0, r.stdout.decode())
            for f in ("index.html", "battery_life_cdf.png", "battery_life_cdf.pdf"):
                self.assertTrue(os.path.exists(os.path.join(rep, f)), f)
            with open(os.path.join(venv, "bin", "mtcsim-report")) as f:
                self.assertTrue(f.readline().startswith("#!" + vpy), "not the venv's Python")
            self.assertFalse(os.path.exists(os.path.join(ANALYSIS, "build")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
