"""Template context shared by every page."""

from django.conf import settings

from accounts.navigation import items_for
from accounts.sessions import SessionClock


def navigation(request) -> dict:
    current = request.resolver_match.view_name if request.resolver_match else None
    clock = SessionClock.of(request.session) if request.user.is_authenticated else None
    return {
        "session_seconds_left": int(clock.seconds_left()) if clock else None,
        "session_warning_seconds": int(settings.SESSION_TIMEOUT_WARNING.total_seconds()),
        "nav_items": items_for(request.user),
        "current_view_name": current,
        "demo_mode": settings.DEMO_MODE,
    }
