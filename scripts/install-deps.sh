#!/usr/bin/env bash
# Install the Debian packages mtcsim needs, only those that are missing.
# Idempotent: a second run installs nothing. Works as root or through sudo.
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config clang-format
  libgsl-dev             # distributions, statistics
  libhdf5-dev            # results files, C API
  zlib1g-dev             # CRC-32 of the results' text datasets
  liblua5.4-dev          # scenario scripts
  librandom123-dev       # Philox counter-based RNG
  libopenmpi-dev openmpi-bin   # sweeps across nodes, the MTCSIM_MPI build
  python3 python3-h5py python3-numpy   # results tests and analysis tools
  python3-matplotlib     # analysis/mtcsim-report plots
  python3-pandas         # DataFrames of mtcsim_results.frames
  python3-setuptools python3-wheel python3-pip python3-venv   # installing analysis/ offline
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    echo "install-deps: run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install these Debian packages by hand: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "install-deps: apt-get update failed (network?)" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
  echo "install-deps: apt-get install failed for: ${missing[*]}" >&2; exit 1; }
