"""Every tray on the home page opens a page its role can use: no tile promises a page."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.work import TRAYS_BY_ROLE
from tests.factories import UserFactory


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_tray_on_the_home_page_opens_a_page_the_role_may_use(client, db, role):
    client.force_login(UserFactory(roles=[role]))
    body = client.get(reverse("home")).content.decode()

    assert "Not available yet" not in body
    for tray in TRAYS_BY_ROLE[role]:
        url = reverse(tray.url_name)
        assert f'href="{url}"' in body, tray.title
        assert client.get(url).status_code == 200, tray.title
