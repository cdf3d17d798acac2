"""Managers write the annual report, generate its PDF and download every one made."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from config.concurrency import EditConflict, show_conflict
from reporting.annual import services
from reporting.annual.forms import ActionForm, NarrativeForm, NewReportForm
from reporting.annual.models import (
    NARRATIVE_SECTIONS,
    AnnualReport,
    GenerationStatus,
    ReportGeneration,
    WorkAction,
)
from rules.periods import Period


def can_generate(user) -> bool:
    return user.has_perm("reporting.generate_annual_report")


@role_required(Role.MANAGER)
def report_list(request: HttpRequest) -> HttpResponse:
    form = NewReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(actor=request.user, year=form.cleaned_data["year"])
        except IntegrityError:
            form.add_error("year", "There is already a report for that year")
        else:
            return redirect("reporting:annual_report", report_id=report.pk)
    return render(
        request,
        "reporting/annual_list.html",
        {"form": form, "reports": AnnualReport.objects.prefetch_related("generations")},
    )


@role_required(Role.MANAGER)
def annual_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport, pk=report_id)
    initial = {key: getattr(report, key) for key, _ in NARRATIVE_SECTIONS}
    form = NarrativeForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": report.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_narrative(
                actor=request.user, report=report, expected_version=data.pop("version"), **data
            )
        except EditConflict:
            show_conflict(request)
            status = 409
        else:
            messages.success(request, "Narrative saved")
            return redirect("reporting:annual_report", report_id=report.pk)
    return render(
        request,
        "reporting/annual_report.html",
        {
            "report": report,
            "period": Period(report.year),
            "form": form,
            "actions": report.actions.all(),
            "generations": report.generations.select_related("requested_by"),
            "can_generate": can_generate(request.user),
        },
        status=status,
    )


@role_required(Role.MANAGER)
def action_edit(request: HttpRequest, report_id: int, action_id: int | None = None):
    report = get_object_or_404(AnnualReport, pk=report_id)
    action = get_object_or_404(WorkAction, pk=action_id, report=report) if action_id else None
    initial = (
        {name: getattr(action, name) for name in services.ACTION_FIELDS}
        | {"version": action.version}
        if action
        else {}
    )
    if action:
        initial["for_next_year"] = str(action.for_next_year)
    form = ActionForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "report": report, "action": action}
    if request.method == "POST" and form.is_valid():
        details = services.WorkActionDetails.from_cleaned(form.cleaned_data)
        try:
            if action:
                services.change_action(
                    actor=request.user,
                    action=action,
                    details=details,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            else:
                services.add_action(actor=request.user, report=report, details=details)
        except EditConflict:
            show_conflict(request, context)
            return render(request, "reporting/action_form.html", context, status=409)
        messages.success(request, "Work programme saved")
        return redirect("reporting:annual_report", report_id=report.pk)
    return render(request, "reporting/action_form.html", context)


@role_required(Role.MANAGER)
@require_POST
def action_remove(request: HttpRequest, report_id: int, action_id: int) -> HttpResponse:
    action = get_object_or_404(WorkAction, pk=action_id, report_id=report_id)
    services.remove_action(actor=request.user, action=action)
    messages.success(request, "Action removed")
    return redirect("reporting:annual_report", report_id=report_id)


@role_required(Role.MANAGER)
@require_POST
def generate(request: HttpRequest, report_id: int) -> HttpResponse:
    if not can_generate(request.user):
        raise PermissionDenied
    report = get_object_or_404(AnnualReport, pk=report_id)
    generation = services.request_generation(actor=request.user, report=report)
    return redirect("reporting:generation", generation_id=generation.pk)


@role_required(Role.MANAGER)
def generation(request: HttpRequest, generation_id: int) -> HttpResponse:
    found = get_object_or_404(ReportGeneration.objects.select_related("report"), pk=generation_id)
    return render(request, "reporting/generation.html", {"generation": found})


@role_required(Role.MANAGER)
def generation_status(request: HttpRequest, generation_id: int) -> JsonResponse:
    found = get_object_or_404(ReportGeneration, pk=generation_id)
    return JsonResponse(
        {
            "status": found.status,
            "status_label": found.get_status_display(),
            "progress": found.progress,
            "step": found.step,
            "download_url": reverse("reporting:generation_pdf", args=[found.pk])
            if found.status == GenerationStatus.DONE
            else None,
        }
    )


@role_required(Role.MANAGER)
def generation_pdf(request: HttpRequest, generation_id: int) -> HttpResponse:
    found = get_object_or_404(
        ReportGeneration.objects.select_related("report", "pdf"),
        pk=generation_id,
        status=GenerationStatus.DONE,
    )
    response = HttpResponse(bytes(found.pdf.content), content_type="application/pdf")
    name = f"iro-annual-report-{found.report.year_label}-{found.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
