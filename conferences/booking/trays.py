"""The clerk's and the IRO's trays: what needs doing, computed from the records."""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from conferences.choices import AgencyKind, ConferenceStatus
from conferences.models import ChildProtectionPlan, Conference, ConferenceChild, Invitation
from conferences.queries import children_visible_to, conferences_visible_to
from rules.meetings import (
    is_police_notice_short,
    police_notice_days,
    report_receipt_not_recorded_sql,
)
from rules.timescales import is_first_review_sql, next_review_due_sql, timescale, today


def reviews_due_without_booking(user: User, *, horizon_weeks: int | None = None):
    """Children on a plan whose next review falls within the horizon and who have no booking,
    soonest first, each with ``review_due_on`` and ``is_first_review`` (rules.timescales'
    next_review_due, in SQL): the database picks them, so a tray reads only what it shows."""
    horizon = timedelta(weeks=horizon_weeks or timescale("review_horizon_weeks"))
    open_plan = ChildProtectionPlan.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)
    booked = ConferenceChild.objects.filter(
        child=OuterRef("pk"), conference__status=ConferenceStatus.BOOKED
    )
    # The last conference held after the plan started: the one the rule reads, if any.
    held_since_plan = (
        ConferenceChild.objects.filter(
            child=OuterRef("pk"), conference__status=ConferenceStatus.HELD
        )
        .annotate(held_on=TruncDate("conference__starts_at"))
        .filter(held_on__gt=OuterRef("plan_started_on"))
        .order_by("-conference__starts_at")
        .values("held_on")[:1]
    )
    # Only the children on a plan are read (the open plans' partial index, one_open_plan_a_child),
    # not every child the authority has known: the due date below is worked out row by row.
    on_a_plan = ChildProtectionPlan.objects.filter(ended_on__isnull=True).values("child_id")
    return (
        children_visible_to(user)
        .filter(pk__in=on_a_plan)
        .annotate(
            plan_started_on=Subquery(open_plan.values("started_on")[:1]),
            held_since_plan_on=Subquery(held_since_plan, output_field=DateField()),
        )
        .filter(plan_started_on__isnull=False)
        .exclude(Exists(booked))
        .annotate(
            review_due_on=next_review_due_sql("plan_started_on", "held_since_plan_on"),
            is_first_review=ExpressionWrapper(
                is_first_review_sql("held_since_plan_on"),
                output_field=BooleanField(),
            ),
        )
        .filter(review_due_on__lte=today() + horizon)
        .select_related("family")
        .order_by("review_due_on", "pk")
    )


def _upcoming(user: User):
    return (
        conferences_visible_to(user)
        .filter(status=ConferenceStatus.BOOKED)
        .select_related("family", "venue", "chair")
        .order_by("starts_at")
    )


def conferences_with_unsent_invitations(user: User):
    unsent = Invitation.objects.filter(conference=OuterRef("pk"), sent_on__isnull=True)
    return _upcoming(user).filter(Exists(unsent), starts_at__gte=_local_midnight(today()))


def conferences_with_short_police_notice(user: User) -> list[Conference]:
    """Booked conferences with a police invitation giving (or, unsent, about to give) fewer days'
    notice than the police ask for."""
    police = Invitation.objects.filter(professional__agency__kind=AgencyKind.POLICE)
    now = today()
    # An invitation is sent today at the latest, so a conference further off than the notice
    # the police ask for cannot be short of it: only the next few days' conferences are read.
    notice_ends = now + timedelta(days=timescale("police_notice_days"))
    conferences = (
        _upcoming(user)
        .filter(
            Exists(police.filter(conference=OuterRef("pk"))),
            starts_at__gte=_local_midnight(now),
            starts_at__lt=_local_midnight(notice_ends),
        )
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=police.select_related("professional__agency"),
                to_attr="police",
            )
        )
    )
    return [
        (
            conference,
            invitation,
            police_notice_days(invitation, held_on=conference.held_on, today=now),
        )
        for conference in conferences
        for invitation in conference.police
        if is_police_notice_short(invitation, held_on=conference.held_on, today=now)
    ]


def conferences_awaiting_report(user: User):
    """Booked conferences in the next fortnight (or already past) with no record of the family
    receiving the social work report."""
    return _upcoming(user).filter(
        report_receipt_not_recorded_sql("family"),
        starts_at__date__lte=today() + timedelta(days=14),
    )


def unborn_children_past_due(user: User):
    return (
        children_visible_to(user)
        .filter(date_of_birth__isnull=True, expected_date_of_birth__lt=today())
        .select_related("family")
        .order_by("expected_date_of_birth")
    )


def chair_upcoming(user: User):
    return (
        _upcoming(user)
        .filter(chair=user, starts_at__date__gte=today())
        .prefetch_related("attendees__child")
    )


def _local_midnight(day: date) -> datetime:
    """The start of a local day as an instant: a range of these reads ``starts_at`` from its
    index, where a filter on the local date of ``starts_at`` cannot."""
    return timezone.make_aware(datetime.combine(day, time.min))


def chair_week(user: User, chair: User, monday: date):
    return (
        conferences_visible_to(user)
        .filter(
            chair=chair,
            starts_at__gte=_local_midnight(monday),
            starts_at__lt=_local_midnight(monday + timedelta(days=7)),
        )
        .exclude(status=ConferenceStatus.CANCELLED)
        .select_related("family", "venue")
        .prefetch_related("attendees__child")
        .order_by("starts_at")
    )
