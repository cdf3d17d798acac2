"""Conference activity (reference report 5.1.1, 5.1.2): meetings held, by type."""

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Case, CharField, F, OuterRef, Subquery, Value, When

from conferences.choices import INITIAL_STAGES, REVIEW_STAGES, Stage
from conferences.meeting_types import MeetingType
from conferences.models import ConferenceChild

from .base import Column, Figure, Scope, year_columns
from .sql import held_conferences

_SINGLE_ORDER = [
    (Stage.INITIAL, MeetingType.INITIAL),
    (Stage.PRE_BIRTH, MeetingType.PRE_BIRTH),
    (Stage.RECEIVING_IN, MeetingType.RECEIVING_IN),
    (Stage.RECONVENED, MeetingType.RECONVENED),
    (Stage.FIRST_REVIEW, MeetingType.FIRST_REVIEW),
    (Stage.REVIEW, MeetingType.REVIEW),
]


def meeting_type_sql() -> Subquery:
    """conferences.meeting_types.meeting_type, in SQL: the same rules in the same order
    (a test compares the two for every mix of stages)."""
    stages = (
        ConferenceChild.objects.filter(conference=OuterRef("pk"))
        .order_by()
        .values("conference")
        .annotate(stages=ArrayAgg("stage", distinct=True))
    )
    typed = stages.annotate(
        meeting_type=Case(
            When(
                stages__overlap=sorted(INITIAL_STAGES),
                then=Case(
                    When(
                        stages__overlap=sorted(REVIEW_STAGES),
                        then=Value(MeetingType.REVIEW_AND_INITIAL),
                    ),
                    When(
                        stages__contains=[Stage.INITIAL, Stage.PRE_BIRTH],
                        then=Value(MeetingType.INITIAL_AND_PRE_BIRTH),
                    ),
                    default=None,
                ),
            ),
            default=None,
            output_field=CharField(),
        )
    )
    first = [When(stages__contains=[stage], then=Value(kind)) for stage, kind in _SINGLE_ORDER]
    typed = typed.annotate(
        row=Case(
            When(meeting_type__isnull=False, then=F("meeting_type")),
            *first,
            output_field=CharField(),
        )
    )
    return Subquery(typed.values("row")[:1], output_field=CharField())


class MeetingsByType(Figure):
    slug = "meetings-by-type"
    total_label = "All meetings"
    title = "Conference activity by type"
    counts = "meetings"
    subject_model = "conferences.Conference"
    definition = (
        "Meetings held in the period, by type. A meeting is one conference for a family, "
        "however many children it considers; postponed and cancelled meetings are not "
        "activity. The type comes from the children's stages: siblings at an initial and a "
        "pre-birth stage make 'Initial/Pre-birth initial'; any initial stage beside a review "
        "makes 'Review/Initial'; other mixes take the earliest stage in the child's journey."
    )

    def rows(self, scope):
        return [(kind.value, kind.label) for kind in MeetingType]

    def records(self, scope: Scope, column: Column):
        return held_conferences(scope, column).annotate(row=meeting_type_sql(), subject=F("pk"))


class MeetingsTrend(MeetingsByType):
    slug = "meetings-trend"
    title = "Conference activity by year"
    definition = (
        "Meetings held in each financial year, by type, for the four years to the one shown."
    )

    def columns(self, scope):
        return year_columns(scope)
