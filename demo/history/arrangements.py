"""Step 5, the meetings: chairs, times, rooms, postponements, report receipt and core groups."""

from collections import Counter, defaultdict
from datetime import date, time

from conferences.choices import Stage
from demo.history.in_memory import History, Meeting
from demo.history.month_ends import receipt_counts
from demo.history.targets import (
    CHAIR_RECEIPT_NOT_RECORDED,
    DAY,
    HISTORY_END,
    HISTORY_START,
    QUARTER_ENDS,
    in_year,
)

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


def choose_slots(history: History) -> None:
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


def choose_postponements(history: History) -> None:
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


def choose_receipt(history: History) -> None:
    """When the family and the chair received the social work report. 2014-15 family receipt
    meets Table 6 per quarter exactly (the meetings per quarter were chosen for it); the chair's
    receipt is recorded only from June 2014, and of the 900 meetings from then, 259 have none
    (5.2.3)."""
    rng, calendar = history.rng, history.calendar
    quarters = defaultdict(list)
    for meeting in sorted(history.meetings, key=lambda m: (m.held_on, m.household.key)):
        if in_year(meeting.held_on, 2014):
            quarters[sum(meeting.held_on > end for end in QUARTER_ENDS)].append(meeting)
        else:
            row = rng.choices(list(EARLIER_RECEIPT), EARLIER_RECEIPT.values())[0]
            meeting.report_to_family_on, meeting.report_to_family_not_received = _receipt_on(
                rng, calendar, meeting.held_on, row
            )
    for quarter, meetings in quarters.items():
        counts, _ = receipt_counts(len(meetings), quarter)
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


def choose_core_groups(history: History) -> None:
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
