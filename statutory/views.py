"""Statutory returns: the children in need census and Ofsted's Annex A list 7.

Only managers who hold the named permission ``reporting.export_statutory_returns`` (granted by
an administrator on the staff page) may see the checks or ask for a return; the worker prepares
the file (reporting/prepared: the asking views are there, as the export is reporting's), and
each download of it is recorded (``statutory_services.record_statutory_download``).
The returns include restricted records: they are statutory.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.queries import children_visible_to
from config.bounded import first
from statutory.forms import AnnexAForm, CensusForm
from statutory.pages import exporter_only, returns_page


def _census_form(request) -> CensusForm:
    initial = {"la": settings.CONVENE_LA_CODE}
    return CensusForm(request.GET if "year" in request.GET else None, initial=initial)


@exporter_only
def statutory_returns(request: HttpRequest) -> HttpResponse:
    census_form = _census_form(request)
    annex_form = AnnexAForm(request.GET if "start_0" in request.GET else None)
    return returns_page(request, census_form, annex_form)


# A national census import can leave tens of thousands: the first, and how many more.
INCOMPLETE_LISTED = 500


@role_required(Role.CLERK, Role.MANAGER)
def incomplete_children(request: HttpRequest) -> HttpResponse:
    """Children imported from a census file, waiting for their names and family."""
    children = children_visible_to(request.user).filter(needs_completion=True)
    return render(
        request,
        "reporting/incomplete_children.html",
        {"children": first(children.order_by("local_case_id"), INCOMPLETE_LISTED)},
    )
