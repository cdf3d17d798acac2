"""Step 6, writing the signed-off records, each child's decision, and core group meetings."""

from datetime import date, time

from conferences.choices import Decision
from conferences.models import ChildDecision, ConferenceRecord, CoreGroupMeeting
from conferences.record.models import RecordStatus
from demo.history.in_memory import History, Place
from demo.history.reference import Rows
from demo.history.targets import BATCH, aware
from rules.periods import financial_year_of
from rules.timescales import first_review_due, review_due

MULTIPLE_REASONS = (
    "Neglect and emotional harm are both evidenced and each needs its own part of the plan.",
    "Physical injuries and the emotional impact of the home both need protective action.",
    "The concerns span more than one category; the chair will review this at the next review.",
)


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
    held_on = place.meeting.held_on
    # A plan starts on the day it is made.
    return first_review_due(held_on) if place.decision == Decision.PLAN else review_due(held_on)


def write_records(history: History, rows: Rows) -> None:
    """A signed-off record for every meeting, with a decision for every child: what finalising
    would have left. Decision letters and records go out faster each year (5.2.6)."""
    rng, calendar = history.rng, history.calendar
    on_time = {2011: 0.6, 2012: 0.65, 2013: 0.72, 2014: 0.86}
    records = []
    for meeting in history.meetings:
        held, chair = meeting.held_on, rows.iros[meeting.chair]
        signed = aware(calendar.add_working_days(held, rng.choice((0, 0, 1, 1, 2))), time(16, 30))
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


def write_core_groups(history: History, rows: Rows) -> None:
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
