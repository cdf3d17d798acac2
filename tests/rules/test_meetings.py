"""A meeting's type, quorum, police notice and report receipt, as the service counts them; and
the SQL forms the figures count by give the Python rules' answer on the same records."""

import itertools
from datetime import date

import pytest

from conferences.choices import AgencyKind, Attendance, ConferenceStatus, Stage
from conferences.models import Agency, Conference, Invitation, Professional
from reporting.figures.sql import local_date
from rules.meetings import (
    MeetingType,
    ReportReceipt,
    classify_report_receipt,
    is_police_notice_short,
    is_quorate,
    meeting_type,
    meeting_type_sql,
    report_receipt_sql,
)
from rules.working_days import WorkingCalendar, WorkingDayTable, working_calendar
from tests.factories import ChildFactory, at, make_conference


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ([Stage.INITIAL, Stage.INITIAL], MeetingType.INITIAL),
        ([Stage.PRE_BIRTH], MeetingType.PRE_BIRTH),
        ([Stage.INITIAL, Stage.PRE_BIRTH], MeetingType.INITIAL_AND_PRE_BIRTH),
        ([Stage.REVIEW, Stage.INITIAL], MeetingType.REVIEW_AND_INITIAL),
        ([Stage.FIRST_REVIEW, Stage.PRE_BIRTH], MeetingType.REVIEW_AND_INITIAL),
        ([Stage.FIRST_REVIEW, Stage.REVIEW], MeetingType.FIRST_REVIEW),
        ([Stage.RECEIVING_IN], MeetingType.RECEIVING_IN),
        ([Stage.RECONVENED], MeetingType.RECONVENED),
        ([Stage.REVIEW], MeetingType.REVIEW),
    ],
)
def test_the_meeting_type_follows_the_childrens_stages(stages, expected):
    assert meeting_type(stages) == expected


def test_a_meeting_needs_a_child():
    with pytest.raises(ValueError, match="at least one child"):
        meeting_type([])


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


@pytest.mark.django_db
def test_the_sql_meeting_type_agrees_with_the_python_rule_for_every_mix_of_stages(iro):
    stages = list(Stage)
    expected = {}
    for size in range(1, len(stages) + 1):
        for mix in itertools.combinations(stages, size):
            conference = make_conference(
                children_stages=[(ChildFactory(), stage) for stage in mix],
                chair=iro,
                starts_at=at(date(2014, 6, 2)),
                status=ConferenceStatus.HELD,
            )
            expected[conference.pk] = meeting_type(mix)
    found = Conference.objects.annotate(kind=meeting_type_sql()).values_list("pk", "kind")
    assert dict(found) == expected


# (held on, received on, not received): each receipt class, the weekend, a bank holiday, and
# a conference at 00:30 BST (the day before in UTC).
RECEIPTS = [
    (at(MONDAY), MONDAY, False),
    (at(MONDAY), date(2026, 12, 1), False),
    (at(MONDAY), date(2026, 11, 29), False),
    (at(MONDAY), date(2026, 11, 27), False),
    (at(MONDAY), date(2026, 11, 26), False),
    (at(MONDAY), None, True),
    (at(MONDAY), date(2026, 11, 27), True),
    (at(MONDAY), None, False),
    (at(date(2026, 12, 29)), date(2026, 12, 24), False),
    (at(date(2026, 12, 29)), date(2026, 12, 23), False),
    (at(date(2026, 6, 2), hour=0, minute=30), date(2026, 6, 1), False),
    (at(date(2026, 6, 2), hour=0, minute=30), date(2026, 5, 29), False),
]


@pytest.mark.django_db
def test_the_sql_report_receipt_agrees_with_the_python_rule(iro):
    expected = {}
    for starts_at, received_on, not_received in RECEIPTS:
        conference = make_conference(
            children_stages=[(ChildFactory(), Stage.REVIEW)],
            chair=iro,
            starts_at=starts_at,
            status=ConferenceStatus.HELD,
        )
        conference.report_to_family_on = received_on
        conference.report_to_family_not_received = not_received
        conference.save()
        expected[conference.pk] = classify_report_receipt(
            received_on=received_on,
            not_received=not_received,
            held_on=conference.held_on,
            calendar=working_calendar(),
        )
    table = WorkingDayTable(date(2026, 1, 1), date(2026, 12, 31))
    held = local_date("starts_at")
    found = Conference.objects.annotate(
        receipt=report_receipt_sql("family", held, table.previous_working_day(held))
    ).values_list("pk", "receipt")
    assert dict(found) == expected
    assert set(expected.values()) == set(ReportReceipt)
