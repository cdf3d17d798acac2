"""The sign-in and account security log: who, what, when and from which address."""

from django.http import HttpRequest

from accounts.models import SecurityEvent, SecurityEventKind, User


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the web server saw it (the proxy's, behind one)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_security_event(
    *,
    kind: SecurityEventKind,
    request: HttpRequest | None = None,
    user: User | None = None,
    actor: User | None = None,
    attempted_email: str = "",
) -> SecurityEvent:
    """Write one security event. Called by services and by allauth/axes signal receivers."""
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        attempted_email=attempted_email[:254],
        ip_address=client_address(request),
    )
