"""The statutory returns page and who may use it, for the views that show it and for those
that ask for a return (reporting/prepared): only managers granted the named permission."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from rules.periods import Period
from statutory.census_checks import problems
from statutory.census_data import children_in_batches
from statutory.forms import AnnexAForm, CensusForm
from statutory.services import can_export


def exporter_only(view):
    """Managers granted the named permission only (403 for anyone else)."""

    @role_required(Role.MANAGER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_export(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def returns_page(request, census_form: CensusForm, annex_form: AnnexAForm) -> HttpResponse:
    """The returns page with these forms: the census's checks when a year is asked for by GET,
    and each form's errors beside its fields (400)."""
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
