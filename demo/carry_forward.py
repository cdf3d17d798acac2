"""After the demo history: the plans still open at 31 March 2015 end at a review held in
2015-16, so no 2011-15 figure changes and today's trays hold only today's demo cases (the
present-day demo in demo/conferences.py books the upcoming conferences, reports and referrals).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from conferences.choices import ConferenceStatus, Decision, PlanEndReason, Stage
from conferences.models import (
    ChildDecision,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceRecord,
)
from conferences.record.models import RecordStatus
from config.services import audited_write
from rules.working_days import working_calendar

HISTORY_END = date(2015, 3, 31)
REVIEW_WITHIN = timedelta(days=180)


@transaction.atomic
def close_history_plans() -> int:
    """End each history plan still open after 31 March 2015 at a review in 2015-16, one
    meeting per family, chaired by the family's last chair. Returns the meetings added."""
    open_plans = list(
        ChildProtectionPlan.objects.filter(
            ended_on__isnull=True, started_on__lte=HISTORY_END
        ).select_related("child")
    )
    if not open_plans:
        return 0
    last = {}
    for place in (
        ConferenceChild.objects.filter(
            child__in=[plan.child_id for plan in open_plans],
            conference__status=ConferenceStatus.HELD,
        )
        .select_related("conference")
        .order_by("conference__starts_at")
    ):
        last[place.child_id] = place.conference
    calendar = working_calendar()
    by_family: dict[int, list[ChildProtectionPlan]] = {}
    for plan in open_plans:
        by_family.setdefault(plan.child.family_id, []).append(plan)
    added = 0
    with audited_write(None, "load_demo_history"):
        for plans in by_family.values():
            previous = max(
                (last[p.child_id] for p in plans if p.child_id in last),
                key=lambda c: c.starts_at,
                default=None,
            )
            if previous is None:
                continue
            day = _review_day(calendar, previous.held_on)
            conference = Conference.objects.create(
                family_id=plans[0].child.family_id,
                starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
                venue_id=previous.venue_id,
                chair_id=previous.chair_id,
                status=ConferenceStatus.HELD,
                is_past_record=True,
                booked_by_id=previous.chair_id,
                report_to_family_on=calendar.add_working_days(day, -3),
                report_to_chair_on=calendar.add_working_days(day, -3),
            )
            record = ConferenceRecord.objects.create(
                conference=conference,
                status=RecordStatus.FINALISED,
                finalised_at=conference.starts_at + timedelta(hours=3),
                finalised_by_id=previous.chair_id,
                decision_letter_sent_on=calendar.add_working_days(day, 1),
                record_distributed_on=calendar.add_working_days(day, 10),
            )
            for plan in plans:
                place = ConferenceChild.objects.create(
                    conference=conference, child=plan.child, stage=Stage.REVIEW, due_on=day
                )
                ChildDecision.objects.create(
                    record=record,
                    place=place,
                    decision=Decision.PLAN_ENDS,
                    end_reason=PlanEndReason.NO_LONGER_AT_RISK,
                )
                plan.ended_on = day
                plan.end_reason = PlanEndReason.NO_LONGER_AT_RISK
                plan.save(update_fields=["ended_on", "end_reason"])
            added += 1
    return added


def _review_day(calendar, previous: date) -> date:
    """A working day after 31 March 2015, within six months of the last meeting."""
    day = max(previous + REVIEW_WITHIN - timedelta(days=14), HISTORY_END + timedelta(days=7))
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day
