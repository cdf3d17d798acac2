"""Sessions end after 30 idle minutes and after 10 hours; signed-in pages are never cached."""

import json

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityEvent, SecurityEventKind

START = "2026-11-26 09:00 +0000"


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, clerk, traveller):
    _signed_in(client, clerk)
    traveller.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1)

    response = client.get(reverse("home"))

    assert response["Location"] == reverse("signed_out_inactive")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SESSION_EXPIRED, user=clerk).exists()


def test_activity_within_the_idle_limit_keeps_the_session(client, clerk, traveller):
    _signed_in(client, clerk)
    for _ in range(6):
        traveller.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() - 60)
        assert client.get(reverse("home")).status_code == 200


def test_a_session_ends_at_the_absolute_limit_however_active(client, clerk, traveller):
    _signed_in(client, clerk)
    step = 20 * 60
    elapsed = 0
    while elapsed + step < settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        traveller.shift(step)
        elapsed += step
        assert client.get(reverse("home")).status_code == 200
    traveller.shift(step)
    assert client.get(reverse("home"))["Location"] == reverse("signed_out_inactive")


def test_asking_how_long_is_left_does_not_count_as_activity(client, clerk, traveller):
    _signed_in(client, clerk)
    traveller.shift(20 * 60)
    status = json.loads(client.get(reverse("session_status")).content)
    assert status["seconds_left"] == settings.SESSION_IDLE_TIMEOUT.total_seconds() - 20 * 60
    traveller.shift(11 * 60)
    assert client.get(reverse("session_status")).status_code == 401


def test_choosing_to_stay_signed_in_restarts_the_idle_clock(client, clerk, traveller):
    _signed_in(client, clerk)
    traveller.shift(29 * 60)
    extended = json.loads(client.post(reverse("session_extend")).content)
    assert extended["seconds_left"] == settings.SESSION_IDLE_TIMEOUT.total_seconds()
    traveller.shift(29 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_signed_in_pages_are_not_stored_by_the_browser(clerk_client):
    response = clerk_client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_after_signing_out_the_page_is_not_shown_again(clerk_client, clerk):
    clerk_client.post(reverse("account_logout"))
    response = clerk_client.get(reverse("home"))
    assert response.status_code == 302
    assert clerk.full_name not in response.content.decode()
