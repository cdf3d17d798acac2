"""The web server's access log: no query strings (child search terms), no secrets in paths."""

import logging
from datetime import timedelta
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.app.base import Application

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Qk7x-SECRET-questionnaire-token_9f"
RESET_KEY = "cf3a12-0c0ffee0dd5e4ee1c9d4b6a8f2e1"


class ConfiguredFrom(Application):
    """Gunicorn's own application machinery, reading the config file the servers are run with."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__()

    def load_config(self):
        self.load_config_from_file(str(self.path))

    def load(self):
        return None


def _access_line(tmp_path, method: str, uri: str, referer: str = "") -> str:
    config = ConfiguredFrom(ROOT / "config" / "gunicorn.py").cfg
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    logger = config.logger_class(config)
    path, _, query = uri.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Firefox",
    }
    request = SimpleNamespace(headers=[("REFERER", referer), ("HOST", "convene.example.org")])
    response = SimpleNamespace(
        status="302 Found", sent=0, headers=[("Location", f"/feedback/{TOKEN}/?next=Zara")]
    )
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_the_access_log_keeps_no_child_search_terms(tmp_path):
    line = _access_line(tmp_path, "GET", "/children/search/?q=Zara+Quillfeather&dob=2019-03-04")
    assert '"GET /children/search/ HTTP/1.1" 302' in line
    for secret in ("Zara", "Quillfeather", "2019-03-04", "?"):
        assert secret not in line


@pytest.mark.parametrize(
    ("uri", "logged"),
    [
        (f"/feedback/{TOKEN}/", "/feedback/…/"),
        (f"/feedback/{TOKEN}/?answer=1", "/feedback/…/"),
        (f"/accounts/password/reset/key/1z-{RESET_KEY}/", "/accounts/password/reset/key/…/"),
        (f"/accounts/confirm-email/{RESET_KEY}/", "/accounts/confirm-email/…/"),
    ],
)
def test_the_access_log_cuts_the_secret_out_of_link_paths(tmp_path, uri, logged):
    line = _access_line(tmp_path, "POST", uri, referer=f"https://convene.example.org{uri}?q=Zara")
    assert f'"POST {logged} HTTP/1.1"' in line
    assert f'"https://convene.example.org{logged}"' in line  # the referrer, cut too
    for secret in (TOKEN, RESET_KEY, "Zara"):
        assert secret not in line


@pytest.mark.django_db
def test_the_application_log_cuts_questionnaire_tokens_from_the_paths_django_reports():
    """Django logs every 4xx with its path ("Gone: /feedback/<token>/")."""
    (console,) = [
        handler for handler in logging.getLogger().handlers if handler.get_name() == "console"
    ]
    stream = StringIO()
    saved = console.setStream(stream)
    try:
        assert Client().get(f"/feedback/{TOKEN}/").status_code == 410
    finally:
        console.setStream(saved)
    written = stream.getvalue()
    assert "/feedback/…/" in written
    assert TOKEN not in written
