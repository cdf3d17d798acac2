"""The audit trail pages by position (keyset), not by counting rows: each page reads its next rows
from the event tables' indexes, sees every change once however the trail grows, and carries no
names in its links."""

import re
from html import unescape
from urllib.parse import unquote

import pghistory.models
import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.audit import trail as audit
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

OLDER = re.compile(r'href="\?older=([^"]+)"')


def _key(position: audit.Position) -> tuple:
    return (position.happened_at, position.event_label, position.pgh_id)


def _trail_order(keys) -> list:
    """The trail's order, worked out in Python: newest first, then by event table, then newest
    row; the same events may share a time (one transaction), so the tie-breaks matter."""
    by_row = sorted(keys, key=lambda key: -key[2])
    by_table = sorted(by_row, key=lambda key: key[1])
    return sorted(by_table, key=lambda key: key[0], reverse=True)


def _every_event() -> list:
    return _trail_order(
        (event.pgh_created_at, event.pgh_model, event.pgh_id)
        for event in pghistory.models.Events.objects.across(*audit._event_models().values())
    )


def _changes(count: int) -> None:
    teams = [TeamFactory(name=f"Team {number}") for number in range(max(1, count // 3))]
    while count > len(teams):
        for team in teams[: count - len(teams)]:
            team.name += "!"
            team.save()
        count -= len(teams)


def _older_link(body: str) -> str | None:
    found = OLDER.search(body)
    return unquote(unescape(found.group(1))) if found else None


def test_paging_through_120_changes_visits_each_once_in_order_with_constant_queries(
    manager, manager_client, django_assert_num_queries
):
    _changes(120)
    expected = _every_event()
    assert len(expected) > 120

    url = reverse("reporting:audit_log")
    manager_client.get(url)  # a session's first request does one-off work
    with CaptureQueriesContext(connection) as first:
        body = manager_client.get(url).content.decode()
    visited, pages = [], 1
    page = audit.recent_entries(manager)
    visited.extend(_key(entry.position) for entry in page.entries)
    link = _older_link(body)
    while link is not None:
        with django_assert_num_queries(len(first)):
            body = manager_client.get(url, {"older": link}).content.decode()
        page = audit.recent_entries(manager, older_than=audit.Position.from_token(link))
        visited.extend(_key(entry.position) for entry in page.entries)
        pages += 1
        link = _older_link(body)
        assert (link is None) == (page.older is None)

    assert visited == expected
    assert pages == -(-len(expected) // audit.PAGE_SIZE)


def test_a_change_arriving_between_pages_neither_repeats_nor_skips_a_change(manager):
    _changes(120)
    before = _every_event()

    visited = []
    page = audit.recent_entries(manager)
    while True:
        visited.extend(_key(entry.position) for entry in page.entries)
        if page.older is None:
            break
        _changes(1)  # newer than anything shown: it belongs on the first page
        page = audit.recent_entries(manager, older_than=page.older)

    assert visited == before


def test_the_newer_changes_link_leads_back_to_the_page_before(manager):
    _changes(160)
    first = audit.recent_entries(manager)
    second = audit.recent_entries(manager, older_than=first.older)
    third = audit.recent_entries(manager, older_than=second.older)

    back = audit.recent_entries(manager, newer_than=third.newer)
    assert [entry.position for entry in back.entries] == [
        entry.position for entry in second.entries
    ]
    assert back.has_previous
    assert back.has_next
    top = audit.recent_entries(manager, newer_than=back.newer)
    assert [entry.position for entry in top.entries] == [entry.position for entry in first.entries]
    assert not top.has_previous


@pytest.mark.parametrize(
    "older",
    [
        "not-a-position",
        "tampered",
        signing.dumps("2026-01-01", salt="reporting.audit.position"),
        signing.dumps(["2026-01-01T00:00:00", "accounts.Team", 1], salt="reporting.audit.position"),
        signing.dumps(["2026-01-01T00:00:00", "accounts.TeamEvent", 1], salt="another.salt"),
    ],
    # Signed values carry the time they were made: named ids, so every test process collects
    # the same tests.
    ids=["garbage", "tampered", "wrong-shape", "wrong-table", "wrong-salt"],
)
def test_a_position_we_did_not_make_is_not_found(manager, manager_client, older):
    _changes(60)
    if older == "tampered":
        real = audit.recent_entries(manager).older.token()
        older = real[:-1] + ("A" if real[-1] != "A" else "B")
    for name in ("audit_log", "record_history"):
        args = [] if name == "audit_log" else ["accounts.Team", 1]
        response = manager_client.get(reverse(f"reporting:{name}", args=args), {"older": older})
        assert response.status_code == 404
        response = manager_client.get(reverse(f"reporting:{name}", args=args), {"newer": older})
        assert response.status_code == 404


def test_a_page_link_carries_only_a_time_a_table_and_a_row_id(manager, manager_client):
    _changes(60)
    body = manager_client.get(reverse("reporting:audit_log")).content.decode()
    happened_at, event_label, pgh_id = signing.loads(
        _older_link(body), salt="reporting.audit.position"
    )
    last = audit.recent_entries(manager).entries[-1].position
    assert happened_at == last.happened_at.isoformat()
    assert event_label == last.event_label == "accounts.TeamEvent"
    assert pgh_id == last.pgh_id
    assert "page=" not in body


def test_a_deep_page_reads_from_a_position_without_offset(manager, manager_client):
    _changes(120)
    first = audit.recent_entries(manager)
    second = audit.recent_entries(manager, older_than=first.older)
    team = next(entry for entry in first.entries if entry.model_label == "accounts.Team")
    for url in (
        reverse("reporting:audit_log") + f"?older={second.older.token()}",
        reverse("reporting:record_history", args=["accounts.Team", team.object_id])
        + f"?older={team.position.token()}",
    ):
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200
        trail_sql = [query["sql"] for query in captured if "pgh_created_at" in query["sql"]]
        assert trail_sql
        assert not any("OFFSET" in sql.upper() for sql in trail_sql)
        assert any("(pgh_created_at, pgh_id) < (" in sql for sql in trail_sql)


def test_every_event_table_is_indexed_in_the_trails_order():
    for event_model in audit._event_models().values():
        table = event_model._meta.db_table
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        assert any(
            found["index"]
            and found["columns"] == ["pgh_created_at", "pgh_id"]
            and found["orders"] == ["DESC", "DESC"]
            for found in constraints.values()
        ), table
