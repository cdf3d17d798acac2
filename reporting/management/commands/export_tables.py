"""Write every dashboard table for a financial year as CSV files, one per table."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.exports import write_csv
from reporting.figures import Scope, compute
from rules.periods import Period


class Command(BaseCommand):
    help = "Write one CSV per dashboard table: export_tables --year 2014 --out DIR (2014-15)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="2014 for 2014-15")
        parser.add_argument("--out", type=Path, required=True, help="folder to write into")

    def handle(self, *args, year: int, out: Path, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Give the year the financial year starts in, like 2014")
        out.mkdir(parents=True, exist_ok=True)
        tables = compute(Scope(Period(year)))
        for table in tables:
            with (out / f"{table.slug}.csv").open("w", newline="", encoding="utf-8") as file:
                write_csv(table, file)
        self.stdout.write(f"Wrote {len(tables)} tables for {Period(year).year_label} to {out}")
