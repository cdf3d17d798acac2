"""When an open plan's next review is due: the Python rule (rules.timescales.next_review_due)
and its SQL twin, which the clerk's tray orders and bounds by, agree child by child, at month
ends and for a conference held late in the evening in summer time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conferences.booking.trays import reviews_due_without_booking
from conferences.choices import ConferenceStatus, Stage
from rules.timescales import next_review_due
from tests.factories import ChildFactory, PlanFactory, UserFactory, make_conference

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

# (plan started on, last conference held at, local time) for each child; None: none held.
CASES = [
    (date(2025, 11, 30), None),  # 30 Nov + 3 months: 28 Feb
    (date(2025, 8, 31), None),
    (date(2025, 5, 31), datetime(2025, 8, 31, 23, 30)),  # 31 Aug + 6 months: 28 Feb
    (date(2025, 5, 1), datetime(2025, 5, 1, 9, 0)),  # held the day the plan started: first
    (date(2025, 5, 1), datetime(2025, 4, 20, 10, 0)),  # held before it started: first
    (date(2025, 3, 1), datetime(2025, 8, 29, 23, 59)),
    (date(2025, 6, 30), datetime(2025, 10, 26, 0, 30)),  # the night the clocks go back
]


def test_the_trays_review_dates_are_the_python_rules_child_by_child(iro):
    chair = UserFactory(roles=["iro"])
    expected = {}
    for started_on, held in CASES:
        child = ChildFactory()
        PlanFactory(child=child, started_on=started_on)
        held_at = held.replace(tzinfo=LONDON) if held else None
        if held_at:
            make_conference(
                children_stages=[(child, Stage.REVIEW)],
                chair=chair,
                starts_at=held_at,
                status=ConferenceStatus.HELD,
            )
            # An earlier conference, so the rule must take the latest.
            make_conference(
                children_stages=[(child, Stage.INITIAL)],
                chair=chair,
                starts_at=held_at - timedelta(days=40),
                status=ConferenceStatus.HELD,
            )
        expected[child.pk] = next_review_due(plan_started_on=started_on, last_held_at=held_at)
    weeks = (date(2030, 1, 1) - timezone.localdate()).days // 7
    found = {
        child.pk: (child.review_due_on, child.is_first_review)
        for child in reviews_due_without_booking(iro, horizon_weeks=weeks)
    }
    assert found == expected
    listed = [
        child.review_due_on for child in reviews_due_without_booking(iro, horizon_weeks=weeks)
    ]
    assert listed == sorted(listed)  # soonest first
