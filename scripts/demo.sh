#!/usr/bin/env bash
# Run Convene in demo mode: migrate, load demo data, then web + worker + beat in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONVENE_ENVIRONMENT=development CONVENE_DEMO=true
# Demo emails (invitations, reminders) are printed by the worker and web server, not sent.
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"
port="${PORT:-8000}"

# The database, as deployed: the superuser (DATABASE_URL, or the local postgres) makes two roles
# and gives the database to the owner; migrate connects as the owner; the demo loader, the web
# server, the worker and beat connect as the application role, which owns nothing and may only
# read and write rows, so no page or task can truncate or rewrite the history (README, Security).
admin_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/convene}"
url_for() {  # admin_url with another user, and that user's password when one is set
  python3 - "$admin_url" "$1" "${2:-}" <<'PYTHON'
import sys
from urllib.parse import quote, urlsplit

url, user, password = urlsplit(sys.argv[1]), sys.argv[2], sys.argv[3]
login = user + (":" + quote(password, safe="") if password else "")
host = url.netloc.rpartition("@")[2]
print(url._replace(netloc=f"{login}@{host}").geturl())
PYTHON
}
export DATABASE_APP_ROLE=convene_app
DATABASE_URL="$admin_url" .venv/bin/python manage.py create_database_roles \
  --owner convene_owner --app "$DATABASE_APP_ROLE"
DATABASE_URL=$(url_for convene_owner "${DATABASE_OWNER_PASSWORD:-}") \
  .venv/bin/python manage.py migrate --no-input
DATABASE_URL=$(url_for "$DATABASE_APP_ROLE" "${DATABASE_APP_PASSWORD:-}")
export DATABASE_URL
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
