"""The thematic quarterly report on challenge, escalation and good practice (report 1.6, 5.7).

Counting rules, each stated once:
- A challenge is a chain of steps; it belongs to the quarter its first step was raised in.
- "By reason" and "by team or agency" count challenges; "steps by level" counts every step raised
  in the quarter, so escalations show at the level they reached.
- A challenge is resolved when its last step is; time to resolve is the working days from the
  first step being raised to that resolution.
- Aggregates include every record, restricted ones too: a figure must not depend on who looks.
"""

from collections import Counter
from dataclasses import dataclass, field

from conferences.challenges.models import (
    Challenge,
    ChallengeLevel,
    ChallengeReason,
    GoodPracticeNote,
)
from rules.periods import Period
from rules.working_days import working_calendar

RESOLUTION_BANDS = (
    ("Within 5 working days", 0, 5),
    ("6 to 10 working days", 6, 10),
    ("11 to 20 working days", 11, 20),
    ("More than 20 working days", 21, None),
)
NOT_RESOLVED = "Not resolved yet"


@dataclass
class ThematicReport:
    period: Period
    challenges: int = 0
    by_reason: list[tuple[str, int]] = field(default_factory=list)
    steps_by_level: list[tuple[str, int]] = field(default_factory=list)
    highest_level: list[tuple[str, int]] = field(default_factory=list)
    by_raised_with: list[tuple[str, int]] = field(default_factory=list)
    time_to_resolve: list[tuple[str, int]] = field(default_factory=list)
    good_practice: int = 0
    good_practice_by_credit: list[tuple[str, int]] = field(default_factory=list)

    def tables(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [
            ("Challenges by reason", self.by_reason),
            ("Challenge steps by level", self.steps_by_level),
            ("Challenges by highest level reached", self.highest_level),
            ("Challenges by team or agency", self.by_raised_with),
            ("Time to resolve", self.time_to_resolve),
            ("Good practice notes by whom they credit", self.good_practice_by_credit),
        ]


def _chains(steps: list[Challenge]) -> dict[int, list[Challenge]]:
    """Steps grouped by the first step of their chain, in order."""
    by_pk = {step.pk: step for step in steps}
    chains: dict[int, list[Challenge]] = {}
    for step in sorted(steps, key=lambda s: (s.level, s.raised_on, s.pk)):
        first = step
        while first.escalated_from_id in by_pk:
            first = by_pk[first.escalated_from_id]
        chains.setdefault(first.pk, []).append(step)
    return chains


def _band(days: int | None) -> str:
    if days is None:
        return NOT_RESOLVED
    for label, low, high in RESOLUTION_BANDS:
        if days >= low and (high is None or days <= high):
            return label
    raise AssertionError(days)


def thematic_report(period: Period) -> ThematicReport:
    report = ThematicReport(period=period)
    # Every step that could belong to a chain started in the period: chains start in it, and
    # later steps are raised on or after the start.
    steps = list(
        Challenge.objects.filter(raised_on__gte=period.start).select_related(
            "reason", "raised_with_team", "raised_with_agency"
        )
    )
    chains = {
        first_pk: chain
        for first_pk, chain in _chains(steps).items()
        if chain[0].escalated_from_id is None and period.contains(chain[0].raised_on)
    }
    calendar = working_calendar()
    reasons, raised_with, highest, resolution = Counter(), Counter(), Counter(), Counter()
    for chain in chains.values():
        first, last = chain[0], chain[-1]
        reasons[first.reason.label] += 1
        raised_with[str(first.raised_with_team or first.raised_with_agency)] += 1
        highest[last.level] += 1
        days = (
            calendar.working_days_between(first.raised_on, last.resolved_on)
            if last.resolved_on
            else None
        )
        resolution[_band(days)] += 1
    levels = Counter(step.level for step in steps if period.contains(step.raised_on))

    report.challenges = len(chains)
    report.by_reason = [
        (label, reasons[label])
        for label, active in ChallengeReason.objects.values_list("label", "is_active")
        if active or reasons[label]
    ]
    report.steps_by_level = [(level.label, levels[level.value]) for level in ChallengeLevel]
    report.highest_level = [(level.label, highest[level.value]) for level in ChallengeLevel]
    report.by_raised_with = sorted(raised_with.items())
    report.time_to_resolve = [
        (label, resolution[label]) for label, *_ in (*RESOLUTION_BANDS, (NOT_RESOLVED,))
    ]
    notes = GoodPracticeNote.objects.filter(noted_on__range=(period.start, period.end))
    credits = Counter(notes.values_list("credited_to", flat=True))
    report.good_practice = sum(credits.values())
    report.good_practice_by_credit = sorted(credits.items())
    return report
