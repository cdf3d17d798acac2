"""A child's children in need episode: the referral that led to a section 47 enquiry and,
perhaps, a plan. The census reports each episode beside the plans within it."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from conferences.cases.census_codes import ClosureReason, PrimaryNeed, ReferralSource
from conferences.choices import AssessmentFactor
from config.audit import audited
from config.concurrency import Versioned


@audited()
class CinEpisode(Versioned):
    child = models.ForeignKey(
        "conferences.Child", on_delete=models.PROTECT, related_name="cin_episodes"
    )
    referral_on = models.DateField("referral date")
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices)
    s47_started_on = models.DateField("section 47 enquiry started", null=True, blank=True)
    icpc_target_on = models.DateField(
        "initial conference target date",
        null=True,
        blank=True,
        help_text="15 working days from the strategy discussion that started the enquiry.",
    )
    icpc_not_required = models.BooleanField(
        "initial conference not required",
        default=False,
        help_text="The enquiry ended without the need for an initial conference.",
    )
    # Census-only facts for episodes Convene did not run: plans imported from a census file.
    imported_icpc_on = models.DateField("initial conference (imported)", null=True, blank=True)
    assessment_started_on = models.DateField("assessment started", null=True, blank=True)
    assessment_authorised_on = models.DateField("assessment authorised", null=True, blank=True)
    assessment_factors = ArrayField(
        models.CharField(max_length=3, choices=AssessmentFactor.choices),
        default=list,
        blank=True,
        help_text="Factors identified at the assessment (census codes).",
    )
    closed_on = models.DateField("episode closed", null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)

    class Meta:
        ordering = ["referral_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "referral_on"], name="one_episode_a_referral"),
            models.CheckConstraint(
                name="episode_closure_has_reason",
                condition=Q(closed_on__isnull=True, closure_reason="")
                | Q(closed_on__isnull=False) & ~Q(closure_reason=""),
            ),
            models.CheckConstraint(
                name="episode_closes_after_referral",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referral_on")),
            ),
            models.CheckConstraint(
                name="s47_after_referral",
                condition=Q(s47_started_on__isnull=True) | Q(s47_started_on__gte=F("referral_on")),
            ),
            models.CheckConstraint(
                name="assessment_authorised_after_start",
                condition=Q(assessment_authorised_on__isnull=True)
                | Q(assessment_started_on__isnull=False)
                & Q(assessment_authorised_on__gte=F("assessment_started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_on:%-d %B %Y}"
