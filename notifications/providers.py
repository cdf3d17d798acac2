"""Email providers behind one small interface: SMTP (Django's mail) or GOV.UK Notify.

The provider is the only thing outside Convene that sends; tests replace nothing but it (the
email backend or an SMTP sink).
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str
    message_id: str  # stable across retries, so a duplicate can be recognised


class EmailProvider(Protocol):
    def send(self, email: OutgoingEmail) -> str:
        """Send and return the provider's reference for the message."""


class SmtpProvider:
    """Django's configured email backend (SMTP in production, console in demo mode)."""

    def send(self, email: OutgoingEmail) -> str:
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            to=[email.to],
            headers={"Message-ID": email.message_id},
        )
        message.send(fail_silently=False)
        return email.message_id


class NotifyProvider:
    """GOV.UK Notify: one template with subject and body as personalisation."""

    def __init__(self, api_key: str, template_id: str):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)
        self.template_id = template_id

    def send(self, email: OutgoingEmail) -> str:
        response = self.client.send_email_notification(
            email_address=email.to,
            template_id=self.template_id,
            personalisation={"subject": email.subject, "body": email.body},
            reference=email.message_id,
        )
        return response["id"]


def configured_provider() -> EmailProvider:
    if settings.CONVENE_EMAIL_PROVIDER == "notify":
        return NotifyProvider(settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID)
    return SmtpProvider()
