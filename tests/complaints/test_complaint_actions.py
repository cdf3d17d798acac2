"""Each action on a complaint has its own address and view: the complaint page only shows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import ComplaintReason
from conferences.choices import ConferenceStatus, Stage
from tests.factories import ChildFactory, at, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(iro, clerk):
    held_on = timezone.localdate() - timedelta(days=20)
    conference = make_conference(
        children_stages=[(ChildFactory(first_name="Ruby"), Stage.INITIAL)],
        chair=iro,
        starts_at=at(held_on),
        status=ConferenceStatus.HELD,
    )
    return services.log_complaint(
        actor=clerk,
        conference=conference,
        child=conference.attendees.get().child,
        complainant="parent",
        complainant_name="Dana Hartley",
        received_on=held_on + timedelta(days=1),
        reason=ComplaintReason.objects.get_or_create(label="Process")[0],
    )


def _url(name: str, complaint) -> str:
    return reverse(f"complaints:{name}", args=[complaint.pk])


def _day(prefix: str, on: date) -> dict:
    return {f"{prefix}_0": on.day, f"{prefix}_1": on.month, f"{prefix}_2": on.year}


def test_the_complaint_page_posts_each_form_to_its_own_address(clerk_client, complaint):
    page = clerk_client.get(_url("complaint_detail", complaint)).content.decode()

    assert f'action="{_url("complaint_respond", complaint)}"' in page
    assert f'action="{_url("complaint_escalate", complaint)}"' in page
    assert 'name="action"' not in page


def test_the_complaint_page_itself_takes_no_post(clerk_client, complaint):
    response = clerk_client.post(_url("complaint_detail", complaint), {"action": "escalate"})

    assert response.status_code == 405
    assert complaint.stages.count() == 1


def test_a_clerk_responds_at_the_current_stage(clerk_client, complaint):
    response = clerk_client.post(
        _url("complaint_respond", complaint),
        {**_day("responded_on", timezone.localdate()), "response": "We apologise"},
    )

    assert response["Location"] == _url("complaint_detail", complaint)
    stage = complaint.stages.get()
    assert (stage.responded_on, stage.response) == (timezone.localdate(), "We apologise")


def test_a_clerk_escalates_to_the_next_stage(clerk_client, complaint):
    response = clerk_client.post(
        _url("complaint_escalate", complaint), _day("on", timezone.localdate())
    )

    assert response["Location"] == _url("complaint_detail", complaint)
    assert list(complaint.stages.values_list("stage", flat=True)) == [1, 2]


def test_a_refused_response_is_shown_on_the_complaint_page_and_nothing_changes(
    clerk_client, complaint
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = clerk_client.post(
        _url("complaint_respond", complaint), {**_day("responded_on", tomorrow), "response": "x"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The response date cannot be in the future" in body
    assert complaint.stages.get().responded_on is None


def test_an_escalation_without_a_date_is_refused_beside_the_field(clerk_client, complaint):
    response = clerk_client.post(_url("complaint_escalate", complaint), {})

    body = response.content.decode()
    assert "There is a problem" in body
    assert body.count("Enter the date escalated") == 2  # in the summary and beside the field
    assert complaint.stages.count() == 1


def test_the_actions_are_refused_for_a_complaint_the_user_may_not_see(advocate_client, complaint):
    for name in ("complaint_respond", "complaint_escalate"):
        assert advocate_client.post(_url(name, complaint), {}).status_code == 404
    assert complaint.stages.count() == 1
