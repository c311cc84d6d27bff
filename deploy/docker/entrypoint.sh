#!/usr/bin/env bash
# Entry point of the silo image: settles the two things a container cannot know in advance, then
# runs `orchestrator "$@"` (default: `silo --role worker`).
#  1. The connection string. Silos read Orchestrator__Silo__Database, client commands
#     ORCHESTRATOR_DATABASE; when neither is set, it is assembled here from PGHOST, PGPORT,
#     PGDATABASE, PGUSER and the password in the file ORCHESTRATOR_DATABASE_PASSWORD_FILE (a Docker
#     or Kubernetes secret), so the password is never in the image, the compose file or a command line.
#  2. The advertised address: the silo binds to it and other nodes reach it there, so it must be this
#     container's own address, not the default 127.0.0.1. Kubernetes sets it from status.podIP.
set -euo pipefail

if [[ -z "${Orchestrator__Silo__Database:-}" && -z "${ORCHESTRATOR_DATABASE:-}" && -n "${ORCHESTRATOR_DATABASE_PASSWORD_FILE:-}" ]]; then
  if [[ ! -r "$ORCHESTRATOR_DATABASE_PASSWORD_FILE" ]]; then
    echo "orchestrator-entrypoint: cannot read the password file $ORCHESTRATOR_DATABASE_PASSWORD_FILE" >&2
    exit 1
  fi
  password="$(tr -d '\r\n' < "$ORCHESTRATOR_DATABASE_PASSWORD_FILE")"
  password="${password//\"/\"\"}"      # connection-string quoting: inner quotes doubled
  export Orchestrator__Silo__Database="Host=${PGHOST:-postgres};Port=${PGPORT:-5432};Database=${PGDATABASE:-orchestrator};Username=${PGUSER:-orchestrator};Password=\"${password}\""
  unset password
fi
# One string for both: the silo's setting, and the CLI's fallback (sweep submit, results, workers ...).
if [[ -n "${Orchestrator__Silo__Database:-}" && -z "${ORCHESTRATOR_DATABASE:-}" ]]; then
  export ORCHESTRATOR_DATABASE="$Orchestrator__Silo__Database"
elif [[ -n "${ORCHESTRATOR_DATABASE:-}" && -z "${Orchestrator__Silo__Database:-}" ]]; then
  export Orchestrator__Silo__Database="$ORCHESTRATOR_DATABASE"
fi

if [[ -z "${Orchestrator__Silo__AdvertisedAddress:-}" ]]; then
  # The first address of this host that is not loopback (hostname -I lists them all).
  address="$(hostname -I 2>/dev/null | awk '{print $1}')"
  [[ -n "$address" ]] || address="$(getent hosts "$(cat /proc/sys/kernel/hostname)" | awk '{print $1; exit}')"
  export Orchestrator__Silo__AdvertisedAddress="$address"
fi

exec dotnet /app/orchestrator.dll "$@"
