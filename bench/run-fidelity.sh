#!/usr/bin/env bash
# Training fidelity: `orchestrator cv` against an independent PyTorch implementation of the method with
# plain shuffled batches, on a synthetic corpus the demo never uses, same stored features, same splits
# (docs/benchmarks.md, "Training fidelity").
#   bench/run-fidelity.sh [WORKDIR]
# From the environment: SEED (7), UTTERANCES (1600 labelled, about 880 in the 4-class set), REPEATS (3),
# CONFIGS ("linear:T linear:F late:T+F coattention:T+W"), PARALLEL (2: runs side by side on each side).
# Needs Debian's PyTorch for /usr/bin/python3 (apt-get install -y python3-torch); uses Debian's OpenBLAS
# (libopenblas0-pthread) for PyTorch when it is installed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/orchestrator-fidelity}"
seed="${SEED:-7}"
utterances="${UTTERANCES:-1600}"
repeats="${REPEATS:-3}"
parallel="${PARALLEL:-2}"
read -r -a configs <<< "${CONFIGS:-linear:T linear:F late:T+F coattention:T+W}"
py=/usr/bin/python3
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread

"$py" -c 'import torch, numpy' 2>/dev/null || { echo "PyTorch/numpy missing for $py: apt-get install -y python3-torch" >&2; exit 1; }
mkdir -p "$work"
orchestrator() { "$repo/orchestrator" "$@"; }

[[ -f "$work/corpus/synthesis.json" ]] || orchestrator corpus synth --corpus "$work/corpus" --seed "$seed" --utterances "$utterances"
orchestrator features extract --corpus "$work/corpus" --store "$work/features" --dtype f32 --json > "$work/extraction.json"

for config in "${configs[@]}"; do
  model="${config%%:*}"; streams="${config#*:}"
  echo "== cv $config ($repeats repeats)"
  orchestrator cv --store "$work/features" --model "$model" --streams "${streams//+/,}" --repeats "$repeats" \
    --parallel "$parallel" > "$work/cv-${config//[:+]/_}.txt"
  tail -n 4 "$work/cv-${config//[:+]/_}.txt"
done

# The project's runs, as the embedded cluster's database holds them, one JSON file per configuration.
# Runs are filed under the store's fingerprint and the training protocol (RunTrainer.ResultsKey).
fingerprint="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' "$work/features/manifest.json")@protocol2"
read -r -a psql <<< "$(orchestrator database psql)"
mkdir -p "$work/results"
for config in "${configs[@]}"; do
  "${psql[@]}" -At -v fingerprint="$fingerprint" -v key="$config" > "$work/results/${config//[:+]/_}.json" <<'SQL'
SELECT coalesce(json_agg(json_build_object('Fold', r.fold, 'Repeat', r.repeat, 'ValidationIds', s.validation_ids,
                                           'UnweightedAccuracy', s.ua, 'CollapsedClasses', s.collapsed_classes)
                         ORDER BY r.repeat, r.fold), '[]')
FROM runs r JOIN results s ON s.run_id = r.id
WHERE r.store_fingerprint = :'fingerprint' AND r.configuration_key = :'key';
SQL
done

echo "== PyTorch, plain shuffled batches, the same splits"
blas=""
[[ -f "$openblas/libblas.so.3" ]] && blas="$openblas"
LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS=1 WORKERS="$parallel" \
  "$py" "$repo/bench/Training/pytorch_accuracy.py" train "$work/features" "$work/results" "$work/pytorch" "${configs[@]}"

echo "== comparison (UA in %, mean ± standard error over runs; paired = same fold, repeat and split)"
"$py" "$repo/bench/Training/pytorch_accuracy.py" compare "$work/results" "$work/pytorch" "${configs[@]}"
