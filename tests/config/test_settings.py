"""Settings refuse unsafe combinations: production never runs in debug or demo mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONVENE_", "DJANGO_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('loaded')"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CONVENE_DEMO": "true", "DJANGO_SECRET_KEY": "x" * 50}, "CONVENE_DEMO cannot"),
        ({"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_DEBUG cannot"),
        ({}, "Set DJANGO_SECRET_KEY"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_is_the_default_and_loads_with_a_secret_key():
    result = _load_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


def test_demo_mode_loads_outside_production():
    result = _load_settings(CONVENE_ENVIRONMENT="development", CONVENE_DEMO="true")
    assert result.returncode == 0, result.stderr
