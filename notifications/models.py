"""The notification outbox: every email is a row first, written with the event that causes it."""

import uuid

from django.db import models
from django.utils import timezone

from config.audit import audited


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


def new_message_id() -> str:
    return f"<{uuid.uuid4()}@convene>"


@audited()
class Notification(models.Model):
    """One email to one recipient. ``key`` makes it unique: what, for whom, for which due date,
    so a sweep that runs twice adds nothing."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=150, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    conference = models.ForeignKey(
        "conferences.Conference", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "conferences.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    feedback_link = models.ForeignKey(
        "conferences.FeedbackLink",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The questionnaire whose link is put into the body as it is sent.",
    )
    status = models.CharField(
        max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    message_id = models.CharField(max_length=100, default=new_message_id, unique=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    possible_duplicate = models.BooleanField(
        default=False, help_text="A send may have happened before a crash: this one may repeat it."
    )
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made in the conferences app; the label keeps its table, history and migrations.
        app_label = "conferences"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # The notification log, newest first (and "more than" its count): read in this order
            # and stopped at the page's end rather than sorting every notification.
            models.Index(fields=["-created_at", "-id"], name="notifications_newest_first"),
            # The log narrowed to one status (failed, pending), newest first.
            models.Index(
                fields=["status", "-created_at", "-id"], name="notifications_by_status_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_email}"
