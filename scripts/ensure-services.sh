#!/usr/bin/env bash
# Make PostgreSQL and Redis reachable. Uses DATABASE_URL / REDIS_URL when set; otherwise the local
# defaults, installing (Debian, as root) and starting the servers when they are missing.
set -euo pipefail

database_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/convene}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379/0}"

say() { echo "convene: $*"; }
can_install() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; }
apt_updated=""
apt_install() {
  if [[ -z "$apt_updated" ]]; then apt-get update -qq; apt_updated=yes; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL ---------------------------------------------------------------------------
pg_host=$(python3 -c "import urllib.parse,sys; u=urllib.parse.urlparse(sys.argv[1]); print(u.hostname or '127.0.0.1')" "$database_url")
pg_port=$(python3 -c "import urllib.parse,sys; u=urllib.parse.urlparse(sys.argv[1]); print(u.port or 5432)" "$database_url")
pg_db=$(python3 -c "import urllib.parse,sys; u=urllib.parse.urlparse(sys.argv[1]); print(u.path.lstrip('/') or 'convene')" "$database_url")
pg_user=$(python3 -c "import urllib.parse,sys; u=urllib.parse.urlparse(sys.argv[1]); print(u.username or 'postgres')" "$database_url")

pg_ready() { command -v pg_isready >/dev/null && pg_isready -q -h "$pg_host" -p "$pg_port"; }

if ! pg_ready; then
  if [[ -n "${DATABASE_URL:-}" ]]; then
    say "DATABASE_URL is set but PostgreSQL at $pg_host:$pg_port does not answer" >&2; exit 1
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    can_install || { say "PostgreSQL is not installed; install it or set DATABASE_URL" >&2; exit 1; }
    say "PostgreSQL not installed: installing Debian's postgresql package"
    apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  say "PostgreSQL $version not running: starting it"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_ready && break; sleep 1; done
  pg_ready || { say "PostgreSQL did not start" >&2; exit 1; }
  # A fresh Debian cluster only lets the postgres OS user in; allow local TCP for the app.
  if ! psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c 'select 1' >/dev/null 2>&1; then
    say "allowing trusted connections from 127.0.0.1 for local development"
    hba=$(su postgres -c "psql -tAc 'show hba_file'")
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    su postgres -c "psql -c 'select pg_reload_conf()'" >/dev/null
  fi
fi
if ! psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -tAc \
    "select 1 from pg_database where datname = '$pg_db'" | grep -q 1; then
  say "creating database $pg_db"
  psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c "create database \"$pg_db\"" >/dev/null
fi

# --- Redis ---------------------------------------------------------------------------------
redis_ready() { command -v redis-cli >/dev/null && redis-cli -u "$redis_url" ping 2>/dev/null | grep -q PONG; }

if ! redis_ready; then
  if [[ -n "${REDIS_URL:-}" ]]; then
    say "REDIS_URL is set but Redis does not answer" >&2; exit 1
  fi
  if ! command -v redis-server >/dev/null; then
    can_install || { say "Redis is not installed; install it or set REDIS_URL" >&2; exit 1; }
    say "Redis not installed: installing Debian's redis-server package"
    apt_install redis-server
  fi
  say "Redis not running: starting it on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/convene.log
  for _ in $(seq 20); do redis_ready && break; sleep 0.5; done
  redis_ready || { say "Redis did not start" >&2; exit 1; }
fi
say "PostgreSQL ($pg_host:$pg_port/$pg_db) and Redis are reachable"
