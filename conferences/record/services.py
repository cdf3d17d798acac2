"""Every write to conference records: saving, autosave, finalising decisions into plans,
amendments, releases, distribution, core groups and transfers out."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from conferences.booking.services import BookingRequest, ChildAtBooking, book_conference
from conferences.choices import (
    COLUMN_OF_KIND,
    DECISIONS_BY_STAGE,
    SENSITIVE_END_REASONS,
    STARTS_OR_KEEPS_PLAN,
    ConferenceStatus,
    Decision,
    EntryKind,
    PlanEndReason,
    SafetyColumn,
    Stage,
    Visibility,
)
from conferences.models import Child, ChildProtectionPlan, Conference, ConferenceChild
from conferences.plans.models import CoreGroupMeeting
from conferences.record.models import (
    ChildDecision,
    ConferenceRecord,
    Dissent,
    PlanAction,
    RecordAmendment,
    RecordDraft,
    RecordRelease,
    RecordStatus,
    ReleasedCopy,
    SafetyEntry,
    SafetyScore,
)
from config.concurrency import EditConflict, save_if_unchanged
from config.pdf import render_pdf
from config.services import Refused, audited_write, write_service
from rules.audience import Recipient, entries_for
from rules.timescales import reconvened_due, today
from rules.working_days import working_calendar


@dataclass
class EntryData:
    kind: str
    text: str
    visibility: str = "everyone"
    hidden_from_participant_id: int | None = None
    hidden_from_invitation_id: int | None = None
    scores: dict[str, int] = field(default_factory=dict)  # giver -> 0..10


@dataclass
class DecisionData:
    place_id: int
    decision: str = ""
    end_reason: str = ""
    categories: list[str] = field(default_factory=list)
    multiple_categories_reason: str = ""
    factors: list[str] = field(default_factory=list)
    next_review_on: date | None = None
    first_core_group_on: date | None = None


@dataclass
class RecordData:
    pre_meeting_held: bool | None = None
    inquorate_reason: str = ""
    child_views: str = ""
    parent_views: str = ""
    overall_scores: dict[str, int] = field(default_factory=dict)
    entries: list[EntryData] = field(default_factory=list)
    dissents: list[tuple[str, str]] = field(default_factory=list)
    actions: list[tuple[str, str, date]] = field(default_factory=list)
    decisions: list[DecisionData] = field(default_factory=list)


def record_for(conference: Conference) -> ConferenceRecord | None:
    """The conference's record, or None while the chair has not started it. Only reads: pages
    that show a record never make one (start_record does, when the chair asks)."""
    return ConferenceRecord.objects.filter(conference=conference).first()


@write_service("start_record")
def start_record(*, actor: User, conference: Conference) -> ConferenceRecord:
    """The chair starts the conference's record: empty, with a decision row for each child at
    the conference. Starting a record already started changes nothing and returns it."""
    if actor.pk != conference.chair_id:
        raise Refused("Only the conference's chair can start its record")
    Conference.objects.select_for_update().filter(pk=conference.pk).first()
    record = record_for(conference)
    if record is not None:
        return record
    record = ConferenceRecord.objects.create(conference=conference)
    ChildDecision.objects.bulk_create(
        ChildDecision(record=record, place=place) for place in conference.attendees.all()
    )
    return record


def _check_scores(scores: dict[str, int], errors: list[str], what: str) -> None:
    for giver, score in scores.items():
        if score is not None and not 0 <= score <= 10:
            errors.append(f"The {giver} score for {what} must be from 0 to 10")


def _check_hidden_from(
    record: ConferenceRecord, entries: list[EntryData], errors: list[str]
) -> None:
    """An entry not for a named person names exactly one of this conference's own people."""
    conference = record.conference
    participants = set(conference.participants.values_list("pk", flat=True))
    invitations = set(conference.invitations.values_list("pk", flat=True))
    for entry in entries:
        chosen = [entry.hidden_from_participant_id, entry.hidden_from_invitation_id]
        if entry.visibility != Visibility.NOT_NAMED:
            if any(chosen):
                errors.append("Only choose who must not see an entry that is not for a person")
            continue
        if len([pk for pk in chosen if pk]) != 1:
            errors.append("Choose the one person who must not see the entry")
        elif not (
            entry.hidden_from_participant_id in participants
            or entry.hidden_from_invitation_id in invitations
        ):
            errors.append("Choose someone at this conference as the person who must not see it")


def save_record(
    *,
    actor: User,
    record: ConferenceRecord,
    data: RecordData,
    expected_version: int,
    amendment_reason: str = "",
) -> ConferenceRecord:
    """Save the chair's record. After sign-off a change needs a reason and is an amendment."""
    errors = []
    _check_scores(data.overall_scores, errors, "the overall scale")
    for entry in data.entries:
        _check_scores(entry.scores, errors, f"'{entry.text[:30]}'")
    for decision in data.decisions:
        if decision.next_review_on and decision.next_review_on < record.conference.held_on:
            errors.append("The next review cannot be before this conference")
    _check_hidden_from(record, data.entries, errors)
    if record.is_finalised and not amendment_reason.strip():
        errors.append("The record has been signed off: give a reason for this amendment")
    if errors:
        raise Refused(errors)

    record.pre_meeting_held = data.pre_meeting_held
    record.inquorate_reason = data.inquorate_reason
    record.child_views = data.child_views
    record.parent_views = data.parent_views
    record.updated_at = timezone.now()
    with audited_write(actor, "amend_record" if record.is_finalised else "save_record"):
        save_if_unchanged(
            record,
            expected_version=expected_version,
            fields=[
                "pre_meeting_held",
                "inquorate_reason",
                "child_views",
                "parent_views",
                "updated_at",
            ],
        )
        record.entries.all().delete()
        record.scores.all().delete()
        record.dissents.all().delete()
        record.actions.all().delete()
        for score_giver, score in data.overall_scores.items():
            if score is not None:
                SafetyScore.objects.create(record=record, score=score, given_by=score_giver)
        for position, entry in enumerate(data.entries):
            saved = SafetyEntry.objects.create(
                record=record,
                column=COLUMN_OF_KIND[EntryKind(entry.kind)],
                kind=entry.kind,
                text=entry.text,
                visibility=entry.visibility,
                hidden_from_participant_id=entry.hidden_from_participant_id,
                hidden_from_invitation_id=entry.hidden_from_invitation_id,
                position=position,
            )
            for score_giver, score in entry.scores.items():
                if score is not None:
                    SafetyScore.objects.create(
                        record=record, entry=saved, score=score, given_by=score_giver
                    )
        Dissent.objects.bulk_create(
            Dissent(record=record, dissenter=who, words=words) for who, words in data.dissents
        )
        PlanAction.objects.bulk_create(
            PlanAction(record=record, who=who, what=what, by_when=by_when)
            for who, what, by_when in data.actions
        )
        decisions = {decision.place_id: decision for decision in record.decisions.all()}
        for item in data.decisions:
            decision = decisions[item.place_id]
            for name in (
                "decision",
                "end_reason",
                "categories",
                "multiple_categories_reason",
                "factors",
                "next_review_on",
                "first_core_group_on",
            ):
                setattr(decision, name, getattr(item, name))
            decision.save()
        if record.is_finalised:
            RecordAmendment.objects.create(
                record=record, reason=amendment_reason.strip(), amended_by=actor
            )
        RecordDraft.objects.filter(record=record, author=actor).delete()
    return record


MAX_DRAFT_FIELDS = 5000


def _is_text(value) -> bool:
    # PostgreSQL's jsonb refuses NUL, and UTF-8 refuses lone surrogates: both would fail late.
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_form_snapshot(data) -> bool:
    """Whether ``data`` has the shape the record page autosaves: field names to lists of text
    (or text). Anything else was not typed into the form and is never kept or shown."""
    if not isinstance(data, dict) or len(data) > MAX_DRAFT_FIELDS:
        return False
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        if not _is_text(key) or not all(_is_text(item) for item in values):
            return False
    return True


@transaction.atomic
def autosave_draft(*, actor: User, record: ConferenceRecord, data: dict) -> RecordDraft:
    """Keep what the chair has typed so far; it never changes the record itself."""
    if not is_form_snapshot(data):
        raise Refused("The draft is not in the shape the record form sends")
    draft, _ = RecordDraft.objects.update_or_create(
        record=record, author=actor, defaults={"data": data, "saved_at": timezone.now()}
    )
    return draft


def _decision_problems(record: ConferenceRecord) -> list[str]:
    problems = []
    for decision in record.decisions.select_related("place__child"):
        child, stage = decision.place.child, decision.place.stage
        if not decision.decision:
            problems.append(f"Record a decision for {child}")
            continue
        if decision.decision not in DECISIONS_BY_STAGE[stage]:
            problems.append(
                f"'{decision.get_decision_display()}' is not a decision for a "
                f"{decision.place.get_stage_display().lower()} conference ({child})"
            )
        if decision.decision in STARTS_OR_KEEPS_PLAN and not decision.categories:
            problems.append(f"Choose the category of abuse for {child}'s plan")
        if len(decision.categories) > 1 and not decision.multiple_categories_reason.strip():
            problems.append(f"Explain why {child}'s plan has more than one category")
        if decision.decision == Decision.PLAN_ENDS and not decision.end_reason:
            problems.append(f"Choose why {child}'s plan ends")
        if (
            decision.decision == Decision.PLAN_ENDS
            and not child.plans.filter(ended_on__isnull=True).exists()
        ):
            problems.append(f"{child} has no open plan to end")
    return problems


@write_service("finalise_record")
def finalise_record(
    *, actor: User, record: ConferenceRecord, expected_version: int
) -> ConferenceRecord:
    """The chair signs off: the decisions take effect, dated the day of the conference."""
    record = ConferenceRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_finalised:
        raise Refused("The record is already signed off")
    if record.version != expected_version:
        raise EditConflict
    conference = record.conference
    if conference.held_on > today():
        raise Refused("The conference has not happened yet")
    problems = _decision_problems(record)
    if problems:
        raise Refused(problems)

    held_on = conference.held_on
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.HELD)
    conference.status = ConferenceStatus.HELD
    adjourned = []
    for decision in record.decisions.select_related("place__child"):
        _apply(decision, held_on, adjourned)
    ConferenceRecord.objects.filter(pk=record.pk).update(
        status=RecordStatus.FINALISED,
        finalised_at=timezone.now(),
        finalised_by=actor,
        version=record.version + 1,
    )
    if adjourned:
        _book_reconvened(actor, conference, adjourned)
    record.refresh_from_db()
    return record


def _apply(decision: ChildDecision, held_on: date, adjourned: list) -> None:
    child = decision.place.child
    if decision.decision == Decision.PLAN:
        try:
            with transaction.atomic():
                ChildProtectionPlan.objects.create(
                    child=child, started_on=held_on, categories=decision.categories
                )
        except IntegrityError as clash:
            raise Refused(f"{child} already has a plan over this date") from clash
    elif decision.decision == Decision.PLAN_ENDS:
        plan = child.plans.get(ended_on__isnull=True)
        if held_on <= plan.started_on:
            raise Refused(f"{child}'s plan cannot end on the day it started")
        plan.ended_on, plan.end_reason = held_on, decision.end_reason
        plan.save(update_fields=["ended_on", "end_reason"])
        if decision.end_reason in SENSITIVE_END_REASONS:
            end_sensitively(child=child, on=held_on)
    elif decision.decision == Decision.ADJOURNED_INQUORATE:
        adjourned.append(decision.place)


def end_sensitively(*, child: Child, on: date) -> None:
    """After a death, miscarriage or stillbirth nothing more is sent or chased for the child:
    it leaves every future booked conference (cancelled if no one else is at it)."""
    from notifications.outbox import cancel_pending_for_child

    Child.objects.filter(pk=child.pk).update(sensitive_end_on=on)
    child.sensitive_end_on = on
    cancel_pending_for_child(child)
    upcoming = ConferenceChild.objects.filter(
        child=child, conference__status=ConferenceStatus.BOOKED
    ).select_related("conference")
    for place in upcoming:
        conference = place.conference
        place.delete()
        if not conference.attendees.exists():
            Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.CANCELLED)


def _book_reconvened(actor: User, conference: Conference, places: list[ConferenceChild]) -> None:
    """Book the re-convened conference on the last working day in time, at the same time,
    with the same chair and venue; if that clashes, the clerk's tray shows it to book by hand."""
    calendar = working_calendar()
    due = reconvened_due(conference.held_on, calendar)
    starts_at = timezone.make_aware(
        timezone.datetime.combine(due, timezone.localtime(conference.starts_at).time())
    )
    request = BookingRequest(
        family=conference.family,
        children=[ChildAtBooking(child=place.child, stage=Stage.RECONVENED) for place in places],
        starts_at=starts_at,
        venue=conference.venue,
        chair=conference.chair,
        duration_minutes=conference.duration_minutes,
    )
    try:
        with transaction.atomic():
            book_conference(actor=actor, request=request)
    except Refused:
        pass


@write_service("record_transfer_out")
def record_transfer_out(
    *, actor: User, child: Child, receiving_conference_on: date
) -> ChildProtectionPlan:
    """The child moved away: the plan stays open until the receiving authority's conference,
    then ends as transferred on that date."""
    plan = child.plans.filter(ended_on__isnull=True).first()
    if plan is None:
        raise Refused(f"{child} has no open plan to transfer", field="receiving_conference_on")
    if receiving_conference_on <= plan.started_on:
        raise Refused(
            "The receiving conference must be after the plan started",
            field="receiving_conference_on",
        )
    plan.ended_on, plan.end_reason = receiving_conference_on, PlanEndReason.MOVED_AWAY
    plan.save(update_fields=["ended_on", "end_reason"])
    return plan


def copy_recipients(conference: Conference) -> dict[str, Recipient]:
    """Everyone a copy may be for, by reference: the family, each family participant, each
    invited professional. Family participants get the family version, whatever their name."""
    recipients = {"family": Recipient.family()}
    for person in conference.participants.all():
        recipient = Recipient.participant(person)
        recipients[recipient.reference] = recipient
    for invitation in conference.invitations.select_related("professional__agency"):
        recipient = Recipient.invited(invitation)
        recipients[recipient.reference] = recipient
    return recipients


def entry_columns(record: ConferenceRecord, recipient: Recipient) -> list[dict]:
    """The Signs of Safety map as this recipient may see it, column by column."""
    entries = entries_for(record, recipient)
    return [
        {"title": column.label, "entries": [entry for entry in entries if entry.column == column]}
        for column in SafetyColumn
    ]


def _copy_pdf(record: ConferenceRecord, release: RecordRelease, recipient: Recipient) -> bytes:
    html = render_to_string(
        "pdf/record.html",
        {
            "conference": record.conference,
            "record": record,
            "release": release,
            "columns": entry_columns(record, recipient),
            "overall": record.scores.filter(entry__isnull=True),
            "decisions": record.decisions.select_related("place__child"),
        },
    )
    return render_pdf(html, title="Child protection conference record")


@write_service("release_record")
def release_record(*, actor: User, record: ConferenceRecord, recipient: Recipient) -> RecordRelease:
    """Give a copy of the signed-off record to one recipient: the PDF is made once, here, and
    kept with its SHA-256, so the copy can be given again exactly as it was."""
    # Locked so that the version copied is the version logged, and releases number in order.
    record = ConferenceRecord.objects.select_for_update().get(pk=record.pk)
    if not record.is_finalised:
        raise Refused("The chair must sign off the record before it is released")
    if recipient not in copy_recipients(record.conference).values():
        raise Refused("Choose someone at this conference to give the copy to")
    last = record.releases.aggregate(last=Max("number"))["last"] or 0
    release = RecordRelease.objects.create(
        record=record,
        number=last + 1,
        recipient_name=recipient.name,
        recipient_description=recipient.description,
        recipient_reference=recipient.reference,
        recipient_is_family=recipient.is_family_version,
        record_version=record.version,
        released_by=actor,
    )
    pdf = _copy_pdf(record, release, recipient)
    ReleasedCopy.objects.create(release=release, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest())
    return release


@write_service("record_distribution")
def record_distribution(
    *,
    actor: User,
    record: ConferenceRecord,
    letter_sent_on: date | None,
    distributed_on: date | None,
) -> ConferenceRecord:
    for day in (letter_sent_on, distributed_on):
        if day and day > today():
            raise Refused("A date sent cannot be in the future")
    record.decision_letter_sent_on = letter_sent_on
    record.record_distributed_on = distributed_on
    record.save(update_fields=["decision_letter_sent_on", "record_distributed_on"])
    return record


@write_service("add_core_group")
def add_core_group(
    *, actor: User, child: Child, held_on: date, attendees: str, actions_updated: str
) -> CoreGroupMeeting:
    plan = child.plans.filter(ended_on__isnull=True).first()
    if plan is None:
        raise Refused(f"{child} is not on a plan, so has no core group", field="held_on")
    if held_on < plan.started_on:
        raise Refused("A core group cannot be before the plan started", field="held_on")
    return CoreGroupMeeting.objects.create(
        child=child,
        plan=plan,
        held_on=held_on,
        attendees=attendees,
        actions_updated=actions_updated,
        recorded_by=actor,
    )
