"""The figures, in the order the dashboard and the annual report show them."""

from reporting.figures.children import AgeBands, CategoryOfAbuse, Ethnicity_, SignificantFactors
from reporting.figures.meetings import MeetingsByType, MeetingsTrend
from reporting.figures.performance import (
    AgencyAttendance,
    CoreGroupsOnTime,
    Distribution,
    Postponements,
    WithinTimescale,
)
from reporting.figures.plans import ChildrenOnPlans, ChildrenOnPlansTrend, PlansStartedAndEnded
from reporting.figures.reports import ReportToChair, ReportToFamily
from reporting.figures.service import (
    Advocacy,
    ChairContinuity,
    Challenges,
    ComplaintsAppealsDissent,
    CusabMeetings,
    IroWorkload,
    Questionnaire,
)

FIGURES = [
    MeetingsByType(),
    MeetingsTrend(),
    ChildrenOnPlans(),
    ChildrenOnPlansTrend(),
    PlansStartedAndEnded(),
    CategoryOfAbuse(),
    SignificantFactors(),
    AgeBands(),
    Ethnicity_(),
    ReportToFamily(),
    ReportToChair(),
    WithinTimescale(),
    Postponements(),
    AgencyAttendance(),
    Distribution(),
    CoreGroupsOnTime(),
    Advocacy(),
    ComplaintsAppealsDissent(),
    Challenges(),
    CusabMeetings(),
    Questionnaire("parent"),
    Questionnaire("agency"),
    IroWorkload(),
    ChairContinuity(),
]
_BY_SLUG = {figure.slug: figure for figure in FIGURES}


def figure(slug: str):
    """The figure with this slug, or None."""
    return _BY_SLUG.get(slug)
