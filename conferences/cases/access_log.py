"""The record access log: which children each successful request showed, written once per request.

One mechanism, so that no page can forget it: the permission-scoped fetchers
(``conferences.permissions.get_*_for``, ``advocacy.queries.get_referral_for`` and the other
``get_shown_or_404`` callers) note each record they hand a view with ``note_shown``, and
``RecordAccessMiddleware`` writes one row per child per request after a 2xx response, naming the
page by its URL name, in one insert. A refused or failed request (403, 404, 500, a redirect)
showed nothing and logs nothing. tests/conferences/test_access_log.py walks every URL of every
app to hold this true for new pages.

Lists (trays, search results, reports) are not logged: they name children in rows but open no
record, and logging each row of each tray view would bury the record opens a manager looks for.

Writing on GET is deliberate here: the log is the record that a page was read, so reading must
write it (as a statutory download writes its own record, statutory/services.py). Apart
from these and session bookkeeping nothing writes on GET: tests/test_no_writes_on_get.py walks
every URL as each role and compares every other table.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conferences.models import Child, Conference, Family

# Pages a browser requests again and again while one page stays open (the projector every three
# seconds, the record's autosave as the chair types). Each is logged once per user, child and
# page in this window, so the log records that the page was open without a row every few seconds.
POLLED_PAGES = frozenset({"conferences:projector_data", "conferences:record_autosave"})
POLL_WINDOW = timedelta(minutes=10)

# What the access log page calls each page, for the managers who read it.
PAGE_LABELS = {
    "conferences:child_detail": "Child's record",
    "conferences:child_edit": "Change the child's details",
    "conferences:child_birth": "Record the birth",
    "conferences:child_access_log": "Who has opened the record",
    "conferences:family_detail": "Family",
    "conferences:child_add": "Add a child to the family",
    "conferences:book": "Book a conference",
    "conferences:conference_detail": "Conference",
    "conferences:invitations_sent": "Conference: invitations sent",
    "conferences:report_receipt": "Conference: reports received",
    "conferences:attendance": "Conference: attendance",
    "conferences:postpone": "Postpone or cancel the conference",
    "conferences:feedback_kiosk": "Conference: feedback in the room",
    "conferences:feedback_agencies": "Conference: feedback from agencies",
    "conferences:record_edit": "Conference record (chair's form)",
    "conferences:record_start": "Conference record: started",
    "conferences:record_autosave": "Conference record (chair's form, saved as they typed)",
    "conferences:record_finalise": "Conference record: sign-off",
    "conferences:record_view": "Conference record",
    "conferences:record_release": "Conference record: copy released",
    "conferences:release_pdf": "Copy of the conference record (PDF)",
    "conferences:decision_letter": "Decision letter (PDF)",
    "conferences:record_distribution": "Conference record: distribution dates",
    "conferences:projector": "Projector",
    "conferences:projector_data": "Projector (kept up to date while open)",
    "conferences:core_groups": "Core groups",
    "conferences:transfer_out": "Transfer out",
    "conferences:notification_resend": "Notification sent again",
    "conferences:challenge_detail": "Challenge",
    "conferences:challenge_respond": "Challenge: response",
    "conferences:challenge_escalate": "Challenge: escalated",
    "conferences:cusab_add": "Add a CUSAB meeting",
    "conferences:cusab_edit": "CUSAB meeting",
    "conferences:episode_add": "Add a children in need referral",
    "conferences:episode_edit": "Children in need referral",
    "advocacy:referral_detail": "Advocacy referral",
    "advocacy:take_referral": "Advocacy referral: taken on",
    "advocacy:move_referral": "Advocacy referral: moved on",
    "advocacy:record_views": "Advocacy referral: the young person's views",
    "advocacy:refer": "Refer to the advocacy service",
    "complaints:complaint_add": "Log a complaint",
    "complaints:appeal_add": "Record an appeal",
    "complaints:dissent_add": "Record agency dissent",
    "complaints:complaint_detail": "Complaint",
    "complaints:complaint_respond": "Complaint: response",
    "complaints:complaint_escalate": "Complaint: escalated",
    "reporting:record_history": "Change history",
}


@dataclass
class _Shown:
    child_ids: set[int] = field(default_factory=set)
    family_ids: set[int] = field(default_factory=set)
    conference_ids: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.child_ids or self.family_ids or self.conference_ids)


# A mutable holder per request: a fetcher adds to the one its request's middleware set.
_shown: ContextVar[_Shown | None] = ContextVar("record_access_shown", default=None)


def note_shown(record: Model) -> None:
    """Note that this request shows a record: a child, a family (its children the user may see),
    a conference (its children), or anything about one child or one conference."""
    shown = _shown.get()
    if shown is None:
        return  # not a web request (a task, a command): nobody is being shown anything
    if isinstance(record, Child):
        shown.child_ids.add(record.pk)
    elif isinstance(record, Family):
        shown.family_ids.add(record.pk)
    elif isinstance(record, Conference):
        shown.conference_ids.add(record.pk)
    elif getattr(record, "child_id", None) is not None:
        shown.child_ids.add(record.child_id)
    elif getattr(record, "conference_id", None) is not None:
        shown.conference_ids.add(record.conference_id)
    elif not hasattr(record, "child_id") and not hasattr(record, "conference_id"):
        raise TypeError(f"{type(record).__name__} is not about a child: nothing to log")


def note_record_shown(model: type[Model], pk: int, owners: dict[str, str]) -> None:
    """Note a case record named only by its model and key (the audit trail's history of one
    record), given the paths from it to the child, family or conference it belongs to
    (``"pgh_obj"`` for the record itself, as ``reporting.audit.trail.CASE_RECORDS`` says)."""
    shown = _shown.get()
    if shown is None or not owners:
        return
    paths = {kind: "pk" if path == "pgh_obj" else path for kind, path in owners.items()}
    found = model.objects.filter(pk=pk).values(*paths.values()).first()
    if found is None:
        return  # removed since: no child to log it against
    for kind, path in paths.items():
        if found[path] is not None:
            getattr(shown, f"{kind}_ids").add(found[path])


def get_shown_or_404(queryset, **lookups):
    """``get_object_or_404`` on a permission-scoped queryset that notes the record as shown."""
    record = get_object_or_404(queryset, **lookups)
    note_shown(record)
    return record


def label_for(page: str) -> str:
    return PAGE_LABELS.get(page, page)


def _children(user, shown: _Shown) -> set[int]:
    """The children noted, with those of each family the user may see and each conference."""
    from conferences.queries import children_visible_to

    found = set(shown.child_ids)
    if shown.family_ids or shown.conference_ids:
        found |= set(
            children_visible_to(user)
            .filter(
                Q(family_id__in=shown.family_ids)
                | Q(conference_places__conference_id__in=shown.conference_ids)
            )
            .values_list("pk", flat=True)
            .distinct()
        )
    return found


def _page(request: HttpRequest) -> str:
    match = request.resolver_match
    return (match.view_name or match.route)[:50] if match else request.path_info[:50]


class RecordAccessMiddleware:
    """Writes the access rows for the children a successful request showed (see module doc).

    If the rows cannot be written the request fails: a page is not shown without its record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        shown = _Shown()
        token = _shown.set(shown)
        try:
            response = self.get_response(request)
        finally:
            _shown.reset(token)
        if shown and 200 <= response.status_code < 300 and request.user.is_authenticated:
            from conferences.cases.services import log_record_access

            page = _page(request)
            log_record_access(
                actor=request.user,
                child_ids=_children(request.user, shown),
                page=page,
                unless_logged_since=timezone.now() - POLL_WINDOW if page in POLLED_PAGES else None,
            )
        return response
