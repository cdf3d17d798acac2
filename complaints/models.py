"""Complaints about the conference process, appeals against decisions, and agency dissent."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned


class Complainant(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    AGENCY = "agency", "Agency"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY = "partly", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


@audited()
class ComplaintReason(models.Model):
    """The managed list of reasons (the reference report's four to start with)."""

    label = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


@audited()
class Complaint(Versioned):
    complainant = models.CharField(max_length=20, choices=Complainant.choices)
    complainant_name = models.CharField(max_length=150)
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="complaints"
    )
    child = models.ForeignKey(
        "conferences.Child", on_delete=models.PROTECT, related_name="complaints"
    )
    received_on = models.DateField()
    reason = models.ForeignKey(ComplaintReason, on_delete=models.PROTECT)
    is_closed = models.BooleanField(default=False)
    resolved_at_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Complaint K{self.pk:06d}"

    @property
    def current_stage(self) -> "ComplaintStage":
        return self.stages.order_by("-stage").first()


@audited()
class ComplaintStage(models.Model):
    """One stage of a complaint; escalating starts the next and keeps this one as it was."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(
        choices=[(1, "Stage 1"), (2, "Stage 2"), (3, "Stage 3")]
    )
    started_on = models.DateField()
    response_due_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage"], name="a_stage_once_a_complaint")
        ]

    def __str__(self) -> str:
        return f"Stage {self.stage} of {self.complaint}"


@audited()
class Appeal(models.Model):
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="appeals"
    )
    child = models.ForeignKey("conferences.Child", on_delete=models.PROTECT, related_name="appeals")
    appellant = models.CharField(
        max_length=20, choices=[("parent", "Parent or carer"), ("young_person", "Young person")]
    )
    supported_by_advocate = models.BooleanField(default=False)
    received_on = models.DateField(default=timezone.localdate)
    grounds = models.TextField()
    iro_meeting_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    went_to_partnership_procedure = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Appeal A{self.pk:06d}"


@audited()
class AgencyDissent(models.Model):
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="dissents"
    )
    agency = models.ForeignKey("conferences.Agency", on_delete=models.PROTECT, related_name="+")
    point = models.TextField(help_text="The point of disagreement.")
    raised_on = models.DateField(default=timezone.localdate)
    escalated_to = models.CharField(
        max_length=20,
        blank=True,
        choices=[("team_manager", "Team manager"), ("service_manager", "Service manager")],
    )
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True, help_text="How it was resolved.")

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Dissent D{self.pk:06d}"
