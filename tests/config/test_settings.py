"""Settings refuse unsafe combinations: production never runs in debug or demo mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
# The secrets production cannot start without.
PRODUCTION_SECRETS = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "CONVENE_MFA_KEYS": Fernet.generate_key().decode(),
}


def _load_settings(*, show: str = "'loaded'", **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONVENE_", "DJANGO_"))}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({show})",
        ],
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
        ({"DJANGO_SECRET_KEY": "x" * 50}, "Set CONVENE_MFA_KEYS"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_is_the_default_and_loads_with_its_secrets():
    result = _load_settings(**PRODUCTION_SECRETS)
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


def test_a_mistyped_authenticator_key_is_refused_without_being_shown():
    mistyped = PRODUCTION_SECRETS["CONVENE_MFA_KEYS"][:-2]
    result = _load_settings(**{**PRODUCTION_SECRETS, "CONVENE_MFA_KEYS": mistyped})
    assert result.returncode != 0
    assert "CONVENE_MFA_KEYS must be Fernet keys" in result.stderr
    assert mistyped not in result.stderr


def test_authenticator_keys_are_read_newest_first():
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    env = {**PRODUCTION_SECRETS, "CONVENE_MFA_KEYS": f"{new_key}, {old_key}"}
    result = _load_settings(show="','.join(settings.CONVENE_MFA_KEYS)", **env)
    assert result.stdout.strip() == f"{new_key},{old_key}", result.stderr


def test_demo_mode_loads_outside_production():
    result = _load_settings(CONVENE_ENVIRONMENT="development", CONVENE_DEMO="true")
    assert result.returncode == 0, result.stderr


def test_production_settings_are_secure_over_https():
    shown = (
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS"
    )
    result = _load_settings(show=shown, **PRODUCTION_SECRETS)
    assert result.stdout.strip() == "True True 31536000"


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({**PRODUCTION_SECRETS, "CONVENE_DEMO_SKIP_MFA": "true"}, "True"),
        ({"CONVENE_ENVIRONMENT": "development", "CONVENE_DEMO_SKIP_MFA": "true"}, "True"),
        (
            {
                "CONVENE_ENVIRONMENT": "development",
                "CONVENE_DEMO": "true",
                "CONVENE_DEMO_SKIP_MFA": "true",
            },
            "False",
        ),
    ],
)
def test_only_demo_mode_can_relax_the_second_factor(env, required):
    result = _load_settings(show="settings.MFA_REQUIRED", **env)
    assert result.stdout.strip() == required, result.stderr


# Whether a request that claims to have come over HTTPS (X-Forwarded-Proto) is believed.
CLAIMS_HTTPS = (
    "__import__('django.test', fromlist=['RequestFactory']).RequestFactory()"
    ".get('/', HTTP_X_FORWARDED_PROTO='https').is_secure()"
)


@pytest.mark.parametrize(
    ("env", "believed"),
    [
        ({}, "False"),
        ({"DJANGO_TRUST_PROXY_SSL_HEADER": "false"}, "False"),
        ({"DJANGO_TRUST_PROXY_SSL_HEADER": "true"}, "True"),
    ],
)
def test_a_client_claiming_https_is_believed_only_when_a_proxy_is_declared(env, believed):
    result = _load_settings(show=CLAIMS_HTTPS, **PRODUCTION_SECRETS, **env)
    assert result.stdout.strip() == believed, result.stderr
