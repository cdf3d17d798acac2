"""Sign-in security as a person meets it in Chromium: codes, set-up, sign-out, CSP, timeouts."""

from datetime import timedelta

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from reporting.prepared.models import ExportKind, PreparationStatus, PreparedExport
from tests.browser.conftest import CSP_LISTENER, csp_violations, sign_in, sign_in_with_password
from tests.browser.test_accessibility import NOT_PAGES, RECORD_PATHS, case_records
from tests.factories import TEST_TOTP_SECRET, UserFactory
from tests.totp_codes import BROWSER_CODE_MARGIN_SECONDS, totp_code
from tests.urlwalk import all_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_in_with_a_code_computed_from_the_secret_reaches_my_work(page, live_server, clerk):
    sign_in_with_password(page, live_server, clerk)
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()

    page.get_by_label("Code").fill(
        totp_code(TEST_TOTP_SECRET, margin_seconds=BROWSER_CODE_MARGIN_SECONDS)
    )
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.locator(".convene-header-user")).to_contain_text(clerk.full_name)


def test_after_too_many_wrong_codes_the_right_one_is_refused_with_the_reason_beside_the_field(
    page, live_server, clerk
):
    sign_in_with_password(page, live_server, clerk)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    page.get_by_label("Code").fill(
        totp_code(TEST_TOTP_SECRET, margin_seconds=BROWSER_CODE_MARGIN_SECONDS)
    )
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("locked for 30 minutes")
    expect(page.locator(".govuk-error-message")).to_contain_text("locked for 30 minutes")
    expect(page.get_by_role("heading", name="My work")).to_have_count(0)


def test_a_new_user_sets_up_the_authenticator_app_before_anything_else(page, live_server):
    newcomer = UserFactory(roles=[Role.CLERK], with_authenticator=False)
    sign_in_with_password(page, live_server, newcomer)
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()

    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(
        totp_code(secret, margin_seconds=BROWSER_CODE_MARGIN_SECONDS)
    )
    page.get_by_role("button", name="Continue").click()
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", name="My work")).to_be_visible()


def test_after_signing_out_the_back_button_shows_no_case_data(page, live_server, manager):
    sign_in(page, live_server, manager)
    page.goto(live_server.url + "/reporting/audit/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Audit trail").count() == 0
    assert manager.full_name not in page.content()


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_no_page_reports_a_content_security_policy_violation(
    browser, live_server, users_by_role, role
):
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    sign_in(page, live_server, users_by_role[role])
    records = case_records(users_by_role[Role.IRO])
    records |= {
        "team": users_by_role[role].team,
        "account": users_by_role[Role.CLERK],
        "export": PreparedExport.objects.create(
            requested_by=users_by_role[role],
            kind=ExportKind.CIN_CENSUS,
            parameters={"year": 2014, "la": "855"},
            status=PreparationStatus.RUNNING,
            progress=40,
            step="Written 400 of 1,000 children",
        ),
    }

    failures = {}
    for route in all_routes():
        if route.name is None or route.name in NOT_PAGES:
            continue
        path = RECORD_PATHS[route.name](records) if route.name in RECORD_PATHS else route.path
        page.goto(live_server.url + path)
        if violations := csp_violations(page):
            failures[path] = violations
        # The nonce'd inline script and the module both ran: CSP let through what it should.
        classes = page.evaluate("document.body.className")
        assert "js-enabled" in classes, path
        assert "govuk-frontend-supported" in classes, path
    context.close()
    assert failures == {}


def test_the_session_warning_appears_and_staying_signed_in_keeps_the_session(
    page, live_server, clerk, settings
):
    # Idle limit just over the two-minute warning, so the warning comes five seconds in.
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=125)
    sign_in(page, live_server, clerk)

    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    dialog.wait_for(state="visible", timeout=15_000)
    assert "minute" in dialog.inner_text()
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")

    seconds_left = page.evaluate(
        "fetch('/session/').then(response => response.json()).then(body => body.seconds_left)"
    )
    assert seconds_left > 120
    page.reload()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()


def test_when_the_session_runs_out_the_page_moves_to_the_signed_out_page(
    page, live_server, clerk, settings
):
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=3)
    sign_in(page, live_server, clerk)
    page.wait_for_url("**/signed-out/", timeout=15_000)
    expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible()
