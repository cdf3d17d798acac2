"""Template context shared by every page."""

from django.conf import settings

from .navigation import items_for


def navigation(request) -> dict:
    current = request.resolver_match.view_name if request.resolver_match else None
    return {
        "nav_items": items_for(request.user),
        "current_view_name": current,
        "demo_mode": settings.DEMO_MODE,
    }
