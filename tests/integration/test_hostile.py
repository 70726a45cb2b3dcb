"""Hostile and careless scenarios (issue 14): the loader must answer each with
`FILE:LINE: ...` on stderr and exit 2 (or a clear message and exit 1), in
bounded time and memory: never a crash, an abort, a hang or a silent
default. Every case runs under HANG_TIMEOUT, so a hang fails the test
instead of blocking the suite.
"""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

# The instruction budget stops a script after about a second (Release); the
# sanitizer build is several times slower.
HANG_TIMEOUT = 20.0

MARK = "--<"  # a Lua comment marking the line an error must name


def marked_line(text):
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if MARK in line]
    assert len(hits) == 1, "exactly one marked line expected"
    return hits[0]


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="mtcsim-hostile-")
        cls.dir = cls._tmp.name

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def run_in_tmp(self, args, timeout=HANG_TIMEOUT):
        return lib.run_mtcsim(args, cwd=self.dir, timeout=timeout)

    def scenario(self, text, name="s.lua"):
        lib.write_scenario(self.dir, name, textwrap.dedent(text))
        return name

    def expect_error(self, text, *needles, args=(), name="s.lua", code=2):
        """`mtcsim check` of text fails with `code`; the first stderr line
        starts with name:LINE (LINE: the marked line, if any) and holds
        every needle."""
        text = textwrap.dedent(text)
        self.scenario(text, name)
        res = self.run_in_tmp(["check", name] + list(args))
        lib.assert_no_crash(self, res)
        self.assertEqual(res.returncode, code, res.describe())
        first = res.first_err_line
        if MARK in text:
            self.assertTrue(first.startswith("%s:%d: " % (name, marked_line(text))),
                            res.describe())
        for n in needles:
            self.assertIn(n, first, res.describe())
        return res

    # ------------------------------------------- item 5: misspelt names

    def test_misspelt_module_profile(self):
        # was: nil, so the group silently used the default module (exit 0)
        self.expect_error("""\
            local mtc = require "mtc"
            return mtc.scenario {
              duration = 100,
              devices = { { count = 1,
                module = mtc.modules.bg69, --<
              } },
            }
            """, 'modules.bg69: no such module profile (did you mean "bg96"?',
                          "known: bg96, sara_n211, tr45820")

    def test_misspelt_stack(self):
        self.expect_error("""\
            local mtc = require "mtc"
            local stacks = require "stacks"
            return mtc.scenario {
              duration = 100,
              devices = { { count = 1,
                stack = stacks.coap_dtls13_resumd, --<
              } },
            }
            """, 'stacks.coap_dtls13_resumd: no such protocol stack '
                 '(did you mean "coap_dtls13_resumed"?')

    def test_misspelt_helpers(self):
        for expr, msg in (("mtc.days", None),  # a known name: no error from the lookup
                          ("mtc.traffic.periodc(60)", 'mtc.traffic.periodc: no such traffic '
                                                      'helper (did you mean "periodic"?'),
                          ("mtc.payload.fixd(20)", 'mtc.payload.fixd: no such payload helper'),
                          ("mtc.coverage.fixd(150)", 'mtc.coverage.fixd: no such coverage'),
                          ("mtc.tr45820.mar_periodc()", "mtc.tr45820.mar_periodc: no such"),
                          ("mtc.tr37868.modl1()", 'did you mean "model1"?'),
                          ("mtc.day", 'mtc.day: no such helper (did you mean "days"?')):
            with self.subTest(expr=expr):
                text = """\
                    local mtc = require "mtc"
                    local x = %s --<
                    return mtc.scenario { duration = 100, devices = { { count = 1 } } }
                    """ % expr
                if msg is None:
                    self.scenario(text)
                    lib.assert_ok(self, self.run_in_tmp(["check", "s.lua"]))
                else:
                    self.expect_error(text, msg)

    def test_named_tables_still_iterate_and_extend(self):
        # pairs() over the profiles and adding one of one's own keep working
        self.scenario("""\
            local mtc = require "mtc"
            local n = 0
            for _ in pairs(mtc.modules) do n = n + 1 end
            assert(n == 3, "three module profiles")
            mtc.modules.mine = mtc.with(mtc.modules.bg96, { rx_mw = 70 })
            return mtc.scenario { duration = 100,
              devices = { { count = 1, module = mtc.modules.mine } } }
            """)
        res = lib.run_ok(self, ["check", "s.lua"], cwd=self.dir)
        self.assertIn("devices[1].module.rx_mw = 70", res.stdout)


if __name__ == "__main__":
    unittest.main()
