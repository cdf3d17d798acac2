"""England's ten years and more of child protection conferences, for the national benchmark.

``load_national(scale=1.0)`` loads financial years 2012-13 to today (two warm-up years, so that
2014-15 starts with plans in progress and earlier plans to repeat, as it did), with reviews
falling due in the next eight weeks booked. At scale 1.0, England: about 72,000 children a year
at an initial conference, 59,000-62,000 plans started and 49,000-52,000 children on plans at
each 31 March, in about 122,000 meetings a year of 1.7 children each. In all (measured at 0.1,
times ten): 1.85 million conferences (postponed and cancelled bookings included), 3.1 million
children's places at them, 870,000 plans, 860,000 children, 8.4 million invitations and 3.6
million core groups. ``--scale 0.01`` gives a quick run. The shapes are in ``shapes``, the
simulation of each family in ``simulate``; rows go in with COPY (``copying``) with the tables'
own triggers off, on a benchmark database only.
"""

import time
from contextlib import contextmanager
from datetime import date

from django.apps import apps
from django.db import connection
from faker import Faker

from config.services import audited_write
from demo.national.copying import TABLES, check_columns, table_of
from demo.national.history import write_history
from demo.national.reference import reference_rows
from demo.national.simulate import National
from reporting.freshness import note_change
from rules.categories import refresh_all_plan_category_spans
from rules.meetings import refresh_all_meeting_types
from rules.working_days import working_calendar

NOTIFIED_DAYS = 365  # the outbox keeps a year of invitations

__all__ = ["load_national"]


def load_national(*, scale: float, until: date, seed: int = 2014, progress=None) -> dict:
    """Load the national history at ``scale`` up to ``until`` (today); rows written by table
    and the seconds each step took. The tables' triggers (history, the figures' change log,
    append-only guards) are off while rows are copied, and the change is noted once after."""
    timings, started = {}, time.perf_counter()
    check_columns()
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    with audited_write(None, "load_national_history"):
        reference = reference_rows(fake, scale)
    national = National(
        scale=scale,
        until=until,
        seed=seed,
        reference=reference,
        fake=fake,
        calendar=working_calendar(),
    )
    with triggers_off([*TABLES, "conferences.Notification"]):
        rows = national.run(progress)
        rows["conferences.Notification"] = _notifications(until)
        rows["history events"] = write_history(national.ids.first)
    timings["copy"] = time.perf_counter() - started
    mark = time.perf_counter()
    orphans = orphaned_references([*TABLES, "conferences.Notification"])
    if orphans:
        raise RuntimeError(f"rows naming rows that do not exist: {orphans}")
    timings["check"] = time.perf_counter() - mark
    mark = time.perf_counter()
    refresh_all_plan_category_spans()  # the copies ran with the spans' triggers off
    refresh_all_meeting_types()  # and with the meeting types'
    note_change()  # the rows were copied with the change-log triggers off
    timings["facts"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        # As autovacuum would after a load this size: statistics, and the visibility map that
        # lets index-only scans (a plan's category span, say) skip the table. (A test's load is
        # inside its transaction, where VACUUM cannot run: statistics only.)
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    timings["analyze"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return {"rows": rows, "seconds": timings, "families": national.families}


@contextmanager
def triggers_off(labels: list[str]):
    """The tables' own triggers (history, the figures' change log, append-only guards) off
    while rows are copied. As a superuser the session copies as a replica, which also skips
    the foreign-key triggers (their checks lock every parent row: most of a load's time);
    ``orphaned_references`` checks every reference afterwards instead. Otherwise, as
    bench_dashboard does, the tables' user triggers are switched off and on again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        tables = [connection.ops.quote_name(table_of(label)) for label in labels]
        if superuser:
            cursor.execute("SET session_replication_role = replica")
        else:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def orphaned_references(labels: list[str]) -> dict[str, int]:
    """Rows of these tables whose foreign key names no row, by table and column: what the
    skipped foreign-key triggers would have refused, checked in one pass per key."""
    found = {}
    with connection.cursor() as cursor:
        for label in labels:
            model = apps.get_model(label)
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                table, column = model._meta.db_table, field.column
                target = field.related_model._meta.db_table
                cursor.execute(
                    f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {target} p WHERE p.id = c.{column})"
                )
                count = cursor.fetchone()[0]
                if count:
                    found[f"{table}.{column}"] = count
    return found


def _notifications(until: date) -> int:
    """The outbox's last year: one sent invitation email per invitation to a conference."""
    notification = table_of("conferences.Notification")
    invitation, professional = (
        table_of("conferences.Invitation"),
        table_of("conferences.Professional"),
    )
    conference = table_of("conferences.Conference")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {notification} (key, kind, recipient_email, recipient_name, subject,
                body, conference_id, status, message_id, provider_reference, attempts,
                possible_duplicate, last_error, created_at, next_attempt_at, sent_at)
            SELECT 'national:invitation:' || i.id, 'conference_booked', p.email, p.full_name,
                'Invitation to a child protection conference', 'You are invited.', c.id,
                'sent', '<national-' || i.id || '@convene>', '', 1, false, '',
                s.at, s.at, s.at
            FROM {invitation} i
            JOIN {conference} c ON c.id = i.conference_id
            JOIN {professional} p ON p.id = i.professional_id
            CROSS JOIN LATERAL (SELECT (i.sent_on + time '09:00') AT TIME ZONE 'Europe/London'
                                AS at) s
            WHERE c.starts_at >= %s::date - %s AND i.sent_on IS NOT NULL
            ON CONFLICT (key) DO NOTHING
            """,  # noqa: S608 - table names from the models
            [until, NOTIFIED_DAYS],
        )
        return cursor.rowcount
