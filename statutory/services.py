"""Every write for statutory returns: the record of each download. Making a return only reads."""

from datetime import date

from django.core.exceptions import PermissionDenied

from accounts.models import User
from config.services import audited_write
from statutory.models import ReturnKind, StatutoryExport

PERMISSION = "reporting.export_statutory_returns"


def can_export(user: User) -> bool:
    """Whether the user may see the returns' checks and download them: the named permission,
    which an administrator grants and a second administrator approves."""
    return user.has_perm(PERMISSION)


def record_statutory_download(
    *, actor: User, kind: ReturnKind, period_start: date, period_end: date, records: int
) -> StatutoryExport:
    """Keep who took which return, for which period, holding how many records (children for the
    census, plans for Annex A). It is written by the request that hands the file over, as the
    access log is: it is the record of a disclosure, so it cannot wait for a later request."""
    if not can_export(actor):
        raise PermissionDenied
    if period_end < period_start:
        raise ValueError("A return's period cannot end before it starts")
    with audited_write(actor, f"export_{kind}"):
        return StatutoryExport.objects.create(
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            records=records,
            exported_by=actor,
        )
