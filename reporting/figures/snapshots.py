"""Figures that count children on a plan at the end of each column's last day."""

from django.db.models import DateField, F, Value

from reporting.figures.base import Figure
from reporting.figures.sql import count_plans_at, plans_open_at


class SnapshotFigure(Figure):
    """Children on a plan at the end of each column's last day, by a row worked out for each
    (plan, day): counted column by column for the drill-down and as the reference, and for
    the table in one query, the plans read once and joined to the columns' last days."""

    def ingredients(self) -> dict:
        """Annotations on a plan that the row reads (a child's date of birth, say)."""
        return {}

    def row_at(self, day, column):
        """The row's expression at ``day`` (an expression), where ``column(name)`` is one of
        the plan's values: its own fields or the ingredients."""
        raise NotImplementedError

    def records(self, scope, column):
        day = Value(column.end, output_field=DateField())
        return (
            plans_open_at(scope, column.end)
            .annotate(**self.ingredients())
            .annotate(row=self.row_at(day, F), subject=F("child_id"))
        )

    def count_columns(self, scope, columns):
        return count_plans_at(scope, [c.end for c in columns], self.ingredients(), self.row_at)
