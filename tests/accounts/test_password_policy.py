"""Passwords: at least 12 characters, not a common one, never forced to change on a schedule."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from ..factories import TEST_PASSWORD


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


def test_there_is_no_scheduled_password_expiry():
    names = [setting for setting in dir(settings) if "PASSWORD" in setting and "EXPIR" in setting]
    assert names == []
