"""Every write to a prepared export: asking for one, the worker's progress and file, handing
the file over, and deleting files past their time."""

import logging
import tempfile
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.services import audited_write, write_service
from reporting.prepared.kinds import KINDS, may_ask
from reporting.prepared.models import ExportKind, PreparationStatus, PreparedExport

log = logging.getLogger(__name__)


@write_service("ask_for_export")
def request_export(*, actor: User, kind: ExportKind, parameters: dict) -> PreparedExport:
    """A new export for ``actor``, queued for the worker once this transaction commits."""
    if not may_ask(actor, kind):
        raise PermissionDenied
    export = PreparedExport.objects.create(requested_by=actor, kind=kind, parameters=parameters)
    transaction.on_commit(lambda: _queue(export.pk), robust=True)
    return export


def _queue(export_id) -> None:
    from reporting.tasks import prepare_export

    try:
        prepare_export.apply_async(args=[export_id], retry=False)
    except Exception:  # the broker is down: the page says it is waiting
        log.warning("prepared export %s could not be queued", export_id)


def _progress(export_id, percent: int, step: str, **fields) -> None:
    # Its own short write, committed at once, so the person waiting sees each step as it happens.
    with audited_write(None, "export_progress"):
        PreparedExport.objects.filter(pk=export_id).update(progress=percent, step=step, **fields)


def prepare(export_id) -> None:
    """Make the export's file, saying how far it has got as it goes, and keep it in the default
    storage. Safe to run twice: an export that is already done is left alone."""
    export = PreparedExport.objects.filter(pk=export_id).first()
    if export is None:  # deleted as expired, or another database's message: nothing to make
        log.warning("prepared export %s not found", export_id)
        return
    if export.status == PreparationStatus.DONE:
        return
    kind = KINDS[export.kind]
    _progress(export.pk, 1, "Starting", status=PreparationStatus.RUNNING)
    try:
        # On disk, not in memory: a national census is hundreds of megabytes.
        with tempfile.TemporaryFile() as out:
            records = kind.build(
                export.parameters, out, lambda percent, step: _progress(export.pk, percent, step)
            )
            size = out.tell()
            _progress(export.pk, 96, "Saving the file")
            out.seek(0)
            field = PreparedExport._meta.get_field("file")
            suffix = PurePosixPath(kind.file_name(export.parameters)).suffix
            # Named by the export's random key only: nothing about who or what is in it.
            name = field.storage.save(f"{field.upload_to}{export.key}{suffix}", File(out))
        with audited_write(None, "export_prepared"):
            PreparedExport.objects.filter(pk=export.pk).update(
                status=PreparationStatus.DONE,
                progress=100,
                step="Ready",
                file=name,
                size=size,
                records=records,
                finished_at=timezone.now(),
            )
    except Exception as error:
        # The bar stays where it stopped, so the service desk can see how far it got.
        with audited_write(None, "export_progress"):
            PreparedExport.objects.filter(pk=export.pk).update(
                step="Failed",
                status=PreparationStatus.FAILED,
                error=type(error).__name__,  # the class only: messages may quote case data
                finished_at=timezone.now(),
            )
        raise


def hand_over(*, actor: User, export: PreparedExport):
    """The file, opened for reading, for the user who asked for it; a statutory return records
    the disclosure first, in its own audited write."""
    if export.requested_by_id != actor.pk or not export.is_ready:
        raise PermissionDenied
    KINDS[export.kind].handed_over(actor, export)
    return export.file.open("rb")


def delete_expired(*, now=None) -> int:
    """Delete exports past their time, and their files once that is committed; returns how many.
    One still queued or running when its time is up (a day, by default) was abandoned."""
    now = now or timezone.now()
    with audited_write(None, "delete_expired_exports"):
        expired = list(
            PreparedExport.objects.select_for_update(skip_locked=True)
            .filter(expires_at__lt=now)
            .values_list("pk", "file")
        )
        PreparedExport.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
        storage = PreparedExport._meta.get_field("file").storage
        names = [name for _, name in expired if name]
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(expired)
