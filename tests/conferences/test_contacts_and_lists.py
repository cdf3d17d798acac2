"""Clerks keep the contacts; administrators keep the managed lists."""

from datetime import date

import pytest
from django.urls import reverse

from conferences.models import ClosureDay, Professional, Venue
from rules.working_days import working_calendar
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_adds_a_social_worker_with_their_manager(clerk_client):
    agency = AgencyFactory(name="Children's social care")
    manager = Professional.objects.create(
        full_name="Sam Taylor", email="s@x.example", agency=agency
    )
    response = clerk_client.post(
        reverse("conferences:professional_add"),
        {
            "full_name": "Jo Bennett",
            "email": "jo@csc.example",
            "agency": agency.pk,
            "manager": manager.pk,
            "job_title": "Social worker",
        },
    )
    assert response.status_code == 302
    assert Professional.objects.get(full_name="Jo Bennett").manager == manager


def test_a_contact_without_an_email_is_refused(clerk_client):
    agency = AgencyFactory()
    response = clerk_client.post(
        reverse("conferences:professional_add"), {"full_name": "No Email", "agency": agency.pk}
    )
    assert response.content.decode().count("Enter their email address") == 2


def test_an_administrator_adds_a_venue_and_a_closure_day_that_timescales_then_skip(
    administrator_client,
):
    administrator_client.post(
        reverse("conferences:reference_list", args=["venues"]), {"name": "Coalville Hub"}
    )
    administrator_client.post(
        reverse("conferences:reference_list", args=["closure-days"]),
        {"day_0": 29, "day_1": 12, "day_2": 2026, "description": "Council closure"},
    )
    assert Venue.objects.filter(name="Coalville Hub").exists()
    assert ClosureDay.objects.filter(day=date(2026, 12, 29)).exists()
    assert not working_calendar().is_working_day(date(2026, 12, 29))


def test_managers_read_the_lists_but_only_administrators_add(manager_client):
    url = reverse("conferences:reference_list", args=["venues"])
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, {"name": "Sneaky room"}).status_code == 403
    assert not Venue.objects.filter(name="Sneaky room").exists()
