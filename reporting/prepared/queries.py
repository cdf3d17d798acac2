"""Fetching a prepared export for the user who asked for it, and nobody else."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reporting.prepared.kinds import may_ask
from reporting.prepared.models import ExportKind, PreparedExport
from statutory.census_checks import read_checks


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


def latest_census_checks_for(user, *, year: int, la: str) -> PreparedExport | None:
    """The user's latest check of this census still in its time (queued, running, failed or
    done), or None: each manager sees only the checks they asked for."""
    return (
        PreparedExport.objects.filter(
            requested_by=user,
            kind=ExportKind.CENSUS_CHECKS,
            parameters__year=year,
            parameters__la=la,
            expires_at__gt=timezone.now(),
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


def census_checks_found(export: PreparedExport, *, listed: int) -> dict:
    """What a finished check found: children checked, problems counted, and the first
    ``listed`` problems, read from the head of its file (never the whole of it)."""
    with export.file.open("rb") as lines:
        return read_checks(lines, listed=listed)
