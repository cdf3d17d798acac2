"""Step 2: how many children each plan is for, searched until the children on plans are exact."""

from collections import Counter, defaultdict

from demo.history.in_memory import Episode
from demo.history.targets import ENDED_AT_FIRST_REVIEW, ON_PLAN, TargetsUnmet
from rules.periods import financial_year_of

SIZE_WEIGHTS = {1: 50, 2: 30, 3: 14, 4: 5, 5: 1}
SIZE_BOUNDS = {"pre_birth": (1, 1), "initial_pre_birth": (2, 3), "receiving_in": (1, 3)}


def _size_constraints(episode: Episode) -> list:
    keys = [day for day in ON_PLAN if episode.is_open_at(day)]
    first = episode.reviews[0] if episode.reviews else None
    if episode.end == 0 and first and financial_year_of(first) in ENDED_AT_FIRST_REVIEW:
        keys.append(financial_year_of(first))
    return keys


def choose_sizes(rng, episodes: list[Episode], newborn: Episode) -> None:
    """How many children each plan is for, so that children on plans at each date (ON_PLAN) and
    plans ended at the first review (ENDED_AT_FIRST_REVIEW) are exact. A local search: each step
    adds or removes a child from one family, and keeps the change if the total distance from the
    targets does not grow (sideways steps let two changes trade one count for another)."""
    targets = {**ON_PLAN, **ENDED_AT_FIRST_REVIEW}
    for day in ON_PLAN:
        targets[day] -= day >= newborn.reviews[-1]  # the Review/Initial newborn's plan
    covering, constraints = defaultdict(list), {}
    tallies = Counter()
    plans = [e for e in episodes if e.has_plan]
    for episode in plans:
        low, high = SIZE_BOUNDS.get(episode.kind, (1, 5))
        sizes = [size for size in SIZE_WEIGHTS if low <= size <= high]
        episode.size = rng.choices(sizes, [SIZE_WEIGHTS[s] for s in sizes])[0]
        constraints[episode] = _size_constraints(episode)
        for key in constraints[episode]:
            tallies[key] += episode.size
            if low < high:
                covering[key].append(episode)
    residual = {key: targets[key] - tallies[key] for key in targets}
    for _ in range(500_000):
        wrong = [key for key, value in residual.items() if value]
        if not wrong:
            return
        key = rng.choice(wrong)
        episode = rng.choice(covering[key])
        step = 1 if residual[key] > 0 else -1
        if rng.random() < 0.3:
            step = -step
        low, high = SIZE_BOUNDS.get(episode.kind, (1, 5))
        if not low <= episode.size + step <= high:
            continue
        delta = sum(abs(residual[k] - step) - abs(residual[k]) for k in constraints[episode])
        if delta < 0 or (delta == 0 and rng.random() < 0.5):
            episode.size += step
            for k in constraints[episode]:
                residual[k] -= step
    raise TargetsUnmet(f"family sizes could not meet the targets: {residual}")
