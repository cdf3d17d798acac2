"""Receivers that write allauth's, Django's and axes' security moments to the security log.

Signals are the only hook these libraries offer; the receivers record, they decide nothing.
"""

import time

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.lockout import note_password_failure, username_for_attempt
from accounts.models import SecurityEventKind, User
from accounts.security_log import record_security_event
from accounts.sessions import LAST_SEEN, SIGNED_IN_AT


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
    record_security_event(kind=SecurityEventKind.SIGNED_IN, request=request, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    email = username_for_attempt(request, credentials)
    user = User.objects.filter(email__iexact=email).first() if email else None
    record_security_event(
        kind=SecurityEventKind.SIGN_IN_FAILED,
        request=request,
        user=user,
        attempted_email="" if user else email,
    )
    note_password_failure(request=request, email=email, user=user)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    user = User.objects.filter(email__iexact=username).first() if username else None
    record_security_event(
        kind=SecurityEventKind.LOCKED_OUT,
        request=request,
        user=user,
        attempted_email="" if user else (username or ""),
    )


@receiver(authentication_failed)
def _wrong_code(sender, request, user, **kwargs):
    # A wrong authenticator or recovery code, at sign-in or when confirming it is you; the code
    # forms count these to lock the account (accounts/lockout.py).
    record_security_event(kind=SecurityEventKind.SECOND_FACTOR_FAILED, request=request, user=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(kind=SecurityEventKind.SIGNED_OUT, request=request, user=user)


@receiver(authenticator_added)
def _second_factor_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        record_security_event(
            kind=SecurityEventKind.SECOND_FACTOR_ADDED, request=request, user=user
        )


@receiver(authenticator_removed)
def _second_factor_removed(sender, request, user, authenticator, **kwargs):
    record_security_event(kind=SecurityEventKind.SECOND_FACTOR_REMOVED, request=request, user=user)


@receiver(authenticator_reset)
def _recovery_codes_renewed(sender, request, user, authenticator, **kwargs):
    record_security_event(kind=SecurityEventKind.RECOVERY_CODES_RENEWED, request=request, user=user)


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEventKind.PASSWORD_CHANGED, request=request, user=user)


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    record_security_event(kind=SecurityEventKind.PASSWORD_RESET, request=request, user=user)
