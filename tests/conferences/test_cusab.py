"""CUSAB risk meetings: who chaired and why, bad input, edits that collide, and scoping."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.cusab.models import CusabMeeting
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def child():
    return ChildFactory()


def _form(chair, **changes) -> dict:
    held_on = timezone.localdate() - timedelta(days=2)
    data = {
        **_date("held_on", held_on),
        "chaired_by": "iro",
        "iro": chair.pk,
        "why_iro_chaired": "arrested_or_charged",
        "outcome": "Safety plan agreed",
        **_date("next_meeting_on", held_on + timedelta(weeks=6)),
    }
    return {**data, **changes}


def test_an_iro_chaired_meeting_is_recorded_with_the_reason(iro, iro_client, child):
    response = iro_client.post(reverse("conferences:cusab_add", args=[child.pk]), _form(iro))
    assert response.status_code == 302
    meeting = CusabMeeting.objects.get()
    assert (meeting.iro, meeting.why_iro_chaired) == (iro, "arrested_or_charged")
    assert meeting.next_meeting_on - meeting.held_on == timedelta(weeks=6)
    page = iro_client.get(reverse("conferences:child_detail", args=[child.pk])).content.decode()
    assert "Safety plan agreed" in page
    assert "arrested or charged" in page


def test_a_locality_manager_chair_keeps_no_iro_details(iro, clerk_client, child):
    data = _form(iro, chaired_by="locality_manager", locality_manager="Morag Team-Lead")
    clerk_client.post(reverse("conferences:cusab_add", args=[child.pk]), data)
    meeting = CusabMeeting.objects.get()
    assert (meeting.iro, meeting.why_iro_chaired) == (None, "")
    assert meeting.chair_name == "Morag Team-Lead"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"why_iro_chaired": ""}, "why_iro_chaired", "Select why an IRO chaired"),
        ({"iro": ""}, "iro", "Select the IRO who chaired"),
        ({"chaired_by": "locality_manager"}, "locality_manager", "Enter the name of the manager"),
        (
            _date("next_meeting_on", date(2000, 1, 1)),
            "next_meeting_on",
            "The next meeting must be after this one",
        ),
        (
            _date("held_on", date(2099, 1, 1)),
            "held_on",
            "The meeting date cannot be in the future",
        ),
    ],
)
def test_bad_input_is_named_beside_the_field_and_nothing_is_saved(
    iro, iro_client, child, changes, field, message
):
    response = iro_client.post(
        reverse("conferences:cusab_add", args=[child.pk]), _form(iro, **changes)
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert CusabMeeting.objects.count() == 0


def test_two_edits_from_the_same_version_do_not_overwrite_each_other(iro, iro_client, child):
    iro_client.post(reverse("conferences:cusab_add", args=[child.pk]), _form(iro))
    meeting = CusabMeeting.objects.get()
    url = reverse("conferences:cusab_edit", args=[meeting.pk])
    first = iro_client.post(url, _form(iro, outcome="First", version=meeting.version))
    second = iro_client.post(url, _form(iro, outcome="Second", version=meeting.version))
    assert (first.status_code, second.status_code) == (302, 409)
    assert CusabMeeting.objects.get().outcome == "First"


def test_a_restricted_childs_meetings_are_not_found_by_others(iro, iro_client, clerk_client):
    restricted = ChildFactory(is_restricted=True)
    restricted.named_staff.add(iro)
    iro_client.post(reverse("conferences:cusab_add", args=[restricted.pk]), _form(iro))
    meeting = CusabMeeting.objects.get()
    assert clerk_client.get(reverse("conferences:cusab_edit", args=[meeting.pk])).status_code == 404
    assert clerk_client.get(reverse("conferences:cusab_add", args=[restricted.pk])).status_code == (
        404
    )
    edit_link = reverse("conferences:cusab_edit", args=[meeting.pk])
    assert edit_link not in clerk_client.get(reverse("conferences:cusab_list")).content.decode()
    assert edit_link in iro_client.get(reverse("conferences:cusab_list")).content.decode()


def test_the_cusab_list_keeps_a_constant_number_of_queries(
    iro, manager_client, assert_constant_queries
):
    def add():
        for _ in range(3):
            CusabMeeting.objects.create(
                child=ChildFactory(),
                held_on=date(2026, 11, 2),
                chaired_by="iro",
                iro=iro,
                why_iro_chaired="complex",
                recorded_by=iro,
            )

    assert_constant_queries(manager_client, reverse("conferences:cusab_list"), add)
