"""Celery tasks: thin wrappers that take names or ids and call services."""

from celery import shared_task

from conferences import sweeps


@shared_task(acks_late=True, ignore_result=True)
def run_sweep(name: str) -> int:
    return sweeps.SWEEPS[name]()
