"""Quorum, police notice and report timeliness, as the service counts them."""

from datetime import date

import pytest

from conferences.choices import AgencyKind, Attendance
from conferences.models import Agency, Invitation, Professional
from conferences.rules import (
    ReportReceipt,
    classify_report_receipt,
    is_police_notice_short,
    is_quorate,
)
from rules.working_days import WorkingCalendar

AGENCY_IDS = {}


def _invitation(agency_name, kind, attendance):
    # Unsaved, so each agency needs an id of its own to be told apart.
    agency_id = AGENCY_IDS.setdefault(agency_name, len(AGENCY_IDS) + 1)
    agency = Agency(pk=agency_id, name=agency_name, kind=kind)
    return Invitation(professional=Professional(agency=agency), attendance=attendance)


SOCIAL_CARE = ("Children's social care", AgencyKind.CHILDRENS_SOCIAL_CARE)
POLICE = ("Constabulary", AgencyKind.POLICE)
HEALTH = ("Health visiting", AgencyKind.HEALTH_VISITOR)
SCHOOL = ("Brook Primary", AgencyKind.SCHOOL)


def test_social_care_and_two_other_agencies_attending_is_quorate():
    invitations = [
        _invitation(*SOCIAL_CARE, Attendance.ATTENDED),
        _invitation(*POLICE, Attendance.ATTENDED),
        _invitation(*HEALTH, Attendance.ATTENDED),
    ]
    assert is_quorate(invitations)


def test_a_report_without_attendance_does_not_make_a_quorum():
    invitations = [
        _invitation(*SOCIAL_CARE, Attendance.ATTENDED),
        _invitation(*POLICE, Attendance.ATTENDED),
        _invitation(*HEALTH, Attendance.REPORT_ONLY),
    ]
    assert not is_quorate(invitations)


def test_without_social_care_there_is_no_quorum():
    invitations = [
        _invitation(*POLICE, Attendance.ATTENDED),
        _invitation(*HEALTH, Attendance.ATTENDED),
        _invitation(*SCHOOL, Attendance.ATTENDED),
    ]
    assert not is_quorate(invitations)


def test_two_people_from_one_agency_count_once():
    invitations = [
        _invitation(*SOCIAL_CARE, Attendance.ATTENDED),
        _invitation(*POLICE, Attendance.ATTENDED),
        _invitation(*POLICE, Attendance.ATTENDED),
    ]
    assert not is_quorate(invitations)


def test_police_notice_under_seven_days_is_short_and_seven_is_enough():
    police = _invitation(*POLICE, "")
    held_on = date(2026, 12, 10)
    police.sent_on = date(2026, 12, 4)
    assert is_police_notice_short(police, held_on=held_on, today=date(2026, 12, 1))
    police.sent_on = date(2026, 12, 3)
    assert not is_police_notice_short(police, held_on=held_on, today=date(2026, 12, 1))


def test_an_unsent_police_invitation_is_measured_from_today():
    police = _invitation(*POLICE, "")
    assert is_police_notice_short(police, held_on=date(2026, 12, 10), today=date(2026, 12, 5))


def test_other_agencies_have_no_notice_rule():
    school = _invitation(*SCHOOL, "")
    assert not is_police_notice_short(school, held_on=date(2026, 12, 2), today=date(2026, 12, 1))


MONDAY = date(2026, 11, 30)
CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        (date(2026, 11, 30), ReportReceipt.ON_THE_DAY),
        (date(2026, 12, 1), ReportReceipt.ON_THE_DAY),  # late counts as on the day
        (date(2026, 11, 29), ReportReceipt.PREVIOUS_DAY),  # Sunday before a Monday
        (date(2026, 11, 28), ReportReceipt.PREVIOUS_DAY),  # Saturday
        (date(2026, 11, 27), ReportReceipt.PREVIOUS_DAY),  # Friday: the previous working day
        (date(2026, 11, 26), ReportReceipt.EARLIER),  # Thursday
    ],
)
def test_report_receipt_before_a_monday_conference_across_the_weekend(received_on, expected):
    assert (
        classify_report_receipt(
            received_on=received_on, not_received=False, held_on=MONDAY, calendar=CALENDAR
        )
        == expected
    )


def test_report_receipt_after_a_bank_holiday_looks_back_past_it():
    # Tuesday 29 December 2026 follows Christmas Day and the observed Boxing Day.
    held_on = date(2026, 12, 29)
    assert (
        classify_report_receipt(
            received_on=date(2026, 12, 24), not_received=False, held_on=held_on, calendar=CALENDAR
        )
        == ReportReceipt.PREVIOUS_DAY
    )


def test_not_received_and_not_recorded_are_told_apart():
    assert (
        classify_report_receipt(
            received_on=None, not_received=True, held_on=MONDAY, calendar=CALENDAR
        )
        == ReportReceipt.NOT_RECEIVED
    )
    assert (
        classify_report_receipt(
            received_on=None, not_received=False, held_on=MONDAY, calendar=CALENDAR
        )
        == ReportReceipt.NOT_RECORDED
    )
