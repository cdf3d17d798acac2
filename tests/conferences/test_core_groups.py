"""Core groups for a child on a plan: the first within 10 working days, then at the interval."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.models import CoreGroupMeeting
from tests.factories import ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_the_first_core_group_is_due_10_working_days_after_the_plan_starts(clerk_client):
    child = ChildFactory()
    PlanFactory(child=child, started_on=date(2026, 12, 17))  # Thursday before Christmas
    page = clerk_client.get(reverse("conferences:core_groups", args=[child.pk]))
    assert page.context["next_due"] == date(2027, 1, 5)


def test_recording_a_core_group_moves_the_next_due_date(clerk_client):
    child = ChildFactory()
    start = timezone.localdate() - timedelta(days=30)
    PlanFactory(child=child, started_on=start)
    held = start + timedelta(days=7)
    response = clerk_client.post(
        reverse("conferences:core_groups", args=[child.pk]),
        {
            "held_on_0": held.day,
            "held_on_1": held.month,
            "held_on_2": held.year,
            "attendees": "Social worker\nMother\nHealth visitor",
        },
    )
    assert response.status_code == 302
    assert CoreGroupMeeting.objects.get(child=child).held_on == held
    page = clerk_client.get(reverse("conferences:core_groups", args=[child.pk]))
    assert page.context["next_due"] > held


def test_a_child_not_on_a_plan_has_no_core_group(clerk_client):
    child = ChildFactory()
    page = clerk_client.get(reverse("conferences:core_groups", args=[child.pk]))
    assert "is not on a child protection plan" in page.content.decode()
