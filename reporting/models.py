"""Reporting's own records: the annual report and what it generated (figures are computed)."""

from reporting.annual.models import (  # noqa: F401
    AnnualReport,
    GenerationStatus,
    Rag,
    ReportGeneration,
    ReportPdf,
    WorkAction,
)
from statutory.models import ReturnKind, StatutoryExport  # noqa: F401
