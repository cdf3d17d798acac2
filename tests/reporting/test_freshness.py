"""Figures kept for exactly the records they were counted from: the fingerprint moves with every
write a figure could see, a kept table is never served for changed records, and the dashboard
is counted ahead of the managers."""

import re
import time
from datetime import date

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.models import RecordAccess
from reporting.dashboard.warmth import warm
from reporting.figures import FIGURES, Scope, cached_table, figure
from reporting.freshness import NOT_COUNTED, TRIGGER, compact, counted_tables, fingerprint
from rules.periods import Period
from tests.factories import ChildFactory, LocalityFactory, PlanFactory

pytestmark = pytest.mark.django_db
YEAR = Scope(Period(2014))


def test_every_counted_table_carries_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        triggered = {name for (name,) in cursor.fetchall()}
    assert triggered == set(counted_tables())
    assert {"conferences_conference", "conferences_childprotectionplan"} <= triggered
    assert "conferences_recorddraft" not in triggered


def test_no_figure_reads_a_table_whose_changes_are_not_counted(iro):
    scopes = [YEAR, Scope(Period(2014, 2), locality_id=LocalityFactory().pk, chair_id=iro.pk)]
    with CaptureQueriesContext(connection) as captured:
        for scope in scopes:
            for found in FIGURES:
                found.table(scope)
    sql = " ".join(query["sql"] for query in captured)
    read = set(re.findall(r'"((?:accounts|conferences|advocacy|complaints)_[a-z_]+)"', sql))
    assert {"conferences_conference", "complaints_complaint"} <= read
    assert read <= set(counted_tables())
    assert not read & NOT_COUNTED


def test_the_fingerprint_moves_with_each_counted_write_and_only_with_them(manager):
    start = fingerprint()
    child = ChildFactory()
    after_child = fingerprint()
    assert after_child != start
    RecordAccess.objects.create(user=manager, child=child, page="child record")
    assert fingerprint() == after_child  # the access log is not counted
    update_last_login(None, manager)
    assert fingerprint() == after_child  # nor a sign-in
    manager.full_name = "Manoj Gupta-Reid"
    manager.save()
    after_rename = fingerprint()
    assert after_rename != after_child  # a chair's name is shown in the figures
    after_child = after_rename
    seen_inside = []

    def plan_then_fail():
        with transaction.atomic():
            PlanFactory(child=child)
            seen_inside.append(fingerprint())
            raise RuntimeError  # the plan is rolled back, and its change with it

    with pytest.raises(RuntimeError):
        plan_then_fail()
    assert seen_inside[0] != after_child
    assert fingerprint() == after_child


def test_a_kept_table_is_used_until_the_records_change(django_assert_num_queries):
    on_plans = figure("children-on-plans")
    PlanFactory(started_on=date(2014, 4, 2))
    first = cached_table(on_plans, YEAR)
    assert first.cell("on_plan", "q1") == 1
    with django_assert_num_queries(1):  # the fingerprint only
        assert cached_table(on_plans, YEAR) == first
    PlanFactory(started_on=date(2014, 5, 2))
    assert cached_table(on_plans, YEAR).cell("on_plan", "q1") == 2
    assert cached_table(on_plans, Scope(Period(2014, 1))).cell("on_plan", "q1") == 2


def test_compaction_moves_the_generation_so_no_earlier_fingerprint_recurs():
    ChildFactory()
    before = fingerprint()
    compact()
    after = fingerprint()
    assert int(after.split(".")[0]) == int(before.split(".")[0]) + 1


def _queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def test_warming_counts_this_year_and_last_once_for_each_change(manager_client, time_machine):
    time_machine.move_to(date(2026, 11, 26))
    dashboard, plain_page = reverse("reporting:dashboard"), reverse("reporting:definitions")
    PlanFactory(started_on=date(2025, 4, 2))
    cold = _queries(manager_client, dashboard, {"year": 2025, "quarter": 1})  # not warmed
    assert warm() is True
    assert warm() is False  # nothing changed since
    warmed = _queries(manager_client, dashboard, {"year": 2025})
    # The page's own reads (sign-in, menu, filter lists) and the fingerprint; no counting.
    assert warmed <= _queries(manager_client, plain_page) + 4 < cold
    PlanFactory(started_on=date(2025, 5, 2))
    assert warm() is True


@pytest.mark.worker
def test_beat_asks_a_real_worker_to_count_ahead_and_compact(celery_worker):
    from django.core.cache import cache

    from config.celery import _beat_schedule
    from reporting.dashboard.warmth import WARMED_KEY
    from reporting.tasks import compact_change_log, warm_dashboard

    schedule = _beat_schedule()
    assert schedule["warm-dashboard"]["task"] == warm_dashboard.name
    assert schedule["compact-change-log"]["task"] == compact_change_log.name
    PlanFactory(started_on=date(2025, 4, 2))
    warm_dashboard.delay()  # results are not kept: wait for what the task leaves behind
    assert _eventually(lambda: cache.get(WARMED_KEY) == fingerprint())
    generation = fingerprint().split(".")[0]
    compact_change_log.delay()
    assert _eventually(lambda: fingerprint().split(".")[0] != generation)


def _eventually(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_changed_timescale_never_meets_a_table_counted_under_the_old_one(settings):
    from reporting.figures.base import CODE_VERSION, _code_version

    assert _code_version() == CODE_VERSION
    settings.CONVENE_TIMESCALES = {**settings.CONVENE_TIMESCALES, "initial_working_days": 14}
    assert _code_version() != CODE_VERSION


def _change_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporting_datachange")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_writing_many_rows_is_logged_once_and_moves_the_fingerprint_once():
    rows, start = _change_rows(), fingerprint()
    assert start.endswith(".0")  # outside a writing transaction
    own_row = "SELECT ctid FROM reporting_datachange WHERE txid = txid_current()"
    with transaction.atomic(), connection.cursor() as cursor:
        seen, versions = [fingerprint()], []
        for _ in range(3):
            PlanFactory()  # writes to families, children, plans and more, statement by statement
            seen.append(fingerprint())
            cursor.execute(own_row)
            versions += cursor.fetchall()
    # One row, written once and never updated (an update leaves a new version of the row).
    assert len(versions) == 3
    assert len(set(versions)) == 1
    assert len(set(seen)) == len(seen)  # the writer sees its every statement
    assert _change_rows() == rows + 1
    after = fingerprint()
    assert after.endswith(".0")
    assert after not in seen  # no one meets a writer's own view
    assert int(after.split(".")[1]) == int(start.split(".")[1]) + 1  # one more row


@pytest.mark.django_db(transaction=True)
def test_two_transactions_are_logged_twice_and_an_uncounted_write_not_at_all(manager):
    rows, start = _change_rows(), fingerprint()
    with transaction.atomic():
        child = ChildFactory()  # a family and a child, and their many-to-many rows
    with transaction.atomic():
        ChildFactory()
    assert _change_rows() == rows + 2
    between = fingerprint()
    assert int(between.split(".")[1]) == int(start.split(".")[1]) + 2
    with transaction.atomic():
        RecordAccess.objects.create(user=manager, child=child, page="child record")
        assert fingerprint() == between  # the access log is not counted
    assert _change_rows() == rows + 2
    assert fingerprint() == between


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_to_a_savepoint_is_logged_by_the_next_write():
    rows = _change_rows()
    with transaction.atomic():
        before = fingerprint()

        def child_then_fail():
            with transaction.atomic():
                ChildFactory()
                raise RuntimeError

        with pytest.raises(RuntimeError):
            child_then_fail()
        assert fingerprint() == before  # the row and the count went with the savepoint
        ChildFactory()
        assert fingerprint() != before
    assert _change_rows() == rows + 1
