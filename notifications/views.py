"""The notification log: what was sent to whom, when, and what is waiting or failed."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from conferences.queries import children_visible_to, conferences_visible_to, none_or_among
from config.bounded import first
from notifications import outbox
from notifications.models import Notification, NotificationStatus

# Newest first; a national log holds millions, so the page shows the newest and how many more,
# counted up to a ceiling (an exact count of every notification took most of the page's time).
LISTED = 200
COUNTED_UP_TO = 1000


def _visible_notifications(user):
    """Only notifications about records the user may see (restricted ones stay hidden)."""
    return Notification.objects.filter(
        none_or_among(conferences_visible_to(user), "conference_id"),
        none_or_among(children_visible_to(user), "child_id"),
    )


@role_required(Role.CLERK, Role.MANAGER, Role.IRO)
def notification_log(request: HttpRequest) -> HttpResponse:
    notifications = _visible_notifications(request.user)
    if not request.user.has_role(Role.CLERK) and not request.user.has_role(Role.MANAGER):
        notifications = notifications.filter(conference__chair=request.user)
    status = request.GET.get("status")
    if status in NotificationStatus.values:
        notifications = notifications.filter(status=status)
    return render(
        request,
        "conferences/notification_log.html",
        {
            "notifications": first(
                notifications.select_related("conference"), LISTED, count_up_to=COUNTED_UP_TO
            ),
            "statuses": NotificationStatus.choices,
            "status": status,
            "can_resend": request.user.has_role(Role.CLERK) or request.user.has_role(Role.MANAGER),
        },
    )


@require_POST
@role_required(Role.CLERK, Role.MANAGER)
def notification_resend(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(_visible_notifications(request.user), pk=notification_id)
    outbox.resend(actor=request.user, notification=notification)
    messages.success(request, "The notification will be sent again")
    return redirect("conferences:notification_log")
