"""Fetching a prepared export for the user who asked for it, and nobody else."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reporting.prepared.kinds import may_ask
from reporting.prepared.models import PreparedExport


def get_export_for(user, export_key: UUID) -> PreparedExport:
    """The user's own export, still in its time, or 404: to anyone else it does not exist, and
    its address (a random key) says nothing about what is in it. 403 if the user may no longer
    ask for its kind (a permission withdrawn since)."""
    export = get_object_or_404(
        PreparedExport, key=export_key, requested_by=user, expires_at__gt=timezone.now()
    )
    if not may_ask(user, export.kind):
        raise PermissionDenied
    return export
