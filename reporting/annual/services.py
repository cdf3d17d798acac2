"""Every write to the annual report, and the generation of its PDF (run by a Celery task)."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from config.concurrency import save_if_unchanged
from config.pdf import render_pdf
from config.services import FieldValues, audited_write, write_service
from reporting.annual import narrative
from reporting.annual.models import (
    NARRATIVE_SECTIONS,
    AnnualReport,
    GenerationStatus,
    ReportGeneration,
    ReportPdf,
    WorkAction,
)
from reporting.dashboard.pages import chart_for
from reporting.figures import FIGURES, Scope, cached_table
from reporting.freshness import fingerprint
from rules.periods import Period

log = logging.getLogger(__name__)
NARRATIVE_FIELDS = [key for key, _ in NARRATIVE_SECTIONS]
# The chapters after the executive summary, in the reference report's order, with the figures
# charted in each; every table appears again in Appendix 3.
CHAPTERS = [
    ("introduction", "Introduction", []),
    ("purpose", "Purpose and legal context", []),
    ("iro_service", "The IRO service", ["iro-workload", "chair-continuity"]),
    (
        "cp_service",
        "The child protection conference service",
        [
            "meetings-by-type",
            "meetings-trend",
            "children-on-plans",
            "children-on-plans-trend",
            "plans-started-ended",
            "category",
            "factors",
            "age",
            "ethnicity",
            "report-to-family",
            "report-to-chair",
            "within-timescale",
            "postponements",
            "agency-attendance",
            "distribution",
            "core-groups",
            "questionnaire-parent",
            "questionnaire-agency",
        ],
    ),
    ("advocacy", "Advocacy", ["advocacy"]),
    ("complaints", "Complaints, appeals and dissent", ["complaints"]),
    ("challenge", "Challenge and escalation", ["challenges"]),
    ("cusab", "Children using sexually abusive behaviour (CUSAB)", ["cusab"]),
    ("developments", "Developments", []),
]


@dataclass(frozen=True)
class WorkActionDetails(FieldValues):
    """One action in the work programme: the fields the action form changes."""

    action: str
    who: str
    when: str
    for_next_year: bool = False
    rag: str = ""
    commentary: str = ""


ACTION_FIELDS = WorkActionDetails.names()


@write_service("create_annual_report")
def create_report(*, actor: User, year: int) -> AnnualReport:
    return AnnualReport.objects.create(year=year, created_by=actor)


@write_service("write_annual_report")
def save_narrative(*, actor: User, report: AnnualReport, expected_version: int, **texts) -> None:
    for name in NARRATIVE_FIELDS:
        setattr(report, name, texts.get(name, ""))
    save_if_unchanged(report, expected_version=expected_version, fields=NARRATIVE_FIELDS)


@write_service("add_work_action")
def add_action(*, actor: User, report: AnnualReport, details: WorkActionDetails) -> WorkAction:
    action = WorkAction(report=report)
    details.apply_to(action)
    action.save()
    return action


@write_service("change_work_action")
def change_action(
    *, actor: User, action: WorkAction, details: WorkActionDetails, expected_version: int
) -> None:
    details.apply_to(action)
    save_if_unchanged(action, expected_version=expected_version, fields=ACTION_FIELDS)


@write_service("remove_work_action")
def remove_action(*, actor: User, action: WorkAction) -> None:
    action.delete()


@write_service("generate_annual_report")
def request_generation(*, actor: User, report: AnnualReport) -> ReportGeneration:
    """A new generation, queued for the worker once this transaction commits."""
    generation = ReportGeneration.objects.create(report=report, requested_by=actor)
    transaction.on_commit(lambda: _queue(generation.pk), robust=True)
    return generation


def _queue(generation_id: int) -> None:
    from reporting.tasks import generate_annual_report

    try:
        generate_annual_report.apply_async(args=[generation_id], retry=False)
    except Exception:  # the broker is down: the page says it is waiting, and a retry re-queues
        log.warning("annual report generation %s could not be queued", generation_id)


def _progress(generation_id: int, percent: int, step: str, **fields) -> None:
    # Its own short write, committed at once, so the browser sees each step as it happens.
    with audited_write(None, "annual_report_progress"):
        ReportGeneration.objects.filter(pk=generation_id).update(
            progress=percent, step=step, **fields
        )


def generate(generation_id: int) -> None:
    """Compute every figure, render the report and keep the PDF. Safe to run twice: a
    generation that is already done is left alone."""
    generation = ReportGeneration.objects.select_related("report").filter(pk=generation_id).first()
    if generation is None:  # not this database's (a stale message): nothing to make
        log.warning("annual report generation %s not found", generation_id)
        return
    if generation.status == GenerationStatus.DONE:
        return
    report = generation.report
    as_of = timezone.now()
    _progress(generation_id, 2, "Counting", status=GenerationStatus.RUNNING, data_as_of=as_of)
    try:
        scope = Scope(Period(report.year))
        version = fingerprint()
        shown = {}
        for number, figure in enumerate(FIGURES, start=1):
            shown[figure.slug] = chart_for(cached_table(figure, scope, version))
            _progress(generation_id, 2 + 68 * number // len(FIGURES), f"Counted {figure.title}")
        html = render_annual_html(report, shown, as_of)
        _progress(generation_id, 75, "Laying out the pages")
        content = render_pdf(html, title=f"IRO annual report {report.year_label}")
        _progress(generation_id, 95, "Saving")
        with audited_write(None, "annual_report_made"):
            ReportPdf.objects.create(
                generation_id=generation_id, content=content, size=len(content)
            )
            ReportGeneration.objects.filter(pk=generation_id).update(
                status=GenerationStatus.DONE, progress=100, step="Ready", finished_at=timezone.now()
            )
    except Exception as error:
        _progress(
            generation_id,
            generation.progress,
            "Failed",
            status=GenerationStatus.FAILED,
            error=type(error).__name__,  # the class only: messages may quote case data
            finished_at=timezone.now(),
        )
        raise


def render_annual_html(report: AnnualReport, shown: dict, as_of) -> str:
    sections = {key: narrative.to_html(getattr(report, key)) for key in NARRATIVE_FIELDS}
    chapters = [
        {
            "number": number,
            "anchor": key.replace("_", "-"),
            "title": title,
            "text": sections[key],
            "figures": [shown[slug] for slug in slugs],
        }
        for number, (key, title, slugs) in enumerate(CHAPTERS, start=2)
    ]
    actions = list(report.actions.all())
    return render_to_string(
        "pdf/annual_report.html",
        {
            "report": report,
            "period": Period(report.year),
            "next_period": Period(report.year + 1),
            "sections": sections,
            "chapters": chapters,
            "appendix": list(shown.values()),
            "this_year": [a for a in actions if not a.for_next_year],
            "next_year": [a for a in actions if a.for_next_year],
            "as_of": as_of,
            "has_records": any(
                cell for item in shown.values() for row in item.table.rows for cell in row.cells
            ),
        },
    )
