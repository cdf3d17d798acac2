"""Administrators keep the list of teams; concurrent renames never overwrite each other."""

import pytest
from django.urls import reverse

from accounts.models import Team
from config.concurrency import EDIT_CONFLICT
from tests.factories import TeamFactory


def test_an_administrator_adds_a_team(administrator_client):
    response = administrator_client.post(reverse("staff:team_add"), {"name": "  Blaby   locality "})
    assert response.status_code == 302
    assert Team.objects.filter(name="Blaby locality").exists()


def test_a_blank_name_is_refused_beside_the_field_and_in_the_summary(administrator_client):
    response = administrator_client.post(reverse("staff:team_add"), {"name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Enter the team&#x27;s name") == 2
    assert not Team.objects.exclude(name="IRO service").exists()


def test_a_duplicate_name_is_refused(administrator_client):
    TeamFactory(name="Melton locality")
    response = administrator_client.post(reverse("staff:team_add"), {"name": "melton locality"})
    assert "already exists" in response.content.decode()
    assert Team.objects.filter(name__iexact="melton locality").count() == 1


def test_a_rename_from_a_stale_form_is_refused_and_shows_the_newer_name(administrator_client):
    team = TeamFactory(name="Hinckley locality")
    stale_version = team.version
    url = reverse("staff:team_edit", args=[team.pk])
    administrator_client.post(url, {"name": "Hinckley and Bosworth", "version": stale_version})

    response = administrator_client.post(url, {"name": "Hinckley town", "version": stale_version})

    assert response.status_code == 409
    assert EDIT_CONFLICT in response.content.decode()
    team.refresh_from_db()
    assert team.name == "Hinckley and Bosworth"


@pytest.mark.parametrize("role_client", ["iro_client", "clerk_client", "manager_client"])
def test_only_administrators_manage_teams(request, role_client):
    client = request.getfixturevalue(role_client)
    team = TeamFactory()
    for url in (
        reverse("staff:team_list"),
        reverse("staff:team_add"),
        reverse("staff:team_edit", args=[team.pk]),
    ):
        assert client.get(url).status_code == 403
