"""docs/results-format.md is what the code writes: scripts/results_format.py
regenerates it from a run that writes every table and must find no
difference (a column added, renamed, retyped or redocumented in the code
without regenerating the page fails here)."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402


class ResultsFormat(unittest.TestCase):
    def test_page_matches_the_code(self):
        script = os.path.join(lib.SOURCE_DIR, "scripts", "results_format.py")
        r = subprocess.run([sys.executable, script, "--check", lib.mtcsim_path()],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout[-4000:] + r.stderr[-2000:])


if __name__ == "__main__":
    unittest.main(verbosity=2)
