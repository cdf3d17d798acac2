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
from django.core import signing
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
        "reporting.PreparedExport",
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
    position: "Position"  # where it stands in the trail


@dataclass(frozen=True)
class Position:
    """Where a page starts or ends in the trail's order: a time, an event table and a row id
    (no names or values, so it may go in a URL)."""

    happened_at: datetime
    event_label: str
    pgh_id: int

    def token(self) -> str:
        return signing.dumps(
            [self.happened_at.isoformat(), self.event_label, self.pgh_id], salt=_CURSOR_SALT
        )

    @classmethod
    def from_token(cls, token: str) -> "Position":
        """The position a link carries; 404 for one we did not make."""
        try:
            happened_at, event_label, pgh_id = signing.loads(token, salt=_CURSOR_SALT)
            position = cls(datetime.fromisoformat(happened_at), event_label, int(pgh_id))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise Http404 from error
        if position.event_label not in _event_models():
            raise Http404
        return position


_CURSOR_SALT = "reporting.audit.position"


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    is_first: bool  # no position was asked for: the newest changes
    newer: Position | None  # where a page of newer changes starts, if there are any
    older: Position | None  # where a page of older changes starts, if there are any

    @property
    def has_previous(self) -> bool:
        return self.newer is not None

    @property
    def has_next(self) -> bool:
        return self.older is not None


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
        return scope.order_by().values("pk").query.sql_with_params()  # a set: no order
    except EmptyResultSet:
        return "SELECT NULL::bigint WHERE false", ()


# Older changes come later in the trail's order; each event table's rows past a position,
# by how its label sorts against the position's (comparisons as the SQL's, byte by byte).
_PAST = {
    "older": {
        "before": "pgh_created_at < %s",
        "same": "(pgh_created_at, pgh_id) < (%s, %s)",
        "after": "pgh_created_at <= %s",
    },
    "newer": {
        "before": "pgh_created_at >= %s",
        "same": "(pgh_created_at, pgh_id) > (%s, %s)",
        "after": "pgh_created_at > %s",
    },
}
_ORDER = {
    "older": ("DESC", "ASC"),  # time, then the event table, then the row
    "newer": ("ASC", "DESC"),
}


def _past(event_label: str, position: Position | None, direction: str) -> tuple[str, list]:
    """The condition an event table's rows meet when they come past ``position``."""
    if position is None:
        return "true", []
    if event_label == position.event_label:
        return _PAST[direction]["same"], [position.happened_at, position.pgh_id]
    side = "before" if event_label < position.event_label else "after"
    return _PAST[direction][side], [position.happened_at]


def _index(
    user: User,
    *,
    position: Position | None = None,
    direction: str = "older",
    model_label: str | None = None,
    object_id: int | None = None,
):
    """One query over every event table: the next PAGE_SIZE + 1 events this reader may see past
    ``position`` (the newest without one), as SQL and its parameters (None if no table could
    hold any). Each table is read in its index's order and stops at PAGE_SIZE + 1 rows it may
    show; the tables' pages are then merged. No OFFSET: a deep page costs what the first does."""
    time_order, label_order = _ORDER[direction]
    # Only our own constant names and Django-compiled SQL are put together here; every value
    # is a parameter.
    # Each owner is looked up in its visible set by primary key, row by row, as the arm reads
    # its newest events: an arm stops at PAGE_SIZE + 1, so a page tests a few hundred owners.
    # Working out the whole visible sets first (every conference in the country) took most of
    # the page's time and grows with the authority. The look-up is a scalar subquery (a record
    # is in its set once at most; LIMIT 1 says so) because PostgreSQL would hash the whole set
    # for an EXISTS.
    scopes = {kind: _visible_sql(scope) for kind, scope in _case_scopes(user).items()}
    belongs = " AND ".join(
        f"({kind}_owner IS NULL OR (SELECT true FROM ({scopes[kind][0]}) "  # noqa: S608
        f"AS visible_{kind}(id) WHERE visible_{kind}.id = {kind}_owner LIMIT 1) IS NOT NULL)"
        for kind in _KINDS
    )
    belongs_params = [param for kind in _KINDS for param in scopes[kind][1]]
    arms, arm_params = [], []
    for event_label, event_model in _event_models().items():
        label = event_model.pgh_tracked_model._meta.label
        if (model_label and label != model_label) or not _readable(label):
            continue
        events = event_model.objects.all()
        if object_id is not None:
            events = events.filter(pgh_obj_id=object_id)
        sql, params = (
            events.annotate(event_label=Value(event_label), **_owners(label))
            .values_list(
                "event_label", "pgh_id", "pgh_created_at", *[f"{kind}_owner" for kind in _KINDS]
            )
            .query.sql_with_params()
        )
        past, past_params = _past(event_label, position, direction)
        arms.append(
            f"(SELECT event_label, pgh_id, pgh_created_at FROM ({sql}) AS events "  # noqa: S608
            f"WHERE {past} AND {belongs} "
            f"ORDER BY pgh_created_at {time_order}, pgh_id {time_order} LIMIT %s)"
        )
        arm_params.extend([*params, *past_params, *belongs_params, PAGE_SIZE + 1])
    if not arms:
        return None
    # Events of one transaction share a time: the label and id keep pages stable.
    sql = (
        f"SELECT event_label, pgh_id, pgh_created_at FROM ({' UNION ALL '.join(arms)}) AS page "  # noqa: S608
        f'ORDER BY pgh_created_at {time_order}, event_label COLLATE "C" {label_order}, '
        f"pgh_id {time_order} LIMIT %s"
    )
    return sql, [*arm_params, PAGE_SIZE + 1]


def _page(
    user: User, *, older_than: Position | None, newer_than: Position | None, **which
) -> AuditPage:
    position = newer_than or older_than
    direction = "newer" if newer_than else "older"
    index = _index(user, position=position, direction=direction, **which)
    rows = []
    if index is not None:
        sql, params = index
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    if not rows and position is not None:
        raise Http404  # past the last page
    more = len(rows) > PAGE_SIZE
    if direction == "newer" and not more:
        # Back at the newest changes: the first page whole, not the few newer than the position.
        return _page(user, older_than=None, newer_than=None, **which)
    shown = rows[:PAGE_SIZE]
    if direction == "newer":
        shown.reverse()
    entries = _entries(user, shown)
    first = entries[0].position if entries else None
    last = entries[-1].position if entries else None
    return AuditPage(
        entries=entries,
        is_first=position is None,
        newer=first if (more if direction == "newer" else position is not None) else None,
        older=last if (more if direction == "older" else True) else None,
    )


def recent_entries(
    user: User, *, older_than: Position | None = None, newer_than: Position | None = None
) -> AuditPage:
    """The latest changes to any record this reader may see, newest first, a page at a time:
    those older (or newer) than a position a page link gave."""
    return _page(user, older_than=older_than, newer_than=newer_than)


def history_of(
    user: User,
    model_label: str,
    object_id: int,
    *,
    older_than: Position | None = None,
    newer_than: Position | None = None,
) -> AuditPage:
    """One record's changes, newest first; 404 for an untracked model or a record whose history
    this reader may not see (or that never existed)."""
    if model_label not in tracked_models():
        raise Http404
    history = _page(
        user,
        older_than=older_than,
        newer_than=newer_than,
        model_label=model_label,
        object_id=object_id,
    )
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
                position=Position(event.pgh_created_at, event.pgh_model, event.pgh_id),
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
