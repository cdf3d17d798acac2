"""Roles and named permissions: nobody changes their own; a grant waits for a second admin."""

import pghistory.models
import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import (
    GrantRequest,
    GrantStatus,
    NamedPermission,
    Role,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from config.services import Refused
from tests.factories import UserFactory

STATUTORY = "reporting.export_statutory_returns"


@pytest.fixture
def second_administrator(db):
    return UserFactory(
        roles=[Role.ADMINISTRATOR], full_name="Bea Okafor", email="bea@council.example"
    )


@pytest.fixture
def second_administrator_client(second_administrator):
    client = Client()
    client.force_login(second_administrator)
    return client


def _edit(client, account, **changes):
    account.refresh_from_db()
    form = {
        "full_name": account.full_name,
        "roles": account.roles,
        "version": account.version,
    } | changes
    return client.post(reverse("staff:account_edit", args=[account.pk]), form)


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def _events(kind):
    return SecurityEvent.objects.filter(kind=kind)


# --- nobody changes their own roles or permissions --------------------------------------------


def test_an_administrator_cannot_give_themselves_a_case_role_and_the_statutory_permission(
    administrator, administrator_client
):
    response = _edit(
        administrator_client,
        administrator,
        roles=["administrator", "manager"],
        submits_statutory_returns="on",
    )

    assert response["Location"] == reverse("staff:account_detail", args=[administrator.pk])
    page = administrator_client.get(response["Location"]).content.decode()
    assert "You cannot change your own roles or permissions" in page
    assert _fresh(administrator).roles == ["administrator"]
    assert not _fresh(administrator).has_perm(STATUTORY)
    assert not GrantRequest.objects.exists()
    refused = _events(SecurityEventKind.OWN_ACCESS_CHANGE_REFUSED).get()
    assert (refused.user, refused.actor) == (administrator, administrator)
    returns = administrator_client.get(reverse("reporting:statutory_returns"))
    assert returns.status_code == 403


def test_the_form_for_ones_own_account_offers_no_roles_or_permissions_but_saves_the_name(
    administrator, administrator_client
):
    url = reverse("staff:account_edit", args=[administrator.pk])
    page = administrator_client.get(url).content.decode()
    assert 'name="roles"' not in page
    assert 'name="submits_statutory_returns"' not in page
    assert "You cannot change your own roles or permissions" in page

    administrator_client.post(
        url, {"full_name": "Adam Minter-Jones", "version": administrator.version}
    )

    assert _fresh(administrator).full_name == "Adam Minter-Jones"
    assert _fresh(administrator).roles == ["administrator"]


def test_the_service_refuses_anyone_changing_their_own_roles(administrator):
    with pytest.raises(Refused):
        services.update_staff_account(
            actor=administrator,
            user=administrator,
            full_name=administrator.full_name,
            roles=[Role.ADMINISTRATOR, Role.IRO],
            team=None,
            expected_version=administrator.version,
        )
    assert _fresh(administrator).roles == ["administrator"]


# --- a grant waits for a second administrator ----------------------------------------------


def test_a_role_and_permission_given_by_one_administrator_wait_for_another_to_approve(
    administrator,
    administrator_client,
    second_administrator,
    second_administrator_client,
    clerk,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _edit(
            administrator_client, clerk, roles=["clerk", "manager"], submits_statutory_returns="on"
        )

    assert _fresh(clerk).roles == ["clerk"]
    assert not _fresh(clerk).has_perm(STATUTORY)
    grant = GrantRequest.objects.get(user=clerk, status=GrantStatus.PENDING)
    assert (grant.roles, grant.permissions) == (["manager"], ["export_statutory_returns"])
    asked = _events(SecurityEventKind.GRANT_REQUESTED).get()
    assert (asked.user, asked.actor) == (clerk, administrator)
    (alert,) = mail.outbox
    assert alert.to == [second_administrator.email]
    assert clerk.full_name not in alert.subject + alert.body
    detail = second_administrator_client.get(reverse("staff:account_detail", args=[clerk.pk]))
    assert "Waiting for approval" in detail.content.decode()

    second_administrator_client.post(reverse("staff:grant_approve", args=[grant.pk]))

    assert _fresh(clerk).roles == ["clerk", "manager"]
    assert _fresh(clerk).has_perm(STATUTORY)
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.APPROVED, second_administrator)
    approved = _events(SecurityEventKind.GRANT_APPROVED).get()
    assert (approved.user, approved.actor) == (clerk, second_administrator)
    assert approved.is_alert
    (role_given,) = [
        event
        for event in pghistory.models.Events.objects.filter(
            pgh_obj_model="accounts.User", pgh_obj_id=clerk.pk, pgh_label="update"
        )
        if "roles" in (event.pgh_diff or {})
    ]
    assert role_given.pgh_diff["roles"] == [["clerk"], ["clerk", "manager"]]
    assert role_given.pgh_context["user"] == second_administrator.pk


def test_the_administrator_who_asked_cannot_approve_their_own_request(
    administrator, administrator_client, clerk
):
    _edit(administrator_client, clerk, roles=["clerk", "iro"])
    grant = GrantRequest.objects.get()

    response = administrator_client.post(reverse("staff:grant_approve", args=[grant.pk]))

    page = administrator_client.get(response["Location"]).content.decode()
    assert "another administrator must approve or reject it" in page
    assert _fresh(clerk).roles == ["clerk"]
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING


def test_nobody_approves_a_grant_to_their_own_account(
    administrator, administrator_client, second_administrator, second_administrator_client
):
    _edit(administrator_client, second_administrator, roles=["administrator", "manager"])
    grant = GrantRequest.objects.get()

    second_administrator_client.post(reverse("staff:grant_approve", args=[grant.pk]))

    assert _fresh(second_administrator).roles == ["administrator"]
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING


def test_a_rejected_request_gives_nothing(
    administrator_client, second_administrator, second_administrator_client, manager
):
    _edit(administrator_client, manager, makes_annual_report="on")
    grant = GrantRequest.objects.get()

    second_administrator_client.post(reverse("staff:grant_reject", args=[grant.pk]))

    assert not _fresh(manager).has_perm("reporting.generate_annual_report")
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.REJECTED, second_administrator)
    assert _events(SecurityEventKind.GRANT_REJECTED).get().actor == second_administrator
    second_administrator_client.post(reverse("staff:grant_approve", args=[grant.pk]))
    assert not _fresh(manager).has_perm("reporting.generate_annual_report")


def test_taking_a_role_away_applies_at_once(administrator_client, db):
    both = UserFactory(roles=[Role.CLERK, Role.MANAGER])

    _edit(administrator_client, both, roles=["clerk"])

    assert _fresh(both).roles == ["clerk"]
    assert not GrantRequest.objects.exists()


def test_a_new_account_gets_its_roles_only_when_a_second_administrator_approves(
    administrator_client, second_administrator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(
            reverse("staff:account_add"),
            {"email": "new@council.example", "full_name": "Nia Newton", "roles": ["iro"]},
        )
    newcomer = User.objects.get(email="new@council.example")
    assert newcomer.roles == []

    grant = GrantRequest.objects.get(user=newcomer)
    second_administrator_client.post(reverse("staff:grant_approve", args=[grant.pk]))

    assert _fresh(newcomer).roles == ["iro"]


def test_a_later_request_replaces_the_one_waiting(administrator_client, clerk):
    _edit(administrator_client, clerk, roles=["clerk", "iro"])
    _edit(administrator_client, clerk, roles=["clerk", "advocate"])

    assert list(GrantRequest.objects.order_by("pk").values_list("status", "roles")) == [
        (GrantStatus.REPLACED, ["iro"]),
        (GrantStatus.PENDING, ["advocate"]),
    ]


def test_the_database_refuses_a_grant_decided_by_the_administrator_who_asked(administrator, clerk):
    grant = GrantRequest.objects.create(user=clerk, roles=["iro"], requested_by=administrator)
    grant.status, grant.decided_by = GrantStatus.APPROVED, administrator
    grant.decided_at = grant.requested_at
    with pytest.raises(IntegrityError):
        grant.save()


def test_the_database_refuses_a_request_for_ones_own_account(administrator):
    with pytest.raises(IntegrityError):
        GrantRequest.objects.create(
            user=administrator,
            permissions=[NamedPermission.STATUTORY_RETURNS],
            requested_by=administrator,
        )


def test_the_first_administrator_made_at_the_command_line_holds_no_named_permission(db):
    first = User.objects.create_superuser("first@council.example", "a long passphrase here")
    first.roles = [Role.ADMINISTRATOR, Role.MANAGER]
    first.save()

    assert not _fresh(first).has_perm(STATUTORY)
