"""The starting list of reasons for IRO challenges."""

from django.db import migrations

REASONS = [
    "Clarity of planning",
    "Plan objectives not progressed or drift",
    "Report late or poor",
    "Agency non-attendance",
    "Cross-border responsibility",
    "Other",
]


def add_reasons(apps, schema_editor):
    ChallengeReason = apps.get_model("conferences", "ChallengeReason")
    for label in REASONS:
        ChallengeReason.objects.get_or_create(label=label)


class Migration(migrations.Migration):
    dependencies = [("conferences", "0005_challenges")]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
