"""Figures from small known record sets: each counting rule, stated in reporting.figures, gives
exactly the number a manager would count by hand."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from conferences.choices import ConferenceStatus, Stage
from conferences.models import ChildDecision, ConferenceRecord
from conferences.record.models import RecordStatus
from reporting.figures import Scope, figure
from rules.periods import Period
from tests.factories import ChildFactory, PlanFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db
YEAR = Scope(Period(2014))  # 2014-15


def _table(slug, scope=YEAR):
    return figure(slug).table(scope)


def _held(chair, on: date, *places, status=ConferenceStatus.HELD, **fields):
    conference = make_conference(
        children_stages=list(places), chair=chair, starts_at=at(on), status=status
    )
    for name, value in fields.items():
        setattr(conference, name, value)
    conference.save()
    return conference


def _decide(conference, child, **fields):
    record, _ = ConferenceRecord.objects.get_or_create(
        conference=conference, defaults={"status": RecordStatus.FINALISED}
    )
    place = conference.attendees.get(child=child)
    return ChildDecision.objects.create(record=record, place=place, **fields)


def test_meetings_are_counted_by_type_and_postponed_ones_are_not_activity(iro):
    a, b, c = ChildFactory(), ChildFactory(), ChildFactory()
    _held(iro, date(2014, 5, 6), (a, Stage.INITIAL))
    _held(iro, date(2014, 5, 7), (a, Stage.INITIAL), (b, Stage.PRE_BIRTH))
    _held(iro, date(2014, 8, 7), (a, Stage.FIRST_REVIEW), (c, Stage.INITIAL))
    _held(iro, date(2014, 8, 8), (b, Stage.REVIEW), status=ConferenceStatus.POSTPONED)
    _held(iro, date(2015, 3, 31), (c, Stage.REVIEW))
    _held(iro, date(2015, 4, 1), (c, Stage.REVIEW))  # the next year
    table = _table("meetings-by-type")
    assert table.cell("initial", "q1") == 1
    assert table.cell("initial_pre_birth", "q1") == 1
    assert table.cell("review_initial", "q2") == 1
    assert table.cell("review", "q4") == 1
    assert table.cell("total", "year") == 4
    assert table.cell("review", "year") == 1


def test_children_on_plans_at_quarter_ends_count_starts_but_not_ends_on_the_last_day(iro):
    PlanFactory(started_on=date(2014, 6, 30))  # counts at the end of Q1
    PlanFactory(started_on=date(2014, 4, 1), ended_on=date(2014, 6, 30))  # does not
    PlanFactory(started_on=date(2013, 1, 1), ended_on=date(2014, 7, 1))  # Q1 only
    PlanFactory(child=ChildFactory(is_restricted=True), started_on=date(2014, 5, 1))
    table = _table("children-on-plans")
    assert table.rows[0].cells == [3, 2, 2, 2, 2]


def test_the_category_at_a_quarter_end_is_the_latest_signed_off_one(iro):
    child = ChildFactory()
    PlanFactory(child=child, started_on=date(2014, 5, 1), categories=["NEG"])
    review = _held(iro, date(2014, 8, 12), (child, Stage.FIRST_REVIEW))
    _decide(review, child, decision="plan_continues", categories=["NEG", "EMO"])
    draft = _held(iro, date(2014, 11, 3), (child, Stage.REVIEW))
    ConferenceRecord.objects.create(conference=draft, status=RecordStatus.DRAFT)
    ChildDecision.objects.create(
        record=draft.record, place=draft.attendees.get(), categories=["PHY"]
    )
    table = _table("category")
    assert [table.cell(code, "q1") for code in ("NEG", "MUL")] == [1, 0]
    assert [table.cell(code, "q2") for code in ("NEG", "MUL")] == [0, 1]
    assert table.cell("PHY", "q3") == 0  # a draft sets nothing
    assert table.cell("total", "year") == 1


def test_two_plans_for_one_child_in_a_year_and_a_repeat_plan(iro):
    child = ChildFactory()
    PlanFactory(child=child, started_on=date(2014, 4, 10), ended_on=date(2014, 7, 1))
    PlanFactory(child=child, started_on=date(2014, 9, 1))
    PlanFactory(child=ChildFactory(previous_plans_elsewhere=1), started_on=date(2014, 10, 2))
    table = _table("plans-started-ended")
    assert table.cell("started", "year") == 2  # children, not plans
    assert table.cell("repeat", "year") == 2
    assert table.cell("started", "q2") == 1
    assert table.cell("repeat", "q2") == 1
    assert table.cell("ended", "q2") == 1


def test_a_plan_ended_at_its_first_review(iro):
    child = ChildFactory()
    PlanFactory(child=child, started_on=date(2014, 5, 1), ended_on=date(2014, 8, 1))
    review = _held(iro, date(2014, 8, 1), (child, Stage.FIRST_REVIEW))
    _decide(review, child, decision="plan_ends", end_reason="no_longer_at_risk")
    table = _table("plans-started-ended")
    assert table.cell("first_review", "q2") == 1
    assert table.cell("first_review_share", "q2") == 100.0


def test_ethnicity_groups_follow_the_dfe_codes(iro):
    for code in ("WBRI", "CHNE", "REFU", "NOBT", ""):
        PlanFactory(child=ChildFactory(ethnicity=code), started_on=date(2014, 4, 2))
    table = _table("ethnicity")
    q1 = {row.key: row.cells[0] for row in table.rows}
    assert q1["White"] == 1
    assert q1["Other ethnic group"] == 1
    assert q1["Not stated"] == 2
    assert q1["Blank"] == 1
    assert q1["total"] == 5


def test_age_bands_at_the_quarter_end(iro):
    births = [date(2009, 6, 30), date(2009, 7, 1), date(1998, 6, 30)]  # 5, 4 and 16 then
    for born in births:
        PlanFactory(child=ChildFactory(date_of_birth=born), started_on=date(2014, 4, 2))
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=date(2014, 9, 1))
    PlanFactory(child=unborn, started_on=date(2014, 5, 2))
    table = _table("age")
    assert {row.key: row.cells[0] for row in table.rows} == {
        "unborn": 1,
        "0-4": 1,
        "5-9": 1,
        "10-15": 0,
        "16+": 1,
        "total": 4,
    }


def test_report_receipt_uses_the_previous_working_day(iro):
    child = ChildFactory()
    monday = date(2014, 6, 2)
    for received in (monday, date(2014, 5, 30), date(2014, 5, 29)):  # on the day, Fri, Thu
        _held(iro, monday, (child, Stage.REVIEW), report_to_family_on=received)
    # The Tuesday after the late May bank holiday (26 May 2014): Friday 23 is the day before.
    _held(iro, date(2014, 5, 27), (child, Stage.REVIEW), report_to_family_on=date(2014, 5, 23))
    _held(iro, monday, (child, Stage.REVIEW), report_to_family_not_received=True)
    _held(iro, monday, (child, Stage.REVIEW))
    table = _table("report-to-family")
    q1 = {row.key: row.cells[0] for row in table.rows}
    assert (q1["on_the_day"], q1["previous_day"], q1["earlier"]) == (1, 2, 1)
    assert (q1["not_received"], q1["not_recorded"], q1["total"]) == (1, 1, 6)
    assert q1["previous_day_share"] == 33.3


def test_a_restricted_record_is_counted_but_not_listed(iro, manager_client):
    hidden = ChildFactory(is_restricted=True)
    PlanFactory(child=hidden, started_on=date(2014, 4, 2))
    shown = ChildFactory(first_name="Visible")
    PlanFactory(child=shown, started_on=date(2014, 4, 2))
    query = {"year": 2014, "column": "q1", "row": "on_plan"}
    url = reverse("reporting:records_behind", args=["children-on-plans"])
    page = manager_client.get(url, query).content.decode()
    assert "Visible" in page
    assert hidden.first_name not in page
    assert "1 record not shown" in page
    dashboard = manager_client.get(reverse("reporting:dashboard"), {"year": 2014})
    assert dashboard.context["shown"][2].table.cell("on_plan", "q1") == 2


def test_the_downloads_carry_the_same_figures(iro, manager_client):
    PlanFactory(started_on=date(2014, 4, 2))
    response = manager_client.get(
        reverse("reporting:table_csv", args=["children-on-plans"]), {"year": 2014}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["row", "Q1", "Q2", "Q3", "Q4", "Year"], ["Children on a plan"] + ["1"] * 5]
    book = manager_client.get(reverse("reporting:dashboard_xlsx"), {"year": 2014})
    sheets = load_workbook(io.BytesIO(book.content))
    sheet = next(s for s in sheets.worksheets if s.title.endswith("children-on-plans"))
    assert [cell.value for cell in sheet[3]] == ["Children on a plan", 1, 1, 1, 1, 1]


def test_the_dashboard_keeps_a_constant_number_of_queries(
    iro, manager_client, assert_constant_queries
):
    def add():
        for _ in range(3):
            child = ChildFactory()
            PlanFactory(child=child, started_on=date(2014, 4, 2), categories=["NEG"])
            _held(iro, date(2014, 6, 3), (child, Stage.FIRST_REVIEW))

    assert_constant_queries(manager_client, reverse("reporting:dashboard") + "?year=2014", add)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_managers_reach_the_dashboard_pages(client, role):
    client.force_login(UserFactory(roles=[role]))
    urls = [
        reverse("reporting:dashboard"),
        reverse("reporting:dashboard_xlsx"),
        reverse("reporting:table_csv", args=["category"]),
        reverse("reporting:records_behind", args=["category"]) + "?column=q1&row=NEG",
        reverse("reporting:definitions"),
        reverse("reporting:data_quality"),
    ]
    codes = {client.get(url).status_code for url in urls}
    assert codes == ({200} if role == Role.MANAGER else {403})


def test_export_tables_writes_one_csv_per_table(iro, tmp_path):
    from django.core.management import call_command

    from reporting.figures import FIGURES

    PlanFactory(started_on=date(2014, 4, 2), categories=["NEG"])
    call_command("export_tables", "--year", "2014", "--out", str(tmp_path))
    assert {path.stem for path in tmp_path.glob("*.csv")} == {f.slug for f in FIGURES}
    rows = list(csv.reader((tmp_path / "category.csv").open()))
    assert rows[0] == ["row", "Q1", "Q2", "Q3", "Q4", "Year"]
    assert rows[1] == ["Neglect", "1", "1", "1", "1", "1"]


def test_the_data_quality_panel_counts_everything_and_lists_what_you_may_open(iro, manager_client):
    from django.utils import timezone

    yesterday = timezone.localdate() - timedelta(days=1)
    ChildFactory(date_of_birth=None, expected_date_of_birth=yesterday, first_name="Overdue")
    ChildFactory(
        date_of_birth=None, expected_date_of_birth=yesterday, is_restricted=True, first_name="Hid"
    )
    PlanFactory(child=ChildFactory(ethnicity="", first_name="Blankety"), categories=["NEG"])
    page = manager_client.get(reverse("reporting:data_quality")).content.decode()
    assert "Unborn child past the expected date of birth: 2" in page
    assert "Overdue" in page
    assert "Hid " not in page
    assert "1 not shown" in page
    assert "Child on a plan with no ethnicity recorded: 1" in page


def test_a_plan_recorded_without_a_category_is_shown_not_dropped(iro):
    PlanFactory(started_on=date(2014, 4, 2), categories=[])
    PlanFactory(started_on=date(2014, 4, 2), categories=["SAB"])
    table = _table("category")
    assert table.cell("NONE", "q1") == 1
    assert table.cell("SAB", "q1") == 1
    assert table.cell("total", "q1") == _table("children-on-plans").cell("on_plan", "q1")
