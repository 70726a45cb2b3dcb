"""Shared helpers of the mtcsim integration tests (run by ctest).

ctest sets MTCSIM (the binary under test), MTCSIM_SOURCE_DIR (repository
root) and MTCSIM_PYTHON. Run by hand, the binary defaults to
$MTCSIM_SOURCE_DIR/build/mtcsim, then to `mtcsim` on the PATH.
"""

import os
import shutil
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("MTCSIM_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", ".."))
SCENARIO_DIR = os.path.join(SOURCE_DIR, "scenarios")

# Generous: the slowest case is the endless-loop scenario, which must be
# stopped by the loader's instruction budget (a few seconds), and the
# sanitizer build runs several times slower than Release.
DEFAULT_TIMEOUT = 50.0
# energy/energy.h: the power states and the procedures, in their order
STATES = ("psm", "edrx", "idle", "cdrx", "connected", "rx", "tx")
PROCS = ("sync", "sysinfo", "access", "rrc", "ul_data", "dl_data", "conn_wait", "paging",
         "psm_sleep", "tau", "command", "oos", "pur", "fota")

# Markers that a sanitizer (ASan, LSan, UBSan) found something.
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                     "runtime error:", "ThreadSanitizer")


# A Lua comment marking the line an error message must name.
MARK = "--<"


def marked_line(text):
    """1-based number of the one line of text carrying MARK."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if MARK in line]
    assert len(hits) == 1, "exactly one marked line expected"
    return hits[0]


def sweep_scenario(sweep, name="sw", duration=1800, replications=2, count=60, extra=""):
    """A small sweep scenario (one group at 140 dB, 50 bytes every 300 s):
    `sweep` is the Lua text of its sweep table, `extra` further fields."""
    return ('local mtc = require "mtc"\n'
            'return mtc.scenario {\n'
            '  name = "%s", duration = %s, seed = 4, replications = %d,\n'
            '  devices = { { name = "d", count = %d, '
            'traffic = mtc.traffic.periodic(300, mtc.payload.fixed(50)),\n'
            '                coverage = mtc.coverage.fixed(140), rai = true } },\n'
            '  sweep = %s,\n'
            '%s}\n' % (name, duration, replications, count, sweep, extra))


def mtcsim_path():
    env = os.environ.get("MTCSIM")
    if env:
        return env
    built = os.path.join(SOURCE_DIR, "build", "mtcsim")
    if os.access(built, os.X_OK):
        return built
    found = shutil.which("mtcsim")
    if found:
        return found
    raise RuntimeError("mtcsim binary not found: set MTCSIM=/path/to/mtcsim")


class Result:
    """Outcome of one mtcsim invocation."""

    def __init__(self, args, returncode, stdout, stderr, elapsed):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed

    @property
    def first_err_line(self):
        lines = self.stderr.splitlines()
        return lines[0] if lines else ""

    def describe(self):
        return ("command: %s\nexit code: %s (%.2f s)\n--- stdout\n%s\n--- stderr\n%s"
                % (" ".join(self.args), self.returncode, self.elapsed, self.stdout[-3000:],
                   self.stderr[-3000:]))


def run_mtcsim(args, cwd=None, timeout=DEFAULT_TIMEOUT):
    """Runs mtcsim with the given arguments (a list), returns a Result.
    A timeout raises subprocess.TimeoutExpired (the child is killed)."""
    cmd = [mtcsim_path()] + [str(a) for a in args]
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    elapsed = time.monotonic() - t0
    return Result(cmd, p.returncode, p.stdout.decode("utf-8", "replace"),
                  p.stderr.decode("utf-8", "replace"), elapsed)


def write_scenario(folder, name, text):
    """Writes text to folder/name (bytes exactly as given), returns the path."""
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def assert_no_crash(tc, res):
    """Exited normally (no signal) and stderr holds no sanitizer report."""
    tc.assertGreaterEqual(res.returncode, 0, "killed by a signal\n" + res.describe())
    for m in SANITIZER_MARKERS:
        tc.assertNotIn(m, res.stderr, "sanitizer report\n" + res.describe())


def assert_ok(tc, res):
    assert_no_crash(tc, res)
    tc.assertEqual(res.returncode, 0, res.describe())


def assert_usage_error(tc, res, first_line=None):
    """Exit code 2, no crash, and (if given) the exact first stderr line."""
    assert_no_crash(tc, res)
    tc.assertEqual(res.returncode, 2, res.describe())
    if first_line is not None:
        tc.assertEqual(res.first_err_line, first_line, res.describe())


def run_ok(tc, args, cwd=None, timeout=DEFAULT_TIMEOUT):
    res = run_mtcsim(args, cwd=cwd, timeout=timeout)
    assert_ok(tc, res)
    return res


def read_datasets(path):
    """Every dataset of an HDF5 file as {name: numpy array or bytes}."""
    import h5py

    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out["/" + name] = obj[()]

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


def check_output_lines(text):
    """`mtcsim check` output as {path: value text} (lines `path = value  -- doc`)."""
    values = {}
    for line in text.splitlines():
        if line.startswith("--") or " = " not in line:
            continue
        path, rest = line.split(" = ", 1)
        values[path] = rest.split("  -- ", 1)[0]
    return values
