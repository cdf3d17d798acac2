"""A plan's category of abuse: the one it started with, and the latest at a date.

Each rule is here twice, side by side: in Python, for plans in hand (the child's page, the
census), and in SQL, as an annotation on ChildProtectionPlan rows (the dashboard and its
drill-down, Annex A). tests/rules/test_categories.py holds the two to the same answer on the
same records; nothing else works a plan's category out.

A category is one census code: the category itself, MUL for two or more (reference report
5.1.5, and the census's own coding), or "" when none is recorded.

The latest category is read so often, at so many dates (every quarter end of every figure),
that it is also kept as a fact: ``conferences_plancategoryspan`` holds each plan's latest
category over runs of days, and ``latest_category_sql`` reads it with one index probe per
plan. The database keeps it, in the transaction of every write that can change it: triggers
on the tables the rule reads call ``refresh_plan_category_spans(child_ids)``, whose SQL is
here (``SPANS_SELECT``) beside the rule it follows, and which the same test holds to the rule.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import CharField, Expression, F, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate

from conferences.choices import INITIAL_STAGES, REVIEW_STAGES, ConferenceStatus
from conferences.models import ChildProtectionPlan, PlanCategorySpan
from conferences.record.models import ChildDecision, RecordStatus
from config import kept_facts

MULTIPLE = "MUL"
NO_CATEGORY = ""
# "No end": a plan still open, or a question asked of today's records.
_NO_END = date.max


@dataclass(frozen=True)
class Decided:
    """A decision signed off at a held conference, as far as the category rules read it."""

    held_on: date
    stage: str
    categories: tuple[str, ...]
    decision: str = ""


def category_code(categories: Sequence[str]) -> str:
    """One code for a set of categories: MUL for two or more, "" for none."""
    if len(categories) > 1:
        return MULTIPLE
    return categories[0] if categories else NO_CATEGORY


def finalised_decisions(child_ids: Iterable[int]) -> dict[int, list[Decided]]:
    """Each child's signed-off decisions at held conferences, oldest first, in one query."""
    found = (
        signed_off_decisions()
        .filter(place__child_id__in=list(child_ids))
        .order_by("place__conference__starts_at", "pk")
        .values_list("place__child_id", "held_on", "place__stage", "categories", "decision")
    )
    by_child = defaultdict(list)
    for child_id, held_on, stage, categories, decision in found:
        by_child[child_id].append(Decided(held_on, stage, tuple(categories or ()), decision))
    return by_child


def initial_category(plan: ChildProtectionPlan, decisions: Sequence[Decided]) -> str:
    """Set by the conference that started the plan: the first decision at an initial stage,
    signed off on the plan's start day, that names categories (a review on that day may have
    ended the child's last plan). Otherwise what a census import recorded as the initial
    category; otherwise the categories the plan was recorded with.

    ``decisions``: the child's, oldest first (``finalised_decisions``)."""
    for decision in decisions:
        if (
            decision.held_on == plan.started_on
            and decision.stage in INITIAL_STAGES
            and decision.categories
        ):
            return category_code(decision.categories)
    return plan.imported_initial_category or category_code(plan.categories)


def latest_category(
    plan: ChildProtectionPlan, decisions: Sequence[Decided], *, on: date | None = None
) -> str:
    """As at the end of ``on`` (or as the records stand, for None): set by the most recent
    decision in the plan, on or before that day, that names categories. Otherwise what a
    census import recorded as the latest category (a plan imported with MUL has no categories
    of its own); otherwise the categories the plan was recorded with.

    A decision is in the plan if it was held from the plan's first day to its last, except
    that a plan may start the day the child's last one ended: on that day the review belongs
    to the plan that ended, the initial conference to the plan that started.

    ``decisions``: the child's, oldest first (``finalised_decisions``)."""
    last_day = min(plan.ended_on or _NO_END, on or _NO_END)
    for decision in reversed(decisions):
        if (
            plan.started_on <= decision.held_on <= last_day
            and not (decision.held_on == plan.started_on and decision.stage in REVIEW_STAGES)
            and not (decision.held_on == plan.ended_on and decision.stage in INITIAL_STAGES)
            and decision.categories
        ):
            return category_code(decision.categories)
    return plan.imported_latest_category or category_code(plan.categories)


# The SQL forms: annotations on ChildProtectionPlan rows, one expression per plan and no
# query per row, so a figure still counts in one query.


def initial_category_sql() -> Coalesce:
    """``initial_category`` as an annotation on ChildProtectionPlan rows."""
    first = (
        _signed_off_in_plan()
        .filter(held_on=OuterRef("started_on"), place__stage__in=INITIAL_STAGES)
        .order_by("place__conference__starts_at", "pk")
        .values("categories")[:1]
    )
    return _first_known(first, imported="imported_initial_category")


def latest_category_sql(
    on: "date | Expression | None" = None, *, plan=None, recorded=None
) -> Coalesce:
    """``latest_category`` as an annotation on ChildProtectionPlan rows: the plan's category
    span covering ``on`` (the last one, for None), one index-only probe per plan. Before the
    plan started no span covers the day, and no decision counts: what the plan was recorded
    with, as in the rule.

    For a count that joins plans to several days at once, ``on`` may be an expression, and
    ``plan`` (the plan's id) and ``recorded`` (``recorded_latest_category_sql()`` worked out on
    the plan) name the plan's values where it does not read them as OuterRef and F."""
    spans = PlanCategorySpan.objects.filter(plan=OuterRef("pk") if plan is None else plan)
    if on is not None:
        spans = spans.filter(valid_from__lte=on)
    covering = spans.order_by("-valid_from").values("category")[:1]
    return Coalesce(
        Subquery(covering, output_field=CharField()),
        recorded_latest_category_sql() if recorded is None else recorded,
        output_field=CharField(),
    )


def recorded_latest_category_sql() -> Coalesce:
    """The latest category on days no decision covers, as an annotation on a plan: the
    census's latest category, else the categories the plan was recorded with, else none."""
    return Coalesce(*_as_recorded(imported="imported_latest_category"), output_field=CharField())


_CATEGORIES = ArrayField(CharField())


class _CategoryCode(Func):
    """``category_code`` in SQL, but NULL for no categories, so that the next source is used."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # The categories (perhaps a subquery) are evaluated once, then tested: OFFSET 0 keeps
        # PostgreSQL from folding the subselect into the CASE, which ran the subquery once for
        # each time the CASE names it (a third less time for the dashboard's category table).
        case = (
            f"CASE WHEN cardinality(c) > 1 THEN '{MULTIPLE}' WHEN cardinality(c) = 1 THEN c[1] END"
        )
        return f"(SELECT {case} FROM (SELECT {sql} AS c OFFSET 0) AS categories)", params  # noqa: S608


def _first_known(decided, *, imported: str) -> Coalesce:
    return Coalesce(
        _CategoryCode(Subquery(decided, output_field=_CATEGORIES)),
        *_as_recorded(imported=imported),
        output_field=CharField(),
    )


def _as_recorded(*, imported: str) -> list:
    """With no decision to go by: the census's category, else the plan's own, else none."""
    return [NullIf(F(imported), Value("")), _CategoryCode(F("categories")), Value(NO_CATEGORY)]


def signed_off_decisions():
    """Decisions signed off at held conferences, each annotated with ``held_on``."""
    # The day in England the conference was held (a 00:30 BST meeting is that day, not the
    # one before in UTC).
    held_on = TruncDate("place__conference__starts_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    return ChildDecision.objects.filter(
        record__status=RecordStatus.FINALISED,
        place__conference__status=ConferenceStatus.HELD,
    ).annotate(held_on=held_on)


def _signed_off_in_plan():
    """The plan's child's signed-off decisions naming categories, from the plan's start on."""
    return (
        signed_off_decisions()
        .filter(place__child=OuterRef("child_id"), held_on__gte=OuterRef("started_on"))
        .exclude(categories=[])
    )


# The latest category kept as a fact ----------------------------------------------------------
#
# conferences_plancategoryspan holds, for every plan, runs of days with one latest category
# each: for every day D from the plan's start, latest_category(plan, decisions, on=D) is the
# category of the span covering D. The spans of the plans of the children named are worked out
# afresh by one SQL function, refresh_plan_category_spans(child_ids), which statement-level
# triggers on every table the rule reads call, in the writing transaction, for just the
# children the statement touched. The SQL below is the rule's SQL twin: change one, change the
# other (tests/rules/test_categories.py holds them to one answer).

SPANS_TABLE = PlanCategorySpan._meta.db_table
REFRESH_FUNCTION = "refresh_plan_category_spans"


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


# Each plan of the children {children} selects: its first day, with what it was recorded with;
# then each day in the plan a signed-off decision at a held conference names categories, with
# the day's last such decision's (by start time, then id, as finalised_decisions orders them).
# A day whose category is the day before's is merged away; each span runs to the next, and the
# last has no end. The tests in latest_category become the join's conditions: a review on the
# plan's first day belongs to the plan before, an initial conference on its last to the next.
SPANS_SELECT = """
WITH plan AS (
    SELECT id, child_id, started_on, ended_on,
           coalesce(
               nullif(imported_latest_category, ''),
               CASE WHEN cardinality(categories) > 1 THEN '{multiple}'
                    ELSE coalesce(categories[1], '') END
           ) AS recorded
    FROM conferences_childprotectionplan
    WHERE {children}
), decided AS (
    SELECT place.child_id, place.stage, conference.starts_at, decision.id,
           timezone('{time_zone}', conference.starts_at)::date AS held_on,
           CASE WHEN cardinality(decision.categories) > 1 THEN '{multiple}'
                ELSE decision.categories[1] END AS category
    FROM conferences_childdecision decision
    JOIN conferences_conferencerecord record ON record.id = decision.record_id
    JOIN conferences_conferencechild place ON place.id = decision.place_id
    JOIN conferences_conference conference ON conference.id = place.conference_id
    WHERE record.status = '{finalised}' AND conference.status = '{held}'
      AND cardinality(decision.categories) > 0 AND {place_children}
), each_day AS (
    SELECT DISTINCT ON (plan_id, day) plan_id, child_id, day, category
    FROM (
        SELECT id AS plan_id, child_id, started_on AS day, recorded AS category,
               1 AS source, NULL::timestamptz AS starts_at, NULL::bigint AS decision_id
        FROM plan
        UNION ALL
        SELECT plan.id, plan.child_id, decided.held_on, decided.category,
               0, decided.starts_at, decided.id
        FROM plan JOIN decided ON decided.child_id = plan.child_id
        WHERE decided.held_on >= plan.started_on
          AND (plan.ended_on IS NULL OR decided.held_on <= plan.ended_on)
          AND (decided.held_on <> plan.started_on OR decided.stage NOT IN ({review}))
          AND (decided.held_on IS DISTINCT FROM plan.ended_on OR decided.stage NOT IN ({initial}))
    ) AS candidate
    ORDER BY plan_id, day, source, starts_at DESC, decision_id DESC
), changes AS (
    SELECT *, category IS DISTINCT FROM lag(category) OVER (PARTITION BY plan_id ORDER BY day)
              AS is_change
    FROM each_day
)
SELECT plan_id, child_id, day, lead(day) OVER (PARTITION BY plan_id ORDER BY day), category
FROM changes WHERE is_change
"""


def _spans_select(*, children: str, place_children: str) -> str:
    return SPANS_SELECT.format(
        children=children,
        place_children=place_children,
        multiple=MULTIPLE,
        time_zone=settings.TIME_ZONE,
        finalised=RecordStatus.FINALISED,
        held=ConferenceStatus.HELD,
        review=_quoted(REVIEW_STAGES),
        initial=_quoted(INITIAL_STAGES),
    )


_COLUMNS = "plan_id, child_id, valid_from, valid_to, category"
# PL/pgSQL rather than SQL: it keeps each statement's plan for the session, where a SQL
# function plans both at every call (4 ms of a 5 ms refresh of one child, measured at 10x).
REFRESH_SQL = """
CREATE OR REPLACE FUNCTION {function}(child_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {table} WHERE child_id = ANY (child_ids);
    INSERT INTO {table} ({columns}) {select};
END $$
"""

# Each table the rule reads: the columns whose change can change a category, and the children a
# set of its rows ({rows}) concerns. A row inserted or deleted always counts (a place booked
# before its decision, or rows loaded in any order, with the foreign keys checked at commit).
FOLLOWED = {
    "conferences_childprotectionplan": (
        ("child_id", "started_on", "ended_on", "categories", "imported_latest_category"),
        "SELECT child_id FROM {rows} AS changed",
    ),
    "conferences_conferencechild": (
        ("child_id", "conference_id", "stage"),
        "SELECT child_id FROM {rows} AS changed",
    ),
    "conferences_conference": (
        ("status", "starts_at"),
        "SELECT place.child_id FROM {rows} AS changed "
        "JOIN conferences_conferencechild place ON place.conference_id = changed.id",
    ),
    "conferences_conferencerecord": (
        ("conference_id", "status"),
        "SELECT place.child_id FROM {rows} AS changed "
        "JOIN conferences_conferencechild place ON place.conference_id = changed.conference_id",
    ),
    "conferences_childdecision": (
        ("record_id", "place_id", "categories"),
        "SELECT place.child_id FROM {rows} AS changed "
        "JOIN conferences_conferencechild place ON place.id = changed.place_id",
    ),
}
FOLLOWING_TRIGGER = "plan_category_spans_follow"  # + _insert, _update, _delete
# The children a statement's rows concern, as the rows were and as they are; an update counts
# only if a column named in FOLLOWED changed.
FOLLOWER_SQL = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    children bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT child_id) INTO children FROM ({inserted}) AS concerned;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT child_id) INTO children FROM ({deleted}) AS concerned;
    ELSE
        SELECT array_agg(DISTINCT child_id) INTO children
        FROM ({updated_from} UNION ALL {updated_to}) AS concerned;
    END IF;
    IF children IS NOT NULL THEN
        PERFORM {refresh}(children);
    END IF;
    RETURN NULL;
END $$
"""
UPDATED_ROWS = (
    "(SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id "
    "WHERE ({before}) IS DISTINCT FROM ({after}))"
)


def _follower(table: str) -> str:
    return f"{FOLLOWING_TRIGGER}_{table.removeprefix('conferences_')}"


def _follower_sql(table: str) -> str:
    columns, children_of = FOLLOWED[table]
    before = ", ".join(f"o.{column}" for column in columns)
    after = ", ".join(f"n.{column}" for column in columns)
    updated = {
        side: children_of.format(rows=UPDATED_ROWS.format(side=side, before=before, after=after))
        for side in ("o", "n")
    }
    return FOLLOWER_SQL.format(
        function=_follower(table),
        inserted=children_of.format(rows="new_rows"),
        deleted=children_of.format(rows="old_rows"),
        updated_from=updated["o"],
        updated_to=updated["n"],
        refresh=REFRESH_FUNCTION,
    )


def _trigger_sql(table: str) -> list[str]:
    # PostgreSQL allows transition tables only on a trigger for one event: three a table.
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    return [
        f"CREATE OR REPLACE TRIGGER {FOLLOWING_TRIGGER}_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {_follower(table)}()"
        for event, transition in referencing.items()
    ]


def _installation() -> list[str]:
    refresh = REFRESH_SQL.format(
        function=REFRESH_FUNCTION,
        table=SPANS_TABLE,
        columns=_COLUMNS,
        select=_spans_select(
            children="child_id = ANY (child_ids)", place_children="place.child_id = ANY (child_ids)"
        ),
    )
    return [
        refresh,
        *(_follower_sql(table) for table in FOLLOWED),
        *(trigger for table in FOLLOWED for trigger in _trigger_sql(table)),
    ]


def install_plan_category_spans(*, using: str = DEFAULT_DB_ALIAS, **_signal) -> None:
    """(Re)install the spans' function and triggers after every migrate, as the tables' owner
    (config.kept_facts: every span worked out afresh when the rule changed). Migrated back
    before the table exists, the function and triggers go too."""
    signature = f"{REFRESH_FUNCTION}(bigint[])"
    kept_facts.install(
        using=using,
        signature=signature,
        installation=_installation(),
        in_place=lambda connection, cursor: (
            SPANS_TABLE in connection.introspection.table_names(cursor)
        ),
        removal=[
            *(f"DROP FUNCTION IF EXISTS {_follower(table)}() CASCADE" for table in FOLLOWED),
            f"DROP FUNCTION IF EXISTS {signature}",
        ],
        refresh_all=refresh_all_plan_category_spans,
    )


def refresh_all_plan_category_spans(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Work out every plan's spans afresh, in one statement for all children: for loaders that
    write with the triggers switched off (``bench_dashboard``, the national generator), and
    after restoring data only. Returns the number of spans."""
    every = _spans_select(children="TRUE", place_children="TRUE")
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {SPANS_TABLE}")  # noqa: S608 - our own table's name
        cursor.execute(f"INSERT INTO {SPANS_TABLE} ({_COLUMNS}) {every}")
        return cursor.rowcount
