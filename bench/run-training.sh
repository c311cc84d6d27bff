#!/usr/bin/env bash
# Training throughput on the CPU, ours (RunTrainer, TorchSharp) against the same models in plain
# PyTorch on the same machine, same run, same stored features, same split (docs/benchmarks.md, "Training").
#   bench/run-training.sh STORE [WORKDIR]
# From the environment: ROUNDS (3), THREADS (space-separated list, "1"), EPOCHS (2),
# CONFIGS ("late:T+F coattention:T+F coattention:T+W"), QUIET_LOAD (0.5: wait, up to 20 minutes,
# for a 1-minute load average below it before the rounds; empty to skip).
# Needs Debian's PyTorch for /usr/bin/python3: apt-get install -y python3-torch
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
store="${1:?usage: bench/run-training.sh STORE [WORKDIR]}"
work="${2:-${TMPDIR:-/tmp}/orchestrator-training-bench}"
rounds="${ROUNDS:-3}"
threads_list="${THREADS:-1}"
epochs="${EPOCHS:-2}"
read -r -a configs <<< "${CONFIGS:-late:T+F coattention:T+F coattention:T+W}"
quiet="${QUIET_LOAD-0.5}"
py=/usr/bin/python3                       # Debian's python3-torch, not a pyenv python
ref="$repo/bench/Training/pytorch_train.py"

"$py" -c 'import torch, numpy' 2>/dev/null || { echo "PyTorch/numpy missing for $py: apt-get install -y python3-torch" >&2; exit 1; }
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
echo "== load before the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"

for threads in $threads_list; do
  for ((r = 1; r <= rounds; r++)); do
    echo "== round $r/$rounds, $threads thread(s), $epochs epochs (load $(cut -d' ' -f1 /proc/loadavg))"
    dotnet "$bench_dll" "$store" "$work" "$threads" "$epochs" "${configs[@]}"
    "$py" "$ref" bench "$store" "$work" "$threads" "$epochs" "${configs[@]}"
  done
done
echo "== load after the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== training throughput (median of $rounds rounds; ratio = ours / PyTorch samples per second)"
"$py" "$ref" table "$work"
