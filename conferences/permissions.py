"""Who may do what with case records, and fetch-and-authorise helpers that answer 404."""

from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.permissions import has_any_role

from .models import Child, Conference, Family
from .queries import children_visible_to, conferences_visible_to, families_visible_to


def can_manage_records(user: User) -> bool:
    """Clerks and managers create and change families, children and bookings."""
    return has_any_role(user, Role.CLERK, Role.MANAGER)


def can_read_access_log(user: User) -> bool:
    """Managers review who opened a child's record."""
    return has_any_role(user, Role.MANAGER)


def get_family_for(user: User, family_id: int) -> Family:
    return get_object_or_404(families_visible_to(user), pk=family_id)


def get_child_for(user: User, child_id: int) -> Child:
    return get_object_or_404(
        children_visible_to(user).select_related("family", "locality", "social_worker"),
        pk=child_id,
    )


def get_conference_for(user: User, conference_id: int) -> Conference:
    return get_object_or_404(
        conferences_visible_to(user).select_related("family", "venue", "chair"),
        pk=conference_id,
    )
