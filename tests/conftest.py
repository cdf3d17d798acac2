"""Shared fixtures: users and signed-in clients named after the roles they hold."""

import contextlib
import os
from unittest import mock

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import UserFactory

# The time limit (pytest-timeout, `timeout` in pyproject.toml) covers a test's fixtures too, so the
# first test of a module in each process also pays for what the module shares (the demo history,
# a walk of every page) and the very first for making the test database (its migrations take a
# minute or more on a busy machine). Those tests get this much more time.
SHARED_SET_UP_SECONDS = 180
_modules_started: set[str] = set()


def _time_limit(item) -> float:
    marker = item.get_closest_marker("timeout")
    if marker is not None:
        return float(marker.args[0] if marker.args else marker.kwargs.get("timeout", 0))
    option = item.config.getoption("timeout", None)
    return float(option if option is not None else item.config.getini("timeout") or 0)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    module = item.nodeid.split("::")[0]
    if module not in _modules_started:
        _modules_started.add(module)
        if limit := _time_limit(item):  # 0: no limit, as asked with --timeout=0
            item.add_marker(pytest.mark.timeout(limit + SHARED_SET_UP_SECONDS), append=False)
    yield


@pytest.fixture(autouse=True, scope="session")
def _test_databases_may_be_emptied():
    """Django empties the database after each transactional test with one TRUNCATE, which the
    append-only tables refuse (config/audit.py). A test database is disposable, so its flushes
    alone run with triggers off (session_replication_role: only a superuser may set it)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.execute_sql_flush

    def flush_past_the_guards(self, sql_list):
        flush(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with mock.patch.object(DatabaseOperations, "execute_sql_flush", flush_past_the_guards):
        yield


@pytest.fixture(autouse=True, scope="session")
def _files_in_a_directory_of_their_own(tmp_path_factory):
    """Prepared exports are written to MEDIA_ROOT: a directory of this run's, not the checkout's
    var/files, so tests never leave statutory returns behind (pytest removes old runs')."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("files"))):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    return


def _user(role: Role, name: str):
    return UserFactory(roles=[role], full_name=name, email=f"{role.value}@council.example")


@pytest.fixture
def iro(db):
    return _user(Role.IRO, "Irene Roberts")


@pytest.fixture
def clerk(db):
    return _user(Role.CLERK, "Clara Kemp")


@pytest.fixture
def manager(db):
    return _user(Role.MANAGER, "Manoj Gupta")


@pytest.fixture
def advocate(db):
    return _user(Role.ADVOCATE, "Ada Vickers")


@pytest.fixture
def administrator(db):
    return _user(Role.ADMINISTRATOR, "Adam Minter")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def iro_client(iro):
    return _signed_in(iro)


@pytest.fixture
def clerk_client(clerk):
    return _signed_in(clerk)


@pytest.fixture
def manager_client(manager):
    return _signed_in(manager)


@pytest.fixture
def advocate_client(advocate):
    return _signed_in(advocate)


@pytest.fixture
def administrator_client(administrator):
    return _signed_in(administrator)


@pytest.fixture
def users_by_role(iro, clerk, manager, advocate, administrator):
    return {
        Role.IRO: iro,
        Role.CLERK: clerk,
        Role.MANAGER: manager,
        Role.ADVOCATE: advocate,
        Role.ADMINISTRATOR: administrator,
    }


@pytest.fixture(autouse=True, scope="session")
def celery_queue():
    """One queue per pytest-xdist process, named after the run's own queue (scripts/test.sh gives
    each run its own), so parallel test processes, other test runs and a `make demo` worker never
    take each other's tasks. Every task this process sends goes there, not only the workers' ones;
    the queue is deleted at the end, so runs leave nothing behind in Redis."""
    import redis
    from django.conf import settings

    from config.celery import app

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # "gw0", "gw1"... under pytest -n
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{worker}"
    app.conf.task_default_queue = queue
    yield queue
    with contextlib.suppress(redis.ConnectionError):
        bindings = (f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(queue, *bindings)


@pytest.fixture
def celery_worker(transactional_db, celery_queue):
    """A real Celery worker, in a thread, consuming this process's queue on the real Redis."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(
        app, pool="solo", concurrency=1, queues=[celery_queue], perform_ping_check=False
    ) as worker:
        yield worker


@pytest.fixture
def assert_constant_queries(django_db_blocker):
    """Fail if a page's query count grows with the number of records it lists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(client, url: str, add_records) -> None:
        client.get(url)  # the first request of a session does one-off work (session records)
        counts = []
        for _ in range(2):
            add_records()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], f"queries grew from {counts[0]} to {counts[1]}"

    return check
