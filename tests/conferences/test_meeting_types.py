"""A meeting's type comes from its children's stages, mixed stages included (5.1.2)."""

import pytest

from conferences.choices import Stage
from conferences.meeting_types import MeetingType, meeting_type


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ([Stage.INITIAL, Stage.INITIAL], MeetingType.INITIAL),
        ([Stage.PRE_BIRTH], MeetingType.PRE_BIRTH),
        ([Stage.INITIAL, Stage.PRE_BIRTH], MeetingType.INITIAL_AND_PRE_BIRTH),
        ([Stage.REVIEW, Stage.INITIAL], MeetingType.REVIEW_AND_INITIAL),
        ([Stage.FIRST_REVIEW, Stage.PRE_BIRTH], MeetingType.REVIEW_AND_INITIAL),
        ([Stage.FIRST_REVIEW, Stage.REVIEW], MeetingType.FIRST_REVIEW),
        ([Stage.RECEIVING_IN], MeetingType.RECEIVING_IN),
        ([Stage.RECONVENED], MeetingType.RECONVENED),
        ([Stage.REVIEW], MeetingType.REVIEW),
    ],
)
def test_the_meeting_type_follows_the_childrens_stages(stages, expected):
    assert meeting_type(stages) == expected


def test_a_meeting_needs_a_child():
    with pytest.raises(ValueError, match="at least one child"):
        meeting_type([])
