"""Statutory timescales: when each child's conference is due, and when reports are due.

Durations come from settings.CONVENE_TIMESCALES so that a partnership's local procedures can
differ from national guidance without a code change.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from .choices import INITIAL_STAGES, ConferenceStatus, Stage
from .models import Child, ClosureDay, ConferenceChild
from .working_days import WorkingCalendar, add_months


def timescale(name: str) -> int:
    return settings.CONVENE_TIMESCALES[name]


def working_calendar() -> WorkingCalendar:
    """Bank holidays plus the council's closure days, read once per call."""
    return WorkingCalendar(ClosureDay.objects.values_list("day", flat=True))


class MissingClockDate(Exception):
    """The date a timescale runs from is not recorded; the message says which."""


@dataclass(frozen=True)
class ChildHistory:
    """What a child's due date depends on, gathered in one place."""

    previous_held_on: date | None  # the child's last held conference
    last_initial_held_on: date | None  # the last held initial-type conference
    last_initial_was_pre_birth: bool
    open_plan_started_on: date | None


def history_of(child: Child, *, before: date | None = None) -> ChildHistory:
    places = (
        ConferenceChild.objects.filter(child=child, conference__status=ConferenceStatus.HELD)
        .select_related("conference")
        .order_by("-conference__starts_at")
    )
    if before is not None:
        places = places.filter(conference__starts_at__date__lt=before)
    places = list(places)
    previous = places[0].conference.held_on if places else None
    last_initial = next((place for place in places if place.stage in INITIAL_STAGES), None)
    open_plan = child.plans.filter(ended_on__isnull=True).first()
    return ChildHistory(
        previous_held_on=previous,
        last_initial_held_on=last_initial.conference.held_on if last_initial else None,
        last_initial_was_pre_birth=bool(last_initial and last_initial.stage == Stage.PRE_BIRTH),
        open_plan_started_on=open_plan.started_on if open_plan else None,
    )


def due_date(child: Child, stage: Stage, history: ChildHistory, calendar: WorkingCalendar) -> date:
    """The last day on which this child's conference at this stage is within timescale."""
    if stage in (Stage.INITIAL, Stage.PRE_BIRTH):
        if child.strategy_discussion_on is None:
            raise MissingClockDate(
                f"Record the date of the strategy discussion for {child} before booking an "
                "initial conference"
            )
        return calendar.add_working_days(
            child.strategy_discussion_on, timescale("initial_working_days")
        )
    if stage == Stage.RECEIVING_IN:
        if child.transfer_notified_on is None:
            raise MissingClockDate(
                f"Record when the other authority notified us about {child} before booking a "
                "receiving-in conference"
            )
        return calendar.add_working_days(
            child.transfer_notified_on, timescale("receiving_in_working_days")
        )
    if stage == Stage.RECONVENED:
        if history.last_initial_held_on is None:
            raise MissingClockDate(f"{child} has no inquorate initial conference to re-convene")
        return calendar.add_working_days(
            history.last_initial_held_on, timescale("reconvened_working_days")
        )
    if stage == Stage.FIRST_REVIEW:
        started = history.open_plan_started_on or history.last_initial_held_on
        if started is None:
            raise MissingClockDate(f"{child} has no plan for a first review to review")
        due = add_months(started, timescale("first_review_months"))
        if history.last_initial_was_pre_birth and child.date_of_birth:
            after_birth = calendar.add_working_days(
                child.date_of_birth, timescale("pre_birth_review_working_days_after_birth")
            )
            due = min(due, after_birth)
        return due
    if history.previous_held_on is None:
        raise MissingClockDate(f"{child} has no previous conference for a review to follow")
    return add_months(history.previous_held_on, timescale("review_months"))


@dataclass(frozen=True)
class ReportDueDates:
    to_family: date
    to_chair: date


def report_due_dates(stages, held_on: date, calendar: WorkingCalendar) -> ReportDueDates:
    """When the social work report must reach the family and the chair. A meeting with any
    child at an initial stage follows the initial rule."""
    kind = "initial" if set(stages) & INITIAL_STAGES else "review"
    return ReportDueDates(
        to_family=calendar.add_working_days(held_on, -timescale(f"report_to_family_{kind}")),
        to_chair=calendar.add_working_days(held_on, -timescale(f"report_to_chair_{kind}")),
    )


def next_review_due(*, plan_started_on: date, last_held_at: datetime | None) -> tuple[date, bool]:
    """When an open plan's next review is due, and whether that is its first review: three
    months after the plan started until a review has been held, then six after the last one."""
    last_held = timezone.localdate(last_held_at) if last_held_at else None
    if last_held is None or last_held <= plan_started_on:
        return add_months(plan_started_on, timescale("first_review_months")), True
    return add_months(last_held, timescale("review_months")), False


def today() -> date:
    return timezone.localdate()
