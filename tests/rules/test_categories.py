"""A plan's initial and latest category: the Python rule and its SQL twin give the same answer
on the same records, and that answer is the one a person reading the record would give."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.choices import ConferenceStatus, Stage
from conferences.models import (
    ChildDecision,
    ChildProtectionPlan,
    ConferenceRecord,
    PlanCategorySpan,
)
from conferences.record.models import RecordStatus
from rules.categories import (
    finalised_decisions,
    initial_category,
    initial_category_sql,
    latest_category,
    latest_category_sql,
)
from tests.factories import ChildFactory, PlanFactory, at, make_conference

pytestmark = pytest.mark.django_db

# Before the reviews, after the first, after the second, after everything, and as things stand.
DAYS = [date(2014, 5, 31), date(2014, 8, 31), date(2014, 12, 31), date(2015, 3, 31), None]


def _conference(chair, child, when, stage, categories=(), status=RecordStatus.FINALISED):
    conference = make_conference(
        children_stages=[(child, stage)],
        chair=chair,
        starts_at=when if isinstance(when, datetime) else at(when),
        status=ConferenceStatus.HELD,
    )
    record = ConferenceRecord.objects.create(conference=conference, status=status)
    ChildDecision.objects.create(
        record=record, place=conference.attendees.get(), categories=list(categories)
    )


@pytest.fixture
def plans(iro):
    """Plans by what the records say about their category."""
    decided = ChildFactory()
    PlanFactory(child=decided, started_on=date(2014, 4, 7), categories=["NEG"])
    _conference(iro, decided, date(2014, 4, 7), Stage.INITIAL, ["NEG"])

    changed = ChildFactory()
    PlanFactory(child=changed, started_on=date(2014, 4, 8), categories=["NEG"])
    _conference(iro, changed, date(2014, 4, 8), Stage.INITIAL, ["NEG"])
    _conference(iro, changed, date(2014, 7, 8), Stage.FIRST_REVIEW, ["NEG", "EMO"])
    _conference(iro, changed, date(2014, 10, 8), Stage.REVIEW, ["PHY"])
    # A draft sets nothing.
    _conference(iro, changed, date(2015, 1, 8), Stage.REVIEW, ["SAB"], RecordStatus.DRAFT)

    imported = ChildFactory()
    PlanFactory(
        child=imported,
        started_on=date(2013, 9, 2),
        categories=[],
        imported_initial_category="NEG",
        imported_latest_category="MUL",
    )

    imported_then_reviewed = ChildFactory()
    PlanFactory(
        child=imported_then_reviewed,
        started_on=date(2013, 11, 4),
        categories=[],
        imported_initial_category="PHY",
        imported_latest_category="MUL",
    )
    _conference(iro, imported_then_reviewed, date(2014, 9, 1), Stage.REVIEW, ["EMO"])

    uncategorised = ChildFactory()
    PlanFactory(child=uncategorised, started_on=date(2014, 4, 9), categories=[])

    # Held at 00:30 BST on the plan's first day (the day before in UTC): the day in England
    # counts.
    late_night = ChildFactory()
    PlanFactory(child=late_night, started_on=date(2014, 4, 10), categories=[])
    _conference(iro, late_night, at(date(2014, 4, 10), hour=0, minute=30), Stage.INITIAL, ["SAB"])

    # A second plan starts the day the first ended at a review: the review belongs to the plan
    # that ended, the initial conference to the plan that started, whichever came first.
    again = ChildFactory()
    PlanFactory(
        child=again, started_on=date(2013, 6, 3), ended_on=date(2014, 6, 2), categories=["SAB"]
    )
    PlanFactory(child=again, started_on=date(2014, 6, 2), categories=["EMO", "PHY"])
    _conference(iro, again, date(2013, 6, 3), Stage.INITIAL, ["SAB"])
    _conference(iro, again, at(date(2014, 6, 2), hour=9), Stage.REVIEW, ["NEG"])
    _conference(iro, again, at(date(2014, 6, 2), hour=11), Stage.INITIAL, ["EMO", "PHY"])
    _conference(iro, again, date(2014, 11, 3), Stage.REVIEW, ["EMO"])
    turned = ChildFactory()
    PlanFactory(
        child=turned, started_on=date(2013, 7, 1), ended_on=date(2014, 7, 7), categories=["NEG"]
    )
    PlanFactory(child=turned, started_on=date(2014, 7, 7), categories=["EMO"])
    _conference(iro, turned, date(2013, 7, 1), Stage.INITIAL, ["NEG"])
    _conference(iro, turned, at(date(2014, 7, 7), hour=9), Stage.INITIAL, ["EMO"])
    _conference(iro, turned, at(date(2014, 7, 7), hour=11), Stage.REVIEW, ["PHY"])

    return {
        "decided": decided,
        "changed": changed,
        "imported": imported,
        "imported_then_reviewed": imported_then_reviewed,
        "uncategorised": uncategorised,
        "late_night": late_night,
        "again": again,
        "turned": turned,
    }


def _python(day):
    found = list(ChildProtectionPlan.objects.all())
    decisions = finalised_decisions({plan.child_id for plan in found})
    return {
        plan.pk: (
            initial_category(plan, decisions[plan.child_id]),
            latest_category(plan, decisions[plan.child_id], on=day),
        )
        for plan in found
    }


def _sql(day):
    found = ChildProtectionPlan.objects.annotate(
        initial=initial_category_sql(), latest=latest_category_sql(day)
    )
    return {
        pk: (initial, latest)
        for pk, initial, latest in found.values_list("pk", "initial", "latest")
    }


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_sql_categories_agree_with_the_python_rule(plans, day):
    assert _sql(day) == _python(day)


def _by_child(found: dict, child) -> list[tuple[str, str]]:
    return [found[plan.pk] for plan in child.plans.order_by("started_on")]


@pytest.mark.parametrize("form", [_python, _sql], ids=["python", "sql"])
def test_each_plan_has_the_category_its_record_shows(plans, form):
    early, late, now = form(date(2014, 5, 31)), form(date(2014, 12, 31)), form(None)
    assert _by_child(now, plans["decided"]) == [("NEG", "NEG")]
    assert _by_child(early, plans["changed"]) == [("NEG", "NEG")]
    assert _by_child(form(date(2014, 8, 31)), plans["changed"]) == [("NEG", "MUL")]
    assert _by_child(now, plans["changed"]) == [("NEG", "PHY")]
    assert _by_child(now, plans["imported"]) == [("NEG", "MUL")]
    assert _by_child(early, plans["imported_then_reviewed"]) == [("PHY", "MUL")]
    assert _by_child(late, plans["imported_then_reviewed"]) == [("PHY", "EMO")]
    assert _by_child(now, plans["uncategorised"]) == [("", "")]
    assert _by_child(now, plans["late_night"]) == [("SAB", "SAB")]
    assert _by_child(early, plans["again"]) == [("SAB", "SAB"), ("MUL", "MUL")]
    assert _by_child(now, plans["again"]) == [("SAB", "NEG"), ("MUL", "EMO")]
    assert _by_child(now, plans["turned"]) == [("NEG", "PHY"), ("EMO", "EMO")]


def test_the_sql_latest_category_is_read_from_the_spans_the_database_keeps(plans):
    """The SQL form reads conferences_plancategoryspan (kept by triggers, and held to a fresh
    recompute in test_category_spans): what the spans say is what it answers."""
    plan = plans["changed"].plans.get()
    assert _sql(date(2014, 8, 31))[plan.pk] == ("NEG", "MUL")
    PlanCategorySpan.objects.filter(plan=plan, valid_from=date(2014, 7, 8)).update(category="SAB")
    assert _sql(date(2014, 8, 31))[plan.pk] == ("NEG", "SAB")


def test_the_sql_categories_take_one_query_whatever_the_number_of_plans(plans):
    with CaptureQueriesContext(connection) as captured:
        found = _sql(None)
    assert len(found) == ChildProtectionPlan.objects.count()
    assert len(captured) == 1


def test_the_python_rule_reads_every_childs_decisions_in_one_query(plans):
    children = [child.pk for child in plans.values()]
    with CaptureQueriesContext(connection) as captured:
        found = finalised_decisions(children)
    assert len(captured) == 1
    assert [len(found[child.pk]) for child in (plans["changed"], plans["again"])] == [3, 4]


def test_a_changed_category_rule_never_meets_a_table_counted_under_the_old_one(monkeypatch):
    import rules.categories
    from reporting.figures.base import CODE_VERSION, _code_version

    rule = Path(rules.categories.__file__).resolve()
    read_bytes = Path.read_bytes

    def edited(path):
        return read_bytes(path) + (b"# edited" if path.resolve() == rule else b"")

    assert _code_version() == CODE_VERSION
    monkeypatch.setattr(Path, "read_bytes", edited)
    assert _code_version() != CODE_VERSION
