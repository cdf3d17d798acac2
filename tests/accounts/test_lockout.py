"""Repeated failed sign-ins lock the account; an administrator can unlock it."""

import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityEvent, SecurityEventKind
from tests.factories import TEST_PASSWORD


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


# --- locks are per account and address; many addresses slow the account down -----------------

COLLEAGUE_DESK = "10.20.0.7"
ATTACKER = "10.20.0.66"


def _try_from(client, address, email, password):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def test_guessing_a_colleagues_password_does_not_lock_them_out_at_their_own_desk(client, clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try_from(client, ATTACKER, clerk.email, "not the password")

    assert _try_from(client, ATTACKER, clerk.email, TEST_PASSWORD).status_code == 429
    at_desk = _try_from(client, COLLEAGUE_DESK, clerk.email, TEST_PASSWORD)
    assert at_desk["Location"] == reverse("mfa_authenticate")


def test_refused_attempts_from_a_locked_address_do_not_slow_the_account_elsewhere(client, clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT + settings.CONVENE_SLOW_SIGN_IN_AFTER):
        _try_from(client, ATTACKER, clerk.email, "not the password")

    at_desk = _try_from(client, COLLEAGUE_DESK, clerk.email, TEST_PASSWORD)

    assert at_desk["Location"] == reverse("mfa_authenticate")


def _fail_from_many_addresses(client, email):
    addresses = settings.CONVENE_SLOW_SIGN_IN_AFTER // settings.AXES_FAILURE_LIMIT
    for number in range(addresses):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _try_from(client, f"192.0.2.{number + 1}", email, "not the password")


def test_guessing_from_many_addresses_slows_the_account_to_one_attempt_at_a_time(client, clerk):
    with time_machine.travel("2026-11-26 09:00 +0000", tick=False) as traveller:
        _fail_from_many_addresses(client, clerk.email)
        _try_from(client, "198.51.100.1", clerk.email, "not the password")

        refused = _try_from(client, COLLEAGUE_DESK, clerk.email, TEST_PASSWORD)
        body = refused.content.decode()
        assert refused.status_code == 200
        assert "There have been many attempts to sign in to this account" in body
        assert "_auth_user_id" not in client.session

        traveller.shift(settings.CONVENE_SLOW_SIGN_IN_SECONDS + 1)
        allowed = _try_from(client, COLLEAGUE_DESK, clerk.email, TEST_PASSWORD)
    assert allowed["Location"] == reverse("mfa_authenticate")
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN_SLOWED, user=clerk).exists()


def test_a_slowed_account_does_not_betray_whether_the_email_has_an_account(client, db):
    _fail_from_many_addresses(client, "nobody@council.example")
    _try_from(client, "198.51.100.1", "nobody@council.example", "not the password")

    refused = _try_from(client, COLLEAGUE_DESK, "nobody@council.example", "anything")

    assert "There have been many attempts to sign in to this account" in refused.content.decode()


def test_an_administrator_sees_a_lock_from_one_address_and_unlocking_lifts_it(
    client, clerk, administrator_client
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try_from(client, ATTACKER, clerk.email, "not the password")
    detail = administrator_client.get(reverse("staff:account_detail", args=[clerk.pk]))
    assert "Locked" in detail.content.decode()

    administrator_client.post(reverse("staff:account_unlock", args=[clerk.pk]))

    assert _try_from(client, ATTACKER, clerk.email, TEST_PASSWORD).status_code == 302
