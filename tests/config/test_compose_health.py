"""The web container's health check, as docker-compose.yml runs it, against a real gunicorn with
production's settings: healthy only when the health page answers 200 through production's
host and HTTPS checks."""

import base64
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 15
CHECK_SECONDS = 12  # docker-compose gives the check 10 s


def _web_healthcheck_command() -> list[str]:
    """The web service's `healthcheck: test:` list. PyYAML is not installed; the entry is a flow
    sequence of double-quoted strings, which JSON reads the same way."""
    text = (ROOT / "docker-compose.yml").read_text()
    web = re.search(r"^  web:\n(?:^(?:    .*)?\n)+", text, re.MULTILINE)
    assert web, "docker-compose.yml has no web service"
    test = re.search(r"^    healthcheck:\n(?:^      .*\n)*?^      test: (.+)$", web[0], re.M)
    assert test, "the web service has no healthcheck test"
    return json.loads(test[1])


# The settings' own default, for a run (make test) that sets no DATABASE_URL.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/convene"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _production_environment(**overrides: str) -> dict[str, str]:
    """The web container's settings, on the test database (the check runs `SELECT 1` only)."""
    database_url = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    test_database = database_url._replace(path="/" + connection.settings_dict["NAME"])
    return {
        **os.environ,
        "CONVENE_ENVIRONMENT": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # A Fernet key: production refuses to start without one.
        "CONVENE_MFA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "convene.example.org",
        "DJANGO_TRUST_PROXY_SSL_HEADER": "true",
        "DATABASE_URL": urlunsplit(test_database),
        **overrides,
    }


def _answers_http(port: int) -> bool:
    """Whether a worker answers at all (production refuses this request; any status will do)."""
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        probe.request("GET", "/health/")
        probe.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        probe.close()


class Gunicorn:
    def __init__(self, environment: dict[str, str]):
        self.port = _free_port()
        self.environment = environment
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                *("--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", "1", "--no-control-socket"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers_http(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                output = self.log.read()[-2000:].decode(errors="replace")
                self.stop()
                pytest.fail(f"gunicorn did not start:\n{output}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


@pytest.fixture(scope="module")
def web(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        environment = _production_environment()
    server = Gunicorn(environment)
    try:
        yield server
    finally:
        server.stop()


def _run_healthcheck(port: int, environment: dict[str, str]) -> int:
    kind, *command = _web_healthcheck_command()
    command = [argument.replace("8000", str(port)) for argument in command]
    if kind == "CMD-SHELL":
        command = ["sh", "-c", command[0].replace("python", sys.executable)]
    else:
        assert kind == "CMD"
        if command[0] == "python":
            command[0] = sys.executable  # the image's python is this environment's
    # The command is docker-compose.yml's own.
    finished = subprocess.run(command, cwd=ROOT, env=environment, timeout=CHECK_SECONDS)  # noqa: S603
    return finished.returncode


def test_the_web_healthcheck_passes_against_a_healthy_production_server(web):
    exit_status = _run_healthcheck(web.port, web.environment)
    assert exit_status == 0


def test_the_web_healthcheck_fails_when_the_server_refuses_its_request(web):
    # The server answers 400 to a host it does not allow.
    elsewhere = {**web.environment, "DJANGO_ALLOWED_HOSTS": "elsewhere.example.org"}
    exit_status = _run_healthcheck(web.port, elsewhere)
    assert exit_status != 0


def test_the_web_healthcheck_fails_when_nothing_listens(web):
    exit_status = _run_healthcheck(_free_port(), web.environment)
    assert exit_status != 0


def test_the_web_healthcheck_fails_when_the_server_reports_the_broker_unavailable(
    django_db_setup, django_db_blocker
):
    with django_db_blocker.unblock():
        environment = _production_environment(REDIS_URL="redis://127.0.0.1:1/0")
    server = Gunicorn(environment)
    try:
        exit_status = _run_healthcheck(server.port, environment)
        assert exit_status != 0
    finally:
        server.stop()
