#!/usr/bin/env bash
# Installs what is missing, builds mtcsim (Release) and runs a scenario.
# usage: scripts/run.sh [SCENARIO.lua [RESULTS.h5]]   (default: the quickstart scenario;
# RESULTS.h5 is replaced if it exists)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
scenario=${1:-scenarios/quickstart.lua}
out=${2:-$(basename "${scenario%.lua}").h5}
exec ./build/mtcsim run "$scenario" -o "$out" --force
