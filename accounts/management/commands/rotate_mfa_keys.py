"""Encrypt every authenticator secret again with the newest key in CONVENE_MFA_KEYS."""

from django.core.management.base import BaseCommand

from accounts.mfa_secrets import encrypt_again_with_the_newest_key


class Command(BaseCommand):
    help = (
        "After putting a new key first in CONVENE_MFA_KEYS: encrypt every authenticator secret"
        " with it, so that the older keys can then be removed."
    )

    def handle(self, *args, **options):
        count = encrypt_again_with_the_newest_key()
        self.stdout.write(f"Encrypted the secrets of {count} authenticators with the newest key.")
