"""IRO challenges: a three-level escalation chain, bad input, and the tray."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from conferences.challenges import services
from conferences.models import ChallengeReason
from config.services import Refused
from tests.factories import LocalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(iro):
    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):
        return services.raise_challenge(
            actor=iro,
            level=1,
            reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
            detail="Plan objectives not progressed",
            raised_on=date(2026, 11, 16),
            raised_with_team=LocalityFactory(name="Hinckley"),
        )


def test_a_challenge_escalates_through_three_levels_each_linked_to_the_last(iro, challenge):
    second = services.escalate_challenge(
        actor=iro, challenge=challenge, on=date(2026, 11, 18), detail="No reply"
    )
    third = services.escalate_challenge(
        actor=iro, challenge=second, on=date(2026, 11, 20), detail="Still drifting"
    )
    assert [step.level for step in services.chain(third)] == [1, 2, 3]
    assert services.chain(challenge) == [challenge, second, third]
    assert third.response_due_on == date(2026, 11, 27)  # 5 working days


def test_a_response_before_the_challenge_was_raised_is_refused(iro, challenge):
    with pytest.raises(Refused, match="before the challenge was raised"):
        services.record_response(
            actor=iro,
            challenge=challenge,
            response="R",
            responded_on=date(2026, 11, 1),
            outcome="",
            resolved=False,
            expected_version=challenge.version,
        )


def test_a_resolved_challenge_cannot_be_escalated(iro, challenge):
    services.record_response(
        actor=iro,
        challenge=challenge,
        response="Agreed",
        responded_on=date(2026, 11, 17),
        outcome="Plan updated",
        resolved=True,
        expected_version=challenge.version,
    )
    with pytest.raises(Refused, match="A resolved challenge cannot be escalated"):
        services.escalate_challenge(
            actor=iro, challenge=challenge, on=date(2026, 11, 18), detail="x"
        )


def test_the_raising_iro_and_managers_see_it_in_the_tray(iro_client, manager_client, challenge):
    for client in (iro_client, manager_client):
        body = client.get(reverse("conferences:challenge_tray")).content.decode()
        assert str(challenge) in body


def test_the_challenge_tray_keeps_a_constant_number_of_queries(
    iro, manager_client, assert_constant_queries
):
    reason = ChallengeReason.objects.get_or_create(label="Drift")[0]
    team = LocalityFactory(name="Melton")

    def add():
        for _ in range(3):
            step = services.raise_challenge(
                actor=iro,
                level=1,
                reason=reason,
                detail="Drift",
                raised_on=date(2026, 11, 16),
                raised_with_team=team,
            )
            services.escalate_challenge(
                actor=iro, challenge=step, on=date(2026, 11, 17), detail="x"
            )

    assert_constant_queries(manager_client, reverse("conferences:challenge_tray"), add)
    awaiting = manager_client.get(reverse("conferences:challenge_tray")).context["awaiting"]
    assert {step.level for step in awaiting} == {2}  # escalated first steps no longer wait


def test_an_unanswered_step_past_its_due_date_reminds_the_raising_iro_once(iro, challenge):
    from conferences import sweeps
    from notifications.models import Notification

    assert challenge.response_due_on == date(2026, 11, 23)
    assert sweeps.challenge_responses_overdue(today=date(2026, 11, 23)) == 0  # due today
    assert sweeps.challenge_responses_overdue(today=date(2026, 11, 24)) == 1
    assert sweeps.challenge_responses_overdue(today=date(2026, 11, 25)) == 0  # already queued
    reminder = Notification.objects.get(kind="challenge_response_overdue")
    assert reminder.recipient_email == iro.email
    assert f"H{challenge.pk:06d}" in reminder.body


def test_no_reminder_once_a_step_is_answered_or_escalated(iro, challenge):
    from conferences import sweeps

    services.escalate_challenge(actor=iro, challenge=challenge, on=date(2026, 11, 18), detail="x")
    # The escalated step is closed; the new step is due 25 November.
    assert sweeps.challenge_responses_overdue(today=date(2026, 11, 24)) == 0
