"""Reporting's own records: the annual report and what it generated, and the exports prepared
for download (figures are computed)."""

from reporting.annual.models import (  # noqa: F401
    AnnualReport,
    GenerationStatus,
    Rag,
    ReportGeneration,
    ReportPdf,
    WorkAction,
)
from reporting.prepared.models import ExportKind, PreparedExport  # noqa: F401
from statutory.models import ReturnKind, StatutoryExport  # noqa: F401
