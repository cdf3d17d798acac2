"""The conference record is made only when its chair starts it; pages that show it only read."""

from datetime import timedelta

import pghistory.models
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Stage
from conferences.record.models import ChildDecision, ConferenceRecord, RecordDraft
from conferences.record.services import start_record
from config.services import Refused
from tests.factories import ChildFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db

NOT_STARTED = "The chair has not started the record yet"


@pytest.fixture
def held(iro):
    return make_conference(
        children_stages=[
            (ChildFactory(first_name="Ruby"), Stage.INITIAL),
            (ChildFactory(first_name="Sam"), Stage.INITIAL),
        ],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )


def _url(name: str, conference) -> str:
    return reverse(f"conferences:{name}", args=[conference.pk])


def test_opening_the_record_before_it_is_started_makes_no_record(
    iro_client, clerk_client, manager_client, held
):
    pages = [
        (iro_client, "conference_detail"),
        (iro_client, "record_edit"),
        (iro_client, "record_view"),
        (iro_client, "projector_data"),
        (clerk_client, "conference_detail"),
        (clerk_client, "record_view"),
        (clerk_client, "decision_letter"),
        (manager_client, "record_view"),
        (manager_client, "projector_data"),
    ]
    for client, name in pages:
        response = client.get(_url(name, held))
        assert response.status_code in (200, 302), name

    assert not ConferenceRecord.objects.exists()
    assert not ChildDecision.objects.exists()


def test_pages_that_read_the_record_say_the_chair_has_not_started_it(
    iro_client, clerk_client, held
):
    for client, name in [
        (clerk_client, "conference_detail"),
        (clerk_client, "record_view"),
        (iro_client, "record_edit"),
    ]:
        assert NOT_STARTED in client.get(_url(name, held)).content.decode(), name
    empty = iro_client.get(_url("projector_data", held)).json()
    assert [column["entries"] for column in empty["columns"]] == [[], [], []]


def test_the_chair_is_offered_the_start_button_and_nobody_else_is(iro_client, clerk_client, held):
    start = _url("record_start", held)
    for name in ("conference_detail", "record_edit", "record_view"):
        page = iro_client.get(_url(name, held)).content.decode()
        assert f'action="{start}"' in page, name
        assert "Start the record</button>" in page, name
    for name in ("conference_detail", "record_view"):
        assert start not in clerk_client.get(_url(name, held)).content.decode(), name


def test_the_chair_starts_the_record_with_a_decision_row_for_each_child(iro, iro_client, held):
    response = iro_client.post(_url("record_start", held))

    assert response["Location"] == _url("record_edit", held)
    record = ConferenceRecord.objects.get(conference=held)
    assert sorted(d.place.child.first_name for d in record.decisions.all()) == ["Ruby", "Sam"]
    event = pghistory.models.Events.objects.get(
        pgh_obj_model="conferences.ConferenceRecord", pgh_obj_id=record.pk
    )
    assert event.pgh_label == "insert"
    assert event.pgh_context["user"] == iro.pk
    assert event.pgh_context["action"] == "start_record"
    assert "Save record" in iro_client.get(_url("record_edit", held)).content.decode()


def test_starting_a_record_twice_keeps_the_one_record(iro_client, held):
    iro_client.post(_url("record_start", held))
    iro_client.post(_url("record_start", held))

    assert ConferenceRecord.objects.filter(conference=held).count() == 1
    assert ChildDecision.objects.filter(record__conference=held).count() == 2


def test_only_the_chair_starts_the_record(client, clerk_client, held):
    client.force_login(UserFactory(roles=[Role.IRO]))
    assert client.post(_url("record_start", held)).status_code == 403
    assert clerk_client.post(_url("record_start", held)).status_code == 403
    assert clerk_client.get(_url("record_start", held)).status_code == 405
    with pytest.raises(Refused):
        start_record(actor=UserFactory(roles=[Role.IRO]), conference=held)
    assert not ConferenceRecord.objects.exists()


def test_nothing_posted_before_the_record_is_started_is_kept(iro_client, held):
    saved = iro_client.post(_url("record_edit", held), {"child_views": "Ruby is happy"})
    autosaved = iro_client.post(
        _url("record_autosave", held), '{"child_views": ["Ruby"]}', content_type="application/json"
    )
    signed_off = iro_client.post(_url("record_finalise", held), {"version": 1}, follow=True)

    assert saved.status_code == 409
    assert NOT_STARTED in saved.content.decode()
    assert autosaved.status_code == 409
    assert NOT_STARTED in signed_off.content.decode()
    assert not ConferenceRecord.objects.exists()
    assert not RecordDraft.objects.exists()


def test_copies_and_distribution_before_the_record_is_started_are_refused(clerk_client, held):
    released = clerk_client.post(_url("record_release", held), {"recipient": "family"}, follow=True)
    distributed = clerk_client.post(_url("record_distribution", held), follow=True)

    assert NOT_STARTED in released.content.decode()
    assert NOT_STARTED in distributed.content.decode()
    assert not ConferenceRecord.objects.exists()
