"""The outbox: rows live and die with their transaction; dispatch is at-least-once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from conferences.models import Notification
from notifications import outbox

pytestmark = pytest.mark.django_db


def _notify(key="test:1"):
    return outbox.notify(key=key, kind="test", to="someone@partner.example", subject="S", body="B")


def _failed_booking():
    with transaction.atomic():
        _notify()
        raise RuntimeError("the booking failed")


def test_a_notification_rolls_back_with_the_transaction_that_caused_it():
    with pytest.raises(RuntimeError):
        _failed_booking()
    assert not Notification.objects.exists()


def test_a_notification_commits_with_its_transaction_and_the_same_key_is_not_written_twice():
    with transaction.atomic():
        assert _notify() is not None
    assert _notify() is None
    assert Notification.objects.count() == 1


def test_a_worker_that_dies_before_sending_leads_to_exactly_one_delivery():
    row = _notify()
    assert outbox.claim(row.pk) is not None  # the worker took it ... and died here
    assert outbox.dispatch_pending() == 0  # still within the grace period: left alone
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert outbox.dispatch_pending() == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == "sent"


def test_a_worker_that_dies_after_the_provider_accepted_sends_at_most_one_flagged_duplicate():
    row = _notify()
    claimed = outbox.claim(row.pk)
    outbox.deliver(claimed)  # the provider accepted it ... and the worker died before marking
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        outbox.dispatch_pending()
        outbox.dispatch_pending()
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]
    row.refresh_from_db()
    assert (row.status, row.possible_duplicate, row.attempts) == ("sent", True, 2)


def test_a_failing_provider_backs_off_then_gives_up_and_can_be_sent_again(settings, clerk):
    settings.EMAIL_BACKEND = "tests.conferences.failing_email.FailingBackend"
    row = _notify()
    now = timezone.now()
    for minutes in (0, 2, 10, 45, 170):  # each after the back-off before it
        with time_machine.travel(now + timedelta(minutes=minutes), tick=False):
            outbox.dispatch_pending()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 5, "ConnectionRefusedError")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.resend(actor=clerk, notification=row)
    outbox.dispatch_pending()
    row.refresh_from_db()
    assert row.status == "sent"
