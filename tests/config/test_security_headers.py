"""Every page carries a strict Content-Security-Policy and the other protective headers."""

import pytest
from django.urls import reverse

from tests.urlwalk import all_routes

PAGES = [route for route in all_routes() if route.name is not None]


@pytest.mark.parametrize("route", PAGES, ids=lambda route: route.path)
def test_every_response_carries_a_strict_content_security_policy(administrator_client, route):
    response = administrator_client.get(route.path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_only_inline_script_carries_the_nonce_from_the_header(client, db):
    response = client.get(reverse("account_login"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    assert body.count("<script") == 2  # the js-enabled class, and the module file
    assert f'<script nonce="{nonce}">' in body
