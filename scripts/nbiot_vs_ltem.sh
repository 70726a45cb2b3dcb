#!/usr/bin/env bash
# Runs scenarios/nbiot_vs_ltem.lua on NB-IoT and on LTE-M and prints the
# groups side by side. usage: scripts/nbiot_vs_ltem.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.}
bin=${MTCSIM:-./build/mtcsim}
"$bin" run scenarios/nbiot_vs_ltem.lua --set cell.rat=nbiot -o "$out/nbiot_vs_ltem_nbiot.h5" --quiet --force
"$bin" run scenarios/nbiot_vs_ltem.lua --set cell.rat=ltem -o "$out/nbiot_vs_ltem_ltem.h5" --quiet --force
/usr/bin/python3 scripts/side_by_side.py "$out/nbiot_vs_ltem_nbiot.h5" \
  "$out/nbiot_vs_ltem_ltem.h5" NB-IoT LTE-M
