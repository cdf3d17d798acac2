"""Statutory returns: the children in need census and Ofsted's Annex A list 7.

Only managers who hold the named permission ``reporting.export_statutory_returns`` (granted by
an administrator on the staff page) may see the checks or ask for a return; the worker prepares
the file, and each download of it is recorded (``statutory_services.record_statutory_download``).
The returns include restricted records: they are statutory.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from conferences.queries import children_visible_to
from reporting.prepared.models import ExportKind
from reporting.prepared.services import request_export
from rules.periods import Period
from statutory.census_checks import problems
from statutory.census_data import children_in_batches
from statutory.forms import AnnexAForm, CensusForm
from statutory.services import can_export


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
    return _page(request, census_form, annex_form)


def _page(request, census_form: CensusForm, annex_form: AnnexAForm) -> HttpResponse:
    context = {"census_form": census_form, "annex_form": annex_form}
    if request.method == "GET" and census_form.is_bound and census_form.is_valid():
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


# A return at national scale takes longer than a browser should wait: the worker prepares the
# file (reporting/prepared) while the progress page shows how far it has got. The download itself
# is recorded as the file is handed over.
@_exporter_only
@require_POST
def census_prepare(request: HttpRequest) -> HttpResponse:
    form = CensusForm(request.POST, initial={"la": settings.CONVENE_LA_CODE})
    if not form.is_valid():
        return _page(request, form, AnnexAForm())
    export = request_export(
        actor=request.user,
        kind=ExportKind.CIN_CENSUS,
        parameters={"year": form.cleaned_data["year"], "la": form.cleaned_data["la"]},
    )
    return redirect("reporting:prepared_export", export_key=export.key)


ANNEX_A_KINDS = {"csv": ExportKind.ANNEX_A_CSV, "xlsx": ExportKind.ANNEX_A_XLSX}


@_exporter_only
@require_POST
def annex_a_prepare(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ANNEX_A_KINDS:
        raise Http404
    form = AnnexAForm(request.POST)
    if not form.is_valid():
        return _page(request, CensusForm(initial={"la": settings.CONVENE_LA_CODE}), form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    export = request_export(
        actor=request.user,
        kind=ANNEX_A_KINDS[fmt],
        parameters={"start": start.isoformat(), "end": end.isoformat()},
    )
    return redirect("reporting:prepared_export", export_key=export.key)


@role_required(Role.CLERK, Role.MANAGER)
def incomplete_children(request: HttpRequest) -> HttpResponse:
    """Children imported from a census file, waiting for their names and family."""
    children = children_visible_to(request.user).filter(needs_completion=True)
    return render(
        request,
        "reporting/incomplete_children.html",
        {"children": children.order_by("local_case_id")[:500]},
    )
