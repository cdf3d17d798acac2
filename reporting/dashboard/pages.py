"""From a request to figures and back: the filter form, and each table's chart."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from reporting import charts
from reporting.dashboard.forms import DashboardForm
from reporting.figures import Scope, Table
from rules.periods import financial_year_of
from rules.timescales import today


def scope_from(request) -> tuple[DashboardForm, Scope | None]:
    """The form bound to the query string (last year's figures when nothing is asked)."""
    data = request.GET.copy()
    data.setdefault("year", str(financial_year_of(today())))
    form = DashboardForm(data)
    return form, (form.scope() if form.is_valid() else None)


def query_of(scope: Scope) -> str:
    parts = [f"year={scope.period.year}"]
    if scope.period.quarter:
        parts.append(f"quarter={scope.period.quarter}")
    if scope.locality_id:
        parts.append(f"locality={scope.locality_id}")
    if scope.chair_id:
        parts.append(f"chair={scope.chair_id}")
    return "&".join(parts)


@dataclass
class Shown:
    table: Table
    chart: SafeString

    @property
    def grid(self) -> list[tuple]:
        """Each row with its cells beside their column keys, for links to the records."""
        columns = self.table.columns
        return [
            (row, row.key.endswith("share"), list(zip(row.cells, columns, strict=True)))
            for row in self.table.rows
        ]


def chart_for(table: Table) -> Shown:
    """Counted rows only (not totals or percentages); the year column is left out of a chart
    that shows its quarters, as it would dwarf them."""
    counted = [row for row in table.rows if row.key != "total" and not row.key.endswith("share")]
    shown = [i for i, column in enumerate(table.columns) if column.key != "year"] or [0]
    labels = [table.columns[i].label for i in shown]
    series = [(row.label, [row.cells[i] or 0 for i in shown]) for row in counted]
    prefix = f"chart-{table.slug}"
    if len(shown) == 1:
        chart = charts.bar_chart(
            title=table.title,
            labels=[name for name, _ in series],
            values=[cells[0] for _, cells in series],
            id_prefix=prefix,
        )
    elif table.slug.endswith("-trend"):
        chart = charts.line_chart(title=table.title, labels=labels, series=series, id_prefix=prefix)
    else:
        chart = charts.grouped_bar_chart(
            title=table.title, categories=labels, series=series, id_prefix=prefix
        )
    return Shown(table, chart)
