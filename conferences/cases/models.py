"""Case records: families and children, the professionals and teams they work with, and who read a
record."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from conferences.cases.census_codes import UpnUnknown
from conferences.choices import (
    AgencyKind,
    Disability,
    EmploymentBasis,
    Ethnicity,
    Sex,
)
from config.audit import audited
from config.concurrency import Versioned


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
