#!/usr/bin/env python3
"""Fills a folder with the fuzzer's seed inputs: every scenario of
scenarios/ and every case of tests/corpus/ except the known-failing ones
(they would only reproduce known bugs). A case's `-- args: ... --set P=V`
becomes a `--@set P=V` line, which fuzz_scenario.c gives as an override.

    python3 tests/fuzz/make_seeds.py build-fuzz/seeds
"""
import glob
import os
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", ".."))


def seed_text(path):
    with open(path, "rb") as f:
        text = f.read()
    if b"\n-- known-failing:" in b"\n" + text:
        return None
    sets = []
    for line in text.split(b"\n"):
        if line.startswith(b"-- args:"):
            args = shlex.split(line[len(b"-- args:"):].decode("utf-8", "replace"))
            for i, a in enumerate(args):
                if a == "--set" and i + 1 < len(args):
                    sets.append(args[i + 1])
                elif a.startswith("--set="):
                    sets.append(a[len("--set="):])
    return b"".join(b"--@set " + s.encode() + b"\n" for s in sets) + text


def main(out):
    os.makedirs(out, exist_ok=True)
    paths = sorted(glob.glob(os.path.join(SRC, "scenarios", "*.lua")) +
                   glob.glob(os.path.join(SRC, "tests", "corpus", "*.lua")))
    n = 0
    for p in paths:
        text = seed_text(p)
        if text is None:
            continue
        name = os.path.basename(os.path.dirname(p)) + "_" + os.path.basename(p)
        with open(os.path.join(out, name), "wb") as f:
            f.write(text)
        n += 1
    print("%d seeds in %s" % (n, out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "seeds")
