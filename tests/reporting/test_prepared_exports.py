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
from rules.periods import Period
from statutory import annex_a
from statutory.census_checks import problems
from statutory.census_data import children_in_batches
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


def _children_with_problems(count: int) -> None:
    """Children on plans whose census has problems: no referral, and for some no ethnicity."""
    for number in range(count):
        child = ChildFactory(local_case_id=f"LC{number:03}", ethnicity="" if number % 3 else "WBRI")
        PlanFactory(child=child, started_on=date(2014, 6, 2), categories=["NEG"])


def _problems_checked_while_waiting(year: int) -> list:
    """What the synchronous checker finds, every child read in the test's own process."""
    return problems(list(children_in_batches(Period(year))))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_census_checks_run_on_a_real_worker_and_the_page_lists_what_the_checker_finds(
    celery_worker,
):
    _children_with_problems(12)
    expected = _problems_checked_while_waiting(2014)
    assert len(expected) > 12  # each child has one problem at least, some two
    asker, other = _exporter(), _exporter()
    client = _signed_in(asker)
    returns_url = reverse("reporting:statutory_returns")
    asked = client.post(reverse("reporting:census_checks_prepare"), CENSUS)
    export = PreparedExport.objects.get()
    assert export.kind == ExportKind.CENSUS_CHECKS
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
    history = _progress_seen(export)
    assert len([p for p in history if 5 < p < 95]) >= 10, history
    assert history == sorted(history)
    assert export.events.filter(step="Checked 6 of 12 children").exists()
    # Done, the progress page links back to the returns page for that year and authority.
    assert state["download_url"] == f"{returns_url}?year=2014&la=855#census-checks"
    assert "See the problems found" in client.get(page_url).content.decode()

    page = client.get(returns_url, CENSUS)
    assert page.context["checks"]["problems"] == expected
    assert page.context["checks"]["problem_count"] == len(expected)
    assert page.context["checks"]["children"] == 12
    html = page.content.decode()
    assert f"{len(expected)} problems to fix" in html
    assert html.count("fix this record") == len(expected)

    # Anyone else, even with the same permission, finds nothing: not on the returns page either.
    for url in (page_url, status_url):
        assert _signed_in(other).get(url).status_code == 404
    theirs = _signed_in(other).get(returns_url, CENSUS)
    assert theirs.context["checks"] == {"export": None}
    assert "fix this record" not in theirs.content.decode()


@pytest.mark.django_db
def test_the_returns_page_lists_the_first_problems_of_the_latest_check_in_a_few_queries(
    django_assert_max_num_queries, monkeypatch
):
    from statutory import pages

    _children_with_problems(6)
    expected = _problems_checked_while_waiting(2014)
    asker = _exporter()
    older, latest = (
        services.request_export(actor=asker, kind=ExportKind.CENSUS_CHECKS, parameters=CENSUS)
        for _ in range(2)
    )
    services.prepare(older.pk)
    client = _signed_in(asker)
    # The latest check still running: the page says so and links to its progress.
    running = client.get(reverse("reporting:statutory_returns"), CENSUS).content.decode()
    assert reverse("reporting:prepared_export", args=[latest.key]) in running
    assert "fix this record" not in running
    services.prepare(latest.pk)
    monkeypatch.setattr(pages, "PROBLEMS_LISTED", 3)
    # Reading the head of the check's file: one query for the check, none reads a child or a
    # plan, however many there are (the rest are the session's, the same on every page).
    with django_assert_max_num_queries(14) as queries:
        page = client.get(reverse("reporting:statutory_returns"), CENSUS)
    sql = [query["sql"] for query in queries.captured_queries]
    assert len([q for q in sql if "reporting_preparedexport" in q]) == 1
    assert not [q for q in sql if "conferences_" in q]
    assert page.context["checks"]["export"] == latest
    assert page.context["checks"]["problems"] == expected[:3]
    assert page.context["checks"]["problem_count"] == len(expected)
    # Another year, or another authority, is another census: not checked yet.
    for other in ({"year": 2013, "la": "855"}, {"year": 2014, "la": "856"}):
        page = client.get(reverse("reporting:statutory_returns"), other)
        assert "You have not checked this census yet" in page.content.decode()


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


@pytest.mark.django_db
def test_a_failed_check_says_so_and_the_returns_page_offers_to_check_again():
    asker = _exporter()
    export = services.request_export(actor=asker, kind=ExportKind.CENSUS_CHECKS, parameters=CENSUS)
    # As prepare() leaves one whose checking raised (test_a_failed_export_says_so... above).
    PreparedExport.objects.filter(pk=export.pk).update(status="failed", step="Failed")
    client = _signed_in(asker)
    progress = client.get(reverse("reporting:prepared_export", args=[export.key]))
    assert "The census could not be checked" in progress.content.decode()
    page = client.get(reverse("reporting:statutory_returns"), CENSUS).content.decode()
    assert "Your last check of this census could not be finished" in page
    assert f'action="{reverse("reporting:census_checks_prepare")}"' in page
    assert "Check the census for 2014-15" in page
