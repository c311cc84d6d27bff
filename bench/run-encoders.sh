#!/usr/bin/env bash
# Encoder throughput on the CPU, ours (TorchSharp) against PyTorch on the same machine, same run,
# same random-initialised base-size weights, same inputs (docs/benchmarks.md).
#   bench/run-encoders.sh [WORKDIR]      ROUNDS (default 3) and THREADS (default nproc) from the environment
# Needs Debian's PyTorch for /usr/bin/python3: apt-get install -y python3-torch
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/orchestrator-encoder-bench}"
rounds="${ROUNDS:-3}"
threads="${THREADS:-$(nproc)}"
py=/usr/bin/python3                       # Debian's python3-torch, not a pyenv python
ref="$repo/bench/Encoders/pytorch_reference.py"

"$py" -c 'import torch' 2>/dev/null || { echo "PyTorch missing for $py: apt-get install -y python3-torch" >&2; exit 1; }
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
  echo "== round $r/$rounds, $threads threads"
  dotnet "$bench_dll" "$work" "$threads"
  "$py" "$ref" bench "$work" "$threads"
done

echo "== agreement (same weights, same input)"
"$py" "$ref" compare "$work"
echo "== throughput (median of $rounds rounds; ratio = ours / PyTorch)"
"$py" "$ref" table "$work"
