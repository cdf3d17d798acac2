"""The audit history the copied rows would have left: one insert event per row of the busiest
tables, so the audit trail is measured against event tables of a national size (their
triggers were off while the rows were copied). The event table's columns are the tracked
row's, plus pghistory's own; the time is when the row would have been written."""

import pghistory.models
from django.apps import apps
from django.db import connection

from demo.national.copying import table_of

# When each kind of row is written, as SQL over the copied row ``t``.
WRITTEN_AT = {
    "conferences.Family": "t.created_at",
    "conferences.Child": "(SELECT f.created_at FROM conferences_family f WHERE f.id = t.family_id)",
    "conferences.ChildProtectionPlan": "timezone('Europe/London', t.started_on + time '17:00')",
    "conferences.Conference": "t.booked_at",
    "conferences.ConferenceRecord": "t.updated_at",
}


def event_table(label: str) -> str | None:
    tracked = apps.get_model(label)
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event) and model.pgh_tracked_model is tracked:
            return model._meta.db_table
    return None


def write_history(first_ids: dict[str, int]) -> int:
    """Insert events for the rows copied in this load (ids from ``first_ids`` on)."""
    written = 0
    with connection.cursor() as cursor:
        for label, written_at in WRITTEN_AT.items():
            events = event_table(label)
            if events is None:
                continue
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [events],
            )
            columns = [name for (name,) in cursor.fetchall() if not name.startswith("pgh_")]
            listed = ", ".join(columns)
            copied = ", ".join(f"t.{column}" for column in columns)
            cursor.execute(
                f"INSERT INTO {events} (pgh_created_at, pgh_label, pgh_obj_id, {listed}) "  # noqa: S608
                f"SELECT {written_at}, 'insert', t.id, {copied} FROM {table_of(label)} t "
                "WHERE t.id >= %s",
                [first_ids[label]],
            )
            written += cursor.rowcount
    return written
