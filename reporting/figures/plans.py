"""Children on plans, plans started and ended, ended at the first review, repeat plans
(reference report 5.1.2 to 5.1.4, Table 2). Plan figures count children."""

from django.db.models import Count, Q, Value

from conferences.models import ChildProtectionPlan
from reporting.figures.base import Figure, Row, Scope, share, span, year_columns
from reporting.figures.snapshots import SnapshotFigure
from rules.plans import ended_at_first_review_sql, is_repeat_plan_sql


def _plans(scope: Scope):
    plans = ChildProtectionPlan.objects.all()
    if scope.locality_id:
        plans = plans.filter(child__locality_id=scope.locality_id)
    return plans


class ChildrenOnPlans(SnapshotFigure):
    slug = "children-on-plans"
    title = "Children on a plan at the end of each quarter"
    definition = (
        "Children with a child protection plan open at the end of the last day of the quarter "
        "(the year column is 31 March). A plan that starts on that day counts; one that ends "
        "on it does not."
    )

    def rows(self, scope):
        return [("on_plan", "Children on a plan")]

    def row_at(self, day, column):
        return Value("on_plan")


class ChildrenOnPlansTrend(ChildrenOnPlans):
    slug = "children-on-plans-trend"
    title = "Children on a plan at 31 March"
    definition = (
        "Children with a plan open at the end of 31 March, for the four years to the one shown."
    )

    def columns(self, scope):
        return year_columns(scope)


class PlansStartedAndEnded(Figure):
    slug = "plans-started-ended"
    title = "Plans started and ended"
    definition = (
        "Children whose plan started, or ended, in the period. 'Ended at the first review' "
        "counts plans ended by the signed-off decision of their first review conference. A "
        "repeat plan is a child's second or later plan, counting plans before Convene or in "
        "another authority. Percentages: of plans ended, and of plans started."
    )

    def rows(self, scope):
        return [
            ("started", "Plans started"),
            ("repeat", "Repeat plans started"),
            ("ended", "Plans ended"),
            ("first_review", "Plans ended at the first review"),
        ]

    def _parts(self, scope, column):
        in_period = (column.start, column.end)
        started, ended = Q(started_on__range=in_period), Q(ended_on__range=in_period)
        return {
            "started": started,
            "repeat": started & is_repeat_plan_sql(),
            "ended": ended,
            "first_review": ended & Q(ended_at_first_review_sql()),
        }

    def count(self, scope, column):
        # One query per column. A child whose two plans both started in the period counts once.
        return _plans(scope).aggregate(
            **{
                key: Count("child_id", distinct=True, filter=condition)
                for key, condition in self._parts(scope, column).items()
            }
        )

    def count_columns(self, scope, columns):
        # One query: each column's parts as filtered counts over the plans started or ended in
        # any of them.
        whole = span(columns)
        plans = _plans(scope).filter(
            Q(started_on__range=(whole.start, whole.end))
            | Q(ended_on__range=(whole.start, whole.end))
        )
        parts = [self._parts(scope, column) for column in columns]
        counted = plans.aggregate(
            **{
                f"c{i}_{key}": Count("child_id", distinct=True, filter=condition)
                for i, column_parts in enumerate(parts)
                for key, condition in column_parts.items()
            }
        )
        return [
            {key: counted[f"c{i}_{key}"] for key in column_parts}
            for i, column_parts in enumerate(parts)
        ]

    def derived_rows(self, table):
        started, repeat, ended, first = (table.rows[i].cells for i in range(4))
        return [
            Row(
                "repeat_share",
                "Repeat plans, % of started",
                [share(r, s) for r, s in zip(repeat, started, strict=True)],
            ),
            Row(
                "first_review_share",
                "Ended at first review, % of ended",
                [share(f, e) for f, e in zip(first, ended, strict=True)],
            ),
        ]

    def subjects(self, scope, column, row_key):
        condition = self._parts(scope, column).get(row_key)
        plans = _plans(scope)
        return (plans.filter(condition) if condition else plans.none()).values("child_id")
