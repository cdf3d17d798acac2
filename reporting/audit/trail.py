"""Reading the audit trail through the same scoping as the records it is about.

A case record's history is read only where the record itself could be: each tracked model says
which child, family or conference its rows belong to, and the events are filtered through
``conferences.queries``. Readers with a case role see the values; administrators, who hold none,
see who changed what and when. Secrets are never shown to anyone.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pghistory.models
from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from accounts.models import User
from accounts.permissions import has_any_role
from conferences import queries

PAGE_SIZE = 50

# Bookkeeping columns, which say nothing to a reader.
_BOOKKEEPING = frozenset({"id", "version"})

# Secrets: never on any page, to anyone, whatever their role. One list per model, here only.
NEVER_SHOWN: dict[str, frozenset[str]] = {
    "accounts.User": frozenset({"password", "last_login"}),
    # The hash of a questionnaire link's token, and the seed an emailed link's token is made from.
    "conferences.FeedbackLink": frozenset({"token_hash", "seed"}),
    # The email as sent: it carries working links (a questionnaire link is the key to it).
    "conferences.Notification": frozenset({"body"}),
}

# Case records: the child, family or conference each belongs to, as a path from its event row.
# A row is listed only if every one it names is visible to the reader (an empty link is no
# restriction: a challenge may be about a conference or a child).
CASE_RECORDS: dict[str, dict[str, str]] = {
    "conferences.Family": {"family": "pgh_obj"},
    "conferences.Child": {"child": "pgh_obj"},
    "conferences.Conference": {"conference": "pgh_obj"},
    "conferences.ConferenceChild": {"conference": "conference", "child": "child"},
    "conferences.Invitation": {"conference": "conference"},
    "conferences.Participant": {"conference": "conference"},
    "conferences.ConferenceRecord": {"conference": "conference"},
    "conferences.SafetyEntry": {"conference": "record__conference"},
    "conferences.SafetyScore": {"conference": "record__conference"},
    "conferences.Dissent": {"conference": "record__conference"},
    "conferences.ChildDecision": {"conference": "record__conference"},
    "conferences.PlanAction": {"conference": "record__conference"},
    "conferences.RecordAmendment": {"conference": "record__conference"},
    "conferences.RecordRelease": {"conference": "record__conference"},
    "conferences.ChildProtectionPlan": {"child": "child"},
    "conferences.CinEpisode": {"child": "child"},
    "conferences.CoreGroupMeeting": {"child": "child"},
    "conferences.CusabMeeting": {"child": "child"},
    "conferences.GoodPracticeNote": {"child": "child"},
    "conferences.Challenge": {"child": "child", "conference": "conference"},
    "conferences.Notification": {"child": "child", "conference": "conference"},
    "conferences.FeedbackLink": {"conference": "conference"},
    "conferences.FeedbackResponse": {"conference": "conference"},
    "advocacy.Referral": {"child": "child"},
    "advocacy.ReferralConference": {"child": "referral__child", "conference": "conference"},
    "complaints.Complaint": {"child": "child", "conference": "conference"},
    "complaints.ComplaintStage": {
        "child": "complaint__child",
        "conference": "complaint__conference",
    },
    "complaints.Appeal": {"child": "child", "conference": "conference"},
    "complaints.AgencyDissent": {"conference": "conference"},
}

# The service's own records, about no one child: values for managers, not administrators.
SERVICE_RECORDS = frozenset(
    {
        "reporting.AnnualReport",
        "reporting.WorkAction",
        "reporting.ReportGeneration",
        "reporting.ReportPdf",
        "reporting.StatutoryExport",
    }
)

# Accounts, lists and reference data administrators keep: values for every reader of the trail.
ADMINISTERED = frozenset(
    {
        "accounts.Team",
        "accounts.User",
        "accounts.SecurityEvent",
        "accounts.GrantRequest",
        "conferences.Locality",
        "conferences.Agency",
        "conferences.Professional",
        "conferences.IroDetails",
        "conferences.ClosureDay",
        "conferences.Venue",
        "conferences.PostponementReason",
        "conferences.ChallengeReason",
        "complaints.ComplaintReason",
    }
)


@dataclass(frozen=True)
class AuditEntry:
    happened_at: datetime
    action: str
    model_label: str
    object_id: str
    actor_name: str
    fields: tuple[str, ...]  # what changed (or was set, on insert)
    changes: dict  # the new values, empty where the reader may not see them


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    number: int
    has_previous: bool
    has_next: bool


@cache
def _event_models() -> dict[str, type[pghistory.models.Event]]:
    """Each event model, keyed by its own label (``accounts.TeamEvent``)."""
    return {
        model._meta.label: model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and model.pgh_tracked_model
    }


def tracked_models() -> dict[str, type[models.Model]]:
    """Every model with an event table, keyed by its label (``accounts.User``)."""
    return {
        event.pgh_tracked_model._meta.label: event.pgh_tracked_model
        for event in _event_models().values()
    }


def _reads_case_values(user: User) -> bool:
    return has_any_role(user, *queries.CASE_ROLES)


def _case_scopes(user: User) -> dict[str, QuerySet]:
    """The records' own queries: what the reader may see, or (with no case role) what no
    restriction hides from them, whose values are then not shown."""
    if _reads_case_values(user):
        return {
            "family": queries.families_visible_to(user),
            "child": queries.children_visible_to(user),
            "conference": queries.conferences_visible_to(user),
        }
    return {
        "family": queries.families_not_hidden_from(user),
        "child": queries.children_not_hidden_from(user),
        "conference": queries.conferences_not_hidden_from(user),
    }


_KINDS = ("child", "family", "conference")


def _owners(label: str) -> dict:
    """The child, family and conference an event row belongs to, as columns (empty where it
    names none). A link whose record has gone is -1, which no reader can see."""
    links = CASE_RECORDS.get(label, {})
    owners = {}
    for kind in _KINDS:
        path = links.get(kind)
        if path is None:
            owners[f"{kind}_owner"] = Cast(Value(None), output_field=BigIntegerField())
        else:
            own_column = path.split("__")[0]
            owners[f"{kind}_owner"] = Case(
                When(**{f"{own_column}__isnull": True}, then=Value(None)),
                default=Coalesce(F(path), Value(-1)),
                output_field=BigIntegerField(),
            )
    return owners


def _readable(label: str) -> bool:
    return label in CASE_RECORDS or label in SERVICE_RECORDS or label in ADMINISTERED


def _visible_sql(scope: QuerySet) -> tuple[str, tuple]:
    try:
        return scope.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT NULL::bigint WHERE false", ()


def _index(user: User, *, model_label: str | None = None, object_id: int | None = None):
    """One query over every event table: which events this reader may see, newest first, as
    SQL and its parameters (None if no table could hold any)."""
    arms = []
    for event_label, event_model in _event_models().items():
        label = event_model.pgh_tracked_model._meta.label
        if (model_label and label != model_label) or not _readable(label):
            continue
        events = event_model.objects.all()
        if object_id is not None:
            events = events.filter(pgh_obj_id=object_id)
        arms.append(
            events.annotate(event_label=Value(event_label), **_owners(label)).values_list(
                "event_label", "pgh_id", "pgh_created_at", *[f"{kind}_owner" for kind in _KINDS]
            )
        )
    if not arms:
        return None
    union_sql, union_params = (
        arms[0].union(*arms[1:], all=True) if arms[1:] else arms[0]
    ).query.sql_with_params()
    # Each visible set is worked out once (materialised), not once per event table.
    visible, visible_params = [], []
    for kind, scope in _case_scopes(user).items():
        sql, params = _visible_sql(scope)
        visible.append(f"visible_{kind} AS MATERIALIZED ({sql})")
        visible_params.extend(params)
    # Only our own constant names and Django-compiled SQL are put together here; every value
    # is a parameter.
    belongs = " AND ".join(
        f"({kind}_owner IS NULL OR {kind}_owner IN (SELECT * FROM visible_{kind}))"  # noqa: S608
        for kind in _KINDS
    )
    # Events of one transaction share a time: the label and id keep pages stable. OFFSET 0
    # keeps the filter out of the tables' own scans, so each visible set is hashed once.
    sql = (
        f"WITH {', '.join(visible)} "  # noqa: S608
        f"SELECT event_label, pgh_id, pgh_created_at FROM ({union_sql} OFFSET 0) AS events "
        f"WHERE {belongs} ORDER BY pgh_created_at DESC, event_label, pgh_id DESC "
        "LIMIT %s OFFSET %s"
    )
    return sql, [*visible_params, *union_params]


def _page(user: User, number: int, **which) -> AuditPage:
    index = _index(user, **which)
    rows = []
    if index is not None:
        sql, params = index
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, PAGE_SIZE + 1, (number - 1) * PAGE_SIZE])
            rows = cursor.fetchall()
    if not rows and number > 1:
        raise Http404  # past the last page
    shown = rows[:PAGE_SIZE]
    return AuditPage(
        entries=_entries(user, shown),
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > PAGE_SIZE,
    )


def recent_entries(user: User, *, page: int = 1) -> AuditPage:
    """The latest changes to any record this reader may see, newest first, a page at a time."""
    return _page(user, page)


def history_of(user: User, model_label: str, object_id: int, *, page: int = 1) -> AuditPage:
    """One record's changes, newest first; 404 for an untracked model or a record whose history
    this reader may not see (or that never existed)."""
    if model_label not in tracked_models():
        raise Http404
    history = _page(user, page, model_label=model_label, object_id=object_id)
    if not history.entries:
        raise Http404
    return history


def _entries(user: User, rows: list) -> list[AuditEntry]:
    if not rows:
        return []
    wanted = Q()
    for event_label in {row[0] for row in rows}:
        ids = [row[1] for row in rows if row[0] == event_label]
        wanted |= Q(pgh_model=event_label, pgh_id__in=ids)
    across = [_event_models()[label] for label in {row[0] for row in rows}]
    events = {
        (event.pgh_model, event.pgh_id): event
        for event in pghistory.models.Events.objects.across(*across).filter(wanted)
    }
    ordered = [events[(row[0], row[1])] for row in rows]
    actor_ids = {_actor(event) for event in ordered} - {None}
    names = dict(User.objects.filter(pk__in=actor_ids).values_list("pk", "full_name"))
    reads_case_values = _reads_case_values(user)
    entries = []
    for event in ordered:
        label = event.pgh_obj_model
        changed = _changed(event, label)
        shows_values = label in ADMINISTERED or reads_case_values
        entries.append(
            AuditEntry(
                happened_at=event.pgh_created_at,
                action=event.pgh_label,
                model_label=label,
                object_id=str(event.pgh_obj_id),
                actor_name=names.get(_actor(event), "System"),
                fields=tuple(changed),
                changes=changed if shows_values else {},
            )
        )
    return entries


def _actor(event) -> int | None:
    return (event.pgh_context or {}).get("user")


def _changed(event, label: str) -> dict:
    """What the event set: new values for an update, the whole record for an insert, never a
    secret or bookkeeping."""
    if event.pgh_diff:
        changed = {field: values[1] for field, values in event.pgh_diff.items()}
    elif event.pgh_label == "insert" and event.pgh_data:
        changed = dict(event.pgh_data)
    else:
        changed = {}
    never = _BOOKKEEPING | NEVER_SHOWN.get(label, frozenset())
    return {field: value for field, value in changed.items() if field not in never}
