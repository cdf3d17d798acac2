"""Every advocacy URL for every role."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from advocacy.models import Referral
from tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_reaches_only_the_advocacy_pages_it_should(client, role):
    """An unassigned referral with no views shared: advocates see it and may take it; clerks
    and managers read it; an IRO has been shared nothing (404), an administrator sees none."""
    child = ChildFactory(date_of_birth=date(2012, 1, 1))
    referral = Referral.objects.create(child=child)
    client.force_login(UserFactory(roles=[role]))
    tray = client.get(reverse("advocacy:tray")).status_code
    detail = client.get(reverse("advocacy:referral_detail", args=[referral.pk])).status_code
    refer = client.get(reverse("advocacy:refer", args=[child.pk])).status_code
    writes = [
        client.post(reverse(f"advocacy:{name}", args=[referral.pk]), {}).status_code
        for name in ("record_views", "move_referral")
    ]
    take = client.post(reverse("advocacy:take_referral", args=[referral.pk])).status_code
    expected = {
        Role.ADVOCATE: (200, 200, 403, [403, 403], 302),
        Role.CLERK: (200, 200, 200, [403, 403], 403),
        Role.MANAGER: (200, 200, 200, [403, 403], 403),
        Role.IRO: (403, 404, 403, [404, 404], 404),
        Role.ADMINISTRATOR: (403, 404, 403, [404, 404], 404),
    }[role]
    assert (tray, detail, refer, writes, take) == expected
