"""Whether the decision letter, the record and the first core group came in time: the Python
rule and its SQL twin give the same answer on the same records, and that answer is the one a
person counting working days on a calendar would give."""

from datetime import date

import pytest
from django.db.models import F, OuterRef, Subquery

from conferences.choices import ConferenceStatus, Stage
from conferences.models import ChildProtectionPlan, ClosureDay, ConferenceRecord
from conferences.plans.models import CoreGroupMeeting
from conferences.record.models import RecordStatus
from reporting.figures.sql import local_date
from rules.timescales import (
    decision_letter_on_time_sql,
    first_core_group_on_time_sql,
    is_decision_letter_on_time,
    is_first_core_group_on_time,
    is_record_distribution_on_time,
    record_distribution_on_time_sql,
)
from rules.working_days import WorkingDayTable, working_calendar
from tests.factories import ChildFactory, PlanFactory, at, make_conference

pytestmark = pytest.mark.django_db

# Wide enough for every date below.
TABLE_FROM, TABLE_TO = date(2014, 6, 1), date(2015, 3, 31)


@pytest.fixture
def closed_on_29_december(db):
    ClosureDay.objects.create(day=date(2014, 12, 29), description="Council closed")


def _record(chair, held_at, *, letter=None, record=None):
    conference = make_conference(
        children_stages=[(ChildFactory(), Stage.REVIEW)],
        chair=chair,
        starts_at=held_at,
        status=ConferenceStatus.HELD,
    )
    return ConferenceRecord.objects.create(
        conference=conference,
        status=RecordStatus.FINALISED,
        decision_letter_sent_on=letter,
        record_distributed_on=record,
    )


@pytest.fixture
def records(iro, closed_on_29_december):
    """Records by when their letter and record went out. Thursday 18 December 2014: the letter
    is due on Friday 19th. Wednesday 3 December 2014: the record is due on Christmas Eve, and
    the next working day is Tuesday 30th (bank holidays, a weekend, then the closure day)."""
    thursday, wednesday = at(date(2014, 12, 18)), at(date(2014, 12, 3))
    return {
        "on_the_due_day": _record(iro, thursday, letter=date(2014, 12, 19)),
        "the_saturday_after": _record(iro, thursday, letter=date(2014, 12, 20)),
        "the_next_working_day": _record(iro, thursday, letter=date(2014, 12, 22)),
        "on_the_day_held": _record(iro, thursday, letter=date(2014, 12, 18)),
        "not_sent": _record(iro, thursday),
        "record_by_christmas_eve": _record(iro, wednesday, record=date(2014, 12, 24)),
        "record_on_the_closure_day": _record(iro, wednesday, record=date(2014, 12, 29)),
        "record_after_the_closure_day": _record(iro, wednesday, record=date(2014, 12, 30)),
        # 00:30 BST on Thursday 17 July 2014 is Wednesday in UTC: the day in England counts.
        "just_after_midnight": _record(
            iro, at(date(2014, 7, 17), hour=0, minute=30), letter=date(2014, 7, 18)
        ),
    }


def _core_group(plan, held_on, iro):
    CoreGroupMeeting.objects.create(
        child=plan.child, plan=plan, held_on=held_on, attendees="Social worker", recorded_by=iro
    )


@pytest.fixture
def plans(iro, closed_on_29_december):
    """Plans by when their first core group met. Started on Wednesday 10 December 2014, the
    first core group is due on Christmas Eve."""
    started_on = date(2014, 12, 10)
    found = {}
    for name, held_on in [
        ("by_christmas_eve", [date(2014, 12, 24)]),
        ("over_christmas", [date(2014, 12, 27)]),
        ("on_the_closure_day", [date(2014, 12, 29)]),
        ("after_the_closure_day", [date(2014, 12, 30)]),
        ("late_then_early", [date(2014, 12, 30), date(2014, 12, 19)]),
        ("none_yet", []),
    ]:
        found[name] = PlanFactory(started_on=started_on)
        for day in held_on:
            _core_group(found[name], day, iro)
    return found


def _records_python():
    calendar = working_calendar()
    return {
        record.pk: (
            is_decision_letter_on_time(
                record.conference.held_on, record.decision_letter_sent_on, calendar
            ),
            is_record_distribution_on_time(
                record.conference.held_on, record.record_distributed_on, calendar
            ),
        )
        for record in ConferenceRecord.objects.select_related("conference")
    }


def _records_sql():
    days, held = WorkingDayTable(TABLE_FROM, TABLE_TO), local_date("conference__starts_at")
    found = ConferenceRecord.objects.annotate(
        letter=decision_letter_on_time_sql(held, F("decision_letter_sent_on"), days),
        record=record_distribution_on_time_sql(held, F("record_distributed_on"), days),
    )
    return {
        pk: (letter, record) for pk, letter, record in found.values_list("pk", "letter", "record")
    }


def _plans_python():
    calendar = working_calendar()
    return {
        plan.pk: is_first_core_group_on_time(
            plan.started_on,
            min((m.held_on for m in plan.core_groups.all()), default=None),
            calendar,
        )
        for plan in ChildProtectionPlan.objects.prefetch_related("core_groups")
    }


def _plans_sql():
    first = CoreGroupMeeting.objects.filter(plan=OuterRef("pk")).order_by("held_on")
    found = ChildProtectionPlan.objects.annotate(
        first_core_group=Subquery(first.values("held_on")[:1])
    ).annotate(
        on_time=first_core_group_on_time_sql(
            F("started_on"), F("first_core_group"), WorkingDayTable(TABLE_FROM, TABLE_TO)
        )
    )
    return dict(found.values_list("pk", "on_time"))


def test_the_sql_letter_and_record_rules_agree_with_the_python_rules(records):
    assert _records_sql() == _records_python()


def test_the_sql_first_core_group_rule_agrees_with_the_python_rule(plans):
    assert _plans_sql() == _plans_python()


@pytest.mark.parametrize("form", [_records_python, _records_sql], ids=["python", "sql"])
def test_a_letter_or_record_is_on_time_until_a_working_day_is_missed(records, form):
    found = form()
    letters = {name: found[record.pk][0] for name, record in records.items()}
    assert letters == {
        "on_the_due_day": True,
        "the_saturday_after": True,
        "the_next_working_day": False,
        "on_the_day_held": True,
        "not_sent": None,
        "record_by_christmas_eve": None,
        "record_on_the_closure_day": None,
        "record_after_the_closure_day": None,
        "just_after_midnight": True,
    }
    distributed = {
        name: found[records[name].pk][1]
        for name in (
            "record_by_christmas_eve",
            "record_on_the_closure_day",
            "record_after_the_closure_day",
            "not_sent",
        )
    }
    assert distributed == {
        "record_by_christmas_eve": True,
        "record_on_the_closure_day": True,
        "record_after_the_closure_day": False,
        "not_sent": None,
    }


@pytest.mark.parametrize("form", [_plans_python, _plans_sql], ids=["python", "sql"])
def test_a_first_core_group_is_on_time_until_a_working_day_is_missed(plans, form):
    found = form()
    assert {name: found[plan.pk] for name, plan in plans.items()} == {
        "by_christmas_eve": True,
        "over_christmas": True,
        "on_the_closure_day": True,
        "after_the_closure_day": False,
        # The first core group is the earliest, whatever order they were recorded in.
        "late_then_early": True,
        "none_yet": None,
    }
