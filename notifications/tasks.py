"""Celery tasks for the outbox: thin wrappers that take ids and call it."""

from celery import shared_task

from notifications import outbox


@shared_task(acks_late=True, autoretry_for=(), ignore_result=True)
def send_notification(notification_id: int) -> bool:
    return outbox.send_one(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_pending() -> int:
    return outbox.dispatch_pending()
