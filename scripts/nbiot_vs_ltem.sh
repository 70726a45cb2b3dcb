#!/usr/bin/env bash
# Runs scenarios/nbiot_vs_ltem.lua on NB-IoT and on LTE-M and compares the
# groups side by side (mtcsim-report A B: the table printed, and
# OUT_DIR/nbiot_vs_ltem_report/ with index.html and compare.png/.pdf).
# usage: scripts/nbiot_vs_ltem.sh [OUT_DIR]
# Python: $MTCSIM_PYTHON, else the first of `python3` on PATH and Debian's
# /usr/bin/python3 that has h5py, numpy and matplotlib.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.}
bin=${MTCSIM:-./build/mtcsim}
py=${MTCSIM_PYTHON:-}
if [ -z "$py" ]; then
  for c in python3 /usr/bin/python3; do
    if "$c" -c "import h5py, numpy, matplotlib" 2>/dev/null; then py=$c; break; fi
  done
  [ -n "$py" ] || { echo "nbiot_vs_ltem.sh: no python3 with h5py, numpy and matplotlib" \
    "(scripts/install-deps.sh); set MTCSIM_PYTHON" >&2; exit 1; }
fi
"$bin" run scenarios/nbiot_vs_ltem.lua --set cell.rat=nbiot -o "$out/nbiot_vs_ltem_nbiot.h5" --quiet --force
"$bin" run scenarios/nbiot_vs_ltem.lua --set cell.rat=ltem -o "$out/nbiot_vs_ltem_ltem.h5" --quiet --force
"$py" analysis/mtcsim-report "$out/nbiot_vs_ltem_nbiot.h5" "$out/nbiot_vs_ltem_ltem.h5" \
  --label NB-IoT --label LTE-M -o "$out/nbiot_vs_ltem_report"
