#!/usr/bin/env bash
# Real runs through the cluster against the loop a researcher would otherwise write: the same
# `orchestrator train` runs, 2 at a time (xargs -P 2), each printing its result. Same machine, same
# store, same configurations, alternating rounds (docs/benchmarks.md, "Cluster against plain processes").
#   bench/run-cluster-overhead.sh STORE [WORKDIR]
# From the environment: ROUNDS (2), CONFIGS ("linear:T late:T+F"), REPEATS (1).
# The cluster side is `orchestrator cv` on the embedded cluster (private PostgreSQL + a co-hosted silo
# with 2 slots, each run a child `orchestrator train` process, results written to PostgreSQL).
# Both sides train the same runs (same keys, folds, repeats, hence seeds): their UA must be identical.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
store="$(cd "${1:?usage: bench/run-cluster-overhead.sh STORE [WORKDIR]}" && pwd)"
work="${2:-${TMPDIR:-/tmp}/orchestrator-cluster-overhead}"
rounds="${ROUNDS:-2}"
repeats="${REPEATS:-1}"
read -r -a configs <<< "${CONFIGS:-linear:T late:T+F}"
rm -rf "$work"; mkdir -p "$work"; chmod 711 "$work"     # as root, the server's postgres account must enter it
"$repo/orchestrator" --help > /dev/null                  # build once, outside the timings
cp -r "$repo/artifacts/bin/Client/release" "$work/cli"   # a copy: a rebuild meanwhile must not change what is timed
dll="$work/cli/orchestrator.dll"
cli=(dotnet "$dll")
sessions=$(python3 -c 'import json,sys; print(" ".join(sorted({str(u["session"]) for u in json.load(open(sys.argv[1]))["utterances"]})))' "$store/manifest.json")

for ((r = 1; r <= rounds; r++)); do
  start=$(date +%s.%N)
  for config in "${configs[@]}"; do
    for ((k = 1; k <= repeats; k++)); do for fold in $sessions; do echo "$config $fold $k"; done; done
  done | xargs -P 2 -L 1 sh -c 'OMP_NUM_THREADS=1 dotnet "'"$dll"'" train --json --threads 1 --store "'"$store"'" --configuration "$0" --fold "$1" --repeat "$2" 2>/dev/null' \
    > "$work/plain-$r.jsonl"
  plain=$(echo "$(date +%s.%N) - $start" | bc)

  # The private server is started before the clock (initdb is a one-off); the silo's start is timed.
  export ORCHESTRATOR_DATA="$work/cluster-$r"
  "${cli[@]}" database start > /dev/null
  start=$(date +%s.%N)
  for config in "${configs[@]}"; do
    "${cli[@]}" cv --store "$store" --configuration "$config" --repeats "$repeats" --parallel 2 --json > "$work/cluster-$r-${config//[:+]/_}.json" 2> /dev/null
  done
  cluster=$(echo "$(date +%s.%N) - $start" | bc)
  printf 'round %d: plain processes (2 at a time) %.1f s, cluster (2 slots) %.1f s, ratio plain/cluster %.3f\n' "$r" "$plain" "$cluster" "$(echo "$plain / $cluster" | bc -l)"
  python3 - "$work/plain-$r.jsonl" "$work"/cluster-"$r"-*.json <<'PY'
import json, sys
plain = [json.loads(line) for line in open(sys.argv[1])]
for path in sys.argv[2:]:
    summary = json.load(open(path))
    runs = [p for p in plain if p["ConfigurationKey"] == summary["ConfigurationKey"]]
    mean = sum(p["Metrics"]["UnweightedAccuracy"] for p in runs) / len(runs)
    same = "identical" if abs(mean - summary["UnweightedAccuracy"]["Mean"]) < 1e-12 else "DIFFERENT"
    print(f"  {summary['ConfigurationKey']}: UA {100 * mean:.2f} (plain) vs {100 * summary['UnweightedAccuracy']['Mean']:.2f} (cluster), {same}")
PY
  "${cli[@]}" database stop
  unset ORCHESTRATOR_DATA
done
