"""Delivery through a real Celery worker on real Redis to a local SMTP server, including a Redis
outage while a clerk books a conference."""

import shutil
import socket
import subprocess
import time
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from conferences.booking.services import BookingRequest, ChildAtBooking, book_conference
from conferences.choices import Stage
from conferences.models import Conference
from config.celery import app
from notifications import outbox
from tests.factories import ChildFactory, ProfessionalFactory, VenueFactory, at

pytestmark = pytest.mark.worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 30) -> list:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


@pytest.fixture
def smtp_sink(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


def test_a_real_worker_delivers_a_notification_to_the_smtp_server(celery_worker, smtp_sink):
    with transaction.atomic():
        row = outbox.notify(
            key="worker:1", kind="test", to="jo@csc.example", subject="Report due", body="B"
        )

    (message,) = smtp_sink.wait_for(1)
    assert message.rcpt_tos == ["jo@csc.example"]
    assert row.message_id.encode() in message.content
    row.refresh_from_db()
    assert row.status == "sent"


class TemporaryRedis:
    """A redis-server of the test's own on a free port, which the test can stop and start."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own redis-server, fixed arguments
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def _reconnect():
    """Drop Celery's pooled broker connections and its result backend, so the next send and the
    next result read use the current URLs (a backend left pointing at the stopped server would
    fail the next test in this process that waits for a result)."""
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def temporary_redis(celery_queue):
    redis = TemporaryRedis()
    redis.start()
    saved = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = app.conf.result_backend = redis.url
    _reconnect()
    yield redis
    if redis.process.poll() is None:
        redis.stop()
    app.conf.broker_url, app.conf.result_backend = saved
    _reconnect()


@pytest.mark.django_db(transaction=True)
def test_booking_while_redis_is_down_succeeds_and_the_email_goes_when_it_is_back(
    temporary_redis, smtp_sink, celery_queue, clerk, iro
):
    temporary_redis.stop()
    child = ChildFactory(
        date_of_birth=date(2020, 1, 1), social_worker=ProfessionalFactory(email="jo@csc.example")
    )
    booking = BookingRequest(
        family=child.family,
        children=[ChildAtBooking(child=child, stage=Stage.INITIAL)],
        starts_at=at(timezone.localdate() + timedelta(days=4)),
        venue=VenueFactory(name="Room 5"),
        chair=iro,
    )
    conference = book_conference(actor=clerk, request=booking)
    assert Conference.objects.filter(pk=conference.pk).exists()
    assert smtp_sink.messages == []

    temporary_redis.start()
    _reconnect()
    with start_worker(app, pool="solo", queues=[celery_queue], perform_ping_check=False):
        from notifications.tasks import dispatch_pending

        dispatch_pending.delay()  # what beat does every minute
        messages = smtp_sink.wait_for(2)
    assert sorted(address for message in messages for address in message.rcpt_tos) == sorted(
        [iro.email, "jo@csc.example"]
    )
