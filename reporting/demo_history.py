"""Four years of invented case history, 2011-12 to 2014-15, that the figures read as the
reference report (appendix 3 and sections 5 to 7).

The history is planned in memory first (``plan_history``: pure, and the same for the same seed),
then written with bulk_create in one transaction. Every target is met by construction, in this
order, because each step fixes what the later ones build on:

1. the skeleton: initial meetings per year and type, which of them start plans (first reviews
   per year), how long each plan runs (subsequent reviews per year), and a few meetings moved
   across month ends (May/June 2014 and the 2014-15 quarter ends);
2. family sizes, so that children on plans at each 31 March and 2014-15 quarter end, and plans
   ended at their first review, are exact (if a seed's skeleton cannot be fitted, another is
   drawn from the same random stream, so a seed always gives the same history);
3. the children: repeat plans, ages at 31 March 2015 and ethnicity at each quarter end;
4. the decisions: categories at each quarter end and domestic abuse as a factor;
5. the meetings: chairs, times, venues, postponements, report receipt and core groups;
6. writing the rows (records, decisions and invitations included);
7. the service's other records: complaints, challenges, CUSAB, advocacy and questionnaires.

It is one module, past the house size for one, because it was asked for as one file; the
numbered sections are where it would split into a package.
"""

import hashlib
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

import pghistory
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.models import Role, Team, User
from advocacy.models import Referral, ReferralConference, ReferralStatus
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason, ComplaintStage
from conferences.challenge_models import Challenge, ChallengeLevel, ChallengeReason
from conferences.choices import (
    AgencyKind,
    Attendance,
    AttendanceMode,
    ConferenceStatus,
    Decision,
    PlanEndReason,
    Sex,
    Stage,
)
from conferences.cusab_models import CusabChair, CusabMeeting, WhyIroChaired
from conferences.feedback_models import FeedbackLink, FeedbackResponse, Respondent
from conferences.models import (
    Agency,
    Child,
    ChildDecision,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceRecord,
    CoreGroupMeeting,
    Family,
    Invitation,
    IroDetails,
    Locality,
    PostponementReason,
    Professional,
    Venue,
)
from conferences.record_models import RecordStatus
from conferences.timescales import working_calendar
from conferences.working_days import WorkingCalendar, add_months

from .demo_census import record_census_details
from .periods import financial_year_of

HISTORY_START = date(2011, 4, 1)
HISTORY_END = date(2015, 3, 31)
BATCH = 2000

# --- Targets: the reference report's figures ---------------------------------------------------

# Initial-type meetings per financial year (5.1.2). An inquorate initial that is re-convened
# counts as an initial meeting, and its re-convened meeting as "reconvened". 2011-12 gives only a
# total (5.1.1): its split is invented so that the year adds up to 1,165.
INITIAL_MEETINGS = {
    2011: {"initial": 298, "pre_birth": 55, "receiving_in": 24, "reconvened": 1},
    2012: {"initial": 256, "pre_birth": 57, "receiving_in": 21, "reconvened": 2},
    2013: {"initial": 274, "pre_birth": 64, "receiving_in": 25, "reconvened": 2},
    2014: {"initial": 264, "pre_birth": 76, "receiving_in": 19, "initial_pre_birth": 3},
}
FIRST_REVIEWS = {2012: 284, 2013: 296, 2014: 334}
# 2014-15 has 398 subsequent reviews and one Review/Initial meeting: a review at which a newborn
# sibling has an initial conference. The plan lengths are chosen for 399 reviews, and one of them
# becomes the Review/Initial meeting.
SUBSEQUENT_REVIEWS = {2012: 485, 2013: 370, 2014: 399}
MEETINGS_2011 = 1165
ON_PLAN = {  # children on a plan at the end of the day (5.1.2, Table 3 totals)
    date(2012, 3, 31): 524,
    date(2013, 3, 31): 393,
    date(2014, 3, 31): 446,
    date(2014, 6, 30): 428,
    date(2014, 9, 30): 466,
    date(2014, 12, 31): 421,
    date(2015, 3, 31): 394,
}
QUARTER_ENDS = [date(2014, 6, 30), date(2014, 9, 30), date(2014, 12, 31), date(2015, 3, 31)]
ENDED_AT_FIRST_REVIEW = {2013: 149, 2014: 117}  # children (5.1.4)
REPEAT_SHARE = {2013: 12.6, 2014: 17.2}  # % of children whose plan started in the year
# Table 3, by quarter end. The report's one plan with no category (Q2) is counted as Multiple.
CATEGORIES = {
    "NEG": (67, 58, 78, 81),
    "PHY": (25, 31, 23, 33),
    "EMO": (81, 98, 70, 74),
    "SAB": (15, 16, 21, 22),
    "MUL": (240, 263, 229, 184),
}
# Table 5, by quarter end, with the DfE codes each group is written with (and their weights).
ETHNICITY = {
    "White": ((376, 412, 368, 336), {"WBRI": 90, "WOTH": 6, "WIRI": 2, "WROM": 1, "WIRT": 1}),
    "Asian or Asian British": ((16, 16, 11, 17), {"APKN": 4, "AIND": 4, "ABAN": 1, "AOTH": 1}),
    "Black or Black British": ((7, 5, 5, 4), {"BAFR": 2, "BCRB": 2, "BOTH": 1}),
    "Mixed": ((27, 22, 19, 14), {"MWBC": 4, "MWAS": 2, "MWBA": 2, "MOTH": 2}),
    "Not stated": ((1, 3, 8, 12), {"NOBT": 7, "REFU": 3}),
    "Other ethnic group": ((1, 6, 3, 5), {"OOTH": 4, "CHNE": 1}),
    "Blank": ((0, 2, 7, 6), {"": 1}),
}
# Ages at 31 March 2015 of the children on plans (5.1.7): 0-4 is 43% (an unborn baby counts
# here), 0-9 is 70%.
AGES_AT_END = {"0-4": 169, "5-9": 107, "16+": 13}  # 10-15: the rest of the 394
# Table 6: when families received the social work report, % of 2014-15 meetings each quarter
# (5.2.2); the Q2 and Q3 on-the-day and previous-day shares, and all "not received", are
# invented to continue the trend.
FAMILY_RECEIPT = {
    "earlier": (17.2, 19.7, 24.2, 29.6),
    "on_the_day": (55.6, 51.8, 46.0, 39.3),
    "previous_day": (22.3, 24.5, 26.8, 28.9),
}
MEETINGS_APRIL_MAY_2014 = 195  # so that 900 are held from June 2014 to March 2015 (5.2.3)
CHAIR_RECEIPT_NOT_RECORDED = 259  # of those 900
DOMESTIC_ABUSE = {"initial": 344, "receiving_in": 15, "review": 505}  # 2014-15 (5.1.6)

DAY = timedelta(days=1)


class TargetsUnmet(ValueError):
    """One attempt at the skeleton could not meet a target; the next attempt may."""


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _in_year(day: date | None, year: int) -> bool:
    return day is not None and financial_year_of(day) == year


# --- The plan in memory ------------------------------------------------------------------------


@dataclass(eq=False)
class Kid:
    """A child as planned; ``row`` is the Child once written."""

    household: "Household"
    key: int
    sex: str
    first_name: str
    born_on: date | None = None  # fixed early for babies at a pre-birth conference
    expected_on: date | None = None
    ethnicity: str | None = None
    elsewhere: int = 0  # plans before the records or in another authority
    strategy_on: date | None = None
    transfer_on: date | None = None
    plans: list["PlanSpan"] = field(default_factory=list)
    places: list["Place"] = field(default_factory=list)
    row: Child | None = None


@dataclass(eq=False)
class Household:
    key: int
    name: str
    locality: str
    kids: list[Kid] = field(default_factory=list)
    chair: int | None = None
    social_worker: int = 0
    has_domestic_abuse: bool = False
    row: Family | None = None


@dataclass(eq=False)
class Episode:
    """A family's time in the process, from the initial conference (or, for a plan that began
    before the records, from that earlier start) to the meeting that ends the plan."""

    kind: str  # initial, pre_birth, receiving_in, reconvened, initial_pre_birth, before
    started_on: date  # the conference that made the plan (the re-convened one after adjourning)
    adjourned_on: date | None = None
    born_on: date | None = None  # the unborn baby's birth, for the pre-birth kinds
    has_plan: bool = True
    reviews: list[date] = field(default_factory=list)  # first review, then later reviews
    end: int = 0  # the plan ends at reviews[end]; end == len(reviews): open on 31 March 2015
    lowest_end: int = 0  # a plan from before the records must still be open in April 2011
    size: int = 1  # children made subject to the plan (the first ``size`` of ``kids``)
    household: Household | None = None
    kids: list[Kid] = field(default_factory=list)

    @property
    def ended_on(self) -> date | None:
        return self.reviews[self.end] if self.end < len(self.reviews) else None

    def is_open_at(self, day: date) -> bool:
        ended = self.ended_on
        return self.has_plan and self.started_on <= day and (ended is None or day < ended)


@dataclass(eq=False)
class PlanSpan:
    kid: Kid
    started_on: date
    ended_on: date | None
    end_reason: str = ""
    categories: list[str] = field(default_factory=list)  # set by the first decision event
    core_groups: list[date] = field(default_factory=list)
    row: ChildProtectionPlan | None = None


@dataclass(eq=False)
class Meeting:
    household: Household
    held_on: date
    places: list["Place"] = field(default_factory=list)
    chair: int = 0
    starts_at: time = time(9, 30)
    venue: str = ""
    report_to_family_on: date | None = None
    report_to_family_not_received: bool = False
    report_to_chair_on: date | None = None
    report_to_chair_not_received: bool = False
    inquorate: bool = False
    record: ConferenceRecord | None = None
    postponed_on: date | None = None
    postponed_slot: tuple | None = None  # chair, time and room of the postponed booking
    postponement_reason: str = ""
    row: Conference | None = None

    @property
    def stages(self) -> set[str]:
        return {place.stage for place in self.places}


@dataclass(eq=False)
class Place:
    """A child at a meeting, with the decision the signed-off record holds for them."""

    meeting: Meeting
    kid: Kid
    stage: str
    due_on: date | None
    decision: str
    plan: PlanSpan | None = None
    categories: list[str] = field(default_factory=list)
    factors: list[str] = field(default_factory=list)
    row: ConferenceChild | None = None


@dataclass
class History:
    households: list[Household]
    episodes: list[Episode]
    meetings: list[Meeting]
    plans: list[PlanSpan]
    calendar: WorkingCalendar
    rng: random.Random
    fake: Faker
    kid_keys: Iterator[int] = field(default_factory=lambda: itertools.count(1))


# --- 1. The skeleton: meetings per year and type -----------------------------------------------

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


def _on_or_before(calendar: WorkingCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day -= DAY
    return day


def _on_or_after(calendar: WorkingCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day += DAY
    return day


def _working_days_by_month(calendar: WorkingCalendar, year: int) -> list[list[date]]:
    months = []
    for offset in range(12):
        month, calendar_year = (offset + 3) % 12 + 1, year + (offset + 3) // 12
        first = date(calendar_year, month, 1)
        days = [first + DAY * n for n in range(31) if (first + DAY * n).month == month]
        months.append([day for day in days if calendar.is_working_day(day)])
    return months


def _sample_days(rng, calendar, year: int, count: int, last_month: int = 12) -> list[date]:
    months = _working_days_by_month(calendar, year)[:last_month]
    weights = MONTH_WEIGHTS[year][:last_month]
    return sorted(rng.choice(months[m]) for m in rng.choices(range(len(months)), weights, k=count))


def _held_by(rng, calendar, due: date, after: date) -> date:
    """When a review due on ``due`` was held: mostly a few days early, sometimes a little late."""
    if rng.random() < 0.06:
        day = _on_or_after(calendar, due + DAY * rng.randint(1, 12))
    else:
        day = due - DAY * rng.randint(0, 20)
        # A weekend or holiday moves either way (not past the due date), so that Fridays and
        # the days before bank holidays do not fill up.
        later = _on_or_after(calendar, day)
        day = later if later <= due and rng.random() < 0.5 else _on_or_before(calendar, day)
    return day if day > after else _on_or_after(calendar, after + DAY)


def _review_due(calendar, episode: Episode, index: int, born_on: date | None = None) -> date:
    """When review ``index`` is due: the first three months after the plan started (or 10
    working days after a pre-birth baby's birth, if sooner), later ones six months after the
    review before."""
    if index:
        return add_months(episode.reviews[index - 1], 6)
    due = add_months(episode.started_on, 3)
    if born_on:
        due = min(due, calendar.add_working_days(born_on, 10))
    return due


def _schedule_reviews(rng, calendar, episode: Episode) -> None:
    """Reviews on time mostly, up to 31 March 2015 (a pre-birth baby's first after the birth)."""
    after = episode.started_on + DAY * 20
    if episode.born_on:
        after = max(episode.started_on + DAY * 7, episode.born_on + DAY * 2)
    day = _held_by(rng, calendar, _review_due(calendar, episode, 0, episode.born_on), after)
    while day <= HISTORY_END:
        episode.reviews.append(day)
        due = _review_due(calendar, episode, len(episode.reviews))
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


def _initial_episodes(rng, calendar) -> list[Episode]:
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


def _earlier_episodes(rng, calendar) -> list[Episode]:
    """Plans that began before April 2011 and were still open then: their reviews from April
    2011 are in the records (their earlier meetings predate them and are not written).
    Simulated from April 2008 at a steady rate, keeping the survivors."""
    episodes = []
    for year in (2008, 2009, 2010):
        for day in _sample_days(rng, calendar, year, EARLIER_PLANS_A_YEAR):
            episode = Episode(kind="before", started_on=day)
            _schedule_reviews(rng, calendar, episode)
            episode.end = rng.choices(range(len(END_WEIGHTS)), END_WEIGHTS)[0]
            episode.end = min(episode.end, len(episode.reviews))
            ended = episode.ended_on
            if ended is None or ended >= HISTORY_START:
                episode.lowest_end = next(
                    i for i, day in enumerate(episode.reviews) if day >= HISTORY_START
                )
                episodes.append(episode)
    return episodes


def _choose_plans(rng, episodes: list[Episode]) -> None:
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


def _meetings_in(episode: Episode) -> list[date]:
    """The review dates that are meetings in the records (first review included)."""
    return [day for day in episode.reviews[: episode.end + 1] if day >= HISTORY_START]


def _initial_meeting_count(year: int) -> int:
    return sum(INITIAL_MEETINGS[year].values())


class _LengthSearch:
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
            for day in _meetings_in(episode)[1 if _first_in_records(episode) else 0 :]:
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


def _pick_review_initial(rng, episodes: list[Episode]) -> Episode:
    """The one Review/Initial meeting of 2014-15: the last review before April 2015 (from
    October, so the next is not due until after March) of a family whose plan goes on, at which
    a newborn sibling has an initial conference."""
    return rng.choice(_review_initial_candidates(episodes))


def _review_initial_candidates(episodes: list[Episode]) -> list[Episode]:
    return [
        e
        for e in episodes
        if e.has_plan
        and e.kind in ("initial", "before", "receiving_in", "reconvened")
        and e.end == len(e.reviews) >= 2
        and e.reviews[-1] >= date(2014, 10, 1)
    ]


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
        if episode.kind != "before" and _in_year(episode.started_on, 2014):
            days.append(episode.started_on)
        if _in_year(episode.adjourned_on, 2014):
            days.append(episode.adjourned_on)
        days += [day for day in _meetings_in(episode) if _in_year(day, 2014)]
    return days


@cache
def _receipt_counts(meetings: int, quarter: int) -> tuple[dict[str, int], tuple[float, ...]]:
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
                misses = [m for q, n in enumerate(totals) for m in _receipt_counts(n, q)[1]]
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
                day = _on_or_before(calendar, boundary - DAY * rng.randint(0, 6))
            else:
                day = _on_or_after(calendar, boundary + DAY * rng.randint(1, 7))
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


def _nudge_2014(rng, calendar, episodes: list[Episode], fixed: Episode) -> None:
    """Meetings per 2014-15 quarter for which Table 6's shares come out right, and 195 meetings
    in April and May 2014 so that 900 fall from June to March (5.2.3)."""
    movables = [
        _Movable(e, i, _review_due(calendar, e, i, e.born_on))
        for e in episodes
        if e.has_plan
        for i, day in enumerate(e.reviews[: e.end + 1])
        if _in_year(day, 2014)
        and i >= e.lowest_end
        and not (e is fixed and i == len(e.reviews) - 1)
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


# --- 2. Family sizes ---------------------------------------------------------------------------

SIZE_WEIGHTS = {1: 50, 2: 30, 3: 14, 4: 5, 5: 1}
SIZE_BOUNDS = {"pre_birth": (1, 1), "initial_pre_birth": (2, 3), "receiving_in": (1, 3)}


def _size_constraints(episode: Episode) -> list:
    keys = [day for day in ON_PLAN if episode.is_open_at(day)]
    first = episode.reviews[0] if episode.reviews else None
    if episode.end == 0 and first and financial_year_of(first) in ENDED_AT_FIRST_REVIEW:
        keys.append(financial_year_of(first))
    return keys


def _choose_sizes(rng, episodes: list[Episode], newborn: Episode) -> None:
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


# --- 3. Households, children, meetings and plans -----------------------------------------------

LOCALITY_WEIGHTS = {"Hinckley": 35, "Loughborough": 40, "Melton": 25}
SOCIAL_WORKERS_A_LOCALITY = 6
# Families coming back for another plan in the records (repeat plans), by the year the later plan
# starts; children transferred in had a plan elsewhere, and the rest of each year's repeat share
# is made of children with earlier plans before the records or in another authority.
RETURNING_FAMILIES = {2012: 10, 2013: 8, 2014: 18}
DEMO_FAMILY_NAMES = {"Fenwick", "Okafor", "Quill"}  # conferences.demo looks for these


def _surname(fake) -> str:
    while (name := fake.last_name()) in DEMO_FAMILY_NAMES:
        pass
    return name


def _new_kid(history: History, household: Household, born_on: date | None = None) -> Kid:
    rng, fake = history.rng, history.fake
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    first = fake.first_name_male() if sex == Sex.MALE else fake.first_name_female()
    key = next(history.kid_keys)
    kid = Kid(household=household, key=key, sex=sex, first_name=first, born_on=born_on)
    if born_on:
        kid.expected_on = born_on + DAY * rng.randint(-10, 10)
    household.kids.append(kid)
    return kid


def _households(history: History) -> None:
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
                name=_surname(fake),
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
            episode.kids.append(_new_kid(history, household))
        if unborn:
            episode.kids.append(_new_kid(history, household, born_on=episode.born_on))
        if episode.has_plan and episode.kind in ("initial", "reconvened") and rng.random() < 0.1:
            # A brother or sister at the conference who is not made subject to a plan.
            episode.kids.append(_new_kid(history, household))


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
            if e.has_plan and e.kind == "initial" and _in_year(e.started_on, year)
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


def _strategy_discussion(rng, calendar, kid: Kid, conference_on: date) -> date:
    """The initial clock: 15 working days from the strategy discussion, mostly met."""
    back = rng.randint(6, 14) if rng.random() < 0.9 else rng.randint(16, 24)
    kid.strategy_on = calendar.add_working_days(conference_on, -back)
    return calendar.add_working_days(kid.strategy_on, 15)


def _transfer_notified(rng, calendar, kid: Kid, conference_on: date) -> date:
    kid.transfer_on = calendar.add_working_days(conference_on, -rng.randint(6, 16))
    kid.elsewhere = max(kid.elsewhere, 1)  # a plan in the authority they came from
    return calendar.add_working_days(kid.transfer_on, 15)


def _place(meeting: Meeting, kid: Kid, stage: str, due: date | None, decision: str, plan=None):
    place = Place(meeting, kid, stage, due, decision, plan=plan)
    meeting.places.append(place)
    kid.places.append(place)
    return place


def _initial_due(history: History, kid: Kid, stage: str, held_on: date, adjourned_on=None):
    rng, calendar = history.rng, history.calendar
    if stage == Stage.RECEIVING_IN:
        return _transfer_notified(rng, calendar, kid, held_on)
    if stage == Stage.RECONVENED:
        return calendar.add_working_days(adjourned_on, 10)
    return _strategy_discussion(rng, calendar, kid, held_on)


def _initial_meetings(history: History, episode: Episode, spans: dict) -> list[Meeting]:
    """The initial conference (and, for a re-convened one, the inquorate meeting before it)."""
    rng = history.rng
    meetings = []
    planned = episode.kids[: episode.size] if episode.has_plan else []
    if episode.adjourned_on:
        adjourned = Meeting(episode.household, episode.adjourned_on, inquorate=True)
        for kid in episode.kids:
            due = _initial_due(history, kid, Stage.INITIAL, adjourned.held_on)
            _place(adjourned, kid, Stage.INITIAL, due, Decision.ADJOURNED_INQUORATE)
        meetings.append(adjourned)
    meeting = Meeting(episode.household, episode.started_on)
    for kid in episode.kids:
        stage = {
            "reconvened": Stage.RECONVENED,
            "receiving_in": Stage.RECEIVING_IN,
            "pre_birth": Stage.PRE_BIRTH,
        }.get(episode.kind, Stage.INITIAL)
        if kid.born_on and kid.born_on > episode.started_on:
            stage = Stage.PRE_BIRTH
        due = _initial_due(history, kid, stage, meeting.held_on, episode.adjourned_on)
        if kid in planned:
            _place(meeting, kid, stage, due, Decision.PLAN, plan=spans[kid])
        else:
            outcome = rng.choice((Decision.CHILD_IN_NEED, Decision.NO_FURTHER_ACTION))
            _place(meeting, kid, stage, due, outcome)
    meetings.append(meeting)
    return meetings


def _review_meetings(history: History, episode: Episode, spans: dict) -> list[Meeting]:
    meetings = []
    kids = episode.kids[: episode.size]
    for index, day in enumerate(episode.reviews[: episode.end + 1]):
        if day < HISTORY_START:
            continue
        meeting = Meeting(episode.household, day)
        stage = Stage.FIRST_REVIEW if index == 0 else Stage.REVIEW
        ends = index == episode.end
        for kid in kids:
            decision = Decision.PLAN_ENDS if ends else Decision.PLAN_CONTINUES
            baby = kid.born_on if kid.born_on == episode.born_on else None
            due = _review_due(history.calendar, episode, index, baby)
            _place(meeting, kid, stage, due, decision, plan=spans[kid])
        meetings.append(meeting)
    return meetings


def _episode_records(history: History, episode: Episode, newborn_at: Episode) -> None:
    """The plans and meetings of one episode."""
    rng = history.rng
    spans = {}
    if episode.has_plan:
        reason = rng.choices(
            (PlanEndReason.NO_LONGER_AT_RISK, PlanEndReason.LOOKED_AFTER), (88, 12)
        )[0]
        for kid in episode.kids[: episode.size]:
            span = PlanSpan(kid, episode.started_on, episode.ended_on)
            span.end_reason = reason if span.ended_on else ""
            spans[kid] = span
            kid.plans.append(span)
            history.plans.append(span)
    meetings = []
    if episode.kind != "before":
        meetings += _initial_meetings(history, episode, spans)
    meetings += _review_meetings(history, episode, spans)
    if episode is newborn_at:
        _add_newborn(history, meetings[-1])
    history.meetings += meetings


def _add_newborn(history: History, meeting: Meeting) -> None:
    """The Review/Initial meeting: a baby born a few weeks before has an initial conference at
    the family's review and is made subject to a plan there."""
    rng, household = history.rng, meeting.household
    born = meeting.held_on - DAY * rng.randint(12, 40)
    kid = _new_kid(history, household, born_on=born)
    span = PlanSpan(kid, meeting.held_on, None)
    kid.plans.append(span)
    history.plans.append(span)
    due = _strategy_discussion(rng, history.calendar, kid, meeting.held_on)
    _place(meeting, kid, Stage.INITIAL, due, Decision.PLAN, plan=span)


def _on_plan_at(kid: Kid, day: date) -> PlanSpan | None:
    return next(
        (s for s in kid.plans if s.started_on <= day and (s.ended_on is None or day < s.ended_on)),
        None,
    )


def _all_kids(history: History) -> list[Kid]:
    return [kid for household in history.households for kid in household.kids]


def _choose_repeats(history: History) -> None:
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
    return any(_in_year(day, year) and any(other < day for other in starts) for day in starts)


AGE_BANDS = {"0-4": (0, 4), "5-9": (5, 9), "10-15": (10, 15), "16+": (16, 17)}
AGE_AT_FIRST_CONFERENCE = {0: 14, 1: 7, 2: 7, 3: 6, 4: 6, 5: 6, 6: 6, 7: 5, 8: 5, 9: 5}
AGE_AT_FIRST_CONFERENCE |= dict.fromkeys(range(10, 16), 4) | {16: 2, 17: 1}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _kid_span(kid: Kid) -> tuple[date, date]:
    """The first day the child is known (a conference or a plan start) and the last day they are
    at a meeting or on a plan."""
    days = [place.meeting.held_on for place in kid.places] + [s.started_on for s in kid.plans]
    last = [s.ended_on or HISTORY_END for s in kid.plans] + [max(days)]
    return min(days), max(last)


def _choose_ages(history: History) -> None:
    """Dates of birth. The children on plans on 31 March 2015 are given ages in the report's
    bands (age figure: 0-4 is 43%, 0-9 70%); everyone else an age at their first conference
    like the national one. Nobody is 18 while on a plan or born after their first conference
    (babies at pre-birth conferences keep the birth planned for them)."""
    rng = history.rng
    on_plan_at_end = [kid for kid in _all_kids(history) if _on_plan_at(kid, HISTORY_END)]
    fixed = [kid for kid in on_plan_at_end if kid.born_on]
    free = sorted((kid for kid in on_plan_at_end if not kid.born_on), key=lambda kid: kid.key)
    rng.shuffle(free)
    wanted = {**AGES_AT_END, "0-4": AGES_AT_END["0-4"] - len(fixed)}
    wanted["10-15"] = len(free) - sum(wanted.values())
    for band in ("0-4", "16+", "5-9", "10-15"):
        low, high = AGE_BANDS[band]
        earliest = _years_before(HISTORY_END, high + 1) + DAY
        for _ in range(wanted[band]):
            kid = next(k for k in free if _kid_span(k)[0] - DAY * 7 >= earliest)
            free.remove(kid)
            latest = min(_years_before(HISTORY_END, low), _kid_span(kid)[0] - DAY * 7)
            kid.born_on = earliest + DAY * rng.randint(0, (latest - earliest).days)
    for kid in _all_kids(history):
        if kid.born_on is None:
            first_seen, last = _kid_span(kid)
            ages = list(AGE_AT_FIRST_CONFERENCE)
            age = rng.choices(ages, AGE_AT_FIRST_CONFERENCE.values())[0]
            born = _years_before(first_seen, age) - DAY * rng.randint(7, 360)
            oldest = _years_before(last, 18) + DAY * rng.randint(1, 200)
            kid.born_on = max(born, oldest)


def _quarter_pattern(kid: Kid) -> tuple[bool, ...]:
    return tuple(_on_plan_at(kid, day) is not None for day in QUARTER_ENDS)


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


def _choose_ethnicity(history: History) -> None:
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


# --- 4. Decisions: categories and factors ------------------------------------------------------

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


def _choose_categories(history: History) -> None:
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


def _choose_factors(history: History) -> None:
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
            if _in_year(meeting.held_on, 2014):
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


# --- 5. The meetings: chairs, times, venues, postponements, reports and records ----------------

# The IRO team (section 4): permanent IROs, one who left in 2013 and one seconded to the CSE and
# missing team in October 2014, and agency IROs taken on as pressure grew.
# (basis, FTE, first day, last day)
ROSTER = [
    ("permanent", "1.00", None, None),
    ("permanent", "1.00", None, None),
    ("permanent", "1.00", None, None),
    ("permanent", "0.80", None, None),
    ("permanent", "1.00", None, None),
    ("permanent", "0.60", None, None),
    ("permanent", "1.00", None, date(2014, 9, 30)),
    ("permanent", "1.00", None, date(2013, 8, 30)),
    ("agency", "1.00", date(2013, 9, 2), None),
    ("agency", "1.00", date(2014, 7, 1), None),
    ("agency", "0.75", date(2014, 10, 1), None),
    ("agency", "1.00", date(2015, 1, 5), None),
]
VENUES = {
    "Hinckley": ("Hinckley Hub, Meeting Room 2", "Hinckley Hub, Meeting Room 3"),
    "Loughborough": ("Loughborough Family Centre, Room 1", "Loughborough Family Centre, Room 2"),
    "Melton": ("Melton Area Office, Conference Room", "Melton Area Office, Room 5"),
    "": ("County Hall, Room 4", "County Hall, Room 6", "County Hall, Room 7"),
}
SLOTS = (time(9, 30), time(14, 0), time(11, 45))  # two hours each; the third on busy days
POSTPONEMENT_REASONS = {
    "Agency non-attendance or not quorate": 40,
    "Interpreter not available": 15,
    "Locality late request or wrong date": 25,
    "Family request": 15,
    "Other": 5,
}
EARLIER_RECEIPT = {"on_the_day": 58, "previous_day": 20, "earlier": 13, "not_received": 6, "": 3}
CHAIR_RECEIPT = {"on_the_day": 30, "previous_day": 30, "earlier": 35, "not_received": 5}


def _active(chair: int, day: date) -> bool:
    _, _, first, last = ROSTER[chair]
    return (first is None or first <= day) and (last is None or day <= last)


def _choose_slots(history: History) -> None:
    """A chair, a time and a room for every meeting on its working day: the family's own IRO
    where possible (continuity), at most two meetings a day each, one meeting a room at a time.
    A postponed booking held its own slot on the day first booked."""
    rng = history.rng
    chair_day, taken = Counter(), set()
    for meeting in sorted(history.meetings, key=lambda m: (m.postponed_on or m.held_on, m.held_on)):
        if meeting.postponed_on:
            meeting.postponed_slot = _book_slot(
                rng, meeting, meeting.postponed_on, chair_day, taken
            )
        meeting.chair, meeting.starts_at, meeting.venue = _book_slot(
            rng, meeting, meeting.held_on, chair_day, taken
        )


def _book_slot(rng, meeting: Meeting, day: date, chair_day: Counter, taken: set):
    household = meeting.household
    if household.chair is None or not _active(household.chair, day):
        active = [c for c in range(len(ROSTER)) if _active(c, day)]
        household.chair = min(active, key=lambda c: (chair_day[c, day], rng.random()))
    others = [c for c in range(len(ROSTER)) if _active(c, day) and c != household.chair]
    chairs = [household.chair, *sorted(others, key=lambda c: (chair_day[c, day], rng.random()))]
    rooms = [*VENUES[household.locality], *VENUES[""]]
    if rng.random() < 0.2:
        rooms.reverse()  # County Hall first
    for most in (2, 3):  # two meetings a day for a chair; three on the busiest days
        for chair in chairs:
            if chair_day[chair, day] >= most:
                continue
            for slot in rng.sample(SLOTS[:2], 2) + list(SLOTS[2:most]):
                room = next((r for r in rooms if (r, day, slot) not in taken), None)
                if room and (chair, day, slot) not in taken:
                    taken.update({(room, day, slot), (chair, day, slot)})
                    chair_day[chair, day] += 1
                    return chair, slot, room
    raise ValueError(f"no chair or room free on {day}")


def _choose_postponements(history: History) -> None:
    """About one meeting in thirty from 2012-13 was first booked for an earlier day and
    postponed (postponements figure), for the reasons the report gives (5.2.4)."""
    rng, calendar = history.rng, history.calendar
    days = defaultdict(set)
    for meeting in history.meetings:
        days[meeting.household].add(meeting.held_on)
    for meeting in history.meetings:
        if meeting.held_on < date(2012, 4, 1) or meeting.inquorate or rng.random() > 0.035:
            continue
        booked = calendar.add_working_days(meeting.held_on, -rng.randint(4, 12))
        earlier = [day for day in days[meeting.household] if day < meeting.held_on]
        if earlier and booked <= max(earlier) + DAY * 7:
            continue
        if any(p.stage != Stage.PRE_BIRTH and p.kid.born_on >= booked for p in meeting.places):
            continue  # a review is not booked before the baby is born
        meeting.postponed_on = booked
        meeting.postponement_reason = rng.choices(
            list(POSTPONEMENT_REASONS), POSTPONEMENT_REASONS.values()
        )[0]


def _receipt_on(rng, calendar, held_on: date, row: str) -> tuple[date | None, bool]:
    if row == "on_the_day":
        return held_on, False
    if row == "previous_day":
        return calendar.previous_working_day(held_on), False
    if row == "earlier":
        return calendar.add_working_days(held_on, -rng.randint(2, 7)), False
    return None, row == "not_received"


def _choose_receipt(history: History) -> None:
    """When the family and the chair received the social work report. 2014-15 family receipt
    meets Table 6 per quarter exactly (the meetings per quarter were chosen for it); the chair's
    receipt is recorded only from June 2014, and of the 900 meetings from then, 259 have none
    (5.2.3)."""
    rng, calendar = history.rng, history.calendar
    quarters = defaultdict(list)
    for meeting in sorted(history.meetings, key=lambda m: (m.held_on, m.household.key)):
        if _in_year(meeting.held_on, 2014):
            quarters[sum(meeting.held_on > end for end in QUARTER_ENDS)].append(meeting)
        else:
            row = rng.choices(list(EARLIER_RECEIPT), EARLIER_RECEIPT.values())[0]
            meeting.report_to_family_on, meeting.report_to_family_not_received = _receipt_on(
                rng, calendar, meeting.held_on, row
            )
    for quarter, meetings in quarters.items():
        counts, _ = _receipt_counts(len(meetings), quarter)
        rows = [row for row, count in counts.items() for _ in range(count)]
        rng.shuffle(rows)
        for meeting, row in zip(meetings, rows, strict=True):
            meeting.report_to_family_on, meeting.report_to_family_not_received = _receipt_on(
                rng, calendar, meeting.held_on, row
            )
    from_june = [m for m in history.meetings if date(2014, 6, 1) <= m.held_on <= HISTORY_END]
    from_june.sort(key=lambda m: (m.held_on, m.household.key))
    unrecorded = set(rng.sample(from_june, CHAIR_RECEIPT_NOT_RECORDED))
    for meeting in from_june:
        if meeting not in unrecorded:
            row = rng.choices(list(CHAIR_RECEIPT), CHAIR_RECEIPT.values())[0]
            meeting.report_to_chair_on, meeting.report_to_chair_not_received = _receipt_on(
                rng, calendar, meeting.held_on, row
            )


def _choose_core_groups(history: History) -> None:
    """Core groups (core-groups figure): the first mostly within 10 working days of the plan
    starting, a few later or not recorded; a second about six weeks on while the plan lasts.
    Brothers and sisters on the same plan meet together."""
    rng, calendar = history.rng, history.calendar
    together = {}
    for span in history.plans:
        if span.started_on < HISTORY_START:
            continue
        key = (span.kid.household, span.started_on)
        if key not in together:
            chance = rng.random()
            if chance < 0.04:
                together[key] = []
                continue
            days = rng.randint(3, 10) if chance < 0.9 else rng.randint(11, 20)
            first = calendar.add_working_days(span.started_on, days)
            together[key] = [first, calendar.add_working_days(first, rng.randint(25, 35))]
        last = min(span.ended_on - DAY if span.ended_on else HISTORY_END, HISTORY_END)
        span.core_groups = [day for day in together[key] if day <= last]


ATTEMPTS = 5  # a few seeds need a second skeleton; the same seed always takes the same path


def _skeleton(rng, calendar) -> tuple[list[Episode], Episode]:
    """Steps 1 and 2: the meetings, plan lengths and family sizes."""
    episodes = _initial_episodes(rng, calendar)
    for episode in episodes:
        _schedule_reviews(rng, calendar, episode)
    _choose_plans(rng, episodes)
    for episode in episodes:
        if episode.has_plan:
            length = rng.choices(range(len(END_WEIGHTS)), END_WEIGHTS)[0]
            episode.end = min(length, len(episode.reviews))
    episodes += _earlier_episodes(rng, calendar)
    _LengthSearch(rng, episodes).run()
    if not _review_initial_candidates(episodes):
        raise TargetsUnmet("no family to hold the Review/Initial meeting")
    newborn_at = _pick_review_initial(rng, episodes)
    _nudge_2014(rng, calendar, episodes, newborn_at)
    _choose_sizes(rng, episodes, newborn_at)
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
    _households(history)
    for episode in sorted(episodes, key=lambda e: e.adjourned_on or e.started_on):
        _episode_records(history, episode, newborn_at)
    _choose_repeats(history)
    _choose_ages(history)
    _choose_ethnicity(history)
    _choose_categories(history)
    _choose_factors(history)
    _choose_postponements(history)
    _choose_slots(history)
    _choose_receipt(history)
    _choose_core_groups(history)
    return history


# --- 6. Writing the rows -----------------------------------------------------------------------

STAFF_DOMAIN = "history.demo.convene.test"
AGENCIES = (
    ("Children's social care", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Constabulary child protection unit", AgencyKind.POLICE),
    ("Health visiting service", AgencyKind.HEALTH_VISITOR),
    ("School nursing service", AgencyKind.SCHOOL_NURSE),
    ("Midwifery service", AgencyKind.MIDWIFE),
    ("Riverside GP surgery", AgencyKind.GP),
    ("Brookside Primary School", AgencyKind.SCHOOL),
    ("Castle Hill Academy", AgencyKind.SCHOOL),
    ("Probation service", AgencyKind.PROBATION),
    ("Adult mental health service", AgencyKind.ADULT_MENTAL_HEALTH),
    ("Substance misuse service", AgencyKind.SUBSTANCE_MISUSE),
    ("Rutland County Council children's services", AgencyKind.OTHER_LOCAL_AUTHORITY),
)
PARTNERS = {  # agency name: (job title, how many)
    "Constabulary child protection unit": ("Child protection officer", 4),
    "Health visiting service": ("Health visitor", 4),
    "School nursing service": ("School nurse", 3),
    "Midwifery service": ("Midwife", 2),
    "Riverside GP surgery": ("GP", 3),
    "Brookside Primary School": ("Designated safeguarding lead", 1),
    "Castle Hill Academy": ("Designated safeguarding lead", 1),
    "Probation service": ("Probation officer", 1),
    "Adult mental health service": ("Community psychiatric nurse", 1),
    "Substance misuse service": ("Recovery worker", 1),
    "Rutland County Council children's services": ("Team manager", 1),
}
MULTIPLE_REASONS = (
    "Neglect and emotional harm are both evidenced and each needs its own part of the plan.",
    "Physical injuries and the emotional impact of the home both need protective action.",
    "The concerns span more than one category; the chair will review this at the next review.",
)


@dataclass
class Rows:
    """The reference rows the history uses: staff, places and partners."""

    iros: list[User]
    clerks: list[User]
    manager: User
    advocate: User
    localities: dict[str, Locality]
    agencies: dict[str, Agency]
    venues: dict[str, Venue]
    social_workers: dict[str, list[Professional]]
    team_managers: dict[str, Professional]
    partners: dict[str, list[Professional]]
    postponement_reasons: dict[str, PostponementReason]


def _staff_user(email: str, full_name: str, role: Role, team: Team | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:  # no usable password: history staff are never signed in as
        user = User.objects.create_user(email=email, full_name=full_name, roles=[role], team=team)
    return user


def _reference_rows(fake: Faker) -> Rows:
    """Staff, localities, agencies, venues and partners: the existing rows where the present-day
    demo made them, new ones otherwise."""
    team = Team.objects.filter(name="IRO service").first()
    iros = []
    for number, (basis, fte, _, _) in enumerate(ROSTER, start=1):
        email = f"iro{number:02d}@{STAFF_DOMAIN}"
        user = _staff_user(email, fake.name(), Role.IRO, team)
        IroDetails.objects.get_or_create(user=user, defaults={"fte": fte, "basis": basis})
        iros.append(user)
    clerks = [
        _staff_user(f"clerk{n}@{STAFF_DOMAIN}", fake.name(), Role.CLERK, team) for n in (1, 2, 3)
    ]
    manager = _staff_user(f"manager@{STAFF_DOMAIN}", fake.name(), Role.MANAGER, team)
    advocate = _staff_user(f"advocate@{STAFF_DOMAIN}", fake.name(), Role.ADVOCATE, team)
    localities = {name: Locality.objects.get_or_create(name=name)[0] for name in LOCALITY_WEIGHTS}
    agencies = {
        name: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in AGENCIES
    }
    venues = {
        name: Venue.objects.get_or_create(name=name)[0]
        for names in VENUES.values()
        for name in names
    }
    reasons = {}
    for label in POSTPONEMENT_REASONS:
        reasons[label] = PostponementReason.objects.get_or_create(
            label=label, defaults={"needs_detail": label == "Other"}
        )[0]
    team_managers, social_workers, partners = _professionals(fake, localities, agencies)
    return Rows(
        iros,
        clerks,
        manager,
        advocate,
        localities,
        agencies,
        venues,
        social_workers,
        team_managers,
        partners,
        reasons,
    )


def _professional(fake: Faker, title: str, agency: Agency, **fields) -> Professional:
    name = fake.name()
    email = f"{name.split()[-1].lower()}.{fake.random_int(10, 99)}@partner.demo.convene.test"
    return Professional(full_name=name, job_title=title, email=email, agency=agency, **fields)


def _professionals(fake: Faker, localities: dict, agencies: dict):
    csc = agencies["Children's social care"]
    team_managers = {
        name: _professional(fake, "Locality team manager", csc, locality=locality)
        for name, locality in localities.items()
    }
    Professional.objects.bulk_create(team_managers.values())
    social_workers = {
        name: [
            _professional(
                fake, "Social worker", csc, locality=locality, manager=team_managers[name]
            )
            for _ in range(SOCIAL_WORKERS_A_LOCALITY)
        ]
        for name, locality in localities.items()
    }
    partners = {
        agency: [_professional(fake, title, agencies[agency]) for _ in range(count)]
        for agency, (title, count) in PARTNERS.items()
    }
    Professional.objects.bulk_create(
        [p for people in (*social_workers.values(), *partners.values()) for p in people]
    )
    return team_managers, social_workers, partners


def _write_people(history: History, rows: Rows) -> None:
    families = []
    for household in history.households:
        first_seen = min(_kid_span(kid)[0] for kid in household.kids)
        household.row = Family(
            name=household.name, created_at=_aware(first_seen - DAY * 14, time(11, 0))
        )
        families.append(household.row)
    Family.objects.bulk_create(families, batch_size=BATCH)
    children = []
    for household in history.households:
        for kid in household.kids:
            kid.row = Child(
                family=household.row,
                local_case_id=f"HIST{kid.key:05d}",
                first_name=kid.first_name,
                last_name=household.name,
                date_of_birth=kid.born_on,
                expected_date_of_birth=kid.expected_on,
                sex=kid.sex,
                ethnicity=kid.ethnicity or "",
                locality=rows.localities[household.locality],
                social_worker=rows.social_workers[household.locality][household.social_worker],
                strategy_discussion_on=kid.strategy_on,
                transfer_notified_on=kid.transfer_on,
                previous_plans_elsewhere=kid.elsewhere,
            )
            children.append(kid.row)
    Child.objects.bulk_create(children, batch_size=BATCH)
    for span in history.plans:
        span.row = ChildProtectionPlan(
            child=span.kid.row,
            started_on=span.started_on,
            ended_on=span.ended_on,
            end_reason=span.end_reason,
            categories=span.categories,
        )
    ChildProtectionPlan.objects.bulk_create([s.row for s in history.plans], batch_size=BATCH)


def _late_reason(meeting: Meeting) -> str:
    if not any(p.due_on and meeting.held_on > p.due_on for p in meeting.places):
        return ""
    if meeting.postponed_on:
        return f"Postponed from {meeting.postponed_on:%-d %B %Y}: {meeting.postponement_reason}."
    return "The locality asked for the conference late; the first date the family could attend."


def _write_conferences(history: History, rows: Rows) -> None:
    """Postponed bookings first, so that the held conference can name the one it replaced."""
    rng = history.rng
    postponed = {}
    for meeting in history.meetings:
        if meeting.postponed_on:
            chair, slot, room = meeting.postponed_slot
            postponed[meeting] = Conference(
                family=meeting.household.row,
                starts_at=_aware(meeting.postponed_on, slot),
                venue=rows.venues[room],
                chair=rows.iros[chair],
                status=ConferenceStatus.POSTPONED,
                postponement_reason=rows.postponement_reasons[meeting.postponement_reason],
                postponement_detail=(
                    "The chair was taken ill on the morning."
                    if meeting.postponement_reason == "Other"
                    else ""
                ),
                booked_by=rng.choice(rows.clerks),
                booked_at=_aware(meeting.postponed_on - DAY * rng.randint(14, 40), time(11, 0)),
            )
    Conference.objects.bulk_create(postponed.values(), batch_size=BATCH)
    for meeting in history.meetings:
        meeting.row = Conference(
            family=meeting.household.row,
            starts_at=_aware(meeting.held_on, meeting.starts_at),
            venue=rows.venues[meeting.venue],
            chair=rows.iros[meeting.chair],
            status=ConferenceStatus.HELD,
            out_of_timescale_reason=_late_reason(meeting),
            rebooked_from=postponed.get(meeting),
            report_to_family_on=meeting.report_to_family_on,
            report_to_family_not_received=meeting.report_to_family_not_received,
            report_to_chair_on=meeting.report_to_chair_on,
            report_to_chair_not_received=meeting.report_to_chair_not_received,
            booked_by=rng.choice(rows.clerks),
            booked_at=_aware(meeting.held_on - DAY * rng.randint(10, 40), time(11, 0)),
        )
    Conference.objects.bulk_create([m.row for m in history.meetings], batch_size=BATCH)
    places = []
    for meeting in history.meetings:
        for place in meeting.places:
            place.row = ConferenceChild(
                conference=meeting.row, child=place.kid.row, stage=place.stage, due_on=place.due_on
            )
            places.append(place.row)
            if meeting in postponed:
                places.append(
                    ConferenceChild(
                        conference=postponed[meeting],
                        child=place.kid.row,
                        stage=place.stage,
                        due_on=place.due_on,
                    )
                )
    ConferenceChild.objects.bulk_create(places, batch_size=BATCH)


def _next_review(place: Place) -> date | None:
    if place.decision not in (Decision.PLAN, Decision.PLAN_CONTINUES):
        return None
    later = [
        p.meeting.held_on
        for p in place.kid.places
        if p.plan is place.plan and p.meeting.held_on > place.meeting.held_on
    ]
    if later:
        return min(later)
    return add_months(place.meeting.held_on, 3 if place.decision == Decision.PLAN else 6)


def _write_records(history: History, rows: Rows) -> None:
    """A signed-off record for every meeting, with a decision for every child: what finalising
    would have left. Decision letters and records go out faster each year (5.2.6)."""
    rng, calendar = history.rng, history.calendar
    on_time = {2011: 0.6, 2012: 0.65, 2013: 0.72, 2014: 0.86}
    records = []
    for meeting in history.meetings:
        held, chair = meeting.held_on, rows.iros[meeting.chair]
        signed = _aware(calendar.add_working_days(held, rng.choice((0, 0, 1, 1, 2))), time(16, 30))
        letter_days = 1 if rng.random() < 0.92 else rng.randint(2, 4)
        record_days = (
            rng.randint(4, 15)
            if rng.random() < on_time[financial_year_of(held)]
            else rng.randint(16, 30)
        )
        meeting.record = ConferenceRecord(
            conference=meeting.row,
            status=RecordStatus.FINALISED,
            pre_meeting_held=rng.random() < 0.92,
            inquorate_reason=(
                "Only children's social care and one other agency attended; police and school "
                "sent apologies."
                if meeting.inquorate
                else ""
            ),
            finalised_at=signed,
            finalised_by=chair,
            decision_letter_sent_on=calendar.add_working_days(held, letter_days),
            record_distributed_on=calendar.add_working_days(held, record_days),
            updated_at=signed,
        )
        records.append(meeting.record)
    ConferenceRecord.objects.bulk_create(records, batch_size=BATCH)
    decisions = []
    for meeting in history.meetings:
        for place in meeting.places:
            multiple = len(place.categories) > 1 and place.decision in (
                Decision.PLAN,
                Decision.PLAN_CONTINUES,
            )
            decisions.append(
                ChildDecision(
                    record=meeting.record,
                    place=place.row,
                    decision=place.decision,
                    end_reason=place.plan.end_reason
                    if place.decision == Decision.PLAN_ENDS
                    else "",
                    categories=place.categories,
                    multiple_categories_reason=rng.choice(MULTIPLE_REASONS) if multiple else "",
                    factors=place.factors,
                    next_review_on=_next_review(place),
                    first_core_group_on=(
                        place.plan.core_groups[0]
                        if place.decision == Decision.PLAN and place.plan.core_groups
                        else None
                    ),
                )
            )
    ChildDecision.objects.bulk_create(decisions, batch_size=BATCH)


def _write_core_groups(history: History, rows: Rows) -> None:
    attendees = "Social worker\nParent\nHealth visitor\nSchool"
    meetings = [
        CoreGroupMeeting(
            child=span.kid.row,
            plan=span.row,
            held_on=day,
            attendees=attendees,
            actions_updated="Plan actions reviewed; dates agreed for the next steps.",
            recorded_by=rows.clerks[span.kid.key % len(rows.clerks)],
        )
        for span in history.plans
        for day in span.core_groups
    ]
    CoreGroupMeeting.objects.bulk_create(meetings, batch_size=BATCH)


def _age(kid: Kid, on: date) -> int:
    born = kid.born_on
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _invitees(rng, meeting: Meeting, rows: Rows) -> list[tuple[Professional, str]]:
    """Who was invited and how they took part (agency-attendance figure)."""
    household, held = meeting.household, meeting.held_on
    ages = [_age(p.kid, held) for p in meeting.places if p.kid.born_on <= held]
    people = rows.partners
    chosen = [
        (rows.social_workers[household.locality][household.social_worker], "csc"),
        (rng.choice(people["Constabulary child protection unit"]), "police"),
    ]
    if not ages or min(ages) < 5:
        chosen.append((rng.choice(people["Health visiting service"]), "health"))
    if any(4 <= age <= 16 for age in ages):
        chosen.append((rng.choice(people["School nursing service"]), "health"))
        school = rng.choice(("Brookside Primary School", "Castle Hill Academy"))
        chosen.append((people[school][0], "school"))
    if Stage.PRE_BIRTH in meeting.stages:
        chosen.append((rng.choice(people["Midwifery service"]), "health"))
    if rng.random() < 0.7:
        chosen.append((rng.choice(people["Riverside GP surgery"]), "gp"))
    if rng.random() < 0.15:
        chosen.append((people["Adult mental health service"][0], "health"))
    if rng.random() < 0.1:
        chosen.append((people["Substance misuse service"][0], "other"))
    return chosen


ATTENDANCE = {  # how each kind of invitee took part: attended, report only, absent
    "csc": (97, 3, 0),
    "police": (55, 30, 15),
    "health": (80, 12, 8),
    "school": (55, 20, 25),
    "gp": (10, 45, 45),
    "other": (60, 20, 20),
}


def _write_invitations(history: History, rows: Rows) -> list[Invitation]:
    """Invitations and attendance for the meetings of 2013-14 and 2014-15."""
    rng = history.rng
    invitations = []
    for meeting in history.meetings:
        if meeting.held_on < date(2013, 4, 1):
            continue
        notice = (5, 10) if meeting.stages & {Stage.INITIAL, Stage.PRE_BIRTH} else (8, 20)
        for professional, kind in _invitees(rng, meeting, rows):
            attendance = rng.choices(
                (Attendance.ATTENDED, Attendance.REPORT_ONLY, Attendance.ABSENT),
                ATTENDANCE[kind],
            )[0]
            mode = ""
            if attendance == Attendance.ATTENDED:
                mode = AttendanceMode.PHONE if rng.random() < 0.12 else AttendanceMode.IN_PERSON
            report = attendance != Attendance.ABSENT and rng.random() < 0.8
            invitations.append(
                Invitation(
                    conference=meeting.row,
                    professional=professional,
                    sent_on=meeting.held_on - DAY * rng.randint(*notice),
                    attendance=attendance,
                    attendance_mode=mode,
                    report_received_on=(
                        meeting.held_on - DAY * rng.randint(0, 4) if report else None
                    ),
                    report_in_agreed_format=(
                        (kind in ("csc", "health") or rng.random() < 0.3) if report else None
                    ),
                )
            )
    return Invitation.objects.bulk_create(invitations, batch_size=BATCH)


# --- 7. The service's other records (sections 5.4 to 5.7 and 7) --------------------------------

COMPLAINTS = (  # the seeded reasons (complaints migration 0002), how many, and who complained
    ("Parent disputed accuracy of agency information presented to the conference", 3, "parent"),
    ("Parent dispute over the process or conduct of the meeting", 4, "parent"),
    (
        "Young person complaint over conduct of meeting and exclusion from meeting",
        1,
        "young_person",
    ),
    ("Parent complaint on sharing information within the conference", 1, "parent"),
)
CHALLENGES = (  # reason (conferences migration 0006) and what the IRO raised with the locality
    ("Clarity of planning", "Plan objectives are not specific enough to measure progress."),
    ("Clarity of planning", "Core group actions have no named owner or timescale."),
    ("Clarity of planning", "The plan does not say what safety looks like for the children."),
    ("Clarity of planning", "Objectives agreed at the last review have not been completed."),
    ("Clarity of planning", "Contingency plan missing although agreed at conference."),
    ("Plan objectives not progressed or drift", "Parenting assessment not started after 3 months."),
    ("Plan objectives not progressed or drift", "No progress on the agreed housing referral."),
    ("Report late or poor", "Social work report reached the family on the morning of conference."),
    (
        "Other",
        "About the locality's dealings with Health: the locality has not pursued Health over the "
        "missed developmental checks agreed at conference.",
    ),
    (
        "Cross-border responsibility",
        "Cross-border issues: no agreement with the neighbouring authority on who leads safety "
        "planning after the family moved.",
    ),
)
PARENT_ANSWERS = {  # Table 7: responses per answer, 1 (not at all) to 5 (completely)
    "prepared": (3, 11, 13, 19, 14),
    "chair_helped": (0, 6, 4, 18, 32),
    "clear_language": (0, 4, 4, 18, 34),  # the report's 37% "A lot" cannot add up; 18 of 60
    "involved": (0, 4, 12, 16, 28),
    "understood_result": (0, 3, 7, 14, 36),
}
AGENCY_ANSWERS = {  # Table 8
    "clarity_concerns": (2, 2, 2, 3, 2),
    "clarity_strengths": (2, 2, 3, 2, 2),
    "wall": (1, 2, 3, 3, 2),
    "plan_clear_family": (1, 2, 4, 3, 1),
    "plan_clear_professionals": (2, 1, 4, 4, 0),
    "changed_view": (5, 3, 1, 2, 0),
}
PARENT_COMMENTS = (
    "It's better on the wall as you can read what's said and if you forget, you can look at it.",
    "It's better this way, more clearer.",
    "Better on the wall, could prepare well, seeing the past shocked me.",
    "Better being able to read what people have said, can see all the positives.",
)
AGENCY_COMMENTS = (
    "This is a complex and enduring case that the format was unable to bring improved clarity to.",
    "It was clearly difficult for the Chair to write on the wall and chair the meeting.",
    "I feel that the new format is far clearer for the family and far more inclusive.",
)
PROTOTYPE = ("Hinckley", date(2014, 9, 1), date(2014, 12, 19))  # Signs of Safety reviews (5.4.1)
ADVOCACY_BEGAN = date(2013, 6, 3)
ADVOCACY_2014 = {"referred": 141, "began": 39, "carried_over": 68}  # 5.5.4
CUSAB = {CusabChair.IRO: 35, CusabChair.LOCALITY_MANAGER: 9}  # 7.3; localities since October


def _meetings_2014_15(history: History, *, before: date = HISTORY_END) -> list[Meeting]:
    return sorted(
        (m for m in history.meetings if date(2014, 4, 1) <= m.held_on <= before),
        key=lambda m: (m.held_on, m.household.key),
    )


def _full_name(kid: Kid) -> str:
    return f"{kid.first_name} {kid.household.name}"


def _write_complaints(history: History, rows: Rows) -> None:
    """Nine complaints in 2014-15, one from a young person, all resolved at stage 1 (5.6.1)."""
    rng, calendar, fake = history.rng, history.calendar, history.fake
    meetings = rng.sample(_meetings_2014_15(history, before=date(2015, 2, 20)), 40)
    complaints, stages = [], []
    for label, how_many, complainant in COMPLAINTS:
        reason = ComplaintReason.objects.get_or_create(label=label)[0]
        for _ in range(how_many):
            if complainant == "young_person":
                meeting, kid = next(
                    (m, p.kid) for m in meetings for p in m.places if _age(p.kid, m.held_on) >= 12
                )
                name = _full_name(kid)
            else:
                meeting = meetings[0]
                kid = meeting.places[0].kid
                name = f"{fake.first_name()} {meeting.household.name}"
            meetings.remove(meeting)
            received = calendar.add_working_days(meeting.held_on, rng.randint(2, 12))
            complaint = Complaint(
                complainant=complainant,
                complainant_name=name,
                conference=meeting.row,
                child=kid.row,
                received_on=received,
                reason=reason,
                is_closed=True,
                resolved_at_stage=1,
                logged_by=rows.manager,
            )
            complaints.append(complaint)
            stages.append(
                ComplaintStage(
                    complaint=complaint,
                    stage=1,
                    started_on=received,
                    response_due_on=calendar.add_working_days(received, 10),
                    responded_on=calendar.add_working_days(received, rng.randint(4, 10)),
                    response="The team manager met the complainant and explained the process.",
                    outcome=rng.choice(("not_upheld", "not_upheld", "partly", "upheld")),
                )
            )
    Complaint.objects.bulk_create(complaints)
    ComplaintStage.objects.bulk_create(stages)


def _appeal_places(history: History) -> list[Place]:
    """Two young people appealed against being made subject to a plan (5.6.1), with the
    advocate who began supporting them when the conference was booked (from May, so that their
    support began in 2014-15)."""
    places = [
        p
        for m in _meetings_2014_15(history, before=date(2015, 2, 1))
        for p in m.places
        if m.held_on >= date(2014, 5, 1)
        and p.decision == Decision.PLAN
        and p.stage == Stage.INITIAL
        and _age(p.kid, p.meeting.held_on) >= 12
    ]
    return history.rng.sample(places, 2)


def _write_appeals_and_dissent(history: History, rows: Rows, appeals: list[Place]) -> None:
    rng, calendar = history.rng, history.calendar
    rows_appeals = []
    for place in appeals:
        received = calendar.add_working_days(place.meeting.held_on, rng.randint(3, 8))
        rows_appeals.append(
            Appeal(
                conference=place.meeting.row,
                child=place.kid.row,
                appellant="young_person",
                supported_by_advocate=True,
                received_on=received,
                grounds="I was not listened to; I do not think I need a child protection plan.",
                iro_meeting_on=calendar.add_working_days(received, rng.randint(3, 8)),
                outcome="Resolved when the IRO met the young person with the advocate: the plan "
                "stands and their views are recorded in it.",
            )
        )
    Appeal.objects.bulk_create(rows_appeals)
    transfer = next(
        m for m in _meetings_2014_15(history) if Stage.RECEIVING_IN in m.stages
    )  # the agency representative came from the authority the family left
    AgencyDissent.objects.create(
        conference=transfer.row,
        agency=rows.agencies["Rutland County Council children's services"],
        point="Disagreed that the threshold for a plan was still met after the move.",
        raised_on=transfer.held_on,
        escalated_to="team_manager",
        resolved_on=calendar.add_working_days(transfer.held_on, 9),
        resolution="Resolved by letter and telephone discussion with the representative.",
    )


def _write_challenges(history: History, rows: Rows) -> None:
    """Ten challenges raised with locality team managers in 2014-15, one escalated to the
    service manager (5.7.1): steps at team manager level 10, service manager 1."""
    rng, calendar = history.rng, history.calendar
    reviews = [
        m for m in _meetings_2014_15(history, before=date(2015, 2, 27)) if m.stages & {Stage.REVIEW}
    ]
    chosen = sorted(rng.sample(reviews, len(CHALLENGES)), key=lambda m: m.held_on)
    reasons = {r.label: r for r in ChallengeReason.objects.all()}
    steps, escalate = [], None
    for meeting, (label, detail) in zip(chosen, CHALLENGES, strict=True):
        raised = calendar.add_working_days(meeting.held_on, rng.randint(1, 4))
        responded = calendar.add_working_days(raised, rng.randint(2, 6))
        escalated = label == "Cross-border responsibility"
        step = Challenge(
            raised_by=rows.iros[meeting.chair],
            child=meeting.places[0].kid.row,
            conference=meeting.row,
            level=ChallengeLevel.TEAM_MANAGER,
            raised_with_team=rows.localities[meeting.household.locality],
            reason=reasons.get(label) or ChallengeReason.objects.get_or_create(label=label)[0],
            detail=detail,
            raised_on=raised,
            response_due_on=calendar.add_working_days(raised, 5),
            response="Discussed with the social worker; the plan will be updated.",
            responded_on=responded,
            outcome="" if escalated else "Agreed: objectives rewritten with timescales.",
            resolved_on=None if escalated else responded,
        )
        steps.append(step)
        escalate = step if escalated else escalate
    Challenge.objects.bulk_create(steps)
    raised = calendar.add_working_days(escalate.responded_on, 3)
    Challenge.objects.create(
        raised_by=escalate.raised_by,
        child=escalate.child,
        conference=escalate.conference,
        level=ChallengeLevel.SERVICE_MANAGER,
        raised_with_team=escalate.raised_with_team,
        reason=escalate.reason,
        detail="Escalated: the team manager could not agree responsibility with the other "
        "authority.",
        raised_on=raised,
        response_due_on=calendar.add_working_days(raised, 5),
        response="Service managers agreed the lead authority and a joint safety plan.",
        responded_on=calendar.add_working_days(raised, 7),
        outcome="Lead authority agreed.",
        resolved_on=calendar.add_working_days(raised, 7),
        escalated_from=escalate,
    )


def _write_cusab(history: History, rows: Rows) -> None:
    """CUSAB risk meetings in 2014-15: 35 chaired by IROs (until October 2014 any case; since
    then only looked-after, arrested or charged, or complex ones) and, since October, some by
    locality team managers (section 7)."""
    rng, calendar, fake = history.rng, history.calendar, history.fake
    households = [
        Family(name=_surname(fake), created_at=_aware(date(2014, 3, 3), time(11, 0)))
        for _ in range(30)
    ]
    Family.objects.bulk_create(households)
    children = []
    for family in households:
        locality = rng.choice(list(rows.localities.values()))
        sex = rng.choice((Sex.MALE, Sex.MALE, Sex.FEMALE))
        children.append(
            Child(
                family=family,
                local_case_id=f"HIST{next(history.kid_keys):05d}",
                first_name=fake.first_name_male() if sex == Sex.MALE else fake.first_name_female(),
                last_name=family.name,
                date_of_birth=date(2014, 4, 1) - DAY * rng.randint(11 * 365, 17 * 365),
                sex=sex,
                ethnicity="WBRI",
                locality=locality,
            )
        )
    Child.objects.bulk_create(children)
    days = _working_days_by_month(calendar, 2014)
    meetings = []
    lead_iro, other_iro = rows.iros[0], rows.iros[1]  # the lead IRO for CUSAB chairs most
    for chaired_by, total in CUSAB.items():
        by_iro = chaired_by == CusabChair.IRO
        months = range(12) if by_iro else range(6, 12)  # localities chair some from October
        for n in range(total):
            month = months[n * len(months) // total]
            held = rng.choice(days[month])
            why, iro, manager = "", None, ""
            if by_iro:
                weights = (25, 25, 50) if month < 6 else (30, 30, 40)
                why = rng.choices(list(WhyIroChaired), weights)[0]
                iro = lead_iro if rng.random() < 0.7 else other_iro
            else:
                manager = rng.choice(list(rows.team_managers.values())).full_name
            next_on = held + DAY * rng.randint(42, 70) if rng.random() < 0.5 else None
            meetings.append(
                CusabMeeting(
                    child=rng.choice(children),
                    held_on=held,
                    chaired_by=chaired_by,
                    iro=iro,
                    locality_manager=manager,
                    why_iro_chaired=why,
                    outcome="Risk assessment agreed; safety plan and review date set.",
                    next_meeting_on=next_on,
                    recorded_by=rows.clerks[0],
                )
            )
    CusabMeeting.objects.bulk_create(meetings)


def _eligible(history: History, start: date, end: date) -> list[Place]:
    """Each young person's first conference in the period at which they were 10 or older."""
    first = {}
    for meeting in sorted(history.meetings, key=lambda m: (m.held_on, m.household.key)):
        if not start <= meeting.held_on <= end:
            continue
        for place in meeting.places:
            if place.kid not in first and _age(place.kid, meeting.held_on) >= 10:
                first[place.kid] = place
    return list(first.values())


def _referral(history, rows, place: Place, referred_from: date, **dates) -> Referral:
    calendar = history.calendar
    referred = max(calendar.add_working_days(place.meeting.held_on, -10), referred_from)
    status = ReferralStatus.REFERRED
    for name, value in (
        ("contacted_on", ReferralStatus.CONTACTED),
        ("accepted_on", ReferralStatus.ACCEPTED),
        ("support_started_on", ReferralStatus.SUPPORTING),
        ("declined_on", ReferralStatus.DECLINED),
        ("closed_on", ReferralStatus.CLOSED),
    ):
        if dates.get(name):
            status = value
    return Referral(
        child=place.kid.row,
        status=status,
        referred_on=referred,
        is_automatic=True,
        referred_by=place.meeting.row.booked_by,
        advocate=rows.advocate if dates.get("contacted_on") else None,
        young_person_views=(
            "Wants the conference to know things are better at home."
            if dates.get("support_started_on")
            else ""
        ),
        **dates,
    )


def _support_dates(history, place: Place, *, close_by=None, span=None) -> dict:
    """Contacted, accepted and supported within weeks of the referral; closed when the plan
    ends (or by ``close_by``), or still open at the end of the history."""
    rng = history.rng
    referred = history.calendar.add_working_days(place.meeting.held_on, -10)
    contacted = referred + DAY * rng.randint(2, 5)
    accepted = contacted + DAY * rng.randint(2, 6)
    started = accepted + DAY * rng.randint(2, 8)
    span = span or _on_plan_at(place.kid, started) or place.plan
    closed = span.ended_on if span else None
    if span is None or (closed and closed <= started):  # no plan to support them through
        closed = min(started + DAY * rng.randint(20, 60), HISTORY_END)
    if close_by and (closed is None or closed >= close_by):
        closed = started + DAY * rng.randint(20, (close_by - started).days - 1)
    return {
        "contacted_on": contacted,
        "accepted_on": accepted,
        "support_started_on": started,
        "closed_on": closed,
    }


def _no_support_dates(history, place: Place) -> dict:
    rng = history.rng
    referred = history.calendar.add_working_days(place.meeting.held_on, -10)
    contacted = referred + DAY * rng.randint(2, 6)
    if rng.random() < 0.6:
        return {"contacted_on": contacted, "declined_on": contacted + DAY * rng.randint(1, 10)}
    return {"closed_on": contacted + DAY * rng.randint(5, 20)}


def _write_advocacy(history: History, rows: Rows, appeals: list[Place]) -> None:
    """Advocacy since 3 June 2013 (5.5): in 2014-15, 141 referrals and 107 young people
    supported, 68 of them carried over from 2013-14 (advocacy figure)."""
    rng = history.rng
    april = date(2014, 4, 1)
    appealing = {place.kid for place in appeals}  # their support began with the appeal
    earlier = _eligible(history, ADVOCACY_BEGAN + DAY * 14, date(2014, 3, 31))
    carried = [
        p
        for p in earlier
        if _on_plan_at(p.kid, april)
        and p.meeting.held_on <= date(2014, 3, 5)
        and p.kid not in appealing
    ]
    carried = rng.sample(carried, ADVOCACY_2014["carried_over"])
    referrals, links = [], []
    for place in earlier:
        if place in carried:  # still supported on 1 April 2014, until their plan ends
            dates = _support_dates(history, place, span=_on_plan_at(place.kid, april))
        elif place.meeting.held_on <= date(2014, 1, 31) and rng.random() < 0.45:
            dates = _support_dates(history, place, close_by=april)
        else:
            dates = _no_support_dates(history, place)
        referrals.append(_referral(history, rows, place, ADVOCACY_BEGAN, **dates))
        links.append(place.meeting)
    carried_kids = {p.kid for p in carried}
    later = [
        p
        for p in _eligible(history, date(2014, 4, 16), HISTORY_END)
        if p.kid not in carried_kids and p.kid not in appealing
    ]
    later = appeals + rng.sample(later, ADVOCACY_2014["referred"] - len(appeals))
    supported = appeals + rng.sample(
        [p for p in later[len(appeals) :] if p.meeting.held_on <= date(2015, 2, 27)],
        ADVOCACY_2014["began"] - len(appeals),
    )
    for place in later:
        dates = (
            _support_dates(history, place)
            if place in supported
            else _no_support_dates(history, place)
        )
        referral = _referral(history, rows, place, april, **dates)
        referral.supported_appeal = place in appeals
        referrals.append(referral)
        links.append(place.meeting)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    ReferralConference.objects.bulk_create(
        ReferralConference(
            referral=referral,
            conference=meeting.row,
            advocate_attended=bool(referral.support_started_on),
        )
        for referral, meeting in zip(referrals, links, strict=True)
    )


def _answers(rng, table: dict[str, tuple], respondents: int) -> list[dict[str, int]]:
    """Each question's answers exactly as the table counts them, given to respondents in order
    of how well the conference went for them, so each one's answers hang together."""
    mood = sorted(range(respondents), key=lambda _: rng.random())
    answers = [{} for _ in range(respondents)]
    for question, counts in table.items():
        values = [answer for answer, n in enumerate(counts, start=1) for _ in range(n)]
        order = sorted(range(respondents), key=lambda r: mood[r] + rng.random() * 8)
        for respondent, value in zip(order, values, strict=True):
            answers[respondent][question] = value
    return answers


def _token(kind: str, number: int) -> str:
    return hashlib.sha256(f"demo-history:{kind}:{number}".encode()).hexdigest()


def _write_questionnaires(history: History, rows: Rows, invitations: list[Invitation]) -> None:
    """The Signs of Safety prototype (5.4, Tables 7 and 8): 60 parents' answers from 34 review
    conferences in one locality, September to December 2014, given on the chair's tablet after
    the meeting; 11 agency answers online after the three-month evaluation."""
    rng = history.rng
    locality, first, last = PROTOTYPE
    reviews = [
        m
        for m in _meetings_2014_15(history)
        if first <= m.held_on <= last
        and m.household.locality == locality
        and m.stages <= {Stage.FIRST_REVIEW, Stage.REVIEW}
    ]
    conferences = sorted(rng.sample(reviews, 34), key=lambda m: m.held_on)
    parents = [m for n, m in enumerate(conferences) for _ in range(2 if n < 26 else 1)]  # 60
    links, responses = [], []
    for number, (meeting, answers) in enumerate(
        zip(parents, _answers(rng, PARENT_ANSWERS, len(parents)), strict=True)
    ):
        opened = _aware(meeting.held_on, meeting.starts_at) + timedelta(hours=2)
        link = FeedbackLink(
            token_hash=_token("parent", number),
            respondent=Respondent.PARENT,
            conference=meeting.row,
            created_at=opened,
            expires_at=opened + timedelta(hours=2),
            used_at=opened + timedelta(minutes=10),
        )
        links.append(link)
        responses.append(
            FeedbackResponse(
                respondent=Respondent.PARENT,
                conference=meeting.row,
                link=link,
                answers=answers,
                comments=PARENT_COMMENTS[number // 15] if number % 15 == 0 else "",
                submitted_at=link.used_at,
            )
        )
    rows_of = {m.row.pk for m in conferences}
    attended = [
        i
        for i in invitations
        if i.conference_id in rows_of
        and i.attendance == Attendance.ATTENDED
        and i.professional.agency.kind != AgencyKind.CHILDRENS_SOCIAL_CARE
    ]
    sent = _aware(date(2015, 1, 5), time(9, 0))
    for number, (invitation, answers) in enumerate(
        zip(rng.sample(attended, 11), _answers(rng, AGENCY_ANSWERS, 11), strict=True)
    ):
        link = FeedbackLink(
            token_hash=_token("agency", number),
            respondent=Respondent.AGENCY,
            conference_id=invitation.conference_id,
            invitation=invitation,
            created_at=sent,
            expires_at=sent + timedelta(days=14),
            used_at=sent + timedelta(days=rng.randint(0, 10), hours=rng.randint(1, 7)),
        )
        links.append(link)
        responses.append(
            FeedbackResponse(
                respondent=Respondent.AGENCY,
                conference_id=invitation.conference_id,
                link=link,
                answers=answers,
                comments=AGENCY_COMMENTS[number // 4] if number % 4 == 0 else "",
                submitted_at=link.used_at,
            )
        )
    FeedbackLink.objects.bulk_create(links)
    FeedbackResponse.objects.bulk_create(responses)


# --- Loading -----------------------------------------------------------------------------------


def load_history(*, seed: int = 2015) -> None:
    """Write four years of invented history (2011-12 to 2014-15) whose figures are the
    reference report's, once: if any conference before April 2015 exists, nothing is done."""
    with transaction.atomic():
        if Conference.objects.filter(starts_at__lt=_aware(HISTORY_END + DAY, time(0))).exists():
            return
        history = plan_history(seed=seed, calendar=working_calendar())
        with pghistory.context(action="load_demo_history"):
            rows = _reference_rows(history.fake)
            _write_people(history, rows)
            _write_conferences(history, rows)
            _write_records(history, rows)
            _write_core_groups(history, rows)
            invitations = _write_invitations(history, rows)
            appeals = _appeal_places(history)
            _write_complaints(history, rows)
            _write_appeals_and_dissent(history, rows, appeals)
            _write_challenges(history, rows)
            _write_cusab(history, rows)
            _write_advocacy(history, rows, appeals)
            _write_questionnaires(history, rows, invitations)
            record_census_details(seed=seed)
