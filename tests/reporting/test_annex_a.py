"""Annex A list 7 from a small known record set: each column is what an inspector would read
off the child's record, restricted children are listed, and the list costs one query."""

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conferences.choices import ConferenceStatus, Stage
from conferences.models import ChildDecision, ConferenceRecord
from conferences.record.models import RecordStatus
from statutory import annex_a
from tests.factories import (
    ChildFactory,
    LocalityFactory,
    PlanFactory,
    ProfessionalFactory,
    at,
    make_conference,
)

pytestmark = pytest.mark.django_db
START, END = date(2014, 4, 1), date(2015, 3, 31)  # the 2014-15 census year


def _conference(chair, child, on: date, stage: Stage, categories=(), **decision):
    """A held conference for one child with a signed-off decision (a draft if asked)."""
    status = decision.pop("record_status", RecordStatus.FINALISED)
    conference = make_conference(
        children_stages=[(child, stage)],
        chair=chair,
        starts_at=at(on),
        status=ConferenceStatus.HELD,
    )
    record = ConferenceRecord.objects.create(conference=conference, status=status)
    ChildDecision.objects.create(
        record=record, place=conference.attendees.get(), categories=list(categories), **decision
    )
    return conference


@pytest.fixture
def records(iro):
    """Created out of Child ID order, so the list's order is its own."""
    # D: restricted, imported from a census file: no conferences, the census's own facts.
    d = ChildFactory(
        local_case_id="D4",
        sex="F",
        ethnicity="BAFR",
        date_of_birth=date(2008, 2, 29),
        is_restricted=True,
        previous_plans_elsewhere=2,
    )
    PlanFactory(
        child=d,
        started_on=date(2013, 6, 1),
        categories=["PHY"],
        imported_initial_category="MUL",
        imported_latest_category="NEG",
        imported_review_dates=[date(2013, 9, 1), date(2015, 3, 1), date(2015, 6, 1)],
    )

    # A: open across the whole period; categories change at reviews; an earlier plan.
    a = ChildFactory(
        local_case_id="A1",
        sex="F",
        ethnicity="WBRI",
        date_of_birth=date(2010, 3, 31),  # five on the last day
        disabilities=["NONE"],
        locality=LocalityFactory(name="North"),
        social_worker=ProfessionalFactory(full_name="Sam Worker"),
        previous_plans_elsewhere=1,
    )
    PlanFactory(child=a, started_on=date(2011, 1, 10), ended_on=date(2012, 1, 10))
    PlanFactory(
        child=a,
        started_on=date(2014, 3, 3),
        categories=["NEG"],
        imported_review_dates=[date(2014, 6, 1), date(2015, 3, 20)],  # the later one counts
    )
    _conference(iro, a, date(2014, 3, 3), Stage.INITIAL, ["NEG", "PHY"], decision="plan")
    _conference(iro, a, date(2014, 6, 2), Stage.FIRST_REVIEW, ["NEG"], decision="plan_continues")
    _conference(iro, a, date(2015, 2, 2), Stage.REVIEW, ["EMO"], decision="plan_continues")
    # Neither a draft nor a conference after the period sets anything.
    _conference(iro, a, date(2015, 3, 25), Stage.REVIEW, ["PHY"], record_status=RecordStatus.DRAFT)
    _conference(iro, a, date(2015, 4, 20), Stage.REVIEW, ["SAB"], decision="plan_continues")

    # B: a plan that ended in the period, then a second plan.
    b = ChildFactory(
        local_case_id="B2",
        sex="M",
        ethnicity="",
        date_of_birth=date(2000, 4, 1),
        disabilities=["AUT"],
    )
    PlanFactory(child=b, started_on=date(2015, 1, 12), categories=["SAB"])
    PlanFactory(
        child=b,
        started_on=date(2013, 10, 1),
        ended_on=date(2014, 9, 15),
        categories=["PHY"],
        imported_review_dates=[date(2014, 1, 1)],  # earlier than the conference
    )
    _conference(iro, b, date(2013, 10, 1), Stage.INITIAL, ["PHY"], decision="plan")
    _conference(
        iro, b, date(2014, 1, 6), Stage.FIRST_REVIEW, ["PHY", "SAB"], decision="plan_continues"
    )
    _conference(iro, b, date(2014, 9, 15), Stage.REVIEW, decision="plan_ends")
    # The second plan's conference is after the first ended: it sets nothing for that plan.
    _conference(iro, b, date(2015, 1, 12), Stage.INITIAL, ["SAB"], decision="plan")

    # C: unborn, on a plan from a pre-birth conference.
    c = ChildFactory(
        local_case_id="C3",
        sex="U",
        ethnicity="NOBT",
        date_of_birth=None,
        expected_date_of_birth=date(2015, 6, 1),
    )
    PlanFactory(child=c, started_on=date(2015, 2, 2), categories=["NEG"])
    _conference(iro, c, date(2015, 2, 2), Stage.PRE_BIRTH, ["NEG"], decision="plan")

    # E: ended on the period's first day (listed); no conferences, nothing imported.
    e = ChildFactory(local_case_id="E5", sex="M", date_of_birth=date(2012, 12, 1))
    PlanFactory(child=e, started_on=date(2014, 1, 6), ended_on=START, categories=["EMO", "PHY"])

    # G: ends after the period: no end date yet as far as the list goes.
    g = ChildFactory(
        local_case_id="G7", sex="F", date_of_birth=date(2005, 7, 7), disabilities=["NONE", "LD"]
    )
    PlanFactory(
        child=g, started_on=date(2014, 6, 2), ended_on=date(2015, 6, 30), categories=["SAB"]
    )
    # A meeting at an initial stage is not a review conference.
    _conference(iro, g, date(2014, 9, 1), Stage.RECEIVING_IN, ["SAB"], decision="plan")

    # Not listed: ended the day before the period, and started the day after it.
    PlanFactory(
        child=ChildFactory(local_case_id="F6"),
        started_on=date(2013, 1, 7),
        ended_on=date(2014, 3, 31),
    )
    PlanFactory(child=ChildFactory(local_case_id="H8"), started_on=date(2015, 4, 1))


# fmt: off
EXPECTED = [
    ["A1", "F", "WBRI", date(2010, 3, 31), 5, "No", date(2014, 3, 3), "MUL", "EMO", "", "",
     date(2015, 3, 20), "", "", 2, "North", "Sam Worker"],
    ["B2", "M", "", date(2000, 4, 1), 14, "Yes", date(2013, 10, 1), "PHY", "MUL", "", "",
     date(2014, 9, 15), date(2014, 9, 15), "", 0, "", ""],
    ["B2", "M", "", date(2000, 4, 1), 14, "Yes", date(2015, 1, 12), "SAB", "SAB", "", "",
     "", "", "", 1, "", ""],
    ["C3", "U", "NOBT", date(2015, 6, 1), "", "", date(2015, 2, 2), "NEG", "NEG", "", "",
     "", "", "", 0, "", ""],
    ["D4", "F", "BAFR", date(2008, 2, 29), 7, "", date(2013, 6, 1), "MUL", "NEG", "", "",
     date(2015, 3, 1), "", "", 2, "", ""],
    ["E5", "M", "", date(2012, 12, 1), 2, "", date(2014, 1, 6), "MUL", "MUL", "", "",
     "", START, "", 0, "", ""],
    ["G7", "F", "", date(2005, 7, 7), 9, "Yes", date(2014, 6, 2), "SAB", "SAB", "", "",
     "", "", "", 0, "", ""],
]
# fmt: on


def test_the_columns_are_list_7s_in_its_order():
    assert annex_a.COLUMNS == [
        "Child ID",
        "Gender",
        "Ethnicity",
        "Date of birth",
        "Age",
        "Disability",
        "Plan start date",
        "Initial category of abuse",
        "Latest category of abuse",
        "Date of last statutory visit",
        "Seen alone",
        "Date of latest review conference",
        "Plan end date",
        "Emergency protection order or police protection in the last six months",
        "Number of previous plans",
        "Allocated team",
        "Allocated worker",
    ]
    assert set(annex_a.NOT_RECORDED) < set(annex_a.COLUMNS)


def test_each_plan_open_in_the_period_is_a_row_with_what_the_record_shows(records):
    assert annex_a.rows(START, END) == EXPECTED


def test_what_convene_does_not_record_is_left_blank(records):
    blanks = [annex_a.COLUMNS.index(heading) for heading in annex_a.NOT_RECORDED]
    assert {row[index] for row in annex_a.rows(START, END) for index in blanks} == {""}


def test_a_restricted_child_is_listed(records):
    restricted = [row for row in annex_a.rows(START, END) if row[0] == "D4"]
    assert len(restricted) == 1


def test_a_child_born_after_the_period_has_no_age_at_its_end(iro):
    child = ChildFactory(expected_date_of_birth=date(2015, 4, 1), date_of_birth=date(2015, 4, 9))
    PlanFactory(child=child, started_on=date(2015, 1, 5), categories=["NEG"])
    [row] = annex_a.rows(START, END)
    assert row[3:5] == [date(2015, 4, 9), ""]


def test_the_latest_category_is_as_at_the_end_of_a_shorter_period(records):
    by_child = {row[0]: row for row in annex_a.rows(START, date(2014, 12, 31))}
    assert by_child["A1"][7:9] == ["MUL", "NEG"]
    assert by_child["A1"][11] == date(2014, 6, 2)
    assert by_child["D4"][11] == date(2013, 9, 1)
    assert "C3" not in by_child


def test_a_plan_started_the_day_the_last_one_ended_counts_only_its_own_reviews(iro):
    child = ChildFactory(local_case_id="K1")
    ended = date(2014, 7, 7)
    PlanFactory(
        child=child,
        started_on=date(2013, 7, 1),
        ended_on=ended,
        categories=["NEG"],
        imported_review_dates=[date(2013, 10, 1), date(2014, 8, 1)],  # the second is not its
    )
    PlanFactory(child=child, started_on=ended, categories=["EMO"], imported_review_dates=[ended])
    _conference(iro, child, ended, Stage.REVIEW, decision="plan_ends")
    _conference(iro, child, ended, Stage.INITIAL, ["EMO"], decision="plan")
    review = annex_a.COLUMNS.index("Date of latest review conference")
    first, second = annex_a.rows(START, END)
    assert first[review] == ended
    assert second[7:9] == ["EMO", "EMO"]
    assert second[review] == ""


def test_a_start_after_the_end_is_refused():
    with pytest.raises(ValueError, match="start date"):
        annex_a.rows(END, START)


def _queries_for(start: date, end: date) -> int:
    with CaptureQueriesContext(connection) as captured:
        annex_a.rows(start, end)
    return len(captured)


def test_the_list_takes_one_query_whatever_the_number_of_plans(iro):
    def add(count: int):
        for _ in range(count):
            child = ChildFactory(
                locality=LocalityFactory(), social_worker=ProfessionalFactory(), disabilities=["LD"]
            )
            PlanFactory(child=child, started_on=date(2014, 5, 5), categories=["NEG"])
            _conference(iro, child, date(2014, 5, 5), Stage.INITIAL, ["NEG"], decision="plan")
            _conference(iro, child, date(2014, 8, 4), Stage.FIRST_REVIEW, ["EMO"])

    add(2)
    two = _queries_for(START, END)
    add(4)
    six = _queries_for(START, END)
    assert len(annex_a.rows(START, END)) == 6
    assert (two, six) == (1, 1)


def _from_xlsx(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def test_the_csv_and_the_workbook_carry_the_same_rows(records):
    text = annex_a.csv_text(annex_a.rows(START, END))
    from_csv = list(csv.reader(io.StringIO(text)))
    book = load_workbook(io.BytesIO(annex_a.xlsx_bytes(annex_a.rows(START, END))))
    assert book.sheetnames == ["List 7"]
    sheet = book["List 7"]
    from_xlsx = [[_from_xlsx(value) for value in row] for row in sheet.iter_rows(values_only=True)]

    assert from_csv[0] == annex_a.COLUMNS
    assert from_csv[1][:7] == ["A1", "F", "WBRI", "2010-03-31", "5", "No", "2014-03-03"]
    assert len(from_csv) == len(EXPECTED) + 1
    assert from_xlsx == from_csv
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["D2"].is_date
    assert sheet["L2"].is_date
    assert sheet["O2"].value == 2  # a number, not text
