#!/usr/bin/env bash
# Stops with a clear message when the .NET SDK this repository needs is not on PATH.
set -euo pipefail
if ! command -v dotnet >/dev/null || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "orchestrator: the .NET 10 SDK is needed (dotnet on PATH)." >&2
  echo "See https://learn.microsoft.com/dotnet/core/install/linux-debian, e.g. apt-get install dotnet-sdk-10.0" >&2
  exit 1
fi
