"""List pages run the same number of queries however many records they list."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.choices import ConferenceStatus, Stage
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    PlanFactory,
    at,
    invite,
    make_conference,
    police_officer,
)

pytestmark = pytest.mark.django_db
numbers = count()


def _busy_family(chair, family=None):
    """A family with two children, a plan, a held and a booked conference with invitations."""
    n = next(numbers)
    today = timezone.localdate()
    family = family or FamilyFactory(name=f"Family{n}")
    older = ChildFactory(family=family, first_name=f"Older{n}")
    younger = ChildFactory(
        family=family,
        first_name=f"Younger{n}",
        date_of_birth=None,
        expected_date_of_birth=today - timedelta(days=1),
    )
    PlanFactory(child=older, started_on=today - timedelta(days=85))
    make_conference(
        children_stages=[(older, Stage.INITIAL)],
        chair=chair,
        starts_at=at(today - timedelta(days=85)),
        status=ConferenceStatus.HELD,
    )
    booked = make_conference(
        children_stages=[(younger, Stage.PRE_BIRTH)],
        chair=chair,
        starts_at=at(today + timedelta(days=2), hour=8 + n % 8),
    )
    invite(booked, police_officer())
    return family, older


@pytest.mark.parametrize(
    "page", ["conferences:clerk_tray", "conferences:chair_week", "conferences:my_conferences"]
)
def test_trays_and_calendars_keep_a_constant_number_of_queries(
    request, iro, assert_constant_queries, page
):
    client = request.getfixturevalue(
        "iro_client" if page != "conferences:clerk_tray" else "clerk_client"
    )

    def add():
        for _ in range(3):
            _busy_family(iro)

    url = reverse(page) + (f"?chair={iro.pk}" if page == "conferences:chair_week" else "")
    assert_constant_queries(client, url, add)


def test_search_results_keep_a_constant_number_of_queries(
    clerk_client, iro, assert_constant_queries
):
    def add():
        for _ in range(3):
            _busy_family(iro)

    assert_constant_queries(clerk_client, reverse("conferences:child_search") + "?q=Older", add)


def test_the_family_page_keeps_a_constant_number_of_queries(
    clerk_client, iro, assert_constant_queries
):
    family = FamilyFactory(name="Big")

    def add():
        _busy_family(iro, family=family)

    assert_constant_queries(
        clerk_client, reverse("conferences:family_detail", args=[family.pk]), add
    )


def test_the_access_log_keeps_a_constant_number_of_queries(
    manager_client, clerk_client, assert_constant_queries
):
    child = ChildFactory()
    url = reverse("conferences:child_detail", args=[child.pk])

    def add():
        for _ in range(3):
            clerk_client.get(url)

    assert_constant_queries(
        manager_client, reverse("conferences:child_access_log", args=[child.pk]), add
    )
