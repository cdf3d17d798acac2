"""Facts about a child protection plan: previous plans (a repeat plan), its review conferences,
and whether it ended at its first review.

Each rule is here twice, side by side: in Python, for plans in hand (the child's page, the
census), and in SQL, as an annotation on ChildProtectionPlan rows (the figures and their
drill-down, Annex A). tests/rules/test_plans.py holds the two to the same answer on the same
records; nothing else works these out.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from conferences.choices import REVIEW_STAGES, Decision, Stage
from conferences.models import Child, ChildProtectionPlan
from rules.categories import Decided, signed_off_decisions

# "No end": a plan still open, or a question asked of today's records.
_NO_END = date.max


def previous_plan_count(
    plan: ChildProtectionPlan, *, child: Child, plans: Iterable[ChildProtectionPlan]
) -> int:
    """Plans before this one: the child's plans in Convene that started earlier, plus those
    recorded from before Convene or in another authority. ``plans``: the child's."""
    earlier = sum(1 for other in plans if other.started_on < plan.started_on)
    return earlier + child.previous_plans_elsewhere


def is_repeat_plan(
    plan: ChildProtectionPlan, *, child: Child, plans: Iterable[ChildProtectionPlan]
) -> bool:
    """A second or later plan (reference report 5.1.3)."""
    return previous_plan_count(plan, child=child, plans=plans) > 0


def review_dates(
    plan: ChildProtectionPlan, decisions: Sequence[Decided], *, on: date | None = None
) -> list[date]:
    """The days of the plan's review conferences, as at the end of ``on`` (or as the records
    stand, for None), oldest first: signed-off decisions at a review stage, and the review
    dates a census import recorded, after the plan's first day (a review that day ended the
    child's last plan) up to its last.

    ``decisions``: the child's (``rules.categories.finalised_decisions``)."""
    last_day = min(plan.ended_on or _NO_END, on or _NO_END)
    held = {d.held_on for d in decisions if d.stage in REVIEW_STAGES}
    return sorted(
        day for day in held | set(plan.imported_review_dates) if plan.started_on < day <= last_day
    )


def ended_at_first_review(plan: ChildProtectionPlan, decisions: Sequence[Decided]) -> bool:
    """The plan was ended by the signed-off decision of a first review held the day it ended.

    ``decisions``: the child's (``rules.categories.finalised_decisions``)."""
    return plan.ended_on is not None and any(
        d.held_on == plan.ended_on
        and d.stage == Stage.FIRST_REVIEW
        and d.decision == Decision.PLAN_ENDS
        for d in decisions
    )


# The SQL forms: annotations on ChildProtectionPlan rows, one expression per plan and no query
# per row, so a figure still counts in one query.


def _earlier_plans():
    return ChildProtectionPlan.objects.filter(
        child=OuterRef("child_id"), started_on__lt=OuterRef("started_on")
    )


def previous_plan_count_sql() -> Coalesce:
    """``previous_plan_count`` as an annotation on ChildProtectionPlan rows."""
    earlier = _earlier_plans().order_by().values("child").annotate(count=Count("pk"))
    counted = Subquery(earlier.values("count"), output_field=IntegerField())
    return Coalesce(counted, 0) + F("child__previous_plans_elsewhere")


def is_repeat_plan_sql() -> Q:
    """``is_repeat_plan`` as a filter on ChildProtectionPlan rows."""
    return Q(Exists(_earlier_plans())) | Q(child__previous_plans_elsewhere__gt=0)


def latest_review_sql(on: date | None = None) -> Greatest:
    """The last of ``review_dates(plan, decisions, on=on)`` as an annotation on
    ChildProtectionPlan rows; NULL for none."""
    held = (
        signed_off_decisions()
        .filter(
            place__child=OuterRef("child_id"),
            place__stage__in=REVIEW_STAGES,
            held_on__gt=OuterRef("started_on"),
            held_on__lte=_last_day(on, OuterRef),
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    # PostgreSQL's GREATEST ignores NULLs: whichever of the two dates there is.
    return Greatest(
        Subquery(held, output_field=_DATE),
        _LatestDateWithin(F("imported_review_dates"), F("started_on"), _last_day(on, F)),
        output_field=_DATE,
    )


def ended_at_first_review_sql() -> Exists:
    """``ended_at_first_review`` as a filter on ChildProtectionPlan rows."""
    return Exists(
        signed_off_decisions().filter(
            place__child=OuterRef("child_id"),
            place__stage=Stage.FIRST_REVIEW,
            held_on=OuterRef("ended_on"),
            decision=Decision.PLAN_ENDS,
        )
    )


_DATE = DateField()


def _last_day(on: date | None, plan):
    """The plan's last day as at ``on``: its end, or ``on`` if that is sooner. ``plan`` is
    OuterRef from a subquery, F from the plan's own query."""
    ended_on = Coalesce(plan("ended_on"), Value(_NO_END), output_field=_DATE)
    return Least(ended_on, Value(on or _NO_END), output_field=_DATE)


class _LatestDateWithin(Func):
    """The latest date in a date array after ``after`` and up to ``last``; NULL if none is."""

    output_field = DateField()

    def __init__(self, dates, after, last):
        super().__init__(dates, after, last)

    def as_sql(self, compiler, connection, **extra):
        (dates, dates_params), (after, after_params), (last, last_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        within = f"d > {after} AND d <= {last}"
        sql = f"(SELECT max(d) FROM unnest({dates}) AS d WHERE {within})"  # noqa: S608
        return sql, (*dates_params, *after_params, *last_params)
