"""An index for the data quality page's "plan with no category" (reporting/quality.py): the
plans with a span in no category, found without reading every plan's latest category."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0015_notification_log_indexed_newest_first"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="plancategoryspan",
            index=models.Index(
                condition=models.Q(("category", "")),
                fields=["plan"],
                name="category_spans_in_no_category",
            ),
        ),
    ]
