"""The change log records each writing transaction once: its statements are counted in a
transaction-local setting (reporting.freshness), so the per-row count goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_event_tables_indexed_newest_first")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE reporting_datachange DROP COLUMN statements",
            "ALTER TABLE reporting_datachange ADD COLUMN statements integer NOT NULL DEFAULT 1",
        )
    ]
