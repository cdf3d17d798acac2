"""Step 1, last: 2014-15 meetings moved across month ends so the quarters come out right."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from demo.history.episodes import meetings_in, on_or_after, on_or_before, review_due
from demo.history.in_memory import Episode
from demo.history.targets import (
    DAY,
    FAMILY_RECEIPT,
    MEETINGS_APRIL_MAY_2014,
    QUARTER_ENDS,
    TargetsUnmet,
    in_year,
)

# Moving meetings across month ends: 2014-15 only, never across a year end. Reviews at which the
# plan goes on can cross a quarter end (nobody joins or leaves a plan); across 31 May any review
# can (no figure is counted at 31 May).


@dataclass(eq=False)
class _Movable:
    episode: Episode
    index: int  # into episode.reviews
    due: date

    @property
    def day(self) -> date:
        return self.episode.reviews[self.index]

    @property
    def continues(self) -> bool:
        return self.index < self.episode.end


def _meetings_2014(episodes: list[Episode]) -> list[date]:
    days = []
    for episode in episodes:
        if episode.kind != "before" and in_year(episode.started_on, 2014):
            days.append(episode.started_on)
        if in_year(episode.adjourned_on, 2014):
            days.append(episode.adjourned_on)
        days += [day for day in meetings_in(episode) if in_year(day, 2014)]
    return days


@cache
def receipt_counts(meetings: int, quarter: int) -> tuple[dict[str, int], tuple[float, ...]]:
    """How many of a quarter's meetings fall in each receipt row, and how far (in percentage
    points) each share the report gives is from what the figure will show (Table 6)."""
    counts, misses = {}, []
    for row, shares in FAMILY_RECEIPT.items():
        target = shares[quarter]
        middle = round(target * meetings / 100)
        options = range(middle - 2, middle + 3)
        best = min(options, key=lambda k: abs(round(100 * k / meetings, 1) - target))
        counts[row] = best
        if row == "earlier" or quarter in (0, 3):  # the shares the report gives
            misses.append(round(abs(round(100 * best / meetings, 1) - target), 2))
    counts["not_received"] = meetings - sum(counts.values())
    return counts, tuple(misses)


def _quarter_totals(current: list[int]) -> list[int]:
    """Meetings per 2014-15 quarter, near the current ones and summing to the year's, for which
    every share Table 6 gives is shown within 0.1 points (exactly, where a few more moves
    allow it)."""
    total = sum(current)
    best, best_cost = current, None
    for n1 in range(current[0] - 12, current[0] + 13):
        for n2 in range(current[1] - 12, current[1] + 13):
            for n4 in range(current[3] - 12, current[3] + 13):
                totals = [n1, n2, total - n1 - n2 - n4, n4]
                misses = [m for q, n in enumerate(totals) for m in receipt_counts(n, q)[1]]
                moves = abs(n1 - current[0]) + abs(n1 + n2 - sum(current[:2]))
                moves += abs(n4 - current[3])
                cost = (max(misses) > 0.1, 30 * sum(misses) + moves)
                if best_cost is None or cost < best_cost:
                    best, best_cost = totals, cost
    return best


def _move_across(rng, calendar, movables: list[_Movable], boundary: date, count: int, any_review):
    """Move ``count`` reviews from after ``boundary`` (the last day of a month) to before it, or
    from before to after for a negative count, choosing those nearest it. A review moved later
    stays within its due date if enough can; otherwise the nearest are moved anyway."""
    earlier = count > 0
    source = [
        m
        for m in movables
        if (m.day > boundary if earlier else m.day <= boundary)
        and abs((m.day - boundary).days) <= 45
        and (any_review or m.continues)
    ]
    source.sort(key=lambda m: abs((m.day - boundary).days))
    moved = 0
    for keep_due in (True, False):
        for movable in source:
            if moved == abs(count):
                return
            if earlier:
                day = on_or_before(calendar, boundary - DAY * rng.randint(0, 6))
            else:
                day = on_or_after(calendar, boundary + DAY * rng.randint(1, 7))
            if (earlier and movable.day <= boundary) or (not earlier and movable.day > boundary):
                continue  # moved already
            if keep_due and not earlier and day > movable.due:
                continue
            reviews = movable.episode.reviews
            neighbours_ok = (movable.index == 0 or reviews[movable.index - 1] < day) and (
                movable.index + 1 >= len(reviews) or day < reviews[movable.index + 1]
            )
            born = movable.episode.born_on
            after_birth = born is None or day > born + DAY
            if neighbours_ok and after_birth and day > movable.episode.started_on:
                reviews[movable.index] = day
                moved += 1
    if moved != abs(count):
        raise TargetsUnmet(f"could move only {moved} of {count} meetings across {boundary}")


def nudge_2014(rng, calendar, episodes: list[Episode], fixed: Episode) -> None:
    """Meetings per 2014-15 quarter for which Table 6's shares come out right, and 195 meetings
    in April and May 2014 so that 900 fall from June to March (5.2.3)."""
    movables = [
        _Movable(e, i, review_due(calendar, e, i, e.born_on))
        for e in episodes
        if e.has_plan
        for i, day in enumerate(e.reviews[: e.end + 1])
        if in_year(day, 2014) and i >= e.lowest_end and not (e is fixed and i == len(e.reviews) - 1)
    ]
    ends = [*QUARTER_ENDS]
    current = [0, 0, 0, 0]
    for day in _meetings_2014(episodes):
        current[sum(day > end for end in ends)] += 1
    wanted = _quarter_totals(current)
    for quarter in range(3):
        days = _meetings_2014(episodes)
        before = sum(day <= ends[quarter] for day in days)
        count = sum(wanted[: quarter + 1]) - before
        _move_across(rng, calendar, movables, ends[quarter], count, any_review=False)
    days = _meetings_2014(episodes)
    count = MEETINGS_APRIL_MAY_2014 - sum(day <= date(2014, 5, 31) for day in days)
    _move_across(rng, calendar, movables, date(2014, 5, 31), count, any_review=True)
