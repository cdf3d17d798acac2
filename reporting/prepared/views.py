"""A prepared export's progress page, its progress as JSON for the page's script, and its file.

Only the user who asked sees any of them: to anyone else the export does not exist (404). Its
address is the export's random key, which says nothing about what is in it.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from reporting.prepared import services
from reporting.prepared.models import PreparedExport


def get_export_for(user, export_key: UUID) -> PreparedExport:
    """The user's own export, still in its time, or 404; 403 if they may no longer ask for
    its kind (a permission withdrawn since)."""
    export = get_object_or_404(
        PreparedExport, key=export_key, requested_by=user, expires_at__gt=timezone.now()
    )
    if not services.may_ask(user, export.kind):
        raise PermissionDenied
    return export


def prepared_export(request: HttpRequest, export_key: UUID) -> HttpResponse:
    export = get_export_for(request.user, export_key)
    return render(request, "reporting/prepared_export.html", {"export": export})


def prepared_export_status(request: HttpRequest, export_key: UUID) -> JsonResponse:
    export = get_export_for(request.user, export_key)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "step": export.step,
            "download_url": reverse("reporting:prepared_export_file", args=[export.key])
            if export.is_ready
            else None,
        }
    )


def prepared_export_file(request: HttpRequest, export_key: UUID) -> FileResponse:
    export = get_export_for(request.user, export_key)
    if not export.is_ready:
        raise Http404("Not made yet")
    kind = services.KINDS[export.kind]
    return FileResponse(
        services.hand_over(actor=request.user, export=export),
        as_attachment=True,
        filename=kind.file_name(export.parameters),
        content_type=kind.content_type,
    )
