"""A conference's type, derived from the stages of the children at it (reference report 5.1.2)."""

from collections.abc import Iterable

from django.db import models

from .choices import INITIAL_STAGES, REVIEW_STAGES, Stage


class MeetingType(models.TextChoices):
    INITIAL = "initial", "Initial"
    PRE_BIRTH = "pre_birth", "Initial pre-birth"
    INITIAL_AND_PRE_BIRTH = "initial_pre_birth", "Initial/Pre-birth initial"
    RECEIVING_IN = "receiving_in", "Initial receiving-in"
    RECONVENED = "reconvened", "Initial re-convened"
    FIRST_REVIEW = "first_review", "First review"
    REVIEW_AND_INITIAL = "review_initial", "Review/Initial"
    REVIEW = "review", "Subsequent review"


_SINGLE = {
    Stage.INITIAL: MeetingType.INITIAL,
    Stage.PRE_BIRTH: MeetingType.PRE_BIRTH,
    Stage.RECEIVING_IN: MeetingType.RECEIVING_IN,
    Stage.RECONVENED: MeetingType.RECONVENED,
    Stage.FIRST_REVIEW: MeetingType.FIRST_REVIEW,
    Stage.REVIEW: MeetingType.REVIEW,
}


def meeting_type(stages: Iterable[str]) -> MeetingType:
    """The meeting's type from its children's stages.

    One stage gives its own type. Siblings at an initial and a pre-birth stage make
    "Initial/Pre-birth initial"; any initial stage beside a review stage makes "Review/Initial".
    Other mixes take the type of the stage that comes first in the child's journey (a first
    review beside a subsequent review is a first review; an initial beside a receiving-in is an
    initial), because that stage's timescale is the one that drove the booking.
    """
    distinct = {Stage(stage) for stage in stages}
    if not distinct:
        raise ValueError("a conference has at least one child")
    if len(distinct) == 1:
        return _SINGLE[distinct.pop()]
    has_initial = bool(distinct & INITIAL_STAGES)
    has_review = bool(distinct & REVIEW_STAGES)
    if has_initial and has_review:
        return MeetingType.REVIEW_AND_INITIAL
    if {Stage.INITIAL, Stage.PRE_BIRTH} <= distinct:
        return MeetingType.INITIAL_AND_PRE_BIRTH
    first = min(distinct, key=list(Stage).index)
    return _SINGLE[first]
