"""The chair's record through its pages: saving, conflicts, autosave, sign-off, safe copies."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from conferences.choices import Decision, Stage
from conferences.models import (
    ConferenceRecord,
    Participant,
    RecordRelease,
    SafetyEntry,
    SafetyScore,
)
from conferences.record.services import start_record
from config.concurrency import EDIT_CONFLICT
from tests.factories import ChildFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(iro):
    child = ChildFactory(first_name="Ruby")
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    return conference


def _dad(conference) -> Participant:
    dad, _ = Participant.objects.get_or_create(conference=conference, kind="parent", name="Dad")
    return dad


def form_data(conference, record, **overrides):
    place = conference.attendees.get()
    prefix = f"decision-{place.pk}-"
    data = {
        "version": record.version,
        "pre_meeting_held": "yes",
        "child_views": "Ruby wants to stay at home",
        "parent_views": "",
        "overall_family": "6",
        "entries-TOTAL_FORMS": 3,
        "entries-INITIAL_FORMS": 0,
        "entries-0-kind": "danger",
        "entries-0-text": "Ruby could be hurt when <b>Dad</b> drinks",
        "entries-0-visibility": "everyone",
        "entries-0-score_chair": "4",
        "entries-1-kind": "complicating",
        "entries-1-text": "Police intelligence: a violent ex-partner at 4 Elm Road",
        "entries-1-visibility": "not_family",
        "entries-2-kind": "strength",
        "entries-2-text": "Grandma collects Ruby from school",
        "entries-2-visibility": "not_named",
        "entries-2-hidden_from": f"participant:{_dad(conference).pk}",
        "dissents-TOTAL_FORMS": 1,
        "dissents-INITIAL_FORMS": 0,
        "actions-TOTAL_FORMS": 1,
        "actions-INITIAL_FORMS": 0,
        f"{prefix}decision": Decision.PLAN,
        f"{prefix}categories": ["NEG"],
    }
    data.update(overrides)
    return data


def _save(client, conference, **overrides):
    record = start_record(actor=conference.chair, conference=conference)
    return client.post(
        reverse("conferences:record_edit", args=[conference.pk]),
        form_data(conference, record, **overrides),
    )


def test_the_chair_saves_the_record_and_html_in_an_entry_is_shown_as_text(iro_client, held):
    response = _save(iro_client, held)
    assert response.status_code == 302
    record = ConferenceRecord.objects.get(conference=held)
    assert record.entries.count() == 3
    assert SafetyScore.objects.get(entry__kind="danger").score == 4
    page = iro_client.get(reverse("conferences:record_view", args=[held.pk])).content.decode()
    assert "&lt;b&gt;Dad&lt;/b&gt;" in page
    assert "<b>Dad</b>" not in page


def test_a_score_outside_0_to_10_is_refused_beside_the_field(iro_client, held):
    response = _save(iro_client, held, **{"entries-0-score_chair": "11"})
    assert response.content.decode().count("A safety scale score is from 0 to 10") == 2
    assert not SafetyEntry.objects.exists()


def test_a_next_review_before_the_conference_is_refused(iro_client, held):
    place = held.attendees.get()
    before = held.held_on - timedelta(days=3)
    response = _save(
        iro_client,
        held,
        **{
            f"decision-{place.pk}-next_review_on_0": before.day,
            f"decision-{place.pk}-next_review_on_1": before.month,
            f"decision-{place.pk}-next_review_on_2": before.year,
        },
    )
    assert "The next review cannot be before this conference" in response.content.decode()


def test_a_second_save_from_a_stale_form_is_refused_and_nothing_is_lost(iro, iro_client, held):
    record = start_record(actor=held.chair, conference=held)
    stale = form_data(held, record)
    iro_client.post(reverse("conferences:record_edit", args=[held.pk]), stale)

    stale["child_views"] = "Ruby says she is scared at night"
    response = iro_client.post(reverse("conferences:record_edit", args=[held.pk]), stale)

    assert response.status_code == 409
    assert EDIT_CONFLICT in response.content.decode()
    record.refresh_from_db()
    assert record.child_views == "Ruby wants to stay at home"
    draft = record.drafts.get(author=iro)
    assert draft.data["child_views"] == ["Ruby says she is scared at night"]


def test_autosave_survives_a_session_timeout(client, iro, held):
    with time_machine.travel("2026-11-26 10:00 +0000", tick=False) as traveller:
        client.force_login(iro)
        record = start_record(actor=held.chair, conference=held)
        typed = {"child_views": ["Half a sentence about Ruby"], "version": [str(record.version)]}
        saved = client.post(
            reverse("conferences:record_autosave", args=[held.pk]),
            json.dumps(typed),
            content_type="application/json",
        )
        assert saved.json()["saved"] is True

        traveller.shift(settings.SESSION_IDLE_TIMEOUT.total_seconds() + 60)
        assert client.get(reverse("home"))["Location"] == reverse("signed_out_inactive")

        client.force_login(iro)
        page = client.get(reverse("conferences:record_edit", args=[held.pk])).content.decode()
        assert "Restore those changes" in page
        restored = client.get(reverse("conferences:record_edit", args=[held.pk]) + "?restore=1")
        assert "Half a sentence about Ruby" in restored.content.decode()


def test_only_the_chair_can_edit_autosave_or_sign_off(client, held):
    other_iro = UserFactory(roles=[Role.IRO])
    client.force_login(other_iro)
    assert client.get(reverse("conferences:record_edit", args=[held.pk]))["Location"] == reverse(
        "conferences:record_view", args=[held.pk]
    )
    assert (
        client.post(
            reverse("conferences:record_autosave", args=[held.pk]),
            "{}",
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.post(reverse("conferences:record_finalise", args=[held.pk])).status_code == 403


def _sign_off(client, conference):
    _save(client, conference)
    record = ConferenceRecord.objects.get(conference=conference)
    client.post(
        reverse("conferences:record_finalise", args=[conference.pk]), {"version": record.version}
    )
    record.refresh_from_db()
    return record


def test_signing_off_starts_the_plan_and_a_later_change_needs_a_reason(iro_client, held):
    record = _sign_off(iro_client, held)
    assert record.is_finalised
    assert held.attendees.get().child.plans.get().started_on == held.held_on

    refused = _save(iro_client, held, child_views="Changed after sign-off")
    assert "give a reason for this amendment" in refused.content.decode()
    accepted = _save(iro_client, held, child_views="Changed", amendment_reason="Typo in the views")
    assert accepted.status_code == 302
    assert record.amendments.get().reason == "Typo in the views"


def test_a_copy_cannot_be_released_before_sign_off(clerk_client, iro_client, held):
    _save(iro_client, held)
    response = clerk_client.post(
        reverse("conferences:record_release", args=[held.pk]), {"recipient": "family"}, follow=True
    )
    assert "must sign off the record before it is released" in response.content.decode()
    assert not RecordRelease.objects.exists()


def _pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_familys_copy_and_a_parents_leave_out_what_is_not_for_them_and_are_logged(
    clerk, clerk_client, iro_client, held
):
    _sign_off(iro_client, held)
    family = clerk_client.post(
        reverse("conferences:record_release", args=[held.pk]), {"recipient": "family"}, follow=True
    )
    text = _pdf_text(family)
    assert "Ruby could be hurt" in text
    assert "Grandma collects Ruby" not in text  # kept from Dad, who is family
    assert "violent ex-partner" not in text
    assert "<b>Dad</b>" in text  # shown as the characters typed, not as markup

    dads = clerk_client.post(
        reverse("conferences:record_release", args=[held.pk]),
        {"recipient": f"participant:{_dad(held).pk}"},
        follow=True,
    )
    assert "Grandma collects Ruby" not in _pdf_text(dads)
    assert "violent ex-partner" not in _pdf_text(dads)
    releases = RecordRelease.objects.order_by("number")
    assert [
        (r.number, r.recipient_name, r.recipient_is_family, r.released_by) for r in releases
    ] == [
        (1, "The family", True, clerk),
        (2, "Dad", True, clerk),
    ]


def test_the_decision_letter_is_plain_language(clerk_client, iro_client, held):
    _sign_off(iro_client, held)
    letter = clerk_client.get(reverse("conferences:decision_letter", args=[held.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert "needs a child protection plan" in _pdf_text(letter)


def test_the_projector_shows_only_what_the_room_may_see_and_does_not_keep_the_session_alive(
    client, iro, held
):
    with time_machine.travel("2026-11-26 10:00 +0000", tick=False) as traveller:
        client.force_login(iro)
        _save(client, held)
        data = client.get(reverse("conferences:projector_data", args=[held.pk])).json()
        texts = [entry["text"] for column in data["columns"] for entry in column["entries"]]
        assert texts == ["Ruby could be hurt when <b>Dad</b> drinks"]

        url = reverse("conferences:projector_data", args=[held.pk])
        for _ in range(3):  # polls 9, 18 and 27 minutes after the last real activity
            traveller.shift(9 * 60)
            assert client.get(url).status_code == 200
        traveller.shift(9 * 60)  # 36 minutes: polling kept nothing alive
        assert client.get(reverse("conferences:projector_data", args=[held.pk])).status_code == 401


def test_the_next_review_and_first_core_group_are_suggested_from_the_timescales(iro_client, held):
    from rules.working_days import WorkingCalendar, add_months

    start_record(actor=held.chair, conference=held)
    page = iro_client.get(reverse("conferences:record_edit", args=[held.pk]))
    (decision_form,) = page.context["decisions"]
    assert decision_form.initial["next_review_on"] == add_months(held.held_on, 3)
    assert decision_form.initial["first_core_group_on"] == WorkingCalendar().add_working_days(
        held.held_on, 10
    )


def test_an_unsent_decision_letter_is_overdue_after_one_working_day(clerk_client, iro_client, iro):
    child = ChildFactory()
    long_ago = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=10)),
    )
    _sign_off(iro_client, long_ago)
    page = clerk_client.get(reverse("conferences:record_view", args=[long_ago.pk])).content.decode()
    assert page.count("Overdue") == 1  # the letter; the record has 15 working days
