#!/usr/bin/env bash
# Everything CI checks. Stops at the first failing step and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONVENE_ENVIRONMENT=test
# The run's own Redis database and Celery queue (gw0, gw1... appended per test process), so a
# `make demo` beside it (database 0, queue "convene") cannot take its tasks, nor another run.
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
run_id=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
export CELERY_TASK_DEFAULT_QUEUE="${CELERY_TASK_DEFAULT_QUEUE:-convene-test-$run_id}"
step() { echo; echo "==> $*"; }

step "ruff check"
.venv/bin/ruff check .
step "ruff format --check"
.venv/bin/ruff format --check .
step "makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run

step "check --deploy under production settings"
# The only warning we accept is HSTS preload (W021): joining the preload list is a decision for
# the council's domain owner, not for the application.
report=$(CONVENE_ENVIRONMENT=production \
  DJANGO_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  CONVENE_MFA_KEYS="$(python3 -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')" \
  DJANGO_ALLOWED_HOSTS=convene.example.org \
  .venv/bin/python manage.py check --deploy 2>&1) || { echo "$report"; exit 1; }
echo "$report"
if echo "$report" | grep -E '\(([a-z_.]+)\.[EW][0-9]+\)' | grep -vq 'security.W021'; then
  echo "check --deploy reported warnings other than HSTS preload" >&2
  exit 1
fi

step "docker compose config"
compose=(docker compose)
docker compose version >/dev/null 2>&1 || compose=(docker-compose)
DJANGO_SECRET_KEY=x CONVENE_MFA_KEYS=x DJANGO_ALLOWED_HOSTS=x POSTGRES_PASSWORD=x \
  DATABASE_OWNER_PASSWORD=x DATABASE_APP_PASSWORD=x "${compose[@]}" config -q

step "pytest"
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --create-db "$@"
