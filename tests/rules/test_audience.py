"""Who may see a record entry: one rule for every version of the record, and the projector
applies it to the chair's draft as to the saved record."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conferences.choices import COLUMN_OF_KIND, ConferenceStatus, EntryKind, Stage, Visibility
from conferences.record.models import ConferenceRecord, RecordDraft, SafetyEntry
from conferences.record.views import projector_content
from rules.audience import FULL_RECORD, ROOM, Recipient, RecipientSide, is_visible_to
from tests.factories import ChildFactory, at, make_conference

FAMILY = Recipient.family()
POLICE = Recipient(RecipientSide.PROFESSIONAL, "Police officer", invitation_id=7)
SCHOOL = Recipient(RecipientSide.PROFESSIONAL, "Teacher", invitation_id=8)
RECIPIENTS = [ROOM, FAMILY, POLICE, SCHOOL, FULL_RECORD]

# What each entry shows to the room, the family, the police, the school and the full record.
SEEN_BY = [
    (SafetyEntry(visibility=Visibility.EVERYONE), [True, True, True, True, True]),
    (SafetyEntry(visibility=Visibility.NOT_FAMILY), [False, False, True, True, True]),
    (
        SafetyEntry(visibility=Visibility.NOT_NAMED, hidden_from_participant_id=3),
        [False, False, True, True, True],
    ),
    (
        SafetyEntry(visibility=Visibility.NOT_NAMED, hidden_from_invitation_id=8),
        [False, True, True, False, True],
    ),
    (SafetyEntry(visibility=Visibility.NOT_NAMED), [False, False, False, False, True]),
]


@pytest.mark.parametrize(
    ("entry", "seen"),
    SEEN_BY,
    ids=["everyone", "not_family", "not_a_participant", "not_a_professional", "nobody_chosen"],
)
def test_each_version_of_the_record_shows_the_entries_its_reader_may_see(entry, seen):
    assert [is_visible_to(entry, recipient) for recipient in RECIPIENTS] == seen


def _draft_entry(index: int, text: str, visibility: str) -> dict:
    prefix = f"entries-{index}-"
    return {
        prefix + "kind": EntryKind.HARM,
        prefix + "text": text,
        prefix + "visibility": visibility,
    }


@pytest.mark.django_db
def test_the_projector_shows_the_room_the_same_from_a_draft_as_from_the_saved_record(iro):
    conference = make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2026, 11, 26)),
        status=ConferenceStatus.HELD,
    )
    record = ConferenceRecord.objects.create(conference=conference)
    for text, visibility in [("Saved for all", Visibility.EVERYONE), ("Saved", "not_family")]:
        SafetyEntry.objects.create(
            record=record,
            kind=EntryKind.HARM,
            column=COLUMN_OF_KIND[EntryKind.HARM],
            text=text,
            visibility=visibility,
        )

    def shown() -> list[str]:
        columns = projector_content(record)["columns"]
        return [entry["text"] for column in columns for entry in column["entries"]]

    assert shown() == ["Saved for all"]
    RecordDraft.objects.create(
        record=record,
        author=iro,
        saved_at=timezone.now() + timedelta(minutes=1),
        data={
            "entries-TOTAL_FORMS": "2",
            **_draft_entry(0, "Typed for all", Visibility.EVERYONE),
            **_draft_entry(1, "Typed", Visibility.NOT_FAMILY),
        },
    )
    assert shown() == ["Typed for all"]
