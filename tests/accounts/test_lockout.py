"""Repeated failed sign-ins lock the account; an administrator can unlock it."""

import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityEvent, SecurityEventKind

from ..factories import TEST_PASSWORD


def _try(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _fail_until_locked(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, user.email, "not the password")


def test_the_account_locks_after_the_failure_limit_even_for_the_right_password(client, clerk):
    _fail_until_locked(client, clerk)

    response = _try(client, clerk.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT, user=clerk).exists()


def test_one_failure_fewer_than_the_limit_does_not_lock(client, clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, clerk.email, "not the password")
    response = _try(client, clerk.email, TEST_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")


def test_failures_count_whatever_case_the_email_is_typed_in(client, clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, clerk.email.upper(), "not the password")
    assert _try(client, clerk.email, TEST_PASSWORD).status_code == 429


def test_the_lock_lifts_after_the_cool_off_period(client, clerk):
    with time_machine.travel("2026-11-26 09:00 +0000", tick=False) as traveller:
        _fail_until_locked(client, clerk)
        traveller.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
        response = _try(client, clerk.email, TEST_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")


def test_an_administrator_sees_the_lock_and_unlocks_the_account(
    client, clerk, administrator, administrator_client
):
    _fail_until_locked(client, clerk)
    detail = administrator_client.get(reverse("staff:account_detail", args=[clerk.pk]))
    assert "Locked" in detail.content.decode()

    response = administrator_client.post(reverse("staff:account_unlock", args=[clerk.pk]))

    assert response.status_code == 302
    assert _try(client, clerk.email, TEST_PASSWORD)["Location"] == reverse("mfa_authenticate")
    unlocked = SecurityEvent.objects.get(kind=SecurityEventKind.UNLOCKED)
    assert (unlocked.user, unlocked.actor) == (clerk, administrator)
