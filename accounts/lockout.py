"""How django-axes names the account a sign-in attempt is for."""

from django.http import HttpRequest


def username_for_attempt(request: HttpRequest, credentials: dict | None) -> str:
    """The email address tried, lower-cased, so that 'A@x' and 'a@x' share one failure count."""
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if not email and request is not None:
        email = request.POST.get("login", "")
    return (email or "").strip().lower()
