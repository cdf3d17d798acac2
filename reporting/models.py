"""Reporting's own records: the annual report and what it generated (figures are computed)."""

from .annual_models import (  # noqa: F401
    AnnualReport,
    GenerationStatus,
    Rag,
    ReportGeneration,
    ReportPdf,
    WorkAction,
)
from .statutory_models import ReturnKind, StatutoryExport  # noqa: F401
