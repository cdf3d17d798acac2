"""Managers' pages: the audit trail (dashboards and the annual report join later)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required

from . import audit


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/audit_log.html", {"entries": audit.recent_entries()})


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
def record_history(request: HttpRequest, model_label: str, object_id: int) -> HttpResponse:
    entries = audit.history_of(model_label, object_id)
    return render(
        request,
        "reporting/record_history.html",
        {"entries": entries, "model_label": model_label, "object_id": object_id},
    )
