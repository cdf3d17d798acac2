"""Daily sweeps that chase what is late. Each narrows to a date window in SQL, decides in
Python over prefetched rows (a fixed number of queries whatever the data size), and writes
outbox rows keyed by what, for whom and for which due date, so running twice adds nothing."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.models import Role, User
from conferences.choices import INITIAL_STAGES, ConferenceStatus
from conferences.models import ChildProtectionPlan, Conference, ConferenceChild, Invitation
from conferences.plans.models import CoreGroupMeeting
from conferences.record.models import ConferenceRecord, RecordStatus
from notifications.models import Notification
from notifications.outbox import queue_dispatch, sign_in_link
from rules.meetings import (
    is_police_notice_short,
    police_notice_days,
    report_receipt_not_recorded_sql,
)
from rules.timescales import (
    decision_letter_due,
    first_core_group_due,
    next_review_due,
    record_distribution_due,
    record_sign_off_due,
    report_due_dates,
    timescale,
)
from rules.timescales import today as local_today
from rules.working_days import working_calendar


def chase(name: str) -> int:
    return settings.CONVENE_CHASING[name]


@dataclass(frozen=True)
class Chase:
    key: str
    kind: str
    to: str
    name: str
    subject: str
    body: str
    conference_id: int | None = None
    child_id: int | None = None
    due_on: date | None = None


def _write(chases: list[Chase]) -> int:
    """Insert the chases that are new; the unique key makes repeats no-ops."""
    if not chases:
        return 0
    keys = [item.key for item in chases]
    existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    link = sign_in_link()
    new = [
        Notification(
            key=item.key,
            kind=item.kind,
            recipient_email=item.to,
            recipient_name=item.name,
            subject=item.subject,
            body=f"{item.body}\n\nSign in to Convene to see the details: {link}",
            conference_id=item.conference_id,
            child_id=item.child_id,
            due_on=item.due_on,
        )
        for item in {item.key: item for item in chases}.values()
        if item.key not in existing
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(new, ignore_conflicts=True)
        if created:
            transaction.on_commit(queue_dispatch, robust=True)
    return len(created)


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _reference(conference: Conference) -> str:
    # A reference, never names: emails carry no special-category detail.
    return f"conference C{conference.pk:06d} on {conference.held_on:%-d %B %Y}"


def _too_old(due: date, today: date) -> bool:
    return due < today - timedelta(days=chase("max_age_days"))


def _upcoming(today: date, days_ahead: int):
    return Conference.objects.filter(
        status=ConferenceStatus.BOOKED,
        starts_at__date__gte=today,
        starts_at__date__lte=today + timedelta(days=days_ahead),
    ).exclude(
        Exists(
            ConferenceChild.objects.filter(
                conference=OuterRef("pk"), child__sensitive_end_on__isnull=False
            )
        )
    )


def report_reminders(today: date | None = None) -> int:
    """The family has not had the social work report: remind the social worker N working days
    before it is due; on the due day, tell their team manager."""
    today = today or local_today()
    calendar = working_calendar()
    conferences = (
        _upcoming(today, 21)
        .filter(report_receipt_not_recorded_sql("family"))
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=ConferenceChild.objects.select_related("child__social_worker__manager"),
            )
        )
    )
    chases = []
    for conference in conferences:
        places = list(conference.attendees.all())
        stages = [place.stage for place in places]
        due = report_due_dates(stages, conference.held_on, calendar).to_family
        remind_from = calendar.add_working_days(due, -chase("report_reminder_working_days"))
        workers = {p.child.social_worker for p in places if p.child.social_worker}
        for worker in workers:
            if remind_from <= today < due:
                chases.append(
                    Chase(
                        key=f"report-reminder:{conference.pk}:{worker.pk}:{due}",
                        kind="report_reminder",
                        to=worker.email,
                        name=worker.full_name,
                        conference_id=conference.pk,
                        due_on=due,
                        subject="Social work report due",
                        body=f"The family must have your report for {_reference(conference)} "
                        f"by {_day(due)}.",
                    )
                )
            elif today >= due and worker.manager and not _too_old(due, today):
                manager = worker.manager
                chases.append(
                    Chase(
                        key=f"report-escalation:{conference.pk}:{manager.pk}:{due}",
                        kind="report_escalation",
                        to=manager.email,
                        name=manager.full_name,
                        conference_id=conference.pk,
                        due_on=due,
                        subject="Social work report overdue",
                        body="The family has not had the social work report for "
                        f"{_reference(conference)}, "
                        f"due {_day(due)}. Please make sure it reaches them today.",
                    )
                )
    return _write(chases)


def invitation_chasers(today: date | None = None) -> int:
    """Police invited at short notice, or invitations still unsent N working days before."""
    today = today or local_today()
    calendar = working_calendar()
    clerks = settings.CONVENE_CLERKS_MAILBOX
    # Only the fields the rules read, and one plain query for the invitations (not a
    # prefetch, which copies a queryset per conference): thousands may be due a chase.
    upcoming = _upcoming(today, 30)
    invited = defaultdict(list)
    for invitation in (
        Invitation.objects.filter(conference__in=upcoming.values("pk"))
        .select_related("professional__agency")
        .only("conference_id", "sent_on", "professional__agency__kind")
    ):
        invited[invitation.conference_id].append(invitation)
    chases = []
    for conference in upcoming.only("pk", "starts_at"):
        invitations = invited[conference.pk]
        for invitation in invitations:
            if is_police_notice_short(invitation, held_on=conference.held_on, today=today):
                notice = police_notice_days(invitation, held_on=conference.held_on, today=today)
                chases.append(
                    Chase(
                        key=f"police-notice:{invitation.pk}",
                        kind="police_notice",
                        to=clerks,
                        name="Clerks",
                        conference_id=conference.pk,
                        due_on=conference.held_on,
                        subject="Short notice for the police",
                        body=f"The police invitation for {_reference(conference)} gives "
                        f"{notice} days' "
                        f"notice; they ask for {timescale('police_notice_days')}.",
                    )
                )
        chase_from = calendar.add_working_days(
            conference.held_on, -chase("invitations_working_days")
        )
        if today >= chase_from and any(invitation.sent_on is None for invitation in invitations):
            chases.append(
                Chase(
                    key=f"invitations-unsent:{conference.pk}:{conference.held_on}",
                    kind="invitations_unsent",
                    to=clerks,
                    name="Clerks",
                    conference_id=conference.pk,
                    due_on=conference.held_on,
                    subject="Invitations not sent",
                    body=f"Some invitations for {_reference(conference)} have not been sent.",
                )
            )
    return _write(chases)


def _managers_of(user: User) -> list[User]:
    return (
        [
            manager
            for manager in User.objects.filter(
                is_active=True, roles__contains=[Role.MANAGER], team_id=user.team_id
            )
            if manager.pk != user.pk
        ]
        if user.team_id
        else []
    )


def outcomes_not_finalised(today: date | None = None) -> int:
    """The chair has not signed off the record a working day after the conference; a working
    day later, their manager is told."""
    today = today or local_today()
    calendar = working_calendar()
    signed_off = ConferenceRecord.objects.filter(
        conference=OuterRef("pk"), status=RecordStatus.FINALISED
    )
    conferences = (
        Conference.objects.filter(
            status__in=[ConferenceStatus.BOOKED, ConferenceStatus.HELD],
            starts_at__date__lt=today,
            starts_at__date__gte=today - timedelta(days=chase("max_age_days")),
        )
        .exclude(Exists(signed_off))
        .select_related("chair")
    )
    managers_by_team = {}
    chases = []
    for conference in conferences:
        due = record_sign_off_due(conference.held_on, calendar)
        chair = conference.chair
        if today >= due:
            chases.append(
                Chase(
                    key=f"outcome-chair:{conference.pk}",
                    kind="outcome_overdue",
                    to=chair.email,
                    name=chair.full_name,
                    conference_id=conference.pk,
                    due_on=due,
                    subject="Conference record not signed off",
                    body=f"The record of {_reference(conference)} was due signed off by "
                    f"{_day(due)}.",
                )
            )
        if today >= calendar.add_working_days(due, 1):
            if chair.team_id not in managers_by_team:
                managers_by_team[chair.team_id] = _managers_of(chair)
            for manager in managers_by_team[chair.team_id]:
                chases.append(
                    Chase(
                        key=f"outcome-manager:{conference.pk}:{manager.pk}",
                        kind="outcome_escalation",
                        to=manager.email,
                        name=manager.full_name,
                        conference_id=conference.pk,
                        due_on=due,
                        subject="Conference record overdue",
                        body=f"The record of {_reference(conference)} is not signed off; "
                        "it was due "
                        f"{_day(due)}.",
                    )
                )
    return _write(chases)


def distribution_overdue(today: date | None = None) -> int:
    """The decision letter or the record has not gone out in time: tell the clerks."""
    today = today or local_today()
    calendar = working_calendar()
    records = (
        ConferenceRecord.objects.filter(
            status=RecordStatus.FINALISED,
            conference__starts_at__date__gte=today - timedelta(days=chase("max_age_days") + 30),
        )
        .filter(Q(decision_letter_sent_on__isnull=True) | Q(record_distributed_on__isnull=True))
        .select_related("conference")
    )
    chases = []
    for record in records:
        conference = record.conference
        for what, sent, rule in (
            ("letter", record.decision_letter_sent_on, decision_letter_due),
            ("record", record.record_distributed_on, record_distribution_due),
        ):
            due = rule(conference.held_on, calendar)
            if sent is None and today > due and not _too_old(due, today):
                chases.append(
                    Chase(
                        key=f"distribution-{what}:{conference.pk}",
                        kind=f"{what}_overdue",
                        to=settings.CONVENE_CLERKS_MAILBOX,
                        name="Clerks",
                        conference_id=conference.pk,
                        due_on=due,
                        subject=f"Decision {what} not sent"
                        if what == "letter"
                        else "Record not distributed",
                        body=f"The {'decision letter' if what == 'letter' else 'record'} for "
                        f"{_reference(conference)} was due out by {_day(due)}.",
                    )
                )
    return _write(chases)


def core_groups_overdue(today: date | None = None) -> int:
    """No first core group within 10 working days of the plan starting: the social worker and
    the chair are told."""
    today = today or local_today()
    calendar = working_calendar()
    had_core_group = CoreGroupMeeting.objects.filter(plan=OuterRef("pk"))
    plans = (
        ChildProtectionPlan.objects.filter(
            ended_on__isnull=True,
            started_on__gte=today - timedelta(days=chase("max_age_days") + 21),
            child__sensitive_end_on__isnull=True,
        )
        .exclude(Exists(had_core_group))
        .select_related("child__social_worker")
        .only(
            "child_id",
            "started_on",
            "child__social_worker__email",
            "child__social_worker__full_name",
        )
    )
    overdue = []
    for plan in plans:
        due = first_core_group_due(plan.started_on, calendar)
        if today > due and not _too_old(due, today):
            overdue.append((plan, due))
    # Only the overdue plans' children: the chair who started each plan.
    starts = (
        ConferenceChild.objects.filter(
            child__in=[plan.child_id for plan, _ in overdue], stage__in=INITIAL_STAGES
        )
        .select_related("conference__chair")
        .only(
            "child_id",
            "conference__starts_at",
            "conference__chair__email",
            "conference__chair__full_name",
        )
    )
    chair_by_child_and_day = {
        (place.child_id, place.conference.held_on): place.conference.chair for place in starts
    }
    chases = []
    for plan, due in overdue:
        people = [
            plan.child.social_worker,
            chair_by_child_and_day.get((plan.child_id, plan.started_on)),
        ]
        for person in filter(None, people):
            chases.append(
                Chase(
                    key=f"core-group:{plan.pk}:{person.email}",
                    kind="core_group_overdue",
                    to=person.email,
                    name=person.full_name,
                    child_id=plan.child_id,
                    due_on=due,
                    subject="First core group overdue",
                    body=f"The first core group for plan P{plan.pk:06d} was due by {_day(due)}.",
                )
            )
    return _write(chases)


def reviews_due_unbooked(today: date | None = None) -> int:
    """Reviews falling due within the horizon with no booking: the clerks are emailed (the tray
    shows them too)."""
    today = today or local_today()
    horizon = today + timedelta(weeks=timescale("review_horizon_weeks"))
    booked = ConferenceChild.objects.filter(
        child=OuterRef("child_id"), conference__status=ConferenceStatus.BOOKED
    )
    plans = ChildProtectionPlan.objects.filter(
        ended_on__isnull=True, child__sensitive_end_on__isnull=True
    ).exclude(Exists(booked))
    last_held = {}
    for child_id, starts_at in ConferenceChild.objects.filter(
        child__in=plans.values("child_id"), conference__status=ConferenceStatus.HELD
    ).values_list("child_id", "conference__starts_at"):
        last_held[child_id] = max(last_held.get(child_id, starts_at), starts_at)
    chases = []
    for plan in plans.only("pk", "child_id", "started_on"):
        due, _ = next_review_due(
            plan_started_on=plan.started_on, last_held_at=last_held.get(plan.child_id)
        )
        if due <= horizon and not _too_old(due, today):
            chases.append(
                Chase(
                    key=f"review-due:{plan.child_id}:{due}",
                    kind="review_unbooked",
                    to=settings.CONVENE_CLERKS_MAILBOX,
                    name="Clerks",
                    child_id=plan.child_id,
                    due_on=due,
                    subject="Review conference to book",
                    body=f"A review for plan P{plan.pk:06d} is due by {_day(due)} "
                    "and is not booked.",
                )
            )
    return _write(chases)


SWEEPS = {
    "report_reminders": report_reminders,
    "invitation_chasers": invitation_chasers,
    "outcomes_not_finalised": outcomes_not_finalised,
    "distribution_overdue": distribution_overdue,
    "core_groups_overdue": core_groups_overdue,
    "reviews_due_unbooked": reviews_due_unbooked,
}


def complaint_responses_due(today: date | None = None) -> int:
    """Complaint responses due within two working days, or overdue: the managers are reminded."""
    from complaints.models import ComplaintStage

    today = today or local_today()
    soon = working_calendar().add_working_days(today, 2)
    stages = ComplaintStage.objects.filter(
        responded_on__isnull=True,
        complaint__is_closed=False,
        response_due_on__lte=soon,
        response_due_on__gte=today - timedelta(days=chase("max_age_days")),
    )
    managers = list(User.objects.filter(is_active=True, roles__contains=[Role.MANAGER]))
    chases = [
        Chase(
            key=f"complaint-due:{stage.pk}:{manager.pk}",
            kind="complaint_response_due",
            to=manager.email,
            name=manager.full_name,
            due_on=stage.response_due_on,
            subject="Complaint response due",
            body=f"The stage {stage.stage} response to complaint K{stage.complaint_id:06d} is due "
            f"by {_day(stage.response_due_on)}.",
        )
        for stage in stages
        for manager in managers
    ]
    return _write(chases)


SWEEPS["complaint_responses_due"] = complaint_responses_due


def challenge_responses_overdue(today: date | None = None) -> int:
    """A challenge step past its response date with no response: the IRO who raised it is
    reminded, so they can chase it or escalate it to the next level."""
    from conferences.challenges.models import Challenge

    today = today or local_today()
    steps = Challenge.objects.filter(
        responded_on__isnull=True,
        resolved_on__isnull=True,
        escalated_to__isnull=True,
        response_due_on__lt=today,
        response_due_on__gte=today - timedelta(days=chase("max_age_days")),
    ).select_related("raised_by")
    chases = [
        Chase(
            key=f"challenge-due:{step.pk}",
            kind="challenge_response_overdue",
            to=step.raised_by.email,
            name=step.raised_by.full_name,
            child_id=step.child_id,
            due_on=step.response_due_on,
            subject="Challenge response overdue",
            body=f"No response has been recorded to challenge H{step.pk:06d} "
            f"({step.get_level_display().lower()}), due by {_day(step.response_due_on)}. "
            "Chase it, or escalate it to the next level.",
        )
        for step in steps
        if step.raised_by.is_active
    ]
    return _write(chases)


SWEEPS["challenge_responses_overdue"] = challenge_responses_overdue
