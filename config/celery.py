"""The Celery application. Tasks stay thin: they take ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("convene")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _beat_schedule() -> dict:
    """The sweeps at their set times on weekdays, the dispatcher every minute, and the
    dashboard's counting ahead of the managers."""
    from celery.schedules import crontab
    from django.conf import settings

    schedule = {
        "dispatch-pending-notifications": {
            "task": "notifications.tasks.dispatch_pending",
            "schedule": 60.0,
        },
        # Count the dashboard ahead of the managers when the records have changed.
        "warm-dashboard": {"task": "reporting.tasks.warm_dashboard", "schedule": 120.0},
        # Prepared exports hold statutory returns: their files go once their time is up.
        "delete-expired-exports": {
            "task": "reporting.tasks.delete_expired_exports",
            "schedule": crontab(minute=15),
        },
        "compact-change-log": {
            "task": "reporting.tasks.compact_change_log",
            "schedule": crontab(hour=2, minute=30),
        },
    }
    for name, (hour, minute) in settings.CONVENE_SWEEP_TIMES.items():
        schedule[f"sweep-{name}"] = {
            "task": "conferences.tasks.run_sweep",
            "schedule": crontab(hour=hour, minute=minute, day_of_week="mon-fri"),
            "args": (name,),
        }
    return schedule


@app.on_after_configure.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule = _beat_schedule()


@app.task(name="convene.heartbeat")
def heartbeat() -> dict:
    """A round trip through the broker, a worker and the database, for monitoring."""
    from django.db import connection  # imported here: Django is set up in the worker by now

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    return {"database": database, "worker": heartbeat.request.hostname}
