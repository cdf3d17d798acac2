"""Secrets that travel in URL paths, and cutting them out of anything written to a log.

A questionnaire link and a password-reset (staff invitation) link carry their secret in the path;
a log line that kept it would hand out a working link. Query strings carry search terms (a
child's name), so access logs keep none at all.
"""

import logging
import re

CUT = "…"

# Each path segment that follows one of these prefixes is a secret (our feedback_urls.py and
# allauth's account URLs: reset/key/<uidb36>-<key>/ and confirm-email/<key>/).
_SECRET_SEGMENT = re.compile(
    r"(/feedback/|/accounts/password/reset/key/|/accounts/confirm-email/)[^/?#\s\"']+"
)


def cut_secrets(text: str) -> str:
    """The text with every secret path segment replaced by an ellipsis."""
    return _SECRET_SEGMENT.sub(rf"\1{CUT}", text)


def loggable_path(url: str) -> str:
    """A path or URL as it may be logged: no query string, no fragment, no secret segment."""
    return cut_secrets(url.split("?", 1)[0].split("#", 1)[0])


class CutSecretsFilter(logging.Filter):
    """For the application's log handlers: Django logs the path of every 4xx response
    ("Bad Request: /feedback/<token>/"), and a questionnaire sent back with a mistake is live."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cut = cut_secrets(message)
        if cut != message:
            record.msg, record.args = cut, None
        return True
