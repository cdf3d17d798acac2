"""A plan's previous plans, repeat, reviews and end at the first review: the Python rules and
their SQL twins give the same answer on the same records, and that answer is the one a person
reading the record would give."""

from collections import defaultdict
from datetime import date, datetime

import pytest
from django.db.models import BooleanField, ExpressionWrapper

from conferences.choices import ConferenceStatus, Decision, Stage
from conferences.models import ChildDecision, ChildProtectionPlan, ConferenceRecord
from conferences.record.models import RecordStatus
from rules.categories import finalised_decisions
from rules.plans import (
    ended_at_first_review,
    ended_at_first_review_sql,
    is_repeat_plan,
    is_repeat_plan_sql,
    latest_review_sql,
    previous_plan_count,
    previous_plan_count_sql,
    review_dates,
)
from tests.factories import ChildFactory, PlanFactory, at, make_conference

pytestmark = pytest.mark.django_db

# Before the first reviews, after them, after the later ones, after everything, and as things
# stand.
DAYS = [date(2014, 5, 31), date(2014, 8, 31), date(2014, 12, 31), date(2015, 3, 31), None]


def _conference(chair, child, when, stage, decision, status=RecordStatus.FINALISED):
    conference = make_conference(
        children_stages=[(child, stage)],
        chair=chair,
        starts_at=when if isinstance(when, datetime) else at(when),
        status=ConferenceStatus.HELD,
    )
    record = ConferenceRecord.objects.create(conference=conference, status=status)
    ChildDecision.objects.create(record=record, place=conference.attendees.get(), decision=decision)


@pytest.fixture
def plans(iro):
    """Children by what their records say about their plans."""
    open_plan = ChildFactory()
    PlanFactory(child=open_plan, started_on=date(2014, 4, 7))
    _conference(iro, open_plan, date(2014, 4, 7), Stage.INITIAL, Decision.PLAN)

    ended_at_first = ChildFactory()
    PlanFactory(child=ended_at_first, started_on=date(2014, 4, 8), ended_on=date(2014, 7, 8))
    _conference(iro, ended_at_first, date(2014, 4, 8), Stage.INITIAL, Decision.PLAN)
    _conference(iro, ended_at_first, date(2014, 7, 8), Stage.FIRST_REVIEW, Decision.PLAN_ENDS)

    ended_later = ChildFactory()
    PlanFactory(child=ended_later, started_on=date(2014, 4, 9), ended_on=date(2015, 1, 9))
    _conference(iro, ended_later, date(2014, 4, 9), Stage.INITIAL, Decision.PLAN)
    _conference(iro, ended_later, date(2014, 7, 9), Stage.FIRST_REVIEW, Decision.PLAN_CONTINUES)
    _conference(iro, ended_later, date(2015, 1, 9), Stage.REVIEW, Decision.PLAN_ENDS)

    # A second plan starts the day the first ended at its first review: that review is the
    # first plan's, so the second has neither that review nor an end at a first review.
    again = ChildFactory()
    PlanFactory(child=again, started_on=date(2014, 3, 3), ended_on=date(2014, 6, 2))
    PlanFactory(child=again, started_on=date(2014, 6, 2), ended_on=date(2015, 3, 2))
    _conference(iro, again, date(2014, 3, 3), Stage.INITIAL, Decision.PLAN)
    _conference(iro, again, at(date(2014, 6, 2), hour=9), Stage.FIRST_REVIEW, Decision.PLAN_ENDS)
    _conference(iro, again, at(date(2014, 6, 2), hour=11), Stage.INITIAL, Decision.PLAN)
    _conference(iro, again, date(2014, 9, 1), Stage.FIRST_REVIEW, Decision.PLAN_CONTINUES)
    _conference(iro, again, date(2015, 3, 2), Stage.REVIEW, Decision.PLAN_ENDS)

    # Plans from before Convene, review dates from a census import, and a draft that counts
    # for nothing.
    imported = ChildFactory(previous_plans_elsewhere=2)
    PlanFactory(
        child=imported,
        started_on=date(2014, 5, 1),
        imported_review_dates=[date(2014, 8, 1), date(2015, 2, 1)],
    )
    _conference(iro, imported, date(2014, 11, 3), Stage.REVIEW, Decision.PLAN_CONTINUES)
    _conference(
        iro, imported, date(2015, 1, 5), Stage.REVIEW, Decision.PLAN_ENDS, RecordStatus.DRAFT
    )

    # Ended at a first review held at 00:30 BST on its last day (the day before in UTC).
    late_night = ChildFactory()
    PlanFactory(child=late_night, started_on=date(2014, 4, 10), ended_on=date(2014, 7, 10))
    _conference(
        iro,
        late_night,
        at(date(2014, 7, 10), hour=0, minute=30),
        Stage.FIRST_REVIEW,
        Decision.PLAN_ENDS,
    )
    return {
        "open_plan": open_plan,
        "ended_at_first": ended_at_first,
        "ended_later": ended_later,
        "again": again,
        "imported": imported,
        "late_night": late_night,
    }


def _python(day):
    found = list(ChildProtectionPlan.objects.select_related("child"))
    by_child = defaultdict(list)
    for plan in found:
        by_child[plan.child_id].append(plan)
    decisions = finalised_decisions(by_child)
    return {
        plan.pk: (
            previous_plan_count(plan, child=plan.child, plans=by_child[plan.child_id]),
            is_repeat_plan(plan, child=plan.child, plans=by_child[plan.child_id]),
            ended_at_first_review(plan, decisions[plan.child_id]),
            max(review_dates(plan, decisions[plan.child_id], on=day), default=None),
        )
        for plan in found
    }


def _sql(day):
    found = ChildProtectionPlan.objects.annotate(
        previous=previous_plan_count_sql(),
        repeat=ExpressionWrapper(is_repeat_plan_sql(), output_field=BooleanField()),
        first_review=ended_at_first_review_sql(),
        latest_review=latest_review_sql(day),
    )
    columns = ("pk", "previous", "repeat", "first_review", "latest_review")
    return {pk: tuple(facts) for pk, *facts in found.values_list(*columns)}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_sql_plan_facts_agree_with_the_python_rules(plans, day):
    assert _sql(day) == _python(day)


def _by_child(found: dict, child) -> list[tuple]:
    return [found[plan.pk] for plan in child.plans.order_by("started_on")]


@pytest.mark.parametrize("form", [_python, _sql], ids=["python", "sql"])
def test_each_plan_has_the_facts_its_record_shows(plans, form):
    now = form(None)
    # (previous plans, repeat, ended at first review, latest review)
    assert _by_child(now, plans["open_plan"]) == [(0, False, False, None)]
    assert _by_child(now, plans["ended_at_first"]) == [(0, False, True, date(2014, 7, 8))]
    assert _by_child(now, plans["ended_later"]) == [(0, False, False, date(2015, 1, 9))]
    assert _by_child(form(date(2014, 12, 31)), plans["ended_later"]) == [
        (0, False, False, date(2014, 7, 9))
    ]
    assert _by_child(now, plans["again"]) == [
        (0, False, True, date(2014, 6, 2)),
        (1, True, False, date(2015, 3, 2)),
    ]
    assert _by_child(form(date(2014, 8, 31)), plans["again"]) == [
        (0, False, True, date(2014, 6, 2)),
        (1, True, False, None),
    ]
    assert _by_child(now, plans["imported"]) == [(2, True, False, date(2015, 2, 1))]
    assert _by_child(form(date(2014, 12, 31)), plans["imported"]) == [
        (2, True, False, date(2014, 11, 3))
    ]
    assert _by_child(now, plans["late_night"]) == [(0, False, True, date(2014, 7, 10))]


def test_the_review_dates_are_the_plans_own_signed_off_and_imported_reviews(plans):
    child = plans["imported"]
    plan = child.plans.get()
    decisions = finalised_decisions([child.pk])[child.pk]
    assert review_dates(plan, decisions) == [date(2014, 8, 1), date(2014, 11, 3), date(2015, 2, 1)]
    assert review_dates(plan, decisions, on=date(2014, 12, 31)) == [
        date(2014, 8, 1),
        date(2014, 11, 3),
    ]
    second = plans["again"].plans.get(started_on=date(2014, 6, 2))
    decisions = finalised_decisions([plans["again"].pk])[plans["again"].pk]
    assert review_dates(second, decisions) == [date(2014, 9, 1), date(2015, 3, 2)]
