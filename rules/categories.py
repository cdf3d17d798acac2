"""A plan's category of abuse: the one it started with, and the latest at a date.

Each rule is here twice, side by side: in Python, for plans in hand (the child's page, the
census), and in SQL, as an annotation on ChildProtectionPlan rows (the dashboard and its
drill-down, Annex A). tests/rules/test_categories.py holds the two to the same answer on the
same records; nothing else works a plan's category out.

A category is one census code: the category itself, MUL for two or more (reference report
5.1.5, and the census's own coding), or "" when none is recorded.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, DateField, F, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least, NullIf, TruncDate

from conferences.choices import INITIAL_STAGES, REVIEW_STAGES, ConferenceStatus
from conferences.models import ChildProtectionPlan
from conferences.record.models import ChildDecision, RecordStatus

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


def latest_category_sql(on: date | None = None) -> Coalesce:
    """``latest_category`` as an annotation on ChildProtectionPlan rows."""
    ended_on = Coalesce(OuterRef("ended_on"), Value(_NO_END), output_field=_DATE)
    last_day = Least(ended_on, Value(on or _NO_END), output_field=_DATE)
    latest = (
        _signed_off_in_plan()
        .filter(held_on__lte=last_day)
        .exclude(held_on=OuterRef("started_on"), place__stage__in=REVIEW_STAGES)
        .exclude(held_on=ended_on, place__stage__in=INITIAL_STAGES)
        .order_by("-place__conference__starts_at", "-pk")
        .values("categories")[:1]
    )
    return _first_known(latest, imported="imported_latest_category")


_CATEGORIES = ArrayField(CharField())
_DATE = DateField()


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
        NullIf(F(imported), Value("")),
        _CategoryCode(F("categories")),
        Value(NO_CATEGORY),
        output_field=CharField(),
    )


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
