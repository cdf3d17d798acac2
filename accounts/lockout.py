"""Limits on guessing, so that nobody can guess a password or a code, nor lock a colleague out.

Passwords: django-axes locks an account at one address after a few failures there (so an attacker
elsewhere cannot lock the owner out at their desk); failures at many addresses slow the account
to one attempt at a time. Second-factor codes: the account is locked after a few wrong codes from
anywhere (whoever types them knows the password), and each address may make only so many.
Every failure is in the security log, which is also what the second-factor limits count.
"""

import hashlib
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import SecurityEvent, SecurityEventKind, User
from accounts.security_log import client_address, record_security_event
from accounts.templatetags.convene import duration


def username_for_attempt(request: HttpRequest, credentials: dict | None) -> str:
    """The email address tried, lower-cased, so that 'A@x' and 'a@x' share one failure count."""
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if not email and request is not None:
        email = request.POST.get("login", "")
    return (email or "").strip().lower()


def _window_start() -> datetime:
    return timezone.now() - settings.AXES_COOLOFF_TIME


# --- passwords -------------------------------------------------------------------------------


def locked_addresses() -> QuerySet[AccessAttempt]:
    """Per account and address, the failed sign-ins that lock that address out of that account
    now (axes keeps a row per browser too, and counts them together)."""
    return (
        AccessAttempt.objects.filter(attempt_time__gte=_window_start())
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )


def is_address_locked_out(request: HttpRequest, email: str) -> bool:
    """True when axes will refuse this address for this account, whatever the password."""
    return AxesProxyHandler.is_locked(request, {"email": email})


def recent_password_failures(email: str) -> int:
    """Failed sign-ins to this account within the lockout period, from every address. Each
    address counts only up to the lock, so one address hammering after its lock adds nothing."""
    per_address = (
        AccessAttempt.objects.filter(username=email, attempt_time__gte=_window_start())
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"))
    )
    return sum(min(row["failures"], settings.AXES_FAILURE_LIMIT) for row in per_address)


def is_sign_in_slowed(email: str) -> bool:
    """True when so many addresses have failed to sign in to this account that it accepts only
    one attempt at a time."""
    return recent_password_failures(email) >= settings.CONVENE_SLOW_SIGN_IN_AFTER


def take_turn_to_sign_in(email: str) -> bool:
    """For a slowed account: True for the first attempt in each interval, from any address."""
    digest = hashlib.sha256(email.encode()).hexdigest()
    return cache.add(f"sign-in-turn:{digest}", 1, timeout=settings.CONVENE_SLOW_SIGN_IN_SECONDS)


def slowed_message() -> str:
    wait = duration(timedelta(seconds=settings.CONVENE_SLOW_SIGN_IN_SECONDS))
    return f"There have been many attempts to sign in to this account. Wait {wait}, then try again."


def note_password_failure(*, request: HttpRequest | None, email: str, user: User | None) -> None:
    """Record, once a period, that an account has started to be slowed (an alert for
    administrators: someone is guessing from several addresses)."""
    if not email or not is_sign_in_slowed(email):
        return
    already = SecurityEvent.objects.filter(
        kind=SecurityEventKind.SIGN_IN_SLOWED, occurred_at__gte=_window_start()
    )
    already = already.filter(user=user) if user else already.filter(attempted_email=email)
    if not already.exists():
        record_security_event(
            kind=SecurityEventKind.SIGN_IN_SLOWED,
            request=request,
            user=user,
            attempted_email="" if user else email,
        )


# --- second-factor codes ---------------------------------------------------------------------


def second_factor_locks() -> QuerySet[SecurityEvent]:
    """The locks after wrong codes that are in force: within the lockout period, and not since
    lifted by an administrator."""
    unlocked_since = SecurityEvent.objects.filter(
        user=OuterRef("user"),
        kind=SecurityEventKind.UNLOCKED,
        occurred_at__gte=OuterRef("occurred_at"),
    )
    return SecurityEvent.objects.filter(
        kind=SecurityEventKind.SECOND_FACTOR_LOCKED, occurred_at__gte=_window_start()
    ).exclude(Exists(unlocked_since))


def second_factor_locked_until(user: User) -> datetime | None:
    lock = second_factor_locks().filter(user=user).order_by("-occurred_at").first()
    return lock.occurred_at + settings.AXES_COOLOFF_TIME if lock else None


def _wrong_codes_from(address: str | None) -> int:
    if address is None:
        return 0
    return SecurityEvent.objects.filter(
        kind=SecurityEventKind.SECOND_FACTOR_FAILED,
        ip_address=address,
        occurred_at__gte=_window_start(),
    ).count()


def second_factor_refusal(*, user: User, request: HttpRequest) -> str | None:
    """Why no code may be tried for this account from this request now, or None if one may."""
    if second_factor_locked_until(user):
        return (
            "You have entered too many wrong codes, so this account is locked for "
            f"{duration(settings.AXES_COOLOFF_TIME)}. Try again later, or ask your administrator "
            "to unlock it. If you did not try to sign in, tell your administrator now."
        )
    if _wrong_codes_from(client_address(request)) >= settings.CONVENE_SECOND_FACTOR_ADDRESS_LIMIT:
        return (
            "There have been too many wrong codes from your network. "
            f"Try again in {duration(settings.AXES_COOLOFF_TIME)}."
        )
    return None


def lock_after_too_many_wrong_codes(*, user: User, request: HttpRequest) -> bool:
    """After a wrong code (already in the security log), lock the account if the wrong codes
    since its last sign-in, unlock or lock reach the limit. True if it is now locked."""
    fresh_start = SecurityEvent.objects.filter(
        user=user,
        kind__in=[
            SecurityEventKind.SIGNED_IN,
            SecurityEventKind.UNLOCKED,
            SecurityEventKind.SECOND_FACTOR_LOCKED,
        ],
    ).aggregate(at=Max("occurred_at"))["at"]
    since = max(filter(None, [_window_start(), fresh_start]))
    wrong = SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.SECOND_FACTOR_FAILED, occurred_at__gt=since
    ).count()
    if wrong < settings.AXES_FAILURE_LIMIT:
        return False
    record_security_event(kind=SecurityEventKind.SECOND_FACTOR_LOCKED, request=request, user=user)
    return True
