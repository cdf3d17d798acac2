"""allauth adapters: no self-service sign-up, and a second factor its owner cannot remove,
whose secrets are stored encrypted."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from accounts.mfa_secrets import decrypt_secret, encrypt_secret
from accounts.sessions import SessionClock


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the first authenticator straight after signing in with a password needs no
        # second password prompt: the sign-in itself was moments ago. Changes after that do.
        if app == "allauth.mfa" and self._is_first_factor_set_up_just_after_sign_in():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _is_first_factor_set_up_just_after_sign_in(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        if Authenticator.objects.filter(user=request.user).exists():
            return False
        clock = SessionClock.of(request.session)
        if clock is None:
            return False
        return time.time() - clock.signed_in_at < account_settings.REAUTHENTICATION_TIMEOUT


class StaffMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Every account must keep an authenticator app; an administrator resets it if lost.
        return authenticator.type != Authenticator.Type.TOTP

    def get_totp_label(self, user) -> str:
        return user.email

    # allauth passes every secret it stores (authenticator app secrets, recovery-code seeds)
    # through these two: a database dump or a read of the table makes nobody's codes.
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
