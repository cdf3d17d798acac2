"""Encrypt the authenticator secrets and recovery-code seeds stored in plain text until now."""

from django.db import migrations

from accounts.mfa_secrets import (
    decrypt_secret,
    encrypt_secret,
    is_encrypted,
    with_secrets_changed,
)


def _encrypted(value: str) -> str:
    if is_encrypted(value):
        # Already encrypted (the migration ran before): a token that no key opens stops the
        # migration here, rather than being encrypted a second time and lost.
        decrypt_secret(value)
        return value
    return encrypt_secret(value)


def _plain(value: str) -> str:
    return decrypt_secret(value) if is_encrypted(value) else value


def _rewrite_every_authenticator(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk"):
        data = with_secrets_changed(authenticator.data, change)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_stored_secrets(apps, schema_editor) -> None:
    _rewrite_every_authenticator(apps, _encrypted)


def decrypt_stored_secrets(apps, schema_editor) -> None:
    # Going back to code that reads secrets in plain text needs them in plain text.
    _rewrite_every_authenticator(apps, _plain)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_second_administrator_approves_grants"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_stored_secrets, decrypt_stored_secrets),
    ]
