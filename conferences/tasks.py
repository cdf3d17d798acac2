"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from . import outbox, sweeps


@shared_task(acks_late=True, autoretry_for=(), ignore_result=True)
def send_notification(notification_id: int) -> bool:
    return outbox.send_one(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_pending() -> int:
    return outbox.dispatch_pending()


@shared_task(acks_late=True, ignore_result=True)
def run_sweep(name: str) -> int:
    return sweeps.SWEEPS[name]()
