#!/usr/bin/env bash
# Make .venv with Python 3.11 and install the locked, hash-checked dependencies into it.
set -euo pipefail
cd "$(dirname "$0")/.."

python=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    python="$candidate"; break
  fi
done
if [[ -z "$python" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "convene: Python 3.11 not found; installing it with apt-get"
    apt-get update -qq && apt-get install -y -qq python3.11 python3.11-venv
    python=python3.11
  else
    echo "convene: Python 3.11 is required (install python3.11 and python3.11-venv)" >&2
    exit 1
  fi
fi

if [[ ! -x .venv/bin/python ]]; then
  if ! "$python" -m venv .venv; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "convene: the venv module is missing; installing python3.11-venv with apt-get"
      apt-get update -qq && apt-get install -y -qq python3.11-venv
      "$python" -m venv .venv
    else
      exit 1
    fi
  fi
fi
# psycopg2 is built from source against the system's libpq (its maintainers advise against the
# -binary wheel in production): it needs pg_config (libpq-dev), a C compiler and Python's headers.
missing=()
command -v pg_config >/dev/null || missing+=(libpq-dev)
command -v gcc >/dev/null || missing+=(gcc)
.venv/bin/python -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || missing+=(python3.11-dev)
if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "convene: installing what psycopg2 is built with: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "convene: psycopg2 is built from source; install ${missing[*]}" >&2
    exit 1
  fi
fi

# An older .venv has psycopg2-binary, which ships the same package directory: remove it first, or
# removing it later would delete the files of the psycopg2 installed over it.
if .venv/bin/pip show --quiet psycopg2-binary 2>/dev/null; then
  .venv/bin/pip uninstall --quiet --yes psycopg2-binary
fi
.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
  -r requirements-dev.lock
