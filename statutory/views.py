"""Statutory returns: the children in need census and Ofsted's Annex A list 7.

Only managers who hold the named permission ``reporting.export_statutory_returns`` (granted by
an administrator on the staff page) may see the checks or download a return; each download is
recorded (``statutory_services.record_statutory_download``). The returns include restricted
records: they are statutory.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.queries import children_visible_to
from rules.periods import Period
from statutory import annex_a
from statutory.census_checks import problems
from statutory.census_data import children_in_batches, children_with_activity
from statutory.census_export import xml_parts
from statutory.forms import AnnexAForm, CensusForm
from statutory.models import ReturnKind
from statutory.services import can_export, record_statutory_download


def _exporter_only(view):
    @role_required(Role.MANAGER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_export(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _census_form(request) -> CensusForm:
    initial = {"la": settings.CONVENE_LA_CODE}
    return CensusForm(request.GET if "year" in request.GET else None, initial=initial)


@_exporter_only
def statutory_returns(request: HttpRequest) -> HttpResponse:
    census_form = _census_form(request)
    annex_form = AnnexAForm(request.GET if "start_0" in request.GET else None)
    context = {"census_form": census_form, "annex_form": annex_form}
    if census_form.is_bound and census_form.is_valid():
        period = Period(census_form.cleaned_data["year"])
        context.update(period=period, **_checked(period))
    status = 400 if (census_form.errors or annex_form.errors) else 200
    return render(request, "reporting/statutory_returns.html", context, status=status)


# A national census can have tens of thousands of problems: the page lists the first ones (in
# file order) and says how many there are; `manage.py export_cin_census` prints them all.
PROBLEMS_LISTED = 200


def _checked(period: Period) -> dict:
    """The census's children counted and checked a batch at a time, keeping the first problems."""
    children = problem_count = 0
    listed = []
    for found in children_in_batches(period):
        children += 1
        found_problems = problems([found])
        problem_count += len(found_problems)
        listed.extend(found_problems[: PROBLEMS_LISTED - len(listed)])
    return {"children": children, "problems": listed, "problem_count": problem_count}


@_exporter_only
def census_download(request: HttpRequest) -> HttpResponse:
    form = _census_form(request)
    if not form.is_valid():
        return statutory_returns(request)
    period, la = Period(form.cleaned_data["year"]), form.cleaned_data["la"]
    record_statutory_download(
        actor=request.user,
        kind=ReturnKind.CIN_CENSUS,
        period_start=period.start,
        period_end=period.end,
        records=children_with_activity(period).count(),
    )
    # Streamed a batch of children at a time: a national census never sits whole in memory.
    parts = xml_parts(period, la, children_in_batches(period))
    response = StreamingHttpResponse(parts, content_type="application/xml")
    name = f"cin-census-{la}-{period.end.year}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_exporter_only
def annex_a_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form = AnnexAForm(request.GET)
    if not form.is_valid():
        return statutory_returns(request)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    plan_rows = annex_a.rows(start, end)
    if fmt == "xlsx":
        body = annex_a.xlsx_bytes(plan_rows)
        kind, content_type = (
            ReturnKind.ANNEX_A_XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        body = annex_a.csv_text(plan_rows)
        kind, content_type = ReturnKind.ANNEX_A_CSV, "text/csv; charset=utf-8"
    record_statutory_download(
        actor=request.user,
        kind=kind,
        period_start=start,
        period_end=end,
        records=len(plan_rows),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="annex-a-list-7-{start}-{end}.{fmt}"'
    return response


@role_required(Role.CLERK, Role.MANAGER)
def incomplete_children(request: HttpRequest) -> HttpResponse:
    """Children imported from a census file, waiting for their names and family."""
    children = children_visible_to(request.user).filter(needs_completion=True)
    return render(
        request,
        "reporting/incomplete_children.html",
        {"children": children.order_by("local_case_id")[:500]},
    )
