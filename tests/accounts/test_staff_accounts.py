"""Administrators create, change, deactivate, reset and unlock staff accounts; nobody else can."""

import re

import pghistory.models
import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role, SecurityEvent, SecurityEventKind, User
from tests.factories import TEST_PASSWORD, TeamFactory, UserFactory
from tests.urlwalk import all_routes

ADMIN_ROUTES = [route for route in all_routes() if (route.name or "").startswith("staff:")]


def _create(administrator_client, django_capture_on_commit_callbacks, **overrides):
    team = TeamFactory(name="Melton locality")
    data = {
        "email": "New.Person@Council.example",
        "full_name": "Nadia Person",
        "roles": ["clerk", "iro"],
        "team": team.pk,
    } | overrides
    with django_capture_on_commit_callbacks(execute=True):
        return administrator_client.post(reverse("staff:account_add"), data)


def test_an_administrator_creates_an_account_and_an_invitation_is_emailed(
    administrator, administrator_client, django_capture_on_commit_callbacks
):
    response = _create(administrator_client, django_capture_on_commit_callbacks)

    user = User.objects.get(email="new.person@council.example")
    assert response["Location"] == reverse("staff:account_detail", args=[user.pk])
    # The roles wait for a second administrator (tests/accounts/test_grants.py).
    assert user.roles == []
    assert sorted(user.grant_requests.get().roles) == ["clerk", "iro"]
    assert not user.has_usable_password()
    (invitation,) = mail.outbox
    assert invitation.to == ["new.person@council.example"]
    assert "Nadia" not in invitation.subject + invitation.body
    assert re.search(r"http://\S+/accounts/password/reset/key/\S+", invitation.body)
    created = SecurityEvent.objects.get(kind=SecurityEventKind.ACCOUNT_CREATED)
    assert (created.user, created.actor) == (user, administrator)


def test_the_invitation_link_lets_the_new_user_choose_a_password_then_set_up_a_factor(
    client, administrator_client, django_capture_on_commit_callbacks
):
    _create(administrator_client, django_capture_on_commit_callbacks)
    link = re.search(r"http://[^/]+(/\S+)", mail.outbox[0].body).group(1)

    # allauth moves the key from the link into the session, then shows the form.
    set_password_url = client.get(link)["Location"]
    assert client.get(set_password_url).status_code == 200
    new_password = "a long and unusual passphrase"
    done = client.post(set_password_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    signed_in = client.post(
        reverse("account_login"),
        {"login": "new.person@council.example", "password": new_password},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "Set up your authenticator app" in signed_in.content.decode()


def test_a_new_account_needs_a_unique_email_and_a_role(
    administrator_client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@council.example")
    response = _create(
        administrator_client,
        django_capture_on_commit_callbacks,
        email="TAKEN@council.example",
        roles=[],
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("There is already an account with this email address") == 2
    assert body.count("Select at least one role") == 2
    assert not mail.outbox


def test_changing_roles_from_a_stale_form_is_refused(administrator_client, clerk):
    url = reverse("staff:account_edit", args=[clerk.pk])
    stale = {"full_name": clerk.full_name, "roles": ["clerk"], "version": clerk.version}
    administrator_client.post(url, stale | {"roles": ["clerk", "iro"]})

    response = administrator_client.post(url, stale | {"roles": ["manager"]})

    assert response.status_code == 409
    clerk.refresh_from_db()
    assert clerk.roles == ["clerk"]
    assert clerk.grant_requests.get().roles == ["iro"]


def test_an_administrator_cannot_remove_their_own_administrator_role(
    administrator, administrator_client
):
    response = administrator_client.post(
        reverse("staff:account_edit", args=[administrator.pk]),
        {"full_name": "Adam Minter", "roles": ["clerk"], "version": administrator.version},
        follow=True,
    )
    assert "You cannot change your own roles or permissions" in response.content.decode()
    administrator.refresh_from_db()
    assert Role.ADMINISTRATOR in administrator.roles


def test_deactivating_ends_sessions_and_stops_sign_in_but_keeps_the_account(
    client, clerk, administrator, administrator_client
):
    clerk_session = client
    clerk_session.force_login(clerk)
    assert clerk_session.get(reverse("home")).status_code == 200

    administrator_client.post(reverse("staff:account_deactivate", args=[clerk.pk]))

    assert clerk_session.get(reverse("home")).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active is False
    refused = client.post(
        reverse("account_login"), {"login": clerk.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert refused["Location"] == reverse("account_inactive")
    assert "not active" in client.get(refused["Location"]).content.decode()
    event = pghistory.models.Events.objects.get(
        pgh_obj_model="accounts.User", pgh_obj_id=clerk.pk, pgh_label="update"
    )
    assert event.pgh_context["user"] == administrator.pk
    assert event.pgh_diff["is_active"] == [True, False]


def test_an_administrator_cannot_deactivate_themselves(administrator, administrator_client):
    response = administrator_client.post(
        reverse("staff:account_deactivate", args=[administrator.pk]), follow=True
    )
    assert "You cannot deactivate your own account" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_resetting_the_second_factor_makes_the_user_set_up_a_new_one(
    client, clerk, administrator_client
):
    client.force_login(clerk)
    client.get(reverse("home"))

    administrator_client.post(reverse("staff:account_reset_second_factor", args=[clerk.pk]))

    assert not Authenticator.objects.filter(user=clerk).exists()
    assert client.get(reverse("home")).status_code == 302
    client.force_login(clerk)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_the_account_list_shows_last_sign_in_and_keeps_a_constant_number_of_queries(
    administrator_client, assert_constant_queries
):
    def add_accounts():
        for _ in range(5):
            UserFactory()

    assert_constant_queries(administrator_client, reverse("staff:account_list"), add_accounts)
    assert (
        "Last sign-in" in administrator_client.get(reverse("staff:account_list")).content.decode()
    )


def _path_for(route, account_id):
    return route.path.replace("/1/", f"/{account_id}/")


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ADMINISTRATOR])
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.name)
def test_every_other_role_is_refused_every_administration_page(client, db, role, route):
    someone = UserFactory(roles=[Role.CLERK])
    client.force_login(UserFactory(roles=[role]))
    path = _path_for(route, someone.pk)
    assert client.get(path).status_code == 403
    assert client.post(path).status_code == 403
    someone.refresh_from_db()
    assert someone.is_active


def test_the_administration_routes_are_all_covered():
    names = {route.name for route in ADMIN_ROUTES}
    assert {"staff:account_add", "staff:account_deactivate", "staff:account_unlock"} <= names


def test_an_administrator_grants_a_manager_the_annual_report_permission(
    administrator_client, manager, clerk
):
    url = reverse("staff:account_edit", args=[manager.pk])
    form = {"full_name": manager.full_name, "roles": ["manager"], "version": manager.version}
    administrator_client.post(url, form | {"makes_annual_report": "on"})
    second = Client()
    second.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    second.post(reverse("staff:grant_approve", args=[manager.grant_requests.get().pk]))
    assert manager.__class__.objects.get(pk=manager.pk).has_perm("reporting.generate_annual_report")
    refused = administrator_client.post(
        reverse("staff:account_edit", args=[clerk.pk]),
        {"full_name": clerk.full_name, "roles": ["clerk"], "version": clerk.version}
        | {"makes_annual_report": "on"},
    )
    assert "Only a manager may make the annual report" in refused.content.decode()
    manager.refresh_from_db()
    administrator_client.post(url, form | {"version": manager.version})
    assert not manager.__class__.objects.get(pk=manager.pk).has_perm(
        "reporting.generate_annual_report"
    )
