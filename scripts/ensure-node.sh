#!/usr/bin/env bash
# The front-end build needs Node.js and npm; install Debian's when they are missing.
set -euo pipefail
command -v npm >/dev/null && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "convene: npm not found; installing Debian's nodejs and npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
else
  echo "convene: Node.js and npm are needed to build the assets" >&2
  exit 1
fi
