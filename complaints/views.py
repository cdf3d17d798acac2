"""Complaints, appeals and agency dissent: recorded beside the conference they concern."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import role_required
from complaints import services
from complaints.forms import AppealForm, ComplaintForm, DissentForm, EscalateForm, ResponseForm
from complaints.queries import (
    STAFF,
    appeals_visible_to,
    complaints_visible_to,
    dissents_visible_to,
    responses_due_for,
)
from conferences.cases.access_log import get_shown_or_404
from conferences.permissions import get_conference_for
from conferences.queries import children_visible_to
from config.services import Refused, show_refusal


@role_required(*STAFF)
def tray(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "complaints/tray.html",
        {
            "due": responses_due_for(user, services.responses_due()),
            "complaints": complaints_visible_to(user).select_related("child", "reason")[:100],
            "appeals": appeals_visible_to(user).select_related("child")[:100],
            "dissents": dissents_visible_to(user).select_related("agency")[:100],
        },
    )


def _form_page(request, template, form, conference, title):
    return render(request, template, {"form": form, "conference": conference, "title": title})


@role_required(*STAFF)
def complaint_add(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    form = ComplaintForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.log_complaint(
                actor=request.user,
                conference=conference,
                child=get_object_or_404(children_visible_to(request.user), pk=data["child"]),
                complainant=data["complainant"],
                complainant_name=data["complainant_name"],
                received_on=data["received_on"],
                reason=data["reason"],
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Complaint logged")
            return redirect("complaints:complaint_detail", complaint_id=complaint.pk)
    return _form_page(request, "complaints/form.html", form, conference, "Log a complaint")


def _complaint_for(request: HttpRequest, complaint_id: int):
    return get_shown_or_404(
        complaints_visible_to(request.user).select_related("child", "reason", "conference"),
        pk=complaint_id,
    )


def _detail_page(request, complaint, *, response_form=None, escalate_form=None) -> HttpResponse:
    stage = complaint.current_stage
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "stages": complaint.stages.all(),
            "response_form": response_form
            or ResponseForm(
                initial={
                    "responded_on": stage.responded_on,
                    "response": stage.response,
                    "outcome": stage.outcome,
                }
            ),
            "escalate_form": escalate_form or EscalateForm(),
        },
    )


@require_safe
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _detail_page(request, _complaint_for(request, complaint_id))


@require_POST
def complaint_respond(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint_for(request, complaint_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.respond(actor=request.user, complaint=complaint, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Response saved")
            return redirect("complaints:complaint_detail", complaint_id=complaint.pk)
    return _detail_page(request, complaint, response_form=form)


@require_POST
def complaint_escalate(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint_for(request, complaint_id)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            services.escalate(actor=request.user, complaint=complaint, on=form.cleaned_data["on"])
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Escalated to the next stage")
            return redirect("complaints:complaint_detail", complaint_id=complaint.pk)
    return _detail_page(request, complaint, escalate_form=form)


@role_required(*STAFF)
def appeal_add(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    form = AppealForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["child"] = get_object_or_404(children_visible_to(request.user), pk=data["child"])
        services.record_appeal(actor=request.user, conference=conference, **data)
        messages.success(request, "Appeal recorded")
        return redirect("complaints:tray")
    return _form_page(request, "complaints/form.html", form, conference, "Record an appeal")


@role_required(*STAFF)
def dissent_add(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    form = DissentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dissent(actor=request.user, conference=conference, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Agency dissent recorded")
            return redirect("complaints:tray")
    return _form_page(request, "complaints/form.html", form, conference, "Record agency dissent")
