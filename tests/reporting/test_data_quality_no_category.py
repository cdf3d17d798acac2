"""The data quality panel works the category rule out only for plans it can find in no category
(a span in no category, or no span at all) and finds the same plans as the rule over all."""

from datetime import date

import pytest
from django.urls import reverse

from conferences.models import PlanCategorySpan
from tests.factories import ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db

HEADING = "Plan with no category of abuse (counted in no category): "


def _no_category_section(client) -> str:
    page = client.get(reverse("reporting:data_quality")).content.decode()
    return page.split(HEADING)[1].split("<h2")[0]


def test_a_plan_with_no_category_is_listed_and_a_categorised_one_is_not(manager_client):
    PlanFactory(child=ChildFactory(first_name="Nocat"), started_on=date(2024, 4, 2), categories=[])
    PlanFactory(
        child=ChildFactory(first_name="Neglected"), started_on=date(2024, 4, 2), categories=["NEG"]
    )
    section = _no_category_section(manager_client)
    assert section.startswith("1<")
    assert "Nocat" in section
    assert "Neglected" not in section


def test_a_plan_without_category_spans_is_judged_by_what_it_was_recorded_with(manager_client):
    # The rule reads the plan's own record when no span covers it: such a plan is not missed.
    bare = PlanFactory(child=ChildFactory(first_name="Spanless"), categories=[])
    recorded = PlanFactory(child=ChildFactory(first_name="Recorded"), categories=["PHY"])
    PlanCategorySpan.objects.filter(plan_id__in=[bare.pk, recorded.pk]).delete()
    section = _no_category_section(manager_client)
    assert section.startswith("1<")
    assert "Spanless" in section
    assert "Recorded" not in section
