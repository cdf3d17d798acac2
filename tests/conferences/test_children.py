"""Adding children, bad input on the child form, and recording a birth."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.cases.services import record_birth
from conferences.choices import ConferenceStatus, Stage
from conferences.models import Child
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    PlanFactory,
    UserFactory,
    at,
    make_conference,
)

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date | None) -> dict:
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _child_data(**overrides):
    data = {
        "local_case_id": "LC900001",
        "first_name": "Maya",
        "last_name": "Okafor",
        "sex": "F",
        "ethnicity": "",
        **_date("date_of_birth", date(2019, 2, 3)),
        **_date("expected_date_of_birth", None),
        **_date("strategy_discussion_on", None),
        **_date("transfer_notified_on", None),
    }
    data.update(overrides)
    return data


def test_a_clerk_adds_a_child_with_ethnicity_not_yet_known(clerk_client):
    family = FamilyFactory(name="Okafor")
    response = clerk_client.post(reverse("conferences:child_add", args=[family.pk]), _child_data())
    child = Child.objects.get(local_case_id="LC900001")
    assert response["Location"] == reverse("conferences:child_detail", args=[child.pk])
    assert child.ethnicity == ""


def test_an_expected_date_of_birth_on_a_born_child_is_refused(clerk_client):
    family = FamilyFactory()
    response = clerk_client.post(
        reverse("conferences:child_add", args=[family.pk]),
        _child_data(**_date("expected_date_of_birth", date(2027, 1, 1))),
    )
    assert response.content.decode().count("clear the expected date") == 2
    assert not Child.objects.exists()


def test_a_duplicate_local_case_id_is_refused(clerk_client):
    ChildFactory(local_case_id="LC900001")
    family = FamilyFactory()
    response = clerk_client.post(reverse("conferences:child_add", args=[family.pk]), _child_data())
    assert "Another child already has this local case ID" in response.content.decode()
    assert Child.objects.filter(local_case_id="LC900001").count() == 1


def test_a_child_needs_a_birth_date_or_an_expected_one(clerk_client):
    family = FamilyFactory()
    response = clerk_client.post(
        reverse("conferences:child_add", args=[family.pk]),
        _child_data(**_date("date_of_birth", None)),
    )
    assert "or an expected date of birth for an unborn baby" in response.content.decode()


def test_recording_the_birth_keeps_the_child_and_plan_and_recomputes_the_review_due_date(clerk):
    iro = UserFactory(roles=[Role.IRO])
    today = timezone.localdate()
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=today + timedelta(days=5))
    plan = PlanFactory(child=unborn, started_on=today - timedelta(days=40))
    make_conference(
        children_stages=[(unborn, Stage.PRE_BIRTH)],
        chair=iro,
        starts_at=at(today - timedelta(days=40)),
        status=ConferenceStatus.HELD,
    )
    review = make_conference(
        children_stages=[(unborn, Stage.FIRST_REVIEW)],
        chair=iro,
        starts_at=at(today + timedelta(days=30)),
    )
    place = review.attendees.get()

    born_on = today - timedelta(days=1)
    record_birth(actor=clerk, child=unborn, born_on=born_on, expected_version=unborn.version)

    unborn.refresh_from_db()
    place.refresh_from_db()
    assert unborn.date_of_birth == born_on
    assert unborn.plans.get() == plan
    from rules.working_days import WorkingCalendar

    assert place.due_on == WorkingCalendar().add_working_days(born_on, 10)


def test_a_birth_cannot_be_recorded_twice(clerk_client):
    child = ChildFactory()
    response = clerk_client.post(
        reverse("conferences:child_birth", args=[child.pk]),
        {**_date("born_on", date(2020, 1, 1)), "version": child.version},
    )
    assert "already has a date of birth" in response.content.decode()


def test_an_unborn_child_past_the_expected_date_is_flagged_to_the_clerk(clerk_client):
    late = ChildFactory(
        date_of_birth=None,
        expected_date_of_birth=timezone.localdate() - timedelta(days=2),
        first_name="Baby",
    )
    body = clerk_client.get(reverse("conferences:clerk_tray")).content.decode()
    assert str(late) in body
    child_page = clerk_client.get(reverse("conferences:child_detail", args=[late.pk]))
    assert "The expected date of birth has passed" in child_page.content.decode()


def test_search_finds_a_child_by_name_id_or_date_of_birth(clerk_client):
    child = ChildFactory(
        first_name="Tobias", local_case_id="LC424242", date_of_birth=date(2015, 8, 31)
    )
    ChildFactory(first_name="Someone")
    for query in ("tobias", "LC424242", "31/08/2015", "2015-08-31"):
        results = clerk_client.get(reverse("conferences:child_search"), {"q": query}).context[
            "results"
        ]
        assert results == [child], query
