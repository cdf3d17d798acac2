"""Every write to advocacy referrals."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import Role, User
from advocacy.models import (
    DATE_FIELD_OF_STATUS,
    NEXT_STATUSES,
    OPEN_STATUSES,
    Referral,
    ReferralConference,
    ReferralStatus,
)
from advocacy.permissions import may_act_on, may_take
from config.concurrency import save_if_unchanged
from config.services import Refused, write_service
from rules.ages import age_on


def is_eligible(child, on: date) -> bool:
    return (
        child.date_of_birth is not None
        and age_on(child.date_of_birth, on) >= settings.CONVENE_ADVOCACY_AGE
    )


def _named_advocate(child) -> User | None:
    return child.named_staff.filter(roles__contains=[Role.ADVOCATE], is_active=True).first()


def _announce(referral: Referral) -> None:
    from notifications.outbox import notify

    if referral.child.is_restricted or referral.child.family.is_restricted:
        if referral.advocate is None:
            return  # only a named advocate may hear of a restricted child; none is named yet
        to, name = referral.advocate.email, referral.advocate.full_name
    else:
        to, name = settings.CONVENE_ADVOCATES_MAILBOX, "Advocacy service"
    notify(
        key=f"advocacy-referral:{referral.pk}",
        kind="advocacy_referral",
        to=to,
        name=name,
        subject="New referral to the advocacy service",
        body=f"Referral R{referral.pk:06d} has been made to the advocacy service.",
        child=referral.child,
    )


def refer_for_conference(*, actor: User | None, child, conference) -> Referral | None:
    """Called when a conference is booked: refer a young person of the set age, or attach the
    conference to their open referral. Returns the referral, or None if not eligible."""
    open_referral = Referral.objects.filter(child=child, status__in=OPEN_STATUSES).first()
    if open_referral is None:
        if not is_eligible(child, conference.held_on):
            return None
        try:
            with transaction.atomic():
                open_referral = Referral.objects.create(
                    child=child,
                    is_automatic=True,
                    referred_by=actor,
                    referred_on=conference.booked_at.date(),
                    advocate=_named_advocate(child)
                    if child.is_restricted or child.family.is_restricted
                    else None,
                )
        except IntegrityError:  # a concurrent booking referred the child first
            open_referral = Referral.objects.get(child=child, status__in=OPEN_STATUSES)
        else:
            _announce(open_referral)
    ReferralConference.objects.get_or_create(referral=open_referral, conference=conference)
    return open_referral


@write_service("refer_to_advocate")
def refer_manually(*, actor: User, child, advocate: User | None = None) -> Referral:
    """A clerk refers a young person (a younger child, say) by hand."""
    if not child.conference_places.exists():
        raise Refused(f"{child} has no conference: book one before referring", field="advocate")
    if Referral.objects.filter(child=child, status__in=OPEN_STATUSES).exists():
        raise Refused(f"{child} already has an open referral", field="advocate")
    if (child.is_restricted or child.family.is_restricted) and advocate is None:
        advocate = _named_advocate(child)
        if advocate is None:
            raise Refused(
                "This child's record is restricted: name an advocate on it first", field="advocate"
            )
    referral = Referral.objects.create(child=child, referred_by=actor, advocate=advocate)
    for place in child.conference_places.select_related("conference"):
        ReferralConference.objects.get_or_create(referral=referral, conference=place.conference)
    _announce(referral)
    return referral


@write_service("take_referral")
def take_referral(*, actor: User, referral: Referral) -> Referral:
    """An advocate takes an unassigned referral: it becomes theirs, and other advocates no
    longer see it. Two advocates taking it at once: the second is refused."""
    if not may_take(actor, referral):
        raise PermissionDenied
    taken = Referral.objects.filter(
        pk=referral.pk, advocate__isnull=True, status__in=OPEN_STATUSES
    ).update(advocate=actor, version=F("version") + 1)
    if not taken:
        raise Refused("Another advocate has already taken this referral")
    referral.refresh_from_db()
    return referral


@write_service("move_referral")
def move_referral(
    *, actor: User, referral: Referral, status: str, on: date, expected_version: int
) -> Referral:
    """Move a referral on (contacted, accepted, declined, supporting, closed) with its date.
    Only the assigned advocate may."""
    if not may_act_on(actor, referral):
        raise PermissionDenied
    status = ReferralStatus(status)
    if status not in NEXT_STATUSES[ReferralStatus(referral.status)]:
        raise Refused(
            f"A referral that is {referral.get_status_display().lower()} cannot become "
            f"{status.label.lower()}"
        )
    if on < referral.referred_on:
        raise Refused("The date cannot be before the referral was made")
    referral.status = status
    setattr(referral, DATE_FIELD_OF_STATUS[status], on)
    save_if_unchanged(
        referral,
        expected_version=expected_version,
        fields=["status", DATE_FIELD_OF_STATUS[status]],
    )
    return referral


@write_service("record_advocacy_views")
def record_views(
    *,
    actor: User,
    referral: Referral,
    views: str,
    supported_appeal: bool,
    attended: dict[int, bool | None],
    expected_version: int,
) -> Referral:
    """The young person's views for the conference, appeal support, and which conferences the
    advocate attended. Only the assigned advocate may record them."""
    if not may_act_on(actor, referral):
        raise PermissionDenied
    referral.young_person_views, referral.supported_appeal = views, supported_appeal
    save_if_unchanged(
        referral,
        expected_version=expected_version,
        fields=["young_person_views", "supported_appeal"],
    )
    for link in referral.conferences.all():
        if link.pk in attended:
            link.advocate_attended = attended[link.pk]
            link.save(update_fields=["advocate_attended"])
    return referral
