"""The conference record: Signs of Safety map, decisions per child, plans and core groups."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned

from .choices import (
    AssessmentFactor,
    Decision,
    EntryKind,
    PlanCategory,
    PlanEndReason,
    SafetyColumn,
    ScoreGiver,
    Visibility,
)

SCALE = Q(score__gte=0) & Q(score__lte=10)


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINALISED = "finalised", "Signed off"


@audited()
class ConferenceRecord(Versioned):
    """What the chair records of one conference."""

    conference = models.OneToOneField(
        "conferences.Conference", on_delete=models.PROTECT, related_name="record"
    )
    status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    pre_meeting_held = models.BooleanField(null=True, blank=True)
    inquorate_reason = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    parent_views = models.TextField(blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_letter_sent_on = models.DateField(null=True, blank=True)
    record_distributed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Record of {self.conference}"

    @property
    def is_finalised(self) -> bool:
        return self.status == RecordStatus.FINALISED


@audited()
class SafetyEntry(models.Model):
    """One line on the Signs of Safety map, with who may see it."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="entries")
    column = models.CharField(max_length=20, choices=SafetyColumn.choices)
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    text = models.TextField()
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    hidden_from = models.CharField(
        max_length=150,
        blank=True,
        help_text="The person who must not see it, when not for a named person.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"

    def is_visible_to(self, recipient: "Recipient") -> bool:
        if self.visibility == Visibility.EVERYONE:
            return True
        if self.visibility == Visibility.NOT_FAMILY:
            return not recipient.is_family
        return recipient.name.strip().lower() != self.hidden_from.strip().lower() and not (
            recipient.is_room
        )


class Recipient:
    """Who a view or copy of the record is for: the room (projector), the family, or a person."""

    def __init__(self, *, name: str, is_family: bool, is_room: bool = False):
        self.name, self.is_family, self.is_room = name, is_family, is_room


ROOM = Recipient(name="Everyone in the room", is_family=True, is_room=True)


@audited()
class SafetyScore(models.Model):
    """A safety scale score, 0 to 10, overall (no entry) or for one danger statement."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(
        SafetyEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.PositiveSmallIntegerField()
    given_by = models.CharField(max_length=20, choices=ScoreGiver.choices)

    class Meta:
        constraints = [models.CheckConstraint(condition=SCALE, name="safety_scale_is_0_to_10")]

    def __str__(self) -> str:
        return f"{self.score}/10 ({self.get_given_by_display()})"


@audited()
class Dissent(models.Model):
    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="dissents")
    dissenter = models.CharField(max_length=150)
    words = models.TextField(help_text="In the dissenter's own words.")

    def __str__(self) -> str:
        return f"Dissent from {self.dissenter}"


@audited()
class ChildDecision(models.Model):
    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="decisions")
    place = models.OneToOneField(
        "conferences.ConferenceChild", on_delete=models.PROTECT, related_name="decision"
    )
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    end_reason = models.CharField(max_length=30, choices=PlanEndReason.choices, blank=True)
    categories = ArrayField(
        models.CharField(max_length=3, choices=PlanCategory.choices), default=list, blank=True
    )
    multiple_categories_reason = models.TextField(blank=True)
    factors = ArrayField(
        models.CharField(max_length=3, choices=AssessmentFactor.choices), default=list, blank=True
    )
    next_review_on = models.DateField(null=True, blank=True)
    first_core_group_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.place.child}: {self.get_decision_display() or 'no decision yet'}"


@audited()
class PlanAction(models.Model):
    """The outline plan: who does what by when."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="actions")
    who = models.CharField(max_length=150)
    what = models.TextField()
    by_when = models.DateField()

    class Meta:
        ordering = ["by_when", "pk"]

    def __str__(self) -> str:
        return f"{self.who}: {self.what[:40]}"


class RecordDraft(models.Model):
    """What the chair had typed, saved as they type, so a timeout or closed laptop loses nothing."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "author"], name="one_draft_per_author")
        ]

    def __str__(self) -> str:
        return f"Draft saved {self.saved_at:%H:%M}"


@audited()
class RecordAmendment(models.Model):
    record = models.ForeignKey(
        ConferenceRecord, on_delete=models.CASCADE, related_name="amendments"
    )
    reason = models.TextField()
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["amended_at"]

    def __str__(self) -> str:
        return f"Amendment {self.amended_at:%d %b %Y}"


@audited()
class RecordRelease(models.Model):
    """A copy of the signed-off record given to one recipient: who got which version, when."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.PROTECT, related_name="releases")
    recipient_name = models.CharField(max_length=150)
    recipient_is_family = models.BooleanField()
    record_version = models.PositiveIntegerField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"Version {self.record_version} to {self.recipient_name}"

    @property
    def recipient(self) -> Recipient:
        return Recipient(name=self.recipient_name, is_family=self.recipient_is_family)


@audited()
class CoreGroupMeeting(models.Model):
    child = models.ForeignKey(
        "conferences.Child", on_delete=models.PROTECT, related_name="core_groups"
    )
    plan = models.ForeignKey(
        "conferences.ChildProtectionPlan", on_delete=models.PROTECT, related_name="core_groups"
    )
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line.")
    actions_updated = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"Core group on {self.held_on:%d %b %Y}"
