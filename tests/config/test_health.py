"""The container health check reports the database and broker and nothing else."""

import json

from django.urls import reverse


def test_health_reports_database_and_broker(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_broker_is_unreachable(client, db, settings):
    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("health"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "unavailable"
