"""Step 3, households: a family for each episode, and the families who come back for more."""

from datetime import date

from conferences.choices import Sex
from demo.history.in_memory import Episode, History, Household, Kid
from demo.history.targets import DAY, HISTORY_START, TargetsUnmet, in_year
from rules.periods import financial_year_of

LOCALITY_WEIGHTS = {"Hinckley": 35, "Loughborough": 40, "Melton": 25}
SOCIAL_WORKERS_A_LOCALITY = 6
# Families coming back for another plan in the records (repeat plans), by the year the later plan
# starts; children transferred in had a plan elsewhere, and the rest of each year's repeat share
# is made of children with earlier plans before the records or in another authority.
RETURNING_FAMILIES = {2012: 10, 2013: 8, 2014: 18}
DEMO_FAMILY_NAMES = {"Fenwick", "Okafor", "Quill"}  # demo.conferences looks for these


def surname(fake) -> str:
    while (name := fake.last_name()) in DEMO_FAMILY_NAMES:
        pass
    return name


def new_kid(history: History, household: Household, born_on: date | None = None) -> Kid:
    rng, fake = history.rng, history.fake
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    first = fake.first_name_male() if sex == Sex.MALE else fake.first_name_female()
    key = next(history.kid_keys)
    kid = Kid(household=household, key=key, sex=sex, first_name=first, born_on=born_on)
    if born_on:
        kid.expected_on = born_on + DAY * rng.randint(-10, 10)
    household.kids.append(kid)
    return kid


def households(history: History) -> None:
    """A household for each episode, with its children; some families come back later for
    another plan with the same children (and any born since)."""
    rng, fake = history.rng, history.fake
    returning = _returning_pairs(rng, history.episodes)
    household_keys = iter(range(1, 100_000))
    for episode in sorted(history.episodes, key=lambda e: e.started_on):
        earlier = returning.get(episode)
        if earlier:
            household = episode.household = earlier.household
            kept = earlier.kids[: episode.size]
        else:
            household = episode.household = Household(
                key=next(household_keys),
                name=surname(fake),
                locality=rng.choices(list(LOCALITY_WEIGHTS), LOCALITY_WEIGHTS.values())[0],
                social_worker=rng.randrange(SOCIAL_WORKERS_A_LOCALITY),
                has_domestic_abuse=rng.random() < 0.6,
            )
            history.households.append(household)
            kept = []
        episode.kids = kept
        unborn = 1 if episode.kind in ("pre_birth", "initial_pre_birth") else 0
        if episode.kind == "pre_birth" and not episode.has_plan:
            episode.size = 1
        count = episode.size if episode.has_plan else rng.choices((1, 2, 3), (55, 30, 15))[0]
        while len(episode.kids) < count - unborn:
            episode.kids.append(new_kid(history, household))
        if unborn:
            episode.kids.append(new_kid(history, household, born_on=episode.born_on))
        if episode.has_plan and episode.kind in ("initial", "reconvened") and rng.random() < 0.1:
            # A brother or sister at the conference who is not made subject to a plan.
            episode.kids.append(new_kid(history, household))


def _returning_pairs(rng, episodes: list[Episode]) -> dict[Episode, Episode]:
    """Later initial conferences for families whose earlier plan (in the records) had ended at
    least four months before: their children's new plans are repeat plans."""
    pairs = {}
    ended = [
        e
        for e in episodes
        if e.has_plan and e.ended_on and e.started_on >= HISTORY_START and e.kind != "pre_birth"
    ]
    rng.shuffle(ended)
    taken = set()
    for year, count in RETURNING_FAMILIES.items():
        later = [
            e
            for e in episodes
            if e.has_plan and e.kind == "initial" and in_year(e.started_on, year)
        ]
        rng.shuffle(later)
        for episode in later[:count]:
            earlier = next(
                (
                    e
                    for e in ended
                    if e not in taken
                    and e.ended_on + DAY * 120 <= episode.started_on
                    and not _both_end_at_first_review_in_a_year(e, episode)
                ),
                None,
            )
            if earlier is None:
                raise TargetsUnmet(f"no earlier plan to repeat in {year}")
            taken.add(earlier)
            pairs[episode] = earlier
    return pairs


def _both_end_at_first_review_in_a_year(earlier: Episode, later: Episode) -> bool:
    """The figure counts a child once a year: two such plans would count as one."""
    ends = [e.reviews[0] for e in (earlier, later) if e.end == 0 and e.reviews]
    return len(ends) == 2 and financial_year_of(ends[0]) == financial_year_of(ends[1])
