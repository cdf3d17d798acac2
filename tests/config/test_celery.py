"""A task makes the whole round trip: Redis broker, a real worker, PostgreSQL, Redis results."""

import pytest
from celery.result import AsyncResult
from django.db import connection

from config.celery import heartbeat


@pytest.mark.worker
def test_a_task_runs_on_a_real_worker_and_its_result_comes_back_through_redis(celery_worker):
    result = heartbeat.delay()

    outcome = result.get(timeout=30)

    assert outcome["database"] == connection.settings_dict["NAME"]
    assert celery_worker.hostname.endswith("@" + outcome["worker"])
    assert AsyncResult(result.id, app=heartbeat.app).state == "SUCCESS"
