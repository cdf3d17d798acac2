"""A clerk books a conference for two siblings at different stages, inviting the police at
five days' notice, and is warned."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from conferences.choices import ConferenceStatus, Stage
from conferences.models import Conference
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    PlanFactory,
    UserFactory,
    VenueFactory,
    at,
    make_conference,
    police_officer,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_books_siblings_at_different_stages_and_sees_the_police_notice_warning(
    axe_page, live_server, clerk
):
    page = axe_page
    today = timezone.localdate()
    iro = UserFactory(roles=[Role.IRO], full_name="Iris Rowe")
    family = FamilyFactory(name="Fenwick")
    ruby = ChildFactory(family=family, first_name="Ruby", local_case_id="LC100001")
    PlanFactory(child=ruby, started_on=today - timedelta(days=70))
    make_conference(
        children_stages=[(ruby, Stage.INITIAL)],
        chair=iro,
        starts_at=at(today - timedelta(days=70)),
        status=ConferenceStatus.HELD,
    )
    ChildFactory(family=family, first_name="Leo", local_case_id="LC100002")
    police_officer(full_name="PC Sam Patel")
    VenueFactory(name="County Hall, Room 4")

    sign_in(page, live_server, clerk)
    page.get_by_role("link", name="Find a child", exact=True).click()
    page.get_by_label("Name, local case ID or date of birth").fill("LC100002")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Fenwick family").click()
    page.get_by_role("button", name="Book a conference").or_(
        page.get_by_role("link", name="Book a conference")
    ).click()

    assert axe_violations(page) == []
    page.get_by_label("Ruby Fenwick (LC100001)").select_option(Stage.FIRST_REVIEW)
    page.get_by_label("Leo Fenwick (LC100002)").select_option(Stage.INITIAL)
    day = today + timedelta(days=5)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Venue").select_option(label="County Hall, Room 4")
    chair = page.get_by_label("Chair", exact=True)
    expect(chair.locator("option").nth(1)).to_contain_text("Iris Rowe: 0 booked in week of")
    expect(chair.locator("option").nth(1)).to_contain_text("chaired this family's last conference")
    page.get_by_label("PC Sam Patel, Child protection officer (Constabulary)").check()
    page.get_by_role("button", name="Book conference").click()

    expect(page.get_by_role("heading", name="Review/Initial conference")).to_be_visible()
    warning = page.get_by_test_id("police-notice-warning")
    expect(warning).to_contain_text("PC Sam Patel gets 5 days' notice")
    expect(page.get_by_role("cell", name="First review")).to_be_visible()
    expect(page.get_by_role("cell", name="Initial", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    conference = Conference.objects.get(family=family, status=ConferenceStatus.BOOKED)
    assert conference.chair == iro

    page.get_by_role("link", name="Clerk's tray", exact=True).click()
    expect(page.get_by_text("5 days' notice for PC Sam Patel")).to_be_visible()
    assert axe_violations(page) == []
