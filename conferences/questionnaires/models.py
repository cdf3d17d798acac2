"""Feedback questionnaires (reference report Tables 7 and 8): single-use links and the answers.

A response holds answers and comments only, never who gave them: the figures are anonymous, and
the public page that collects them knows nothing about the child.
"""

from django.db import models
from django.utils import timezone

from config.audit import audited


class Respondent(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    AGENCY = "agency", "Agency representative"


class Answer(models.IntegerChoices):
    NOT_AT_ALL = 1, "Not at all"
    A_LITTLE = 2, "A little"
    SOMEWHAT = 3, "Somewhat"
    A_LOT = 4, "A lot"
    COMPLETELY = 5, "Completely"


@audited()
class FeedbackLink(models.Model):
    """One questionnaire that may be answered once. Only a hash of the token is kept: the link
    itself exists in the email (or on the kiosk's screen) and nowhere in the database. An emailed
    link's token is made from its seed and the server's secret key as each email is sent."""

    token_hash = models.CharField(max_length=64, unique=True)
    seed = models.CharField(
        max_length=64,
        blank=True,
        help_text="Emailed links only: useless without the server's secret key.",
    )
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="feedback_links"
    )
    invitation = models.OneToOneField(
        "conferences.Invitation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_link",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_respondent_display()} questionnaire link {self.pk}"


@audited()
class FeedbackResponse(models.Model):
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="feedback_responses"
    )
    link = models.OneToOneField(FeedbackLink, on_delete=models.PROTECT, related_name="response")
    answers = models.JSONField(help_text="Question key to answer, 1 (not at all) to 5.")
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.get_respondent_display()} feedback {self.pk}"
