"""Every write to a child's children in need episodes."""

from django.db import IntegrityError

from accounts.models import User
from config.concurrency import save_if_unchanged
from config.services import audited_write

from .census_codes import factors_problem
from .census_models import CinEpisode
from .timescales import today

FIELDS = [
    "referral_on",
    "referral_source",
    "primary_need",
    "s47_started_on",
    "icpc_target_on",
    "icpc_not_required",
    "assessment_started_on",
    "assessment_authorised_on",
    "assessment_factors",
    "closed_on",
    "closure_reason",
]


class EpisodeRefused(Exception):
    """The episode breaks a rule; ``field`` says which answer to correct."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _checked(data: dict) -> dict:
    referral = data["referral_on"]
    if referral > today():
        raise EpisodeRefused("referral_on", "The referral date cannot be in the future")
    for name, what in [
        ("s47_started_on", "The section 47 enquiry"),
        ("assessment_started_on", "The assessment"),
    ]:
        if data.get(name) and data[name] < referral:
            raise EpisodeRefused(name, f"{what} cannot start before the referral")
    started, authorised = data.get("assessment_started_on"), data.get("assessment_authorised_on")
    if authorised and not started:
        raise EpisodeRefused("assessment_started_on", "Enter when the assessment started")
    if authorised and authorised < started:
        raise EpisodeRefused(
            "assessment_authorised_on", "The assessment cannot be authorised before it started"
        )
    if problem := factors_problem(data.get("assessment_factors") or [], authorised):
        raise EpisodeRefused("assessment_factors", problem)
    closed, reason = data.get("closed_on"), data.get("closure_reason")
    if closed and closed < referral:
        raise EpisodeRefused("closed_on", "The episode cannot close before the referral")
    if closed and not reason:
        raise EpisodeRefused("closure_reason", "Select why the episode closed")
    if reason and not closed:
        raise EpisodeRefused("closed_on", "Enter the date the episode closed")
    return data


def _saved(action, actor, work):
    try:
        with audited_write(actor, action):
            return work()
    except IntegrityError as clash:
        if "one_episode_a_referral" in str(clash):
            raise EpisodeRefused(
                "referral_on", "This child already has an episode with this referral date"
            ) from None
        raise


def record_episode(*, actor: User, child, **data) -> CinEpisode:
    data = _checked(data)
    return _saved(
        "record_cin_episode", actor, lambda: CinEpisode.objects.create(child=child, **data)
    )


def update_episode(*, actor: User, episode: CinEpisode, expected_version: int, **data):
    for name, value in _checked(data).items():
        setattr(episode, name, value)
    return _saved(
        "update_cin_episode",
        actor,
        lambda: save_if_unchanged(episode, expected_version=expected_version, fields=FIELDS),
    )
