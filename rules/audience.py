"""Who may see a record entry: the room, the family, a professional, or the full record.

One rule, in Python only: copies, the projector and the record's pages filter entries in hand
(drafts the chair is typing among them), and no figure counts by it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

from conferences.choices import Visibility

if TYPE_CHECKING:
    from conferences.record.models import ConferenceRecord, SafetyEntry


class RecipientSide(models.TextChoices):
    """Which version of the record someone receives."""

    FAMILY = "family", "Family version"
    PROFESSIONAL = "professional", "Professionals' version"
    ROOM = "room", "What the room may see"
    FULL_RECORD = "full_record", "Full record"


@dataclass(frozen=True)
class Recipient:
    """Who a view or copy of the record is for: the room (projector), the family, one family
    participant, one invited professional, or the chair's and service's own full record."""

    side: RecipientSide
    name: str
    description: str = ""
    reference: str = ""
    invitation_id: int | None = None

    @classmethod
    def family(cls) -> "Recipient":
        return cls(RecipientSide.FAMILY, "The family", "parents and carers", "family")

    @classmethod
    def participant(cls, person) -> "Recipient":
        # Every participant is on the family's side of the table, an advocate or supporter too:
        # what they are given reaches the family, so they get the family version at most.
        return cls(
            RecipientSide.FAMILY,
            person.name,
            person.get_kind_display().lower(),
            f"participant:{person.pk}",
        )

    @classmethod
    def invited(cls, invitation) -> "Recipient":
        professional = invitation.professional
        return cls(
            RecipientSide.PROFESSIONAL,
            professional.full_name,
            str(professional.agency),
            f"invitation:{invitation.pk}",
            invitation.pk,
        )

    @property
    def label(self) -> str:
        return f"{self.name} ({self.description})" if self.description else self.name

    @property
    def is_family_version(self) -> bool:
        return self.side in (RecipientSide.FAMILY, RecipientSide.ROOM)


ROOM = Recipient(RecipientSide.ROOM, "Everyone in the room", reference="room")
FULL_RECORD = Recipient(RecipientSide.FULL_RECORD, "The IRO service", reference="record")


def is_visible_to(entry: "SafetyEntry", recipient: Recipient) -> bool:
    """The one rule for which entries a copy, the projector or a page may show.

    The full record shows everything; the room (anyone may be in it) only what is for
    everyone. The family version, which the family and each family participant get (they
    share a home), adds what is kept only from a named professional. A professional's
    version adds what is not for the family, and what is not for a named person unless
    they are that person. An entry kept from a person nobody has chosen is in the full
    record only.
    """
    if recipient.side == RecipientSide.FULL_RECORD or entry.visibility == Visibility.EVERYONE:
        return True
    if recipient.side == RecipientSide.ROOM:
        return False
    if entry.visibility == Visibility.NOT_FAMILY:
        return recipient.side == RecipientSide.PROFESSIONAL
    if entry.hidden_from_participant_id:
        return recipient.side == RecipientSide.PROFESSIONAL
    if entry.hidden_from_invitation_id:
        return entry.hidden_from_invitation_id != recipient.invitation_id
    return False


def visible_entries(entries: Iterable["SafetyEntry"], recipient: Recipient) -> list["SafetyEntry"]:
    """The entries, saved or as a draft holds them, that this recipient may see, in order."""
    return [entry for entry in entries if is_visible_to(entry, recipient)]


def entries_for(record: "ConferenceRecord", recipient: Recipient) -> list["SafetyEntry"]:
    """The record's saved entries this recipient may see, in order."""
    entries = record.entries.select_related(
        "hidden_from_participant", "hidden_from_invitation__professional"
    ).prefetch_related("scores")
    return visible_entries(entries, recipient)
