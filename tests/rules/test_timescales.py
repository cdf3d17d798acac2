"""When each child's conference is due, stage by stage, and what is due before and after it."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from conferences.choices import Stage
from conferences.models import Child
from rules.timescales import (
    ChildHistory,
    MissingClockDate,
    decision_letter_due,
    due_date,
    first_core_group_due,
    is_decision_letter_on_time,
    next_core_group_due,
    next_review_due,
    record_distribution_due,
    report_due_dates,
)
from rules.working_days import WorkingCalendar

CALENDAR = WorkingCalendar()
NO_HISTORY = ChildHistory(None, None, False, None)


def test_an_initial_conference_is_due_15_working_days_after_the_strategy_discussion():
    # From Wednesday 10 December 2014 across Christmas, Boxing Day and New Year's Day.
    child = Child(strategy_discussion_on=date(2014, 12, 10), date_of_birth=date(2012, 1, 1))
    assert due_date(child, Stage.INITIAL, NO_HISTORY, CALENDAR) == date(2015, 1, 5)


def test_a_receiving_in_conference_runs_from_the_other_authoritys_notification():
    # Easter 2015: Good Friday 3 April and Easter Monday 6 April are not working days.
    child = Child(transfer_notified_on=date(2015, 3, 27), date_of_birth=date(2012, 1, 1))
    assert due_date(child, Stage.RECEIVING_IN, NO_HISTORY, CALENDAR) == date(2015, 4, 21)


def test_a_reconvened_conference_is_due_10_working_days_after_the_inquorate_one():
    child = Child(date_of_birth=date(2012, 1, 1))
    history = ChildHistory(date(2014, 12, 19), date(2014, 12, 19), False, None)
    assert due_date(child, Stage.RECONVENED, history, CALENDAR) == date(2015, 1, 7)


def test_a_first_review_is_due_three_calendar_months_after_the_initial_clamped_to_month_end():
    child = Child(date_of_birth=date(2012, 1, 1))
    history = ChildHistory(date(2014, 11, 30), date(2014, 11, 30), False, date(2014, 11, 30))
    assert due_date(child, Stage.FIRST_REVIEW, history, CALENDAR) == date(2015, 2, 28)


def test_later_reviews_are_due_six_months_after_the_previous_one():
    child = Child(date_of_birth=date(2012, 1, 1))
    history = ChildHistory(date(2014, 8, 31), date(2014, 2, 1), False, date(2014, 2, 1))
    assert due_date(child, Stage.REVIEW, history, CALENDAR) == date(2015, 2, 28)


def test_a_pre_birth_first_review_is_due_at_the_sooner_of_three_months_and_after_the_birth():
    history = ChildHistory(date(2015, 1, 5), date(2015, 1, 5), True, date(2015, 1, 5))
    unborn = Child(expected_date_of_birth=date(2015, 3, 1))
    assert due_date(unborn, Stage.FIRST_REVIEW, history, CALENDAR) == date(2015, 4, 5)
    born_early = Child(date_of_birth=date(2015, 1, 20))
    assert due_date(born_early, Stage.FIRST_REVIEW, history, CALENDAR) == date(2015, 2, 3)


def test_a_missing_clock_date_is_named():
    with pytest.raises(MissingClockDate, match="strategy discussion"):
        due_date(Child(first_name="Amy", last_name="Lee"), Stage.INITIAL, NO_HISTORY, CALENDAR)


def test_report_due_dates_follow_the_initial_rule_for_a_mixed_meeting():
    # Monday 30 November 2026: initial 2 and 1 working days before; review 3 and 3.
    mixed = report_due_dates([Stage.REVIEW, Stage.INITIAL], date(2026, 11, 30), CALENDAR)
    assert (mixed.to_family, mixed.to_chair) == (date(2026, 11, 26), date(2026, 11, 27))
    review = report_due_dates([Stage.REVIEW], date(2026, 11, 30), CALENDAR)
    assert (review.to_family, review.to_chair) == (date(2026, 11, 25), date(2026, 11, 25))


def test_the_decision_letter_is_due_a_working_day_after_the_conference_and_the_record_15():
    # Friday 19 December 2014: the next working day is Monday; 15 run past Christmas.
    assert decision_letter_due(date(2014, 12, 19), CALENDAR) == date(2014, 12, 22)
    assert record_distribution_due(date(2014, 12, 19), CALENDAR) == date(2015, 1, 14)


def test_a_letter_sent_on_the_weekend_after_its_friday_due_day_missed_no_working_day():
    held_on = date(2014, 12, 18)  # a Thursday: the letter is due on Friday
    assert is_decision_letter_on_time(held_on, date(2014, 12, 20), CALENDAR) is True
    assert is_decision_letter_on_time(held_on, date(2014, 12, 22), CALENDAR) is False
    assert is_decision_letter_on_time(held_on, None, CALENDAR) is None


def test_the_first_core_group_is_due_10_working_days_after_the_plan_and_later_ones_30_apart():
    started_on = date(2014, 12, 1)
    assert first_core_group_due(started_on, CALENDAR) == date(2014, 12, 15)
    assert next_core_group_due(started_on, None, CALENDAR) == date(2014, 12, 15)
    assert next_core_group_due(started_on, date(2014, 12, 15), CALENDAR) == date(2015, 1, 29)


def test_an_open_plans_next_review_is_its_first_until_a_review_is_held():
    started_on = date(2014, 11, 30)
    assert next_review_due(plan_started_on=started_on, last_held_at=None) == (
        date(2015, 2, 28),
        True,
    )
    # The initial conference that started the plan is not a review.
    initial = timezone.make_aware(datetime(2014, 11, 30, 10))
    assert next_review_due(plan_started_on=started_on, last_held_at=initial)[1] is True
    reviewed = timezone.make_aware(datetime(2015, 2, 27, 10))
    assert next_review_due(plan_started_on=started_on, last_held_at=reviewed) == (
        date(2015, 8, 27),
        False,
    )


def test_the_sign_off_rule_for_queries_agrees_with_the_due_date_on_every_working_day():
    """The sweep chases from record_sign_off_due; the data-quality list asks the database for
    conferences held before sign_off_overdue_if_held_before(today). On working days the two say
    the same, over a month with a bank holiday (Christmas) and weekends."""
    from rules.timescales import record_sign_off_due, sign_off_overdue_if_held_before

    calendar = WorkingCalendar([])
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(40)]
    working = [day for day in days if calendar.is_working_day(day)]
    for today in working:
        cutoff = sign_off_overdue_if_held_before(today, calendar)
        for held in working:
            assert (record_sign_off_due(held, calendar) < today) == (held < cutoff), (held, today)
