"""The records behind a number: every row and column a table shows opens, and nothing else."""

import pytest
from django.urls import reverse

from reporting.dashboard.forms import DashboardForm
from reporting.figures.registry import FIGURES

pytestmark = pytest.mark.django_db


def _scope():
    form = DashboardForm({"year": "2014"})
    assert form.is_valid()
    return form.scope()


@pytest.mark.parametrize("figure", FIGURES, ids=lambda figure: figure.slug)
def test_every_row_a_table_shows_opens_its_records(manager_client, figure):
    scope = _scope()
    table = figure.table(scope)
    counted = [row for row in table.rows if not row.key.endswith("share")]
    column = table.columns[0]
    url = reverse("reporting:records_behind", args=[figure.slug])

    answers = {
        row.key: manager_client.get(url, {"year": 2014, "column": column.key, "row": row.key})
        for row in counted
    }

    assert {key: response.status_code for key, response in answers.items()} == {
        row.key: 200 for row in counted
    }


@pytest.mark.parametrize("figure", FIGURES, ids=lambda figure: figure.slug)
def test_a_total_is_offered_only_by_a_table_that_has_one(manager_client, figure):
    has_total = any(row.key == "total" for row in figure.table(_scope()).rows)
    column = figure.columns(_scope())[0]

    response = manager_client.get(
        reverse("reporting:records_behind", args=[figure.slug]),
        {"year": 2014, "column": column.key, "row": "total"},
    )

    assert response.status_code == (200 if has_total else 404)
