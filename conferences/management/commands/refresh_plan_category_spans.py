"""Work out every plan's category spans afresh, after writing records with the triggers off."""

from django.core.management.base import BaseCommand

from rules.categories import refresh_all_plan_category_spans


class Command(BaseCommand):
    help = (
        "Recompute conferences_plancategoryspan from the records, for all children at once: "
        "after a bulk load or a data-only restore that ran with the triggers switched off."
    )

    def handle(self, *args, **options):
        spans = refresh_all_plan_category_spans()
        self.stdout.write(f"{spans} category spans worked out afresh.")
