"""The child protection part of the children in need census, gathered from the records.

One census year ("2014" is 2014-15) covers every child with child protection activity in it: a
plan open at any time in the year, an initial conference held in it, or a section 47 enquiry
started in it. Restricted records are included: the census is a statutory return.

The gathering is separate from the XML so that Convene's own checks (``census_checks``) look at
exactly what would be exported.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from conferences.cases.episode_models import CinEpisode
from conferences.choices import ConferenceStatus, Decision, Stage
from conferences.models import Child, ChildProtectionPlan, ConferenceChild
from conferences.record.models import ChildDecision, RecordStatus
from rules.categories import Decided, initial_category, latest_category
from rules.periods import Period
from rules.plans import previous_plan_count, review_dates

ICPC_STAGES = (Stage.INITIAL, Stage.PRE_BIRTH, Stage.RECONVENED, Stage.RECEIVING_IN)
# An adjourned initial conference is not the initial conference: the re-convened one is.
NOT_AN_ICPC = {Decision.ADJOURNED_INQUORATE}


@dataclass
class CensusPlan:
    plan_id: int
    start: date
    end: date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[date]
    transfer_in: bool


@dataclass
class CensusEpisode:
    episode_id: int | None  # None: activity with no referral recorded
    referral_on: date | None = None
    referral_source: str = ""
    primary_need: str = ""
    closed_on: date | None = None
    closure_reason: str = ""
    transfer_icpc: date | None = None  # CINdetails/DateOfInitialCPC
    assessment: tuple[date, date | None, list[str]] | None = None
    s47: tuple[date | None, date | None, date | None, bool] | None = None
    plans: list[CensusPlan] = field(default_factory=list)
    icpcs: list[date] = field(default_factory=list)


@dataclass
class CensusChild:
    child: Child
    unborn_at_census: bool
    birth: date | None
    death: date | None
    disabilities: list[str]
    episodes: list[CensusEpisode]

    @property
    def sex(self) -> str:
        return "U" if self.unborn_at_census else self.child.sex

    @property
    def ethnicity(self) -> str:
        return self.child.ethnicity or "NOBT"


@dataclass
class _Meeting:
    on: date
    stage: str
    decision: str = ""
    categories: list[str] = field(default_factory=list)
    factors: list[str] = field(default_factory=list)
    finalised: bool = False


def children_with_activity(period: Period):
    """Children with a plan, an initial conference or a section 47 enquiry in the year."""
    start, end = period.start, period.end
    plan_in_year = ChildProtectionPlan.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start), child=OuterRef("pk"), started_on__lte=end
    )
    icpc_in_year = ConferenceChild.objects.filter(
        child=OuterRef("pk"),
        stage__in=ICPC_STAGES,
        conference__status=ConferenceStatus.HELD,
        conference__starts_at__date__range=(start, end),
    )
    # An imported initial conference date counts as the conference would.
    s47_in_year = CinEpisode.objects.filter(
        Q(s47_started_on__range=(start, end)) | Q(imported_icpc_on__range=(start, end)),
        child=OuterRef("pk"),
    )
    return Child.objects.filter(
        Exists(plan_in_year) | Exists(icpc_in_year) | Exists(s47_in_year)
    ).order_by("local_case_id")


# Children read together: a national census (over 100,000 children) is read and written a batch
# at a time, so memory stays flat whatever the size.
BATCH = 2000


def gather(period: Period) -> list[CensusChild]:
    """Everything the census needs, for pages and checks that want every child at once."""
    return list(children_in_batches(period))


def children_in_batches(period: Period, *, size: int = BATCH) -> Iterator[CensusChild]:
    """The census's children in file order, read ``size`` at a time: one query for the ids, then
    a fixed number per batch, whatever the size of the census."""
    ids = list(children_with_activity(period).values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        children = Child.objects.in_bulk(batch)
        plans, episodes, meetings = _by_child(batch)
        for pk in batch:
            yield _census_child(period, children[pk], plans[pk], episodes[pk], meetings[pk])


def _by_child(ids):
    plans, episodes, meetings = defaultdict(list), defaultdict(list), defaultdict(list)
    for plan in ChildProtectionPlan.objects.filter(child_id__in=ids).order_by("started_on"):
        plans[plan.child_id].append(plan)
    for episode in CinEpisode.objects.filter(child_id__in=ids).order_by("referral_on"):
        episodes[episode.child_id].append(episode)
    decisions = {
        (d["place_id"]): d
        for d in ChildDecision.objects.filter(
            place__child_id__in=ids, record__status=RecordStatus.FINALISED
        ).values("place_id", "decision", "categories", "factors")
    }
    places = ConferenceChild.objects.filter(
        child_id__in=ids, conference__status=ConferenceStatus.HELD
    ).values("pk", "child_id", "stage", "conference__starts_at")
    for place in places.order_by("conference__starts_at"):
        decision = decisions.get(place["pk"], {})
        meetings[place["child_id"]].append(
            _Meeting(
                on=timezone.localdate(place["conference__starts_at"]),
                stage=place["stage"],
                decision=decision.get("decision", ""),
                categories=list(decision.get("categories") or []),
                factors=list(decision.get("factors") or []),
                finalised=bool(decision),
            )
        )
    return plans, episodes, meetings


def _census_child(period, child, plans, episodes, meetings) -> CensusChild:
    census_day = period.end
    born = _on_or_before(child.date_of_birth, census_day)
    census_episodes = {episode.pk: _census_episode(period, episode) for episode in episodes}
    orphan = CensusEpisode(episode_id=None)

    def episode_for(day: date) -> CensusEpisode:
        started = [episode for episode in episodes if episode.referral_on <= day]
        return census_episodes[started[-1].pk] if started else orphan

    in_year = [p for p in plans if p.started_on <= census_day and not _ended_before(p, period)]
    for plan in in_year:
        census_plan = _census_plan(period, plan, plans, meetings, child)
        episode = episode_for(plan.started_on)
        episode.plans.append(census_plan)
        if census_plan.transfer_in and period.contains(plan.started_on):
            episode.transfer_icpc = plan.started_on
    for meeting in meetings:
        if meeting.stage in ICPC_STAGES and period.contains(meeting.on):
            if meeting.decision in NOT_AN_ICPC or meeting.stage == Stage.RECEIVING_IN:
                continue
            episode_for(meeting.on).icpcs.append(meeting.on)
    models = {episode.pk: episode for episode in episodes}
    for episode in [*census_episodes.values(), orphan]:
        _complete_s47(period, episode, models.get(episode.episode_id), meetings)
    chosen = [
        episode
        for episode in census_episodes.values()
        if _open_in(period, episode) or episode.plans or episode.icpcs or episode.s47
    ]
    if orphan.plans or orphan.icpcs:
        chosen.append(orphan)
    return CensusChild(
        child=child,
        unborn_at_census=born is None,
        birth=born or child.expected_date_of_birth or child.date_of_birth,
        death=_on_or_before(child.date_of_death, census_day),
        disabilities=list(child.disabilities) or ["NONE"],
        episodes=chosen,
    )


def _on_or_before(day: date | None, limit: date) -> date | None:
    return day if day and day <= limit else None


def _ended_before(plan, period) -> bool:
    return plan.ended_on is not None and plan.ended_on < period.start


def _open_in(period, episode: CensusEpisode) -> bool:
    if episode.referral_on is None or episode.referral_on > period.end:
        return False
    return episode.closed_on is None or episode.closed_on >= period.start


def _census_episode(period, episode: CinEpisode) -> CensusEpisode:
    closed = _on_or_before(episode.closed_on, period.end)
    found = CensusEpisode(
        episode_id=episode.pk,
        referral_on=episode.referral_on,
        referral_source=episode.referral_source,
        primary_need=episode.primary_need,
        closed_on=closed,
        closure_reason=episode.closure_reason if closed else "",
    )
    started, authorised = episode.assessment_started_on, episode.assessment_authorised_on
    if authorised and authorised > period.end:
        authorised = None
    # The census reports an assessment completed in the year, or one still going on.
    if started and started <= period.end and (authorised is None or period.contains(authorised)):
        found.assessment = (started, authorised, list(episode.assessment_factors))
    return found


def _complete_s47(period, found: CensusEpisode, model: CinEpisode | None, meetings) -> None:
    icpc = min(found.icpcs) if found.icpcs else None
    if model is None:
        if icpc:
            found.s47 = (None, None, icpc, False)
        return
    if icpc is None and model.imported_icpc_on and period.contains(model.imported_icpc_on):
        if model.s47_started_on:  # an imported transfer-in has no enquiry
            icpc = model.imported_icpc_on
        elif found.transfer_icpc is None:
            found.transfer_icpc = model.imported_icpc_on
    started = model.s47_started_on
    if icpc or (started and period.contains(started)):
        found.s47 = (started, model.icpc_target_on, icpc, model.icpc_not_required)
    if found.assessment and not found.assessment[2] and found.assessment[1]:
        # Factors recorded at the initial conference stand for the assessment's, when the
        # assessment itself lists none.
        factors = sorted(
            {f for m in meetings if m.on == icpc and m.stage in ICPC_STAGES for f in m.factors}
        )
        found.assessment = (found.assessment[0], found.assessment[1], factors)


def _census_plan(period, plan, plans, meetings, child) -> CensusPlan:
    # Plans in the census start on or before its last day.
    starting = [
        m for m in meetings if m.finalised and m.on == plan.started_on and m.stage in ICPC_STAGES
    ]
    decided = [
        Decided(m.on, m.stage, tuple(m.categories), m.decision) for m in meetings if m.finalised
    ]
    return CensusPlan(
        plan_id=plan.pk,
        start=plan.started_on,
        end=_on_or_before(plan.ended_on, period.end),
        initial_category=initial_category(plan, decided),
        latest_category=latest_category(plan, decided, on=period.end),
        previous_plans=previous_plan_count(plan, child=child, plans=plans),
        reviews=[day for day in review_dates(plan, decided, on=period.end) if period.contains(day)],
        transfer_in=any(m.stage == Stage.RECEIVING_IN for m in starting),
    )
