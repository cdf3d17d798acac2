"""Lists that stay short whatever the size of the authority: the first rows and how many in all.

A tray or log at national scale can match tens of thousands of records. A page shows the first
``limit`` (in the order that matters: the most urgent, the newest) and says how many more there
are, in at most two queries whatever the number of records: the rows, and a count only when the
rows fill the page.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bounded:
    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        """How many match but are not shown."""
        return self.total - len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def first(queryset, limit: int) -> Bounded:
    """The first ``limit`` rows and the full count (counted only when there may be more)."""
    rows = list(queryset[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return Bounded(rows, total)


def first_of(items: Iterable, limit: int) -> Bounded:
    """The same for rows already worked out in Python (a list the page had to filter by a rule
    kept in Python, from a query already bounded by its dates)."""
    found = list(items)
    return Bounded(found[:limit], len(found))
