"""Step 1, the skeleton: initial meetings per year and type, their reviews, and which make plans."""

from collections import defaultdict
from datetime import date

from demo.history.in_memory import Episode
from demo.history.targets import (
    DAY,
    FIRST_REVIEWS,
    HISTORY_END,
    HISTORY_START,
    INITIAL_MEETINGS,
    TargetsUnmet,
)
from rules import timescales
from rules.periods import financial_year_of
from rules.working_days import WorkingCalendar

# Initial conferences by month, April first: steady, fewer in August and December, busier in the
# last quarter of 2013-14 and the middle quarters of 2014-15 (5.1.3).
MONTH_WEIGHTS = {
    **dict.fromkeys((2008, 2009, 2010), (10,) * 12),
    2011: (10, 10, 10, 10, 8, 10, 10, 10, 8, 10, 10, 10),
    2012: (10, 10, 10, 10, 8, 10, 10, 10, 8, 10, 10, 10),
    2013: (10, 10, 10, 10, 8, 10, 10, 10, 8, 12, 12, 12),
    2014: (10, 10, 10, 11, 10, 11, 12, 11, 9, 9, 9, 9),
}
# How many subsequent reviews a plan has before the one that ends it (0: it ends at the first
# review), before the lengths are tuned to the report's review counts.
END_WEIGHTS = (27, 33, 20, 11, 5, 3, 1)
EARLIER_PLANS_A_YEAR = 340  # plans a year before the records, to fill April 2011's caseload


def on_or_before(calendar: WorkingCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day -= DAY
    return day


def on_or_after(calendar: WorkingCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day += DAY
    return day


def working_days_by_month(calendar: WorkingCalendar, year: int) -> list[list[date]]:
    months = []
    for offset in range(12):
        month, calendar_year = (offset + 3) % 12 + 1, year + (offset + 3) // 12
        first = date(calendar_year, month, 1)
        days = [first + DAY * n for n in range(31) if (first + DAY * n).month == month]
        months.append([day for day in days if calendar.is_working_day(day)])
    return months


def _sample_days(rng, calendar, year: int, count: int, last_month: int = 12) -> list[date]:
    months = working_days_by_month(calendar, year)[:last_month]
    weights = MONTH_WEIGHTS[year][:last_month]
    return sorted(rng.choice(months[m]) for m in rng.choices(range(len(months)), weights, k=count))


def _held_by(rng, calendar, due: date, after: date) -> date:
    """When a review due on ``due`` was held: mostly a few days early, sometimes a little late."""
    if rng.random() < 0.06:
        day = on_or_after(calendar, due + DAY * rng.randint(1, 12))
    else:
        day = due - DAY * rng.randint(0, 20)
        # A weekend or holiday moves either way (not past the due date), so that Fridays and
        # the days before bank holidays do not fill up.
        later = on_or_after(calendar, day)
        day = later if later <= due and rng.random() < 0.5 else on_or_before(calendar, day)
    return day if day > after else on_or_after(calendar, after + DAY)


def review_due(calendar, episode: Episode, index: int, born_on: date | None = None) -> date:
    """When review ``index`` is due: the first three months after the plan started (or 10
    working days after a pre-birth baby's birth, if sooner), later ones six months after the
    review before."""
    if index:
        return timescales.review_due(episode.reviews[index - 1])
    if born_on:
        return timescales.pre_birth_first_review_due(episode.started_on, born_on, calendar)
    return timescales.first_review_due(episode.started_on)


def schedule_reviews(rng, calendar, episode: Episode) -> None:
    """Reviews on time mostly, up to 31 March 2015 (a pre-birth baby's first after the birth)."""
    after = episode.started_on + DAY * 20
    if episode.born_on:
        after = max(episode.started_on + DAY * 7, episode.born_on + DAY * 2)
    day = _held_by(rng, calendar, review_due(calendar, episode, 0, episode.born_on), after)
    while day <= HISTORY_END:
        episode.reviews.append(day)
        due = review_due(calendar, episode, len(episode.reviews))
        day = _held_by(rng, calendar, due, day + DAY * 120)


def _birth_after(rng, conference_on: date) -> date:
    """A pre-birth conference is held some weeks before the birth. Babies are born by 31 March
    2015 unless their conference was in its last ten days, so that few of the children on plans
    then are unborn (they count in 0-4 for the ages figure)."""
    born = conference_on + DAY * rng.randint(20, 84)
    if born > HISTORY_END and conference_on <= HISTORY_END - DAY * 10:
        born = conference_on + DAY * rng.randint(7, (HISTORY_END - conference_on).days)
    return born


def _new_episode(rng, calendar, kind: str, day: date) -> Episode:
    if kind == "reconvened":
        # Adjourned as inquorate, re-convened within 10 working days.
        reconvened = calendar.add_working_days(day, rng.choice((9, 10, 10)))
        episode = Episode(kind=kind, started_on=reconvened, adjourned_on=day)
    else:
        episode = Episode(kind=kind, started_on=day)
    if kind in ("pre_birth", "initial_pre_birth"):
        episode.born_on = _birth_after(rng, day)
    return episode


def initial_episodes(rng, calendar) -> list[Episode]:
    """Every initial-type meeting of the four years, exactly as many per year and type as the
    report counts (meetings-by-type, initial rows)."""
    episodes = []
    for year, counts in INITIAL_MEETINGS.items():
        reconvened = counts.get("reconvened", 0)
        for kind, count in counts.items():
            if kind == "initial":
                count -= reconvened  # each re-convened meeting follows an adjourned initial
            last_month = 11 if kind == "reconvened" else 12  # both meetings in the same year
            for day in _sample_days(rng, calendar, year, count, last_month):
                episodes.append(_new_episode(rng, calendar, kind, day))
    return episodes


def earlier_episodes(rng, calendar) -> list[Episode]:
    """Plans that began before April 2011 and were still open then: their reviews from April
    2011 are in the records (their earlier meetings predate them and are not written).
    Simulated from April 2008 at a steady rate, keeping the survivors."""
    episodes = []
    for year in (2008, 2009, 2010):
        for day in _sample_days(rng, calendar, year, EARLIER_PLANS_A_YEAR):
            episode = Episode(kind="before", started_on=day)
            schedule_reviews(rng, calendar, episode)
            episode.end = rng.choices(range(len(END_WEIGHTS)), END_WEIGHTS)[0]
            episode.end = min(episode.end, len(episode.reviews))
            ended = episode.ended_on
            if ended is None or ended >= HISTORY_START:
                episode.lowest_end = next(
                    i for i, day in enumerate(episode.reviews) if day >= HISTORY_START
                )
                episodes.append(episode)
    return episodes


def choose_plans(rng, episodes: list[Episode]) -> None:
    """Which initial conferences make a plan. Every plan has a first review about three months
    later, so for 2012-13 to 2014-15 exactly FIRST_REVIEWS[year] of the initial conferences
    whose first review would fall in that year make one (first_review rows); the others end as
    child in need or no further action."""
    by_year = defaultdict(list)
    for episode in episodes:
        if episode.kind != "before" and episode.reviews:
            by_year[financial_year_of(episode.reviews[0])].append(episode)
    for year, candidates in by_year.items():
        if year not in FIRST_REVIEWS:
            for episode in candidates:
                episode.has_plan = episode.kind != "initial" or rng.random() < 0.88
            continue
        sure = [episode for episode in candidates if episode.kind != "initial"]
        maybe = [episode for episode in candidates if episode.kind == "initial"]
        wanted = FIRST_REVIEWS[year] - len(sure)
        if not 0 <= wanted <= len(maybe):
            raise TargetsUnmet(f"{len(candidates)} initial meetings cannot give the first reviews")
        rng.shuffle(maybe)
        for position, episode in enumerate(maybe):
            episode.has_plan = position < wanted
    for episode in episodes:
        if not episode.reviews and episode.kind == "initial":
            episode.has_plan = rng.random() < 0.88  # first review after March 2015
        if not episode.has_plan:
            episode.reviews = []


def meetings_in(episode: Episode) -> list[date]:
    """The review dates that are meetings in the records (first review included)."""
    return [day for day in episode.reviews[: episode.end + 1] if day >= HISTORY_START]


def pick_review_initial(rng, episodes: list[Episode]) -> Episode:
    """The one Review/Initial meeting of 2014-15: the last review before April 2015 (from
    October, so the next is not due until after March) of a family whose plan goes on, at which
    a newborn sibling has an initial conference."""
    return rng.choice(review_initial_candidates(episodes))


def review_initial_candidates(episodes: list[Episode]) -> list[Episode]:
    return [
        e
        for e in episodes
        if e.has_plan
        and e.kind in ("initial", "before", "receiving_in", "reconvened")
        and e.end == len(e.reviews) >= 2
        and e.reviews[-1] >= date(2014, 10, 1)
    ]
