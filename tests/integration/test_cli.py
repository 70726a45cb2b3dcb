"""The command line: getopt_long's option forms, each command's --help,
the --set extensions (the mtc library in values, whole tables, path=nil),
--sweep axes, the RAT of cell fields, and the printed summary's labels.
"""

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

BASE = """\
local mtc = require "mtc"
return mtc.scenario {
  name = "t",
  duration = 3600,
  replications = 2,
  devices = {
    {
      name = "meters",
      count = 10,
      traffic = { kind = "periodic", period_s = 600, payload = mtc.payload.fixed(50) },
    },
  },
}
"""

SWEEP = lib.sweep_scenario('{ ["devices[1].coverage.fixed_db"] = { 130, 140 }, '
                           '{ ["devices[1].count"] = { 10, 20 }, '
                           '["devices[1].traffic.period_s"] = { 600, 1200 } } }')


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="mtcsim-cli2-")
        cls.dir = cls._tmp.name
        lib.write_scenario(cls.dir, "base.lua", BASE)
        lib.write_scenario(cls.dir, "sw.lua", SWEEP)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def run_in_tmp(self, args):
        return lib.run_mtcsim(args, cwd=self.dir)

    def check(self, *args):
        return lib.check_output_lines(lib.run_ok(self, ["check"] + list(args),
                                                 cwd=self.dir).stdout)

    def error(self, args, first_line):
        res = self.run_in_tmp(args)
        lib.assert_usage_error(self, res, first_line)
        return res

    # ---------------------------------------------------- option forms

    def test_out_forms(self):
        for form in (["-o", "a.h5"], ["--out", "a.h5"], ["--out=a.h5"], ["-oa.h5"]):
            with self.subTest(form=form):
                res = lib.run_ok(self, ["run", "base.lua", "--quiet", "--force"] + form,
                                 cwd=self.dir)
                self.assertEqual(res.stdout, "")
                self.assertTrue(os.path.exists(os.path.join(self.dir, "a.h5")))
                os.remove(os.path.join(self.dir, "a.h5"))

    def test_value_forms_and_order(self):
        # --opt=value and --opt value, before and after the scenario: the same
        want = self.check("base.lua", "--seed", "7", "--set", "devices[1].count=12")
        self.assertEqual(want["seed"], "7")
        self.assertEqual(want["devices[1].count"], "12")
        self.assertEqual(self.check("--seed=7", "--set=devices[1].count=12", "base.lua"), want)
        self.assertEqual(self.check("--set", "devices[1].count=12", "base.lua", "--seed=7"), want)
        res = lib.run_ok(self, ["run", "--threads=2", "--out=b.h5", "--quiet", "--force",
                                "base.lua"], cwd=self.dir)
        self.assertEqual(res.stdout, "")
        os.remove(os.path.join(self.dir, "b.h5"))

    def test_option_errors_name_the_option(self):
        cases = (
            (["run", "base.lua", "--frobnicate=1"], "mtcsim: unknown option '--frobnicate'"),
            (["run", "base.lua", "-x"], "mtcsim: unknown option '-x'"),
            (["run", "base.lua", "--out"], "mtcsim: --out needs a file name"),
            (["run", "base.lua", "--out="], "mtcsim: --out needs a file name"),
            (["run", "base.lua", "--out", ""], "mtcsim: --out needs a file name"),
            (["run", "base.lua", "-o", ""], "mtcsim: -o needs a file name"),
            (["run", "base.lua", "--seed=x"],
             "mtcsim: --seed needs a whole number from 0 to 9007199254740991, got 'x'"),
            (["run", "base.lua", "--threads=0"],
             "mtcsim: --threads needs a whole number from 1 to 4096"),
            (["run", "base.lua", "--force=yes"], "mtcsim: --force takes no value"),
            (["run", "base.lua", "--s", "1"],
             "mtcsim: ambiguous option '--s' (the start of several options)"),
            (["check", "base.lua", "--threads", "2"],
             "mtcsim: --threads is not an option of mtcsim check"),
            (["run", "base.lua", "--sweep", "duration=1,2"],
             "mtcsim: --sweep is not an option of mtcsim run"),
            (["sweep", "sw.lua", "--sweep"], "mtcsim: --sweep needs path=value,value,..."),
            (["sweep", "sw.lua", "--task-count"],
             "mtcsim: --task-count needs a whole number from 0 to 1000000"),
            (["run", "base.lua", "--", "--quiet"], "mtcsim: unexpected argument '--quiet'"),
            (["help", "simulate"], "mtcsim: unknown command 'simulate'"),
            (["life", "--days"], "mtcsim life: --days: needs a value"),
            (["life", "--force=1"], "mtcsim life: --force: takes no value"),
            (["life", "extra"], "mtcsim life: extra: unexpected argument"),
        )
        for args, first in cases:
            with self.subTest(args=args):
                res = self.error(args, first)
                self.assertEqual(res.stdout, "")
        self.assertEqual(os.listdir(self.dir).count("t.h5"), 0)

    # ------------------------------------------------------------ help

    def test_help_per_command(self):
        overview = lib.run_ok(self, ["--help"]).stdout
        for cmd in ("run", "sweep", "merge", "check", "life"):
            self.assertIn("mtcsim %s " % cmd, overview)
        expect = {
            "run": ("usage: mtcsim run SCENARIO.lua", ["--out", "--threads", "--quiet",
                                                       "path=nil"]),
            "check": ("usage: mtcsim check SCENARIO.lua", ["--modules", "--sweep"]),
            "sweep": ("usage: mtcsim sweep SCENARIO.lua", ["--list", "--resume", "--task-index",
                                                           "--sweep path=v1,v2,..."]),
            "merge": ("usage: mtcsim merge SCENARIO.lua", ["--sweep", "job-array"]),
            "life": ("usage: mtcsim life", ["--coupling-loss", "--battery", "TR 45.820"]),
        }
        for cmd, (first, words) in expect.items():
            for flag in ("--help", "-h"):
                with self.subTest(cmd=cmd, flag=flag):
                    res = lib.run_ok(self, [cmd, flag])
                    self.assertTrue(res.stdout.startswith(first), res.stdout[:200])
                    for w in words:
                        self.assertIn(w, res.stdout)
                    self.assertEqual(res.stderr, "")
            # the other commands' synopses are not in it
            others = [c for c in expect if c != cmd]
            text = lib.run_ok(self, [cmd, "--help"]).stdout
            for o in others:
                self.assertNotIn("usage: mtcsim %s" % o, text)
        self.assertEqual(lib.run_ok(self, ["help", "sweep"]).stdout,
                         lib.run_ok(self, ["sweep", "--help"]).stdout)
        # --help wins over a missing scenario, and after one too
        self.assertEqual(lib.run_ok(self, ["run", "base.lua", "--help"]).stdout,
                         lib.run_ok(self, ["run", "-h"]).stdout)

    def test_readme_synopsis_matches_overview(self):
        with open(os.path.join(lib.SOURCE_DIR, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        block = readme.split("## Command line", 1)[1].split("```", 2)[1]
        for cmd in ("run", "check", "sweep", "merge", "life"):
            self.assertIn("mtcsim %s " % cmd, block)
        self.assertIn("--sweep path=v1,v2,...", readme)
        self.assertIn("mtcsim COMMAND --help", block)

    # ------------------------------------------------ --set extensions

    def test_set_value_from_mtc_library(self):
        v = self.check("base.lua", "--set", "devices[1].module=mtc.modules.bg96")
        # the bg96 profile of scenarios/lib/modules.lua, not the default 543 / 90 mW
        self.assertEqual(v["devices[1].module.tx_mw"], "589")
        self.assertEqual(v["devices[1].module.rx_mw"], "80")
        v = self.check("base.lua", "--set", "duration=mtc.hours(2)",
                       "--set", "devices[1].traffic.payload=mtc.payload.uniform(10, 20)")
        self.assertEqual(v["duration"], "7200")
        self.assertEqual(v["devices[1].traffic.payload.kind"], '"uniform"')
        self.assertEqual(v["devices[1].traffic.payload.max_bytes"], "20")
        res = self.run_in_tmp(["check", "base.lua", "--set",
                               "devices[1].module=mtc.modules.bg69"])
        lib.assert_usage_error(self, res)
        self.assertTrue(res.first_err_line.startswith(
            "--set devices[1].module=mtc.modules.bg69: evaluating the value failed: "
            "modules.bg69: no such module profile"), res.describe())

    def test_set_table_replaces_the_table(self):
        # Replaced, not merged: period_s (the scenario's) would not apply to
        # a Poisson source, and the payload goes back to its default.
        before = self.check("base.lua")
        self.assertEqual(before["devices[1].traffic.payload.kind"], '"fixed"')
        v = self.check("base.lua", "--set",
                       'devices[1].traffic={kind="poisson", mean_interval_s=60}')
        self.assertEqual(v["devices[1].traffic.kind"], '"poisson"')
        self.assertEqual(v["devices[1].traffic.mean_interval_s"], "60")
        self.assertNotIn("devices[1].traffic.period_s", v)
        self.assertEqual(v["devices[1].traffic.payload.kind"], '"pareto"')
        # one field of it: the rest of the scenario's table stays
        v = self.check("base.lua", "--set", "devices[1].traffic.period_s=300")
        self.assertEqual(v["devices[1].traffic.payload.kind"], '"fixed"')
        self.assertEqual(v["devices[1].traffic.payload.bytes"], "50")

    def test_set_nil_clears_to_default(self):
        self.assertEqual(self.check("base.lua")["duration"], "3600")
        self.assertEqual(self.check("base.lua", "--set", "duration=nil")["duration"], "86400")
        v = self.check("base.lua", "--set", "devices[1].traffic.payload=nil")
        self.assertEqual(v["devices[1].traffic.payload.kind"], '"pareto"')
        # a path whose tables do not exist: nothing to clear, nothing created
        v = self.check("base.lua", "--set", "devices[2].traffic.kind=nil")
        self.assertNotIn("devices[2].count", v)
        # a required field cleared is missing
        self.error(["check", "base.lua", "--set", "devices[1].count=nil"],
                   "--set devices[1].count=nil: devices[1].count: required field is missing")

    # ----------------------------------------------------------- --sweep

    def sweep_list(self, *args):
        res = lib.run_ok(self, ["sweep", "sw.lua", "--list"] + list(args), cwd=self.dir)
        lines = res.stdout.splitlines()
        return lines[0].split(), [ln.split() for ln in lines[1:]]

    def test_sweep_replaces_and_adds_axes(self):
        head, rows = self.sweep_list()
        self.assertEqual(len(rows), 4)
        head, rows = self.sweep_list("--sweep", "devices[1].coverage.fixed_db=120,130,140.5")
        self.assertEqual(len(rows), 6)
        # the zipped group first (by its first path), the coverage fastest
        self.assertEqual([r[head.index("devices[1].coverage.fixed_db")] for r in rows[:3]],
                         ["120", "130", "140.5"])
        head, rows = self.sweep_list("--sweep=cell.rat=nbiot,ltem", "--sweep", "duration=60*60")
        self.assertEqual(len(rows), 8)
        self.assertEqual(sorted(set(r[head.index("cell.rat")] for r in rows)),
                         ['"ltem"', '"nbiot"'])
        self.assertEqual(set(r[head.index("duration")] for r in rows), {"3600"})
        # on a scenario without a sweep, --sweep makes it one
        res = lib.run_ok(self, ["sweep", "base.lua", "--list", "--sweep",
                                "devices[1].count=1000,5000,20000"], cwd=self.dir)
        self.assertEqual(res.stdout.split(), ["point", "devices[1].count", "0", "1000", "1",
                                              "5000", "2", "20000"])
        res = lib.run_ok(self, ["check", "base.lua", "--sweep", "devices[1].count=5,6"],
                         cwd=self.dir)
        self.assertIn("-- 2 sweep points", res.stdout)
        # and --set sweep=nil makes a sweep scenario one run
        res = lib.run_ok(self, ["check", "sw.lua", "--set", "sweep=nil"], cwd=self.dir)
        self.assertNotIn("sweep points", res.stdout)
        self.assertEqual(lib.check_output_lines(res.stdout)["devices[1].count"], "60")

    def test_sweep_runs_the_points(self):
        import h5py

        res = lib.run_ok(self, ["sweep", "sw.lua", "-o", "s.h5", "--force", "--quiet",
                                "--sweep", "devices[1].coverage.fixed_db=125"], cwd=self.dir)
        self.assertEqual(res.stdout, "")
        with h5py.File(os.path.join(self.dir, "s.h5"), "r") as f:
            self.assertEqual(sorted(set(f["points"]["devices[1].coverage.fixed_db"][()])),
                             [125.0])
            self.assertEqual(len(f["points"]["point_id"]), 2 * 2)
        os.remove(os.path.join(self.dir, "s.h5"))

    def test_sweep_errors(self):
        cases = (
            (["--sweep", "devices[1].count=5,,6"],
             "--sweep devices[1].count=5,,6: expected values separated by commas (an empty "
             "value, or an unclosed bracket or quote)"),
            (["--sweep", "devices[1].count"],
             "--sweep devices[1].count: expected path=value,value,..."),
            (["--sweep", "devices[1].count=1,2"],
             "--sweep devices[1].count=1,2: devices[1].count is in a zipped group of the "
             "scenario's sweep (sweep[1], paths that vary together): --sweep replaces or adds "
             "a plain axis only"),
            (["--sweep", "devices[1].name={1,2}"],
             "--sweep devices[1].name={1,2}: value 1: only numbers, strings and booleans can "
             "be swept"),
            (["--sweep", "duration=1,nil"], "--sweep duration=1,nil: value 2 is nil"),
            (["--sweep", "sweep=1,2"], "--sweep sweep=1,2: sweep is not a field to sweep"),
            (["--sweep", "devices[1].coverage.fixed_db=140,999"],
             "sweep point 1: --sweep devices[1].coverage.fixed_db=140,999 (value 999): "
             "devices[1].coverage.fixed_db: must be <= 250 (got 999)"),
            (["--sweep", "duration=60", "--set", "duration=5"],
             "--set duration=5: duration is swept; change the sweep instead"),
        )
        for args, first in cases:
            with self.subTest(args=args):
                self.error(["check", "sw.lua"] + args, first)

    # ---------------------------------------------------- the cell's RAT

    def test_rat_fields(self):
        lib.write_scenario(self.dir, "nb.lua", 'return {\n'
                           '  cell = {\n'
                           '    sib1_reps = 4,\n'
                           '    ce_levels = { { npdcch_g = 4 }, {}, {} },\n'
                           '  },\n'
                           '  devices = { { count = 1 } },\n'
                           '}\n')
        lib.run_ok(self, ["check", "nb.lua"], cwd=self.dir)
        self.error(["check", "nb.lua", "--set", "cell.rat=ltem"],
                   'nb.lua:3: cell.sib1_reps: an NB-IoT field, not used with cell.rat = "ltem"')
        self.error(["check", "nb.lua", "--set", "cell.rat=ltem", "--set", "cell.sib1_reps=nil"],
                   'nb.lua:4: cell.ce_levels[1].npdcch_g: an NB-IoT field, not used with '
                   'cell.rat = "ltem"')
        self.error(["check", "nb.lua", "--set", "cell.ul_narrowbands=2"],
                   '--set cell.ul_narrowbands=2: cell.ul_narrowbands: an LTE-M field, not used '
                   'with cell.rat = "nbiot"')

    # ------------------------------------------------------- the summary

    def test_summary_labels(self):
        res = lib.run_ok(self, ["run", "base.lua", "-o", "sum.h5", "--force"], cwd=self.dir)
        out = res.stdout
        os.remove(os.path.join(self.dir, "sum.h5"))
        self.assertNotIn("nan", out.lower())
        self.assertIn('scenario "t", 2 replications x 10 devices = 20 device x replication; '
                      'one cell; 3600 s simulated per replication', out)
        self.assertIn("per group, all replications and cells (devices: device x replication)",
                      out)
        row = re.search(r"^  meters +(\S+) ", out, re.M)
        self.assertEqual(row.group(1), "20")
        self.assertIn("fleet battery life (replication 0, the cell, every group)", out)
        self.assertIn("energy by procedure (all replications, all cells)", out)
        self.assertIn("the cell (replication 0): report latency p50", out)
        self.assertIn("random access by CE level (replication 0, the cell); collided: share of "
                      "the preambles sent that collided", out)
        self.assertIn("random access in TR 37.868's terms, each replication (the cell); "
                      "collision prob.: collided (opportunity, preamble) pairs / "
                      "(opportunities x preambles)", out)
        # the event model keeps no p95 of the access delay: a dash
        rows = re.findall(r"^  ([01]) +\d+ +\S+% +\S+% +\S+ +\S+ +(\S+) +\S+%$", out, re.M)
        self.assertEqual(rows, [("0", "-"), ("1", "-")], out)
        self.assertIn("events (all replications)", out)

    def test_summary_dash_for_missing_values(self):
        # a group out of coverage: no report delivered, no device in coverage
        lib.write_scenario(self.dir, "ooc.lua", BASE.replace(
            "count = 10,", "count = 3, coverage = mtc.coverage.fixed(250),"))
        res = lib.run_ok(self, ["run", "ooc.lua", "-o", "ooc.h5", "--force"], cwd=self.dir)
        os.remove(os.path.join(self.dir, "ooc.h5"))
        self.assertNotIn("nan", res.stdout.lower())
        row = re.search(r"^  meters .*$", res.stdout, re.M).group(0).split()
        # 6 device x replication, 6 without a cell, 36 reports, none delivered:
        # latency, life and >= 10 y do not exist
        self.assertEqual(row[:6], ["meters", "6", "6", "36", "0.00", "%"])
        self.assertEqual(row[9], "-")
        self.assertEqual(row[-2:], ["-", "-"])
        self.assertIn("fleet battery life (replication 0, the cell, every group): no device in "
                      "coverage (3 devices out of coverage)", res.stdout)

    def test_no_representation_noise(self):
        # 40.96 and 0.1 + 0.2 print as the shortest text that reads back
        lib.write_scenario(self.dir, "noise.lua", lib.sweep_scenario(
            '{ ["devices[1].idle.edrx_cycle_s"] = { 40.96, 81.92 } }',
            name="noise"))
        res = lib.run_ok(self, ["check", "noise.lua", "--set", "duration=0.1+0.2",
                                "--set", "devices[1].idle.psm=false"], cwd=self.dir)
        self.assertNotIn("40.9600", res.stdout)
        v = lib.check_output_lines(res.stdout)
        # 0.1 + 0.2 is not the double 0.3: the shortest text that reads back
        self.assertEqual(v["duration"], "0.30000000000000004")
        self.assertRegex(res.stdout, r"\n0 +40\.96\n")
        lst = lib.run_ok(self, ["sweep", "noise.lua", "--list"], cwd=self.dir).stdout
        self.assertEqual(lst.split()[2:], ["0", "40.96", "1", "81.92"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
