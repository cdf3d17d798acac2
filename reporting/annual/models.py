"""The annual report: narrative written by managers, the work programme, and every PDF made.

Figures are never stored here: each generation computes them from the records, through the
same reporting.figures code the dashboard uses, and keeps the PDF it made.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.audit import audited
from config.concurrency import Versioned

# The reference report's narrative sections, in its order.
NARRATIVE_SECTIONS = [
    ("strengths", "Executive summary: strengths"),
    ("challenges", "Executive summary: challenges"),
    ("improvements", "Executive summary: areas for improvement"),
    ("introduction", "Introduction"),
    ("purpose", "Purpose and legal context"),
    ("iro_service", "The IRO service"),
    ("cp_service", "The child protection conference service"),
    ("advocacy", "Advocacy"),
    ("complaints", "Complaints, appeals and dissent"),
    ("challenge", "Challenge and escalation"),
    ("cusab", "Children using sexually abusive behaviour (CUSAB)"),
    ("developments", "Developments"),
]


@audited()
class AnnualReport(Versioned):
    year = models.PositiveIntegerField(unique=True, help_text="2014 for 2014-15.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Narrative: plain text, paragraphs separated by a blank line, "- " starting a bullet.
    strengths = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    improvements = models.TextField(blank=True)
    introduction = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    iro_service = models.TextField(blank=True)
    cp_service = models.TextField(blank=True)
    advocacy = models.TextField(blank=True)
    complaints = models.TextField(blank=True)
    challenge = models.TextField(blank=True)
    cusab = models.TextField(blank=True)
    developments = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]
        permissions = [("generate_annual_report", "Generate the annual report PDF")]

    @property
    def year_label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    def __str__(self) -> str:
        return f"Annual report {self.year}-{(self.year + 1) % 100:02d}"


class Rag(models.TextChoices):
    RED = "R", "Red"
    AMBER = "A", "Amber"
    GREEN = "G", "Green"


@audited()
class WorkAction(Versioned):
    """One action of the work programme (Appendices 1 and 2)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="actions")
    for_next_year = models.BooleanField(
        default=False, help_text="Appendix 2 (the coming year) rather than Appendix 1."
    )
    action = models.TextField()
    who = models.CharField(max_length=150)
    when = models.CharField(max_length=60, help_text="As the plan says it, e.g. September 2014.")
    rag = models.CharField("RAG status", max_length=1, choices=Rag.choices, blank=True)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["for_next_year", "pk"]

    def __str__(self) -> str:
        return self.action[:60]


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


@audited()
class ReportGeneration(models.Model):
    """One run of the generator. Each run keeps its own PDF; nothing overwrites an earlier one."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="generations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=GenerationStatus.choices, default=GenerationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    data_as_of = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} made {self.requested_at:%d %b %Y %H:%M}"


# The bytes themselves are not copied into the history table: the row's insert is recorded.
@audited(exclude=["content"])
class ReportPdf(models.Model):
    generation = models.OneToOneField(
        ReportGeneration, on_delete=models.PROTECT, related_name="pdf"
    )
    content = models.BinaryField()
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"PDF of {self.generation} ({self.size:,} bytes)"
