"""The parent and agency questionnaires: their questions, every write to them, what pages show.

Only a token's SHA-256 is stored, so the database cannot hand out a working link. The kiosk's
token is random and goes straight to the screen. An emailed token is an HMAC of a random seed
under the server's secret key, made as the email is sent (outbox.body_as_sent): the stored
notification and its history hold a placeholder, and every retry sends the same working link.
A link is used by a conditional update inside the transaction that saves the answers: two
submissions racing on one link give one response, never two.
"""

import base64
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import User
from conferences.choices import Attendance, ConferenceStatus
from conferences.models import Conference
from conferences.permissions import can_manage_records
from conferences.questionnaires.models import Answer, FeedbackLink, FeedbackResponse, Respondent
from config.services import audited_write, write_service
from notifications.outbox import LINK_PLACEHOLDER, notify
from rules.timescales import today

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


def _new_kiosk_link(*, conference: Conference, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    FeedbackLink.objects.create(
        token_hash=_hash(token),
        respondent=Respondent.PARENT,
        conference=conference,
        expires_at=timezone.now() + lifetime,
    )
    return token


def _token_from_seed(seed: str) -> str:
    digest = salted_hmac("convene.feedback.emailed-link", seed, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_emailed_link(*, conference: Conference, invitation, lifetime: timedelta) -> FeedbackLink:
    seed = secrets.token_urlsafe(32)
    return FeedbackLink.objects.create(
        token_hash=_hash(_token_from_seed(seed)),
        seed=seed,
        respondent=Respondent.AGENCY,
        conference=conference,
        invitation=invitation,
        expires_at=timezone.now() + lifetime,
    )


def questionnaire_path(token: str) -> str:
    return reverse("feedback:questionnaire", kwargs={"token": token})


def emailed_link(link: FeedbackLink) -> str:
    """The questionnaire's address for the email being sent now; it is never stored. Should the
    secret key have changed since the link was made, the stored hash follows the new token (the
    old one, which nobody received, stops working)."""
    if not link.seed:
        raise ValueError("Only an emailed questionnaire link can be made again")
    token = _token_from_seed(link.seed)
    if link.token_hash != _hash(token):
        with audited_write(None, "renew_questionnaire_link"):
            FeedbackLink.objects.filter(pk=link.pk).update(token_hash=_hash(token))
    return settings.CONVENE_BASE_URL.rstrip("/") + questionnaire_path(token)


def renew_emailed_link(link: FeedbackLink) -> None:
    """An unanswered questionnaire sent again gets its full time again, from now."""
    days = settings.CONVENE_AGENCY_QUESTIONNAIRE_DAYS
    FeedbackLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=days)
    )


@write_service("open_feedback_kiosk")
def open_kiosk(*, actor: User, conference: Conference) -> str:
    """A parent's questionnaire for the tablet, valid for the rest of the day's meeting."""
    return _new_kiosk_link(
        conference=conference, lifetime=timedelta(hours=settings.CONVENE_KIOSK_LINK_HOURS)
    )


@write_service("send_agency_questionnaires")
def send_agency_questionnaires(*, actor: User, conference: Conference) -> int:
    """Email one single-use link to each professional who attended and has not had one."""
    invitations = conference.invitations.filter(
        attendance=Attendance.ATTENDED, feedback_link__isnull=True
    ).select_related("professional")
    days = settings.CONVENE_AGENCY_QUESTIONNAIRE_DAYS
    sent = 0
    for invitation in invitations:
        link = _new_emailed_link(
            conference=conference, invitation=invitation, lifetime=timedelta(days=days)
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
                f"{LINK_PLACEHOLDER}"
            ),
            sign_in_footer=False,
            feedback_link=link,
        )
        sent += 1
    return sent


def usable_link(token: str) -> FeedbackLink:
    link = FeedbackLink.objects.filter(token_hash=_hash(token)).first()
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        raise LinkUnusable
    return link


def submit(*, token: str, answers: dict[str, int], comments: str) -> FeedbackResponse:
    link = usable_link(token)
    keys = [key for key, _ in QUESTIONS[link.respondent]]
    if set(answers) != set(keys) or not set(answers.values()) <= set(Answer.values):
        raise ValueError("An answer to every question, from the five choices, is needed")
    now = timezone.now()
    taken = FeedbackLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now)
    with audited_write(None, "answer_questionnaire"):
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


def is_under_way(conference: Conference) -> bool:
    """The questionnaires open on the day of the conference, if it is still booked or was held."""
    return conference.status in (ConferenceStatus.BOOKED, ConferenceStatus.HELD) and (
        conference.starts_at.date() <= today()
    )


def feedback_summary(user: User, conference: Conference) -> dict:
    """What the conference page shows about questionnaires, and which buttons it offers."""
    answered = conference.feedback_responses.values_list("respondent", flat=True)
    is_chair = conference.chair_id == user.pk
    return {
        "parent_responses": sum(1 for kind in answered if kind == Respondent.PARENT),
        "agency_responses": sum(1 for kind in answered if kind == Respondent.AGENCY),
        "can_open_kiosk": is_chair and is_under_way(conference),
        "can_send_agency_feedback": (is_chair or can_manage_records(user))
        and conference.status == ConferenceStatus.HELD,
    }
