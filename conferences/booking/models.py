"""Conferences as booked: venues, closure days, the children at each and their stages, invitations,
participants and postponements."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from conferences.cases.models import Child, Family, Professional
from conferences.choices import (
    Attendance,
    AttendanceMode,
    ConferenceStatus,
    MeetingType,
    ParticipantKind,
    Stage,
)
from config.audit import audited
from config.concurrency import Versioned


@audited()
class ClosureDay(models.Model):
    """A day the council is closed beyond the bank holidays (not a working day)."""

    day = models.DateField(unique=True)
    description = models.CharField(max_length=100)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d %b %Y}: {self.description}"


@audited()
class Venue(models.Model):
    name = models.CharField(max_length=150, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited()
class PostponementReason(models.Model):
    """The managed list of reasons a conference is postponed or cancelled."""

    label = models.CharField(max_length=150, unique=True)
    needs_detail = models.BooleanField(default=False, help_text="'Other': the clerk must explain.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


def local_day(field: str = "starts_at") -> Cast:
    """The day in England a timestamp falls on (a 00:30 BST meeting is that day, not the one
    before in UTC): ``timezone('Europe/London', field)::date``. Conference's ``held_on``
    index is built on this expression for ``starts_at``; PostgreSQL uses an expression index
    only for a filter on the same expression, so filters on the day held use this one
    (reporting.figures.sql.held_between)."""
    in_england = models.Func(models.Value(settings.TIME_ZONE), models.F(field), function="timezone")
    return Cast(in_england, models.DateField())


# The meeting type is a fact the database keeps from the children's stages, not a record anyone
# writes: left out of the history, so keeping it writes no event (the stages' own are there).
@audited(exclude=["meeting_type"])
class Conference(Versioned):
    """One meeting for a family. Each child at it has their own stage (ConferenceChild)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="conferences")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=120)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="conferences")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_conferences"
    )
    status = models.CharField(
        max_length=20, choices=ConferenceStatus.choices, default=ConferenceStatus.BOOKED
    )
    is_past_record = models.BooleanField(
        default=False, help_text="Recorded after the event rather than booked ahead."
    )
    out_of_timescale_reason = models.TextField(blank=True)
    rebooked_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rebooked_as"
    )
    postponement_reason = models.ForeignKey(
        PostponementReason, null=True, blank=True, on_delete=models.PROTECT
    )
    postponement_detail = models.TextField(blank=True)
    # The social work report: when the family and the chair received it, or that they did not.
    report_to_family_on = models.DateField(null=True, blank=True)
    report_to_family_not_received = models.BooleanField(default=False)
    report_to_chair_on = models.DateField(null=True, blank=True)
    report_to_chair_not_received = models.BooleanField(default=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    # rules.meetings.meeting_type of the children's stages ("" with no children), kept by the
    # database in the transaction of every write to the children's places, and by it only:
    # a save of a Conference in hand leaves it as it is (rules/meetings.py). What the figures
    # read, so that they need not work it out for each meeting at every count.
    meeting_type = models.CharField(
        max_length=20, choices=MeetingType.choices, blank=True, db_default="", editable=False
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["chair", "starts_at"]),
            # The figures count meetings held by the day in England they took place. Not
            # partial: PostgreSQL estimates rows from an expression index's statistics only
            # when the index covers the whole table, and a year's meetings estimated at 2% of
            # their number led to nested loops over them.
            models.Index(local_day(), name="conference_held_on"),
        ]

    def __str__(self) -> str:
        return f"Conference on {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    @property
    def held_on(self):
        return timezone.localdate(self.starts_at)


@audited()
class ConferenceChild(models.Model):
    """A child at a conference, at their own stage, with the date the conference was due."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conference_places")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child__last_name", "child__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "child"], name="a_child_once_a_conference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} ({self.get_stage_display()})"


@audited()
class Invitation(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(null=True, blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    attendance_mode = models.CharField(max_length=20, choices=AttendanceMode.choices, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    report_in_agreed_format = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["professional__agency__name", "professional__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "professional"], name="invite_a_professional_once"
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.professional}"


@audited()
class Participant(models.Model):
    """A family member, the child, or a supporter at the conference, and how they will join."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(max_length=20, choices=ParticipantKind.choices)
    name = models.CharField(max_length=150)
    attendance_mode = models.CharField(
        max_length=20, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON
    )
    interpreter_language = models.CharField(max_length=50, blank=True)
    interpreter_preference = models.CharField(
        max_length=150, blank=True, help_text="For example, a female interpreter."
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
