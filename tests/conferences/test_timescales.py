"""When each child's conference is due, stage by stage."""

from datetime import date

import pytest

from conferences.choices import Stage
from conferences.models import Child
from conferences.timescales import ChildHistory, MissingClockDate, due_date, report_due_dates
from conferences.working_days import WorkingCalendar

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
