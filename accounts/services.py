"""Every change to staff accounts and teams goes through these functions."""

from collections.abc import Iterable

import pghistory
from django.db import transaction

from config.concurrency import save_if_unchanged

from .models import Role, Team, User


@transaction.atomic
def create_team(*, actor: User | None, name: str) -> Team:
    """Create a team (a locality social work team or the IRO service's own teams)."""
    with pghistory.context(user=actor.pk if actor else None, action="create_team"):
        return Team.objects.create(name=name)


@transaction.atomic
def create_staff_account(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    roles: Iterable[Role],
    team: Team | None = None,
    password: str | None = None,
) -> User:
    """Create a staff account. Without a password the user must set one by password reset."""
    with pghistory.context(user=actor.pk if actor else None, action="create_staff_account"):
        return User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            roles=sorted(set(roles)),
            team=team,
        )


@transaction.atomic
def rename_team(*, actor: User, team: Team, name: str, expected_version: int) -> Team:
    """Rename a team, refusing with EditConflict if someone else changed it meanwhile."""
    team.name = name
    with pghistory.context(user=actor.pk, action="rename_team"):
        save_if_unchanged(team, expected_version=expected_version, fields=["name"])
    return team
