"""Restricted records: only named staff can find or open them; every view of a child is logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Stage
from conferences.models import RecordAccess
from tests.factories import ChildFactory, FamilyFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_child(iro):
    family = FamilyFactory(name="Quill")
    child = ChildFactory(family=family, first_name="Orla", local_case_id="LC777777")
    child.is_restricted = True
    child.save()
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() + timedelta(days=3)),
    )
    return child, conference


@pytest.fixture
def named_manager(restricted_child):
    manager = UserFactory(roles=[Role.MANAGER], full_name="Nadia Named")
    restricted_child[0].named_staff.add(manager)
    return manager


def test_a_manager_not_named_cannot_open_find_or_list_a_restricted_child(
    manager_client, restricted_child
):
    child, conference = restricted_child
    assert (
        manager_client.get(reverse("conferences:child_detail", args=[child.pk])).status_code == 404
    )
    assert (
        manager_client.get(
            reverse("conferences:conference_detail", args=[conference.pk])
        ).status_code
        == 404
    )
    assert (
        manager_client.get(reverse("conferences:child_search"), {"q": "Orla"}).context["results"]
        == []
    )
    assert (
        manager_client.get(reverse("conferences:child_search"), {"q": "LC777777"}).context[
            "results"
        ]
        == []
    )
    family_page = manager_client.get(reverse("conferences:family_detail", args=[child.family_id]))
    assert "Orla" not in family_page.content.decode()
    for listing in ("conferences:clerk_tray", "conferences:chair_week"):
        assert "Quill" not in manager_client.get(reverse(listing)).content.decode()
    assert not RecordAccess.objects.exists()


def test_a_named_manager_can_find_and_open_the_restricted_child(
    client, named_manager, restricted_child
):
    child, conference = restricted_child
    client.force_login(named_manager)
    assert client.get(reverse("conferences:child_detail", args=[child.pk])).status_code == 200
    assert client.get(reverse("conferences:child_search"), {"q": "Orla"}).context["results"] == [
        child
    ]
    assert (
        client.get(reverse("conferences:conference_detail", args=[conference.pk])).status_code
        == 200
    )


def test_a_restricted_family_hides_all_its_children(clerk_client, clerk):
    family = FamilyFactory(name="Vane", is_restricted=True)
    child = ChildFactory(family=family, first_name="Ivo")
    assert (
        clerk_client.get(reverse("conferences:family_detail", args=[family.pk])).status_code == 404
    )
    assert clerk_client.get(reverse("conferences:child_detail", args=[child.pk])).status_code == 404
    family.named_staff.add(clerk)
    assert clerk_client.get(reverse("conferences:child_detail", args=[child.pk])).status_code == 200


def test_whoever_restricts_a_record_stays_named_on_it(clerk_client, clerk):
    clerk_client.post(reverse("conferences:family_add"), {"name": "Marsh", "is_restricted": "on"})
    from conferences.models import Family

    family = Family.objects.get(name="Marsh")
    assert list(family.named_staff.all()) == [clerk]


def test_every_view_of_a_child_writes_an_access_log_row_managers_can_read(
    clerk, clerk_client, manager_client
):
    child = ChildFactory()
    for _ in range(2):
        clerk_client.get(reverse("conferences:child_detail", args=[child.pk]))

    rows = RecordAccess.objects.filter(child=child, user=clerk)
    assert rows.count() == 2
    log = manager_client.get(reverse("conferences:child_access_log", args=[child.pk]))
    assert log.content.decode().count(clerk.full_name) == 2


def test_the_access_log_cannot_be_rewritten(clerk, clerk_client):
    from django.db import DatabaseError, transaction

    child = ChildFactory()
    clerk_client.get(reverse("conferences:child_detail", args=[child.pk]))
    with pytest.raises(DatabaseError), transaction.atomic():
        RecordAccess.objects.filter(child=child).delete()
