"""Census details for the demo history: the referral, enquiry and assessment behind each plan
and each initial conference, and a UPN (or why there is none) for each child.

Derived from the conferences already written, so no 2011-15 figure changes: the dashboard does
not count episodes. Each plan, and each initial conference that made no plan, gets its own
episode; an episode closes when its plan ends (or at a conference that made no plan).
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from conferences.cases.census_codes import (
    FORTY_WEEKS,
    UPN_CHECK_LETTERS,
    ClosureReason,
    PrimaryNeed,
)
from conferences.cases.episode_models import CinEpisode
from conferences.choices import ConferenceStatus, Decision, Stage
from conferences.models import Child, ChildProtectionPlan, ConferenceChild
from rules.working_days import WorkingCalendar, working_calendar
from statutory.census_data import ICPC_STAGES

SOURCES = {"6": 30, "2A": 20, "3B": 8, "3A": 7, "5A": 10, "1A": 10, "3E": 5, "5C": 5, "8": 5}
CLOSURE_FOR_END = {"died": ClosureReason.DIED, "moved_away": ClosureReason.ANOTHER_AUTHORITY}
CENSUS_DAY = date(2015, 3, 31)
DEMO_LA = "855"


def upn_for(serial: int, la: str = DEMO_LA, year: str = "10") -> str:
    """A well-formed UPN: check letter, LA code, year of allocation, serial number."""
    digits = f"{la}{year}{serial % 10**8:08d}"[:12]
    total = sum(int(c) * weight for c, weight in zip(digits, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23] + digits


def record_census_details(*, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not security
    calendar = working_calendar()
    plans = {}
    for plan in ChildProtectionPlan.objects.order_by("started_on"):
        plans.setdefault(plan.child_id, []).append(plan)
    meetings = {}
    places = ConferenceChild.objects.filter(
        conference__status=ConferenceStatus.HELD, stage__in=ICPC_STAGES
    ).values("child_id", "stage", "conference__starts_at", "decision__decision")
    for place in places.order_by("conference__starts_at"):
        meetings.setdefault(place["child_id"], []).append(place)
    children = Child.objects.filter(pk__in=set(plans) | set(meetings))
    episodes = []
    for child in children:
        episodes += _episodes(
            rng, calendar, child, plans.get(child.pk, []), meetings.get(child.pk, [])
        )
        _identify(rng, child)
    CinEpisode.objects.bulk_create(episodes)
    Child.objects.bulk_update(children, ["upn", "upn_unknown_reason"])


def _anchors(plans, meetings) -> list[tuple[date, date, str, object]]:
    """(first initial meeting, the conference that decided, stage, plan or None) per episode."""
    found, used = [], set()
    for plan in plans:
        chain = [
            m
            for m in meetings
            if timezone.localdate(m["conference__starts_at"]) <= plan.started_on
            and (plan.started_on - timezone.localdate(m["conference__starts_at"])).days <= 60
        ]
        for m in chain:
            used.add(id(m))
        stage = chain[-1]["stage"] if chain else Stage.INITIAL
        first = timezone.localdate(chain[0]["conference__starts_at"]) if chain else plan.started_on
        found.append((first, plan.started_on, stage, plan))
    for m in meetings:
        decision = m["decision__decision"]
        if id(m) in used or decision in (Decision.PLAN, Decision.ADJOURNED_INQUORATE, None):
            continue
        day = timezone.localdate(m["conference__starts_at"])
        found.append((day, day, m["stage"], None))
    return sorted(found, key=lambda item: item[0])


def _episodes(rng, calendar: WorkingCalendar, child, plans, meetings) -> list[CinEpisode]:
    made, after = [], None
    for first, decided, stage, plan in _anchors(plans, meetings):
        transfer = stage == Stage.RECEIVING_IN
        s47 = None if transfer else calendar.add_working_days(first, -rng.randint(6, 14))
        referral = (s47 or first) - timedelta(days=rng.randint(1, 6 if s47 else 20))
        if child.expected_date_of_birth and not child.date_of_birth:
            referral = max(referral, child.expected_date_of_birth - FORTY_WEEKS + timedelta(1))
        if after is not None:
            referral = max(referral, after + timedelta(days=1))
        if referral > first:  # two conferences too close together to be separate episodes
            continue
        if s47 is not None:
            s47 = max(s47, referral)
        closed, reason = _closure(decided, plan)
        made.append(
            CinEpisode(
                child=child,
                referral_on=referral,
                referral_source=rng.choices(list(SOURCES), weights=SOURCES.values())[0],
                primary_need=PrimaryNeed.ABUSE_OR_NEGLECT,
                s47_started_on=s47,
                icpc_target_on=calendar.add_working_days(s47, 15) if s47 else None,
                assessment_started_on=None if transfer else referral,
                assessment_authorised_on=None if transfer else decided,
                closed_on=closed,
                closure_reason=reason,
            )
        )
        after = closed if closed else decided
    return made


def _closure(decided: date, plan) -> tuple[date | None, str]:
    if plan is None:
        return decided, ClosureReason.CEASED
    if plan.ended_on is None or plan.ended_on > CENSUS_DAY:
        return None, ""
    return plan.ended_on, CLOSURE_FOR_END.get(plan.end_reason, ClosureReason.CEASED)


def _identify(rng, child) -> None:
    born = child.date_of_birth
    if born and born <= CENSUS_DAY.replace(year=CENSUS_DAY.year - 5):
        child.upn = upn_for(rng.randrange(10**7, 10**8))
    else:
        child.upn_unknown_reason = "UN1"
