"""Who may do what, as predicates, and a view decorator that answers 403 for everyone else."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts.models import Role, User


def has_any_role(user: User, *roles: Role) -> bool:
    """True when a signed-in, active user holds at least one of the roles."""
    return bool(user.is_authenticated and user.is_active and set(user.roles) & set(roles))


def role_required(*roles: Role) -> Callable:
    """Refuse the view with 403 unless the user holds one of the roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator
