"""Every change to staff accounts and teams goes through these functions.

Each runs in one transaction, names its actor in the audit context, and writes a security event
where the change bears on who can sign in or what they can do.
"""

from collections.abc import Iterable

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.utils import reset as reset_failed_sign_ins
from django.contrib.auth.models import Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.invitations import send_invitation, tell_administrators_of_grant
from accounts.models import (
    GrantRequest,
    GrantStatus,
    NamedPermission,
    Role,
    SecurityEventKind,
    Team,
    User,
)
from accounts.security_log import record_security_event
from config.concurrency import save_if_unchanged
from config.services import Refused, write_service

OWN_ACCESS_REFUSED = "You cannot change your own roles or permissions: ask another administrator"


@write_service("create_team")
def create_team(*, actor: User | None, name: str) -> Team:
    """Create a team (a locality social work team or the IRO service's own teams)."""
    return Team.objects.create(name=name)


@write_service("rename_team")
def rename_team(*, actor: User, team: Team, name: str, expected_version: int) -> Team:
    """Rename a team, refusing with EditConflict if someone else changed it meanwhile."""
    team.name = name
    save_if_unchanged(team, expected_version=expected_version, fields=["name"])
    return team


@write_service("create_staff_account")
def create_staff_account(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    roles: Iterable[Role],
    team: Team | None = None,
    permissions: Iterable[NamedPermission] = (),
    password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Create a staff account.

    Without a password the account can only be entered through the invitation email, whose link
    lets its owner choose a password; the administrator never knows it. Roles chosen by an
    administrator wait for a second administrator's approval (``approve_grant``); only set-up
    from the command line (no actor) gives them at once.
    """
    roles = sorted(set(roles))
    permissions = sorted(set(permissions)) if Role.MANAGER in roles else []
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        roles=roles if actor is None else [],
        team=team,
    )
    record_security_event(
        kind=SecurityEventKind.ACCOUNT_CREATED, request=request, user=user, actor=actor
    )
    if actor is None:
        user.user_permissions.add(*[_permission(codename) for codename in permissions])
    elif roles:
        _ask_for_grant(
            actor=actor, user=user, roles=roles, permissions=permissions, request=request
        )
    if password is None:
        transaction.on_commit(lambda: send_invitation(user_id=user.pk))
    return user


def named_permissions_of(user: User) -> set[NamedPermission]:
    """The named permissions the account holds in its own right (not through a role)."""
    held = user.user_permissions.filter(
        content_type__app_label="reporting", codename__in=NamedPermission.values
    ).values_list("codename", flat=True)
    return {NamedPermission(codename) for codename in held}


@write_service("update_staff_account")
def update_staff_account(
    *,
    actor: User,
    user: User,
    full_name: str,
    roles: Iterable[Role],
    team: Team | None,
    expected_version: int,
    permissions: Iterable[NamedPermission] = (),
    request: HttpRequest | None = None,
) -> GrantRequest | None:
    """Change a staff member's name, team, roles or named permissions; EditConflict if someone
    else got there first.

    Nobody changes their own roles or permissions (Refused, ``OWN_ACCESS_REFUSED``). Roles and
    permissions taken away go at once; those added wait for a second administrator, as the
    request returned.
    Named permissions need the manager role, so they go with it.
    """
    wanted_roles = set(roles)
    wanted_permissions = set(permissions) if Role.MANAGER in wanted_roles else set()
    held_roles, held_permissions = set(user.roles), named_permissions_of(user)
    if user == actor and (wanted_roles, wanted_permissions) != (held_roles, held_permissions):
        raise Refused(OWN_ACCESS_REFUSED, field="roles")
    user.full_name, user.roles, user.team = full_name, sorted(held_roles & wanted_roles), team
    save_if_unchanged(
        user, expected_version=expected_version, fields=["full_name", "roles", "team"]
    )
    for codename in held_permissions - wanted_permissions:
        user.user_permissions.remove(_permission(codename))
    record_security_event(
        kind=SecurityEventKind.ACCOUNT_CHANGED, request=request, user=user, actor=actor
    )
    added_roles = wanted_roles - held_roles
    added_permissions = wanted_permissions - held_permissions
    if not (added_roles or added_permissions):
        return None
    return _ask_for_grant(
        actor=actor,
        user=user,
        roles=sorted(added_roles),
        permissions=sorted(added_permissions),
        request=request,
    )


@write_service("own_access_change_refused")
def record_own_access_change_refused(*, actor: User, request: HttpRequest | None = None) -> None:
    """Log an attempt to change one's own roles or permissions (the service refused it): the form
    does not offer it, so someone made the request by hand."""
    record_security_event(
        kind=SecurityEventKind.OWN_ACCESS_CHANGE_REFUSED,
        request=request,
        user=actor,
        actor=actor,
    )


def _permission(codename: NamedPermission) -> Permission:
    return Permission.objects.get(content_type__app_label="reporting", codename=codename)


def _ask_for_grant(
    *,
    actor: User,
    user: User,
    roles: list[Role],
    permissions: list[NamedPermission],
    request: HttpRequest | None,
) -> GrantRequest:
    # One request waits per account at a time: a later one replaces it, asking afresh.
    GrantRequest.objects.filter(user=user, status=GrantStatus.PENDING).update(
        status=GrantStatus.REPLACED, decided_at=timezone.now()
    )
    grant = GrantRequest.objects.create(
        user=user, roles=roles, permissions=permissions, requested_by=actor
    )
    record_security_event(
        kind=SecurityEventKind.GRANT_REQUESTED, request=request, user=user, actor=actor
    )
    transaction.on_commit(lambda: tell_administrators_of_grant(grant_id=grant.pk))
    return grant


def _decidable_grant(*, actor: User, grant: GrantRequest) -> GrantRequest:
    grant = GrantRequest.objects.select_for_update().get(pk=grant.pk)
    if not grant.is_pending:
        raise Refused("This request has already been dealt with")
    if actor.pk == grant.user_id:
        raise Refused("You cannot approve or reject a request for your own account")
    if actor.pk == grant.requested_by_id:
        raise Refused(
            "You asked for this change, so another administrator must approve or reject it"
        )
    if not (actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
        raise Refused("Only an administrator can approve or reject this request")
    return grant


@write_service("approve_grant")
def approve_grant(*, actor: User, grant: GrantRequest, request: HttpRequest | None = None) -> User:
    """A second administrator approves a request: only now do its roles and permissions apply."""
    grant = _decidable_grant(actor=actor, grant=grant)
    user = User.objects.select_for_update().get(pk=grant.user_id)
    roles = sorted(set(user.roles) | set(grant.roles))
    if grant.permissions and Role.MANAGER not in roles:
        raise Refused(
            "They are no longer a manager, so cannot be given these permissions: "
            "reject this request"
        )
    user.roles = roles
    save_if_unchanged(user, expected_version=user.version, fields=["roles"])
    user.user_permissions.add(*[_permission(codename) for codename in grant.permissions])
    _decide(grant, actor=actor, status=GrantStatus.APPROVED)
    record_security_event(
        kind=SecurityEventKind.GRANT_APPROVED, request=request, user=user, actor=actor
    )
    return user


@write_service("reject_grant")
def reject_grant(*, actor: User, grant: GrantRequest, request: HttpRequest | None = None) -> None:
    """A second administrator rejects a request: nothing it asked for is given."""
    grant = _decidable_grant(actor=actor, grant=grant)
    _decide(grant, actor=actor, status=GrantStatus.REJECTED)
    record_security_event(
        kind=SecurityEventKind.GRANT_REJECTED, request=request, user=grant.user, actor=actor
    )


def _decide(grant: GrantRequest, *, actor: User, status: GrantStatus) -> None:
    grant.status, grant.decided_by, grant.decided_at = status, actor, timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])


def _end_sessions(user: User) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()


@write_service("deactivate_staff_account")
def deactivate_staff_account(
    *, actor: User, user: User, request: HttpRequest | None = None
) -> User:
    """Stop an account signing in and end its sessions. Accounts are never deleted: the history
    of what they did must keep their name."""
    if user == actor:
        raise Refused("You cannot deactivate your own account")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    record_security_event(
        kind=SecurityEventKind.ACCOUNT_DEACTIVATED, request=request, user=user, actor=actor
    )
    _end_sessions(user)
    return user


@write_service("reactivate_staff_account")
def reactivate_staff_account(
    *, actor: User, user: User, request: HttpRequest | None = None
) -> User:
    """Let a deactivated account sign in again."""
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    record_security_event(
        kind=SecurityEventKind.ACCOUNT_REACTIVATED, request=request, user=user, actor=actor
    )
    return user


@write_service("reset_second_factor")
def reset_second_factor(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Remove a user's authenticator app and recovery codes (a lost phone). They must set up a
    new one at their next sign-in; their current sessions end now."""
    Authenticator.objects.filter(user=user).delete()
    record_security_event(
        kind=SecurityEventKind.SECOND_FACTOR_RESET, request=request, user=user, actor=actor
    )
    _end_sessions(user)


@write_service("unlock_account")
def unlock_account(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Lift every lock on an account: failed passwords at any address, and wrong codes (the
    UNLOCKED event ends a second-factor lock, accounts/lockout.py)."""
    reset_failed_sign_ins(username=user.email.lower())
    record_security_event(kind=SecurityEventKind.UNLOCKED, request=request, user=user, actor=actor)
