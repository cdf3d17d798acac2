"""Working-day and month arithmetic across Christmas, Easter, weekends and month ends."""

from datetime import date

import pytest

from rules.working_days import WorkingCalendar, add_months

CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Friday + 1 working day is Monday.
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        # Christmas 2026: 25 Fri, 28 Mon (Boxing Day observed) are holidays; 24 Dec + 1 = 29 Dec.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        # Easter 2015: Good Friday 3 April, Easter Monday 6 April; 2 April + 1 = 7 April.
        (date(2015, 4, 2), 1, date(2015, 4, 7)),
        # 15 working days from Monday 1 December 2014 cross Christmas and Boxing Day.
        (date(2014, 12, 1), 15, date(2014, 12, 22)),
        (date(2014, 12, 10), 15, date(2015, 1, 5)),
        # Backwards over a weekend: Monday - 1 working day = Friday.
        (date(2026, 11, 30), -1, date(2026, 11, 27)),
        # Zero days is the day itself.
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
    ],
)
def test_adding_working_days(start, days, expected):
    assert CALENDAR.add_working_days(start, days) == expected


def test_a_council_closure_day_is_not_a_working_day():
    closed = WorkingCalendar(closures=[date(2026, 12, 29)])
    assert closed.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 30)
    assert CALENDAR.is_working_day(date(2026, 12, 29))
    assert not closed.is_working_day(date(2026, 12, 29))


def test_working_days_between_counts_the_end_but_not_the_start():
    assert CALENDAR.working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert CALENDAR.working_days_between(date(2026, 11, 30), date(2026, 11, 27)) == 0
    assert CALENDAR.working_days_between(date(2014, 12, 1), date(2014, 12, 22)) == 15


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2014, 8, 31), 6, date(2015, 2, 28)),
        (date(2015, 8, 31), 6, date(2016, 2, 29)),
        (date(2014, 11, 30), 3, date(2015, 2, 28)),
        (date(2014, 10, 15), 3, date(2015, 1, 15)),
        (date(2015, 1, 31), 1, date(2015, 2, 28)),
        (date(2014, 12, 31), 12, date(2015, 12, 31)),
    ],
)
def test_adding_calendar_months_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected
