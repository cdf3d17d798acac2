"""Optimistic locking: an edit names the version it started from and fails if that has moved on.

Two clerks editing the same record must never silently overwrite each other. Each editable
model carries a ``version`` number; a form posts the version it showed, and the service saves
only if the row still has that version, bumping it in the same UPDATE.
"""

from django.contrib import messages
from django.db import models
from django.http import HttpRequest


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_if_unchanged(instance: Versioned, *, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` of ``instance`` only if its row is still at ``expected_version``."""
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=models.F("version") + 1, **values
    )
    if updated == 0:
        raise EditConflict
    instance.version = expected_version + 1


# The one thing every edit page says when another person's save got in first.
EDIT_CONFLICT = (
    "Someone else changed this record while you were editing it. "
    "Check their changes below and make yours again."
)


def show_conflict(request: HttpRequest, context: dict | None = None) -> None:
    """Say that the edit lost to someone else's: in the error summary of the form page being
    shown again (its ``context``, rendered with ``partials/conflict.html``), or, for a page
    without one, as an error message on the page the person is sent to."""
    if context is None:
        messages.error(request, EDIT_CONFLICT)
    else:
        context["conflict"] = EDIT_CONFLICT
