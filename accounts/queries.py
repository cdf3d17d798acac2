"""Reads for the account administration pages."""

from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from .models import User


def _locked_attempts():
    """Failed-sign-in records that currently lock an account."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )


def staff_accounts() -> QuerySet[User]:
    """Every account, with whether it has a second factor and whether it is locked now."""
    return (
        User.objects.select_related("team")
        .annotate(
            has_second_factor=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
            is_locked=Exists(_locked_attempts().filter(username=Lower(OuterRef("email")))),
        )
        .order_by("full_name")
    )
