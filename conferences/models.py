"""Children, families, conferences, invitations and plans."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned

from .census_codes import UpnUnknown
from .choices import (
    AgencyKind,
    Attendance,
    AttendanceMode,
    ConferenceStatus,
    Disability,
    EmploymentBasis,
    Ethnicity,
    ParticipantKind,
    PlanCategory,
    PlanEndReason,
    Sex,
    Stage,
)


@audited()
class Locality(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


@audited()
class Agency(models.Model):
    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


@audited()
class Professional(Versioned):
    """A contact outside the IRO service: social workers, their managers, agency staff."""

    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="professionals")
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="team_members"
    )

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.agency})"


@audited()
class IroDetails(models.Model):
    """What the service needs to know about an IRO to plan the work: hours and basis."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="iro_details"
    )
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2, default=1)
    basis = models.CharField(
        max_length=20, choices=EmploymentBasis.choices, default=EmploymentBasis.PERMANENT
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.fte} FTE, {self.get_basis_display()})"


@audited()
class ClosureDay(models.Model):
    """A day the council is closed beyond the bank holidays (not a working day)."""

    day = models.DateField(unique=True)
    description = models.CharField(max_length=100)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d %b %Y}: {self.description}"


class Restrictable(models.Model):
    """A record that can be restricted to named staff: then nobody else can find or open it."""

    is_restricted = models.BooleanField(default=False)
    named_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        abstract = True


@audited()
class Family(Restrictable, Versioned):
    name = models.CharField(
        max_length=150, help_text="How the service refers to the household, e.g. Smith/Jones."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"{self.name} family"


@audited()
class Child(Restrictable, Versioned):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    local_case_id = models.CharField("local case ID", max_length=30, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    disabilities = ArrayField(
        models.CharField(max_length=4, choices=Disability.choices), default=list, blank=True
    )
    first_language = models.CharField(max_length=50, blank=True)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)
    social_worker = models.ForeignKey(
        Professional, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    strategy_discussion_on = models.DateField(
        null=True, blank=True, help_text="Started the section 47 enquiry: the initial clock."
    )
    transfer_notified_on = models.DateField(
        null=True, blank=True, help_text="When another authority told us of a transfer in."
    )
    previous_plans_elsewhere = models.PositiveSmallIntegerField(
        default=0, help_text="Plans before Convene or in another authority."
    )
    sensitive_end_on = models.DateField(
        null=True, blank=True, help_text="A death, miscarriage or stillbirth: nothing is chased."
    )
    date_of_death = models.DateField(null=True, blank=True)
    upn = models.CharField(
        "unique pupil number (UPN)", max_length=13, blank=True, help_text="13 characters."
    )
    upn_unknown_reason = models.CharField(
        "why there is no UPN", max_length=4, choices=UpnUnknown.choices, blank=True
    )
    needs_completion = models.BooleanField(
        default=False, help_text="Imported from a census file: names and family to add."
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                name="child_has_a_birth_or_expected_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.local_case_id

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


@audited()
class ChildProtectionPlan(Versioned):
    """One child's plan, from the conference that started it to the one that ended it."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=PlanEndReason.choices, blank=True)
    categories = ArrayField(
        models.CharField(max_length=3, choices=PlanCategory.choices), default=list, blank=True
    )
    # A plan imported from a census file has no conferences in Convene: the census's own
    # initial and latest categories (NEG PHY EMO SAB MUL) and review dates are kept on it.
    imported_initial_category = models.CharField(max_length=3, blank=True)
    imported_latest_category = models.CharField(max_length=3, blank=True)
    imported_review_dates = ArrayField(models.DateField(), default=list, blank=True)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_plan_a_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="plan_ends_after_it_starts",
            ),
            ExclusionConstraint(
                name="plans_for_a_child_never_overlap",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (
                        DateRange("started_on", "ended_on", models.Value("[)")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"Plan from {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


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


@audited()
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

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["chair", "starts_at"])]

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


class RecordAccess(models.Model):
    """Who opened which child's record, and when: evidence, never changed or removed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="accesses")
    page = models.CharField(max_length=50)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        triggers = [
            pgtrigger.Protect(
                name="record_accesses_are_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.page} at {self.accessed_at:%Y-%m-%d %H:%M}"


# The conference record lives in its own module to keep this one short; Django finds its models
# through this import.
from .census_models import CinEpisode  # noqa: E402, F401
from .challenge_models import Challenge, ChallengeReason, GoodPracticeNote  # noqa: E402, F401
from .cusab_models import CusabMeeting  # noqa: E402, F401
from .feedback_models import FeedbackLink, FeedbackResponse  # noqa: E402, F401
from .outbox_models import Notification  # noqa: E402, F401
from .record_models import (  # noqa: E402, F401
    ChildDecision,
    ConferenceRecord,
    CoreGroupMeeting,
    Dissent,
    PlanAction,
    RecordAmendment,
    RecordDraft,
    RecordRelease,
    SafetyEntry,
    SafetyScore,
)
