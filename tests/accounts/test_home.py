"""The home page shows each role its own trays and navigation."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.work import TRAYS_BY_ROLE
from tests.factories import UserFactory


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_trays_on_the_home_page(client, db, role):
    user = UserFactory(roles=[role])
    client.force_login(user)

    body = client.get(reverse("home")).content.decode()

    for tray in TRAYS_BY_ROLE[role]:
        assert tray.title in body
    for other in Role:
        if other != role:
            for tray in TRAYS_BY_ROLE[other]:
                if all(tray.title != own.title for own in TRAYS_BY_ROLE[role]):
                    assert tray.title not in body


def test_a_user_with_two_roles_sees_both_sets_of_trays(client, db):
    client.force_login(UserFactory(roles=[Role.IRO, Role.MANAGER]))

    body = client.get(reverse("home")).content.decode()

    assert "Conferences you chair" in body
    assert "Quarterly dashboard" in body


def test_navigation_offers_teams_only_to_administrators(administrator_client, clerk_client):
    teams_url = reverse("staff:team_list")
    assert teams_url in administrator_client.get(reverse("home")).content.decode()
    assert teams_url not in clerk_client.get(reverse("home")).content.decode()


def test_a_user_without_roles_is_told_to_ask_for_one(client, db):
    client.force_login(UserFactory(roles=[]))
    assert "has no role yet" in client.get(reverse("home")).content.decode()


def test_demo_mode_is_marked_in_the_page_header(iro_client, settings):
    settings.DEMO_MODE = True
    assert 'data-testid="demo-banner"' in iro_client.get(reverse("home")).content.decode()
    settings.DEMO_MODE = False
    assert 'data-testid="demo-banner"' not in iro_client.get(reverse("home")).content.decode()
