"""Step 4, the decisions: categories of abuse and significant factors."""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from conferences.choices import Decision, Stage
from demo.history.in_memory import History, Place, PlanSpan
from demo.history.targets import (
    CATEGORIES,
    DAY,
    DOMESTIC_ABUSE,
    HISTORY_START,
    QUARTER_ENDS,
    TargetsUnmet,
    in_year,
)

MULTIPLE = {
    ("NEG", "EMO"): 55,
    ("NEG", "PHY"): 12,
    ("PHY", "EMO"): 12,
    ("NEG", "PHY", "EMO"): 10,
    ("SAB", "EMO"): 6,
    ("NEG", "SAB"): 5,
}
EARLIER_CATEGORIES = {"MUL": 57, "NEG": 18, "EMO": 15, "PHY": 6, "SAB": 4}  # 2013-14 (5.1.5)


def _code(categories: list[str]) -> str:
    return "MUL" if len(categories) > 1 else categories[0]


def _categories(rng, code: str, previous: list[str] | None) -> list[str]:
    if code != "MUL":
        return [code]
    if previous and len(previous) > 1:
        return list(previous)
    return list(rng.choices(list(MULTIPLE), MULTIPLE.values())[0])


@dataclass(eq=False)
class _Event:
    """A decision that sets a plan's categories: its start, or a review where it goes on."""

    span: PlanSpan
    day: date
    place: Place | None
    categories: list[str] = field(default_factory=list)


def _category_events(history: History) -> dict[PlanSpan, list[_Event]]:
    events = defaultdict(list)
    for span in history.plans:
        if span.started_on < HISTORY_START:
            events[span].append(_Event(span, span.started_on, None))
    for meeting in history.meetings:
        for place in meeting.places:
            if place.decision in (Decision.PLAN, Decision.PLAN_CONTINUES):
                events[place.plan].append(_Event(place.plan, meeting.held_on, place))
    for timeline in events.values():
        timeline.sort(key=lambda event: event.day)
    return events


def choose_categories(history: History) -> None:
    """Categories of abuse (Table 3). A plan's category on a day is the one its latest decision
    on or before that day set, so at each 2014-15 quarter end the children whose latest decision
    fell in that quarter are free to take what the quarter still needs once the others (decided
    earlier) are counted; they keep their previous category where it is still needed."""
    rng = history.rng
    timelines = _category_events(history)
    previous = {}  # event -> the event before it on the same plan
    for timeline in timelines.values():
        for before, after in itertools.pairwise(timeline):
            previous[after] = before
    events = sorted(
        (e for t in timelines.values() for e in t), key=lambda e: (e.day, e.span.kid.key)
    )
    start = date(2014, 4, 1)
    for event in events:
        if event.day < start:
            _keep_or_draw(rng, event, previous.get(event), EARLIER_CATEGORIES)
    for quarter, end in enumerate(QUARTER_ENDS):
        latest = {}
        for span, timeline in timelines.items():
            if span.started_on <= end and (span.ended_on is None or end < span.ended_on):
                latest[span] = [e for e in timeline if e.day <= end][-1]
        counts = Counter(_code(e.categories) for e in latest.values() if e.categories)
        needed = {code: CATEGORIES[code][quarter] - counts[code] for code in CATEGORIES}
        if any(n < 0 for n in needed.values()):
            raise TargetsUnmet(f"too many earlier categories at {end}: {needed}")
        chosen = set(latest.values())
        in_quarter = [e for e in events if start <= e.day <= end and not e.categories]
        for event in in_quarter:
            if event not in chosen:
                _keep_or_draw(rng, event, previous.get(event), EARLIER_CATEGORIES)
        siblings = {}  # a new plan's code, shared by brothers and sisters where still needed
        for event in sorted(
            (e for e in in_quarter if e in chosen),
            key=lambda e: (e.span.kid.household.key, e.span.kid.key),
        ):
            before = previous.get(event)
            together = (event.span.kid.household, event.day)
            code = _code(before.categories) if before else siblings.get(together)
            if code is None or needed[code] <= 0:
                code = max(needed, key=lambda c: (needed[c], rng.random()))
            needed[code] -= 1
            siblings.setdefault(together, code)
            event.categories = _categories(rng, code, before.categories if before else None)
        start = end + DAY
    for event in events:
        if event.place:
            event.place.categories = event.categories
        if previous.get(event) is None:
            event.span.categories = event.categories


def _keep_or_draw(rng, event: _Event, before: _Event | None, weights: dict) -> None:
    if before and rng.random() < 0.7:
        event.categories = list(before.categories)
    else:
        code = rng.choices(list(weights), weights.values())[0]
        event.categories = _categories(rng, code, before.categories if before else None)


STAGE_GROUPS = {
    Stage.INITIAL: "initial",
    Stage.PRE_BIRTH: "initial",
    Stage.RECONVENED: "initial",
    Stage.RECEIVING_IN: "receiving_in",
    Stage.FIRST_REVIEW: "review",
    Stage.REVIEW: "review",
}
OTHER_FACTORS = {"4B": 0.4, "1B": 0.2, "2B": 0.2, "5B": 0.05, "6B": 0.04}


def choose_factors(history: History) -> None:
    """Significant factors (Table 4). Each household has its own toxic-trio factors, repeated at
    its meetings. In 2014-15 exactly DOMESTIC_ABUSE[group] children at meetings of each stage
    group have domestic abuse recorded: those of households with it first."""
    rng = history.rng
    household_factors = {}
    for household in history.households:
        codes = [code for code, chance in OTHER_FACTORS.items() if rng.random() < chance]
        abuse = rng.choices(("3B", "3C", "3A"), (80, 15, 5))[0]
        household_factors[household] = (codes, abuse)
    places_2014 = defaultdict(list)
    for meeting in history.meetings:
        for place in meeting.places:
            codes, abuse = household_factors[meeting.household]
            with_abuse = meeting.household.has_domestic_abuse
            if in_year(meeting.held_on, 2014):
                places_2014[STAGE_GROUPS[place.stage]].append(place)
                with_abuse = False  # chosen below
            place.factors = sorted([*codes, abuse] if with_abuse else codes) or ["21"]
    order = {household: rng.random() for household in history.households}
    for group, places in places_2014.items():
        places.sort(
            key=lambda p: (not p.meeting.household.has_domestic_abuse, order[p.meeting.household])
        )
        for place in places[: DOMESTIC_ABUSE[group]]:
            abuse = household_factors[place.meeting.household][1]
            place.factors = sorted({*place.factors, abuse} - {"21"})
