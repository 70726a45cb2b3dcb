"""The bad-input corpus: every case of tests/corpus/ run against mtcsim.

A case is tests/corpus/NAME.lua (plus, when it needs them, the files of
tests/corpus/NAME.files/, copied next to it: a required module, a folder
named like a module, a second scenario). Its first comment lines declare
the expected outcome:

    -- expect: exit 2                 (required: the exit code)
    -- message: devices[1].count      (each fragment must be in stderr; repeatable)
    -- args: run --set cell.rat=foo  (subcommand and extra arguments; default: check)
    -- line: 7                        (the line stderr must name: NAME.lua:7:)
    -- noline: <reason>               (exit 2 without the usual NAME.lua:LINE:)
    -- scenario: other.lua            (run this companion file instead of NAME.lua)
    -- absent: ../escaped.h5          (a path, relative to the working folder, that
                                       must not exist afterwards; repeatable)
    -- unchanged: existing.h5         (a file whose bytes must not change; repeatable)
    -- known-failing: <issue item>    (fails today: reported as XFAIL; a pass is XPASS,
                                       a failure, so that the marker is removed)

Each case runs in a fresh folder (the scenario given by its bare name, so
messages start with it), with a timeout. Checks: no signal, no timeout, the
exit code, the fragments, `NAME.lua:LINE:` (a line of the file) in stderr for
exit 2 unless `noline`, no Lua/C stack dump or sanitizer report, and, when
the exit code is not 0, no results or temporary file left behind.

Run by ctest (MTCSIM, MTCSIM_SOURCE_DIR set). By hand:
    MTCSIM=build/mtcsim python3 tests/integration/test_corpus.py [NAME...]
MTCSIM_CORPUS_TIMEOUT (s, default 20), MTCSIM_CORPUS_XFAIL_TIMEOUT (s, for
known-failing cases, default 5) and MTCSIM_CORPUS_JOBS (default 2) tune the
run; MTCSIM_CORPUS_STRICT=1 treats known-failing cases as plain
cases (to see which still fail, and why).
"""

import concurrent.futures
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

CORPUS = os.path.join(lib.SOURCE_DIR, "tests", "corpus")
TIMEOUT = float(os.environ.get("MTCSIM_CORPUS_TIMEOUT", "20"))
# Known-failing cases often hang until their fix lands: a shorter timeout
# keeps the suite quick (a fixed case answers in about a second).
XFAIL_TIMEOUT = float(os.environ.get("MTCSIM_CORPUS_XFAIL_TIMEOUT", "5"))
JOBS = int(os.environ.get("MTCSIM_CORPUS_JOBS", "2"))
STRICT = os.environ.get("MTCSIM_CORPUS_STRICT") == "1"

KEYS = ("expect", "message", "args", "line", "noline", "scenario", "absent", "unchanged",
        "known-failing")
REPEATABLE = ("message", "absent", "unchanged")
HEADER = re.compile(rb"^--\s*([a-z-]+):\s?(.*?)\s*$")
# What must never reach the user: an interpreter or C stack dump, an abort.
DUMP_MARKERS = ("stack traceback:", "PANIC: unprotected error", "[C]: in ", "Segmentation fault",
                "core dumped", "Aborted", "(null)") + lib.SANITIZER_MARKERS


class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.companions = path[:-len(".lua")] + ".files"
        self.headers = {}
        self.problems = []  # malformed header: the case itself is wrong
        self.parse()

    def parse(self):
        with open(self.path, "rb") as f:
            lines = f.read().split(b"\n")
        for raw in lines:
            m = HEADER.match(raw)
            if not m:
                break  # the header ends at the first line that is not `-- key: value`
            key, value = m.group(1).decode(), m.group(2).decode("utf-8", "replace")
            if key not in KEYS:
                self.problems.append("unknown header key %r" % key)
            elif key in REPEATABLE:
                self.headers.setdefault(key, []).append(value)
            elif key in self.headers:
                self.problems.append("header %r given twice" % key)
            else:
                self.headers[key] = value
        m = re.fullmatch(r"exit (\d+)", self.headers.get("expect", ""))
        if not m:
            self.problems.append("missing or malformed `-- expect: exit N`")
            self.expect = None
        else:
            self.expect = int(m.group(1))
        if self.expect == 2 and not self.headers.get("message") and "noline" not in self.headers:
            self.problems.append("an exit-2 case needs a `-- message:` fragment")
        self.known_failing = None if STRICT else self.headers.get("known-failing")

    def argv(self):
        args = shlex.split(self.headers.get("args", "check"))
        scen = self.headers.get("scenario", self.name)
        return [args[0], scen] + args[1:], scen


def line_count(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n") + 1
    except OSError:
        return 0


def run_case(case):
    """Returns (case, list of failure reasons, elapsed seconds)."""
    if case.problems:
        return case, ["malformed case: " + "; ".join(case.problems)], 0.0
    root = tempfile.mkdtemp(prefix="mtcsim-corpus-")
    work = os.path.join(root, "work")
    try:
        os.mkdir(work)
        shutil.copy(case.path, work)
        if os.path.isdir(case.companions):
            shutil.copytree(case.companions, work, symlinks=True, dirs_exist_ok=True)
        argv, scen = case.argv()
        before = {rel: digest(os.path.join(work, rel)) if rel in case.headers.get("unchanged", [])
                  else None for rel in files_under(work)}
        cmd = [os.path.abspath(lib.mtcsim_path())] + argv
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
        limit = TIMEOUT if case.known_failing is None else min(TIMEOUT, XFAIL_TIMEOUT)
        try:
            out, err = p.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # its own session: the case and nothing else
            p.communicate()
            return case, ["timed out after %.0f s" % limit], time.monotonic() - t0
        elapsed = time.monotonic() - t0
        stderr = err.decode("utf-8", "replace")
        why = check(case, p.returncode, stderr, scen, work, root, before)
        if why:
            why.append("stderr: " + (stderr.strip()[:300] or "(empty)"))
        return case, why, elapsed
    finally:
        for rel in case.headers.get("absent", []):
            if os.path.isabs(rel) and os.path.isfile(rel):
                os.remove(rel)  # written by the case outside its folder: clean up
        shutil.rmtree(root, ignore_errors=True)


def files_under(folder):
    return [os.path.relpath(os.path.join(d, f), folder)
            for d, _, files in os.walk(folder) for f in files]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check(case, rc, stderr, scen, work, root, before):
    why = []
    if rc < 0:
        return ["killed by signal %s" % signal.Signals(-rc).name]
    if rc != case.expect:
        why.append("exit %d, expected %d" % (rc, case.expect))
    for frag in case.headers.get("message", []):
        if frag not in stderr:
            why.append("stderr lacks %r" % frag)
    lines = [int(m) for m in re.findall(re.escape(scen) + r":(\d+):", stderr)]
    if "line" in case.headers:
        if int(case.headers["line"]) not in lines:
            why.append("stderr does not name %s:%s:" % (scen, case.headers["line"]))
    elif case.expect == 2 and "noline" not in case.headers:
        n = line_count(os.path.join(work, scen))
        if not any(1 <= v <= n for v in lines):
            why.append("stderr names no line of %s (%s:LINE: with LINE in 1..%d)" % (scen, scen, n))
    for m in DUMP_MARKERS:
        if m in stderr:
            why.append("stderr holds %r (a stack dump or crash report)" % m)
    for rel in case.headers.get("absent", []):
        if os.path.lexists(os.path.join(work, rel)):
            why.append("%s exists afterwards" % rel)
    for rel in case.headers.get("unchanged", []):
        path = os.path.join(work, rel)
        if not os.path.isfile(path) or digest(path) != before.get(rel):
            why.append("%s was changed or removed" % rel)
    if rc != 0:
        left = [rel for rel in files_under(root)
                if (rel.endswith(".h5") or ".tmp" in rel)
                and os.path.relpath(os.path.join(root, rel), work) not in before]
        if left:
            why.append("a failed run left files: %s" % ", ".join(sorted(left)))
    return why


def all_cases(names=None):
    paths = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS) if f.endswith(".lua"))
    if names:
        paths = [p for p in paths if os.path.basename(p)[:-4] in names
                 or os.path.basename(p) in names]
    return [Case(p) for p in paths]


def run_corpus(cases):
    """Runs the cases on JOBS workers; returns (summary text, failures)."""
    passed, xfail, failed = [], [], []
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        for case, why, elapsed in pool.map(run_case, cases):
            item = case.known_failing
            if item is not None and why and not why[0].startswith("malformed"):
                xfail.append("%s [%s]: %s" % (case.name, item, why[0]))
            elif item is not None and not why:
                failed.append("%s: XPASS: passes now; remove `-- known-failing: %s`"
                              % (case.name, item))
            elif why:
                failed.append("%s: %s" % (case.name, "; ".join(why)))
            else:
                passed.append(case.name)
            if elapsed > TIMEOUT / 2 and not why:
                print("  slow: %s took %.1f s" % (case.name, elapsed), file=sys.stderr)
    lines = ["corpus: %d cases, %d passed, %d expected failures (known-failing), %d failed "
             "(%.1f s)" % (len(cases), len(passed), len(xfail), len(failed),
                           time.monotonic() - t0)]
    lines += ["  XFAIL " + x for x in xfail]
    lines += ["  FAIL  " + f for f in failed]
    return "\n".join(lines), failed


class Corpus(unittest.TestCase):
    def test_corpus(self):
        cases = all_cases(NAMES)
        self.assertTrue(cases, "no cases in " + CORPUS)
        summary, failed = run_corpus(cases)
        print("\n" + summary, file=sys.stderr)
        self.assertFalse(failed, "%d corpus case(s) failed: see the summary above" % len(failed))


NAMES = []

if __name__ == "__main__":
    NAMES = [a for a in sys.argv[1:] if not a.startswith("-")]
    unittest.main(argv=[sys.argv[0]] + [a for a in sys.argv[1:] if a.startswith("-")],
                  verbosity=2)
