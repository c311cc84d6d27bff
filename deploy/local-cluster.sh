#!/usr/bin/env bash
# A cluster on one machine, as separate processes on loopback: a private PostgreSQL server, one
# coordinator silo and two worker silos joined through the membership table in that database, and a
# client that submits a grid to them and follows it to the end.
#   deploy/local-cluster.sh [GRID] [WORKDIR]
# GRID defaults to grids/demo.yaml (its store must exist: ./orchestrator demo makes it; a grid that
# names a corpus instead is extracted first). Slots per worker: SLOTS (1). The silos stop when the
# sweep is done (or on Ctrl-C); their logs stay in WORKDIR. The private server keeps running so that
# psql can query the results (the last lines say how to reach and stop it); STOP_DATABASE=1 stops it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
grid="$(realpath "${1:-$repo/grids/demo.yaml}")"
work="$(mkdir -p "${2:-${TMPDIR:-/tmp}/orchestrator-local-cluster}" && cd "${2:-${TMPDIR:-/tmp}/orchestrator-local-cluster}" && pwd)"
slots="${SLOTS:-1}"
export ORCHESTRATOR_DATA="$work"                       # the private server lives here

# Build once (./orchestrator builds when the sources changed), so the silos below do not race to build.
"$repo/orchestrator" --help > /dev/null
"$repo/orchestrator" database start > "$work/database.txt"    # prints the connection string last
export ORCHESTRATOR_DATABASE="$(tail -n 1 "$work/database.txt")"

pids=()
cleanup() {
  # SIGTERM: each worker hands its runs back to the queue at once; then wait for every silo to exit.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${STOP_DATABASE:-0}" == 1 ]]; then "$repo/orchestrator" database stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Started directly (./orchestrator execs dotnet), so each pid is the silo itself and SIGTERM reaches it.
start_silo() {
  local log="$1"; shift
  "$repo/orchestrator" silo "$@" > "$log" 2>&1 &
  pids+=($!)
}
# Waits until the silo writing $2 reports its host started; fails with its log if it exits first.
wait_started() {
  local pid="$1" log="$2"
  for ((i = 0; i < 600; i++)); do
    grep -q "Application started" "$log" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then echo "silo $log exited:" >&2; tail -n 30 "$log" >&2; return 1; fi
    sleep 0.2
  done
  echo "silo $log did not start in 2 minutes:" >&2; tail -n 30 "$log" >&2; return 1
}

start_silo "$work/coordinator.log" --role coordinator
for n in 1 2; do start_silo "$work/worker-$n.log" --role worker --slots "$slots"; done
wait_started "${pids[0]}" "$work/coordinator.log"
for n in 1 2; do wait_started "${pids[$n]}" "$work/worker-$n.log"; done
echo "coordinator and 2 workers started (logs in $work); submitting $grid"

status=0
"$repo/orchestrator" sweep submit "$grid" --watch || status=$?
"$repo/orchestrator" workers
echo "Results: $("$repo/orchestrator" database psql)"
[[ "${STOP_DATABASE:-0}" == 1 ]] || echo "Stop the private server: ORCHESTRATOR_DATA=$work $repo/orchestrator database stop"
exit "$status"
