"""The audit trail shows a case record's history only where the record itself may be seen, hides
the values of case records from administrators, and never shows a secret to anyone."""

from datetime import date, timedelta

import pghistory.models
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Attendance, Stage
from conferences.questionnaires.services import send_agency_questionnaires
from conferences.record.models import SafetyEntry
from conferences.record.services import start_record
from reporting.audit import trail as audit
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    ProfessionalFactory,
    TeamFactory,
    UserFactory,
    at,
    invite,
    make_conference,
)

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Zephaniah"
HIDDEN_BIRTHDAY = date(2013, 2, 17)


def _restricted_child(*named):
    child = ChildFactory(first_name=HIDDEN_NAME, date_of_birth=HIDDEN_BIRTHDAY, is_restricted=True)
    child.named_staff.add(*named)
    return child


def _body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _history_url(label: str, pk: int) -> str:
    return reverse("reporting:record_history", args=[label, pk])


def test_a_manager_not_named_on_a_restricted_child_does_not_see_it_in_the_audit_trail(
    manager_client,
):
    _restricted_child(UserFactory(roles=[Role.MANAGER]))

    body = _body(manager_client, reverse("reporting:audit_log"))

    assert HIDDEN_NAME not in body
    assert "17 February 2013" not in body
    assert "2013-02-17" not in body
    assert "conferences.Child" not in body


def test_a_manager_not_named_on_a_restricted_child_cannot_open_its_history(manager_client):
    child = _restricted_child(UserFactory(roles=[Role.MANAGER]))

    response = manager_client.get(_history_url("conferences.Child", child.pk))

    assert response.status_code == 404


def test_a_restricted_family_hides_its_childrens_history_too(manager_client):
    family = FamilyFactory(is_restricted=True)
    child = ChildFactory(family=family, first_name=HIDDEN_NAME)

    assert manager_client.get(_history_url("conferences.Family", family.pk)).status_code == 404
    assert manager_client.get(_history_url("conferences.Child", child.pk)).status_code == 404
    assert HIDDEN_NAME not in _body(manager_client, reverse("reporting:audit_log"))


def test_a_manager_named_on_a_restricted_child_sees_its_history_with_values(
    manager, manager_client
):
    child = _restricted_child(manager)

    body = _body(manager_client, _history_url("conferences.Child", child.pk))

    assert HIDDEN_NAME in body
    assert HIDDEN_NAME in _body(manager_client, reverse("reporting:audit_log"))


def test_not_for_the_family_entries_of_a_hidden_childs_conference_stay_out_of_the_trail(
    manager_client,
):
    child = _restricted_child()
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=UserFactory(roles=[Role.IRO]),
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    entry = SafetyEntry.objects.create(
        record=start_record(actor=conference.chair, conference=conference),
        column="worries",
        kind="harm",
        text="Police intelligence: not for the family",
        visibility="not_family",
    )

    body = _body(manager_client, reverse("reporting:audit_log"))

    assert "Police intelligence" not in body
    assert "conferences.SafetyEntry" not in body
    assert manager_client.get(_history_url("conferences.SafetyEntry", entry.pk)).status_code == 404
    assert (
        manager_client.get(_history_url("conferences.Conference", conference.pk)).status_code == 404
    )


def test_an_administrator_sees_who_changed_a_child_and_when_but_not_its_values(
    administrator_client,
):
    clerk = UserFactory(roles=[Role.CLERK], full_name="Cressida Clerkwell")
    child = ChildFactory(first_name="Philippa", date_of_birth=HIDDEN_BIRTHDAY)
    with pghistory.context(user=clerk.pk):
        child.first_name = "Philomena"
        child.save()

    for url in (reverse("reporting:audit_log"), _history_url("conferences.Child", child.pk)):
        body = _body(administrator_client, url)
        assert "Cressida Clerkwell" in body
        assert f"conferences.Child {child.pk}" in body
        assert "first_name" in body  # what changed, not what it changed to
        assert "Philippa" not in body
        assert "Philomena" not in body
        assert "2013-02-17" not in body
        assert child.family.name not in body


def test_an_administrator_still_sees_the_values_of_the_accounts_they_administer(
    administrator_client,
):
    team = TeamFactory(name="Melton locality")

    body = _body(administrator_client, _history_url("accounts.Team", team.pk))

    assert "Melton locality" in body


def test_an_administrator_cannot_open_the_history_of_a_restricted_child(administrator_client):
    child = _restricted_child(UserFactory(roles=[Role.MANAGER]))

    response = administrator_client.get(_history_url("conferences.Child", child.pk))

    assert response.status_code == 404
    assert f"conferences.Child {child.pk}" not in _body(
        administrator_client, reverse("reporting:audit_log")
    )


@pytest.mark.parametrize("reader", ["manager_client", "administrator_client"])
def test_a_questionnaire_link_in_a_notification_is_never_shown(request, reader, iro, settings):
    settings.CONVENE_BASE_URL = "https://convene.example"
    child = ChildFactory()
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    invite(conference, ProfessionalFactory(), attendance=Attendance.ATTENDED)
    send_agency_questionnaires(actor=iro, conference=conference)
    notification = apps.get_model("conferences.Notification").objects.get(
        kind="agency_questionnaire"
    )
    link = apps.get_model("conferences.FeedbackLink").objects.get()
    client = request.getfixturevalue(reader)

    for url in (
        reverse("reporting:audit_log"),
        _history_url("conferences.Notification", notification.pk),
        _history_url("conferences.FeedbackLink", link.pk),
    ):
        body = _body(client, url)
        assert "/feedback/" not in body
        assert "convene.example" not in body
        assert link.token_hash not in body
        assert "token_hash" not in body


def test_every_tracked_model_says_whose_records_its_history_belongs_to():
    for label in audit.tracked_models():
        homes = [
            label in audit.CASE_RECORDS,
            label in audit.SERVICE_RECORDS,
            label in audit.ADMINISTERED,
        ]
        assert homes.count(True) == 1, (
            f"{label}: say in reporting/audit/trail.py whose records it holds"
        )


def test_every_case_record_path_leads_to_a_child_family_or_conference():
    events = {
        event.pgh_tracked_model._meta.label: event for event in audit._event_models().values()
    }
    targets = {"child": "conferences.Child", "family": "conferences.Family"}
    targets["conference"] = "conferences.Conference"
    for label, links in audit.CASE_RECORDS.items():
        for kind, path in links.items():
            model = events[label]
            for step in path.split("__"):
                model = model._meta.get_field(step).related_model
            assert model._meta.label == targets[kind], (label, path)


SECRET_WORDS = ("token", "secret", "password", "hash", "otp", "recovery", "seed", "body")


def test_every_tracked_field_that_looks_secret_is_never_shown():
    for event in audit._event_models().values():
        label = event.pgh_tracked_model._meta.label
        for field in event._meta.concrete_fields:
            if field.name.startswith("pgh_"):
                continue
            if any(word in field.name for word in SECRET_WORDS):
                assert field.attname in audit.NEVER_SHOWN.get(label, ()), (
                    f"{label}.{field.name}: add it to NEVER_SHOWN in reporting/audit/trail.py"
                )


def test_an_administrator_named_on_a_restricted_child_sees_who_changed_it_not_its_values(
    administrator, administrator_client
):
    child = _restricted_child(administrator)

    body = _body(administrator_client, _history_url("conferences.Child", child.pk))

    assert f"conferences.Child {child.pk}" in body
    assert HIDDEN_NAME not in body
