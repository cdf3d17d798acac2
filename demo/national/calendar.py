"""Working days as day numbers (ordinals), looked up in a table: the generator asks millions
of times, and the rules' own WorkingCalendar walks day by day through the holidays package."""

from datetime import date

from rules.working_days import WorkingCalendar


class FastCalendar:
    """The rules' calendar (bank holidays and closure days), worked out once for a range."""

    def __init__(self, first: date, last: date, calendar: WorkingCalendar):
        self.base = first.toordinal() - 30
        size = last.toordinal() + 1200 - self.base
        self.working = bytearray(
            calendar.is_working_day(date.fromordinal(self.base + i)) for i in range(size)
        )
        self.text = {}

    def is_working(self, day: int) -> bool:
        return bool(self.working[day - self.base])

    def on_or_before(self, day: int) -> int:
        while not self.working[day - self.base]:
            day -= 1
        return day

    def on_or_after(self, day: int) -> int:
        while not self.working[day - self.base]:
            day += 1
        return day

    def add(self, day: int, count: int) -> int:
        """``count`` working days after ``day`` (before it, if negative), as WorkingCalendar."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += step
            if self.working[day - self.base]:
                remaining -= 1
        return day

    def iso(self, day: int | None) -> str:
        """The day as COPY text (NULL for None)."""
        if day is None:
            return "\\N"
        found = self.text.get(day)
        if found is None:
            found = self.text[day] = date.fromordinal(day).isoformat()
        return found
