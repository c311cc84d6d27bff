#!/usr/bin/env bash
# Health check of a silo container (docker-compose healthcheck). When the silo serves its HTTP
# endpoint (deploy/README.md, "Health and metrics": GET /readyz on Orchestrator__Silo__HttpPort), that
# answer decides. Until then the port is closed, and the check falls back to whether the silo
# listens on its silo-to-silo port, which it opens once Orleans has started.
set -uo pipefail
address="${Orchestrator__Silo__AdvertisedAddress:-127.0.0.1}"
http_port="${Orchestrator__Silo__HttpPort:-8080}"
silo_port="${Orchestrator__Silo__SiloPort:-11111}"

if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null || (exec 3<>"/dev/tcp/$address/$http_port") 2>/dev/null; then
  curl -fsS --max-time 5 "http://127.0.0.1:$http_port/readyz" > /dev/null 2>&1 \
    || curl -fsS --max-time 5 "http://$address:$http_port/readyz" > /dev/null
  exit $?
fi
(exec 3<>"/dev/tcp/$address/$silo_port") 2>/dev/null
