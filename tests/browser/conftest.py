"""Browser fixtures: Debian's Chromium driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright

from tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Chromium as root in a closed network: no sandbox, no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def axe_page(browser):
    """A page whose context ignores CSP, so that axe-core can be injected into it."""
    context = browser.new_context(bypass_csp=True)
    # Sent to the browser once, run in every page the context opens: a walk checks some 85 pages.
    context.add_init_script(path=AXE_SCRIPT)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser):
    """A page in a normal context: CSP enforced, as a user's browser would."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, live_server, user) -> None:
    """Open "My work" signed in as the user, through a session made on the server as the test
    client's force_login makes one (the sign-in signals run, so the session clock starts). Signing
    in with a password and a code is itself driven in test_sign_in_security.py; the other browser
    tests need not wait for a fresh authenticator window, nor check Argon2 hashes."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state()


def sign_in_with_password(page, live_server, user, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def csp_violations(page) -> list[str]:
    """Violations reported on the current page (needs CSP_LISTENER added to the context).

    page.goto returns after the load event, by which every resource and script of the page has
    been allowed or refused; one more turn of the page's event loop lets the refusals queued by
    then be reported. (Waiting for the network to go quiet instead cost half a second a page.)"""
    return page.evaluate(
        "new Promise(resolve => setTimeout(() => resolve(window.__cspViolations || []), 0))"
    )


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.2 AA and return its violations."""
    if not page.evaluate("typeof axe === 'object'"):  # a page not opened as an axe_page
        page.add_script_tag(content=AXE_SCRIPT.read_text())
    # Only violations are read: axe then keeps one example of each pass, not every node.
    options = "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}"
    results = page.evaluate(f"tags => axe.run(document, {options})", WCAG_TAGS)
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
    ]
