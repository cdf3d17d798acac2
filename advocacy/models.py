"""Referrals of young people to the child protection advocacy service."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    CONTACTED = "contacted", "Contacted (with the parents)"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SUPPORTING = "supporting", "Supporting"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (
    ReferralStatus.REFERRED,
    ReferralStatus.CONTACTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.SUPPORTING,
)
# Which status may follow which (5.5.3: first contact, made with the parents, comes first).
NEXT_STATUSES = {
    ReferralStatus.REFERRED: (
        ReferralStatus.CONTACTED,
        ReferralStatus.DECLINED,
        ReferralStatus.CLOSED,
    ),
    ReferralStatus.CONTACTED: (
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.CLOSED,
    ),
    ReferralStatus.ACCEPTED: (ReferralStatus.SUPPORTING, ReferralStatus.CLOSED),
    ReferralStatus.SUPPORTING: (ReferralStatus.CLOSED,),
    ReferralStatus.DECLINED: (),
    ReferralStatus.CLOSED: (),
}
DATE_FIELD_OF_STATUS = {
    ReferralStatus.CONTACTED: "contacted_on",
    ReferralStatus.ACCEPTED: "accepted_on",
    ReferralStatus.DECLINED: "declined_on",
    ReferralStatus.SUPPORTING: "support_started_on",
    ReferralStatus.CLOSED: "closed_on",
}


@audited()
class Referral(Versioned):
    child = models.ForeignKey(
        "conferences.Child", on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    referred_on = models.DateField(default=timezone.localdate)
    is_automatic = models.BooleanField(default=False)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advocate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advocacy_referrals",
        help_text="The named advocate (required for a restricted child).",
    )
    contacted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    support_started_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    young_person_views = models.TextField(
        blank=True, help_text="What the young person wants the conference to hear."
    )
    supported_appeal = models.BooleanField(default=False)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="one_open_referral_a_child",
            )
        ]

    def __str__(self) -> str:
        return f"Referral of {self.child} on {self.referred_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@audited()
class ReferralConference(models.Model):
    """A conference the referred young person is the subject of, and whether the advocate went."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="conferences")
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="+"
    )
    advocate_attended = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "conference"], name="a_conference_once_a_referral"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral} at {self.conference}"
