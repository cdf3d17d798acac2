#!/usr/bin/env bash
# The DfE CIN census validator (csc-validator-be-cin) in .venv-cin: it needs pandas<2 and numpy<2,
# which the app's own environment must not be held to. Hash-checked from requirements-cin.lock.
set -euo pipefail
python=$(command -v python3.11 || true)
[[ -n "$python" ]] || { echo "convene: Python 3.11 is required for the census validator" >&2; exit 1; }
[[ -x .venv-cin/bin/python ]] || "$python" -m venv .venv-cin
.venv-cin/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
  -r requirements-cin.lock
