#!/usr/bin/env bash
# Usage: scripts/require-packages.sh PACKAGE...
# Makes sure the named Debian/Ubuntu packages are installed: installs the missing ones with apt
# (as root, or through sudo when it needs no password), or stops with a message naming them.
set -euo pipefail

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  echo "orchestrator: these system packages are needed: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "orchestrator: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/tmp/orchestrator-apt.log 2>&1; then
  "${apt[@]}" update >>/tmp/orchestrator-apt.log 2>&1 || true
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >>/tmp/orchestrator-apt.log 2>&1 || {
    echo "orchestrator: apt-get could not install ${missing[*]} (log: /tmp/orchestrator-apt.log)" >&2
    exit 1
  }
fi
