#!/usr/bin/env bash
# compare.sh: a revision against the working tree, side by side in one run.
#
# usage: bench/compare.sh REV [SCENARIO] [RUNS]
#   REV       any git revision (a tag, a hash, HEAD~3)
#   SCENARIO  path relative to the tree (default scenarios/tr45820_cell.lua);
#             each side loads its own copy, with its own scenario library
#   RUNS      runs per side (default 5)
#
# Builds REV's bench_cell beside the working tree (a detached git worktree
# under ${TMPDIR:-/tmp}, Release), builds the working tree's in build/, then
# runs the two alternately RUNS times each (one replication, one core, the
# radix queue, no heap baseline) and prints each run, the medians and the
# ratio REV / working tree (> 1: the working tree is faster), and whether
# both processed the same number of events (the same model: a changed model
# moves events). Figures, not a pass/fail test: the machine may be shared.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:?usage: bench/compare.sh REV [SCENARIO] [RUNS]}"
scen="${2:-scenarios/tr45820_cell.lua}"
runs="${3:-5}"
case "$runs" in '' | *[!0-9]*) echo "compare.sh: RUNS must be a whole number" >&2; exit 2 ;; esac
sha="$(git -C "$here" rev-parse --verify --quiet "$rev^{commit}")" ||
    { echo "compare.sh: $rev: no such revision" >&2; exit 2; }
[ -f "$here/$scen" ] || { echo "compare.sh: $scen: no such scenario in the working tree" >&2; exit 2; }

old="${TMPDIR:-/tmp}/mtcsim-compare-${sha:0:12}"
if [ ! -x "$old/build/bench/bench_cell" ] && [ ! -x "$old/build/bench_cell" ]; then
    rm -rf "$old"
    git -C "$here" worktree add --detach --quiet "$old" "$sha"
    echo "building $rev (${sha:0:12}) in $old ..."
    cmake -S "$old" -B "$old/build" -DCMAKE_BUILD_TYPE=Release -DMTCSIM_TESTS=OFF >/dev/null
    cmake --build "$old/build" -j"$(nproc)" --target bench_cell >/dev/null
fi
[ -f "$old/$scen" ] || { echo "compare.sh: $scen: not in $rev" >&2; exit 2; }
echo "building the working tree in $here/build ..."
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc)" --target bench_cell >/dev/null

find_bench() { for b in "$1/build/bench_cell" "$1/build/bench/bench_cell"; do [ -x "$b" ] && { echo "$b"; return; }; done; }
old_bin="$(find_bench "$old")"
new_bin="$(find_bench "$here")"

# one run: "wall_s events" from bench_cell's radix line
one() { (cd "$1" && "$2" "$scen" --no-baseline) | awk '/radix/ { print $3, $4; exit }'; }

old_w=() new_w=() old_e="" new_e=""
printf '%-4s %14s %14s\n' run "$rev s" "working s"
for i in $(seq 1 "$runs"); do
    read -r ow oe < <(one "$old" "$old_bin")
    read -r nw ne < <(one "$here" "$new_bin")
    old_w+=("$ow") new_w+=("$nw") old_e="$oe" new_e="$ne"
    printf '%-4s %14s %14s\n' "$i" "$ow" "$nw"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mo="$(median "${old_w[@]}")" mn="$(median "${new_w[@]}")"
echo "median: $rev $mo s, working tree $mn s; ratio $(awk -v a="$mo" -v b="$mn" 'BEGIN { printf "%.2f", a / b }')x"
if [ "$old_e" = "$new_e" ]; then
    echo "events: $new_e on both sides (the same model)"
else
    echo "events: $old_e ($rev) against $new_e (working tree): the model differs"
fi
