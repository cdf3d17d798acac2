"""Conference activity (reference report 5.1.1, 5.1.2): meetings held, by type."""

from django.db.models import F

from reporting.figures.base import Column, Figure, Scope, year_columns
from reporting.figures.sql import held_conferences, held_in
from rules.meetings import MeetingType, meeting_type_sql


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

    def in_column(self, column):
        return held_in(column.start, column.end)


class MeetingsTrend(MeetingsByType):
    slug = "meetings-trend"
    title = "Conference activity by year"
    definition = (
        "Meetings held in each financial year, by type, for the four years to the one shown."
    )

    def columns(self, scope):
        return year_columns(scope)
