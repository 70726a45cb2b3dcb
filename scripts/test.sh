#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite: a
# Release build (warnings are errors), an ASan+UBSan build, and the MPI
# build's test against one process.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc)

echo "== release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMTCSIM_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTCSIM_SANITIZE=ON \
      -DMTCSIM_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE "slow|python"

echo "== MPI build (mpirun -n 2 mtcsim sweep against one process)"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DMTCSIM_MPI=ON -DMTCSIM_WERROR=ON \
      -DMTCSIM_TESTS=OFF >/dev/null
cmake --build build-mpi --target mtcsim -j"$jobs"
MTCSIM="$PWD/build-mpi/mtcsim" MTCSIM_SOURCE_DIR="$PWD" MTCSIM_REQUIRE_MPI=1 \
  /usr/bin/python3 tests/integration/test_mpi.py
