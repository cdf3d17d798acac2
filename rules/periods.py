"""Financial years and quarters, as the service reports them.

"2014-15" runs from 1 April 2014 to 31 March 2015; Q1 is April to June, Q4 January to March.
A period is named by the calendar year its financial year starts in.
"""

from dataclasses import dataclass
from datetime import date

QUARTER_START_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


@dataclass(frozen=True)
class Period:
    year: int  # the financial year starting 1 April of this year
    quarter: int | None = None  # None: the whole year

    @property
    def start(self) -> date:
        if self.quarter is None:
            return date(self.year, 4, 1)
        month = QUARTER_START_MONTHS[self.quarter]
        return date(self.year + (1 if self.quarter == 4 else 0), month, 1)

    @property
    def end(self) -> date:
        """The last day in the period."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year + 1, 3, 31)
        following = Period(self.year, self.quarter + 1).start
        return date.fromordinal(following.toordinal() - 1)

    @property
    def year_label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.quarter is None:
            return self.year_label
        return f"{self.year_label} Q{self.quarter} ({self.start:%B} to {self.end:%B %Y})"

    def quarters(self) -> list["Period"]:
        return [Period(self.year, quarter) for quarter in (1, 2, 3, 4)]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


FIRST_YEAR = 2010  # the earliest year the period filters offer


def year_choices(latest: int) -> list[tuple[int, str]]:
    """Financial years for a filter, newest first."""
    return [(year, Period(year).year_label) for year in range(latest, FIRST_YEAR - 1, -1)]


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: date) -> Period:
    year = financial_year_of(day)
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)
    return Period(year, quarter)
