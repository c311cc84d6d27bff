#!/usr/bin/env bash
# The compose topology (deploy/docker/docker-compose.yml) as processes on loopback: the private PostgreSQL
# server, one coordinator silo, WORKERS worker silos joined through the membership table in that database,
# each with its HTTP port (/healthz, /readyz, /metrics), and Debian's prometheus scraping them with deploy's
# rules and job labels (where installed). No Grafana or collector: point yours at the ports printed.
#
#   deploy/local-cluster.sh start [WORKDIR]          start everything, return once every silo has started
#   deploy/local-cluster.sh submit GRID [WORKDIR]    submit a grid to the running cluster and follow it
#   deploy/local-cluster.sh stop [WORKDIR]           stop the silos (SIGTERM: runs handed back), prometheus and the database
#   deploy/local-cluster.sh status [WORKDIR]         which processes of the cluster still run
#   deploy/local-cluster.sh [GRID] [WORKDIR]         start, submit GRID (grids/demo.yaml) and stop (the silos and
#                                                    prometheus; the database keeps running for psql unless STOP_DATABASE=1)
#
# GRID's store must exist (./orchestrator demo makes grids/demo.yaml's; a grid that names a corpus is extracted
# first). Settings: WORKERS (2), SLOTS per worker (1), HTTP_PORT (9100: the coordinator's, workers' follow),
# PROMETHEUS_PORT (9090; PROMETHEUS=0 starts none). WORKDIR (default $TMPDIR/orchestrator-local-cluster) holds
# the server's data, the logs, prometheus.yml and the pids.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command="${1:-run}"
case "$command" in
  start|stop|status) shift ;;
  submit) shift; grid="$(realpath "${1:?submit needs a grid file}")"; shift ;;
  run) shift || true ;;
  *) command=run ;;                                   # the old usage: [GRID] [WORKDIR]
esac
if [[ "$command" == run ]]; then
  grid="$(realpath "${1:-$repo/grids/demo.yaml}")"
  shift || true
fi
work="${1:-${TMPDIR:-/tmp}/orchestrator-local-cluster}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
# Run as root, the private server runs as postgres, which must be able to enter the folder it lives in.
if [[ $EUID == 0 ]]; then chmod o+x "$work"; fi
workers="${WORKERS:-2}"
slots="${SLOTS:-1}"
http_port="${HTTP_PORT:-9100}"
prometheus_port="${PROMETHEUS_PORT:-9090}"
export ORCHESTRATOR_DATA="$work"                       # the private server lives here
pids="$work/pids"                                      # "pid name" per line, the coordinator first

database() {
  # Prints the connection string last; starting a running server only prints it again.
  "$repo/orchestrator" database start > "$work/database.txt"
  tail -n 1 "$work/database.txt"
}

# Waits until the process $1 writing $2 logs $3; fails with its log if it exits first.
wait_for() {
  local pid="$1" log="$2" line="$3"
  for ((i = 0; i < 600; i++)); do
    grep -q "$line" "$log" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then echo "$log: the process exited:" >&2; tail -n 30 "$log" >&2; return 1; fi
    sleep 0.2
  done
  echo "$log: not started in 2 minutes:" >&2; tail -n 30 "$log" >&2; return 1
}

# Prometheus' configuration: deploy's (global settings, alert rules, the job names and role labels the
# dashboards and alerts query), with the compose services' DNS discovery replaced by the loopback ports.
prometheus_config() {
  sed '/^scrape_configs:/,$d' "$repo/deploy/prometheus/prometheus.yml"
  echo "scrape_configs:"
  echo "  - job_name: orchestrator-coordinator"
  echo "    static_configs: [{targets: ['127.0.0.1:$http_port'], labels: {role: coordinator}}]"
  echo "  - job_name: orchestrator-worker"
  echo "    static_configs:"
  for ((n = 1; n <= workers; n++)); do echo "      - {targets: ['127.0.0.1:$((http_port + n))'], labels: {role: worker}}"; done
}

start() {
  if [[ -s "$pids" ]] && status > /dev/null; then echo "already running (deploy/local-cluster.sh stop $work first)" >&2; return 1; fi
  : > "$pids"
  # Build once (./orchestrator builds when the sources changed), so the silos below do not race to build.
  "$repo/orchestrator" --help > /dev/null
  local connection
  connection="$(database)"                             # not in the export: set -e stops here when the server fails
  export ORCHESTRATOR_DATABASE="$connection"
  # setsid: the cluster outlives this script (start returns) and a Ctrl-C in its terminal; ./orchestrator execs
  # dotnet, so each pid is the silo itself and SIGTERM reaches it.
  setsid "$repo/orchestrator" silo --role coordinator --http-port "$http_port" > "$work/coordinator.log" 2>&1 < /dev/null &
  echo "$! coordinator" >> "$pids"
  for ((n = 1; n <= workers; n++)); do
    Orchestrator__Worker__Name="worker-$n" setsid "$repo/orchestrator" silo --role worker --slots "$slots" --http-port "$((http_port + n))" \
      > "$work/worker-$n.log" 2>&1 < /dev/null &
    echo "$! worker-$n" >> "$pids"
  done
  while read -r pid name; do wait_for "$pid" "$work/$name.log" "Application started"; done < "$pids"
  echo "coordinator http://127.0.0.1:$http_port (/metrics, /dashboard), workers on ports $((http_port + 1))-$((http_port + workers)); logs in $work"
  local prometheus
  prometheus="$(command -v prometheus || true)"
  if [[ "${PROMETHEUS:-1}" == 1 && -n "$prometheus" ]]; then
    prometheus_config > "$work/prometheus.yml"
    cp "$repo/deploy/prometheus/alerts.yml" "$work/alerts.yml"
    setsid "$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
      --web.listen-address="127.0.0.1:$prometheus_port" > "$work/prometheus.log" 2>&1 < /dev/null &
    echo "$! prometheus" >> "$pids"
    wait_for "$!" "$work/prometheus.log" "Server is ready to receive web requests"
    echo "prometheus http://127.0.0.1:$prometheus_port (deploy's rules; targets: http://127.0.0.1:$prometheus_port/targets)"
  elif [[ "${PROMETHEUS:-1}" == 1 ]]; then
    echo "prometheus is not installed (apt-get install prometheus): the silos' /metrics only"
  fi
  echo "ORCHESTRATOR_DATABASE='$ORCHESTRATOR_DATABASE'   # for orchestrator sweep submit, status, results"
}

submit() {
  ORCHESTRATOR_DATABASE="$(database)" "$repo/orchestrator" sweep submit "$grid" --watch
}

status() {
  local running=1
  [[ -s "$pids" ]] || { echo "not started"; return 1; }
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name (pid $pid) running"; running=0; else echo "$name (pid $pid) stopped"; fi
  done < "$pids"
  return "$running"
}

# SIGTERM to every process (a worker hands its runs back to the queue at once), then wait for each to exit.
stop_processes() {
  [[ -s "$pids" ]] || return 0
  while read -r pid _; do kill -TERM "$pid" 2>/dev/null || true; done < "$pids"
  while read -r pid name; do
    for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name (pid $pid) did not stop in 60 s: killed" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  done < "$pids"
  : > "$pids"
}

case "$command" in
  start) start ;;
  submit) submit ;;
  status) status ;;
  stop)
    stop_processes
    "$repo/orchestrator" database stop
    ;;
  run)
    trap 'stop_processes; if [[ "${STOP_DATABASE:-0}" == 1 ]]; then "$repo/orchestrator" database stop; fi' EXIT
    trap 'exit 130' INT TERM
    start
    connection="$(database)"
    export ORCHESTRATOR_DATABASE="$connection"
    result=0
    submit || result=$?
    "$repo/orchestrator" workers
    echo "Results: $("$repo/orchestrator" database psql)"
    [[ "${STOP_DATABASE:-0}" == 1 ]] || echo "Stop the private server: deploy/local-cluster.sh stop $work"
    exit "$result"
    ;;
esac
