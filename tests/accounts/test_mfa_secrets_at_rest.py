"""Authenticator secrets and recovery-code seeds are stored encrypted: a dump makes no codes."""

import importlib
import io

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.mfa_secrets import UnreadableSecretError
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.totp_codes import totp_code

MIGRATION = importlib.import_module("accounts.migrations.0006_encrypt_authenticator_secrets")


def _raw_data(user) -> str:
    """The authenticators' data as a database dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(data::text, ' ') FROM mfa_authenticator WHERE user_id = %s",
            [user.pk],
        )
        return cursor.fetchone()[0]


def _password_step(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_database_holds_neither_the_authenticator_secret_nor_the_recovery_seed(db):
    user = UserFactory()
    recovery = RecoveryCodes.activate(user)
    seed = get_adapter().decrypt(recovery.instance.data["seed"])

    raw = _raw_data(user)

    assert Authenticator.objects.filter(user=user).count() == 2
    assert TEST_TOTP_SECRET not in raw
    assert seed not in raw
    assert not any(code in raw for code in recovery.generate_codes())


def test_signing_in_with_the_authenticator_code_or_a_recovery_code_still_works(client, clerk):
    recovery_codes = RecoveryCodes.activate(clerk).generate_codes()

    _password_step(client, clerk)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert "_auth_user_id" in client.session

    client.logout()
    _password_step(client, clerk)
    client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert "_auth_user_id" in client.session


def test_with_a_new_key_put_first_old_secrets_still_decrypt_until_moved_to_the_new_key(
    db, settings
):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONVENE_MFA_KEYS = [old_key]
    user = UserFactory()
    stored = Authenticator.objects.get(user=user).data["secret"]

    settings.CONVENE_MFA_KEYS = [new_key, old_key]
    assert get_adapter().decrypt(stored) == TEST_TOTP_SECRET
    assert Fernet(new_key).decrypt(get_adapter().encrypt("new").encode()) == b"new"

    settings.CONVENE_MFA_KEYS = [new_key]
    with pytest.raises(UnreadableSecretError):
        get_adapter().decrypt(stored)

    settings.CONVENE_MFA_KEYS = [new_key, old_key]
    call_command("rotate_mfa_keys", stdout=io.StringIO())
    settings.CONVENE_MFA_KEYS = [new_key]
    rotated = Authenticator.objects.get(user=user).data["secret"]
    assert get_adapter().decrypt(rotated) == TEST_TOTP_SECRET


def test_a_secret_written_in_plain_text_is_refused_not_trusted(db):
    user = UserFactory()
    Authenticator.objects.filter(user=user).update(data={"secret": "A" * 32})
    authenticator = TOTP(Authenticator.objects.get(user=user))

    with pytest.raises(UnreadableSecretError):
        authenticator.validate_code(totp_code("A" * 32))


def test_the_migration_encrypts_secrets_stored_in_plain_text_and_going_back_restores_them(db):
    user = UserFactory(with_authenticator=False)
    seed = "5eed" * 20
    # As stored before encryption: straight into the table, not through allauth.
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
    )
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": seed, "used_mask": 0}
    )

    MIGRATION.encrypt_stored_secrets(django_apps, None)

    raw = _raw_data(user)
    assert TEST_TOTP_SECRET not in raw
    assert seed not in raw
    totp = TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP))
    assert totp.validate_code(totp_code(TEST_TOTP_SECRET))
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert get_adapter().decrypt(recovery.data["seed"]) == seed

    MIGRATION.encrypt_stored_secrets(django_apps, None)
    assert _raw_data(user) == raw

    MIGRATION.decrypt_stored_secrets(django_apps, None)
    assert TEST_TOTP_SECRET in _raw_data(user)
    assert seed in _raw_data(user)
