"""Optimistic locking: an edit names the version it started from and fails if that has moved on.

Two clerks editing the same record must never silently overwrite each other. Each editable
model carries a ``version`` number; a form posts the version it showed, and the service saves
only if the row still has that version, bumping it in the same UPDATE.
"""

from django.db import models


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
