"""How well the service runs: timescales, postponements, agencies, distribution, core groups."""

from datetime import timedelta

from django.db.models import CharField, Count, F, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from conferences.choices import INITIAL_STAGES, REVIEW_STAGES, AgencyKind, ConferenceStatus
from conferences.models import ChildProtectionPlan, Conference, ConferenceChild, Invitation
from conferences.plans.models import CoreGroupMeeting
from conferences.record.models import RecordStatus
from reporting.figures.base import Column, ConditionFigure, Figure, Row, Scope, share, span
from reporting.figures.sql import held_between, held_in, local_date
from rules.timescales import (
    decision_letter_on_time_sql,
    first_core_group_on_time_sql,
    record_distribution_on_time_sql,
)
from rules.working_days import WorkingDayTable

# Letters, records and core groups dated this long after the period are looked up too; later
# ones count as late (their working-day count is past the table, so it is the table's end).
AFTER_DAYS = 400


class WithinTimescale(ConditionFigure):
    slug = "within-timescale"
    title = "Conferences within timescale"
    counts = "children at meetings"
    subject_model = "conferences.Conference"
    subject_field = "conference_id"
    row_labels = {
        "initial_held": "Initial: children at meetings held",
        "initial_within": "Initial: held within timescale",
        "review_held": "Review: children at meetings held",
        "review_within": "Review: held within timescale",
    }
    definition = (
        "Children at meetings held in the period, by stage, and how many of them were held on "
        "or before the date the meeting was due for that child (initial: 15 working days after "
        "the strategy discussion; first review: 3 months after the initial; later reviews: 6 "
        "months apart)."
    )

    def base(self, scope, column):
        places = ConferenceChild.objects.filter(
            held_between(column.start, column.end, "conference__")
        )
        if scope.locality_id:
            places = places.filter(child__locality_id=scope.locality_id)
        if scope.chair_id:
            places = places.filter(conference__chair_id=scope.chair_id)
        return places

    def counter(self, condition):
        # A child counts once per meeting: count places, not conferences.
        return Count("pk", filter=condition)

    def in_column(self, column):
        return held_in(column.start, column.end, "conference__")

    def conditions(self, scope, column):
        within = Q(due_on__isnull=False, conference__starts_at__date__lte=F("due_on"))
        initial, review = Q(stage__in=INITIAL_STAGES), Q(stage__in=REVIEW_STAGES)
        return {
            "initial_held": initial,
            "initial_within": initial & within,
            "review_held": review,
            "review_within": review & within,
        }

    def derived_rows(self, table):
        cells = {row.key: row.cells for row in table.rows}
        return [
            Row(
                f"{kind}_share",
                f"{kind.title()}: % within timescale",
                [
                    share(w, h)
                    for w, h in zip(cells[f"{kind}_within"], cells[f"{kind}_held"], strict=True)
                ],
            )
            for kind in ("initial", "review")
        ]


class Postponements(Figure):
    slug = "postponements"
    title = "Meetings postponed or cancelled, by reason"
    counts = "meetings"
    subject_model = "conferences.Conference"
    definition = (
        "Meetings that were booked for a day in the period and postponed or cancelled, by the "
        "reason the clerk recorded."
    )

    def rows(self, scope):
        from conferences.models import PostponementReason

        labels = PostponementReason.objects.values_list("label", flat=True)
        return [(label, label) for label in labels] + [("", "No reason recorded")]

    def records(self, scope, column):
        found = Conference.objects.filter(
            status__in=[ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED],
            starts_at__date__range=(column.start, column.end),
        )
        if scope.chair_id:
            found = found.filter(chair_id=scope.chair_id)
        if scope.locality_id:
            found = found.filter(attendees__child__locality_id=scope.locality_id)
        return found.annotate(
            row=Coalesce("postponement_reason__label", Value(""), output_field=CharField()),
            subject=F("pk"),
        )

    def in_column(self, column):
        return Q(starts_at__date__range=(column.start, column.end))


class AgencyAttendance(Figure):
    slug = "agency-attendance"
    title = "Agency attendance and reports"
    counts = "invitations"
    subject_model = "conferences.Conference"
    definition = (
        "Invitations to meetings held in the period, by the kind of agency: how many were "
        "invited, how many attended (in person, by video or by phone) and how many sent a "
        "report."
    )
    _columns = {
        "invited": ("Invited", Q()),
        "attended": ("Attended", Q(attendance="attended")),
        "report": ("Sent a report", Q(report_received_on__isnull=False)),
    }

    def columns(self, scope: Scope) -> list[Column]:
        p = scope.period
        return [Column(key, label, p.start, p.end) for key, (label, _) in self._columns.items()]

    def rows(self, scope):
        return [(kind.value, kind.label) for kind in AgencyKind]

    def records(self, scope, column):
        return self._invitations(scope, column).filter(self.in_column(column))

    def records_over(self, scope, columns):
        # Every column reads the period's invitations; each counts those meeting its test.
        return self._invitations(scope, span(columns))

    def in_column(self, column):
        return self._columns[column.key][1]

    def _invitations(self, scope, column):
        found = Invitation.objects.filter(held_between(column.start, column.end, "conference__"))
        if scope.chair_id:
            found = found.filter(conference__chair_id=scope.chair_id)
        if scope.locality_id:
            found = found.filter(conference__attendees__child__locality_id=scope.locality_id)
        return found.annotate(row=F("professional__agency__kind"), subject=F("pk"))

    def subjects(self, scope, column, row_key):
        return self.records(scope, column).filter(row=row_key).values("conference_id")


class Distribution(ConditionFigure):
    slug = "distribution"
    title = "Decision letters and records sent on time"
    counts = "meetings"
    subject_model = "conferences.Conference"
    subject_field = "conference_id"
    row_labels = {
        "signed_off": "Meetings held with a signed-off record",
        "letter_on_time": "Decision letter sent on time",
        "letter_late": "Decision letter sent late",
        "letter_not_sent": "Decision letter not sent yet",
        "record_on_time": "Record distributed on time",
        "record_late": "Record distributed late",
        "record_not_sent": "Record not distributed yet",
    }
    definition = (
        "Meetings held in the period whose record is signed off, and whether the decision "
        "letter went within 1 working day and the record within 15 working days of the "
        "meeting (settings: decision_letter_working_days, record_distribution_working_days)."
    )

    def base(self, scope, column):
        from conferences.record.models import ConferenceRecord

        days = WorkingDayTable(column.start, column.end + timedelta(days=AFTER_DAYS))
        held = local_date("conference__starts_at")
        records = ConferenceRecord.objects.filter(
            held_between(column.start, column.end, "conference__"),
            status=RecordStatus.FINALISED,
        )
        if scope.chair_id:
            records = records.filter(conference__chair_id=scope.chair_id)
        return records.annotate(
            letter_in_time=decision_letter_on_time_sql(held, F("decision_letter_sent_on"), days),
            record_in_time=record_distribution_on_time_sql(held, F("record_distributed_on"), days),
        )

    def in_column(self, column):
        # Working days are counted by a table over all the columns; a count between two days
        # does not depend on where the table starts, and a day past its end is late either way.
        return held_in(column.start, column.end, "conference__")

    def conditions(self, scope, column):
        return {
            "signed_off": Q(),
            "letter_on_time": Q(letter_in_time=True),
            "letter_late": Q(letter_in_time=False),
            "letter_not_sent": Q(decision_letter_sent_on__isnull=True),
            "record_on_time": Q(record_in_time=True),
            "record_late": Q(record_in_time=False),
            "record_not_sent": Q(record_distributed_on__isnull=True),
        }


class CoreGroupsOnTime(ConditionFigure):
    slug = "core-groups"
    title = "First core groups on time"
    subject_model = "conferences.Child"
    subject_field = "child_id"
    row_labels = {
        "started": "Plans started",
        "on_time": "First core group within 10 working days",
        "late": "First core group later",
        "none": "No core group recorded yet",
    }
    definition = (
        "Plans started in the period, and whether the first core group met within 10 working "
        "days of the plan starting."
    )

    def base(self, scope, column):
        first = Subquery(
            CoreGroupMeeting.objects.filter(plan=OuterRef("pk"))
            .order_by()
            .values("plan")
            .annotate(first=Min("held_on"))
            .values("first")[:1]
        )
        days = WorkingDayTable(column.start, column.end + timedelta(days=AFTER_DAYS))
        plans = ChildProtectionPlan.objects.filter(started_on__range=(column.start, column.end))
        if scope.locality_id:
            plans = plans.filter(child__locality_id=scope.locality_id)
        return plans.annotate(first_core_group=first).annotate(
            core_group_on_time=first_core_group_on_time_sql(
                F("started_on"), F("first_core_group"), days
            )
        )

    def in_column(self, column):
        return Q(started_on__range=(column.start, column.end))

    def conditions(self, scope, column):
        return {
            "started": Q(),
            "on_time": Q(core_group_on_time=True),
            "late": Q(core_group_on_time=False),
            "none": Q(first_core_group__isnull=True),
        }
