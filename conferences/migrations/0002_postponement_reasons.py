"""The reference report's reasons for postponing a conference, as the starting managed list."""

from django.db import migrations

REASONS = [
    ("Agency non-attendance or not quorate", False),
    ("Interpreter not available", False),
    ("Locality late request or wrong date", False),
    ("Family request", False),
    ("Other", True),
]


def add_reasons(apps, schema_editor):
    PostponementReason = apps.get_model("conferences", "PostponementReason")
    for label, needs_detail in REASONS:
        PostponementReason.objects.get_or_create(
            label=label, defaults={"needs_detail": needs_detail}
        )


class Migration(migrations.Migration):
    dependencies = [("conferences", "0001_initial")]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
