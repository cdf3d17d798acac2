"""SQL building blocks shared by the figures: local dates, plans at a date, categories."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    CharField,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from conferences.choices import ConferenceStatus
from conferences.models import ChildDecision, ChildProtectionPlan, Conference, ConferenceChild
from conferences.record_models import RecordStatus
from conferences.working_days import _bank_holidays

from .base import Column, Scope


def local_date(field: str) -> TruncDate:
    """The day in England a timestamp falls on (a 00:30 BST meeting is that day, not the one
    before in UTC)."""
    return TruncDate(field, tzinfo=ZoneInfo(settings.TIME_ZONE))


def held_between(start: date, end: date, prefix: str = "") -> Q:
    """Meetings that took place in the period: postponed and cancelled ones are not activity."""
    return Q(
        **{
            f"{prefix}status": ConferenceStatus.HELD,
            f"{prefix}starts_at__date__gte": start,
            f"{prefix}starts_at__date__lte": end,
        }
    )


def held_conferences(scope: Scope, column: Column):
    found = Conference.objects.filter(held_between(column.start, column.end))
    if scope.chair_id:
        found = found.filter(chair_id=scope.chair_id)
    if scope.locality_id:
        found = found.filter(
            Exists(
                ConferenceChild.objects.filter(
                    conference=OuterRef("pk"), child__locality_id=scope.locality_id
                )
            )
        )
    return found


def on_plan_at(day: date, prefix: str = "") -> Q:
    """A plan open at the end of ``day``: started on or before it and not ended by then."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def plans_open_at(scope: Scope, day: date):
    plans = ChildProtectionPlan.objects.filter(on_plan_at(day))
    if scope.locality_id:
        plans = plans.filter(child__locality_id=scope.locality_id)
    if scope.chair_id:
        plans = plans.annotate(current_chair=latest_chair(day)).filter(current_chair=scope.chair_id)
    return plans


def latest_chair(day: date) -> Subquery:
    """The chair of the child's most recent meeting held on or before ``day``."""
    return Subquery(
        ConferenceChild.objects.filter(
            child=OuterRef("child_id"),
            conference__status=ConferenceStatus.HELD,
            conference__starts_at__date__lte=day,
        )
        .order_by("-conference__starts_at")
        .values("conference__chair_id")[:1]
    )


class CategoryCode(Func):
    """One category's code, or MUL for two or more (reference report 5.1.5)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CASE WHEN cardinality({sql}) > 1 THEN 'MUL' ELSE ({sql})[1] END)",
            (*params, *params),
        )


class AgeInYears(Func):
    """Whole years from a birth date to ``day``, by PostgreSQL's age(): a child born on
    29 February turns a year older on 1 March in other years, as the advocacy age rule does."""

    output_field = IntegerField()

    def __init__(self, birth, day: date):
        super().__init__(birth, Value(day, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra):
        (birth, birth_params), (day, day_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return (
            f"(date_part('year', age({day}, {birth})))::integer",
            (*day_params, *birth_params),
        )


def categories_at(day: date):
    """The plan's categories as set by the most recent finalised conference on or before
    ``day`` within the plan; the categories it started with otherwise."""
    latest = (
        ChildDecision.objects.filter(
            place__child=OuterRef("child_id"),
            record__status=RecordStatus.FINALISED,
            place__conference__starts_at__date__gte=OuterRef("started_on"),
            place__conference__starts_at__date__lte=day,
        )
        .exclude(categories=[])
        .order_by("-place__conference__starts_at")
        .values("categories")[:1]
    )
    return Coalesce(
        Subquery(latest, output_field=ArrayField(CharField())),
        F("categories"),
        output_field=ArrayField(CharField()),
    )


class PreviousWorkingDay(Func):
    """The working day before a date, in SQL: weekends, bank holidays and closure days skipped.
    The non-working days are passed in, as the holidays package is the one calendar."""

    output_field = DateField()

    def __init__(self, day, closed: list[date]):
        super().__init__(day, Value(closed, output_field=ArrayField(DateField())))

    def as_sql(self, compiler, connection, **extra):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        closed_sql, closed_params = compiler.compile(self.source_expressions[1])
        # Only compiled fragments and placeholders are interpolated; values go in as params.
        sql = (
            f"(SELECT max(d)::date FROM generate_series(({day_sql}) - 14, ({day_sql}) - 1, "  # noqa: S608
            f"interval '1 day') AS d WHERE extract(isodow FROM d) < 6 "
            f"AND NOT (d::date = ANY({closed_sql})))"
        )
        return sql, (*day_params, *day_params, *closed_params)


def non_working_days(start: date, end: date) -> list[date]:
    from conferences.models import ClosureDay

    days = set()
    for year in range(start.year - 1, end.year + 1):
        days |= {day for day in _bank_holidays(year) if start - timedelta(days=20) <= day <= end}
    days |= set(
        ClosureDay.objects.filter(day__range=(start - timedelta(days=20), end)).values_list(
            "day", flat=True
        )
    )
    return sorted(days)


class WorkingDaysBetween(Func):
    """Working days after ``start`` up to and including ``end``, in SQL (as
    WorkingCalendar.working_days_between); NULL when ``end`` is NULL."""

    output_field = IntegerField()

    def __init__(self, start, end, closed: list[date]):
        super().__init__(start, end, Value(closed, output_field=ArrayField(DateField())))

    def as_sql(self, compiler, connection, **extra):
        (start, start_params), (end, end_params), (closed, closed_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = (
            f"(CASE WHEN ({end}) IS NULL THEN NULL ELSE (SELECT count(*) FROM "  # noqa: S608
            f"generate_series(({start}) + 1, ({end}), interval '1 day') AS d "
            f"WHERE extract(isodow FROM d) < 6 AND NOT (d::date = ANY({closed}))) END)"
        )
        return sql, (*end_params, *start_params, *end_params, *closed_params)
