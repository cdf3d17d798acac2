"""Step 1, plan lengths: the search for the review that ends each plan."""

from collections import Counter

from demo.history.episodes import meetings_in
from demo.history.in_memory import Episode
from demo.history.targets import (
    ENDED_AT_FIRST_REVIEW,
    HISTORY_START,
    INITIAL_MEETINGS,
    MEETINGS_2011,
    ON_PLAN,
    SUBSEQUENT_REVIEWS,
    TargetsUnmet,
)
from rules.periods import financial_year_of


def _initial_meeting_count(year: int) -> int:
    return sum(INITIAL_MEETINGS[year].values())


class LengthSearch:
    """Plan lengths (the review that ends each plan) so that the subsequent reviews per year are
    exact (meetings-by-type, review rows; 2011-12 by its total), with about as many families on
    plans at each date as the children there call for (family sizes then make those exact)."""

    FAMILY_SIZE = 1.6  # children per family on a plan, roughly, before sizes are chosen

    def __init__(self, rng, episodes: list[Episode]):
        self.rng = rng
        self.plans = [e for e in episodes if e.has_plan]
        self.variable = [e for e in self.plans if len(e.reviews) > e.lowest_end]
        first_2011 = sum(1 for e in self.plans if e.reviews and _first_in_records(e, 2011))
        self.rev_target = {**SUBSEQUENT_REVIEWS}
        self.rev_target[2011] = MEETINGS_2011 - _initial_meeting_count(2011) - first_2011
        self.family_target = {day: n / self.FAMILY_SIZE for day, n in ON_PLAN.items()}
        self.first_end_target = {y: n / self.FAMILY_SIZE for y, n in ENDED_AT_FIRST_REVIEW.items()}
        self.rev = Counter()
        self.families = Counter()
        self.first_ends = Counter()
        for episode in self.plans:
            for day in meetings_in(episode)[1 if _first_in_records(episode) else 0 :]:
                self.rev[financial_year_of(day)] += 1
            for day in ON_PLAN:
                self.families[day] += episode.is_open_at(day)
            if episode.end == 0 and episode.reviews:
                self.first_ends[financial_year_of(episode.reviews[0])] += 1

    @staticmethod
    def _delta(tallies, targets, changes, weight: int = 1) -> float:
        return weight * sum(
            abs(tallies[key] + change - targets[key]) - abs(tallies[key] - targets[key])
            for key, change in changes.items()
            if key in targets
        )

    def _changes(self, episode: Episode, step: int):
        reviews, end = episode.reviews, episode.end
        rev, families, first_ends = Counter(), Counter(), Counter()
        new_end = end + step
        moved = reviews[max(end, new_end)] if max(end, new_end) < len(reviews) else None
        if moved is not None and moved >= HISTORY_START:
            rev[financial_year_of(moved)] += step
        low, high = reviews[min(end, new_end)], moved
        for day in ON_PLAN:
            if low <= day and (high is None or day < high):
                families[day] += step
        if min(end, new_end) == 0:
            first_ends[financial_year_of(reviews[0])] -= step
        return rev, families, first_ends

    def run(self, steps: int = 300_000, patience: int = 20_000) -> None:
        since_better = 0
        for _ in range(steps):
            if since_better > patience and self._reviews_exact():
                break
            since_better += 1
            episode = self.rng.choice(self.variable)
            step = self.rng.choice((1, -1))
            if not episode.lowest_end <= episode.end + step <= len(episode.reviews):
                continue
            rev, families, first_ends = self._changes(episode, step)
            delta = (
                self._delta(self.rev, self.rev_target, rev, weight=20)
                + self._delta(self.families, self.family_target, families)
                + self._delta(self.first_ends, self.first_end_target, first_ends)
            )
            if delta < 0 or (delta == 0 and self.rng.random() < 0.2):
                since_better = 0 if delta < 0 else since_better
                episode.end += step
                self.rev.update(rev)
                self.families.update(families)
                self.first_ends.update(first_ends)
        if not self._reviews_exact():
            raise TargetsUnmet(f"review counts not met: {dict(self.rev)} {self.rev_target}")

    def _reviews_exact(self) -> bool:
        return all(self.rev[y] == n for y, n in self.rev_target.items())


def _first_in_records(episode: Episode, year: int | None = None) -> bool:
    first = episode.reviews[0] if episode.reviews else None
    in_records = first is not None and first >= HISTORY_START
    return in_records and (year is None or financial_year_of(first) == year)
