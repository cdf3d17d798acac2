"""Copies of the record: each recipient's copy holds exactly the entries meant for them, is kept
as given, and the projector shows only what the room may see, whatever the draft holds."""

import hashlib
import io
import json
from datetime import timedelta

import pgtrigger
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conferences.choices import Decision, ParticipantKind, Stage, Visibility
from conferences.models import Participant, RecordDraft, RecordRelease, SafetyEntry
from conferences.record import services
from conferences.record.models import ReleasedCopy
from conferences.record.services import DecisionData, EntryData, RecordData
from config.services import Refused
from rules.audience import FULL_RECORD, ROOM, Recipient, entries_for, is_visible_to
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    ProfessionalFactory,
    at,
    invite,
    make_conference,
    police_officer,
)

pytestmark = pytest.mark.django_db

EVERYONE = "Ruby enjoys school"
NOT_FAMILY = "Police intelligence about a violent partner"
NOT_FOR_DAN = "Gran worries about Dan drinking"
NOT_FOR_POLICE = "Mum told the health visitor in confidence"
ALL = {EVERYONE, NOT_FAMILY, NOT_FOR_DAN, NOT_FOR_POLICE}
FAMILY_VERSION = {EVERYONE, NOT_FOR_POLICE}


@pytest.fixture
def people(iro):
    child = ChildFactory(first_name="Ruby", last_name="Zed")
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    names = {
        ParticipantKind.PARENT: "Dan  Zed",  # two spaces, as the clerk typed it
        ParticipantKind.FAMILY_MEMBER: "Gran Zed",
        ParticipantKind.CHILD: "Ruby Zed",
        ParticipantKind.ADVOCATE: "Ada Advocate",
        ParticipantKind.SUPPORTER: "Fay Friend",
    }
    participants = {
        kind: Participant.objects.create(conference=conference, kind=kind, name=name)
        for kind, name in names.items()
    }
    police = invite(conference, police_officer(full_name="Pat Lane"))
    social_worker = invite(
        conference,
        ProfessionalFactory(full_name="Sam Worker", agency=AgencyFactory(name="Social care")),
    )
    return {
        "conference": conference,
        "dad": participants[ParticipantKind.PARENT],
        "participants": participants,
        "police": police,
        "social_worker": social_worker,
    }


def _signed_off(iro, conference, entries):
    record = services.start_record(actor=conference.chair, conference=conference)
    place = conference.attendees.get()
    services.save_record(
        actor=iro,
        record=record,
        data=RecordData(
            entries=entries,
            decisions=[DecisionData(place_id=place.pk, decision=Decision.PLAN, categories=["NEG"])],
        ),
        expected_version=record.version,
    )
    record.refresh_from_db()
    return services.finalise_record(actor=iro, record=record, expected_version=record.version)


@pytest.fixture
def record(iro, people):
    return _signed_off(
        iro,
        people["conference"],
        [
            EntryData(kind="strength", text=EVERYONE),
            EntryData(kind="complicating", text=NOT_FAMILY, visibility=Visibility.NOT_FAMILY),
            EntryData(
                kind="danger",
                text=NOT_FOR_DAN,
                visibility=Visibility.NOT_NAMED,
                hidden_from_participant_id=people["dad"].pk,
            ),
            EntryData(
                kind="safety",
                text=NOT_FOR_POLICE,
                visibility=Visibility.NOT_NAMED,
                hidden_from_invitation_id=people["police"].pk,
            ),
        ],
    )


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _release(client, conference, key):
    return client.post(
        reverse("conferences:record_release", args=[conference.pk]), {"recipient": key}, follow=True
    )


def _key(people, who: str) -> str:
    if who == "the family":
        return "family"
    if who in ("police", "social_worker"):
        return f"invitation:{people[who].pk}"
    return f"participant:{people['participants'][ParticipantKind(who)].pk}"


FAMILY_SIDE = ["the family", *ParticipantKind.values]  # ParticipantKind "family": a relative


@pytest.mark.parametrize(
    ("who", "version", "expected"),
    [
        *((who, "Family version", FAMILY_VERSION) for who in FAMILY_SIDE),
        ("police", "Professionals' version", {EVERYONE, NOT_FAMILY, NOT_FOR_DAN}),
        ("social_worker", "Professionals' version", ALL),
    ],
)
def test_each_recipients_copy_holds_exactly_the_entries_meant_for_them(
    clerk_client, people, record, who, version, expected
):
    response = _release(clerk_client, people["conference"], _key(people, who))

    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert {entry for entry in ALL if entry in text} == expected
    assert f"record: {version}" in text
    assert f"of record version {record.version}" in text


def test_a_parent_named_with_two_spaces_gets_neither_what_is_kept_from_him_nor_from_the_family(
    clerk_client, people, record
):
    text = _pdf_text(_release(clerk_client, people["conference"], _key(people, "parent")).content)

    assert NOT_FOR_DAN not in text
    assert NOT_FAMILY not in text
    assert "For Dan Zed (parent or carer)" in text


def test_the_room_sees_only_what_everyone_may_and_the_chairs_own_view_sees_everything(
    iro_client, people, record
):
    assert [entry.text for entry in entries_for(record, ROOM)] == [EVERYONE]
    assert {entry.text for entry in entries_for(record, FULL_RECORD)} == ALL
    projected = iro_client.get(reverse("conferences:projector_data", args=[record.conference_id]))
    shown = [entry["text"] for column in projected.json()["columns"] for entry in column["entries"]]
    assert shown == [EVERYONE]
    page = iro_client.get(reverse("conferences:record_view", args=[record.conference_id]))
    assert all(text in page.content.decode() for text in ALL)
    assert "Not for a named person: Dan  Zed" in page.content.decode()


def test_an_entry_whose_named_person_left_the_conference_is_in_no_copy(
    iro, clerk_client, people, record
):
    people["police"].delete()

    text = _pdf_text(_release(clerk_client, people["conference"], "family").content)
    assert NOT_FOR_POLICE not in text
    assert NOT_FOR_POLICE in {entry.text for entry in entries_for(record, FULL_RECORD)}


def test_the_copies_page_offers_every_participant_and_professional_by_reference(
    clerk_client, people, record
):
    page = clerk_client.get(reverse("conferences:record_view", args=[record.conference_id]))
    choices = dict(page.context["release_form"].fields["recipient"].choices)

    everyone = [*FAMILY_SIDE, "police", "social_worker"]
    assert set(choices) == {"", *(_key(people, who) for who in everyone)}
    assert len(choices) == 1 + len(everyone)
    assert not any(key.startswith("person:") for key in choices)


def test_a_copy_for_someone_not_at_the_conference_is_refused(iro, clerk_client, people, record):
    stranger = Participant.objects.create(
        conference=make_conference(
            children_stages=[(ChildFactory(), Stage.INITIAL)],
            chair=iro,
            starts_at=at(timezone.localdate()),
        ),
        kind=ParticipantKind.PARENT,
        name="Someone Else",
    )

    refused = _release(clerk_client, people["conference"], f"participant:{stranger.pk}")
    assert "Choose who the copy is for from the list" in refused.content.decode()
    typed = _release(clerk_client, people["conference"], "person:Dan Zed")
    assert "Choose who the copy is for from the list" in typed.content.decode()
    with pytest.raises(Refused):
        services.release_record(actor=iro, record=record, recipient=Recipient.participant(stranger))
    assert not RecordRelease.objects.exists()


def test_not_for_is_chosen_from_the_conferences_people_never_typed(iro, iro_client, people):
    conference = people["conference"]
    record = services.start_record(actor=conference.chair, conference=conference)
    edit = reverse("conferences:record_edit", args=[conference.pk])
    form = iro_client.get(edit).context["entries"].forms[0]
    offered = dict(form.fields["hidden_from"].choices)
    assert offered[f"participant:{people['dad'].pk}"] == "Dan  Zed (parent or carer)"
    assert f"invitation:{people['police'].pk}" in offered

    place = conference.attendees.get()
    data = {
        "version": record.version,
        "entries-TOTAL_FORMS": 1,
        "entries-INITIAL_FORMS": 0,
        "entries-0-kind": "danger",
        "entries-0-text": NOT_FOR_DAN,
        "entries-0-visibility": "not_named",
        "entries-0-hidden_from": "Dan Zed",
        "dissents-TOTAL_FORMS": 0,
        "dissents-INITIAL_FORMS": 0,
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
        f"decision-{place.pk}-decision": "",
    }
    typed = iro_client.post(edit, data)
    assert "Choose someone at this conference from the list" in typed.content.decode()
    assert not SafetyEntry.objects.exists()

    data["entries-0-hidden_from"] = f"participant:{people['dad'].pk}"
    assert iro_client.post(edit, data).status_code == 302
    assert SafetyEntry.objects.get().hidden_from_participant == people["dad"]


def test_a_person_from_another_conference_cannot_be_named(iro, people):
    other = make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate()),
    )
    stranger = Participant.objects.create(conference=other, kind="parent", name="Dan Zed")
    record = services.start_record(
        actor=people["conference"].chair, conference=people["conference"]
    )
    entry = EntryData(
        kind="danger",
        text=NOT_FOR_DAN,
        visibility=Visibility.NOT_NAMED,
        hidden_from_participant_id=stranger.pk,
    )

    with pytest.raises(Refused, match="Choose someone at this conference"):
        services.save_record(
            actor=iro,
            record=record,
            data=RecordData(entries=[entry]),
            expected_version=record.version,
        )


def test_the_file_name_and_first_page_say_whom_it_is_for_and_which_version_with_no_names(
    clerk_client, people, record
):
    response = _release(clerk_client, people["conference"], _key(people, "child"))

    disposition = response["Content-Disposition"]
    reference = f"C{record.conference_id:06d}"
    assert disposition == (
        f'attachment; filename="conference-record-{reference}-release-1'
        f'-v{record.version}-family-version.pdf"'
    )
    assert "Zed" not in disposition
    assert "Ruby" not in disposition
    first_page = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Family version" in first_page
    assert "For Ruby Zed (the child or young person)" in first_page
    assert f"Release 1 of conference {reference}" in first_page


def test_a_released_copy_is_served_as_given_even_after_the_record_is_amended(
    iro, clerk_client, people, record
):
    conference = people["conference"]
    first = _release(clerk_client, conference, "family")
    release = RecordRelease.objects.get()
    stored = ReleasedCopy.objects.get(release=release)
    released_version = record.version
    assert bytes(stored.pdf) == first.content
    assert stored.sha256 == hashlib.sha256(first.content).hexdigest()

    services.save_record(
        actor=iro,
        record=record,
        data=RecordData(
            entries=[EntryData(kind="strength", text="Amended: Ruby walks to school with Gran")],
            decisions=[DecisionData(place_id=conference.attendees.get().pk, decision="plan")],
        ),
        expected_version=record.version,
        amendment_reason="A new strength",
    )
    again = clerk_client.get(reverse("conferences:release_pdf", args=[conference.pk, release.pk]))
    assert again.content == first.content
    text = _pdf_text(again.content)
    assert EVERYONE in text
    assert "Amended" not in text
    assert f"of record version {released_version}" in text

    later = _pdf_text(_release(clerk_client, conference, "family").content)
    assert "Amended: Ruby walks to school" in later
    assert f"of record version {released_version + 1}" in later
    assert "Release 2" in later


def test_releases_and_their_copies_cannot_be_changed_or_removed(clerk_client, people, record):
    _release(clerk_client, people["conference"], "family")
    for table in ("conferences_releasedcopy", "conferences_recordrelease"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE conferences_releasedcopy")


def test_a_copy_that_no_longer_matches_its_hash_is_not_served(clerk_client, people, record):
    _release(clerk_client, people["conference"], "family")
    release = RecordRelease.objects.get()
    with pgtrigger.ignore("conferences.ReleasedCopy:released_copies_are_append_only"):
        ReleasedCopy.objects.filter(release=release).update(pdf=b"%PDF-1.7 tampered")

    response = clerk_client.get(
        reverse("conferences:release_pdf", args=[people["conference"].pk, release.pk]), follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "has been changed since it was given" in response.content.decode()


def test_a_copy_given_before_copies_were_kept_is_not_made_again_from_todays_record(
    iro, clerk_client, people, record
):
    old = RecordRelease.objects.create(
        record=record,
        number=1,
        recipient_name="The family",
        recipient_is_family=True,
        record_version=record.version - 1,
        released_by=iro,
    )

    response = clerk_client.get(
        reverse("conferences:release_pdf", args=[people["conference"].pk, old.pk]), follow=True
    )
    assert "cannot be given again" in response.content.decode()


HOSTILE_DRAFTS = [
    ["a", "list"],
    "just text",
    42,
    {"entries-TOTAL_FORMS": "lots"},
    {"entries-TOTAL_FORMS": ["1"], "entries-0-kind": ["danger"], "entries-0-text": [5]},
    {"entries-TOTAL_FORMS": ["1"], "entries-0-kind": [{"x": 1}], "entries-0-text": ["x"]},
    {"entries-TOTAL_FORMS": [["1"]]},
    {"overall_family": {"score": 7}},
    {"entries-TOTAL_FORMS": ["-1"]},
]


@pytest.mark.parametrize("data", HOSTILE_DRAFTS)
def test_a_malformed_draft_shows_the_room_the_saved_record_instead(
    iro, iro_client, people, record, data
):
    RecordDraft.objects.create(record=record, author=iro, data=data)

    response = iro_client.get(reverse("conferences:projector_data", args=[record.conference_id]))

    assert response.status_code == 200
    shown = [entry["text"] for column in response.json()["columns"] for entry in column["entries"]]
    assert shown == [EVERYONE]


def test_the_room_sees_only_everyones_entries_and_real_scores_from_the_draft(
    iro, iro_client, people
):
    record = services.start_record(
        actor=people["conference"].chair, conference=people["conference"]
    )
    typed = {
        "entries-TOTAL_FORMS": ["4"],
        "entries-0-kind": ["danger"],
        "entries-0-text": ["Typed for everyone"],
        "entries-0-visibility": ["everyone"],
        "entries-0-score_chair": ["11"],
        "entries-0-score_family": ["3"],
        "entries-1-kind": ["danger"],
        "entries-1-text": ["Typed not for the family"],
        "entries-1-visibility": ["not_family"],
        "entries-2-kind": ["danger"],
        "entries-2-text": ["Typed not for Dan"],
        "entries-2-visibility": ["not_named"],
        "entries-3-kind": ["danger"],
        "entries-3-text": ["Typed with a made-up visibility"],
        "entries-3-visibility": ["EVERYONE "],
        "overall_chair": ["-1"],
        "overall_family": ["7"],
    }
    RecordDraft.objects.create(record=record, author=iro, data=typed)

    data = iro_client.get(reverse("conferences:projector_data", args=[record.conference_id])).json()

    shown = [entry for column in data["columns"] for entry in column["entries"]]
    assert [(entry["text"], entry["scores"]) for entry in shown] == [
        ("Typed for everyone", {"family": 3})
    ]
    assert data["overall"] == {"family": 7}


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        json.dumps({"child_views": {"nested": "object"}}).encode(),
        json.dumps({"child_views": [1, 2]}).encode(),
        json.dumps({"child_views": ["has a \u0000 in it"]}).encode(),
        b'{"child_views": ["\\ud800"]}',
    ],
)
def test_autosave_refuses_what_the_form_could_not_have_sent(iro, iro_client, people, body):
    response = iro_client.post(
        reverse("conferences:record_autosave", args=[people["conference"].pk]),
        body,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"saved": False}
    assert not RecordDraft.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_typed_not_for_names_become_the_people_they_name_when_migrated(iro, people):
    """The migration matches a typed name to the one person it names (any case or spacing);
    a name matching no one leaves the entry in no copy until the chair chooses."""
    record = services.start_record(
        actor=people["conference"].chair, conference=people["conference"]
    )
    typed = {"dan zed": NOT_FOR_DAN, " PAT   LANE": NOT_FOR_POLICE, "Nobody Known": NOT_FAMILY}
    for name, text in typed.items():
        SafetyEntry.objects.create(
            record=record,
            column="worries",
            kind="danger",
            text=text,
            visibility=Visibility.NOT_NAMED,
            legacy_hidden_from=name,
        )
    # Back without the after-migrate signals (they expect today's tables), then forward with
    # migrate itself, so what runs after every migrate (guards, grants, triggers) runs again.
    MigrationExecutor(connection).migrate([("conferences", "0008_census_fields")])
    call_command("migrate", verbosity=0)

    migrated = {entry.text: entry for entry in SafetyEntry.objects.all()}
    assert migrated[NOT_FOR_DAN].hidden_from_participant_id == people["dad"].pk
    assert migrated[NOT_FOR_DAN].legacy_hidden_from == ""
    assert migrated[NOT_FOR_POLICE].hidden_from_invitation_id == people["police"].pk
    assert migrated[NOT_FAMILY].legacy_hidden_from == "Nobody Known"
    family = Recipient.family()
    assert [is_visible_to(entry, family) for entry in SafetyEntry.objects.order_by("pk")] == [
        False,
        True,
        False,
    ]


def test_a_typed_name_that_matched_no_one_is_shown_to_the_chair_as_text_to_choose_again(
    iro_client, people
):
    record = services.start_record(
        actor=people["conference"].chair, conference=people["conference"]
    )
    SafetyEntry.objects.create(
        record=record,
        column="worries",
        kind="danger",
        text=NOT_FOR_DAN,
        visibility=Visibility.NOT_NAMED,
        legacy_hidden_from="<b>Danny</b>",
    )

    page = iro_client.get(reverse("conferences:record_edit", args=[people["conference"].pk]))

    html = page.content.decode()
    assert "This said \u201c&lt;b&gt;Danny&lt;/b&gt;\u201d before people were chosen" in html
    assert "<b>Danny</b>" not in html
