"""Every write to a child's children in need episodes."""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError

from accounts.models import User
from conferences.cases.census_codes import factors_problem
from conferences.cases.episode_models import CinEpisode
from config.concurrency import save_if_unchanged
from config.services import FieldValues, Refused, audited_write
from rules.timescales import today


@dataclass(frozen=True)
class EpisodeDetails(FieldValues):
    """A children in need episode: the fields its form changes."""

    referral_on: date
    referral_source: str
    primary_need: str
    s47_started_on: date | None = None
    icpc_target_on: date | None = None
    icpc_not_required: bool = False
    assessment_started_on: date | None = None
    assessment_authorised_on: date | None = None
    assessment_factors: list[str] = field(default_factory=list)
    closed_on: date | None = None
    closure_reason: str = ""


FIELDS = EpisodeDetails.names()


def _checked(details: EpisodeDetails) -> EpisodeDetails:
    data = details.values()
    referral = data["referral_on"]
    if referral > today():
        raise Refused("The referral date cannot be in the future", field="referral_on")
    for name, what in [
        ("s47_started_on", "The section 47 enquiry"),
        ("assessment_started_on", "The assessment"),
    ]:
        if data.get(name) and data[name] < referral:
            raise Refused(f"{what} cannot start before the referral", field=name)
    started, authorised = data.get("assessment_started_on"), data.get("assessment_authorised_on")
    if authorised and not started:
        raise Refused("Enter when the assessment started", field="assessment_started_on")
    if authorised and authorised < started:
        raise Refused(
            "The assessment cannot be authorised before it started",
            field="assessment_authorised_on",
        )
    if problem := factors_problem(data.get("assessment_factors") or [], authorised):
        raise Refused(problem, field="assessment_factors")
    closed, reason = data.get("closed_on"), data.get("closure_reason")
    if closed and closed < referral:
        raise Refused("The episode cannot close before the referral", field="closed_on")
    if closed and not reason:
        raise Refused("Select why the episode closed", field="closure_reason")
    if reason and not closed:
        raise Refused("Enter the date the episode closed", field="closed_on")
    return details


def _saved(action, actor, work):
    try:
        with audited_write(actor, action):
            return work()
    except IntegrityError as clash:
        if "one_episode_a_referral" in str(clash):
            raise Refused(
                "This child already has an episode with this referral date", field="referral_on"
            ) from None
        raise


def record_episode(*, actor: User, child, details: EpisodeDetails) -> CinEpisode:
    episode = CinEpisode(child=child)
    _checked(details).apply_to(episode)
    _saved("record_cin_episode", actor, episode.save)
    return episode


def update_episode(
    *, actor: User, episode: CinEpisode, details: EpisodeDetails, expected_version: int
):
    _checked(details).apply_to(episode)
    return _saved(
        "update_cin_episode",
        actor,
        lambda: save_if_unchanged(episode, expected_version=expected_version, fields=FIELDS),
    )
