"""Step 3, meetings and plans: each episode's conferences, the children at them and their plans."""

from datetime import date

from conferences.choices import Decision, PlanEndReason, Stage
from demo.history.episodes import review_due
from demo.history.families import new_kid
from demo.history.in_memory import Episode, History, Kid, Meeting, Place, PlanSpan
from demo.history.targets import DAY, HISTORY_START
from rules.timescales import initial_conference_due, receiving_in_due, reconvened_due


def _strategy_discussion(rng, calendar, kid: Kid, conference_on: date) -> date:
    """The initial clock: 15 working days from the strategy discussion, mostly met."""
    back = rng.randint(6, 14) if rng.random() < 0.9 else rng.randint(16, 24)
    kid.strategy_on = calendar.add_working_days(conference_on, -back)
    return initial_conference_due(kid.strategy_on, calendar)


def _transfer_notified(rng, calendar, kid: Kid, conference_on: date) -> date:
    kid.transfer_on = calendar.add_working_days(conference_on, -rng.randint(6, 16))
    kid.elsewhere = max(kid.elsewhere, 1)  # a plan in the authority they came from
    return receiving_in_due(kid.transfer_on, calendar)


def _place(meeting: Meeting, kid: Kid, stage: str, due: date | None, decision: str, plan=None):
    place = Place(meeting, kid, stage, due, decision, plan=plan)
    meeting.places.append(place)
    kid.places.append(place)
    return place


def _initial_due(history: History, kid: Kid, stage: str, held_on: date, adjourned_on=None):
    rng, calendar = history.rng, history.calendar
    if stage == Stage.RECEIVING_IN:
        return _transfer_notified(rng, calendar, kid, held_on)
    if stage == Stage.RECONVENED:
        return reconvened_due(adjourned_on, calendar)
    return _strategy_discussion(rng, calendar, kid, held_on)


def _initial_meetings(history: History, episode: Episode, spans: dict) -> list[Meeting]:
    """The initial conference (and, for a re-convened one, the inquorate meeting before it)."""
    rng = history.rng
    meetings = []
    planned = episode.kids[: episode.size] if episode.has_plan else []
    if episode.adjourned_on:
        adjourned = Meeting(episode.household, episode.adjourned_on, inquorate=True)
        for kid in episode.kids:
            due = _initial_due(history, kid, Stage.INITIAL, adjourned.held_on)
            _place(adjourned, kid, Stage.INITIAL, due, Decision.ADJOURNED_INQUORATE)
        meetings.append(adjourned)
    meeting = Meeting(episode.household, episode.started_on)
    for kid in episode.kids:
        stage = {
            "reconvened": Stage.RECONVENED,
            "receiving_in": Stage.RECEIVING_IN,
            "pre_birth": Stage.PRE_BIRTH,
        }.get(episode.kind, Stage.INITIAL)
        if kid.born_on and kid.born_on > episode.started_on:
            stage = Stage.PRE_BIRTH
        due = _initial_due(history, kid, stage, meeting.held_on, episode.adjourned_on)
        if kid in planned:
            _place(meeting, kid, stage, due, Decision.PLAN, plan=spans[kid])
        else:
            outcome = rng.choice((Decision.CHILD_IN_NEED, Decision.NO_FURTHER_ACTION))
            _place(meeting, kid, stage, due, outcome)
    meetings.append(meeting)
    return meetings


def _review_meetings(history: History, episode: Episode, spans: dict) -> list[Meeting]:
    meetings = []
    kids = episode.kids[: episode.size]
    for index, day in enumerate(episode.reviews[: episode.end + 1]):
        if day < HISTORY_START:
            continue
        meeting = Meeting(episode.household, day)
        stage = Stage.FIRST_REVIEW if index == 0 else Stage.REVIEW
        ends = index == episode.end
        for kid in kids:
            decision = Decision.PLAN_ENDS if ends else Decision.PLAN_CONTINUES
            baby = kid.born_on if kid.born_on == episode.born_on else None
            due = review_due(history.calendar, episode, index, baby)
            _place(meeting, kid, stage, due, decision, plan=spans[kid])
        meetings.append(meeting)
    return meetings


def episode_records(history: History, episode: Episode, newborn_at: Episode) -> None:
    """The plans and meetings of one episode."""
    rng = history.rng
    spans = {}
    if episode.has_plan:
        reason = rng.choices(
            (PlanEndReason.NO_LONGER_AT_RISK, PlanEndReason.LOOKED_AFTER), (88, 12)
        )[0]
        for kid in episode.kids[: episode.size]:
            span = PlanSpan(kid, episode.started_on, episode.ended_on)
            span.end_reason = reason if span.ended_on else ""
            spans[kid] = span
            kid.plans.append(span)
            history.plans.append(span)
    meetings = []
    if episode.kind != "before":
        meetings += _initial_meetings(history, episode, spans)
    meetings += _review_meetings(history, episode, spans)
    if episode is newborn_at:
        _add_newborn(history, meetings[-1])
    history.meetings += meetings


def _add_newborn(history: History, meeting: Meeting) -> None:
    """The Review/Initial meeting: a baby born a few weeks before has an initial conference at
    the family's review and is made subject to a plan there."""
    rng, household = history.rng, meeting.household
    born = meeting.held_on - DAY * rng.randint(12, 40)
    kid = new_kid(history, household, born_on=born)
    span = PlanSpan(kid, meeting.held_on, None)
    kid.plans.append(span)
    history.plans.append(span)
    due = _strategy_discussion(rng, history.calendar, kid, meeting.held_on)
    _place(meeting, kid, Stage.INITIAL, due, Decision.PLAN, plan=span)
