"""Writing to the outbox and dispatching from it: at-least-once, with a stable message identity.

A notification is written in the transaction that causes it. After commit, a task is queued to
send it; if Redis is down the row simply waits for the periodic dispatcher. Sending claims the row
(status "sending") in its own transaction, sends, then marks it sent. A worker that dies after the
claim leaves the row "sending": after a grace period it goes back to pending; if the provider may
already have accepted it, the retry is flagged as a possible duplicate.

A secret link (a questionnaire's) is never stored: the body holds LINK_PLACEHOLDER and the link
is made as the email goes to the provider, the same link on every attempt. The app that owns the
link registers how to make and renew it (``register_secret_links``), so the outbox, used by every
app, depends on none of them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.services import write_service
from notifications.models import Notification, NotificationStatus
from notifications.providers import OutgoingEmail, configured_provider

log = logging.getLogger(__name__)
RETRY_DELAYS = (60, 300, 1800, 7200)  # seconds: back-off between attempts
LINK_PLACEHOLDER = "[the link is added when this email is sent]"


@dataclass(frozen=True)
class SecretLinks:
    make: Callable[[Any], str]  # the working link for a stored link row, made now
    renew: Callable[[Any], None]  # give the link its full time again, counted from now


_secret_links: SecretLinks | None = None


def register_secret_links(links: SecretLinks) -> None:
    global _secret_links
    _secret_links = links


def secret_links() -> SecretLinks:
    if _secret_links is None:
        raise RuntimeError("no app has registered how to make a notification's secret link")
    return _secret_links


def sign_in_link() -> str:
    return settings.CONVENE_BASE_URL.rstrip("/") + "/"


def notify(
    *,
    key: str,
    kind: str,
    to: str,
    name: str = "",
    subject: str,
    body: str,
    conference=None,
    child=None,
    due_on: date | None = None,
    sign_in_footer: bool = True,
    feedback_link=None,
) -> Notification | None:
    """Write a notification unless one with this key exists (None then). Call inside the
    transaction of the event; the send is queued when it commits. With a ``feedback_link``, the
    body says LINK_PLACEHOLDER where the questionnaire's link goes."""
    if Notification.objects.filter(key=key).exists():
        return None
    if child is not None and child.sensitive_end_on is not None:
        return None
    try:
        with transaction.atomic():
            row = Notification.objects.create(
                key=key,
                kind=kind,
                recipient_email=to,
                recipient_name=name,
                subject=subject,
                body=(
                    f"{body}\n\nSign in to Convene to see the details: {sign_in_link()}"
                    if sign_in_footer
                    else body  # for people outside the council, who have no account
                ),
                conference=conference,
                child=child,
                due_on=due_on,
                feedback_link=feedback_link,
            )
    except IntegrityError:
        return None  # a concurrent sweep wrote it first
    transaction.on_commit(lambda: _queue(row.pk), robust=True)
    return row


def _queue(notification_id: int) -> None:
    from notifications.tasks import send_notification

    try:
        send_notification.apply_async(args=[notification_id], retry=False)
    except Exception:  # the broker is down: the periodic dispatcher will send it
        log.warning("notification %s left for the periodic dispatcher", notification_id)


def claim(notification_id: int) -> Notification | None:
    """Take a pending row for sending, or None if someone else has it or it is not due."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                pk=notification_id,
                status=NotificationStatus.PENDING,
                next_attempt_at__lte=timezone.now(),
            )
            .first()
        )
        if row is None:
            return None
        row.status = NotificationStatus.SENDING
        row.attempts += 1
        row.claimed_at = timezone.now()
        row.save(update_fields=["status", "attempts", "claimed_at"])
    return row


def body_as_sent(row: Notification) -> str:
    """The body with its secret link made now: it exists in the email and nowhere else."""
    if row.feedback_link_id is None:
        return row.body
    return row.body.replace(LINK_PLACEHOLDER, secret_links().make(row.feedback_link))


def deliver(row: Notification) -> str:
    email = OutgoingEmail(
        to=row.recipient_email,
        subject=row.subject,
        body=body_as_sent(row),
        message_id=row.message_id,
    )
    return configured_provider().send(email)


def mark_sent(row: Notification, reference: str) -> None:
    Notification.objects.filter(pk=row.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        provider_reference=reference,
        last_error="",
    )


def mark_failed(row: Notification, error: Exception) -> None:
    attempt = row.attempts
    if attempt > len(RETRY_DELAYS):
        status, next_at = NotificationStatus.FAILED, timezone.now()
    else:
        status = NotificationStatus.PENDING
        next_at = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    # The error's type only: provider messages can echo the address or the content.
    Notification.objects.filter(pk=row.pk).update(
        status=status, next_attempt_at=next_at, last_error=type(error).__name__
    )


def send_one(notification_id: int) -> bool:
    """Claim, send and mark one notification. True if this call sent it."""
    row = claim(notification_id)
    if row is None:
        return False
    if row.possible_duplicate:
        log.warning("notification %s may be a duplicate of message %s", row.pk, row.message_id)
    try:
        reference = deliver(row)
    except Exception as error:
        mark_failed(row, error)
        return False
    mark_sent(row, reference)
    return True


def release_stuck(*, older_than: timedelta | None = None) -> int:
    """Rows claimed by a worker that never finished go back to pending, flagged: the provider
    may have accepted them before the worker died."""
    older_than = older_than or timedelta(minutes=settings.CONVENE_OUTBOX_STUCK_MINUTES)
    return Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=timezone.now() - older_than
    ).update(
        status=NotificationStatus.PENDING, possible_duplicate=True, next_attempt_at=timezone.now()
    )


def pending_ids(limit: int = 500) -> list[int]:
    return list(
        Notification.objects.filter(
            status=NotificationStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def dispatch_pending() -> int:
    """Send everything due (what the periodic dispatcher runs)."""
    release_stuck()
    return sum(send_one(notification_id) for notification_id in pending_ids())


@write_service("resend_notification")
def resend(*, actor, notification: Notification) -> None:
    """Send a failed notification again (from the notification log). A questionnaire in it gets
    its full time again, counted from now."""
    if notification.status != NotificationStatus.FAILED:
        return
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if notification.feedback_link_id is not None:
        secret_links().renew(notification.feedback_link)
    transaction.on_commit(lambda: _queue(notification.pk), robust=True)


def cancel_pending_for_child(child) -> int:
    return Notification.objects.filter(
        child=child, status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED]
    ).update(status=NotificationStatus.CANCELLED)


def queue_dispatch() -> None:
    """Ask a worker to send what is pending; if the broker is down, beat's dispatcher will."""
    from notifications.tasks import dispatch_pending as dispatch_task

    try:
        dispatch_task.apply_async(retry=False)
    except Exception:
        log.warning("dispatch left for the periodic dispatcher")
