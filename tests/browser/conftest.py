"""Browser fixtures: Debian's Chromium driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright

from ..factories import TEST_PASSWORD, TEST_TOTP_SECRET
from ..totp_codes import totp_code

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


def sign_in(page, live_server, user, password: str = TEST_PASSWORD) -> None:
    """Sign in as a person would: email and password, then the authenticator app's code."""
    sign_in_with_password(page, live_server, user, password)
    page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    page.get_by_role("button", name="Sign in").click()
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
    """Violations reported on the current page (needs CSP_LISTENER added to the context)."""
    return page.evaluate("window.__cspViolations || []")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.2 AA and return its violations."""
    page.add_script_tag(content=AXE_SCRIPT.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
    ]
