"""Rows streamed into PostgreSQL with COPY, a batch of families at a time, with ids given here
(from each table's sequence) so one batch's rows can name each other before any is written."""

import io

from django.apps import apps
from django.db import connection, transaction

# Each table's model and the columns the generator writes, in the order written (parents
# before the rows that name them). Every NOT NULL column without a database default must be
# here: ``check_columns`` refuses to start otherwise.
TABLES = {
    "conferences.Family": ("id", "name", "created_at", "is_restricted", "version"),
    "conferences.Child": (
        "id",
        "family_id",
        "local_case_id",
        "first_name",
        "last_name",
        "date_of_birth",
        "expected_date_of_birth",
        "sex",
        "ethnicity",
        "disabilities",
        "first_language",
        "locality_id",
        "social_worker_id",
        "strategy_discussion_on",
        "transfer_notified_on",
        "previous_plans_elsewhere",
        "upn",
        "upn_unknown_reason",
        "needs_completion",
        "is_restricted",
        "version",
    ),
    "conferences.ChildProtectionPlan": (
        "id",
        "child_id",
        "started_on",
        "ended_on",
        "end_reason",
        "categories",
        "imported_initial_category",
        "imported_latest_category",
        "imported_review_dates",
        "version",
    ),
    "conferences.CinEpisode": (
        "id",
        "child_id",
        "referral_on",
        "referral_source",
        "primary_need",
        "s47_started_on",
        "icpc_target_on",
        "icpc_not_required",
        "assessment_started_on",
        "assessment_authorised_on",
        "assessment_factors",
        "closed_on",
        "closure_reason",
        "version",
    ),
    "conferences.Conference": (
        "id",
        "family_id",
        "starts_at",
        "duration_minutes",
        "venue_id",
        "chair_id",
        "status",
        "is_past_record",
        "out_of_timescale_reason",
        "rebooked_from_id",
        "postponement_reason_id",
        "postponement_detail",
        "report_to_family_on",
        "report_to_family_not_received",
        "report_to_chair_on",
        "report_to_chair_not_received",
        "booked_by_id",
        "booked_at",
        "version",
    ),
    "conferences.ConferenceChild": ("id", "conference_id", "child_id", "stage", "due_on"),
    "conferences.ConferenceRecord": (
        "id",
        "conference_id",
        "status",
        "pre_meeting_held",
        "inquorate_reason",
        "child_views",
        "parent_views",
        "finalised_at",
        "finalised_by_id",
        "decision_letter_sent_on",
        "record_distributed_on",
        "updated_at",
        "version",
    ),
    "conferences.ChildDecision": (
        "id",
        "record_id",
        "place_id",
        "decision",
        "end_reason",
        "categories",
        "multiple_categories_reason",
        "factors",
        "next_review_on",
        "first_core_group_on",
    ),
    "conferences.Invitation": (
        "id",
        "conference_id",
        "professional_id",
        "sent_on",
        "attendance",
        "attendance_mode",
        "report_received_on",
        "report_in_agreed_format",
    ),
    "conferences.CoreGroupMeeting": (
        "id",
        "child_id",
        "plan_id",
        "held_on",
        "attendees",
        "actions_updated",
        "recorded_by_id",
    ),
}


def table_of(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def check_columns() -> None:
    """Refuse to load if a table has a required column the generator does not write (a
    migration added one): the COPY would fail half-way otherwise."""
    with connection.cursor() as cursor:
        for label, columns in TABLES.items():
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND is_nullable = 'NO' AND column_default IS NULL",
                [table_of(label)],
            )
            missing = {row[0] for row in cursor.fetchall()} - set(columns)
            if missing:
                raise RuntimeError(f"{label}: the generator writes no {sorted(missing)}")


class Ids:
    """The next id of each table, taken from its highest id now."""

    def __init__(self):
        self.next = {}
        with connection.cursor() as cursor:
            for label in TABLES:
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table_of(label)}")  # noqa: S608
                self.next[label] = cursor.fetchone()[0] + 1
        self.first = dict(self.next)

    def take(self, label: str) -> int:
        found = self.next[label]
        self.next[label] = found + 1
        return found

    def set_sequences(self) -> None:
        with connection.cursor() as cursor:
            for label, following in self.next.items():
                table = table_of(label)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                    [table, following],
                )


class Sink:
    """Rows as COPY text, one buffer per table, written together in one transaction a batch."""

    def __init__(self):
        self.buffers = {label: io.StringIO() for label in TABLES}
        self.rows = dict.fromkeys(TABLES, 0)
        self.pending = 0

    def add(self, label: str, values: tuple) -> None:
        self.buffers[label].write("\t".join(values))
        self.buffers[label].write("\n")
        self.rows[label] += 1
        self.pending += 1

    def flush(self) -> None:
        if not self.pending:
            return
        # Foreign keys are deferred to the commit: one batch a transaction keeps their queue
        # of checks small, and every row is still checked.
        with transaction.atomic(), connection.cursor() as cursor:
            for label, columns in TABLES.items():
                buffer = self.buffers[label]
                if not buffer.tell():
                    continue
                buffer.seek(0)
                cursor.copy_expert(
                    f"COPY {table_of(label)} ({', '.join(columns)}) FROM STDIN", buffer
                )
                self.buffers[label] = io.StringIO()
        self.pending = 0


def array(values) -> str:
    """A text array in COPY's text format."""
    return "{" + ",".join(values) + "}"


def flag(value: bool | None) -> str:
    if value is None:
        return "\\N"
    return "t" if value else "f"


def ref(value: int | None) -> str:
    return "\\N" if value is None else str(value)
