"""Plans from finalised decisions: start, review, end, repeat, adjournment, transfers."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from accounts.models import Role
from conferences.choices import ConferenceStatus, Decision, PlanEndReason, Stage
from conferences.models import ChildProtectionPlan, Conference
from conferences.record.services import (
    DecisionData,
    RecordData,
    finalise_record,
    record_transfer_out,
    save_record,
    start_record,
)
from config.services import Refused
from rules.categories import finalised_decisions, initial_category, latest_category
from rules.plans import ended_at_first_review, is_repeat_plan, previous_plan_count, review_dates
from tests.factories import ChildFactory, UserFactory, VenueFactory, at, make_conference

pytestmark = pytest.mark.django_db
START = date(2025, 1, 6)  # a Monday


@pytest.fixture
def chair():
    return UserFactory(roles=[Role.IRO])


def hold(chair, child, stage, day, *, decision, categories=("NEG",), end_reason="", reason=""):
    """Book, hold and finalise a conference for one child, returning the conference."""
    conference = make_conference(
        children_stages=[(child, stage)],
        chair=chair,
        starts_at=at(day),
        venue=VenueFactory(name="Hall"),
    )
    record = start_record(actor=conference.chair, conference=conference)
    place = conference.attendees.get()
    with time_machine.travel(at(day + timedelta(days=1)), tick=False):
        save_record(
            actor=chair,
            record=record,
            expected_version=record.version,
            data=RecordData(
                decisions=[
                    DecisionData(
                        place_id=place.pk,
                        decision=decision,
                        categories=list(categories),
                        multiple_categories_reason=reason,
                        end_reason=end_reason,
                    )
                ]
            ),
        )
        record.refresh_from_db()
        finalise_record(actor=chair, record=record, expected_version=record.version)
    return conference


def test_a_plan_runs_from_initial_through_reviews_to_its_end(chair):
    child = ChildFactory(strategy_discussion_on=START - timedelta(days=10))
    hold(chair, child, Stage.INITIAL, START, decision=Decision.PLAN)
    plan = child.plans.get()
    assert (plan.started_on, plan.ended_on, plan.categories) == (START, None, ["NEG"])

    hold(
        chair,
        child,
        Stage.FIRST_REVIEW,
        date(2025, 4, 3),
        decision=Decision.PLAN_CONTINUES,
        categories=("NEG", "EMO"),
        reason="Emotional harm from the parents' conflict",
    )
    hold(
        chair,
        child,
        Stage.REVIEW,
        date(2025, 10, 2),
        decision=Decision.PLAN_ENDS,
        categories=(),
        end_reason=PlanEndReason.NO_LONGER_AT_RISK,
    )

    plan.refresh_from_db()
    assert plan.ended_on == date(2025, 10, 2)
    assert plan.end_reason == PlanEndReason.NO_LONGER_AT_RISK
    decisions = finalised_decisions([child.pk])[child.pk]
    assert (initial_category(plan, decisions), latest_category(plan, decisions)) == ("NEG", "MUL")
    assert review_dates(plan, decisions) == [date(2025, 4, 3), date(2025, 10, 2)]
    assert not ended_at_first_review(plan, decisions)
    assert not is_repeat_plan(plan, child=child, plans=child.plans.all())


def test_a_second_plan_is_a_repeat_and_one_ending_at_first_review_is_counted(chair):
    child = ChildFactory(
        strategy_discussion_on=START - timedelta(days=10), previous_plans_elsewhere=1
    )
    hold(chair, child, Stage.INITIAL, START, decision=Decision.PLAN)
    hold(
        chair,
        child,
        Stage.FIRST_REVIEW,
        date(2025, 4, 3),
        decision=Decision.PLAN_ENDS,
        categories=(),
        end_reason=PlanEndReason.NO_LONGER_AT_RISK,
    )
    first = child.plans.get()
    assert ended_at_first_review(first, finalised_decisions([child.pk])[child.pk])
    # The one recorded from before Convene.
    assert previous_plan_count(first, child=child, plans=child.plans.all()) == 1

    child.strategy_discussion_on = date(2025, 6, 2)
    child.save()
    hold(
        chair, child, Stage.INITIAL, date(2025, 6, 16), decision=Decision.PLAN, categories=("PHY",)
    )
    second = child.plans.get(ended_on__isnull=True)
    assert previous_plan_count(second, child=child, plans=child.plans.all()) == 2
    assert is_repeat_plan(second, child=child, plans=child.plans.all())


def test_an_inquorate_initial_is_adjourned_and_the_reconvened_conference_booked(chair):
    child = ChildFactory(strategy_discussion_on=START - timedelta(days=10))
    hold(chair, child, Stage.INITIAL, START, decision=Decision.ADJOURNED_INQUORATE, categories=())
    assert not child.plans.exists()
    reconvened = Conference.objects.get(status=ConferenceStatus.BOOKED)
    place = reconvened.attendees.get()
    assert place.stage == Stage.RECONVENED
    assert reconvened.held_on == date(2025, 1, 20)  # 10 working days after Monday 6 January

    with time_machine.travel(at(date(2025, 1, 21)), tick=False):
        record = start_record(actor=reconvened.chair, conference=reconvened)
        save_record(
            actor=chair,
            record=record,
            expected_version=record.version,
            data=RecordData(
                decisions=[
                    DecisionData(place_id=place.pk, decision=Decision.PLAN, categories=["NEG"])
                ]
            ),
        )
        record.refresh_from_db()
        finalise_record(actor=chair, record=record, expected_version=record.version)
    assert child.plans.get().started_on == date(2025, 1, 20)


def test_a_transfer_in_starts_a_plan_at_the_receiving_in_conference(chair):
    child = ChildFactory(
        transfer_notified_on=START - timedelta(days=7), strategy_discussion_on=None
    )
    hold(chair, child, Stage.RECEIVING_IN, START, decision=Decision.PLAN)
    assert child.plans.get().started_on == START


def test_a_transfer_out_ends_the_plan_at_the_receiving_authoritys_conference(chair):
    child = ChildFactory(strategy_discussion_on=START - timedelta(days=10))
    hold(chair, child, Stage.INITIAL, START, decision=Decision.PLAN)
    plan = record_transfer_out(actor=chair, child=child, receiving_conference_on=date(2025, 3, 12))
    assert (plan.ended_on, plan.end_reason) == (date(2025, 3, 12), PlanEndReason.MOVED_AWAY)


def test_finalising_without_a_decision_or_category_is_refused(chair):
    child = ChildFactory(strategy_discussion_on=START - timedelta(days=10))
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)], chair=chair, starts_at=at(START)
    )
    record = start_record(actor=conference.chair, conference=conference)
    with pytest.raises(Refused, match="Record a decision for"):
        finalise_record(actor=chair, record=record, expected_version=record.version)
    place = conference.attendees.get()
    save_record(
        actor=chair,
        record=record,
        expected_version=record.version,
        data=RecordData(decisions=[DecisionData(place_id=place.pk, decision=Decision.PLAN)]),
    )
    record.refresh_from_db()
    with pytest.raises(Refused, match="Choose the category of abuse"):
        finalise_record(actor=chair, record=record, expected_version=record.version)
    assert not child.plans.exists()


def test_ending_a_plan_that_is_not_open_is_refused(chair):
    child = ChildFactory()
    conference = make_conference(
        children_stages=[(child, Stage.REVIEW)], chair=chair, starts_at=at(START)
    )
    record = start_record(actor=conference.chair, conference=conference)
    save_record(
        actor=chair,
        record=record,
        expected_version=record.version,
        data=RecordData(
            decisions=[
                DecisionData(
                    place_id=conference.attendees.get().pk,
                    decision=Decision.PLAN_ENDS,
                    end_reason=PlanEndReason.NO_LONGER_AT_RISK,
                )
            ]
        ),
    )
    record.refresh_from_db()
    with pytest.raises(Refused, match="has no open plan to end"):
        finalise_record(actor=chair, record=record, expected_version=record.version)


def test_the_database_itself_refuses_two_open_plans_overlaps_and_same_day_ends():
    child = ChildFactory()
    ChildProtectionPlan.objects.create(
        child=child, started_on=date(2025, 1, 6), ended_on=date(2025, 6, 1)
    )
    for bad in (
        {"started_on": date(2025, 3, 1), "ended_on": date(2025, 9, 1)},  # overlaps
        {"started_on": date(2025, 7, 1), "ended_on": date(2025, 7, 1)},  # ends the day it starts
        {"started_on": date(2025, 8, 1), "ended_on": date(2025, 7, 1)},  # ends before it starts
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ChildProtectionPlan.objects.create(child=child, **bad)
    ChildProtectionPlan.objects.create(child=child, started_on=date(2025, 7, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildProtectionPlan.objects.create(child=child, started_on=date(2026, 1, 1))


def test_a_stillbirth_ends_the_plan_and_cancels_what_was_pending_for_the_child(chair):
    unborn = ChildFactory(
        date_of_birth=None,
        expected_date_of_birth=START + timedelta(days=60),
        strategy_discussion_on=START - timedelta(days=10),
    )
    hold(chair, unborn, Stage.PRE_BIRTH, START, decision=Decision.PLAN)
    pending = make_conference(
        children_stages=[(unborn, Stage.FIRST_REVIEW)], chair=chair, starts_at=at(date(2025, 4, 1))
    )
    hold(
        chair,
        unborn,
        Stage.FIRST_REVIEW,
        date(2025, 3, 3),
        decision=Decision.PLAN_ENDS,
        categories=(),
        end_reason=PlanEndReason.STILLBIRTH,
    )
    unborn.refresh_from_db()
    pending.refresh_from_db()
    assert unborn.sensitive_end_on == date(2025, 3, 3)
    assert pending.status == ConferenceStatus.CANCELLED
    assert not pending.attendees.exists()
