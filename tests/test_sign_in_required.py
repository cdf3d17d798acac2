"""Every URL needs sign-in, except the short public allow-list, which shows no case data."""

import pytest
from django.urls import reverse

from config.public import PUBLIC_VIEW_NAMES
from tests.factories import TeamFactory, UserFactory
from tests.urlwalk import all_routes

ROUTES = all_routes()


@pytest.fixture
def case_data_markers(db):
    """Records with distinctive names; none of these may appear on a public page."""
    team = TeamFactory(name="Quenby locality team")
    UserFactory(full_name="Zebedee Quartermain", team=team)
    return ["Zebedee Quartermain", "Quenby locality team"]


def test_the_url_walk_finds_the_project_routes():
    names = {route.name for route in ROUTES}
    assert {"home", "account_login", "reporting:audit_log", "staff:team_edit"} <= names
    assert len(ROUTES) > 20


def test_every_public_view_name_is_a_real_route():
    names = {route.name for route in ROUTES}
    assert names >= PUBLIC_VIEW_NAMES


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.path)
def test_anonymous_visitors_are_sent_to_sign_in_except_on_public_pages(
    client, case_data_markers, route
):
    response = client.get(route.path)

    if route.name in PUBLIC_VIEW_NAMES:
        # A public step that needs a sign-in in progress (the code page) sends you back to it;
        # a questionnaire link that is not real is refused (410) with a page of its own.
        assert response.status_code in (200, 410) or response["Location"].startswith(
            reverse("account_login")
        ), route
        body = response.content.decode()
        for marker in case_data_markers:
            assert marker not in body
    else:
        assert response.status_code == 302, route
        assert response["Location"].startswith(reverse("account_login") + "?next=")
