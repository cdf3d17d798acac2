"""Endpoints behind the session timeout warning, and the page shown after a timeout."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.sessions import SessionClock


def _seconds_left(request: HttpRequest) -> JsonResponse:
    clock = SessionClock.of(request.session)
    seconds = max(0, int(clock.seconds_left())) if clock else 0
    return JsonResponse({"seconds_left": seconds})


@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left. Asking does not count as activity."""
    return _seconds_left(request)


@never_cache
@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """The user chose to stay signed in: this request counts as activity."""
    return _seconds_left(request)


def signed_out_inactive(request: HttpRequest) -> HttpResponse:
    return render(request, "account/signed_out_inactive.html")
