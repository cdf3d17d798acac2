"""Every write to complaints, appeals and agency dissent."""

from datetime import date

from django.conf import settings

from accounts.models import User
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintStage
from config.services import Refused, write_service
from rules.timescales import today
from rules.working_days import working_calendar


def response_due(stage: int, started_on: date) -> date:
    """Working days per stage, from settings."""
    days = settings.CONVENE_COMPLAINT_RESPONSE_WORKING_DAYS[stage]
    return working_calendar().add_working_days(started_on, days)


@write_service("log_complaint")
def log_complaint(
    *,
    actor: User,
    conference,
    child,
    complainant: str,
    complainant_name: str,
    received_on: date,
    reason,
) -> Complaint:
    if received_on > today():
        raise Refused("The date received cannot be in the future", field="received_on")
    if not conference.attendees.filter(child=child).exists():
        raise Refused(f"{child} was not at that conference", field="received_on")
    complaint = Complaint.objects.create(
        conference=conference,
        child=child,
        complainant=complainant,
        complainant_name=complainant_name,
        received_on=received_on,
        reason=reason,
        logged_by=actor,
    )
    ComplaintStage.objects.create(
        complaint=complaint,
        stage=1,
        started_on=received_on,
        response_due_on=response_due(1, received_on),
    )
    return complaint


@write_service("respond_to_complaint")
def respond(
    *,
    actor: User,
    complaint: Complaint,
    responded_on: date | None,
    response: str,
    outcome: str,
    close: bool,
) -> ComplaintStage:
    stage = complaint.current_stage
    if complaint.is_closed:
        raise Refused("The complaint is closed")
    if outcome and responded_on is None:
        raise Refused("Enter the date of the response before giving an outcome")
    if responded_on and responded_on < complaint.received_on:
        raise Refused("The response cannot be before the complaint was received")
    if responded_on and responded_on > today():
        raise Refused("The response date cannot be in the future")
    stage.responded_on, stage.response, stage.outcome = responded_on, response, outcome
    stage.save()
    if close:
        if not outcome:
            raise Refused("Give the outcome before closing the complaint")
        Complaint.objects.filter(pk=complaint.pk).update(
            is_closed=True, resolved_at_stage=stage.stage
        )
    return stage


@write_service("escalate_complaint")
def escalate(*, actor: User, complaint: Complaint, on: date) -> ComplaintStage:
    """Start the next stage; the earlier stage's record stays as it was."""
    if complaint.is_closed:
        raise Refused("A closed complaint cannot be escalated")
    stage = complaint.current_stage
    if stage.stage >= 3:
        raise Refused("Stage 3 is the last stage")
    if on < stage.started_on:
        raise Refused("The escalation cannot be before the current stage began")
    return ComplaintStage.objects.create(
        complaint=complaint,
        stage=stage.stage + 1,
        started_on=on,
        response_due_on=response_due(stage.stage + 1, on),
    )


@write_service("record_appeal")
def record_appeal(
    *,
    actor: User,
    conference,
    child,
    appellant: str,
    received_on: date,
    grounds: str,
    supported_by_advocate: bool = False,
    iro_meeting_on: date | None = None,
    outcome: str = "",
    went_to_partnership_procedure: bool = False,
) -> Appeal:
    return Appeal.objects.create(
        conference=conference,
        child=child,
        appellant=appellant,
        received_on=received_on,
        grounds=grounds,
        supported_by_advocate=supported_by_advocate,
        iro_meeting_on=iro_meeting_on,
        outcome=outcome,
        went_to_partnership_procedure=went_to_partnership_procedure,
    )


@write_service("record_dissent")
def record_dissent(
    *,
    actor: User,
    conference,
    agency,
    point: str,
    raised_on: date,
    escalated_to: str = "",
    resolved_on: date | None = None,
    resolution: str = "",
) -> AgencyDissent:
    if resolved_on and resolved_on < raised_on:
        raise Refused("The dissent cannot be resolved before it was raised", field="resolved_on")
    return AgencyDissent.objects.create(
        conference=conference,
        agency=agency,
        point=point,
        raised_on=raised_on,
        escalated_to=escalated_to,
        resolved_on=resolved_on,
        resolution=resolution,
    )


def responses_due(*, within_days: int = 5):
    """Open stages whose response is due soon or overdue (the managers' tray)."""
    from datetime import timedelta

    return (
        ComplaintStage.objects.filter(
            responded_on__isnull=True,
            complaint__is_closed=False,
            response_due_on__lte=today() + timedelta(days=within_days),
        )
        .select_related("complaint__child", "complaint__reason")
        .order_by("response_due_on")
    )
