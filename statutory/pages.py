"""The statutory returns page and who may use it, for the views that show it and for those
that ask for a return (reporting/prepared): only managers granted the named permission."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from rules.periods import Period
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


def returns_page(
    request, census_form: CensusForm, annex_form: AnnexAForm, *, checks: dict | None = None
) -> HttpResponse:
    """The returns page with these forms and each form's errors beside its fields (400). With a
    year chosen by GET, ``checks`` says what the user's latest check of that census found (the
    worker checks it: reporting/prepared); nothing is checked while the browser waits."""
    context = {"census_form": census_form, "annex_form": annex_form}
    if request.method == "GET" and census_form.is_bound and census_form.is_valid():
        context.update(period=Period(census_form.cleaned_data["year"]), checks=checks)
    status = 400 if (census_form.errors or annex_form.errors) else 200
    return render(request, "reporting/statutory_returns.html", context, status=status)


# A national census can have tens of thousands of problems: the page lists the first ones (in
# file order) and says how many there are; the checks' file holds them all.
PROBLEMS_LISTED = 200
