"""A test run keeps its Celery tasks to itself: a `make demo` worker beside it cannot take them."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from config.celery import app, heartbeat

ROOT = Path(__file__).resolve().parents[2]
DEMO_CELERY_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in
    ["CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_DEFAULT_QUEUE"]}))
"""


def _demo_celery_settings() -> dict:
    """Celery's settings as `make demo` gets them: scripts/demo.sh sets no Redis URL or queue."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "CELERY_TASK_DEFAULT_QUEUE"}
    }
    environment |= {
        "CONVENE_ENVIRONMENT": "development",
        "CONVENE_DEMO": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    shell = [sys.executable, "manage.py", "shell", "-c", DEMO_CELERY_SETTINGS]
    output = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        shell, cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _redis_database(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    return parts.hostname, parts.port or 6379, parts.path.strip("/") or "0"


def test_tasks_sent_by_the_tests_go_to_the_runs_own_queue_and_redis_database(celery_queue):
    demo = _demo_celery_settings()
    hint = "run the tests with scripts/test.sh, or set REDIS_URL and CELERY_TASK_DEFAULT_QUEUE"

    queue = app.amqp.router.route({}, heartbeat.name)["queue"].name
    assert queue == celery_queue
    assert queue != demo["CELERY_TASK_DEFAULT_QUEUE"], hint
    assert _redis_database(app.conf.broker_url) != _redis_database(demo["CELERY_BROKER_URL"]), hint
    assert _redis_database(settings.CELERY_RESULT_BACKEND) != _redis_database(
        demo["CELERY_RESULT_BACKEND"]
    ), hint
