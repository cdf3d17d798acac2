"""Every setting Convene sets is read: by Django or a library it configures, or by our code."""

import importlib
import re
from pathlib import Path

from django.conf import global_settings, settings
from django.utils import formats, translation

import config.settings as ours
from tests.source import PACKAGES

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = PACKAGES  # the demo reads settings too (CONVENE_DEMO)


def _our_code() -> str:
    return "\n".join(
        path.read_text()
        for folder in APP_DIRS
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "config" / "settings.py" and "migrations" not in path.parts
    )


def test_no_format_is_set_that_the_language_replaces():
    """With localisation always on (Django 5), the language's own formats win: a DATE_FORMAT set
    here is read by nothing while LANGUAGE_CODE's locale has one."""
    names = [name for name in dir(global_settings) if name.endswith(("_FORMAT", "_FORMATS"))]
    with translation.override(settings.LANGUAGE_CODE):
        unread = [
            name
            for name in names
            if name in vars(ours) and formats.get_format(name) != getattr(ours, name)
        ]
    assert unread == []


def test_each_convene_setting_is_read_by_our_code():
    code = _our_code()
    names = [name for name in vars(ours) if name.startswith("CONVENE_")]
    assert names
    unread = [name for name in names if not re.search(rf"\bsettings\.{name}\b", code)]
    assert unread == []


def _package_source(package: str) -> str:
    folder = Path(importlib.import_module(package).__file__).parent
    return "\n".join(path.read_text(errors="replace") for path in folder.rglob("*.py"))


def _allauth_name(name: str) -> str:
    # allauth reads its settings as self._setting("LOGIN_METHODS", ...) under the app's prefix.
    return '"' + name.split("_", 1)[1] + '"'


def _lower_name(name: str) -> str:
    # Celery (namespace "CELERY", config/celery.py) and WhiteNoise read the rest, lower-cased.
    return r"\b" + name.split("_", 1)[1].lower() + r"\b"


def _whole_name(name: str) -> str:
    return rf"\b{name}\b"


# Settings a library reads: by prefix (or whole name), the package and the name it looks for.
LIBRARY_SETTINGS = {
    "ACCOUNT_": ("allauth", _allauth_name),
    "MFA_": ("allauth", _allauth_name),
    "USERSESSIONS_": ("allauth", _allauth_name),
    "AXES_": ("axes", _whole_name),
    "CELERY_": ("celery", _lower_name),
    "CRISPY_": ("crispy_forms", _whole_name),
    "PGHISTORY_": ("pghistory", _whole_name),
    "WHITENOISE_": ("whitenoise", _lower_name),
    "CONTENT_SECURITY_POLICY": ("csp", _whole_name),
    "ROOT_URLCONF": ("django", _whole_name),
}
# Names settings.py imports for its own use (django-csp's source keywords), not settings.
IMPORTED = {"NONCE", "NONE", "SELF"}


def _library_of(name: str):
    return next(
        (reader for prefix, reader in LIBRARY_SETTINGS.items() if name.startswith(prefix)), None
    )


def _set_here() -> list[str]:
    return [name for name in vars(ours) if name.isupper() and name not in IMPORTED]


def test_each_library_setting_is_read_by_its_library_or_our_code():
    # MFA_REQUIRED has allauth's prefix but is ours: accounts/middleware.py reads it.
    code = _our_code()
    sources = {}
    unread = []
    for name in _set_here():
        reader = _library_of(name)
        if reader is None:
            continue
        package, read_as = reader
        if package not in sources:
            sources[package] = _package_source(package)
        if not re.search(read_as(name), sources[package]) and not re.search(
            rf"\bsettings\.{name}\b", code
        ):
            unread.append(name)
    assert unread == []


def test_each_setting_of_our_own_is_read_by_our_code_or_builds_another_setting():
    """Not Django's, not a library's, not CONVENE_ (tested above): SESSION_IDLE_TIMEOUT,
    DEMO_MODE, REDIS_URL and the like. Nothing else reads them, so we must."""
    code = _our_code()
    settings_text = (ROOT / "config" / "settings.py").read_text()
    ours_only = [
        name
        for name in _set_here()
        if not hasattr(global_settings, name)
        and not name.startswith("CONVENE_")
        and _library_of(name) is None
    ]
    assert "SESSION_IDLE_TIMEOUT" in ours_only
    unread = [
        name
        for name in ours_only
        if not re.search(rf"\bsettings\.{name}\b", code)
        and len(re.findall(rf"\b{name}\b", settings_text)) < 2
    ]
    assert unread == []
