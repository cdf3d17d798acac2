"""Working days and calendar months, as child protection timescales count them.

A working day is a weekday that is not an England and Wales bank holiday (the `holidays`
package, including substitute days) and not one of the council's own closure days.
"N working days after D" is the Nth working day following D, not counting D itself.
"""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


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


def add_months(start: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day: 31 August + 6 months = 28/29 Feb."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))
