"""Managers' and administrators' pages: the audit trail, read through the records' own scoping."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.cases.access_log import note_record_shown
from reporting.audit import trail as audit


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise Http404
    return int(text)


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    page = audit.recent_entries(request.user, page=_page_number(request))
    return render(request, "reporting/audit_log.html", {"page": page})


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def record_history(request: HttpRequest, model_label: str, object_id: int) -> HttpResponse:
    page = audit.history_of(request.user, model_label, object_id, page=_page_number(request))
    if any(entry.changes for entry in page.entries):  # a case record's values: log who read them
        owners = audit.CASE_RECORDS.get(model_label, {})
        note_record_shown(audit.tracked_models()[model_label], object_id, owners)
    return render(
        request,
        "reporting/record_history.html",
        {"page": page, "model_label": model_label, "object_id": object_id},
    )
