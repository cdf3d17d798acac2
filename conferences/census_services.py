"""Every write to a child's children in need episodes."""

from django.db import IntegrityError

from accounts.models import User
from config.concurrency import save_if_unchanged
from config.services import Refused, audited_write

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


def _checked(data: dict) -> dict:
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
    return data


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
