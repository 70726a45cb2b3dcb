"""The layout docs/architecture.md describes holds in the tree.

1. Every file and folder the page names exists, and every source file of
   sim/core/, sim/ and mac/ is named on the page (a new file is documented).
2. Layers: a folder includes only its own headers and the public header of
   the folders it may use (the page's table); the event core includes
   nothing else of the project.
3. Lua headers only in sim/scenario.c and sim/sweep.c; HDF5 (its headers or
   sim/results_h5.h) only in sim/results.c and sim/results_read.c.
4. Each folder's CMakeLists.txt builds every .c file of the folder and
   links only the libraries of the folders it may use.
5. mac/: the procedures hand devices to each other only through the table
   mac/cell.c wires (c->proc): every field of struct mac_procs is wired,
   and an entry point is called by name only in its own file and in
   cell.c. Every radio table sets every field of struct mac_radio.
6. Sources are public: no file cites the developers' private notes (a
   folder outside the repository) instead of the specification or paper.

Needs only the Python standard library.
"""

import glob
import os
import re
import unittest

SRC = os.environ.get("MTCSIM_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

PUBLIC = {
    "sim/core": "sim/core/sim.h",
    "traffic": "traffic/traffic.h",
    "energy": "energy/energy.h",
    "phy": "phy/phy.h",
    "mac": "mac/mac.h",
    "sim": "sim/app.h",
}
MAY_USE = {
    "sim/core": [],
    "traffic": ["sim/core"],
    "energy": ["sim/core"],
    "phy": ["sim/core"],
    "mac": ["sim/core", "traffic", "energy", "phy"],
    "sim": ["sim/core", "traffic", "energy", "phy", "mac"],
}
LIBS = {"sim/core": "mtc_core", "traffic": "mtc_traffic", "energy": "mtc_energy",
        "phy": "mtc_phy", "mac": "mtc_mac", "sim": "mtc_app"}
LUA_USERS = {"sim/scenario.c", "sim/scenario_lua.c", "sim/sweep.c"}
HDF5_USERS = {"sim/results.c", "sim/results_read.c", "sim/results_h5.h"}
INCLUDE = re.compile(r'#\s*include\s*[<"]([^">]+)[">]')


def read(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return f.read()


def folder_of(rel):
    return "sim/core" if rel.startswith("sim/core/") else rel.split("/")[0]


def sources(folder, exts=(".c", ".h")):
    out = []
    for ext in exts:
        out += glob.glob(os.path.join(SRC, folder, "*" + ext))
    return sorted(os.path.relpath(p, SRC) for p in out)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


class Architecture(unittest.TestCase):
    def test_page_names_existing_files(self):
        page = read("docs/architecture.md")
        named = set(re.findall(r"`([A-Za-z0-9_./-]+/[A-Za-z0-9_./-]*)`", page))
        self.assertGreater(len(named), 30)
        for path in sorted(named):
            self.assertTrue(os.path.exists(os.path.join(SRC, path)),
                            f"docs/architecture.md names {path}, which does not exist")
        for folder in ("sim/core", "sim", "mac"):
            for rel in sources(folder):
                self.assertIn(rel, named, f"{rel} is not described in docs/architecture.md")
        for folder, header in PUBLIC.items():
            self.assertIn(header, named, f"the page's layer table lacks {header}")

    def test_layers(self):
        for folder, allowed in MAY_USE.items():
            for rel in sources(folder):
                for inc in INCLUDE.findall(strip_comments(read(rel))):
                    if "/" not in inc or folder_of(inc) not in MAY_USE:
                        continue  # a system or library header
                    if inc == "gitsha.h":
                        self.assertEqual(folder, "sim", rel)
                        continue
                    dep = folder_of(inc)
                    if dep == folder:
                        continue
                    self.assertIn(dep, allowed, f"{rel} includes {inc}: {folder}/ may not use {dep}/")
                    self.assertEqual(inc, PUBLIC[dep],
                                     f"{rel} includes {inc}, not {dep}/'s public header")

    def test_lua_and_hdf5_users(self):
        for folder in MAY_USE:
            for rel in sources(folder):
                incs = INCLUDE.findall(strip_comments(read(rel)))
                for inc in incs:
                    if re.fullmatch(r"(lua|lauxlib|lualib)\.h", inc):
                        self.assertIn(rel, LUA_USERS, f"{rel} includes {inc}")
                    if re.fullmatch(r"(hdf5.*|H5[A-Za-z]*)\.h|sim/results_h5\.h", inc):
                        self.assertIn(rel, HDF5_USERS, f"{rel} includes {inc}")

    def test_cmake_builds_every_file(self):
        for folder in MAY_USE:
            cm = strip_comments(re.sub(r"#[^\n]*", " ", read(f"{folder}/CMakeLists.txt")))
            built = set(re.findall(r"([A-Za-z0-9_]+\.c)\b", cm))
            for rel in sources(folder, (".c",)):
                self.assertIn(os.path.basename(rel), built,
                              f"{rel} is not built by {folder}/CMakeLists.txt")
            for args in re.findall(r"target_link_libraries\(([^)]*)\)", cm):
                for lib in re.findall(r"\bmtc_\w+", args):
                    dep = [f for f, name in LIBS.items() if name == lib]
                    self.assertEqual(len(dep), 1, f"{folder}/CMakeLists.txt links unknown {lib}")
                    self.assertIn(dep[0], MAY_USE[folder] + [folder],
                                  f"{folder}/CMakeLists.txt links {lib}: {folder}/ may not use it")
        top = read("CMakeLists.txt")
        for folder in MAY_USE:
            self.assertRegex(top, r"add_subdirectory\(%s\)" % re.escape(folder))

    def struct_fields(self, name):
        text = strip_comments(read("mac/mac_internal.h"))
        body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (name, name), text, flags=re.S)
        self.assertIsNotNone(body, f"struct {name} in mac/mac_internal.h")
        fields = re.findall(r"\(\*(\w+)\)\s*\(", body.group(1))
        # plain members of a radio table (the channel a WUS shares, ...)
        fields += re.findall(r"^\s*(?:phy_chan|int|double)\s+(\w+)\s*;", body.group(1), flags=re.M)
        self.assertGreaterEqual(len(fields), 8, name)
        return set(fields)

    def test_procedure_hand_offs_through_the_table(self):
        fields = self.struct_fields("mac_procs")
        cell = strip_comments(read("mac/cell.c"))
        macro = re.search(r"#define MAC_PROCS_REL13((?:[^\n]*\\\n)*[^\n]*)", cell)
        self.assertIsNotNone(macro, "MAC_PROCS_REL13 in mac/cell.c")
        pairs = re.findall(r"\.(\w+)\s*=\s*(\w+)", macro.group(1))
        self.assertEqual({f for f, _ in pairs}, fields, "mac_procs fields vs the wiring")
        wired = sorted({fn for _, fn in pairs})
        files = {rel: strip_comments(read(rel)) for rel in sources("mac", (".c",))}
        for fn in wired:
            home = [rel for rel, text in files.items()
                    if re.search(r"^[a-z][\w ]*\b%s\(" % fn, text, flags=re.M)]
            self.assertEqual(len(home), 1, f"{fn} defined in {home}")
            call = re.compile(r"(?<![\w>.])\(?\s*%s\s*\)?\s*\(" % fn)
            for rel, text in files.items():
                if rel in (home[0], "mac/cell.c"):
                    continue
                m = call.search(text)
                self.assertIsNone(m, f"{rel} calls {fn} directly: hand off through c->proc")

    def test_radio_tables_complete(self):
        fields = self.struct_fields("mac_radio")
        tables = 0
        for rel in sources("mac", (".c",)):
            text = strip_comments(read(rel))
            for name, body in re.findall(r"const mac_radio (\w+) = \{(.*?)\};", text, flags=re.S):
                tables += 1
                got = set(re.findall(r"\.(\w+)\s*=", body)) - {"name"}
                self.assertEqual(got, fields, f"{rel}: {name} must set every entry")
        self.assertGreaterEqual(tables, 2)

    def test_sources_are_public(self):
        private = ("shared" + "/reference", "params" + ".md", "timing" + ".md")
        for top in ("sim", "traffic", "energy", "phy", "mac", "scenarios", "analysis", "bench",
                    "tests", "scripts", "docs", "README.md"):
            paths = [os.path.join(SRC, top)] if top.endswith(".md") else [
                os.path.join(d, f) for d, _, fs in os.walk(os.path.join(SRC, top)) for f in fs]
            for path in paths:
                if not path.endswith((".c", ".h", ".py", ".lua", ".md", ".sh", ".txt")):
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for word in private:
                    self.assertNotIn(word, text, f"{os.path.relpath(path, SRC)} cites {word}")

    def test_readme_layout_matches(self):
        readme = read("README.md")
        layout = readme[readme.index("## Layout"):]
        for folder in MAY_USE:
            self.assertIn(f"`{folder}/`", layout, f"README layout lacks {folder}/")
        self.assertIn("docs/architecture.md", layout)


if __name__ == "__main__":
    unittest.main()
