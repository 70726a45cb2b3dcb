#!/usr/bin/env bash
# Runs scenarios/nbiot_vs_ltem.lua on NB-IoT and on LTE-M and compares the
# groups side by side (mtcsim-report A B: the table printed, and
# OUT_DIR/nbiot_vs_ltem_report/ with index.html and compare.png/.pdf).
# usage: scripts/nbiot_vs_ltem.sh [OUT_DIR]
# Python: $MTCSIM_PYTHON, else the first python3 on PATH (it needs h5py,
# numpy and matplotlib).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.}
bin=${MTCSIM:-./build/mtcsim}
py=${MTCSIM_PYTHON:-python3}
"$bin" run scenarios/nbiot_vs_ltem.lua --set cell.rat=nbiot -o "$out/nbiot_vs_ltem_nbiot.h5" --quiet --force
"$bin" run scenarios/nbiot_vs_ltem.lua --set cell.rat=ltem -o "$out/nbiot_vs_ltem_ltem.h5" --quiet --force
"$py" analysis/mtcsim-report "$out/nbiot_vs_ltem_nbiot.h5" "$out/nbiot_vs_ltem_ltem.h5" \
  --label NB-IoT --label LTE-M -o "$out/nbiot_vs_ltem_report"
