"""Work out every conference's meeting type afresh, after writing records with the triggers off."""

from django.core.management.base import BaseCommand

from rules.meetings import refresh_all_meeting_types


class Command(BaseCommand):
    help = (
        "Recompute conferences_conference.meeting_type from the children's stages, for all "
        "conferences at once: after a bulk load or a data-only restore that ran with the "
        "triggers switched off."
    )

    def handle(self, *args, **options):
        changed = refresh_all_meeting_types()
        self.stdout.write(f"{changed} meeting types worked out afresh.")
