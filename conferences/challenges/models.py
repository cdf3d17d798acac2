"""IRO challenges and escalations, and their positive counterpart, good practice notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned


class ChallengeLevel(models.IntegerChoices):
    INFORMAL = 1, "Informal practice discussion"
    TEAM_MANAGER = 2, "Team manager"
    SERVICE_MANAGER = 3, "Service manager"
    HEAD_OF_SERVICE = 4, "Head of service"
    DIRECTOR = 5, "Director"


@audited()
class ChallengeReason(models.Model):
    label = models.CharField(max_length=150, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


@audited()
class Challenge(Versioned):
    """One step of an IRO's challenge; escalating adds the next level's step linked to this one."""

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "conferences.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    conference = models.ForeignKey(
        "conferences.Conference", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(choices=ChallengeLevel.choices)
    raised_with_team = models.ForeignKey(
        "conferences.Locality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_with_agency = models.ForeignKey(
        "conferences.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.ForeignKey(ChallengeReason, on_delete=models.PROTECT)
    detail = models.TextField()
    raised_on = models.DateField()
    response_due_on = models.DateField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    escalated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_to"
    )

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Challenge H{self.pk:06d} ({self.get_level_display()})"

    @property
    def is_escalated(self) -> bool:
        return hasattr(self, "escalated_to")


@audited()
class GoodPracticeNote(models.Model):
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "conferences.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credited_to = models.CharField(
        max_length=200, help_text="The team, agency or person it credits."
    )
    what_went_well = models.TextField()
    noted_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-noted_on", "-pk"]

    def __str__(self) -> str:
        return f"Good practice by {self.credited_to}"
