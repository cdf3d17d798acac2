"""Project-wide pages: the health check, the accessibility statement and error pages."""

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For container health checks: whether the database and the broker answer, nothing more."""
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    healthy = all(checks.values())
    return JsonResponse(
        {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        status=200 if healthy else 503,
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


NOT_OFFERED = (
    "signup/",
    "email/",
    "confirm-email/",
    "password/set/",
    # The second factor is switched off only by an administrator's reset, never by its owner.
    "2fa/totp/deactivate/",
    "login/code/confirm/",
)


def not_offered(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the error may have come from the context itself.
    return render(None, "errors/500.html", status=500)
