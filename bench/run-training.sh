#!/usr/bin/env bash
# Training throughput on the CPU, ours (RunTrainer, TorchSharp) against the same models in plain
# PyTorch on the same machine, same run, same stored features, same split (docs/benchmarks.md, "Training").
#   bench/run-training.sh STORE [WORKDIR]
# From the environment: ROUNDS (3), THREADS (space-separated list, "1"), EPOCHS (2),
# CONFIGS ("linear:F linear:W late:T+F coattention:T+F coattention:T+W"), QUIET_LOAD (0.5: wait, up to 20 minutes,
# for a 1-minute load average below it before the rounds; empty to skip).
# The reference is Debian's PyTorch (/usr/bin/python3, apt-get install -y python3-torch) on Debian's OpenBLAS
# (apt-get install -y libopenblas0-pthread), selected for its process only, OPENBLAS_NUM_THREADS = threads
# (bench/pytorch-env.sh; PYTORCH_BLAS=generic for the reference BLAS instead). Each PyTorch round prints and
# records the BLAS it really ran on.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
store="${1:?usage: bench/run-training.sh STORE [WORKDIR]}"
work="${2:-${TMPDIR:-/tmp}/orchestrator-training-bench}"
rounds="${ROUNDS:-3}"
threads_list="${THREADS:-1}"
epochs="${EPOCHS:-2}"
read -r -a configs <<< "${CONFIGS:-linear:F linear:W late:T+F coattention:T+F coattention:T+W}"
quiet="${QUIET_LOAD-0.5}"
ref="$repo/bench/Training/pytorch_train.py"
bench_dir="$repo/bench"
source "$repo/bench/pytorch-env.sh"
[[ -f "$store/manifest.json" ]] || { echo "$store is not a feature store (features extract --store ...)" >&2; exit 1; }
mkdir -p "$work"
rm -f "$work/results.jsonl"

echo "== building"
dotnet build "$repo/bench/Training/Training.Bench.csproj" -c Release --nologo -v quiet
bench_dll="$repo/artifacts/bin/Training.Bench/release/Training.Bench.dll"

if [[ -n "$quiet" ]]; then
  for ((i = 0; i < 40; i++)); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" -v q="$quiet" 'BEGIN { exit !(l < q) }' && break
    echo "   load $load >= $quiet, waiting ($((i * 30)) s so far)"
    sleep 30
  done
fi
echo "== load before the rounds: $(load)"

for threads in $threads_list; do
  for ((r = 1; r <= rounds; r++)); do
    echo "== round $r/$rounds, $threads thread(s), $epochs epochs; ours (load $(load))"
    dotnet "$bench_dll" "$store" "$work" "$threads" "$epochs" "${configs[@]}"
    echo "== PyTorch (load $(load))"
    pytorch "$threads" "$ref" bench "$store" "$work" "$threads" "$epochs" "${configs[@]}"
  done
done
echo "== load after the rounds: $(load)"

echo "== training throughput (median of $rounds rounds; ratio = ours / PyTorch samples per second)"
pytorch 1 "$ref" table "$work"
