"""The clerk's and the IRO's trays: what needs doing, computed from the records."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, Subquery

from accounts.models import User
from conferences.choices import AgencyKind, ConferenceStatus
from conferences.models import ChildProtectionPlan, Conference, ConferenceChild, Invitation
from conferences.queries import children_visible_to, conferences_visible_to
from rules.meetings import (
    is_police_notice_short,
    police_notice_days,
    report_receipt_not_recorded_sql,
)
from rules.timescales import next_review_due, timescale, today


@dataclass(frozen=True)
class ReviewDue:
    child: object
    due_on: date
    is_first_review: bool


def reviews_due_without_booking(user: User, *, horizon_weeks: int | None = None) -> list[ReviewDue]:
    """Children on a plan whose next review falls within the horizon and who have no booking."""
    horizon = timedelta(weeks=horizon_weeks or timescale("review_horizon_weeks"))
    now = today()
    open_plan = ChildProtectionPlan.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)
    booked = ConferenceChild.objects.filter(
        child=OuterRef("pk"), conference__status=ConferenceStatus.BOOKED
    )
    children = (
        children_visible_to(user)
        .annotate(
            plan_started_on=Subquery(open_plan.values("started_on")[:1]),
            last_held_at=Max(
                "conference_places__conference__starts_at",
                filter=Q(conference_places__conference__status=ConferenceStatus.HELD),
            ),
        )
        .filter(plan_started_on__isnull=False)
        .exclude(Exists(booked))
        .select_related("family")
    )
    due = []
    for child in children:
        due_on, is_first = next_review_due(
            plan_started_on=child.plan_started_on, last_held_at=child.last_held_at
        )
        if due_on <= now + horizon:
            due.append(ReviewDue(child=child, due_on=due_on, is_first_review=is_first))
    return sorted(due, key=lambda item: item.due_on)


def _upcoming(user: User):
    return (
        conferences_visible_to(user)
        .filter(status=ConferenceStatus.BOOKED)
        .select_related("family", "venue", "chair")
        .order_by("starts_at")
    )


def conferences_with_unsent_invitations(user: User):
    unsent = Invitation.objects.filter(conference=OuterRef("pk"), sent_on__isnull=True)
    return _upcoming(user).filter(Exists(unsent), starts_at__date__gte=today())


def conferences_with_short_police_notice(user: User) -> list[Conference]:
    """Booked conferences with a police invitation giving (or, unsent, about to give) fewer days'
    notice than the police ask for."""
    police = Invitation.objects.filter(professional__agency__kind=AgencyKind.POLICE)
    conferences = (
        _upcoming(user)
        .filter(starts_at__date__gte=today())
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=police.select_related("professional__agency"),
                to_attr="police",
            )
        )
    )
    now = today()
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


def chair_week(user: User, chair: User, monday: date):
    return (
        conferences_visible_to(user)
        .filter(
            chair=chair,
            starts_at__date__gte=monday,
            starts_at__date__lt=monday + timedelta(days=7),
        )
        .exclude(status=ConferenceStatus.CANCELLED)
        .select_related("family", "venue")
        .prefetch_related("attendees__child")
        .order_by("starts_at")
    )
