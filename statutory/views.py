"""Statutory returns: the children in need census and Ofsted's Annex A list 7.

Only managers who hold the named permission ``reporting.export_statutory_returns`` (granted by
an administrator on the staff page) may see the checks or ask for a return; the worker checks the
census and prepares the files (reporting/prepared: the returns page and the asking views are
there, as the exports are reporting's), and each download of a return is recorded
(``statutory_services.record_statutory_download``).
The returns include restricted records: they are statutory.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.queries import children_visible_to
from config.bounded import first

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
