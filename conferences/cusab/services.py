"""Every write to CUSAB risk meetings."""

from dataclasses import dataclass, replace
from datetime import date

from accounts.models import User
from conferences.cusab.models import CusabChair, CusabMeeting
from config.concurrency import save_if_unchanged
from config.services import FieldValues, Refused, write_service
from rules.timescales import today


@dataclass(frozen=True)
class CusabDetails(FieldValues):
    """A CUSAB meeting: the fields its form changes."""

    held_on: date
    chaired_by: str
    iro: User | None = None
    locality_manager: str = ""
    why_iro_chaired: str = ""
    outcome: str = ""
    next_meeting_on: date | None = None


FIELDS = CusabDetails.names()


def _checked(details: CusabDetails) -> CusabDetails:
    held_on = details.held_on
    if held_on > today():
        raise Refused("The meeting date cannot be in the future", field="held_on")
    if details.next_meeting_on and details.next_meeting_on <= held_on:
        raise Refused("The next meeting must be after this one", field="next_meeting_on")
    # Keep only the chair details that apply, so a changed answer leaves nothing stale behind.
    if details.chaired_by == CusabChair.IRO:
        return replace(details, locality_manager="")
    return replace(details, iro=None, why_iro_chaired="")


@write_service("record_cusab_meeting")
def record_cusab_meeting(*, actor: User, child, details: CusabDetails) -> CusabMeeting:
    meeting = CusabMeeting(child=child, recorded_by=actor)
    _checked(details).apply_to(meeting)
    meeting.save()
    return meeting


@write_service("update_cusab_meeting")
def update_cusab_meeting(
    *, actor: User, meeting: CusabMeeting, details: CusabDetails, expected_version: int
) -> CusabMeeting:
    _checked(details).apply_to(meeting)
    save_if_unchanged(meeting, expected_version=expected_version, fields=FIELDS)
    return meeting
