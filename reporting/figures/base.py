"""The shape shared by every figure: a scope, columns, rows, and one query for all the columns.

A figure says which records a column counts (``records``, or a base and conditions) and, for
counting every column at once, which of the records read for all of them belong to each column
(``in_column``). The table is counted in one pass, with each column a filtered aggregate; the
column-by-column count (``count``) stays as the reference the one pass is tested against, and
as the definition the drill-down (``subjects``) lists."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from reporting.freshness import fingerprint
from rules.periods import Period
from rules.timescales import today

CACHE_SECONDS = 24 * 60 * 60
ROOT = Path(__file__).resolve().parent.parent.parent
# What figures count by, besides their own code: every case rule, the choices they name, and
# the local day a conference was held on (the expression its index is built on).
COUNTED_BY = ["rules/*.py", "conferences/choices.py", "conferences/booking/models.py"]


def _code_version() -> str:
    """A digest of the code and settings that count: a changed definition, rule or timescale
    never meets a table counted under the old one."""
    sources = [*Path(__file__).parent.glob("*.py")]
    sources += [path for pattern in COUNTED_BY for path in ROOT.glob(pattern)]
    digest = hashlib.sha256()
    for source in sorted(sources):
        digest.update(source.read_bytes())
    digest.update(repr([settings.TIME_ZONE, settings.CONVENE_TIMESCALES]).encode())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


@dataclass(frozen=True)
class Scope:
    """What the manager asked for: a year or a quarter, optionally one locality or chair."""

    period: Period
    locality_id: int | None = None
    chair_id: int | None = None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    start: date
    end: date  # inclusive; snapshot figures count at the end of the day


@dataclass
class Row:
    key: str
    label: str
    cells: list[int | float | None]


@dataclass
class Table:
    slug: str
    title: str
    definition: str
    counts: str  # what one unit is: "meetings", "children", ...
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def cell(self, row_key: str, column_key: str):
        column = [c.key for c in self.columns].index(column_key)
        return next(row for row in self.rows if row.key == row_key).cells[column]


def quarter_columns(scope: Scope) -> list[Column]:
    """Q1 to Q4 and the year, or the one quarter asked for."""
    if scope.period.quarter is not None:
        p = scope.period
        return [Column(f"q{p.quarter}", f"Q{p.quarter}", p.start, p.end)]
    quarters = [
        Column(f"q{q.quarter}", f"Q{q.quarter}", q.start, q.end) for q in scope.period.quarters()
    ]
    year = scope.period
    return [*quarters, Column("year", year.year_label, year.start, year.end)]


def span(columns: list[Column]) -> Column:
    """One column from the first column's first day to the last one's last: what all the
    columns read together."""
    return Column("span", "", min(c.start for c in columns), max(c.end for c in columns))


def year_columns(scope: Scope, years: int = 4) -> list[Column]:
    """The financial years up to the one asked for, oldest first, for trends."""
    periods = [Period(scope.period.year - back) for back in range(years - 1, -1, -1)]
    return [Column(f"y{p.year}", p.year_label, p.start, p.end) for p in periods]


class Figure:
    """A table definition. Subclasses name their rows and say, for a column, which records
    count (``records``: a queryset with a ``row`` annotation and the counted ``subject``)."""

    slug: str
    title: str
    definition: str
    counts: str = "children"
    subject_model: str = "conferences.Child"  # what the drill-down lists
    total_label: str | None = None  # the label of a total row, for tables that have one

    def columns(self, scope: Scope) -> list[Column]:
        return quarter_columns(scope)

    def rows(self, scope: Scope) -> list[tuple[str, str]]:
        raise NotImplementedError

    def records(self, scope: Scope, column: Column) -> QuerySet:
        raise NotImplementedError

    def count(self, scope: Scope, column: Column) -> dict[str, int]:
        found = (
            self.records(scope, column)
            .order_by()
            .values("row")
            .annotate(n=Count("subject", distinct=True))
        )
        return {item["row"]: item["n"] for item in found}

    def derived_rows(self, table: Table) -> list[Row]:
        """Rows computed from the counted ones: the total, when the table has one."""
        return [total_row(table, self.total_label)] if self.total_label else []

    def in_column(self, column: Column) -> Q:
        """Which of the records read for every column at once (``records_over``) this column
        counts: usually its dates."""
        raise NotImplementedError

    def records_over(self, scope: Scope, columns: list[Column]) -> QuerySet:
        """The records any of the columns counts, with ``row`` and ``subject``."""
        return self.records(scope, span(columns))

    def count_columns(self, scope: Scope, columns: list[Column]) -> list[dict[str, int]]:
        """Every column in one query: grouped by row, each column a filtered count."""
        found = (
            self.records_over(scope, columns)
            .order_by()
            .values("row")
            .annotate(
                **{
                    f"column_{i}": Count("subject", distinct=True, filter=self.in_column(column))
                    for i, column in enumerate(columns)
                }
            )
        )
        return by_column(found, "row", len(columns))

    def count_by_column(self, scope: Scope, columns: list[Column]) -> list[dict[str, int]]:
        """The reference: one query per column."""
        return [self.count(scope, column) for column in columns]

    def table(self, scope: Scope) -> Table:
        columns = self.columns(scope)
        return self.table_from(scope, columns, self.count_columns(scope, columns))

    def table_by_column(self, scope: Scope) -> Table:
        """The table counted column by column: the reference the one pass must equal."""
        columns = self.columns(scope)
        return self.table_from(scope, columns, self.count_by_column(scope, columns))

    def table_from(self, scope: Scope, columns: list[Column], counted: list[dict]) -> Table:
        rows = [
            Row(key, label, [by_row.get(key, 0) for by_row in counted])
            for key, label in self.rows(scope)
        ]
        table = Table(self.slug, self.title, self.definition, self.counts, columns, rows)
        table.rows += self.derived_rows(table)
        return table

    def subjects(self, scope: Scope, column: Column, row_key: str) -> QuerySet:
        """The primary keys of the records behind one cell ("total": every row's)."""
        found = self.records(scope, column)
        if row_key != "total":
            found = found.filter(row=row_key)
        return found.values("subject")


def by_column(found, key: str, columns: int) -> list[dict[str, int]]:
    """Rows of ``key`` and ``column_0``, ``column_1``... as one {key: count} per column."""
    counted = [{} for _ in range(columns)]
    for item in found:
        for i in range(columns):
            counted[i][item[key]] = item[f"column_{i}"]
    return counted


def total_row(table: Table, label: str = "Total") -> Row:
    sums = [sum(row.cells[i] or 0 for row in table.rows) for i in range(len(table.columns))]
    return Row("total", label, sums)


def share(part: int, whole: int) -> float | None:
    """A percentage to one decimal place; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def compute(scope: Scope) -> list[Table]:
    """Every figure for the scope, from the cache when the records have not changed since."""
    from reporting.figures.registry import FIGURES

    version = fingerprint()
    return [cached_table(figure, scope, version) for figure in FIGURES]


def cached_table(figure: "Figure", scope: Scope, version: str | None = None) -> Table:
    """The figure's table for the scope: computed from the records, or the table computed from
    exactly these records before (see reporting.freshness). The key holds everything the result
    depends on: the records' fingerprint, the figures' own code, today's date and the scope."""
    period = scope.period
    key = ":".join(
        str(part)
        for part in (
            "figure",
            connection.settings_dict["NAME"],  # two databases may share a cache
            version or fingerprint(),
            CODE_VERSION,
            today().isoformat(),
            figure.slug,
            period.year,
            period.quarter,
            scope.locality_id,
            scope.chair_id,
        )
    )
    table = cache.get(key)
    if table is None:
        table = figure.table(scope)
        cache.set(key, table, timeout=CACHE_SECONDS)
    return table


class ConditionFigure(Figure):
    """Rows that may overlap (held, and within timescale): each row is a condition on one set
    of records, counted in a single query per column with filtered aggregates."""

    subject_field = "pk"

    def base(self, scope: Scope, column: Column) -> QuerySet:
        raise NotImplementedError

    def conditions(self, scope: Scope, column: Column) -> dict:
        raise NotImplementedError

    def rows(self, scope):
        return list(self.row_labels.items())

    def counter(self, condition: Q) -> Count:
        """How a condition is counted: its distinct subjects."""
        return Count(self.subject_field, distinct=True, filter=condition)

    def count(self, scope, column):
        return self.base(scope, column).aggregate(
            **{
                key: self.counter(condition)
                for key, condition in self.conditions(scope, column).items()
            }
        )

    def base_over(self, scope: Scope, columns: list[Column]) -> QuerySet:
        """The records any of the columns reads."""
        return self.base(scope, span(columns))

    def count_columns(self, scope, columns):
        # One query: a filtered count per (column, row). Aliases are plain (row keys are not).
        aggregates, names = {}, []
        for i, column in enumerate(columns):
            in_column = self.in_column(column)
            for j, (key, condition) in enumerate(self.conditions(scope, column).items()):
                aggregates[f"c{i}_{j}"] = self.counter(in_column & condition)
                names.append((i, key, f"c{i}_{j}"))
        counted = self.base_over(scope, columns).aggregate(**aggregates)
        found = [{} for _ in columns]
        for i, key, name in names:
            found[i][key] = counted[name]
        return found

    def subjects(self, scope, column, row_key):
        condition = self.conditions(scope, column).get(row_key)
        found = self.base(scope, column)
        found = found.filter(condition) if condition is not None else found.none()
        return found.values(self.subject_field)
