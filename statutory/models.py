"""Who exported which statutory return, and when: each census or Annex A download is kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.audit import audited


class ReturnKind(models.TextChoices):
    CIN_CENSUS = "cin_census", "Children in need census (XML)"
    ANNEX_A_CSV = "annex_a_csv", "Ofsted Annex A list 7 (CSV)"
    ANNEX_A_XLSX = "annex_a_xlsx", "Ofsted Annex A list 7 (XLSX)"


@audited()
class StatutoryExport(models.Model):
    kind = models.CharField(max_length=20, choices=ReturnKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    records = models.PositiveIntegerField(help_text="Children (census) or plans (Annex A).")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Made in the reporting app; the label keeps its table, history and migrations.
        app_label = "reporting"
        ordering = ["-exported_at"]
        permissions = [
            (
                "export_statutory_returns",
                "Export the children in need census and the Ofsted Annex A lists",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period_start} to {self.period_end}"
