"""Celery tasks for reporting: thin wrappers that take ids and call services."""

from celery import shared_task

from reporting import freshness
from reporting.annual import services as annual_services
from reporting.dashboard import warmth as dashboard_warmth
from reporting.prepared import services as prepared_services

# Generous for a year's figures (the benchmark aims for under 10 seconds); a runaway render is
# stopped rather than holding a worker. Memory is bounded per worker child in settings.
SOFT_LIMIT_SECONDS, HARD_LIMIT_SECONDS = 120, 150


@shared_task(
    acks_late=True,
    ignore_result=True,
    soft_time_limit=SOFT_LIMIT_SECONDS,
    time_limit=HARD_LIMIT_SECONDS,
)
def generate_annual_report(generation_id: int) -> None:
    annual_services.generate(generation_id)


# A national census is written in well under a minute (`make bench`); the limits stop a runaway.
EXPORT_SOFT_LIMIT_SECONDS, EXPORT_HARD_LIMIT_SECONDS = 600, 660


@shared_task(
    acks_late=True,
    ignore_result=True,
    soft_time_limit=EXPORT_SOFT_LIMIT_SECONDS,
    time_limit=EXPORT_HARD_LIMIT_SECONDS,
)
def prepare_export(export_id: int) -> None:
    prepared_services.prepare(export_id)


@shared_task(ignore_result=True)
def delete_expired_exports() -> None:
    prepared_services.delete_expired()


@shared_task(
    ignore_result=True, soft_time_limit=SOFT_LIMIT_SECONDS * 5, time_limit=HARD_LIMIT_SECONDS * 5
)
def warm_dashboard() -> None:
    """After the records change, count this year's and last year's figures ahead of the
    managers, so the dashboard they open is already computed (never stale: see freshness)."""
    dashboard_warmth.warm()


@shared_task(ignore_result=True)
def compact_change_log() -> None:
    freshness.compact()
