"""Every field's documented default is the value the simulator uses.

`mtcsim check` prints each resolved field with its documentation (the same
text as `--help` fields and the README's tables draw on). Where that text
names a default ("default 8", "defaults 2, 16, 128" per CE level, "default
32 (NB-IoT), 16 (LTE-M)", "NB-IoT ..., default 256; LTE-M ..., default
20"), a scenario that sets nothing must resolve to it, on both radios. A
stale default in the documentation is a silent wrong statement: this test
makes it a failure.
"""

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

# Words that follow "default" in prose, not values.
NOT_VALUES = {"the", "from", "paging", "a", "an", "is", "when", "each"}
VALUE = r'(-?[\d.]+(?:, -?[\d.]+)*|"[^"]*"|[A-Za-z_]\w*)'
RATS = {"nbiot": "NB-IoT", "ltem": "LTE-M"}


def parse(stdout):
    """(path, value, doc) for each documented line of `mtcsim check`."""
    for line in stdout.splitlines():
        m = re.match(r"^(\S+) = (.*?)  -- (.*)$", line)
        if m:
            yield m.groups()


def values_of(text):
    text = text.strip().strip("{}")
    return [v.strip().strip('"') for v in text.split(",")]


def same(documented, resolved):
    a, b = values_of(documented), values_of(resolved)
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        try:
            if float(x) != float(y):
                return False
        except ValueError:
            if x != y:
                return False
    return True


def expected(path, doc, rat):
    """The default the documentation states for this path on this radio,
    or None where it states none that can be checked."""
    other = RATS["ltem" if rat == "nbiot" else "nbiot"]
    level = re.search(r"ce_levels\[(\d+)\]", path)
    m = re.search(r"\bdefaults (-?[\d.]+(?:, -?[\d.]+)+)", doc)
    if level and m:
        vals = values_of(m.group(1))
        k = int(level.group(1)) - 1
        return vals[k] if k < len(vals) else None
    m = re.search(r"\bdefault (\S+?) \(NB-IoT[^)]*\), (\S+?) \(LTE-M", doc)
    if m:
        return m.group(1 if rat == "nbiot" else 2)
    downlink = ".downlink." in path
    best = None
    for seg in doc.split("; "):
        if ("downlink" in seg.lower()) != downlink and "downlink" in doc.lower():
            continue
        found = [v for v in re.findall(r"\bdefault " + VALUE, seg) if v not in NOT_VALUES]
        if not found:
            continue
        if RATS[rat] in seg and other not in seg:
            return found[-1]  # the segment of this radio
        if other in seg and RATS[rat] not in seg:
            continue  # the other radio's
        if best is None:
            best = found[-1]
    return best


SCENARIO = """\
local mtc = require "mtc"
return mtc.scenario {
  cell = { rat = "%s" },
  devices = { { count = 1 }, { count = 1, downlink = { answer_bytes = 10 } } },
}
"""


class DocDefaults(unittest.TestCase):
    def test_documented_defaults_hold(self):
        with tempfile.TemporaryDirectory(prefix="mtcsim-defaults-") as tmp:
            checked, wrong = 0, []
            for rat in ("nbiot", "ltem"):
                path = lib.write_scenario(tmp, rat + ".lua", SCENARIO % rat)
                res = lib.run_ok(self, ["check", path])
                for field, value, doc in parse(res.stdout):
                    want = expected(field, doc, rat)
                    if want is None or field == "name":
                        continue
                    checked += 1
                    if not same(want, value):
                        wrong.append("%s: %s resolves to %s, its documentation says default %s"
                                     % (rat, field, value, want))
            self.assertEqual(wrong, [], "\n".join(wrong))
            # The parser must find most of the documented defaults, or the
            # test would pass by checking nothing.
            self.assertGreater(checked, 150, "only %d defaults checked" % checked)


if __name__ == "__main__":
    unittest.main(verbosity=2)
