"""Step 3, the children: repeat plans, dates of birth and ethnicity."""

from collections import Counter, defaultdict
from datetime import date

from demo.history.in_memory import History, Kid, PlanSpan
from demo.history.targets import (
    AGES_AT_END,
    DAY,
    ETHNICITY,
    HISTORY_END,
    QUARTER_ENDS,
    REPEAT_SHARE,
    TargetsUnmet,
    in_year,
)
from rules.periods import financial_year_of


def on_plan_at(kid: Kid, day: date) -> PlanSpan | None:
    return next(
        (s for s in kid.plans if s.started_on <= day and (s.ended_on is None or day < s.ended_on)),
        None,
    )


def _all_kids(history: History) -> list[Kid]:
    return [kid for household in history.households for kid in household.kids]


def choose_repeats(history: History) -> None:
    """Repeat plans, % of children whose plan started in 2013-14 and 2014-15 (plans-started-
    ended, repeat_share): children with an earlier plan in the records or transferred in count
    already; children with a plan before the records make up the rest."""
    rng = history.rng
    started = defaultdict(set)
    for span in history.plans:
        started[financial_year_of(span.started_on)].add(span.kid)
    for year, share in REPEAT_SHARE.items():
        kids = started[year]
        wanted = min(range(len(kids) + 1), key=lambda n: abs(round(100 * n / len(kids), 1) - share))
        repeats = {kid for kid in kids if kid.elsewhere or _has_earlier_plan(kid, year)}
        others = set().union(*(started[y] for y in REPEAT_SHARE if y != year))
        free = sorted((kids - repeats) - others, key=lambda kid: kid.key)
        rng.shuffle(free)
        if len(repeats) > wanted or len(free) < wanted - len(repeats):
            raise TargetsUnmet(f"{len(repeats)} repeat plans already in {year}, {wanted} wanted")
        for kid in free[: wanted - len(repeats)]:
            kid.elsewhere = rng.choice((1, 1, 1, 2))


def _has_earlier_plan(kid: Kid, year: int) -> bool:
    starts = [span.started_on for span in kid.plans]
    return any(in_year(day, year) and any(other < day for other in starts) for day in starts)


AGE_BANDS = {"0-4": (0, 4), "5-9": (5, 9), "10-15": (10, 15), "16+": (16, 17)}
AGE_AT_FIRST_CONFERENCE = {0: 14, 1: 7, 2: 7, 3: 6, 4: 6, 5: 6, 6: 6, 7: 5, 8: 5, 9: 5}
AGE_AT_FIRST_CONFERENCE |= dict.fromkeys(range(10, 16), 4) | {16: 2, 17: 1}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def kid_span(kid: Kid) -> tuple[date, date]:
    """The first day the child is known (a conference or a plan start) and the last day they are
    at a meeting or on a plan."""
    days = [place.meeting.held_on for place in kid.places] + [s.started_on for s in kid.plans]
    last = [s.ended_on or HISTORY_END for s in kid.plans] + [max(days)]
    return min(days), max(last)


def choose_ages(history: History) -> None:
    """Dates of birth. The children on plans on 31 March 2015 are given ages in the report's
    bands (age figure: 0-4 is 43%, 0-9 70%); everyone else an age at their first conference
    like the national one. Nobody is 18 while on a plan or born after their first conference
    (babies at pre-birth conferences keep the birth planned for them)."""
    rng = history.rng
    on_plan_at_end = [kid for kid in _all_kids(history) if on_plan_at(kid, HISTORY_END)]
    fixed = [kid for kid in on_plan_at_end if kid.born_on]
    free = sorted((kid for kid in on_plan_at_end if not kid.born_on), key=lambda kid: kid.key)
    rng.shuffle(free)
    wanted = {**AGES_AT_END, "0-4": AGES_AT_END["0-4"] - len(fixed)}
    wanted["10-15"] = len(free) - sum(wanted.values())
    for band in ("0-4", "16+", "5-9", "10-15"):
        low, high = AGE_BANDS[band]
        earliest = _years_before(HISTORY_END, high + 1) + DAY
        for _ in range(wanted[band]):
            kid = next(k for k in free if kid_span(k)[0] - DAY * 7 >= earliest)
            free.remove(kid)
            latest = min(_years_before(HISTORY_END, low), kid_span(kid)[0] - DAY * 7)
            kid.born_on = earliest + DAY * rng.randint(0, (latest - earliest).days)
    for kid in _all_kids(history):
        if kid.born_on is None:
            first_seen, last = kid_span(kid)
            ages = list(AGE_AT_FIRST_CONFERENCE)
            age = rng.choices(ages, AGE_AT_FIRST_CONFERENCE.values())[0]
            born = _years_before(first_seen, age) - DAY * rng.randint(7, 360)
            oldest = _years_before(last, 18) + DAY * rng.randint(1, 200)
            kid.born_on = max(born, oldest)


def _quarter_pattern(kid: Kid) -> tuple[bool, ...]:
    return tuple(on_plan_at(kid, day) is not None for day in QUARTER_ENDS)


def _decompose(needed: tuple, patterns: list[tuple], spare: Counter, failed: set):
    """Patterns (with repeats, within ``spare``) whose sum is ``needed``, or None."""
    if not any(needed):
        return []
    if needed in failed:
        return None
    for pattern in patterns:
        if spare[pattern] and all(n >= b for n, b in zip(needed, pattern, strict=True)):
            spare[pattern] -= 1
            rest = tuple(n - b for n, b in zip(needed, pattern, strict=True))
            found = _decompose(rest, patterns, spare, failed)
            spare[pattern] += 1
            if found is not None:
                return [pattern, *found]
    failed.add(needed)
    return None


def choose_ethnicity(history: History) -> None:
    """Ethnicity (Table 5, by quarter end). A child's code does not change, so each group other
    than White takes children whose time on plans across the four quarter ends adds up to what
    the group needs (a small search over those patterns, longest first, brothers and sisters
    together where they fit); White takes the rest. Children not on a plan at any 2014-15
    quarter end get a code like the county's."""
    rng = history.rng
    family_codes = {}

    def code(kid: Kid, codes: dict) -> str:  # brothers and sisters share a code in a group
        key = (kid.household, tuple(codes))
        if key not in family_codes:
            family_codes[key] = rng.choices(list(codes), codes.values())[0]
        return family_codes[key]

    pools = defaultdict(list)
    for kid in sorted(_all_kids(history), key=lambda kid: (kid.household.key, kid.key)):
        pools[_quarter_pattern(kid)].append(kid)
    patterns = sorted((p for p in pools if any(p)), key=lambda p: (-sum(p), p))
    groups = [g for g in ETHNICITY if g != "White"]
    for group in sorted(groups, key=lambda g: ETHNICITY[g][0][0]):  # late arrivals first
        counts, codes = ETHNICITY[group]
        spare = Counter({p: len(pools[p]) for p in patterns})
        chosen = _decompose(counts, patterns, spare, set())
        if chosen is None:
            raise TargetsUnmet(f"no children left to make {group} {counts}")
        for pattern in chosen:
            kid = pools[pattern].pop(0)
            kid.ethnicity = code(kid, codes)
    white = ETHNICITY["White"][1]
    everyone = {code: weight for _, codes in ETHNICITY.values() for code, weight in codes.items()}
    everyone["WBRI"] *= 20
    for pattern, kids in pools.items():
        for kid in kids:
            kid.ethnicity = code(kid, white if any(pattern) else everyone)
