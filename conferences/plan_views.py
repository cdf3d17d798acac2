"""A child's plan after the conference: core group meetings and transfers out."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import record_services as services
from .permissions import can_manage_records, case_staff_only, get_child_for
from .record_forms import CoreGroupForm, TransferOutForm
from .timescales import timescale, working_calendar
from .working_days import WorkingCalendar


def core_group_due_dates(plan, meetings, calendar: WorkingCalendar):
    """The first core group is due 10 working days after the plan starts; each later one the
    setting's interval after the one before."""
    first_due = calendar.add_working_days(
        plan.started_on, timescale("first_core_group_working_days")
    )
    if not meetings:
        return first_due
    return calendar.add_working_days(
        meetings[-1].held_on, timescale("core_group_interval_working_days")
    )


@case_staff_only
def core_groups(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    plan = child.plans.filter(ended_on__isnull=True).first()
    meetings = list(child.core_groups.select_related("recorded_by")) if plan else []
    form = CoreGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_core_group(actor=request.user, child=child, **form.cleaned_data)
        except services.RecordRefused as refused:
            form.add_error("held_on", refused.errors[0])
        else:
            messages.success(request, "Core group recorded")
            return redirect("conferences:core_groups", child_id=child.pk)
    next_due = (
        core_group_due_dates(
            plan, [m for m in meetings if m.plan_id == plan.pk], working_calendar()
        )
        if plan
        else None
    )
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
        except services.RecordRefused as refused:
            form.add_error("receiving_conference_on", refused.errors[0])
        else:
            messages.success(
                request, "Transfer recorded: the plan ends on the receiving conference date"
            )
            return redirect("conferences:child_detail", child_id=child.pk)
    return render(request, "conferences/transfer_out.html", {"child": child, "form": form})
