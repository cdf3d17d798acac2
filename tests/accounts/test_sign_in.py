"""Signing in with email, password and authenticator code; passwords are stored with argon2."""

from django.urls import reverse

from accounts.models import SecurityEvent, SecurityEventKind
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET
from tests.totp_codes import totp_code


def _password_step(client, user, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_a_user_signs_in_with_password_then_code_and_reaches_my_work(client, clerk):
    response = _password_step(client, clerk)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "My work" in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGNED_IN)
    assert event.user == clerk
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_code_does_not_sign_in(client, clerk):
    _password_step(client, clerk)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_with_an_error_summary_and_logged(client, clerk):
    response = _password_step(client, clerk, password="wrong")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "<title>Error: Sign in" in body
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN_FAILED)
    assert (event.user, event.ip_address) == (clerk, "127.0.0.1")


def test_a_sign_in_to_no_account_is_logged_with_what_was_typed(client, db):
    client.post(reverse("account_login"), {"login": "nobody@council.example", "password": "x"})
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SIGN_IN_FAILED)
    assert event.user is None
    assert event.attempted_email == "nobody@council.example"


def test_the_session_id_changes_at_sign_in(client, clerk):
    client.get(reverse("account_login"))
    _password_step(client, clerk)
    before = client.session.session_key
    client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_passwords_are_hashed_with_argon2(clerk):
    assert clerk.password.startswith("argon2$")


def test_signing_out_ends_the_session(clerk_client, clerk):
    response = clerk_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert clerk_client.get(reverse("home")).status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.SIGNED_OUT, user=clerk).exists()


def test_self_service_sign_up_and_email_changes_are_not_offered(clerk_client):
    assert clerk_client.get("/accounts/signup/").status_code == 404
    assert clerk_client.get("/accounts/email/").status_code == 404
