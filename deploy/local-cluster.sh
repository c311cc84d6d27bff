#!/usr/bin/env bash
# A cluster on one machine, as separate processes on loopback: a private PostgreSQL server, one
# coordinator silo and two worker silos joined through the membership table in that database, and a
# client that submits a grid to them and follows it to the end.
#   deploy/local-cluster.sh [GRID] [WORKDIR]
# GRID defaults to grids/demo.yaml (its store must exist: ./orchestrator demo makes it). Slots per
# worker: SLOTS (1). The silos stop when the sweep is done (or on Ctrl-C); their logs stay in WORKDIR.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
grid="${1:-$repo/grids/demo.yaml}"
work="${2:-${TMPDIR:-/tmp}/orchestrator-local-cluster}"
slots="${SLOTS:-1}"
mkdir -p "$work"
export ORCHESTRATOR_DATA="$work"                       # the private server lives here

orchestrator() { "$repo/orchestrator" "$@"; }
orchestrator database start > "$work/database.txt"    # prints the connection string
export ORCHESTRATOR_DATABASE="$(tail -n 1 "$work/database.txt")"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

orchestrator silo --role coordinator > "$work/coordinator.log" 2>&1 & pids+=($!)
for n in 1 2; do
  orchestrator silo --role worker --slots "$slots" > "$work/worker-$n.log" 2>&1 & pids+=($!)
done
echo "coordinator and 2 workers started (logs in $work); submitting $grid"
orchestrator sweep submit "$grid" --watch
orchestrator workers
echo "Results: $(orchestrator database psql)"
