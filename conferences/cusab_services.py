"""Every write to CUSAB risk meetings."""

from datetime import date

from accounts.models import User
from config.concurrency import save_if_unchanged
from config.services import Refused, write_service

from .cusab_models import CusabChair, CusabMeeting
from .timescales import today

FIELDS = [
    "held_on",
    "chaired_by",
    "iro",
    "locality_manager",
    "why_iro_chaired",
    "outcome",
    "next_meeting_on",
]


def _checked(data: dict) -> dict:
    held_on: date = data["held_on"]
    if held_on > today():
        raise Refused("The meeting date cannot be in the future", field="held_on")
    if data.get("next_meeting_on") and data["next_meeting_on"] <= held_on:
        raise Refused("The next meeting must be after this one", field="next_meeting_on")
    # Keep only the chair details that apply, so a changed answer leaves nothing stale behind.
    if data["chaired_by"] == CusabChair.IRO:
        return {**data, "locality_manager": ""}
    return {**data, "iro": None, "why_iro_chaired": ""}


@write_service("record_cusab_meeting")
def record_cusab_meeting(*, actor: User, child, **data) -> CusabMeeting:
    data = _checked(data)
    return CusabMeeting.objects.create(child=child, recorded_by=actor, **data)


@write_service("update_cusab_meeting")
def update_cusab_meeting(
    *, actor: User, meeting: CusabMeeting, expected_version: int, **data
) -> CusabMeeting:
    for name, value in _checked(data).items():
        setattr(meeting, name, value)
    save_if_unchanged(meeting, expected_version=expected_version, fields=FIELDS)
    return meeting
