"""Load England's conferences from 2012-13 to today at a scale (bench databases only)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.national import load_national
from rules.timescales import today


class Command(BaseCommand):
    help = "Load the national-scale history (1.0 = England) into a benchmark database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument(
            "--json",
            dest="json_path",
            default="var/national-load.json",
            help="Where the rows and times are kept, for bench_national's report.",
        )

    def handle(self, *args, scale, seed, json_path, **options):
        if "bench" not in settings.DATABASES["default"]["NAME"]:
            raise CommandError("Run this against a database whose name contains 'bench'.")
        if not 0 < scale <= 2:
            raise CommandError("--scale is a share of England: more than 0, at most 2.")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done:,} of {total:,} families", ending="\r")
            self.stdout.flush()

        loaded = load_national(scale=scale, until=today(), seed=seed, progress=progress)
        self.stdout.write("")
        for label, count in loaded["rows"].items():
            self.stdout.write(f"{label:<36}{count:>12,}")
        seconds = loaded["seconds"]
        self.stdout.write(
            f"Loaded {loaded['families']:,} families at scale {scale} in {seconds['total']:.0f} s "
            f"(generate and copy {seconds['copy']:.0f} s, references checked "
            f"{seconds['check']:.0f} s, facts {seconds['facts']:.0f} s, "
            f"ANALYZE {seconds['analyze']:.0f} s)."
        )
        path = Path(json_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        kept = {"database": settings.DATABASES["default"]["NAME"], "scale": scale, **loaded}
        path.write_text(json.dumps(kept, indent=2))
