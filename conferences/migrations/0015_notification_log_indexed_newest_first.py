"""Indexes for the notification log (notifications/views.py notification_log): its rows,
newest first, read in index order and stopped at the page's end, with or without a status."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0014_conference_meeting_type"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["-created_at", "-id"], name="notifications_newest_first"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["status", "-created_at", "-id"], name="notifications_by_status_newest"
            ),
        ),
    ]
