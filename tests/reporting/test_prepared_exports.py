"""Exports prepared by the worker: asked for, made a batch at a time with progress the person
waiting can see, downloaded only by who asked, recorded, and deleted when their time is up."""

import re
import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reporting.prepared import services
from reporting.prepared.models import ExportKind, PreparedExport
from statutory import annex_a
from statutory.census_export import census_xml
from statutory.models import StatutoryExport
from tests.factories import ChildFactory, PlanFactory, UserFactory

CENSUS = {"year": 2014, "la": "855"}
# The census header says when the file was written, to the second: the one line that may differ.
WRITTEN_AT = re.compile(rb"<DateTime>[^<]*</DateTime>")


def _exporter():
    user = UserFactory(roles=[Role.MANAGER])
    user.user_permissions.add(Permission.objects.get(codename="export_statutory_returns"))
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _children_on_plans(count: int) -> None:
    for number in range(count):
        PlanFactory(child=ChildFactory(local_case_id=f"LC{number:03}"), started_on=date(2014, 6, 2))


def _progress_seen(export) -> list[int]:
    """Every progress the export's row has held, oldest first, from its audit trail."""
    return list(export.events.order_by("pgh_id").values_list("progress", flat=True))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_census_is_prepared_by_a_real_worker_with_progress_and_only_its_asker_downloads_it(
    celery_worker,
):
    _children_on_plans(12)
    asker, other = _exporter(), _exporter()
    client = _signed_in(asker)
    asked = client.post(reverse("reporting:census_prepare"), CENSUS)
    export = PreparedExport.objects.get()
    page_url = reverse("reporting:prepared_export", args=[export.key])
    assert asked["Location"] == page_url
    status_url = reverse("reporting:prepared_export_status", args=[export.key])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = client.get(status_url).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    assert state["progress"] == 100
    history = _progress_seen(export)
    # The worker said how far it had got as it wrote the children, not only at the start and end.
    assert len([p for p in history if 5 < p < 95]) >= 10, history
    assert history == sorted(history)
    page = client.get(page_url).content.decode()
    assert "Download the file" in page
    assert 'aria-live="polite"' in page

    # Anyone else, even with the same permission, finds nothing there; signed out, sign in first.
    for url in (page_url, status_url, state["download_url"]):
        assert _signed_in(other).get(url).status_code == 404
        assert Client().get(url)["Location"].startswith(reverse("account_login"))
    assert StatutoryExport.objects.count() == 0  # nothing disclosed yet

    response = client.get(state["download_url"])
    assert response["Content-Disposition"] == 'attachment; filename="cin-census-855-2015.xml"'
    made = b"".join(response.streaming_content)
    assert WRITTEN_AT.sub(b"", made) == WRITTEN_AT.sub(b"", census_xml(2014, "855"))
    assert made.count(b"<LAchildID>") == 12
    recorded = StatutoryExport.objects.get()
    assert (recorded.kind, recorded.records, recorded.exported_by) == ("cin_census", 12, asker)


@pytest.mark.django_db
def test_the_file_address_says_nothing_about_what_is_in_it():
    _children_on_plans(1)
    asker = _exporter()
    export = services.request_export(actor=asker, kind=ExportKind.CIN_CENSUS, parameters=CENSUS)
    services.prepare(export.pk)
    export.refresh_from_db()
    url = reverse("reporting:prepared_export_file", args=[export.key])
    assert re.fullmatch(r"/reporting/exports/[0-9a-f-]{36}/file/", url)
    assert re.fullmatch(r"prepared/[0-9a-f-]{36}\.xml", export.file.name)


@pytest.mark.django_db
def test_annex_a_prepared_is_the_list_the_synchronous_builder_makes():
    _children_on_plans(5)
    asker = _exporter()
    export = services.request_export(
        actor=asker,
        kind=ExportKind.ANNEX_A_CSV,
        parameters={"start": "2014-04-01", "end": "2015-03-31"},
    )
    services.prepare(export.pk)
    export.refresh_from_db()
    expected = annex_a.csv_text(annex_a.rows(date(2014, 4, 1), date(2015, 3, 31))).encode()
    assert export.file.read() == expected
    assert (export.records, export.size, export.status) == (5, len(expected), "done")
    # With fewer plans than steps of the bar, it moves after each one.
    assert [p for p in _progress_seen(export) if 5 < p <= 95] == [23, 41, 59, 77, 95]


@pytest.mark.django_db
def test_a_withdrawn_permission_stops_the_download_of_a_file_already_made():
    _children_on_plans(1)
    asker = _exporter()
    export = services.request_export(actor=asker, kind=ExportKind.CIN_CENSUS, parameters=CENSUS)
    services.prepare(export.pk)
    asker.user_permissions.clear()
    client = _signed_in(type(asker).objects.get(pk=asker.pk))
    file_url = reverse("reporting:prepared_export_file", args=[export.key])
    assert client.get(file_url).status_code == 403
    assert StatutoryExport.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_export_says_so_without_quoting_what_failed():
    asker = _exporter()
    export = services.request_export(
        actor=asker,
        kind=ExportKind.CIN_CENSUS,
        parameters={"year": 2014},  # no authority
    )
    with pytest.raises(KeyError):
        services.prepare(export.pk)
    export.refresh_from_db()
    assert (export.status, export.error, bool(export.file)) == ("failed", "KeyError", False)
    assert export.progress == 1  # where it stopped: started, not back to nothing
    page = _signed_in(asker).get(reverse("reporting:prepared_export", args=[export.key]))
    assert "The file could not be made" in page.content.decode()


@pytest.mark.django_db
def test_expired_exports_and_their_files_are_deleted_and_no_longer_downloadable(
    django_capture_on_commit_callbacks,
):
    _children_on_plans(1)
    asker = _exporter()
    old, fresh = (
        services.request_export(actor=asker, kind=ExportKind.CIN_CENSUS, parameters=CENSUS)
        for _ in range(2)
    )
    for export in (old, fresh):
        services.prepare(export.pk)
    PreparedExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    client = _signed_in(asker)
    assert client.get(reverse("reporting:prepared_export_file", args=[old.key])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_expired() == 1
    assert not storage.exists(name)
    assert list(PreparedExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert old.events.filter(pgh_label="delete").count() == 1  # the deletion is in the audit trail
    assert (
        client.get(reverse("reporting:prepared_export_file", args=[fresh.key])).status_code == 200
    )


def test_the_beat_deletes_expired_exports_every_hour():
    from config.celery import _beat_schedule

    entry = _beat_schedule()["delete-expired-exports"]
    assert entry["task"] == "reporting.tasks.delete_expired_exports"
