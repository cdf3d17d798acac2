"""Middleware for signed-in users: session timeouts, the second factor, and no caching."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from accounts.models import SecurityEventKind
from accounts.security_log import record_security_event
from accounts.sessions import SessionClock, mark_seen
from config.public import is_public

# Requests that ask about the session without counting as activity.
PASSIVE_VIEW_NAMES = frozenset({"session_status", "conferences:projector_data"})

# Pages a signed-in user without a second factor may still open: setting one up, and leaving.
SECOND_FACTOR_SET_UP_VIEW_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "session_status",
        "session_extend",
    }
)


def _view_name(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


class SessionTimeoutMiddleware:
    """Sign out a user idle for longer than the idle limit, or signed in for longer than the
    absolute limit, whatever the cookie says.

    It writes on any request, GET included, on purpose: the session's last activity, and a
    security log entry when it signs someone out. That is bookkeeping of the session, not of case
    records (tests/test_no_writes_on_get.py leaves these tables out, saying why)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        clock = SessionClock.of(request.session)
        if clock is None or clock.has_expired():
            user = request.user
            logout(request)
            record_security_event(
                kind=SecurityEventKind.SESSION_EXPIRED, request=request, user=user
            )
            if _view_name(request) in PASSIVE_VIEW_NAMES | {"session_extend"}:
                return JsonResponse({"seconds_left": 0}, status=401)
            return redirect("signed_out_inactive")
        if _view_name(request) not in PASSIVE_VIEW_NAMES:
            mark_seen(request.session)
        return None


class SecondFactorRequiredMiddleware:
    """Send a signed-in user who has no authenticator app to set one up before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED or not request.user.is_authenticated:
            return None
        view_name = _view_name(request)
        if is_public(view_name) or view_name in SECOND_FACTOR_SET_UP_VIEW_NAMES:
            return None
        has_factor = Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
        if has_factor:
            return None
        return redirect("mfa_activate_totp")


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user may hold case data: browsers must not keep them, so the
    back button after signing out cannot show them again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if was_signed_in or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response
