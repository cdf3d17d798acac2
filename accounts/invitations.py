"""The email that invites a new member of staff to choose their password."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import User


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
