"""Measure the app at national scale against issue 18's targets (after load_national)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.national.bench import Bench
from rules.periods import financial_year_of
from rules.timescales import today

FIRST_YEAR = 2014


class Command(BaseCommand):
    help = (
        "Time the live dashboard (and each filter) against hand-written SQL, the heavy pages, "
        "the census export, Annex A and the annual report, for 2014-15 and the latest full year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", help="Financial years, e.g. 2014,2025 (the default).")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument(
            "--budget",
            type=float,
            default=180,
            help="Seconds an item may take in all before it is not run again (and the longest "
            "a single statement may run).",
        )
        parser.add_argument("--json", dest="json_path", default="var/bench-national.json")
        parser.add_argument("--skip-annual", action="store_true")
        parser.add_argument(
            "--load-json",
            default="var/national-load.json",
            help="What load_national wrote: its rows and times go into the report.",
        )

    def handle(self, *args, years, runs, budget, json_path, skip_annual, load_json, **options):
        name = settings.DATABASES["default"]["NAME"]
        # It writes (annual reports, download records, the change log): a benchmark's or a
        # test's throwaway database only.
        if "bench" not in name and not name.startswith("test_"):
            raise CommandError("Run this against a database whose name contains 'bench'.")
        latest_full = financial_year_of(today()) - 1
        chosen = [int(y) for y in years.split(",")] if years else [FIRST_YEAR, latest_full]
        bench = Bench(runs=runs, budget=budget, out=self.stdout.write)
        bench.census_of_data()
        self.stdout.write(
            "Data: " + ", ".join(f"{count:,} {what}" for what, count in bench.counts.items())
        )
        load = Path(load_json)
        kept = json.loads(load.read_text()) if load.exists() else {}
        if kept.get("database") == name:  # this database's load, not an earlier one's
            bench.load = kept
            self.stdout.write(
                f"Loaded at scale {bench.load['scale']} in {bench.load['seconds']['total']:.0f} s "
                f"(generate and copy {bench.load['seconds']['copy']:.0f} s)."
            )
        self.stdout.write(bench.header())
        for year in chosen:
            bench.dashboard(year)
            app = next(
                line
                for line in bench.lines
                if line.what == "dashboard, all tables" and line.year == bench.lines[-1].year
            )
            hand = bench.handwritten(year)
            bench.ratio(year, app, hand)
        bench.pages(chosen)
        if not skip_annual:
            for year in chosen:
                bench.annual_report(year)
        for label, queries in bench.slowest.items():
            self.stdout.write(f"\nSlowest queries of the last live dashboard, {label}:")
            for query in queries:
                self.stdout.write(f"{query['ms']:>8,} ms  {query['sql'][:150]}")
        verdicts = [line.verdict for line in bench.lines if line.verdict]
        self.stdout.write(
            f"\n{verdicts.count('PASS')} PASS, {verdicts.count('MISS')} MISS, "
            f"{verdicts.count('ERROR')} ERROR"
        )
        path = Path(json_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(bench.as_dict(), indent=2, default=str))
        self.stdout.write(f"Written to {path}")
