"""Every write to a booking: booking a conference and its due dates, invitations sent, reports
received, attendance, postponing."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.utils import timezone

from accounts.models import Role, User
from conferences.choices import INITIAL_STAGES, REVIEW_STAGES, ConferenceStatus, Stage
from conferences.models import (
    Child,
    Conference,
    ConferenceChild,
    Family,
    Invitation,
    Participant,
    PostponementReason,
    Professional,
    Venue,
)
from config.concurrency import save_if_unchanged
from config.services import Refused, write_service
from rules.timescales import MissingClockDate, due_date, history_of, today
from rules.working_days import working_calendar


def recompute_due_dates(*children: Child) -> None:
    """Work the due dates of these children's booked conferences out again, after a change to
    what they hang on (a birth date, a plan): one query for all of them, however many."""
    calendar = working_calendar()
    by_id = {child.pk: child for child in children}
    upcoming = ConferenceChild.objects.filter(
        child__in=list(by_id), conference__status=ConferenceStatus.BOOKED
    ).select_related("conference")
    for place in upcoming:
        child = by_id[place.child_id]
        history = history_of(child, before=place.conference.held_on)
        try:
            place.due_on = due_date(child, Stage(place.stage), history, calendar)
        except MissingClockDate:
            continue
        place.save(update_fields=["due_on"])


@dataclass(frozen=True)
class ChildAtBooking:
    child: Child
    stage: Stage


@dataclass
class ParticipantAtBooking:
    kind: str
    name: str
    attendance_mode: str
    interpreter_language: str = ""
    interpreter_preference: str = ""
    interpreter_connected_to_family: bool = False


@dataclass
class BookingRequest:
    family: Family
    children: Sequence[ChildAtBooking]
    starts_at: datetime
    venue: Venue
    chair: User
    duration_minutes: int = 120
    invitees: Sequence[Professional] = ()
    participants: Sequence[ParticipantAtBooking] = ()
    is_past_record: bool = False
    out_of_timescale_reason: str = ""
    rebooked_from: Conference | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)


@write_service("book_conference")
def book_conference(*, actor: User, request: BookingRequest) -> Conference:
    """Book a conference for a family and some of its children, each at their own stage.

    Refuses (Refused, nothing saved) when a rule is broken: stages that do not fit the
    child's plan or birth, a date before birth or in the past, a chair who is not an IRO, a
    chair, venue or child already booked at that time, an interpreter connected to the family,
    or a conference after a child's due date without a reason.
    """
    # Lock the chair's and venue's rows so two clerks cannot book the same slot at once.
    User.objects.select_for_update().filter(pk=request.chair.pk).first()
    Venue.objects.select_for_update().filter(pk=request.venue.pk).first()

    held_on = timezone.localdate(request.starts_at)
    calendar = working_calendar()
    _check_chair_and_date(request, held_on)
    due_dates = _check_children(request, held_on, calendar)
    _check_clashes(request)
    _check_participants(request)
    late = [place for place, due in due_dates.items() if due is not None and held_on > due]
    if late and not request.out_of_timescale_reason.strip():
        names = ", ".join(str(place.child) for place in late)
        request.refuse(
            "out_of_timescale_reason",
            f"The conference is after the due date for {names}: explain why it cannot be sooner",
        )
    if request.errors:
        raise Refused(request.errors)

    conference = Conference.objects.create(
        family=request.family,
        starts_at=request.starts_at,
        duration_minutes=request.duration_minutes,
        venue=request.venue,
        chair=request.chair,
        is_past_record=request.is_past_record,
        out_of_timescale_reason=request.out_of_timescale_reason.strip() if late else "",
        rebooked_from=request.rebooked_from,
        booked_by=actor,
    )
    ConferenceChild.objects.bulk_create(
        ConferenceChild(conference=conference, child=place.child, stage=place.stage, due_on=due)
        for place, due in due_dates.items()
    )
    Invitation.objects.bulk_create(
        Invitation(conference=conference, professional=professional)
        for professional in request.invitees
    )
    Participant.objects.bulk_create(
        Participant(
            conference=conference,
            kind=person.kind,
            name=person.name,
            attendance_mode=person.attendance_mode,
            interpreter_language=person.interpreter_language,
            interpreter_preference=person.interpreter_preference,
        )
        for person in request.participants
    )
    _announce_booking(conference, [place.child for place in request.children])
    _refer_young_people(actor, conference, [place.child for place in request.children])
    return conference


def _refer_young_people(actor: User, conference: Conference, children: list[Child]) -> None:
    from advocacy.services import refer_for_conference

    for child in children:
        refer_for_conference(actor=actor, child=child, conference=conference)


def _announce_booking(conference: Conference, children: list[Child]) -> None:
    """Tell the chair and the children's social workers, through the outbox."""
    from notifications.outbox import notify

    when = timezone.localtime(conference.starts_at)
    reference = f"conference C{conference.pk:06d} on {when:%-d %B %Y at %H:%M}"
    people = {conference.chair.email: conference.chair.full_name}
    for child in children:
        if child.social_worker:
            people[child.social_worker.email] = child.social_worker.full_name
    for email, name in people.items():
        notify(
            key=f"booked:{conference.pk}:{email}",
            kind="conference_booked",
            to=email,
            name=name,
            subject="Child protection conference booked",
            body=f"You are invited to {reference}, at {conference.venue}.",
            conference=conference,
        )


def _check_chair_and_date(request: BookingRequest, held_on: date) -> None:
    if not request.chair.has_role(Role.IRO) or not request.chair.is_active:
        request.refuse("chair", f"{request.chair} is not an IRO: choose an IRO to chair")
    if request.starts_at < timezone.now() and not request.is_past_record:
        request.refuse(
            "starts_at",
            "The date is in the past: choose a future date, or tick 'recording a past conference'",
        )
    if not request.children:
        request.refuse("children", "Select at least one child for the conference")


def _check_children(request: BookingRequest, held_on: date, calendar) -> dict:
    due_dates = {}
    for place in request.children:
        child, stage = place.child, Stage(place.stage)
        if child.family_id != request.family.pk:
            request.refuse("children", f"{child} is not in the {request.family}")
            continue
        has_open_plan = child.plans.filter(ended_on__isnull=True).exists()
        if child.date_of_birth and held_on < child.date_of_birth:
            request.refuse("starts_at", f"The conference is before {child}'s date of birth")
        if stage == Stage.PRE_BIRTH and not child.is_unborn:
            request.refuse(
                "children", f"{child} has been born: choose initial rather than pre-birth"
            )
        if stage in REVIEW_STAGES and not has_open_plan:
            request.refuse(
                "children",
                f"{child} has no open child protection plan, so cannot have a review: "
                "choose an initial stage",
            )
        if stage in INITIAL_STAGES and has_open_plan:
            request.refuse(
                "children",
                f"{child} already has an open child protection plan: choose a review stage",
            )
        history = history_of(child, before=held_on)
        try:
            due_dates[place] = due_date(child, stage, history, calendar)
        except MissingClockDate as missing:
            request.refuse("children", str(missing))
    return due_dates


ACTIVE_STATUSES = (ConferenceStatus.BOOKED, ConferenceStatus.HELD)


def _overlapping(request: BookingRequest):
    ends_at = request.starts_at + timedelta(minutes=request.duration_minutes)
    minute = Value(timedelta(minutes=1), output_field=DurationField())
    overlapping = (
        Conference.objects.filter(status__in=ACTIVE_STATUSES, starts_at__lt=ends_at)
        .annotate(
            ends_at=ExpressionWrapper(
                F("starts_at") + minute * F("duration_minutes"), output_field=DateTimeField()
            )
        )
        .filter(ends_at__gt=request.starts_at)
    )
    if request.rebooked_from is not None:
        overlapping = overlapping.exclude(pk=request.rebooked_from.pk)
    return overlapping


def _check_clashes(request: BookingRequest) -> None:
    overlapping = _overlapping(request)
    if overlapping.filter(chair=request.chair).exists():
        request.refuse("chair", f"{request.chair} is already chairing a conference at that time")
    if overlapping.filter(venue=request.venue).exists():
        request.refuse("venue", f"{request.venue} is already booked at that time")
    children = [place.child for place in request.children]
    busy = ConferenceChild.objects.filter(
        conference__in=overlapping, child__in=children
    ).select_related("child")
    for place in busy:
        request.refuse("children", f"{place.child} already has a conference at that time")


def _check_participants(request: BookingRequest) -> None:
    for person in request.participants:
        if person.interpreter_connected_to_family:
            request.refuse(
                "participants",
                f"The interpreter for {person.name} must not be a family member or connected "
                "to the family: book an independent interpreter",
            )
        if person.interpreter_preference and not person.interpreter_language:
            request.refuse(
                "participants", f"Enter the language {person.name} needs an interpreter for"
            )


@write_service("mark_invitations_sent")
def mark_invitations_sent(
    *, actor: User, conference: Conference, invitations: Iterable[Invitation], sent_on: date
) -> None:
    if sent_on > today():
        raise Refused({"sent_on": ["The date sent cannot be in the future"]})
    Invitation.objects.filter(
        conference=conference, pk__in=[invitation.pk for invitation in invitations]
    ).update(sent_on=sent_on)


@write_service("postpone_conference")
def postpone_conference(
    *,
    actor: User,
    conference: Conference,
    reason: PostponementReason,
    detail: str,
    cancel: bool,
    expected_version: int,
) -> Conference:
    """Postpone or cancel a booked conference. Its history stays; a rebooking links back."""
    if conference.status != ConferenceStatus.BOOKED:
        raise Refused({"": ["Only a booked conference can be postponed or cancelled"]})
    if reason.needs_detail and not detail.strip():
        raise Refused({"detail": [f"Explain the reason '{reason}'"]})
    conference.status = ConferenceStatus.CANCELLED if cancel else ConferenceStatus.POSTPONED
    conference.postponement_reason = reason
    conference.postponement_detail = detail.strip()
    save_if_unchanged(
        conference,
        expected_version=expected_version,
        fields=["status", "postponement_reason", "postponement_detail"],
    )
    return conference


@write_service("record_report_receipt")
def record_report_receipt(
    *,
    actor: User,
    conference: Conference,
    family_received_on: date | None,
    family_not_received: bool,
    chair_received_on: date | None,
    chair_not_received: bool,
) -> Conference:
    """When the family and the chair received the social work report, or that they did not."""
    for received in (family_received_on, chair_received_on):
        if received and received > today():
            raise Refused({"": ["A report cannot have been received in the future"]})
    conference.report_to_family_on = family_received_on
    conference.report_to_family_not_received = family_not_received
    conference.report_to_chair_on = chair_received_on
    conference.report_to_chair_not_received = chair_not_received
    conference.save(
        update_fields=[
            "report_to_family_on",
            "report_to_family_not_received",
            "report_to_chair_on",
            "report_to_chair_not_received",
        ]
    )
    return conference


@dataclass(frozen=True)
class AttendanceRecord:
    invitation_id: int
    attendance: str
    attendance_mode: str
    report_received_on: date | None
    report_in_agreed_format: bool | None


@write_service("record_attendance")
def record_attendance(
    *, actor: User, conference: Conference, records: Iterable[AttendanceRecord]
) -> Conference:
    """After the meeting: who attended and how, which reports arrived; the conference is held."""
    if conference.status not in ACTIVE_STATUSES:
        raise Refused({"": ["A postponed or cancelled conference was not held"]})
    if conference.held_on > today():
        raise Refused({"": ["The conference has not happened yet"]})
    invitations = {invitation.pk: invitation for invitation in conference.invitations.all()}
    for record in records:
        invitation = invitations[record.invitation_id]
        invitation.attendance = record.attendance
        invitation.attendance_mode = record.attendance_mode
        invitation.report_received_on = record.report_received_on
        invitation.report_in_agreed_format = record.report_in_agreed_format
        invitation.save()
    Conference.objects.filter(pk=conference.pk).update(
        status=ConferenceStatus.HELD, version=F("version") + 1
    )
    conference.refresh_from_db()
    return conference
