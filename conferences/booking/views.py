"""Booking a conference, the conference page, and what happens to it afterwards."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conferences.booking import services as booking_services
from conferences.booking.chairs import chair_choices, previous_chair
from conferences.booking.forms import (
    AttendanceForm,
    BookingForm,
    ParticipantFormSet,
    PostponeForm,
    ReportReceiptForm,
    SentForm,
)
from conferences.choices import ConferenceStatus, Stage
from conferences.models import Conference
from conferences.permissions import (
    can_manage_records,
    case_staff_only,
    get_conference_for,
    get_family_for,
)
from conferences.queries import children_visible_to
from conferences.questionnaires.services import feedback_summary
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal
from rules.meetings import (
    classify_report_receipt,
    is_police_notice_short,
    is_quorate,
    meeting_type,
    police_notice_days,
)
from rules.timescales import report_due_dates, today
from rules.working_days import working_calendar


def _week_of(form_data) -> date:
    try:
        return date(
            int(form_data.get("held_on_2")),
            int(form_data.get("held_on_1")),
            int(form_data.get("held_on_0")),
        )
    except (TypeError, ValueError):
        return today()


def _apply_refusal(form: BookingForm, refused: Refused) -> None:
    # The booking's rules name the request's parts; the form asks for them in its own fields.
    on_form = {"starts_at": "held_on", "participants": None}
    if form.children:
        on_form["children"] = form.stage_fields()[0].name
    show_refusal(form, refused, on_form=on_form)


@case_staff_only
def book(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    rebooking = None
    if request.GET.get("rebook"):
        rebook = request.GET["rebook"]
        rebooking = get_conference_for(request.user, int(rebook)) if rebook.isdigit() else None
        if rebooking is None or rebooking.family_id != family.pk:
            raise Http404
    children = children_visible_to(request.user).filter(family=family)
    data = request.POST or None
    continuity = previous_chair(family, request.user)
    initial = {"chair": continuity.pk if continuity else ""}
    if rebooking:
        initial.update(
            {
                "venue": rebooking.venue_id,
                "chair": rebooking.chair_id,
                **{f"stage_{place.child_id}": place.stage for place in rebooking.attendees.all()},
            }
        )
    form = BookingForm(
        data,
        initial=initial,
        family=family,
        children=children,
        chair_choices=chair_choices(family, _week_of(request.POST), request.user),
    )
    participants = ParticipantFormSet(data, prefix="participants")
    if request.method == "POST" and form.is_valid() and participants.is_valid():
        booking = booking_services.BookingRequest(
            family=family,
            children=[
                booking_services.ChildAtBooking(child=child, stage=Stage(stage))
                for child, stage in form.cleaned_data["chosen_children"]
            ],
            starts_at=form.cleaned_data["starts_at"],
            venue=form.cleaned_data["venue"],
            chair=form.cleaned_data["chair"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            invitees=list(form.cleaned_data["invitees"]),
            participants=[
                booking_services.ParticipantAtBooking(**participant.cleaned_data)
                for participant in participants
                if participant.cleaned_data.get("name")
            ],
            is_past_record=form.cleaned_data["is_past_record"],
            out_of_timescale_reason=form.cleaned_data["out_of_timescale_reason"],
            rebooked_from=rebooking,
        )
        try:
            conference = booking_services.book_conference(actor=request.user, request=booking)
        except Refused as refused:
            _apply_refusal(form, refused)
        else:
            messages.success(request, "Conference booked")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return render(
        request,
        "conferences/booking_form.html",
        {"form": form, "participants": participants, "family": family, "rebooking": rebooking},
    )


def conference_summary(conference: Conference) -> dict:
    """What the conference page shows, computed from the records."""
    calendar = working_calendar()
    places = list(conference.attendees.select_related("child"))
    invitations = list(conference.invitations.select_related("professional__agency"))
    held_on = conference.held_on
    now = today()
    for invitation in invitations:
        invitation.notice_days = police_notice_days(invitation, held_on=held_on, today=now)
        invitation.notice_short = is_police_notice_short(invitation, held_on=held_on, today=now)
    for place in places:
        place.within_timescale = place.due_on is None or held_on <= place.due_on
    stages = [place.stage for place in places]
    due = report_due_dates(stages, held_on, calendar)
    return {
        "places": places,
        "invitations": invitations,
        "participants": list(conference.participants.all()),
        "meeting_type": meeting_type(stages).label if stages else "",
        "short_police_notice": [i for i in invitations if i.notice_short],
        "unsent": [i for i in invitations if i.sent_on is None],
        "report_due": due,
        "family_receipt": classify_report_receipt(
            received_on=conference.report_to_family_on,
            not_received=conference.report_to_family_not_received,
            held_on=held_on,
            calendar=calendar,
        ),
        "chair_receipt": classify_report_receipt(
            received_on=conference.report_to_chair_on,
            not_received=conference.report_to_chair_not_received,
            held_on=held_on,
            calendar=calendar,
        ),
        "is_quorate": is_quorate(invitations),
        "attendance_recorded": any(invitation.attendance for invitation in invitations),
    }


def _render_conference(request, conference, *, sent_form=None, receipt_form=None, status=200):
    """The conference page; a form that failed comes back bound, with its errors."""
    context = {"conference": conference, **conference_summary(conference)}
    context["can_manage"] = can_manage_records(request.user)
    context.update(feedback_summary(request.user, conference))
    context["sent_form"] = sent_form or SentForm(invitations=context["unsent"])
    context["receipt_form"] = receipt_form or ReportReceiptForm(
        initial={
            "family_received_on": conference.report_to_family_on,
            "family_not_received": conference.report_to_family_not_received,
            "chair_received_on": conference.report_to_chair_on,
            "chair_not_received": conference.report_to_chair_not_received,
        }
    )
    return render(request, "conferences/conference_detail.html", context, status=status)


@case_staff_only
def conference_detail(request: HttpRequest, conference_id: int) -> HttpResponse:
    return _render_conference(request, get_conference_for(request.user, conference_id))


@case_staff_only
@require_POST
def invitations_sent(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    unsent = conference.invitations.filter(sent_on__isnull=True).select_related("professional")
    form = SentForm(request.POST, invitations=unsent)
    if form.is_valid():
        chosen = [i for i in unsent if str(i.pk) in form.cleaned_data["invitations"]]
        try:
            booking_services.mark_invitations_sent(
                actor=request.user,
                conference=conference,
                invitations=chosen,
                sent_on=form.cleaned_data["sent_on"],
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{len(chosen)} invitation(s) recorded as sent")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return _render_conference(request, conference, sent_form=form, status=400)


@case_staff_only
def postpone(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    form = PostponeForm(request.POST or None, initial={"version": conference.version})
    context = {"conference": conference, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            booking_services.postpone_conference(
                actor=request.user,
                conference=conference,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                cancel=form.cleaned_data["action"] == "cancel",
                expected_version=form.cleaned_data["version"] or 0,
            )
        except Refused as refused:
            show_refusal(form, refused)
        except EditConflict:
            show_conflict(request, context)
            return render(request, "conferences/postpone_form.html", context, status=409)
        else:
            if conference.status == ConferenceStatus.POSTPONED:
                messages.success(request, "Conference postponed: book the new date now")
                return redirect(f"{_book_url(conference)}?rebook={conference.pk}")
            messages.success(request, "Conference cancelled")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return render(request, "conferences/postpone_form.html", context)


def _book_url(conference: Conference) -> str:
    return reverse("conferences:book", kwargs={"family_id": conference.family_id})


@case_staff_only
@require_POST
def report_receipt(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not can_manage_records(request.user) and conference.chair_id != request.user.pk:
        raise PermissionDenied
    form = ReportReceiptForm(request.POST)
    if form.is_valid():
        try:
            booking_services.record_report_receipt(
                actor=request.user, conference=conference, **form.cleaned_data
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Report receipt recorded")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return _render_conference(request, conference, receipt_form=form, status=400)


@case_staff_only
def attendance(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    invitations = list(conference.invitations.select_related("professional__agency"))
    forms = [
        AttendanceForm(request.POST or None, prefix=f"i{i.pk}", invitation=i) for i in invitations
    ]
    errors = []
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            booking_services.record_attendance(
                actor=request.user,
                conference=conference,
                records=[form.as_record() for form in forms],
            )
        except Refused as refused:
            errors = refused.messages
        else:
            messages.success(request, "Attendance and reports recorded")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return render(
        request,
        "conferences/attendance_form.html",
        {"conference": conference, "forms": forms, "errors": errors},
    )
