"""The demo history, loaded once per test module that asks for it."""

import time

import pytest
from django.db import connection, transaction

from demo.carry_forward import close_history_plans
from demo.history import load_history


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the history once for the module's tests, which read it; yields how many seconds
    loading took. Nothing is kept afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.perf_counter()
        load_history()
        seconds = time.perf_counter() - started
        close_history_plans()  # as load_demo does: it must change no 2011-15 figure
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database
        # Check the deferred foreign keys once here, not again after every test.
        connection.check_constraints()
        yield seconds
        transaction.set_rollback(True)
