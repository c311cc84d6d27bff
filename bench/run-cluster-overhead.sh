#!/usr/bin/env bash
# Real runs through the cluster against `cv --parallel 2` on the same machine, same store, same
# configurations, alternating rounds (docs/benchmarks.md, "Cluster against cv").
#   bench/run-cluster-overhead.sh STORE [WORKDIR]
# From the environment: ROUNDS (2), CONFIGS ("linear:T late:T+F"), REPEATS (1).
# The cluster side is the embedded one (private PostgreSQL + a co-hosted silo with 2 slots, each run a
# child `orchestrator train` process); the cv side trains 2 runs at a time in its worker processes.
# Both sides train the same runs (same keys, folds, repeats, hence seeds): their UA must be identical.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
store="$(cd "${1:?usage: bench/run-cluster-overhead.sh STORE [WORKDIR]}" && pwd)"
work="${2:-${TMPDIR:-/tmp}/orchestrator-cluster-overhead}"
rounds="${ROUNDS:-2}"
repeats="${REPEATS:-1}"
read -r -a configs <<< "${CONFIGS:-linear:T late:T+F}"
rm -rf "$work"; mkdir -p "$work"
"$repo/orchestrator" --help > /dev/null                     # build once, outside the timings

for ((r = 1; r <= rounds; r++)); do
  start=$(date +%s.%N)
  for config in "${configs[@]}"; do
    model="${config%%:*}"; streams="${config#*:}"
    "$repo/orchestrator" cv --store "$store" --model "$model" --streams "${streams//+/,}" --repeats "$repeats" \
      --results "$work/cv-$r" --parallel 2 --json > "$work/cv-$r-${config//[:+]/_}.json"
  done
  cv=$(echo "$(date +%s.%N) - $start" | bc)

  { echo "name: overhead-$r"; echo "store: $store"; echo "repeats: $repeats"; echo "configurations:"
    for config in "${configs[@]}"; do echo "  - {model: ${config%%:*}, streams: ${config#*:}}"; done; } > "$work/grid-$r.yaml"
  # The private server is started before the clock (initdb is a one-off); the silo's start is timed.
  ORCHESTRATOR_DATA="$work/cluster-$r" "$repo/orchestrator" database start > /dev/null
  start=$(date +%s.%N)
  ORCHESTRATOR_DATA="$work/cluster-$r" "$repo/orchestrator" sweep submit "$work/grid-$r.yaml" --slots 2 > "$work/sweep-$r.txt" 2>&1
  cluster=$(echo "$(date +%s.%N) - $start" | bc)
  printf 'round %d: cv --parallel 2 %.1f s, cluster (2 slots) %.1f s, ratio cv/cluster %.3f\n' "$r" "$cv" "$cluster" "$(echo "$cv / $cluster" | bc -l)"
  ORCHESTRATOR_DATA="$work/cluster-$r" "$repo/orchestrator" database stop
done
