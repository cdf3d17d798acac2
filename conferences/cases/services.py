"""Every write to a case record: families, children, births, professionals and reference lists, and
the note of who read a record."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from accounts.models import User
from conferences.booking.services import recompute_due_dates
from conferences.choices import Sex
from conferences.models import (
    Agency,
    Child,
    Family,
    Locality,
    Professional,
    RecordAccess,
)
from config.concurrency import save_if_unchanged
from config.services import FieldValues, Refused, audited_write, write_service
from rules.timescales import today


@write_service("create_family")
def create_family(
    *, actor: User, name: str, is_restricted: bool = False, named_staff: Iterable[User] = ()
) -> Family:
    family = Family.objects.create(name=name, is_restricted=is_restricted)
    family.named_staff.set(_with_actor(named_staff, actor, is_restricted))
    return family


def _with_actor(named_staff: Iterable[User], actor: User, is_restricted: bool) -> list[User]:
    # Whoever restricts a record stays able to open it.
    staff = list(named_staff)
    if is_restricted and actor not in staff:
        staff.append(actor)
    return staff


@dataclass(frozen=True)
class ChildDetails(FieldValues):
    """What a clerk records about a child: the fields the child form changes."""

    local_case_id: str
    last_name: str
    first_name: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = Sex.UNKNOWN
    ethnicity: str = ""
    disabilities: list[str] = field(default_factory=list)
    first_language: str = ""
    locality: Locality | None = None
    social_worker: Professional | None = None
    strategy_discussion_on: date | None = None
    transfer_notified_on: date | None = None
    upn: str = ""
    upn_unknown_reason: str = ""
    date_of_death: date | None = None
    is_restricted: bool = False


@write_service("create_child")
def create_child(
    *, actor: User, family: Family, details: ChildDetails, named_staff: Iterable[User] = ()
) -> Child:
    """Add a child (or an unborn baby, with an expected date of birth) to a family."""
    child = Child(family=family)
    details.apply_to(child)
    child.save()
    child.named_staff.set(_with_actor(named_staff, actor, child.is_restricted))
    return child


@write_service("update_child")
def update_child(
    *,
    actor: User,
    child: Child,
    details: ChildDetails,
    expected_version: int,
    named_staff: Iterable[User] = (),
) -> Child:
    """Change a child's details; EditConflict if someone else saved first."""
    details.apply_to(child)
    save_if_unchanged(child, expected_version=expected_version, fields=ChildDetails.names())
    child.named_staff.set(_with_actor(named_staff, actor, child.is_restricted))
    recompute_due_dates(child)
    return child


@write_service("record_birth")
def record_birth(*, actor: User, child: Child, born_on: date, expected_version: int) -> Child:
    """The unborn child is born: the same child and plan go on, with the date of birth set and
    the due dates that depend on it (the pre-birth first review) recomputed."""
    if not child.is_unborn:
        raise Refused({"born_on": [f"{child} already has a date of birth"]})
    if born_on > today():
        raise Refused({"born_on": ["The date of birth cannot be in the future"]})
    child.date_of_birth = born_on
    save_if_unchanged(child, expected_version=expected_version, fields=["date_of_birth"])
    recompute_due_dates(child)
    return child


def log_record_access(
    *,
    actor: User,
    child_ids: Collection[int],
    page: str,
    unless_logged_since: datetime | None = None,
) -> None:
    """Write that a page showed these children to the actor: one row each, in one insert.

    With ``unless_logged_since``, a child already logged for this actor and page since then is
    not logged again (pages a browser polls). Not audited twice: the log is the audit."""
    ids = set(child_ids)
    if ids and unless_logged_since is not None:
        ids -= set(
            RecordAccess.objects.filter(
                user=actor, page=page, child_id__in=ids, accessed_at__gte=unless_logged_since
            ).values_list("child_id", flat=True)
        )
    now = timezone.now()
    RecordAccess.objects.bulk_create(
        [RecordAccess(user=actor, child_id=pk, page=page, accessed_at=now) for pk in sorted(ids)]
    )


@dataclass(frozen=True)
class ProfessionalDetails(FieldValues):
    """A contact's details: the fields the contact form changes."""

    full_name: str
    email: str
    agency: Agency
    phone: str = ""
    job_title: str = ""
    locality: Locality | None = None
    manager: Professional | None = None


@write_service("add_professional")
def add_professional(*, actor: User, details: ProfessionalDetails) -> Professional:
    """Add a contact: a social worker, team manager or agency professional."""
    professional = Professional()
    details.apply_to(professional)
    professional.save()
    return professional


@write_service("update_professional")
def update_professional(
    *, actor: User, professional: Professional, details: ProfessionalDetails, expected_version: int
) -> Professional:
    details.apply_to(professional)
    save_if_unchanged(
        professional, expected_version=expected_version, fields=ProfessionalDetails.names()
    )
    return professional


def add_reference_item(*, actor: User, model, **values):
    """Add to a managed list (agencies, localities, venues, closure days, reasons)."""
    with audited_write(actor, f"add_{model._meta.model_name}"):
        return model.objects.create(**values)
