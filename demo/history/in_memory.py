"""The history as planned in memory: households, children, episodes, plans, meetings and places."""

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time

from faker import Faker

from conferences.models import (
    Child,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceRecord,
    Family,
)
from demo.history.targets import HISTORY_END
from rules.working_days import WorkingCalendar


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


def age(kid: Kid, on: date) -> int:
    born = kid.born_on
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def meetings_2014_15(history: History, *, before: date = HISTORY_END) -> list[Meeting]:
    return sorted(
        (m for m in history.meetings if date(2014, 4, 1) <= m.held_on <= before),
        key=lambda m: (m.held_on, m.household.key),
    )
