"""The statutory returns page, asking for an export, its progress page, its progress as JSON for
the page's script, and its file. Only the user who asked sees the last three
(``get_export_for``), and only their own census checks on the returns page."""

from uuid import UUID

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reporting.prepared import services
from reporting.prepared.kinds import KINDS
from reporting.prepared.models import ExportKind
from reporting.prepared.queries import (
    census_checks_found,
    get_export_for,
    latest_census_checks_for,
)
from reporting.prepared.services import request_export
from statutory import pages
from statutory.forms import AnnexAForm, CensusForm
from statutory.pages import exporter_only, returns_page


def _census_form(request) -> CensusForm:
    initial = {"la": settings.CONVENE_LA_CODE}
    return CensusForm(request.GET if "year" in request.GET else None, initial=initial)


# The returns page lives here, not in statutory, because with a year chosen it shows the user's
# latest census check, which the worker made (statutory never imports reporting).
@exporter_only
def statutory_returns(request: HttpRequest) -> HttpResponse:
    census_form = _census_form(request)
    annex_form = AnnexAForm(request.GET if "start_0" in request.GET else None)
    checks = None
    if census_form.is_bound and census_form.is_valid():
        year, la = census_form.cleaned_data["year"], census_form.cleaned_data["la"]
        export = latest_census_checks_for(request.user, year=year, la=la)
        checks = {"export": export}
        if export is not None and export.is_ready:
            checks |= census_checks_found(export, listed=pages.PROBLEMS_LISTED)
    return returns_page(request, census_form, annex_form, checks=checks)


def _done_url(export) -> str:
    shown_at = KINDS[export.kind].shown_at
    if shown_at is not None:
        return shown_at(export.parameters)
    return reverse("reporting:prepared_export_file", args=[export.key])


def prepared_export(request: HttpRequest, export_key: UUID) -> HttpResponse:
    export = get_export_for(request.user, export_key)
    context = {
        "export": export,
        "done_url": _done_url(export),
        "done_label": KINDS[export.kind].done_label,
    }
    return render(request, "reporting/prepared_export.html", context)


def prepared_export_status(request: HttpRequest, export_key: UUID) -> JsonResponse:
    export = get_export_for(request.user, export_key)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "step": export.step,
            "download_url": _done_url(export) if export.is_ready else None,
        }
    )


def prepared_export_file(request: HttpRequest, export_key: UUID) -> FileResponse:
    export = get_export_for(request.user, export_key)
    if not export.is_ready:
        raise Http404("Not made yet")
    kind = KINDS[export.kind]
    return FileResponse(
        services.hand_over(actor=request.user, export=export),
        as_attachment=True,
        filename=kind.file_name(export.parameters),
        content_type=kind.content_type,
    )


def _ask_about_census(request: HttpRequest, kind: ExportKind) -> HttpResponse:
    form = CensusForm(request.POST, initial={"la": settings.CONVENE_LA_CODE})
    if not form.is_valid():
        return returns_page(request, form, AnnexAForm())
    export = request_export(
        actor=request.user,
        kind=kind,
        parameters={"year": form.cleaned_data["year"], "la": form.cleaned_data["la"]},
    )
    return redirect("reporting:prepared_export", export_key=export.key)


# A return at national scale takes longer than a browser should wait: the worker prepares the
# file (reporting/prepared) while the progress page shows how far it has got. The download itself
# is recorded as the file is handed over.
@exporter_only
@require_POST
def census_prepare(request: HttpRequest) -> HttpResponse:
    return _ask_about_census(request, ExportKind.CIN_CENSUS)


# Checking a national census takes about a minute: the worker checks it and the returns page
# shows what it found (its first problems and how many), once it is done.
@exporter_only
@require_POST
def census_checks_prepare(request: HttpRequest) -> HttpResponse:
    return _ask_about_census(request, ExportKind.CENSUS_CHECKS)


ANNEX_A_KINDS = {"csv": ExportKind.ANNEX_A_CSV, "xlsx": ExportKind.ANNEX_A_XLSX}


@exporter_only
@require_POST
def annex_a_prepare(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ANNEX_A_KINDS:
        raise Http404
    form = AnnexAForm(request.POST)
    if not form.is_valid():
        return returns_page(request, CensusForm(initial={"la": settings.CONVENE_LA_CODE}), form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    export = request_export(
        actor=request.user,
        kind=ANNEX_A_KINDS[fmt],
        parameters={"start": start.isoformat(), "end": end.isoformat()},
    )
    return redirect("reporting:prepared_export", export_key=export.key)
