"""The reference report's four reasons for complaints (5.6.1), as the starting managed list."""

from django.db import migrations

REASONS = [
    "Parent disputed accuracy of agency information presented to the conference",
    "Parent dispute over the process or conduct of the meeting",
    "Young person complaint over conduct of meeting and exclusion from meeting",
    "Parent complaint on sharing information within the conference",
]


def add_reasons(apps, schema_editor):
    ComplaintReason = apps.get_model("complaints", "ComplaintReason")
    for label in REASONS:
        ComplaintReason.objects.get_or_create(label=label)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
