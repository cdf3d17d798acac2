"""Rules about a meeting: its type, its quorum, police notice, and when reports arrived.

The type and the report receipt are here twice, side by side: in Python, for the conference in
hand (its page), and in SQL, as annotations on Conference rows (the figures and their
drill-down). tests/rules/test_meetings.py holds each pair to the same answer on the same
records; nothing else works these out.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import models
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When

from conferences.choices import INITIAL_STAGES, REVIEW_STAGES, AgencyKind, Attendance, Stage
from conferences.models import ConferenceChild, Invitation
from rules.timescales import timescale
from rules.working_days import WorkingCalendar


class MeetingType(models.TextChoices):
    INITIAL = "initial", "Initial"
    PRE_BIRTH = "pre_birth", "Initial pre-birth"
    INITIAL_AND_PRE_BIRTH = "initial_pre_birth", "Initial/Pre-birth initial"
    RECEIVING_IN = "receiving_in", "Initial receiving-in"
    RECONVENED = "reconvened", "Initial re-convened"
    FIRST_REVIEW = "first_review", "First review"
    REVIEW_AND_INITIAL = "review_initial", "Review/Initial"
    REVIEW = "review", "Subsequent review"


_SINGLE = {
    Stage.INITIAL: MeetingType.INITIAL,
    Stage.PRE_BIRTH: MeetingType.PRE_BIRTH,
    Stage.RECEIVING_IN: MeetingType.RECEIVING_IN,
    Stage.RECONVENED: MeetingType.RECONVENED,
    Stage.FIRST_REVIEW: MeetingType.FIRST_REVIEW,
    Stage.REVIEW: MeetingType.REVIEW,
}


def meeting_type(stages: Iterable[str]) -> MeetingType:
    """The meeting's type from its children's stages.

    One stage gives its own type. Siblings at an initial and a pre-birth stage make
    "Initial/Pre-birth initial"; any initial stage beside a review stage makes "Review/Initial".
    Other mixes take the type of the stage that comes first in the child's journey (a first
    review beside a subsequent review is a first review; an initial beside a receiving-in is an
    initial), because that stage's timescale is the one that drove the booking.
    """
    distinct = {Stage(stage) for stage in stages}
    if not distinct:
        raise ValueError("a conference has at least one child")
    if len(distinct) == 1:
        return _SINGLE[distinct.pop()]
    has_initial = bool(distinct & INITIAL_STAGES)
    has_review = bool(distinct & REVIEW_STAGES)
    if has_initial and has_review:
        return MeetingType.REVIEW_AND_INITIAL
    if {Stage.INITIAL, Stage.PRE_BIRTH} <= distinct:
        return MeetingType.INITIAL_AND_PRE_BIRTH
    first = min(distinct, key=list(Stage).index)
    return _SINGLE[first]


def meeting_type_sql() -> Subquery:
    """``meeting_type`` as an annotation on Conference rows: the same rules in the same order."""
    stages = (
        ConferenceChild.objects.filter(conference=OuterRef("pk"))
        .order_by()
        .values("conference")
        .annotate(stages=ArrayAgg("stage", distinct=True))
    )
    typed = stages.annotate(
        meeting_type=Case(
            When(
                stages__overlap=sorted(INITIAL_STAGES),
                then=Case(
                    When(
                        stages__overlap=sorted(REVIEW_STAGES),
                        then=Value(MeetingType.REVIEW_AND_INITIAL),
                    ),
                    When(
                        stages__contains=[Stage.INITIAL, Stage.PRE_BIRTH],
                        then=Value(MeetingType.INITIAL_AND_PRE_BIRTH),
                    ),
                    default=None,
                ),
            ),
            default=None,
            output_field=CharField(),
        )
    )
    # Other mixes: the stage that comes first in the child's journey (Stage's own order).
    first = [When(stages__contains=[stage], then=Value(_SINGLE[stage])) for stage in Stage]
    typed = typed.annotate(
        row=Case(
            When(meeting_type__isnull=False, then=F("meeting_type")),
            *first,
            output_field=CharField(),
        )
    )
    return Subquery(typed.values("row")[:1], output_field=CharField())


def is_quorate(invitations: Iterable[Invitation]) -> bool:
    """Children's social care plus at least N other agencies attended. A report without
    attendance does not count."""
    attended = {
        invitation.professional.agency
        for invitation in invitations
        if invitation.attendance == Attendance.ATTENDED
    }
    social_care = {agency for agency in attended if agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE}
    others = attended - social_care
    return bool(social_care) and len(others) >= timescale("quorum_other_agencies")


def police_notice_days(invitation: Invitation, *, held_on: date, today: date) -> int | None:
    """Calendar days of notice a police invitation gives (counting an unsent one as sent today);
    None for other agencies."""
    if invitation.professional.agency.kind != AgencyKind.POLICE:
        return None
    return (held_on - (invitation.sent_on or today)).days


def is_police_notice_short(invitation: Invitation, *, held_on: date, today: date) -> bool:
    days = police_notice_days(invitation, held_on=held_on, today=today)
    return days is not None and days < timescale("police_notice_days")


class ReportReceipt(models.TextChoices):
    EARLIER = "earlier", "Earlier"
    PREVIOUS_DAY = "previous_day", "Previous working day"
    ON_THE_DAY = "on_the_day", "On the day"
    NOT_RECEIVED = "not_received", "Not received"
    NOT_RECORDED = "not_recorded", "Not recorded"


def classify_report_receipt(
    *, received_on: date | None, not_received: bool, held_on: date, calendar: WorkingCalendar
) -> ReportReceipt:
    """When the report arrived, in the reference report's terms (5.2.2).

    "Previous day" means the previous working day: a report that arrives on the Friday, or over
    the weekend, before a Monday conference arrived the previous day. Arriving on or after the
    day of the conference counts as on the day.
    """
    if not_received:
        return ReportReceipt.NOT_RECEIVED
    if received_on is None:
        return ReportReceipt.NOT_RECORDED
    if received_on >= held_on:
        return ReportReceipt.ON_THE_DAY
    if received_on >= calendar.previous_working_day(held_on):
        return ReportReceipt.PREVIOUS_DAY
    return ReportReceipt.EARLIER


def report_receipt_sql(who: str, held_on, previous_working_day) -> Case:
    """``classify_report_receipt`` as an annotation on Conference rows, for the report to
    ``who`` ("family" or "chair"); ``held_on`` and ``previous_working_day`` are expressions for
    the conference's day in England and the working day before it."""
    received_on = f"report_to_{who}_on"
    return Case(
        When(Q(**{f"report_to_{who}_not_received": True}), then=Value(ReportReceipt.NOT_RECEIVED)),
        When(report_receipt_not_recorded_sql(who), then=Value(ReportReceipt.NOT_RECORDED)),
        When(Q(**{f"{received_on}__gte": held_on}), then=Value(ReportReceipt.ON_THE_DAY)),
        When(
            Q(**{f"{received_on}__gte": previous_working_day}),
            then=Value(ReportReceipt.PREVIOUS_DAY),
        ),
        default=Value(ReportReceipt.EARLIER),
        output_field=CharField(),
    )


def report_receipt_not_recorded_sql(who: str) -> Q:
    """Conferences whose report to ``who`` ("family" or "chair") is ``NOT_RECORDED``: no date
    received, and not marked as not received."""
    return Q(**{f"report_to_{who}_on__isnull": True, f"report_to_{who}_not_received": False})
