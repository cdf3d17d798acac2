#!/usr/bin/env bash
# make bench: a fresh benchmark database, 200,000 upcoming conferences, each sweep timed; the
# dashboard at 1x, 10x and 100x the demo; then England at national scale.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONVENE_ENVIRONMENT=test
base="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/convene}"
export DATABASE_URL="${base%/*}/convene_bench"
psql "${base%/*}/postgres" -qc "drop database if exists convene_bench" -c "create database convene_bench"
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py bench_sweeps --conferences "${BENCH_CONFERENCES:-200000}"
# The managers' dashboard for 2014-15: demo history, then 10x and 100x of it.
psql "${base%/*}/postgres" -qc "drop database if exists convene_bench" -c "create database convene_bench"
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py bench_dashboard --scales "${BENCH_DASHBOARD_SCALES:-1,10,100}"
# England's conferences from 2012-13 to today (issue 18), then the national benchmark: the live
# dashboard against hand-written SQL, the heavy pages and the exports, each against its target
# (var/bench-national.json). BENCH_NATIONAL_SCALE=0.01 for a quick run.
psql "${base%/*}/postgres" -qc "drop database if exists convene_bench" -c "create database convene_bench"
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_national --scale "${BENCH_NATIONAL_SCALE:-1.0}"
.venv/bin/python manage.py bench_national
