"""The audit trail: every domain model is tracked, history is append-only, and names the user."""

import re
from html import unescape

import pghistory.models
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import Team
from reporting.audit.trail import tracked_models
from tests.factories import ChildFactory, PlanFactory, TeamFactory, UserFactory

OUR_APPS = {"accounts", "conferences", "advocacy", "complaints", "reporting"}


def _domain_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not issubclass(model, pghistory.models.Event)
        and not model._meta.proxy
    ]


def _event_models():
    return {
        model.pgh_tracked_model: model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and model.pgh_tracked_model
    }


# Logs that are themselves the audit: append-only in the database instead of tracked twice.
# A released copy's PDF is evidence kept whole, never changed or removed (history would copy
# every PDF).
SELF_AUDITING = {"conferences.RecordAccess", "conferences.ReleasedCopy"}
# Scratch copies of typing, replaced every few seconds; the record they feed is audited.
SCRATCH = {"conferences.RecordDraft"}
# Facts the database works out from audited records, in the same transaction, and can work out
# again from them at any time (rules/categories.py): their history is the records'.
DERIVED = {"conferences.PlanCategorySpan"}


def test_every_domain_model_records_inserts_updates_and_deletes():
    events_by_model = _event_models()
    for model in _domain_models():
        if model._meta.label in SELF_AUDITING | SCRATCH | DERIVED:
            continue
        event_model = events_by_model.get(model)
        assert event_model is not None, f"{model._meta.label} is not audited"
        labels = {tracker.label for tracker in event_model.pgh_trackers}
        assert {"insert", "update", "delete"} <= labels, model._meta.label


def test_the_audit_covers_the_models_it_should():
    assert {"accounts.User", "accounts.Team"} <= set(tracked_models())


@pytest.mark.django_db
def test_history_rows_cannot_be_changed_or_removed():
    team = TeamFactory(name="Charnwood locality")
    event_table = _event_models()[Team]._meta.db_table
    for statement in (
        f"UPDATE {event_table} SET name = 'Rewritten' WHERE pgh_obj_id = %s",
        f"DELETE FROM {event_table} WHERE pgh_obj_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [team.pk])
    assert pghistory.models.Events.objects.filter(pgh_obj_id=team.pk).exists()


@pytest.mark.django_db
def test_deleting_a_record_leaves_a_delete_event():
    team = TeamFactory(name="Blaby locality")
    team_id = team.pk
    team.delete()
    labels = list(
        pghistory.models.Events.objects.filter(
            pgh_obj_model="accounts.Team", pgh_obj_id=team_id
        ).values_list("pgh_label", flat=True)
    )
    assert sorted(labels) == ["delete", "insert"]


def test_a_change_made_through_a_view_leaves_a_history_row_naming_the_user(
    administrator, administrator_client
):
    team = TeamFactory(name="Harborough locality")

    response = administrator_client.post(
        reverse("staff:team_edit", args=[team.pk]),
        {"name": "Market Harborough locality", "version": team.version},
    )

    assert response.status_code == 302
    event = (
        pghistory.models.Events.objects.filter(
            pgh_obj_model="accounts.Team", pgh_obj_id=team.pk, pgh_label="update"
        )
        .order_by("-pgh_created_at")
        .get()
    )
    assert event.pgh_context["user"] == administrator.pk
    assert event.pgh_context["url"] == reverse("staff:team_edit", args=[team.pk])
    assert event.pgh_diff["name"] == ["Harborough locality", "Market Harborough locality"]


def test_a_manager_can_open_the_history_of_a_record_and_sees_who_changed_it(
    administrator, administrator_client, manager_client
):
    team = TeamFactory(name="Oadby locality")
    administrator_client.post(
        reverse("staff:team_edit", args=[team.pk]),
        {"name": "Oadby and Wigston locality", "version": team.version},
    )

    response = manager_client.get(
        reverse("reporting:record_history", args=["accounts.Team", team.pk])
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert administrator.full_name in body
    assert "Oadby and Wigston locality" in body


def test_history_of_an_untracked_model_or_missing_record_is_not_found(manager_client):
    assert (
        manager_client.get(
            reverse("reporting:record_history", args=["sessions.Session", 1])
        ).status_code
        == 404
    )
    assert (
        manager_client.get(
            reverse("reporting:record_history", args=["accounts.Team", 999999])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("role_client", ["iro_client", "clerk_client", "advocate_client"])
def test_only_managers_and_administrators_read_the_audit_trail(request, role_client):
    client = request.getfixturevalue(role_client)
    assert client.get(reverse("reporting:audit_log")).status_code == 403


def test_the_audit_log_page_keeps_a_constant_number_of_queries(
    manager_client, assert_constant_queries
):
    batch = iter(range(1000))

    def add_changes():
        for _ in range(15):
            number = next(batch)
            team = TeamFactory(name=f"Team {number}")
            UserFactory(team=team, full_name=f"Person {number}")
            child = ChildFactory(first_name=f"Child {number}")
            PlanFactory(child=child)

    assert_constant_queries(manager_client, reverse("reporting:audit_log"), add_changes)
    body = manager_client.get(reverse("reporting:audit_log")).content.decode()
    assert body.count("govuk-table__row") == 51  # heading row and the latest 50 changes


def test_the_audit_log_pages_through_older_changes(manager_client):
    for number in range(60):
        TeamFactory(name=f"Team {number:02d}")

    first = manager_client.get(reverse("reporting:audit_log")).content.decode()
    older = re.search(r'href="(\?older=[^"]+)"', first)
    assert older
    second = manager_client.get(reverse("reporting:audit_log") + unescape(older[1]))
    second = second.content.decode()

    assert "govuk-pagination" in first
    assert "?newer=" not in first
    assert "Team 59" in first
    assert "Team 00" not in first
    assert "Team 00" in second
    assert "Team 59" not in second
    assert "?newer=" in second
    assert manager_client.get(reverse("reporting:audit_log") + "?older=x").status_code == 404


def test_a_record_history_page_keeps_a_constant_number_of_queries(
    manager_client, assert_constant_queries
):
    team = TeamFactory(name="Rutland locality")
    batch = iter(range(1000))

    def add_changes():
        for _ in range(15):
            team.name = f"Rutland locality {next(batch)}"
            team.save()

    assert_constant_queries(
        manager_client,
        reverse("reporting:record_history", args=["accounts.Team", team.pk]),
        add_changes,
    )


def test_self_auditing_logs_are_append_only_in_the_database():
    for label in SELF_AUDITING:
        model = apps.get_model(label)
        triggers = {trigger.name for trigger in model._meta.triggers}
        assert any("append_only" in name for name in triggers), label
