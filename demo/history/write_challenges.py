"""Step 7, challenges the IROs raised with the localities in 2014-15 (5.7)."""

from datetime import date

from conferences.challenges.models import Challenge, ChallengeLevel, ChallengeReason
from conferences.choices import Stage
from demo.history.in_memory import History, meetings_2014_15
from demo.history.reference import Rows

CHALLENGES = (  # reason (conferences migration 0006) and what the IRO raised with the locality
    ("Clarity of planning", "Plan objectives are not specific enough to measure progress."),
    ("Clarity of planning", "Core group actions have no named owner or timescale."),
    ("Clarity of planning", "The plan does not say what safety looks like for the children."),
    ("Clarity of planning", "Objectives agreed at the last review have not been completed."),
    ("Clarity of planning", "Contingency plan missing although agreed at conference."),
    ("Plan objectives not progressed or drift", "Parenting assessment not started after 3 months."),
    ("Plan objectives not progressed or drift", "No progress on the agreed housing referral."),
    ("Report late or poor", "Social work report reached the family on the morning of conference."),
    (
        "Other",
        "About the locality's dealings with Health: the locality has not pursued Health over the "
        "missed developmental checks agreed at conference.",
    ),
    (
        "Cross-border responsibility",
        "Cross-border issues: no agreement with the neighbouring authority on who leads safety "
        "planning after the family moved.",
    ),
)


def write_challenges(history: History, rows: Rows) -> None:
    """Ten challenges raised with locality team managers in 2014-15, one escalated to the
    service manager (5.7.1): steps at team manager level 10, service manager 1."""
    rng, calendar = history.rng, history.calendar
    reviews = [
        m for m in meetings_2014_15(history, before=date(2015, 2, 27)) if m.stages & {Stage.REVIEW}
    ]
    chosen = sorted(rng.sample(reviews, len(CHALLENGES)), key=lambda m: m.held_on)
    reasons = {r.label: r for r in ChallengeReason.objects.all()}
    steps, escalate = [], None
    for meeting, (label, detail) in zip(chosen, CHALLENGES, strict=True):
        raised = calendar.add_working_days(meeting.held_on, rng.randint(1, 4))
        responded = calendar.add_working_days(raised, rng.randint(2, 6))
        escalated = label == "Cross-border responsibility"
        step = Challenge(
            raised_by=rows.iros[meeting.chair],
            child=meeting.places[0].kid.row,
            conference=meeting.row,
            level=ChallengeLevel.TEAM_MANAGER,
            raised_with_team=rows.localities[meeting.household.locality],
            reason=reasons.get(label) or ChallengeReason.objects.get_or_create(label=label)[0],
            detail=detail,
            raised_on=raised,
            response_due_on=calendar.add_working_days(raised, 5),
            response="Discussed with the social worker; the plan will be updated.",
            responded_on=responded,
            outcome="" if escalated else "Agreed: objectives rewritten with timescales.",
            resolved_on=None if escalated else responded,
        )
        steps.append(step)
        escalate = step if escalated else escalate
    Challenge.objects.bulk_create(steps)
    raised = calendar.add_working_days(escalate.responded_on, 3)
    Challenge.objects.create(
        raised_by=escalate.raised_by,
        child=escalate.child,
        conference=escalate.conference,
        level=ChallengeLevel.SERVICE_MANAGER,
        raised_with_team=escalate.raised_with_team,
        reason=escalate.reason,
        detail="Escalated: the team manager could not agree responsibility with the other "
        "authority.",
        raised_on=raised,
        response_due_on=calendar.add_working_days(raised, 5),
        response="Service managers agreed the lead authority and a joint safety plan.",
        responded_on=calendar.add_working_days(raised, 7),
        outcome="Lead authority agreed.",
        resolved_on=calendar.add_working_days(raised, 7),
        escalated_from=escalate,
    )
