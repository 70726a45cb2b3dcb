#!/usr/bin/env bash
# slurm_sweep.sh: a sweep as a SLURM job array, then the join.
#
#   sbatch --array=0-7 scripts/slurm_sweep.sh scenarios/sweep_example.lua results/sweep.h5
#   # when every task is done (or with --dependency=afterok:<jobid>):
#   mtcsim merge scenarios/sweep_example.lua -o results/sweep.h5
#
# Each task runs the points p with p mod SLURM_ARRAY_TASK_COUNT =
# SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN on the cores SLURM gives it and
# writes each finished point to RESULTS.parts/ (a shared file system).
# A task that is killed (time limit, preemption) loses only its points in
# flight: resubmit the same array (--resume, below, keeps the finished
# points; it is harmless on the first run). The joined
# file is bit-identical whatever the number of tasks or threads.
#SBATCH --job-name=mtcsim-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --output=mtcsim-sweep-%A_%a.out
set -euo pipefail
scenario=${1:?usage: sbatch --array=0-N scripts/slurm_sweep.sh SCENARIO.lua RESULTS.h5}
results=${2:?usage: sbatch --array=0-N scripts/slurm_sweep.sh SCENARIO.lua RESULTS.h5}
mkdir -p "$(dirname "$results")"
exec "${MTCSIM:-mtcsim}" sweep "$scenario" -o "$results" --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --resume
