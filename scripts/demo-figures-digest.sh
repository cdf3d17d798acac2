#!/usr/bin/env bash
# Print one digest of every figure the demo data gives: each dashboard table for four years, the
# CIN census file and the Annex A workbook's rows. A pure reshaping of the code must leave it
# unchanged (run it before and after, on a throwaway database: it is dropped and made again).
#   scripts/demo-figures-digest.sh [database name, default convene_digest]
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-$PWD/.venv/bin/python}"
db="${1:-convene_digest}"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" CONVENE_ENVIRONMENT=development CONVENE_DEMO=true
export CONVENE_TODAY="${CONVENE_TODAY:-}"
out="$PWD/var/digest-$db"  # kept, so two runs can be compared file by file
rm -rf "$out" && mkdir -p "$out"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
"$python" manage.py migrate --no-input >/dev/null
"$python" manage.py load_demo >/dev/null
for year in 2013 2014 2015 2016; do
  "$python" manage.py export_tables --year "$year" --out "$out/tables-$year" >/dev/null
  "$python" manage.py export_cin_census --year "$year" --la 999 --out "$out/census-$year.xml" >/dev/null 2>&1 || echo "no census for $year" > "$out/census-$year.xml"
  sed -i '/<DateTime>/d' "$out/census-$year.xml"  # when the file was made, not what it says
done
# Annex A's rows for each year (its home moved from reporting to statutory in issue 17).
annex_a="
import importlib, datetime
try:
    annex_a = importlib.import_module('statutory.annex_a')
except ImportError:
    annex_a = importlib.import_module('reporting.annex_a')
for year in (2013, 2014, 2015, 2016):
    rows = annex_a.rows(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))
    open('$out/annex-a-%d.csv' % year, 'w').write(annex_a.csv_text(rows))
"
"$python" manage.py shell -c "$annex_a" >/dev/null
(cd "$out" && find . -type f | sort | xargs sha256sum) | sha256sum
