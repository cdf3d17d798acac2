"""Reads for the account administration pages."""

from allauth.mfa.models import Authenticator
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from accounts.lockout import locked_addresses, second_factor_locks
from accounts.models import GrantRequest, GrantStatus, User


def staff_accounts() -> QuerySet[User]:
    """Every account, with whether it has a second factor and whether it is locked now: out of
    the second step after wrong codes, or at some address after failed passwords."""
    return (
        User.objects.select_related("team")
        .annotate(
            has_second_factor=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
            is_locked_at_an_address=Exists(
                locked_addresses().filter(username=Lower(OuterRef("email")))
            ),
            is_locked_after_wrong_codes=Exists(second_factor_locks().filter(user=OuterRef("pk"))),
        )
        .annotate(
            is_locked=ExpressionWrapper(
                Q(is_locked_at_an_address=True) | Q(is_locked_after_wrong_codes=True),
                output_field=BooleanField(),
            )
        )
        .order_by("full_name")
    )


def pending_grants() -> QuerySet[GrantRequest]:
    """Requests for roles or permissions awaiting a second administrator, oldest first."""
    return (
        GrantRequest.objects.filter(status=GrantStatus.PENDING)
        .select_related("user", "requested_by")
        .order_by("requested_at", "pk")
    )
