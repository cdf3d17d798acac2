"""Emails about accounts: the invitation to choose a password, and the alert that a change to
someone's roles or permissions awaits a second administrator."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import GrantRequest, Role, User


def invitation_link(user: User) -> str:
    """A one-use link to allauth's choose-a-password page (it stops working once used)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.CONVENE_BASE_URL.rstrip("/") + path


def send_invitation(*, user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    body = render_to_string(
        "emails/invitation.txt",
        {"link": invitation_link(user), "service_url": settings.CONVENE_BASE_URL},
    )
    # The subject and body name no one: the email may be read on a shared screen.
    send_mail("Your Convene account", body, None, [user.email])


def tell_administrators_of_grant(*, grant_id: int) -> None:
    """Ask every other active administrator to approve or reject a request for roles or
    permissions. The email names no one; the page it links to says who and what."""
    grant = GrantRequest.objects.get(pk=grant_id)
    recipients = (
        User.objects.filter(is_active=True, roles__contains=[Role.ADMINISTRATOR])
        .exclude(pk__in=[grant.user_id, grant.requested_by_id])
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    body = render_to_string(
        "accounts/emails/grant_requested.txt",
        {
            "link": settings.CONVENE_BASE_URL.rstrip("/")
            + reverse("staff:account_detail", args=[grant.user_id]),
        },
    )
    send_mail("A Convene account change needs your approval", body, None, list(recipients))
