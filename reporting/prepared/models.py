"""A file the worker prepares for one user: an export too big to make while a browser waits."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.audit import audited
from reporting.annual.models import GenerationStatus

# The same four states as the annual report's generation: one progress page shows both.
PreparationStatus = GenerationStatus


class ExportKind(models.TextChoices):
    CIN_CENSUS = "cin_census", "Children in need census (XML)"
    ANNEX_A_CSV = "annex_a_csv", "Ofsted Annex A list 7 (CSV)"
    ANNEX_A_XLSX = "annex_a_xlsx", "Ofsted Annex A list 7 (XLSX)"
    # Not a return: the problems Convene's checks find in a census, shown on the returns page.
    CENSUS_CHECKS = "census_checks", "Children in need census checks"


def _expiry():
    return timezone.now() + settings.PREPARED_EXPORTS_KEPT


@audited()
class PreparedExport(models.Model):
    """One request for an export, its progress, and the file once made.

    Only the user who asked may see its page or its file, at an address made from ``key``. The
    file lives in the default storage and is deleted, with this row, once ``expires_at`` passes.
    """

    # The export's address: random, so it says nothing of what is in the file nor how many
    # others there are. (The row's own id stays a number, as the audit trail's pages expect.)
    key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    # What the export was asked for (a year, a date range, filters): never a name or a record.
    parameters = models.JSONField(default=dict)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=PreparationStatus.choices, default=PreparationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    records = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="prepared/", blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_expiry)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        app_label = "reporting"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["expires_at"], name="prepared_export_expiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} asked for {self.requested_at:%d %b %Y %H:%M}"

    @property
    def is_ready(self) -> bool:
        return self.status == PreparationStatus.DONE and bool(self.file)
