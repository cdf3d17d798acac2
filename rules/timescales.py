"""Statutory timescales: when each child's conference is due, and when reports, the decision
letter, the record and core groups are due.

Each due date has one function here, which views, services, sweeps, trays and the demo history
call. Where a figure counts by one in SQL, the SQL form sits beside the Python one, and
tests/rules/test_timescales_sql.py holds the two to the same answer on the same records.

Durations come from settings.CONVENE_TIMESCALES so that a partnership's local procedures can
differ from national guidance without a code change.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from conferences.choices import INITIAL_STAGES, ConferenceStatus, Stage
from conferences.models import Child, ConferenceChild
from rules.working_days import MonthsAfter, WorkingCalendar, WorkingDayTable, add_months


def timescale(name: str) -> int:
    return settings.CONVENE_TIMESCALES[name]


def today() -> date:
    return timezone.localdate()


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


# When a child's conference is due.


def initial_conference_due(strategy_discussion_on: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(strategy_discussion_on, timescale("initial_working_days"))


def receiving_in_due(transfer_notified_on: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(transfer_notified_on, timescale("receiving_in_working_days"))


def reconvened_due(inquorate_held_on: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(inquorate_held_on, timescale("reconvened_working_days"))


def first_review_due(plan_started_on: date) -> date:
    return add_months(plan_started_on, timescale("first_review_months"))


def pre_birth_first_review_due(
    plan_started_on: date, born_on: date, calendar: WorkingCalendar
) -> date:
    """A plan made before the birth is reviewed soon after it, if that is sooner than usual."""
    after_birth = calendar.add_working_days(
        born_on, timescale("pre_birth_review_working_days_after_birth")
    )
    return min(first_review_due(plan_started_on), after_birth)


def review_due(previous_held_on: date) -> date:
    """A later review, after the conference before it."""
    return add_months(previous_held_on, timescale("review_months"))


def due_date(child: Child, stage: Stage, history: ChildHistory, calendar: WorkingCalendar) -> date:
    """The last day on which this child's conference at this stage is within timescale."""
    if stage in (Stage.INITIAL, Stage.PRE_BIRTH):
        if child.strategy_discussion_on is None:
            raise MissingClockDate(
                f"Record the date of the strategy discussion for {child} before booking an "
                "initial conference"
            )
        return initial_conference_due(child.strategy_discussion_on, calendar)
    if stage == Stage.RECEIVING_IN:
        if child.transfer_notified_on is None:
            raise MissingClockDate(
                f"Record when the other authority notified us about {child} before booking a "
                "receiving-in conference"
            )
        return receiving_in_due(child.transfer_notified_on, calendar)
    if stage == Stage.RECONVENED:
        if history.last_initial_held_on is None:
            raise MissingClockDate(f"{child} has no inquorate initial conference to re-convene")
        return reconvened_due(history.last_initial_held_on, calendar)
    if stage == Stage.FIRST_REVIEW:
        started = history.open_plan_started_on or history.last_initial_held_on
        if started is None:
            raise MissingClockDate(f"{child} has no plan for a first review to review")
        if history.last_initial_was_pre_birth and child.date_of_birth:
            return pre_birth_first_review_due(started, child.date_of_birth, calendar)
        return first_review_due(started)
    if history.previous_held_on is None:
        raise MissingClockDate(f"{child} has no previous conference for a review to follow")
    return review_due(history.previous_held_on)


def next_review_due(*, plan_started_on: date, last_held_at: datetime | None) -> tuple[date, bool]:
    """When an open plan's next review is due, and whether that is its first review: three
    months after the plan started until a review has been held, then six after the last one."""
    last_held = timezone.localdate(last_held_at) if last_held_at else None
    if last_held is None or last_held <= plan_started_on:
        return first_review_due(plan_started_on), True
    return review_due(last_held), False


def is_first_review_sql(held_since_plan_on: str) -> Q:
    """``next_review_due``'s second answer as a condition: no conference held since the plan
    started. The argument names an annotation: the local date of the child's last conference
    held after the plan started (NULL if none)."""
    return Q(**{f"{held_since_plan_on}__isnull": True})


def next_review_due_sql(plan_started_on: str, held_since_plan_on: str) -> Coalesce:
    """``next_review_due``'s date as an annotation: the clerk's tray orders and bounds children
    by it in the database rather than working it out in Python for every child on a plan.
    ``plan_started_on`` names the open plan's start; ``held_since_plan_on`` the local date of
    the last conference held after it (NULL if none), which is the child's last held conference
    whenever the rule reads that one. It is named once, so PostgreSQL works its subquery out
    once a row (a CASE testing and then using it ran it three times)."""
    return Coalesce(
        MonthsAfter(F(held_since_plan_on), timescale("review_months")),
        MonthsAfter(F(plan_started_on), timescale("first_review_months")),
        output_field=DateField(),
    )


# Before the conference: the social work report.


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


# After the conference: the decision letter, the record and core groups.


def decision_letter_due(held_on: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(held_on, timescale("decision_letter_working_days"))


def record_distribution_due(held_on: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(held_on, timescale("record_distribution_working_days"))


def record_sign_off_due(held_on: date, calendar: WorkingCalendar) -> date:
    """The chair signs the record off within CONVENE_CHASING["outcome_working_days"] working
    days of the conference; the sweep chases the chair from this day."""
    return calendar.add_working_days(held_on, _sign_off_working_days())


def sign_off_overdue_if_held_before(today: date, calendar: WorkingCalendar) -> date:
    """The same rule for a query: a conference held (on a working day) before this day is past
    its sign-off due date today, as ``record_sign_off_due(held_on) < today`` says in Python."""
    return calendar.add_working_days(today, -_sign_off_working_days())


def _sign_off_working_days() -> int:
    return settings.CONVENE_CHASING["outcome_working_days"]


def first_core_group_due(plan_started_on: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(plan_started_on, timescale("first_core_group_working_days"))


def next_core_group_due(
    plan_started_on: date, last_held_on: date | None, calendar: WorkingCalendar
) -> date:
    """The first core group is due 10 working days after the plan starts; each later one the
    setting's interval after the one before."""
    if last_held_on is None:
        return first_core_group_due(plan_started_on, calendar)
    return calendar.add_working_days(last_held_on, timescale("core_group_interval_working_days"))


# Whether it was done in time, as the figures count it: by the due day, or on a day off before
# the next working day (a letter posted on the Saturday after a Friday due day missed no working
# day). None while it is not done.


def is_decision_letter_on_time(
    held_on: date, sent_on: date | None, calendar: WorkingCalendar
) -> bool | None:
    return _in_time(sent_on, decision_letter_due(held_on, calendar), calendar)


def is_record_distribution_on_time(
    held_on: date, distributed_on: date | None, calendar: WorkingCalendar
) -> bool | None:
    return _in_time(distributed_on, record_distribution_due(held_on, calendar), calendar)


def is_first_core_group_on_time(
    plan_started_on: date, first_held_on: date | None, calendar: WorkingCalendar
) -> bool | None:
    return _in_time(first_held_on, first_core_group_due(plan_started_on, calendar), calendar)


def _in_time(done_on: date | None, due_on: date, calendar: WorkingCalendar) -> bool | None:
    if done_on is None:
        return None
    return done_on < calendar.add_working_days(due_on, 1)


# The SQL forms: boolean annotations (NULL while not done), counted as working days from the
# start, no more than the timescale allows. The table must span the dates the rows hold.


def decision_letter_on_time_sql(held_on, sent_on, days: WorkingDayTable) -> LessThanOrEqual:
    """``is_decision_letter_on_time`` as an annotation."""
    return _within(days, held_on, sent_on, "decision_letter_working_days")


def record_distribution_on_time_sql(
    held_on, distributed_on, days: WorkingDayTable
) -> LessThanOrEqual:
    """``is_record_distribution_on_time`` as an annotation."""
    return _within(days, held_on, distributed_on, "record_distribution_working_days")


def first_core_group_on_time_sql(
    plan_started_on, first_held_on, days: WorkingDayTable
) -> LessThanOrEqual:
    """``is_first_core_group_on_time`` as an annotation."""
    return _within(days, plan_started_on, first_held_on, "first_core_group_working_days")


def _within(days: WorkingDayTable, start, done, name: str) -> LessThanOrEqual:
    return LessThanOrEqual(days.working_days_between(start, done), Value(timescale(name)))
