"""The chair hands the tablet to a parent: the IRO is signed out, the questionnaire shows no
case data, is accessible with and without errors, and closes after one response."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conferences.choices import Stage
from conferences.questionnaires.models import FeedbackResponse, Respondent
from conferences.questionnaires.services import QUESTIONS
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import ChildFactory, at, make_conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_answers_once_on_the_chairs_tablet(axe_page, live_server, iro):
    page = axe_page
    child = ChildFactory(first_name="Wilhelmina", last_name="Hartigan")
    conference = make_conference(
        children_stages=[(child, Stage.REVIEW)],
        chair=iro,
        starts_at=at(timezone.localdate(), hour=0, minute=5),
    )
    sign_in(page, live_server, iro)
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    page.get_by_role("button", name="Open the parent's questionnaire on this device").click()

    expect(page.get_by_role("heading", name="How was the conference for you?")).to_be_visible()
    html = page.content()
    for marker in ("Wilhelmina", "Hartigan", iro.full_name, f"C{conference.pk:06d}"):
        assert marker not in html
    assert axe_violations(page) == []

    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []

    for _key, question in QUESTIONS[Respondent.PARENT]:
        page.get_by_role("group", name=question).get_by_label("A lot").check()
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_test_id("kiosk-finished")).to_be_visible()
    assert axe_violations(page) == []

    page.go_back()
    page.reload()
    expect(
        page.get_by_role("heading", name="This questionnaire link cannot be used")
    ).to_be_visible()
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    answers = FeedbackResponse.objects.get().answers
    assert set(answers.values()) == {4}


def test_an_agency_questionnaire_passes_axe_and_its_csp_under_a_real_browser(
    browser, live_server, iro
):
    from conferences.questionnaires import services as feedback
    from tests.browser.conftest import CSP_LISTENER, csp_violations

    child = ChildFactory()
    conference = make_conference(
        children_stages=[(child, Stage.REVIEW)], chair=iro, starts_at=at(timezone.localdate())
    )
    token = feedback.open_kiosk(actor=iro, conference=conference)  # any live link will do
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto(live_server.url + feedback.questionnaire_path(token))
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == []
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    context.close()
