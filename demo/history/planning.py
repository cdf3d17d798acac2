"""Steps 1 to 5 in order: the whole history in memory, the same for the same seed."""

import random

from faker import Faker

from demo.history.arrangements import (
    choose_core_groups,
    choose_postponements,
    choose_receipt,
    choose_slots,
)
from demo.history.children import choose_ages, choose_ethnicity, choose_repeats
from demo.history.decisions import choose_categories, choose_factors
from demo.history.episodes import (
    END_WEIGHTS,
    choose_plans,
    earlier_episodes,
    initial_episodes,
    pick_review_initial,
    review_initial_candidates,
    schedule_reviews,
)
from demo.history.families import households
from demo.history.in_memory import Episode, History
from demo.history.lengths import LengthSearch
from demo.history.meetings import episode_records
from demo.history.month_ends import nudge_2014
from demo.history.sizes import choose_sizes
from demo.history.targets import TargetsUnmet
from rules.working_days import WorkingCalendar

ATTEMPTS = 5  # a few seeds need a second skeleton; the same seed always takes the same path


def _skeleton(rng, calendar) -> tuple[list[Episode], Episode]:
    """Steps 1 and 2: the meetings, plan lengths and family sizes."""
    episodes = initial_episodes(rng, calendar)
    for episode in episodes:
        schedule_reviews(rng, calendar, episode)
    choose_plans(rng, episodes)
    for episode in episodes:
        if episode.has_plan:
            length = rng.choices(range(len(END_WEIGHTS)), END_WEIGHTS)[0]
            episode.end = min(length, len(episode.reviews))
    episodes += earlier_episodes(rng, calendar)
    LengthSearch(rng, episodes).run()
    if not review_initial_candidates(episodes):
        raise TargetsUnmet("no family to hold the Review/Initial meeting")
    newborn_at = pick_review_initial(rng, episodes)
    nudge_2014(rng, calendar, episodes, newborn_at)
    choose_sizes(rng, episodes, newborn_at)
    return episodes, newborn_at


def plan_history(*, seed: int, calendar: WorkingCalendar) -> History:
    """The whole history in memory, the same for the same seed and calendar."""
    rng = random.Random(seed)  # noqa: S311 - seeded invented data, nothing secret
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    for attempt in range(ATTEMPTS):
        try:
            episodes, newborn_at = _skeleton(rng, calendar)
            break
        except TargetsUnmet:
            if attempt == ATTEMPTS - 1:
                raise
    history = History([], episodes, [], [], calendar, rng, fake)
    households(history)
    for episode in sorted(episodes, key=lambda e: e.adjourned_on or e.started_on):
        episode_records(history, episode, newborn_at)
    choose_repeats(history)
    choose_ages(history)
    choose_ethnicity(history)
    choose_categories(history)
    choose_factors(history)
    choose_postponements(history)
    choose_slots(history)
    choose_receipt(history)
    choose_core_groups(history)
    return history
