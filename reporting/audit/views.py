"""Managers' and administrators' pages: the audit trail, read through the records' own scoping."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.cases.access_log import note_record_shown
from reporting.audit import trail as audit


def _positions(request: HttpRequest) -> dict:
    """The page a link asked for: changes older (or newer) than a signed position, or the
    newest; 404 for a position we did not make."""
    return {
        f"{direction}_than": audit.Position.from_token(request.GET[direction])
        if request.GET.get(direction)
        else None
        for direction in ("older", "newer")
    }


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    page = audit.recent_entries(request.user, **_positions(request))
    return render(request, "reporting/audit_log.html", {"page": page})


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def record_history(request: HttpRequest, model_label: str, object_id: int) -> HttpResponse:
    page = audit.history_of(request.user, model_label, object_id, **_positions(request))
    if any(entry.changes for entry in page.entries):  # a case record's values: log who read them
        owners = audit.CASE_RECORDS.get(model_label, {})
        note_record_shown(audit.tracked_models()[model_label], object_id, owners)
    return render(
        request,
        "reporting/record_history.html",
        {"page": page, "model_label": model_label, "object_id": object_id},
    )
