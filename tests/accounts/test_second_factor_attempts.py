"""Wrong authenticator and recovery codes are limited per account and per address, and logged."""

import time

import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityEvent, SecurityEventKind
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.totp_codes import totp_code

WRONG_CODE = "000000"


def _password_step(client, user, address="127.0.0.1"):
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": TEST_PASSWORD},
        REMOTE_ADDR=address,
    )
    assert response["Location"] == reverse("mfa_authenticate")


def _code_step(client, code, address="127.0.0.1"):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=address)


def _wrong_codes(client, count, address="127.0.0.1"):
    for _ in range(count):
        _code_step(client, WRONG_CODE, address)


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_of_wrong_codes_even_the_right_code_is_refused_and_all_are_logged(
    client, clerk
):
    _password_step(client, clerk)
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT)

    response = _code_step(client, totp_code(TEST_TOTP_SECRET))

    assert not _is_signed_in(client)
    body = response.content.decode()
    assert "There is a problem" in body
    assert "locked for 30 minutes" in body
    failures = SecurityEvent.objects.filter(kind=SecurityEventKind.SECOND_FACTOR_FAILED)
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert {(event.user, event.ip_address) for event in failures} == {(clerk, "127.0.0.1")}
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.SECOND_FACTOR_LOCKED, user=clerk
    ).exists()


def test_sixty_quick_guesses_are_not_sixty_tries(client, clerk):
    _password_step(client, clerk)
    _wrong_codes(client, 60)

    _code_step(client, totp_code(TEST_TOTP_SECRET))

    assert not _is_signed_in(client)
    # Codes refused because the account was already locked are not checked, so not counted.
    assert (
        SecurityEvent.objects.filter(kind=SecurityEventKind.SECOND_FACTOR_FAILED).count()
        == settings.AXES_FAILURE_LIMIT
    )


def test_one_wrong_code_fewer_than_the_limit_still_lets_the_right_code_in(client, clerk):
    _password_step(client, clerk)
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT - 1)

    response = _code_step(client, totp_code(TEST_TOTP_SECRET))

    assert response.status_code == 302
    assert _is_signed_in(client)


def test_the_lock_holds_at_another_address_and_in_a_new_sign_in(client, clerk):
    _password_step(client, clerk)
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT)

    client.logout()
    _password_step(client, clerk, address="192.0.2.50")
    _code_step(client, totp_code(TEST_TOTP_SECRET), address="192.0.2.50")

    assert not _is_signed_in(client)


def test_wrong_recovery_codes_count_the_same_and_lock_out_the_right_one(client, clerk):
    codes = RecoveryCodes.activate(clerk).get_unused_codes()
    _password_step(client, clerk)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _code_step(client, "abcd1234")

    _code_step(client, codes[0])

    assert not _is_signed_in(client)
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.SECOND_FACTOR_FAILED, user=clerk
        ).count()
        == settings.AXES_FAILURE_LIMIT
    )


def test_the_lock_lifts_after_the_lockout_period(client, clerk):
    with time_machine.travel("2026-11-26 09:00 +0000", tick=False) as traveller:
        _password_step(client, clerk)
        _wrong_codes(client, settings.AXES_FAILURE_LIMIT)
        traveller.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
        client.logout()
        _password_step(client, clerk)
        response = _code_step(client, totp_code(TEST_TOTP_SECRET, at=time.time()))
        assert response.status_code == 302
        assert _is_signed_in(client)


def test_an_administrator_sees_the_lock_and_unlocks_it(
    client, clerk, administrator, administrator_client
):
    _password_step(client, clerk)
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT)
    detail = administrator_client.get(reverse("staff:account_detail", args=[clerk.pk]))
    assert "Locked" in detail.content.decode()

    administrator_client.post(reverse("staff:account_unlock", args=[clerk.pk]))

    _code_step(client, totp_code(TEST_TOTP_SECRET))
    assert _is_signed_in(client)
    unlocked = SecurityEvent.objects.get(kind=SecurityEventKind.UNLOCKED)
    assert (unlocked.user, unlocked.actor) == (clerk, administrator)


def test_a_successful_sign_in_starts_the_count_again(client, clerk):
    with time_machine.travel("2026-11-26 09:00 +0000", tick=False) as traveller:
        _password_step(client, clerk)
        _wrong_codes(client, settings.AXES_FAILURE_LIMIT - 1)
        _code_step(client, totp_code(TEST_TOTP_SECRET, at=time.time()))
        client.logout()
        traveller.shift(60)  # a code is accepted once only

        _password_step(client, clerk)
        _wrong_codes(client, settings.AXES_FAILURE_LIMIT - 1)
        _code_step(client, totp_code(TEST_TOTP_SECRET, at=time.time()))

        assert _is_signed_in(client)


def test_wrong_codes_for_many_accounts_from_one_address_are_limited(client, db):
    per_account = settings.AXES_FAILURE_LIMIT - 1
    accounts = [
        UserFactory() for _ in range(settings.CONVENE_SECOND_FACTOR_ADDRESS_LIMIT // per_account)
    ]
    for account in accounts:
        client.logout()
        _password_step(client, account, address="198.51.100.9")
        _wrong_codes(client, per_account, address="198.51.100.9")

    another = UserFactory()
    client.logout()
    _password_step(client, another, address="198.51.100.9")
    refused = _code_step(client, totp_code(TEST_TOTP_SECRET), address="198.51.100.9")

    assert not _is_signed_in(client)
    assert "too many wrong codes from your network" in refused.content.decode()
    client.logout()
    _password_step(client, another, address="203.0.113.4")
    _code_step(client, totp_code(TEST_TOTP_SECRET), address="203.0.113.4")
    assert _is_signed_in(client)


def test_wrong_codes_when_confirming_it_is_you_count_towards_the_lock(clerk_client, clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        clerk_client.post(reverse("mfa_reauthenticate"), {"code": WRONG_CODE})

    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.SECOND_FACTOR_FAILED, user=clerk
        ).count()
        == settings.AXES_FAILURE_LIMIT
    )
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.SECOND_FACTOR_LOCKED, user=clerk
    ).exists()
