"""The chair records the conference while the room watches the projector."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conferences.choices import Stage
from conferences.models import Participant
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import ChildFactory, at, make_conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_projector_follows_the_chair_typing_without_reloading_and_hides_private_entries(
    browser, live_server, iro
):
    child = ChildFactory(first_name="Ruby")
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    Participant.objects.create(conference=conference, kind="parent", name="Dan Zed")
    context = browser.new_context(bypass_csp=True)
    chair_page = context.new_page()
    sign_in(chair_page, live_server, iro)
    chair_page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    chair_page.get_by_role("button", name="Start the record").click()
    chair_page.wait_for_url(f"{live_server.url}/conferences/{conference.pk}/record/")
    assert axe_violations(chair_page) == []

    projector = context.new_page()
    projector.goto(f"{live_server.url}/conferences/{conference.pk}/projector/")
    projector.evaluate("window.__notReloaded = true")
    expect(projector.get_by_role("heading", name="What are we worried about?")).to_be_visible()

    first = chair_page.locator("fieldset", has_text="Entry 1")
    first.get_by_label("Type").select_option("danger")
    first.get_by_label("Entry", exact=True).fill("Ruby could be hurt when Dad drinks")
    second = chair_page.locator("fieldset", has_text="Entry 2")
    second.get_by_label("Type").select_option("complicating")
    second.get_by_label("Who may see it").select_option("not_family")
    second.get_by_label("Entry", exact=True).fill("Police intelligence about an ex-partner")
    third = chair_page.locator("fieldset", has_text="Entry 3")
    third.get_by_label("Type").select_option("strength")
    third.get_by_label("Who may see it").select_option("not_named")
    third.get_by_label("If not for a named person, who must not see it").select_option(
        label="Dan Zed (parent or carer)"
    )
    third.get_by_label("Entry", exact=True).fill("Gran worries about Dan drinking")
    expect(chair_page.get_by_text("Draft saved automatically")).to_be_visible(timeout=10_000)

    expect(projector.get_by_text("Ruby could be hurt when Dad drinks")).to_be_visible(
        timeout=10_000
    )
    assert projector.get_by_text("Police intelligence").count() == 0
    assert projector.get_by_text("Gran worries").count() == 0
    assert projector.evaluate("window.__notReloaded") is True
    assert axe_violations(projector) == []
    context.close()
