#!/usr/bin/env bash
# Run Convene in demo mode: migrate, load demo data, then web + worker + beat in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONVENE_ENVIRONMENT=development CONVENE_DEMO=true
# Demo emails (invitations, reminders) are printed by the worker and web server, not sent.
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"
port="${PORT:-8000}"

.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_demo > var/demo-logins.txt

# Ctrl-C (or any one of the three stopping) stops all three.
trap 'trap - EXIT INT TERM; kill 0 2>/dev/null; wait' EXIT INT TERM
.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 &
.venv/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule &
.venv/bin/gunicorn config.wsgi --config config/gunicorn.py --bind "127.0.0.1:$port" --workers 2 --access-logfile - &
sleep 2
cat <<MESSAGE

  Convene is running in demo mode at http://127.0.0.1:$port
$(sed 's/^/  /' var/demo-logins.txt)

  Press Ctrl-C to stop the web server, the Celery worker and Celery beat.

MESSAGE
wait -n
