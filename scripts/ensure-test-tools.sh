#!/usr/bin/env bash
# What `make test` needs beyond the app: Debian's Chromium for browser tests, and a Compose that
# can validate docker-compose.yml, and pdftotext to read PDFs back as a person's reader would.
# Installs whichever is missing (Debian, as root).
set -euo pipefail
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-liberation)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
  missing+=(docker-compose)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "convene: installing ${missing[*]} with apt-get for the tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "convene: the tests need: ${missing[*]}" >&2
  exit 1
fi
