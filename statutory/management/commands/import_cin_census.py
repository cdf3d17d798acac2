"""Import a DfE children in need census file: all of it, or nothing if any child has a problem."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statutory.census_import import import_census
from statutory.census_read import CensusRefused, max_bytes


class Command(BaseCommand):
    help = (
        "Import a children in need census XML file. Every child is checked first; if any has a "
        "problem, each problem is listed and nothing is imported. Anything in the file that is "
        "not stored is listed by LAchildID and element."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The census file (XML).")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as opened:
                # One byte over the limit is enough for the import to refuse the file.
                data = opened.read(max_bytes() + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            result = import_census(data)
        except CensusRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"The census file was refused with {len(refused.problems)} problem(s): "
                "nothing was imported."
            ) from None
        self.stdout.write(
            f"Imported: {result.created} records created, {result.updated} updated, "
            f"{result.unchanged} unchanged (children, episodes and plans)."
        )
        if result.skipped_no_further_action:
            self.stdout.write(
                f"{result.skipped_no_further_action} referral(s) with no further action skipped."
            )
        if result.incomplete_children:
            self.stdout.write(
                f"{len(result.incomplete_children)} new child record(s) need names and a family: "
                + ", ".join(result.incomplete_children)
            )
        if result.not_stored:
            self.stdout.write(
                f"{len(result.not_stored)} item(s) in the file were not stored (nothing else "
                "was left out):"
            )
            for note in result.not_stored:
                self.stdout.write(str(note))
