"""Every write to IRO challenges and good practice notes."""

from datetime import date

from django.conf import settings

from accounts.models import User
from conferences.challenges.models import Challenge, ChallengeLevel, GoodPracticeNote
from config.concurrency import save_if_unchanged
from config.services import Refused, write_service
from rules.timescales import today
from rules.working_days import working_calendar


def _due(raised_on: date) -> date:
    return working_calendar().add_working_days(
        raised_on, settings.CONVENE_CHALLENGE_RESPONSE_WORKING_DAYS
    )


@write_service("raise_challenge")
def raise_challenge(
    *,
    actor: User,
    level: int,
    reason,
    detail: str,
    raised_on: date,
    child=None,
    conference=None,
    raised_with_team=None,
    raised_with_agency=None,
) -> Challenge:
    if raised_on > today():
        raise Refused("The date raised cannot be in the future")
    if raised_with_team is None and raised_with_agency is None:
        raise Refused("Choose the locality team or the agency the challenge is raised with")
    return Challenge.objects.create(
        raised_by=actor,
        level=level,
        reason=reason,
        detail=detail,
        raised_on=raised_on,
        response_due_on=_due(raised_on),
        child=child,
        conference=conference,
        raised_with_team=raised_with_team,
        raised_with_agency=raised_with_agency,
    )


@write_service("respond_to_challenge")
def record_response(
    *,
    actor: User,
    challenge: Challenge,
    response: str,
    responded_on: date,
    outcome: str,
    resolved: bool,
    expected_version: int,
) -> Challenge:
    if challenge.resolved_on or challenge.is_escalated:
        raise Refused("This step is closed: it was resolved or escalated")
    if responded_on < challenge.raised_on:
        raise Refused("The response cannot be dated before the challenge was raised")
    if responded_on > today():
        raise Refused("The response date cannot be in the future")
    challenge.response, challenge.responded_on, challenge.outcome = response, responded_on, outcome
    challenge.resolved_on = responded_on if resolved else None
    save_if_unchanged(
        challenge,
        expected_version=expected_version,
        fields=["response", "responded_on", "outcome", "resolved_on"],
    )
    return challenge


@write_service("escalate_challenge")
def escalate_challenge(*, actor: User, challenge: Challenge, on: date, detail: str) -> Challenge:
    """Take the challenge to the next level: a new step linked to this one."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.resolved_on:
        raise Refused("A resolved challenge cannot be escalated")
    if challenge.is_escalated:
        raise Refused("This step has already been escalated")
    if challenge.level >= ChallengeLevel.DIRECTOR:
        raise Refused("The director is the last level")
    if on < challenge.raised_on:
        raise Refused("The escalation cannot be before the challenge was raised")
    return Challenge.objects.create(
        raised_by=actor,
        level=challenge.level + 1,
        reason=challenge.reason,
        detail=detail,
        raised_on=on,
        response_due_on=_due(on),
        child=challenge.child,
        conference=challenge.conference,
        raised_with_team=challenge.raised_with_team,
        raised_with_agency=challenge.raised_with_agency,
        escalated_from=challenge,
    )


def chain(challenge: Challenge) -> list[Challenge]:
    """Every step of the challenge, first to last."""
    first = challenge
    while first.escalated_from_id:
        first = first.escalated_from
    steps = [first]
    while steps[-1].is_escalated:
        steps.append(steps[-1].escalated_to)
    return steps


@write_service("note_good_practice")
def note_good_practice(
    *, actor: User, credited_to: str, what_went_well: str, child=None
) -> GoodPracticeNote:
    return GoodPracticeNote.objects.create(
        noted_by=actor, credited_to=credited_to, what_went_well=what_went_well, child=child
    )
