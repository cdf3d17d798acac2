"""Every account needs an authenticator app: without one, nothing but setting it up opens."""

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.middleware import SECOND_FACTOR_SET_UP_VIEW_NAMES
from accounts.models import SecurityEvent, SecurityEventKind
from config.public import PUBLIC_VIEW_NAMES
from tests.factories import UserFactory
from tests.totp_codes import totp_code
from tests.urlwalk import all_routes

GUARDED_ROUTES = [
    route
    for route in all_routes()
    if route.name not in PUBLIC_VIEW_NAMES | SECOND_FACTOR_SET_UP_VIEW_NAMES
]


@pytest.fixture
def user_without_factor(db):
    return UserFactory(roles=["clerk", "manager", "administrator"], with_authenticator=False)


@pytest.mark.parametrize("route", GUARDED_ROUTES, ids=lambda route: route.path)
def test_a_user_without_a_second_factor_is_sent_to_set_one_up_from_every_page(
    client, user_without_factor, route
):
    client.force_login(user_without_factor)
    response = client.get(route.path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_setting_up_the_authenticator_app_opens_the_service(
    client, user_without_factor, django_capture_on_commit_callbacks
):
    client.force_login(user_without_factor)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=user_without_factor, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get(reverse("home")).status_code == 200
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.SECOND_FACTOR_ADDED, user=user_without_factor
    ).exists()


def test_a_wrong_code_at_set_up_is_refused_beside_the_field(client, user_without_factor):
    client.force_login(user_without_factor)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    body = response.content.decode()
    assert "There is a problem" in body
    assert "govuk-error-message" in body
    assert not Authenticator.objects.filter(user=user_without_factor).exists()


def test_nobody_can_switch_off_their_own_authenticator_app(clerk_client, clerk):
    assert clerk_client.get("/accounts/2fa/totp/deactivate/").status_code == 404
    assert clerk_client.post("/accounts/2fa/totp/deactivate/").status_code == 404
    assert Authenticator.objects.filter(user=clerk, type=Authenticator.Type.TOTP).exists()


def test_setting_up_long_after_signing_in_asks_for_the_password_again(client, user_without_factor):
    with time_machine.travel("2026-11-26 09:00 +0000", tick=False) as traveller:
        client.force_login(user_without_factor)
        traveller.shift(6 * 60)
        response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
