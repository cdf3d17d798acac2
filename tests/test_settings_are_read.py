"""Every setting Convene sets is read: by Django or a library it configures, or by our code."""

import re
from pathlib import Path

from django.conf import global_settings, settings
from django.utils import formats, translation

import config.settings as ours

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = ("accounts", "advocacy", "complaints", "conferences", "config", "reporting")


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
