"""A child's plan after the conference: core group meetings and transfers out."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from conferences.permissions import can_manage_records, case_staff_only, get_child_for
from conferences.record import services
from conferences.record.forms import CoreGroupForm, TransferOutForm
from config.services import Refused, show_refusal
from rules.timescales import next_core_group_due
from rules.working_days import working_calendar


@case_staff_only
def core_groups(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    plan = child.plans.filter(ended_on__isnull=True).first()
    meetings = list(child.core_groups.select_related("recorded_by")) if plan else []
    form = CoreGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_core_group(actor=request.user, child=child, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Core group recorded")
            return redirect("conferences:core_groups", child_id=child.pk)
    next_due = None
    if plan:
        in_plan = [meeting.held_on for meeting in meetings if meeting.plan_id == plan.pk]
        last_held_on = in_plan[-1] if in_plan else None
        next_due = next_core_group_due(plan.started_on, last_held_on, working_calendar())
    return render(
        request,
        "conferences/core_groups.html",
        {"child": child, "plan": plan, "meetings": meetings, "form": form, "next_due": next_due},
    )


@case_staff_only
def transfer_out(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    form = TransferOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_transfer_out(actor=request.user, child=child, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(
                request, "Transfer recorded: the plan ends on the receiving conference date"
            )
            return redirect("conferences:child_detail", child_id=child.pk)
    return render(request, "conferences/transfer_out.html", {"child": child, "form": form})
