"""SQL building blocks shared by the figures: local dates, plans at a date.

A plan's category is a case rule: rules.categories holds it, in Python and in SQL; working days
and timescales are rules.working_days and rules.timescales."""

from datetime import date

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Cast, Lag
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from conferences.booking.models import local_day
from conferences.choices import ConferenceStatus
from conferences.models import ChildProtectionPlan, Conference, ConferenceChild
from reporting.figures.base import Column, Scope


def local_date(field: str) -> Cast:
    """The day in England a timestamp falls on (a 00:30 BST meeting is that day, not the one
    before in UTC): the expression Conference's ``held_on`` index is built on."""
    return local_day(field)


def held_between(start: date, end: date, prefix: str = "") -> Q:
    """Meetings that took place in the period: postponed and cancelled ones are not activity.
    By the day held in England, the expression of Conference's ``held_on`` index, so that a
    figure reads the period's meetings and not every meeting ever held."""
    held_on = local_date(f"{prefix}starts_at")
    return Q(
        Q(**{f"{prefix}status": ConferenceStatus.HELD}),
        GreaterThanOrEqual(held_on, start),
        LessThanOrEqual(held_on, end),
    )


def held_conferences(scope: Scope, column: Column):
    found = Conference.objects.filter(held_between(column.start, column.end))
    if scope.chair_id:
        found = found.filter(chair_id=scope.chair_id)
    if scope.locality_id:
        found = found.filter(
            Exists(
                ConferenceChild.objects.filter(
                    conference=OuterRef("pk"), child__locality_id=scope.locality_id
                )
            )
        )
    return found


def on_plan_at(day: date, prefix: str = "") -> Q:
    """A plan open at the end of ``day``: started on or before it and not ended by then."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def plans_open_at(scope: Scope, day: date):
    plans = ChildProtectionPlan.objects.filter(on_plan_at(day))
    if scope.locality_id:
        plans = plans.filter(child__locality_id=scope.locality_id)
    if scope.chair_id:
        plans = plans.annotate(current_chair=latest_chair(day)).filter(current_chair=scope.chair_id)
    return plans


def latest_chair(day: date) -> Subquery:
    """The chair of the child's most recent meeting held on or before ``day``."""
    return Subquery(
        ConferenceChild.objects.filter(
            LessThanOrEqual(local_date("conference__starts_at"), day),
            child=OuterRef("child_id"),
            conference__status=ConferenceStatus.HELD,
        )
        .order_by("-conference__starts_at")
        .values("conference__chair_id")[:1]
    )


def chaired_as_before(until: date, children):
    """Places at held meetings, to ``until``, of ``children`` (a queryset of child ids), whose
    chair also chaired the child's previous held meeting, as ConferenceChild ids: chair
    continuity, defined once.

    The previous meeting comes from a window over each child's held meetings in order (LAG),
    one pass over them and no query per place. Each child is a partition of its own, so only
    the children asked about are read; meetings after ``until`` do not change which meeting
    came before one held by then, so they are left out too. A child is never at two held
    meetings at the same moment (booking refuses the clash); if records said so, the one
    with the lower id would count as the earlier."""
    held = ConferenceChild.objects.filter(
        LessThanOrEqual(local_date("conference__starts_at"), until),
        conference__status=ConferenceStatus.HELD,
        child_id__in=children,
    )
    previous_chair = Window(
        Lag("conference__chair_id"),
        partition_by=F("child_id"),
        order_by=[F("conference__starts_at").asc(), F("conference_id").asc()],
    )
    return (
        held.annotate(previous_chair=previous_chair)
        .filter(previous_chair=F("conference__chair_id"))
        .values("pk")
    )
