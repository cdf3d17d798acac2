"""Lists that stay short whatever the size of the authority: the first rows and how many in all.

A tray or log at national scale can match tens of thousands of records. A page shows the first
``limit`` (in the order that matters: the most urgent, the newest) and says how many more there
are, in at most two queries whatever the number of records: the rows, and a count only when the
rows fill the page. A list that can run to millions (a national log) counts only up to a ceiling
and says "more than" it: COUNT(*) over every row is the slowest part of such a page, and nobody
reads the exact figure.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bounded:
    rows: list = field(default_factory=list)
    total: int = 0
    # The total is a floor: more than ``total`` match (the count stopped at its ceiling).
    is_more_than: bool = False

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


def first(queryset, limit: int, *, count_up_to: int | None = None) -> Bounded:
    """The first ``limit`` rows and the full count (counted only when there may be more), or,
    given ``count_up_to``, the count up to that ceiling (LIMIT ceiling + 1 in the count's
    subquery, so the database stops there) and whether there are more than that."""
    rows = list(queryset[:limit])
    if len(rows) < limit:
        return Bounded(rows, len(rows))
    if count_up_to is None:
        return Bounded(rows, queryset.count())
    counted = queryset.order_by()[: count_up_to + 1].count()
    return Bounded(rows, min(counted, count_up_to), is_more_than=counted > count_up_to)


def first_of(items: Iterable, limit: int) -> Bounded:
    """The same for rows already worked out in Python (a list the page had to filter by a rule
    kept in Python, from a query already bounded by its dates)."""
    found = list(items)
    return Bounded(found[:limit], len(found))
