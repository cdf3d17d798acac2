"""The parent and agency questionnaires: their questions, and every write to them.

Links are random 256-bit tokens; only their SHA-256 is stored, so the database cannot hand out a
working link. A link is used by a conditional update inside the transaction that saves the
answers: two submissions racing on one link give one response, never two.
"""

import hashlib
import secrets
from datetime import timedelta

import pghistory
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .choices import Attendance
from .feedback_models import Answer, FeedbackLink, FeedbackResponse, Respondent
from .models import Conference
from .outbox import notify

# The questions as the service asked them in 2014 (reference report Tables 7 and 8).
QUESTIONS = {
    Respondent.PARENT: [
        ("prepared", "Did you feel prepared for the case conference?"),
        ("chair_helped", "Did the conference chair help you take a full part in the conference?"),
        ("clear_language", "Did the use of clear language help you understand the conference?"),
        ("involved", "Did you feel involved in the conference?"),
        ("understood_result", "Did you understand the result of the conference?"),
    ],
    Respondent.AGENCY: [
        (
            "clarity_concerns",
            "Did the Signs of Safety format of the child protection conference improve the "
            "clarity of the concerns around the family?",
        ),
        (
            "clarity_strengths",
            "Did the Signs of Safety format of the child protection conference improve the "
            "clarity of the strengths around the family?",
        ),
        (
            "wall",
            "Did writing the information and planning on the wall improve clarity and "
            "understanding of the issues for the family?",
        ),
        (
            "plan_clear_family",
            "Would you say that the plan that resulted from the child protection conference was "
            "clearer for the family?",
        ),
        (
            "plan_clear_professionals",
            "Would you say that the plan that resulted from the child protection conference was "
            "clearer for the professionals involved?",
        ),
        (
            "changed_view",
            "Did the approach change your view of the way forward for the family, for example "
            "from a child protection plan to a child in need plan or the other way round?",
        ),
    ],
}


class LinkUnusable(Exception):
    """The link is unknown, used or expired; nothing is recorded."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(*, respondent: str, conference: Conference, lifetime: timedelta, invitation=None):
    token = secrets.token_urlsafe(32)
    link = FeedbackLink.objects.create(
        token_hash=_hash(token),
        respondent=respondent,
        conference=conference,
        invitation=invitation,
        expires_at=timezone.now() + lifetime,
    )
    return link, token


def questionnaire_path(token: str) -> str:
    return reverse("feedback:questionnaire", kwargs={"token": token})


@transaction.atomic
def open_kiosk(*, actor: User, conference: Conference) -> str:
    """A parent's questionnaire for the tablet, valid for the rest of the day's meeting."""
    with pghistory.context(user=actor.pk, action="open_feedback_kiosk"):
        _, token = _new_link(
            respondent=Respondent.PARENT,
            conference=conference,
            lifetime=timedelta(hours=settings.CONVENE_KIOSK_LINK_HOURS),
        )
    return token


@transaction.atomic
def send_agency_questionnaires(*, actor: User, conference: Conference) -> int:
    """Email one single-use link to each professional who attended and has not had one."""
    invitations = conference.invitations.filter(
        attendance=Attendance.ATTENDED, feedback_link__isnull=True
    ).select_related("professional")
    base = settings.CONVENE_BASE_URL.rstrip("/")
    days = settings.CONVENE_AGENCY_QUESTIONNAIRE_DAYS
    sent = 0
    with pghistory.context(user=actor.pk, action="send_agency_questionnaires"):
        for invitation in invitations:
            _, token = _new_link(
                respondent=Respondent.AGENCY,
                conference=conference,
                invitation=invitation,
                lifetime=timedelta(days=days),
            )
            # A reference and a date, never names: the email says nothing about the child.
            notify(
                key=f"agency-questionnaire:{invitation.pk}",
                kind="agency_questionnaire",
                to=invitation.professional.email,
                name=invitation.professional.full_name,
                conference=conference,
                subject="Your feedback on a child protection conference",
                body=(
                    f"Thank you for attending conference C{conference.pk:06d} on "
                    f"{conference.held_on:%-d %B %Y}. Please tell us how it went: it takes "
                    f"two minutes, and the link works once, for {days} days.\n\n"
                    f"{base}{questionnaire_path(token)}"
                ),
                sign_in_footer=False,
            )
            sent += 1
    return sent


def usable_link(token: str) -> FeedbackLink:
    link = FeedbackLink.objects.filter(token_hash=_hash(token)).first()
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        raise LinkUnusable
    return link


@transaction.atomic
def submit(*, token: str, answers: dict[str, int], comments: str) -> FeedbackResponse:
    link = usable_link(token)
    keys = [key for key, _ in QUESTIONS[link.respondent]]
    if set(answers) != set(keys) or not set(answers.values()) <= set(Answer.values):
        raise ValueError("An answer to every question, from the five choices, is needed")
    now = timezone.now()
    taken = FeedbackLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now)
    with pghistory.context(action="answer_questionnaire"):
        if taken.update(used_at=now) != 1:
            raise LinkUnusable  # answered a moment ago on another tab or device
        return FeedbackResponse.objects.create(
            respondent=link.respondent,
            conference_id=link.conference_id,
            link=link,
            answers=answers,
            comments=comments,
            submitted_at=now,
        )
