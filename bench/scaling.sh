#!/usr/bin/env bash
# scaling.sh: wall time, events and peak RSS against devices and simulated
# days (issue 16 item 5), so that growth is visible.
#
# usage: bench/scaling.sh [--layout] [DEVICES...] [-- DAYS...]
#   default devices 10000 100000 1000000, default days 1 7 30
#
# Runs `mtcsim run scenarios/tr45820_cell.lua` (the TR 45.820 fleet in one
# cell: 10^6 devices are 19 times its load) or, with --layout,
# `scenarios/multicell.lua` with 19 sites (57 cells, two interference
# passes: the city-scale case) with devices[1].count and duration set, on
# THREADS threads (default 1), the results in a temporary folder, and
# prints one line per run: devices, days, wall s, events, events per
# second, model bytes per device (the summary's) and peak RSS per device
# (/usr/bin/time). Figures, not a pass/fail test; the largest runs take
# minutes to hours: give smaller lists to try it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mtcsim="${MTCSIM:-$here/build/mtcsim}"
[ -x "$mtcsim" ] || { echo "scaling.sh: $mtcsim not built (cmake --build build)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scaling.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
devices=() days=()
seen_sep=0
scenario="$here/scenarios/tr45820_cell.lua" sets=()
threads="${THREADS:-1}"
for a in "$@"; do
    if [ "$a" = "--" ]; then seen_sep=1; continue; fi
    if [ "$a" = "--layout" ]; then
        scenario="$here/scenarios/multicell.lua" sets=(--set cell.layout_sites=19)
        continue
    fi
    case "$a" in '' | *[!0-9]*) echo "scaling.sh: $a: not a whole number" >&2; exit 2 ;; esac
    if [ "$seen_sep" = 1 ]; then days+=("$a"); else devices+=("$a"); fi
done
[ ${#devices[@]} -gt 0 ] || devices=(10000 100000 1000000)
[ ${#days[@]} -gt 0 ] || days=(1 7 30)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "scenario: $scenario ${sets[*]}, $threads thread(s)"
printf '%10s %5s %9s %13s %10s %13s %13s\n' devices days "wall s" events "M ev/s" "model B/dev" "peak B/dev"
for n in "${devices[@]}"; do
    for d in "${days[@]}"; do
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$mtcsim" run "$scenario" "${sets[@]}" \
            -o "$tmp/r.h5" --force --threads "$threads" --set "devices[1].count=$n" \
            --set "duration=$((d * 86400))" >"$tmp/out" 2>&1 ||
            { echo "scaling.sh: the run of $n devices x $d days failed:" >&2; cat "$tmp/out" >&2; exit 1; }
        read -r wall rss_kb <"$tmp/time"
        line="$(grep -m1 'events in' "$tmp/out")"
        events="$(echo "$line" | awk '{ print $1 }')"
        model="$(echo "$line" | sed -n 's/.*, \([0-9]*\) bytes per device.*/\1/p')"
        awk -v n="$n" -v d="$d" -v w="$wall" -v e="$events" -v m="$model" -v r="$rss_kb" \
            'BEGIN { printf "%10d %5d %9.2f %13d %10.2f %13d %13.0f\n", n, d, w, e, e / w / 1e6, m, r * 1024 / n }'
    done
done
