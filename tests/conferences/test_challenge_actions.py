"""Each action on a challenge has its own address and view: the challenge page only shows."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from conferences.challenges import services
from conferences.models import Challenge, ChallengeReason
from config.concurrency import EDIT_CONFLICT
from tests.factories import LocalityFactory

pytestmark = pytest.mark.django_db
ON_THE_DAY = time_machine.travel("2026-11-20 09:00 +0000", tick=False)


@pytest.fixture
def challenge(iro):
    with ON_THE_DAY:
        return services.raise_challenge(
            actor=iro,
            level=1,
            reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
            detail="Plan objectives not progressed",
            raised_on=date(2026, 11, 16),
            raised_with_team=LocalityFactory(name="Hinckley"),
        )


def _url(name: str, challenge) -> str:
    return reverse(f"conferences:{name}", args=[challenge.pk])


def test_the_challenge_page_posts_each_form_to_its_own_address(iro_client, challenge):
    page = iro_client.get(_url("challenge_detail", challenge)).content.decode()

    assert f'action="{_url("challenge_respond", challenge)}"' in page
    assert f'action="{_url("challenge_escalate", challenge)}"' in page
    assert 'name="action"' not in page


def test_the_challenge_page_itself_takes_no_post(iro_client, challenge):
    response = iro_client.post(_url("challenge_detail", challenge), {"action": "escalate"})

    assert response.status_code == 405


@ON_THE_DAY
def test_the_response_is_recorded_through_its_own_address(iro_client, challenge):
    response = iro_client.post(
        _url("challenge_respond", challenge),
        {
            "response": "Plan reviewed",
            "responded_on_0": 18,
            "responded_on_1": 11,
            "responded_on_2": 2026,
            "version": challenge.version,
        },
    )

    assert response["Location"] == _url("challenge_detail", challenge)
    challenge.refresh_from_db()
    assert (challenge.response, challenge.responded_on) == ("Plan reviewed", date(2026, 11, 18))


@ON_THE_DAY
def test_an_escalation_goes_to_the_next_step_through_its_own_address(iro_client, challenge):
    response = iro_client.post(
        _url("challenge_escalate", challenge),
        {"on_0": 19, "on_1": 11, "on_2": 2026, "detail": "No reply"},
    )

    step = Challenge.objects.get(level=2)
    assert response["Location"] == _url("challenge_detail", step)
    challenge.refresh_from_db()
    assert challenge.is_escalated


@ON_THE_DAY
def test_a_refused_response_is_shown_on_the_challenge_page(iro_client, challenge):
    response = iro_client.post(
        _url("challenge_respond", challenge),
        {
            "response": "Too early",
            "responded_on_0": 1,
            "responded_on_1": 11,
            "responded_on_2": 2026,
            "version": challenge.version,
        },
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.responded_on is None


def test_a_stale_response_is_a_conflict(iro_client, challenge):
    response = iro_client.post(
        _url("challenge_respond", challenge),
        {
            "response": "Plan reviewed",
            "responded_on_0": 18,
            "responded_on_1": 11,
            "responded_on_2": 2026,
            "version": challenge.version - 1,
        },
    )

    assert response.status_code == 409
    assert EDIT_CONFLICT in response.content.decode()
