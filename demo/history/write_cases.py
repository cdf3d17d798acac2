"""Step 6, writing the families, children, plans and conferences (postponed bookings included)."""

from datetime import time

from conferences.choices import ConferenceStatus
from conferences.models import Child, ChildProtectionPlan, Conference, ConferenceChild, Family
from demo.history.children import kid_span
from demo.history.in_memory import History, Meeting
from demo.history.reference import Rows
from demo.history.targets import BATCH, DAY, aware


def write_people(history: History, rows: Rows) -> None:
    families = []
    for household in history.households:
        first_seen = min(kid_span(kid)[0] for kid in household.kids)
        household.row = Family(
            name=household.name, created_at=aware(first_seen - DAY * 14, time(11, 0))
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


def write_conferences(history: History, rows: Rows) -> None:
    """Postponed bookings first, so that the held conference can name the one it replaced."""
    rng = history.rng
    postponed = {}
    for meeting in history.meetings:
        if meeting.postponed_on:
            chair, slot, room = meeting.postponed_slot
            postponed[meeting] = Conference(
                family=meeting.household.row,
                starts_at=aware(meeting.postponed_on, slot),
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
                booked_at=aware(meeting.postponed_on - DAY * rng.randint(14, 40), time(11, 0)),
            )
    Conference.objects.bulk_create(postponed.values(), batch_size=BATCH)
    for meeting in history.meetings:
        meeting.row = Conference(
            family=meeting.household.row,
            starts_at=aware(meeting.held_on, meeting.starts_at),
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
            booked_at=aware(meeting.held_on - DAY * rng.randint(10, 40), time(11, 0)),
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
