#!/usr/bin/env bash
# Encoder throughput on the CPU, ours (TorchSharp) against PyTorch on the same machine, same run,
# same random-initialised base-size weights, same inputs (docs/benchmarks.md).
#   bench/run-encoders.sh [WORKDIR]      ROUNDS (default 3) and THREADS (default nproc) from the environment
# The reference is Debian's PyTorch (/usr/bin/python3, apt-get install -y python3-torch) on Debian's OpenBLAS
# (apt-get install -y libopenblas0-pthread), selected for its process only, OPENBLAS_NUM_THREADS = threads
# (bench/pytorch-env.sh; PYTORCH_BLAS=generic for the reference BLAS instead). Each PyTorch round prints and
# records the BLAS it really ran on. PYTORCH_BLAS_THREADS=N sets OPENBLAS_NUM_THREADS alone (bench/pytorch-env.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/orchestrator-encoder-bench}"
rounds="${ROUNDS:-3}"
threads="${THREADS:-$(nproc)}"
ref="$repo/bench/Encoders/pytorch_reference.py"
bench_dir="$repo/bench"
source "$repo/bench/pytorch-env.sh"
mkdir -p "$work"
if [[ ! -f "$work/bert-base/model.safetensors" || ! -f "$work/wav2vec2-base/model.safetensors" ]]; then
  echo "== generating random-initialised checkpoints and inputs in $work"
  "$py" "$ref" generate "$work"
fi
rm -f "$work/results.jsonl"

echo "== building"
dotnet build "$repo/bench/Encoders/Encoders.Bench.csproj" -c Release --nologo -v quiet
bench_dll="$repo/artifacts/bin/Encoders.Bench/release/Encoders.Bench.dll"

for ((r = 1; r <= rounds; r++)); do
  echo "== round $r/$rounds, $threads threads; ours (load $(load))"
  dotnet "$bench_dll" "$work" "$threads"
  echo "== PyTorch (load $(load))"
  pytorch "$threads" "$ref" bench "$work" "$threads"
done

echo "== agreement (same weights, same input)"
pytorch "$threads" "$ref" compare "$work"
echo "== throughput (median of $rounds rounds; ratio = ours / PyTorch)"
echo "== load after the rounds: $(load)"
pytorch "$threads" "$ref" table "$work"
