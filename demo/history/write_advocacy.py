"""Step 7, advocacy referrals and support since June 2013 (5.5)."""

from datetime import date

from advocacy.models import Referral, ReferralConference, ReferralStatus
from demo.history.children import on_plan_at
from demo.history.in_memory import History, Place, age
from demo.history.reference import Rows
from demo.history.targets import BATCH, DAY, HISTORY_END

ADVOCACY_BEGAN = date(2013, 6, 3)
ADVOCACY_2014 = {"referred": 141, "began": 39, "carried_over": 68}  # 5.5.4


def _eligible(history: History, start: date, end: date) -> list[Place]:
    """Each young person's first conference in the period at which they were 10 or older."""
    first = {}
    for meeting in sorted(history.meetings, key=lambda m: (m.held_on, m.household.key)):
        if not start <= meeting.held_on <= end:
            continue
        for place in meeting.places:
            if place.kid not in first and age(place.kid, meeting.held_on) >= 10:
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
    span = span or on_plan_at(place.kid, started) or place.plan
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


def write_advocacy(history: History, rows: Rows, appeals: list[Place]) -> None:
    """Advocacy since 3 June 2013 (5.5): in 2014-15, 141 referrals and 107 young people
    supported, 68 of them carried over from 2013-14 (advocacy figure)."""
    rng = history.rng
    april = date(2014, 4, 1)
    appealing = {place.kid for place in appeals}  # their support began with the appeal
    earlier = _eligible(history, ADVOCACY_BEGAN + DAY * 14, date(2014, 3, 31))
    carried = [
        p
        for p in earlier
        if on_plan_at(p.kid, april)
        and p.meeting.held_on <= date(2014, 3, 5)
        and p.kid not in appealing
    ]
    carried = rng.sample(carried, ADVOCACY_2014["carried_over"])
    referrals, links = [], []
    for place in earlier:
        if place in carried:  # still supported on 1 April 2014, until their plan ends
            dates = _support_dates(history, place, span=on_plan_at(place.kid, april))
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
