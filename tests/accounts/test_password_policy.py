"""Passwords: at least 12 characters, not a common one, never forced to change on a schedule."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET
from tests.totp_codes import totp_code


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven char", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(db, password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in text for text in refused.value.messages)


def test_a_long_uncommon_passphrase_is_accepted(db):
    validate_password("kettle orbit lantern mossy")


def test_changing_password_to_a_weak_one_is_refused_beside_the_field(clerk_client, clerk):
    response = clerk_client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": "short", "password2": "short"},
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "at least 12 characters" in body
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)


def test_a_password_set_years_ago_still_signs_in_and_opens_the_work_without_a_detour(client, clerk):
    """No expiry by age (NCSC: forced changes make weaker passwords): three years after the
    account and its password were made, signing in reaches my work, and pages open."""
    with time_machine.travel(timezone.now() + timedelta(days=3 * 365)):
        client.post(reverse("account_login"), {"login": clerk.email, "password": TEST_PASSWORD})
        signed_in = client.post(
            reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)}, follow=True
        )
        tray = client.get(reverse("conferences:clerk_tray"))

    assert signed_in.redirect_chain[-1][0] == reverse("home")
    assert "My work" in signed_in.content.decode()
    assert tray.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)
