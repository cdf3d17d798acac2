"""Authenticator secrets at rest: encrypted with the keys in CONVENE_MFA_KEYS, newest first."""

from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction

# Every Fernet token starts with these characters (its version byte and the first bytes of its
# timestamp). Secrets allauth makes never do: the authenticator app's is upper-case base32 and
# the recovery codes' seed is hexadecimal.
_FERNET_PREFIX = "gAAAAA"


class UnreadableSecretError(Exception):
    """A stored secret that no key in CONVENE_MFA_KEYS decrypts."""


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current_cipher() -> MultiFernet:
    return _cipher(tuple(settings.CONVENE_MFA_KEYS))


def encrypt_secret(text: str) -> str:
    """The secret encrypted with the newest key."""
    return _current_cipher().encrypt(text.encode()).decode()


def decrypt_secret(token: str) -> str:
    """The secret, decrypted with whichever key encrypted it.

    Plain text is refused rather than passed through: after the migration that encrypted every
    secret, a plain one was written around this module, and accepting it would let whoever can
    write a row choose an account's codes.
    """
    try:
        return _current_cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        # The message names the cause, never the secret or the key.
        raise UnreadableSecretError(
            "An authenticator secret could not be decrypted with any key in CONVENE_MFA_KEYS"
        ) from error


def is_encrypted(value: str) -> bool:
    """Whether the value is a token, whether or not one of today's keys opens it."""
    return value.startswith(_FERNET_PREFIX)


def _rotate(token: str) -> str:
    return _current_cipher().rotate(token.encode()).decode()


def with_secrets_changed(data: dict, change: Callable[[str], str]) -> dict:
    """An authenticator's data with each secret in it changed: the authenticator app's secret,
    the recovery codes' seed, and recovery codes brought over from another system."""
    data = dict(data)
    for name in ("secret", "seed"):
        if name in data:
            data[name] = change(data[name])
    if data.get("migrated_codes") is not None:
        data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


@transaction.atomic
def encrypt_again_with_the_newest_key() -> int:
    """Encrypt every stored secret with the newest key, so the older keys can be removed.
    Returns how many authenticators were rewritten."""
    from allauth.mfa.models import Authenticator

    authenticators = Authenticator.objects.select_for_update().order_by("pk")
    for authenticator in authenticators:
        authenticator.data = with_secrets_changed(authenticator.data, _rotate)
        authenticator.save(update_fields=["data"])
    return len(authenticators)
