"""Risk meetings for children using sexually abusive behaviour (reference report section 7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from config.audit import audited
from config.concurrency import Versioned


class CusabChair(models.TextChoices):
    IRO = "iro", "An IRO"
    LOCALITY_MANAGER = "locality_manager", "A locality team manager"


class WhyIroChaired(models.TextChoices):
    # Since October 2014 the service chairs only these; less complex cases go to the locality.
    LOOKED_AFTER = "looked_after", "The child is looked after"
    ARRESTED_OR_CHARGED = "arrested_or_charged", "The child has been arrested or charged"
    COMPLEX = "complex", "The case is complex"


@audited()
class CusabMeeting(Versioned):
    child = models.ForeignKey(
        "conferences.Child", on_delete=models.PROTECT, related_name="cusab_meetings"
    )
    held_on = models.DateField()
    chaired_by = models.CharField(max_length=20, choices=CusabChair.choices)
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locality_manager = models.CharField(max_length=150, blank=True)
    why_iro_chaired = models.CharField(max_length=30, choices=WhyIroChaired.choices, blank=True)
    outcome = models.TextField(blank=True)
    next_meeting_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="cusab_chair_named_once",
                condition=(
                    Q(chaired_by="iro", iro__isnull=False, locality_manager="")
                    & ~Q(why_iro_chaired="")
                )
                | Q(chaired_by="locality_manager", iro__isnull=True, why_iro_chaired="")
                & ~Q(locality_manager=""),
            ),
            models.CheckConstraint(
                name="cusab_next_meeting_after",
                condition=Q(next_meeting_on__isnull=True)
                | Q(next_meeting_on__gt=models.F("held_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"CUSAB meeting on {self.held_on:%-d %B %Y}"

    @property
    def chair_name(self) -> str:
        return self.iro.full_name if self.iro_id else self.locality_manager
