#!/usr/bin/env bash
# Feature-extraction throughput on the CPU: our FeatureExtractor (TorchSharp) against a PyTorch script
# doing the same work, same machine, same run, same random base-size weights, same utterances
# (docs/benchmarks.md).
#   bench/run-features.sh [WORKDIR]      N (default 8), ROUNDS (default 3), THREADS (default 2) from the environment
# The reference is Debian's PyTorch (/usr/bin/python3, apt-get install -y python3-torch) on Debian's OpenBLAS
# (apt-get install -y libopenblas0-pthread), selected for its process only, OPENBLAS_NUM_THREADS = threads
# (bench/pytorch-env.sh; PYTORCH_BLAS=generic for the reference BLAS instead). Each PyTorch round prints and
# records the BLAS it really ran on.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/orchestrator-features-bench}"
n="${N:-8}"
rounds="${ROUNDS:-3}"
threads="${THREADS:-2}"
script="$repo/bench/Features/pytorch_extract.py"
bench_dir="$repo/bench"
source "$repo/bench/pytorch-env.sh"
mkdir -p "$work"
if [[ ! -f "$work/bert-base/model.safetensors" || ! -f "$work/wav2vec2-base/model.safetensors" ]]; then
  echo "== generating random-initialised base checkpoints in $work (bench/Encoders/pytorch_reference.py)"
  pytorch "$threads" "$repo/bench/Encoders/pytorch_reference.py" generate "$work"
fi

echo "== building"
dotnet build "$repo/bench/Features/Features.Bench.csproj" -c Release --nologo -v quiet
bench_dll="$repo/artifacts/bin/Features.Bench/release/Features.Bench.dll"

echo "== preparing $n utterances (synthetic corpus, token ids, segment frame ranges)"
dotnet "$bench_dll" prepare "$work" "$n"
rm -f "$work/features-results.jsonl"

for ((r = 1; r <= rounds; r++)); do
  echo "== round $r/$rounds, $threads threads; ours (load $(load))"
  dotnet "$bench_dll" run "$work" "$threads"
  echo "== PyTorch (load $(load))"
  pytorch "$threads" "$script" bench "$work" "$threads"
done

echo "== agreement (same weights, same inputs; both stores F16)"
pytorch "$threads" "$script" compare "$work"
echo "== throughput (median of $rounds rounds; ratio = ours / PyTorch)"
echo "== load after the rounds: $(load)"
pytorch "$threads" "$script" table "$work"
