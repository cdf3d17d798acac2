"""Working days and calendar months, as child protection timescales count them.

A working day is a weekday that is not an England and Wales bank holiday (the `holidays`
package, including substitute days) and not one of the council's own closure days.
"N working days after D" is the Nth working day following D, not counting D itself.

The calendar is here twice: in Python (WorkingCalendar), and as a table SQL looks days up in
(WorkingDayTable), built from the same calendar so that a figure counts as the Python does.
"""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db.models import DateField, Func, IntegerField

from conferences.models import ClosureDay


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


class WorkingCalendar:
    """Bank holidays plus the council's closure days."""

    def __init__(self, closures: Iterable[date] = ()):
        self.closures = frozenset(closures)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in self.closures
        )

    def add_working_days(self, start: date, days: int) -> date:
        """The day ``days`` working days after ``start`` (before it, for a negative number)."""
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def previous_working_day(self, day: date) -> date:
        return self.add_working_days(day, -1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end is not later)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def working_calendar() -> WorkingCalendar:
    """Bank holidays plus the council's closure days, read once per call."""
    return WorkingCalendar(ClosureDay.objects.values_list("day", flat=True))


def add_months(start: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day: 31 August + 6 months = 28/29 Feb."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


class MonthsAfter(Func):
    """``add_months`` in SQL: PostgreSQL's month arithmetic clamps to the month's last day as
    ``add_months`` does (31 August + 6 months = 28/29 February)."""

    output_field = DateField()

    def __init__(self, day, months: int):
        super().__init__(day, months=months)

    def as_sql(self, compiler, connection, **extra):
        day, params = compiler.compile(self.source_expressions[0])
        months = [self.extra["months"]]
        return f"CAST(({day}) + make_interval(months => %s) AS date)", [*params, *months]


class WorkingDayTable:
    """Working days over a range of dates, worked out once in Python (the holidays package and
    the council's closure days are the one calendar) and looked up in SQL by array index: each
    row costs one subtraction, not a series of days."""

    def __init__(self, first: date, last: date):
        calendar = working_calendar()
        self.first = first
        self.numbers, self.previous = [], []
        count = 0
        before = calendar.previous_working_day(first)
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            self.previous.append(before)
            if calendar.is_working_day(day):
                count += 1
                before = day
            self.numbers.append(count)

    def previous_working_day(self, day) -> "_Lookup":
        return _Lookup(day, self.first, self.previous, DateField())

    def working_days_between(self, start, end) -> "_Lookup":
        """Working days after ``start`` up to and including ``end``; NULL if either is."""
        return _Difference(
            _Lookup(end, self.first, self.numbers, IntegerField()),
            _Lookup(start, self.first, self.numbers, IntegerField()),
        )


class _Lookup(Func):
    """values[day - first], with days outside the range taking the nearest end's value (a date
    long after the period counts as late either way); NULL for no date."""

    def __init__(self, day, first: date, values: list, output_field):
        self.first, self.values = first, values
        super().__init__(day, output_field=output_field)

    def as_sql(self, compiler, connection, **extra):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        kind = "date" if isinstance(self.output_field, DateField) else "integer"
        # GREATEST and LEAST skip NULLs (a missing date would read the first value), so a
        # missing date is tested for first.
        clamped = f"LEAST(GREATEST(({day_sql}) - %s::date + 1, 1), %s)"
        index = f"CASE WHEN ({day_sql}) IS NOT NULL THEN {clamped} END"
        params = (self.values, *day_params, *day_params, self.first, len(self.values))
        return f"(%s::{kind}[])[{index}]", params


class _Difference(Func):
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()
