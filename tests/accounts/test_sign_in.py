"""Signing in and out with email and password; passwords are stored with argon2."""

from django.urls import reverse

from ..factories import TEST_PASSWORD


def test_a_user_signs_in_with_email_and_password_and_reaches_my_work(client, clerk):
    response = client.post(
        reverse("account_login"), {"login": clerk.email, "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "My work" in response.content.decode()


def test_a_wrong_password_is_refused_with_an_error_summary(client, clerk):
    response = client.post(reverse("account_login"), {"login": clerk.email, "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "<title>Error: Sign in" in body
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(clerk):
    assert clerk.password.startswith("argon2$")


def test_signing_out_ends_the_session(clerk_client):
    response = clerk_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert clerk_client.get(reverse("home")).status_code == 302


def test_self_service_sign_up_is_not_offered(client, clerk_client):
    assert clerk_client.get("/accounts/signup/").status_code == 404
    assert clerk_client.get("/accounts/email/").status_code == 404
