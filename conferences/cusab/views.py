"""CUSAB risk meetings: recorded against the child, listed for the service."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from conferences.cusab import services
from conferences.cusab.forms import CusabForm
from conferences.permissions import case_staff_only, get_child_for, get_cusab_meeting_for
from conferences.queries import cusab_meetings_visible_to
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal


def _save(request, form, *, child, meeting=None):
    details = services.CusabDetails.from_cleaned(form.cleaned_data)
    try:
        if meeting is None:
            services.record_cusab_meeting(actor=request.user, child=child, details=details)
        else:
            services.update_cusab_meeting(
                actor=request.user,
                meeting=meeting,
                details=details,
                expected_version=form.cleaned_data["version"] or 0,
            )
    except Refused as refused:
        show_refusal(form, refused)
        return None
    messages.success(request, "CUSAB meeting saved")
    return redirect("conferences:child_detail", child_id=child.pk)


@case_staff_only
def cusab_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    form = CusabForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and (done := _save(request, form, child=child)):
        return done
    return render(request, "conferences/cusab_form.html", {"form": form, "child": child})


@case_staff_only
def cusab_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_cusab_meeting_for(request.user, meeting_id)
    initial = {name: getattr(meeting, name) for name in services.FIELDS}
    form = CusabForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": meeting.version},
    )
    context = {"form": form, "child": meeting.child, "meeting": meeting}
    if request.method == "POST" and form.is_valid():
        try:
            if done := _save(request, form, child=meeting.child, meeting=meeting):
                return done
        except EditConflict:
            show_conflict(request, context)
            return render(request, "conferences/cusab_form.html", context, status=409)
    return render(request, "conferences/cusab_form.html", context)


@case_staff_only
def cusab_list(request: HttpRequest) -> HttpResponse:
    meetings = cusab_meetings_visible_to(request.user)[:500]
    return render(request, "conferences/cusab_list.html", {"meetings": meetings})
