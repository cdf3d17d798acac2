"""Complaints, appeals and agency dissent: recorded beside the conference they concern."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import role_required
from conferences.access_log import get_shown_or_404
from conferences.permissions import get_conference_for
from conferences.queries import children_visible_to

from . import services
from .forms import AppealForm, ComplaintForm, DissentForm, EscalateForm, ResponseForm
from .queries import (
    STAFF,
    appeals_visible_to,
    complaints_visible_to,
    dissents_visible_to,
    responses_due_for,
)


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
        except services.ComplaintRefused as refused:
            form.add_error("received_on", str(refused))
        else:
            messages.success(request, "Complaint logged")
            return redirect("complaints:complaint_detail", complaint_id=complaint.pk)
    return _form_page(request, "complaints/form.html", form, conference, "Log a complaint")


def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = get_shown_or_404(
        complaints_visible_to(request.user).select_related("child", "reason", "conference"),
        pk=complaint_id,
    )
    stage = complaint.current_stage
    response_form = ResponseForm(
        initial={
            "responded_on": stage.responded_on,
            "response": stage.response,
            "outcome": stage.outcome,
        }
    )
    escalate_form = EscalateForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "escalate":
                escalate_form = EscalateForm(request.POST)
                if escalate_form.is_valid():
                    services.escalate(
                        actor=request.user, complaint=complaint, on=escalate_form.cleaned_data["on"]
                    )
                    messages.success(request, "Escalated to the next stage")
                    return redirect("complaints:complaint_detail", complaint_id=complaint.pk)
            else:
                response_form = ResponseForm(request.POST)
                if response_form.is_valid():
                    services.respond(
                        actor=request.user, complaint=complaint, **response_form.cleaned_data
                    )
                    messages.success(request, "Response saved")
                    return redirect("complaints:complaint_detail", complaint_id=complaint.pk)
        except services.ComplaintRefused as refused:
            target = escalate_form if request.POST.get("action") == "escalate" else response_form
            target.add_error(None, str(refused))
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "stages": complaint.stages.all(),
            "response_form": response_form,
            "escalate_form": escalate_form,
        },
    )


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
        except services.ComplaintRefused as refused:
            form.add_error("resolved_on", str(refused))
        else:
            messages.success(request, "Agency dissent recorded")
            return redirect("complaints:tray")
    return _form_page(request, "complaints/form.html", form, conference, "Record agency dissent")
