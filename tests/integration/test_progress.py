"""The progress line of a multi-cell run counts every cell's events.

`mtcsim run` prints progress on a terminal only, so the run gets a
pseudo-terminal as stderr. A 21-cell layout runs its cells on two threads
in two interference passes: the events per second the line shows must be
those of the whole run (the summary's final figure), not of one cell or
one thread (which would be 21 or 2 times smaller). Labelled `slow` (a few
seconds of simulation; the sanitizer stage skips it).
"""

import os
import pty
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402


class Progress(unittest.TestCase):
    def test_multicell_events_per_second(self):
        scen = os.path.join(lib.SOURCE_DIR, "scenarios", "multicell.lua")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "m.h5")
            master, slave = pty.openpty()
            p = subprocess.Popen([lib.mtcsim_path(), "run", scen, "-o", out, "--threads", "2",
                                  "--set", "replications=1"],
                                 stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
            os.close(slave)
            err = b""
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                err += chunk
            stdout = p.communicate(timeout=300)[0].decode()
            os.close(master)
            self.assertEqual(p.returncode, 0, stdout + err.decode(errors="replace"))
        shown = [float(x) for x in re.findall(rb"([0-9.]+) M events/s", err)]
        m = re.search(r"([\d,]+) events \(all replications\) in ([0-9.]+) s", stdout)
        self.assertIsNotNone(m, stdout)
        wall = float(m.group(2))
        final = int(m.group(1).replace(",", "")) / wall / 1e6
        if not shown:
            # the line starts after 2 s of the run: a run this long must show it
            self.assertLess(wall, 3.0, "no progress line in a run of %.1f s" % wall)
            self.skipTest("the run ended before the first progress line (2 s): %.2f M events/s"
                          % final)
        # the rate varies along the run; a count of one cell or one thread would be far off
        for rate in shown:
            self.assertGreater(rate, 0.4 * final, (shown, final))
            self.assertLess(rate, 2.5 * final, (shown, final))


if __name__ == "__main__":
    unittest.main(verbosity=2)
