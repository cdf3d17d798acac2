"""The notification log: what was sent, what failed, and "send again"; restricted stays hidden."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Stage
from conferences.models import Notification
from tests.factories import ChildFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db


def _row(conference, status="failed", key=None):
    return Notification.objects.create(
        key=key or f"log:{conference.pk}:{status}",
        kind="test",
        recipient_email="jo@csc.example",
        subject="Report due",
        body="B",
        conference=conference,
        status=status,
    )


@pytest.fixture
def conference(iro):
    return make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() + timedelta(days=3)),
    )


def test_a_clerk_sees_a_failed_notification_and_sends_it_again(clerk_client, conference):
    row = _row(conference)
    page = clerk_client.get(reverse("conferences:notification_log")).content.decode()
    assert "Send again" in page
    clerk_client.post(reverse("conferences:notification_resend", args=[row.pk]))
    row.refresh_from_db()
    assert row.status in {"pending", "sent"}


def test_an_iro_sees_what_is_pending_for_conferences_they_chair_only(iro_client, conference):
    _row(conference, status="pending")
    other = make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=UserFactory(roles=[Role.IRO]),
        starts_at=at(timezone.localdate() + timedelta(days=4)),
    )
    _row(other, status="pending")
    notes = iro_client.get(reverse("conferences:notification_log")).context["notifications"]
    assert [note.conference_id for note in notes] == [conference.pk]


def test_notifications_about_a_restricted_child_are_hidden_from_others(clerk_client, conference):
    child = conference.attendees.get().child
    child.is_restricted = True
    child.save()
    _row(conference)
    assert (
        list(clerk_client.get(reverse("conferences:notification_log")).context["notifications"])
        == []
    )
