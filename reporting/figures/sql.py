"""SQL building blocks shared by the figures: local dates, plans at a date.

A plan's category is a case rule: rules.categories holds it, in Python and in SQL; working days
and timescales are rules.working_days and rules.timescales."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    DateField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Lag
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThanOrEqual,
)
from django.db.models.sql import Query

from conferences.booking.models import local_day
from conferences.choices import ConferenceStatus
from conferences.models import ChildProtectionPlan, Conference, ConferenceChild
from reporting.figures.base import Column, Scope


def local_date(field: str) -> Cast:
    """The day in England a timestamp falls on (a 00:30 BST meeting is that day, not the one
    before in UTC): the expression Conference's ``held_on`` index is built on."""
    return local_day(field)


def held_between(start: date, end: date, prefix: str = "") -> Q:
    """Meetings that took place in the period: postponed and cancelled ones are not activity.
    By the day held in England, the expression of Conference's ``held_on`` index, so that a
    figure reads the period's meetings and not every meeting ever held."""
    held_on = local_date(f"{prefix}starts_at")
    return Q(
        Q(**{f"{prefix}status": ConferenceStatus.HELD}),
        GreaterThanOrEqual(held_on, start),
        LessThanOrEqual(held_on, end),
    )


def held_in(start: date, end: date, prefix: str = "") -> Q:
    """Of meetings already read (the year's, say), those held from ``start`` to ``end``: the
    days of ``held_between`` as the times they run from and to, so that telling a column's
    meetings apart costs a comparison per row and column, not a time zone conversion (a third
    of the time of a table's one pass)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first = datetime.combine(start, time.min, zone)
    after = datetime.combine(end + timedelta(days=1), time.min, zone)
    return Q(**{f"{prefix}starts_at__gte": first, f"{prefix}starts_at__lt": after})


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


def on_plan_at(day, prefix: str = "", column=F) -> Q:
    """A plan open at the end of ``day``: started on or before it and not ended by then.

    ``day`` is a date or an expression for one (each quarter end a plan is joined to);
    ``column`` names the plan's own values (F, or ``Outer`` for the rows a one-pass count
    wraps)."""
    if not hasattr(day, "resolve_expression"):
        day = Value(day, output_field=DateField())
    started_on, ended_on = column(f"{prefix}started_on"), column(f"{prefix}ended_on")
    return Q(LessThanOrEqual(started_on, day)) & (
        Q(IsNull(ended_on, True)) | Q(GreaterThan(ended_on, day))
    )


def plans_open_at(scope: Scope, day: date):
    plans = ChildProtectionPlan.objects.filter(on_plan_at(day))
    if scope.locality_id:
        plans = plans.filter(child__locality_id=scope.locality_id)
    if scope.chair_id:
        plans = plans.annotate(current_chair=latest_chair(day)).filter(current_chair=scope.chair_id)
    return plans


def latest_chair(day, child=None) -> Subquery:
    """The chair of the child's most recent meeting held on or before ``day`` (a date or an
    expression for one); ``child``: the child's id (the plan's own by default)."""
    return Subquery(
        ConferenceChild.objects.filter(
            LessThanOrEqual(local_date("conference__starts_at"), day),
            child=OuterRef("child_id") if child is None else child,
            conference__status=ConferenceStatus.HELD,
        )
        .order_by("-conference__starts_at")
        .values("conference__chair_id")[:1]
    )


def chaired_as_before(until: date, children):
    """Places at held meetings, to ``until``, of ``children`` (a queryset of child ids), whose
    chair also chaired the child's previous held meeting, as ConferenceChild ids: chair
    continuity, defined once.

    The previous meeting comes from a window over each child's held meetings in order (LAG),
    one pass over them and no query per place. Each child is a partition of its own, so only
    the children asked about are read; meetings after ``until`` do not change which meeting
    came before one held by then, so they are left out too. A child is never at two held
    meetings at the same moment (booking refuses the clash); if records said so, the one
    with the lower id would count as the earlier."""
    held = ConferenceChild.objects.filter(
        LessThanOrEqual(local_date("conference__starts_at"), until),
        conference__status=ConferenceStatus.HELD,
        child_id__in=children,
    )
    previous_chair = Window(
        Lag("conference__chair_id"),
        partition_by=F("child_id"),
        order_by=[F("conference__starts_at").asc(), F("conference_id").asc()],
    )
    return (
        held.annotate(previous_chair=previous_chair)
        .filter(previous_chair=F("conference__chair_id"))
        .values("pk")
    )


# Counting at several days in one pass: the rows (plans) joined to the list of days.


class Outer(Expression):
    """A value of the rows a one-pass count wraps (``"rows"."name"``), or of its list of days
    (``"days"."day"``): the figures' own expressions, compiled per (row, day) outside the
    ORM's query, read them as they read F() in it."""

    def __init__(self, name: str, output_field, table: str = "rows"):
        super().__init__(output_field=output_field)
        self.name, self.table = name, table

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        return f"{quote(self.table)}.{quote(self.name)}", []


DAY = Outer("day", DateField(), table="days")


def plans_open_between(scope: Scope, first: date, last: date):
    """Plans open at the end of some day from ``first`` to ``last`` (and perhaps a few more:
    each day's own test, ``on_plan_at``, is applied after the join), in the scope's locality."""
    plans = ChildProtectionPlan.objects.filter(
        Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gt=first))
    )
    if scope.locality_id:
        plans = plans.filter(child__locality_id=scope.locality_id)
    return plans


def count_plans_at(scope: Scope, days: list[date], ingredients: dict, row_at) -> list[dict]:
    """Children on a plan at the end of each of ``days``, by row: one query, the plans read
    once and joined to the list of days, the row worked out per (plan, day).

    ``ingredients``: annotations on a plan that the row reads; ``row_at(day, column)``: the
    row's expression, where ``column(name)`` is one of the plan's values (its fields or the
    ingredients). The plans' query is the ORM's, scope filters and all; only the join to the
    days is written here, and every value is a parameter."""
    plans = plans_open_between(scope, min(days), max(days)).annotate(**ingredients)
    names = ["id", "child_id", "started_on", "ended_on", *ingredients]

    def column(name: str) -> Outer:
        if name in ingredients:
            return Outer(name, plans.query.annotations[name].output_field)
        field = ChildProtectionPlan._meta.get_field(name.removesuffix("_id"))
        return Outer(name, field.target_field if field.is_relation else field)

    condition = on_plan_at(DAY, column=column)
    if scope.chair_id:
        chair = latest_chair(DAY, child=column("child_id"))
        condition &= Q(Exact(chair, scope.chair_id))
    outer = Query(ChildProtectionPlan)
    compiler = outer.get_compiler(connection=connection)

    def compiled(expression):
        return compiler.compile(expression.resolve_expression(outer, allow_joins=False))

    inner_sql, inner_params = plans.order_by().values(*names).query.sql_with_params()
    row_sql, row_params = compiled(row_at(DAY, column))
    on_sql, on_params = compiled(condition)
    distinct_days = sorted(set(days))  # Q4 and the year both end on 31 March: counted once
    listed = ", ".join(["(%s::integer, %s::date)"] * len(distinct_days))
    sql = (
        f'SELECT "days"."i", {row_sql}, COUNT(DISTINCT "rows"."child_id") '  # noqa: S608
        f'FROM ({inner_sql}) AS "rows" '
        f'INNER JOIN (VALUES {listed}) AS "days" ("i", "day") ON {on_sql} '
        "GROUP BY 1, 2"
    )
    params = [*row_params, *inner_params]
    for i, day in enumerate(distinct_days):
        params += [i, day]
    params += on_params
    counted = [{} for _ in distinct_days]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for i, row, n in cursor.fetchall():
            counted[i][row] = n
    return [counted[distinct_days.index(day)] for day in days]
