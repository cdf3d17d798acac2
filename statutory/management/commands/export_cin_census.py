"""Write the children in need census file (child protection part) for a financial year, a batch
of children at a time (memory stays flat for a national census)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rules.periods import Period
from statutory.census_checks import problems
from statutory.census_data import children_in_batches
from statutory.census_export import write_xml


class Command(BaseCommand):
    help = "Export the CIN census XML: --year 2014 is the 2014-15 census (31 March 2015)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="e.g. 2014 for 2014-15")
        parser.add_argument("--la", required=True, help="the DfE's three-digit LA number")
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, year: int, la: str, out: Path, **options):
        if not (la.isdigit() and len(la) == 3):
            raise CommandError("--la is the authority's three-digit DfE number, like 855")
        period = Period(year)
        with out.open("wb") as file:
            written = write_xml(period, la, self._checked(children_in_batches(period)), file)
        self.stdout.write(f"{written} children written to {out} ({period.year_label}).")

    def _checked(self, children):
        """Each child on its way to the file, with the census's problems said as it passes."""
        for child in children:
            for problem in problems([child]):
                self.stderr.write(
                    f"{problem.local_case_id}: rule {problem.rule}: {problem.message}"
                )
            yield child
