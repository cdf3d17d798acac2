"""Every change to staff accounts and teams goes through these functions.

Each runs in one transaction, names its actor in the audit context, and writes a security event
where the change bears on who can sign in.
"""

from collections.abc import Iterable

import pghistory
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.utils import reset as reset_failed_sign_ins
from django.db import transaction
from django.http import HttpRequest

from config.concurrency import save_if_unchanged

from .invitations import send_invitation
from .models import Role, SecurityEventKind, Team, User
from .security_log import record_security_event


class AccountRuleBroken(Exception):
    """The change would break a rule about accounts; the message says which, for the user."""


def _context(actor: User | None, action: str):
    return pghistory.context(user=actor.pk if actor else None, action=action)


@transaction.atomic
def create_team(*, actor: User | None, name: str) -> Team:
    """Create a team (a locality social work team or the IRO service's own teams)."""
    with _context(actor, "create_team"):
        return Team.objects.create(name=name)


@transaction.atomic
def rename_team(*, actor: User, team: Team, name: str, expected_version: int) -> Team:
    """Rename a team, refusing with EditConflict if someone else changed it meanwhile."""
    team.name = name
    with _context(actor, "rename_team"):
        save_if_unchanged(team, expected_version=expected_version, fields=["name"])
    return team


@transaction.atomic
def create_staff_account(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    roles: Iterable[Role],
    team: Team | None = None,
    password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Create a staff account.

    Without a password the account can only be entered through the invitation email, whose link
    lets its owner choose a password; the administrator never knows it.
    """
    with _context(actor, "create_staff_account"):
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            roles=sorted(set(roles)),
            team=team,
        )
        record_security_event(
            kind=SecurityEventKind.ACCOUNT_CREATED, request=request, user=user, actor=actor
        )
    if password is None:
        transaction.on_commit(lambda: send_invitation(user_id=user.pk))
    return user


@transaction.atomic
def update_staff_account(
    *,
    actor: User,
    user: User,
    full_name: str,
    roles: Iterable[Role],
    team: Team | None,
    expected_version: int,
    makes_annual_report: bool = False,
    submits_statutory_returns: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """Change a staff member's name, roles or team; EditConflict if someone else got there first."""
    roles = sorted(set(roles))
    if user == actor and Role.ADMINISTRATOR not in roles:
        raise AccountRuleBroken("You cannot remove your own administrator role")
    user.full_name, user.roles, user.team = full_name, roles, team
    with _context(actor, "update_staff_account"):
        save_if_unchanged(
            user, expected_version=expected_version, fields=["full_name", "roles", "team"]
        )
        is_manager = Role.MANAGER in roles
        _grant(user, "generate_annual_report", makes_annual_report and is_manager)
        _grant(user, "export_statutory_returns", submits_statutory_returns and is_manager)
        record_security_event(
            kind=SecurityEventKind.ACCOUNT_CHANGED, request=request, user=user, actor=actor
        )
    return user


def _grant(user: User, codename: str, granted: bool) -> None:
    """Named reporting permissions, granted or withdrawn with the account change (audited)."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(content_type__app_label="reporting", codename=codename)
    if granted:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)


def _end_sessions(user: User) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()


@transaction.atomic
def deactivate_staff_account(
    *, actor: User, user: User, request: HttpRequest | None = None
) -> User:
    """Stop an account signing in and end its sessions. Accounts are never deleted: the history
    of what they did must keep their name."""
    if user == actor:
        raise AccountRuleBroken("You cannot deactivate your own account")
    with _context(actor, "deactivate_staff_account"):
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        record_security_event(
            kind=SecurityEventKind.ACCOUNT_DEACTIVATED, request=request, user=user, actor=actor
        )
    _end_sessions(user)
    return user


@transaction.atomic
def reactivate_staff_account(
    *, actor: User, user: User, request: HttpRequest | None = None
) -> User:
    """Let a deactivated account sign in again."""
    with _context(actor, "reactivate_staff_account"):
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        record_security_event(
            kind=SecurityEventKind.ACCOUNT_REACTIVATED, request=request, user=user, actor=actor
        )
    return user


@transaction.atomic
def reset_second_factor(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Remove a user's authenticator app and recovery codes (a lost phone). They must set up a
    new one at their next sign-in; their current sessions end now."""
    with _context(actor, "reset_second_factor"):
        Authenticator.objects.filter(user=user).delete()
        record_security_event(
            kind=SecurityEventKind.SECOND_FACTOR_RESET, request=request, user=user, actor=actor
        )
    _end_sessions(user)


@transaction.atomic
def unlock_account(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Clear the failed sign-ins that locked an account."""
    with _context(actor, "unlock_account"):
        reset_failed_sign_ins(username=user.email.lower())
        record_security_event(
            kind=SecurityEventKind.UNLOCKED, request=request, user=user, actor=actor
        )
