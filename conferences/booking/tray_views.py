"""Trays and calendars: the clerk's work, the IRO's coming conferences, a chair's week."""

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import Role, User
from accounts.permissions import role_required
from conferences.booking import trays
from conferences.booking.chairs import week_starting
from conferences.permissions import case_staff_only
from config.bounded import Bounded, first, first_of
from rules.timescales import today

# Each list shows its most urgent entries and says how many more there are: a whole country's
# tray is tens of thousands of rows, which nobody reads and no page should wait for.
TRAY_LISTED = 50
# A chair's coming conferences, and one chair's week: a few dozen at most in practice.
CHAIR_LISTED = 100


@role_required(Role.CLERK, Role.MANAGER)
def clerk_tray(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "conferences/clerk_tray.html",
        {
            "reviews_due": first(trays.reviews_due_without_booking(user), TRAY_LISTED),
            "unsent": first(trays.conferences_with_unsent_invitations(user), TRAY_LISTED),
            "short_notice": first_of(trays.conferences_with_short_police_notice(user), TRAY_LISTED),
            "awaiting_report": first(trays.conferences_awaiting_report(user), TRAY_LISTED),
            "unborn_past_due": first(trays.unborn_children_past_due(user), TRAY_LISTED),
        },
    )


@role_required(Role.IRO)
def my_conferences(request: HttpRequest) -> HttpResponse:
    conferences = first(trays.chair_upcoming(request.user), CHAIR_LISTED)
    return render(request, "conferences/my_conferences.html", {"conferences": conferences})


@case_staff_only
def chair_week(request: HttpRequest) -> HttpResponse:
    iros = User.objects.filter(is_active=True, roles__contains=[Role.IRO]).order_by("full_name")
    chair_id = request.GET.get("chair") or (
        request.user.pk if request.user.has_role(Role.IRO) else None
    )
    chair = get_object_or_404(iros, pk=chair_id) if chair_id else iros.first()
    try:
        monday = week_starting(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        monday = week_starting(today())
    conferences = (
        first(trays.chair_week(request.user, chair, monday), CHAIR_LISTED) if chair else Bounded()
    )
    days = [monday + timedelta(days=offset) for offset in range(5)]
    by_day = {day: [c for c in conferences if c.held_on == day] for day in days}
    return render(
        request,
        "conferences/chair_week.html",
        {
            "iros": iros,
            "chair": chair,
            "monday": monday,
            "by_day": by_day,
            "conferences": conferences,
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
        },
    )
