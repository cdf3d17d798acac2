"""A plan imported from a census with MUL as its latest category, and no conference since,
is MUL everywhere it is shown: the dashboard, its drill-down, Annex A, the census and the
child's page, all from rules.categories."""

from datetime import date

import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse

from reporting.figures import Scope, figure
from rules.periods import Period
from statutory import annex_a
from statutory.census_export import census_xml
from tests.factories import ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    """As the census import leaves a MUL plan: no categories of its own, the census's codes."""
    child = ChildFactory(first_name="Imogen", last_name="Census", date_of_birth=date(2010, 1, 2))
    PlanFactory(
        child=child,
        started_on=date(2013, 9, 2),
        categories=[],
        imported_initial_category="NEG",
        imported_latest_category="MUL",
    )
    return child


def _records_behind(client, row: str) -> str:
    url = reverse("reporting:records_behind", args=["category"])
    response = client.get(url, {"year": 2014, "column": "q1", "row": row})
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_counts_the_imported_plan_as_multiple(imported):
    table = figure("category").table(Scope(Period(2014)))
    assert [table.cell(row, "q1") for row in ("MUL", "NONE", "total")] == [1, 0, 1]


def test_the_drill_down_lists_the_imported_plan_under_multiple(imported, manager_client):
    assert "Imogen" in _records_behind(manager_client, "MUL")
    assert "Imogen" not in _records_behind(manager_client, "NONE")


def test_annex_a_lists_the_imported_plan_as_multiple(imported):
    [row] = annex_a.rows(date(2014, 4, 1), date(2015, 3, 31))
    initial = annex_a.COLUMNS.index("Initial category of abuse")
    assert row[initial : initial + 2] == ["NEG", "MUL"]


def test_the_census_exports_the_imported_plan_as_multiple(imported):
    plan = fromstring(census_xml(2014, "999")).find(".//ChildProtectionPlans")
    assert plan.findtext("InitialCategoryOfAbuse") == "NEG"
    assert plan.findtext("LatestCategoryOfAbuse") == "MUL"


def test_the_childs_page_shows_the_imported_plan_as_multiple(imported, clerk_client):
    page = clerk_client.get(reverse("conferences:child_detail", args=[imported.pk]))
    assert "NEG; MUL" in page.content.decode()


def test_the_data_quality_panel_does_not_call_the_imported_plan_uncategorised(
    imported, manager_client
):
    PlanFactory(child=ChildFactory(first_name="Nocat"), started_on=date(2014, 4, 2), categories=[])
    page = manager_client.get(reverse("reporting:data_quality")).content.decode()
    heading = "Plan with no category of abuse (counted in no category): "
    section = page.split(heading)[1].split("<h2")[0]
    assert section.startswith("1<")
    assert "Nocat" in section
    assert "Imogen" not in section
