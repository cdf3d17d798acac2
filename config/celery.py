"""The Celery application. Tasks stay thin: they take ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("convene")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Sweeps added by later work register themselves here, with their times as settings.
app.conf.beat_schedule = {}


@app.task(name="convene.heartbeat")
def heartbeat() -> dict:
    """A round trip through the broker, a worker and the database, for monitoring."""
    from django.db import connection  # imported here: Django is set up in the worker by now

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    return {"database": database, "worker": heartbeat.request.hostname}
