"""The conference record: Signs of Safety map, decisions per child and the plan's outline."""

import hashlib

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from conferences.choices import (
    AssessmentFactor,
    Decision,
    EntryKind,
    PlanCategory,
    PlanEndReason,
    SafetyColumn,
    ScoreGiver,
    Visibility,
)
from config.audit import audited
from config.concurrency import Versioned
from rules.audience import RecipientSide

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
    # "Not for a named person" names one of the conference's own people, chosen from a list:
    # a typed name could be spelt (or spaced) differently from the name on a copy. If that
    # person leaves the conference, the entry is shown to nobody until the chair chooses again.
    hidden_from_participant = models.ForeignKey(
        "conferences.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_from_invitation = models.ForeignKey(
        "conferences.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legacy_hidden_from = models.CharField(
        max_length=150,
        blank=True,
        help_text="A name typed before people were chosen from a list, that matched no one.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_from_participant__isnull=True)
                | Q(hidden_from_invitation__isnull=True),
                name="safety_entry_hidden_from_one_person",
            ),
            models.CheckConstraint(
                condition=Q(visibility=Visibility.NOT_NAMED)
                | (
                    Q(hidden_from_participant__isnull=True) & Q(hidden_from_invitation__isnull=True)
                ),
                name="safety_entry_hidden_from_only_when_not_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"

    @property
    def hidden_from_name(self) -> str:
        """Who must not see it, for the chair's and the service's own pages."""
        if self.hidden_from_participant_id:
            return self.hidden_from_participant.name
        if self.hidden_from_invitation_id:
            return self.hidden_from_invitation.professional.full_name
        if self.visibility != Visibility.NOT_NAMED:
            return ""
        typed = (
            f"typed as \u201c{self.legacy_hidden_from}\u201d, " if self.legacy_hidden_from else ""
        )
        return f"nobody chosen ({typed}left out of every copy until the chair chooses who)"


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


# A release is evidence of who was given what: never changed or removed, which the database
# enforces as well as the audit.
@audited()
class RecordRelease(models.Model):
    """A copy of the signed-off record given to one recipient: who got which version, when."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField(help_text="1 for the record's first copy, and so on.")
    recipient_name = models.CharField(max_length=150)
    recipient_description = models.CharField(max_length=150, blank=True)
    recipient_reference = models.CharField(
        max_length=30, blank=True, help_text="family, participant:<id> or invitation:<id>."
    )
    recipient_is_family = models.BooleanField(help_text="Given the family version.")
    record_version = models.PositiveIntegerField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-released_at", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="one_release_per_number")
        ]
        triggers = [
            pgtrigger.Protect(
                name="record_releases_are_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Release {self.number}: version {self.record_version} to {self.recipient_name}"

    @property
    def version_name(self) -> str:
        side = RecipientSide.FAMILY if self.recipient_is_family else RecipientSide.PROFESSIONAL
        return side.label

    @property
    def recipient_label(self) -> str:
        if self.recipient_description:
            return f"{self.recipient_name} ({self.recipient_description})"
        return self.recipient_name

    @property
    def file_name(self) -> str:
        """Only references: no child's or family member's name leaves in a file name."""
        conference = f"C{self.record.conference_id:06d}"
        version = "family" if self.recipient_is_family else "professionals"
        return (
            f"conference-record-{conference}-release-{self.number}"
            f"-v{self.record_version}-{version}-version.pdf"
        )


class ReleasedCopy(models.Model):
    """The PDF exactly as it was given, with its SHA-256: a copy is never made again from a
    record that has changed since. Not audited by pghistory (that would copy every PDF into
    the history table); like the other evidence tables, never changed or removed."""

    release = models.OneToOneField(RecordRelease, on_delete=models.PROTECT, related_name="copy")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "released copies"
        triggers = [
            pgtrigger.Protect(
                name="released_copies_are_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Copy of release {self.release_id}"

    @property
    def is_intact(self) -> bool:
        return hashlib.sha256(bytes(self.pdf)).hexdigest() == self.sha256
