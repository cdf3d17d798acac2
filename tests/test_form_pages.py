"""Every page whose main content is one form is laid out by templates/layouts/form_page.html."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from config.concurrency import EDIT_CONFLICT
from tests.factories import ProfessionalFactory, TeamFactory
from tests.html_elements import elements

LAYOUT = "layouts/form_page.html"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
POST_FORM = re.compile(r'<form[^>]*method="post"')
EXTENDS_LAYOUT = re.compile(r'^\{% extends "layouts/form_page\.html" %\}')

# Pages with a posting form that are not one-form pages, and why the layout does not fit them.
NOT_FORM_PAGES = {
    "account/password_reset_from_key.html": "shows the form or, for a spent link, another heading",
    "accounts/staff_detail.html": "an account's details, with one-button actions under them",
    "advocacy/referral_detail.html": "a referral's details, with the advocate's three actions",
    "complaints/detail.html": "a complaint's details, with response and escalation forms",
    "conferences/challenge_detail.html": "a challenge's details, with response and escalation",
    "conferences/child_search.html": "a search form with its results under it",
    "conferences/conference_detail.html": "a conference's details, with its one-button actions",
    "conferences/core_groups.html": "a list of core groups; the add form sits under an h2",
    "conferences/good_practice.html": "a list of notes; the add form sits under an h2",
    "conferences/notification_log.html": "a table with a resend button on a failed row",
    "conferences/record_form.html": (
        "the full-width record editor: a status tag in the heading, an autosave banner, "
        "and a second form to sign off"
    ),
    "conferences/record_view.html": "a record's copies, with release and distribution forms",
    "conferences/reference_list.html": "a managed list; the add form sits under an h2",
    "reporting/annual_list.html": "a list of reports; the start form sits under an h2",
    "reporting/annual_report.html": "a report's page, with the PDF button and narrative form",
    "reporting/statutory_returns.html": (
        "two returns, each with its own form; the census's checks sit between its two forms"
    ),
}
# Not pages: the layouts themselves, and fragments included into pages.
NOT_PAGES = {"base.html", LAYOUT, "partials/session_timeout.html", "conferences/_record_start.html"}


def _templates() -> dict[str, str]:
    return {
        path.relative_to(TEMPLATES).as_posix(): path.read_text()
        for path in TEMPLATES.rglob("*.html")
    }


def _templates_with_a_posting_form() -> dict[str, str]:
    return {name: text for name, text in _templates().items() if POST_FORM.search(text)}


def test_the_form_pages_extend_the_layout():
    extending = [name for name, text in _templates().items() if EXTENDS_LAYOUT.match(text)]
    assert len(extending) >= 20


def test_every_page_with_a_posting_form_extends_the_form_page_layout():
    # A page on the layout has no <form> of its own, except a secondary one (mfa/authenticate's
    # hidden sign-out form); any other page that writes one must be a listed exception.
    pages = {
        name: text
        for name, text in _templates_with_a_posting_form().items()
        if name not in NOT_PAGES and name not in NOT_FORM_PAGES
    }
    not_extending = sorted(name for name, text in pages.items() if not EXTENDS_LAYOUT.match(text))
    assert not_extending == [], f"extend {LAYOUT} or allow-list with a reason: {not_extending}"


def test_the_allow_list_names_only_pages_that_exist_and_do_not_use_the_layout():
    found = _templates_with_a_posting_form()
    stale = sorted(
        name
        for name in NOT_FORM_PAGES.keys() | NOT_PAGES - {LAYOUT}
        if name not in found or EXTENDS_LAYOUT.match(found[name])
    )
    assert stale == []


def test_form_pages_do_not_repeat_what_the_layout_draws():
    for name, text in _templates_with_a_posting_form().items():
        if EXTENDS_LAYOUT.match(text):
            assert "govuk-back-link" not in text, name
            assert '{% include "partials/conflict.html" %}' not in text, name
            assert "<h1" not in text, name


def _page(response) -> dict:
    """The layout's parts as a browser sees them."""
    found = elements(response.content.decode())
    main = next(el for el in found if el.get("id") == "main-content")
    inside = list(main.iter())
    summaries = [el for el in inside if "govuk-error-summary" in el.get("class", "").split()]
    return {
        "back_links": [
            (el.get("href"), "".join(el.itertext()).strip())
            for el in inside
            if el.get("class") == "govuk-back-link"
        ],
        "summary_links": [
            (a.get("href"), "".join(a.itertext()).strip())
            for summary in summaries
            for a in summary.iter("a")
        ],
        "summary_text": ["".join(summary.itertext()) for summary in summaries],
        "h1": ["".join(el.itertext()).strip() for el in inside if el.tag == "h1"],
        "ids": {el.get("id") for el in inside if el.get("id")},
        "title": next(el for el in found if el.tag == "title").text,
    }


def test_the_team_page_shows_back_link_heading_and_a_field_error_linked_to_its_field(
    administrator_client,
):
    blank = _page(administrator_client.post(reverse("staff:team_add"), {"name": ""}))

    assert blank["back_links"] == [(reverse("staff:team_list"), "Teams")]
    assert blank["h1"] == ["Add a team"]
    assert blank["title"].startswith("Error: Add a team")
    assert blank["summary_links"] == [("#id_name", "Enter the team's name")]
    assert "id_name" in blank["ids"]


def test_the_team_page_shows_the_conflict_notice(administrator_client):
    team = TeamFactory(name="Hinckley locality")
    url = reverse("staff:team_edit", args=[team.pk])
    administrator_client.post(url, {"name": "Hinckley and Bosworth", "version": team.version})

    response = administrator_client.post(url, {"name": "Hinckley town", "version": team.version})
    page = _page(response)

    assert response.status_code == 409
    assert page["h1"] == ["Rename Hinckley and Bosworth"]
    assert page["title"].startswith("Error: ")
    assert any(EDIT_CONFLICT in text for text in page["summary_text"])


def test_the_contact_page_shows_back_link_heading_and_a_field_error_linked_to_its_field(
    clerk_client,
):
    plain = _page(clerk_client.get(reverse("conferences:professional_add")))
    assert plain["back_links"] == [(reverse("conferences:professional_list"), "Contacts")]
    assert plain["h1"] == ["Add a contact"]
    assert plain["summary_links"] == []
    assert not plain["title"].startswith("Error")

    blank = _page(clerk_client.post(reverse("conferences:professional_add"), {"full_name": ""}))
    assert ("#id_full_name", "Enter their full name") in blank["summary_links"]
    assert "id_full_name" in blank["ids"]
    assert blank["h1"] == ["Add a contact"]


def test_the_contact_page_shows_the_conflict_notice(clerk_client):
    contact = ProfessionalFactory(full_name="Sam Patel")
    url = reverse("conferences:professional_edit", args=[contact.pk])
    details = {"full_name": "Sam Patel", "email": contact.email, "agency": contact.agency_id}
    clerk_client.post(url, {**details, "job_title": "Health visitor", "version": contact.version})

    response = clerk_client.post(url, {**details, "job_title": "Nurse", "version": contact.version})
    page = _page(response)

    assert response.status_code == 409
    assert page["back_links"] == [(reverse("conferences:professional_list"), "Contacts")]
    assert page["h1"] == ["Change Sam Patel"]
    assert any(EDIT_CONFLICT in text for text in page["summary_text"])
