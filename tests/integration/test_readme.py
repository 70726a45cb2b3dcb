"""The README is true where a test can tell: its example scenario is a real
file that runs, and its package list is the install script's."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402


def read(rel):
    with open(os.path.join(lib.SOURCE_DIR, rel)) as f:
        return f.read()


class Readme(unittest.TestCase):
    def setUp(self):
        self.readme = read("README.md")

    def test_example_is_scenarios_annotated(self):
        sec = self.readme[self.readme.index("## Scenarios"):]
        block = re.search(r"```lua\n(.*?)```", sec, re.S).group(1)
        path = os.path.join("scenarios", "annotated.lua")
        text = read(path)
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("-- ")
                         and ln != "--") + "\n"
        self.assertEqual(block.strip(), body.strip(), "README example differs from " + path)
        r = lib.run_mtcsim(["check", os.path.join(lib.SOURCE_DIR, path)])
        self.assertEqual(r.returncode, 0, r.describe())

    def test_package_list_is_the_install_script_s(self):
        script = read(os.path.join("scripts", "install-deps.sh"))
        # the array ends at a ")" on a line of its own (comments inside may hold ")")
        arr = script[script.index("pkgs=(") + 6:script.index("\n)\n", script.index("pkgs=("))]
        pkgs = [w for ln in arr.splitlines() for w in ln.split("#")[0].split()]
        m = re.search(r"installs the Debian packages that are missing\n\(`([^`]*)`\)",
                      self.readme)
        self.assertIsNotNone(m, "the README's package list")
        self.assertEqual(m.group(1).split(), pkgs)


if __name__ == "__main__":
    unittest.main(verbosity=2)
