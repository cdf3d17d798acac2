"""The one contract of every write: audited_write, Refused shown by field, one conflict message."""

import ast
from datetime import date
from pathlib import Path

import pghistory
import pytest
from django import forms
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Team
from conferences.choices import ConferenceStatus, Stage
from config.concurrency import EDIT_CONFLICT
from config.services import Refused, audited_write, show_refusal
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    ProfessionalFactory,
    TeamFactory,
    at,
    make_conference,
)
from tests.html_elements import elements
from tests.source import PRODUCT_PACKAGES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = PRODUCT_PACKAGES
# A subclass kept because its caller needs more than messages: the census import reports each
# problem with the child and the place in the file it was found.
REFUSALS_KEPT = {("statutory/census_read.py", "CensusRefused")}


def _team_events(team_id: int):
    return pghistory.models.Events.objects.filter(pgh_obj_model="accounts.Team", pgh_obj_id=team_id)


def test_a_service_call_records_its_actor_and_action_in_the_audit_context(administrator):
    team = account_services.create_team(actor=administrator, name="Oadby locality")

    event = _team_events(team.pk).get()
    assert event.pgh_label == "insert"
    assert event.pgh_context == {"user": administrator.pk, "action": "create_team"}


def test_the_systems_own_write_is_recorded_with_no_user():
    team = account_services.create_team(actor=None, name="Wigston locality")

    assert _team_events(team.pk).get().pgh_context == {"action": "create_team"}


def test_a_refusal_inside_the_write_leaves_nothing_saved(administrator):
    def write_then_refuse():
        with audited_write(administrator, "create_team"):
            Team.objects.create(name="Lutterworth locality")
            raise Refused("Not today", field="name")

    with pytest.raises(Refused):
        write_then_refuse()

    assert not Team.objects.filter(name="Lutterworth locality").exists()


def test_a_refusal_carries_its_messages_by_field():
    refused = Refused({"held_on": ["Too early"], "": ["Not this one"]})

    assert refused.errors == {"held_on": ["Too early"], None: ["Not this one"]}
    assert refused.messages == ["Too early", "Not this one"]
    assert Refused("Whole form").errors == {None: ["Whole form"]}
    assert Refused("Beside it", field="name").errors == {"name": ["Beside it"]}


class _NameForm(forms.Form):
    name = forms.CharField()


def test_show_refusal_puts_a_message_beside_its_field_and_an_unknown_one_at_the_top():
    form = _NameForm({"name": "x"})
    assert form.is_valid()

    show_refusal(form, Refused({"name": ["Beside"], "nowhere": ["Lost?"], None: ["Top"]}))

    assert form.errors["name"] == ["Beside"]
    assert form.non_field_errors() == ["Lost?", "Top"]


def test_a_refusal_shows_beside_its_field_and_in_the_error_summary(clerk_client, iro):
    conference = make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2026, 12, 1)),
        status=ConferenceStatus.HELD,
    )
    message = "The dissent cannot be resolved before it was raised"

    response = clerk_client.post(
        reverse("complaints:dissent_add", args=[conference.pk]),
        {
            "agency": AgencyFactory().pk,
            "point": "Disagree with the category",
            "raised_on_0": 2,
            "raised_on_1": 12,
            "raised_on_2": 2026,
            "resolved_on_0": 1,
            "resolved_on_1": 12,
            "resolved_on_2": 2026,
        },
    )

    assert response.status_code == 200
    page = elements(response.content.decode())
    summary_links = [
        element for element in page if element.tag == "a" and message in "".join(element.itertext())
    ]
    assert [link.get("href") for link in summary_links] == ["#id_resolved_on"]
    beside = [
        element
        for element in page
        if "govuk-error-message" in (element.get("class") or "")
        and message in "".join(element.itertext())
    ]
    assert len(beside) == 1
    group = next(
        element
        for element in page
        if "govuk-form-group" in (element.get("class") or "") and beside[0] in element.iter()
    )
    assert any(element.get("name") == "resolved_on_0" for element in group.iter())


def _conflict_text(response) -> str:
    assert response.status_code == 409
    summary = next(
        element
        for element in elements(response.content.decode())
        if "govuk-error-summary__body" in (element.get("class") or "")
    )
    return " ".join("".join(summary.itertext()).split())


def test_two_different_edit_pages_say_the_same_thing_about_a_conflict(
    administrator_client, clerk_client
):
    team = TeamFactory(name="Melton locality")
    team_page = administrator_client.post(
        reverse("staff:team_edit", args=[team.pk]),
        {"name": "Melton Mowbray locality", "version": team.version - 1},
    )
    contact = ProfessionalFactory()
    contact_page = clerk_client.post(
        reverse("conferences:professional_edit", args=[contact.pk]),
        {
            "full_name": "Sam Patel",
            "email": "sam.patel@example.org",
            "agency": contact.agency_id,
            "version": contact.version - 1,
        },
    )

    assert _conflict_text(team_page) == _conflict_text(contact_page) == EDIT_CONFLICT


def _app_modules():
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text())


def test_no_module_has_its_own_refusal_or_opens_an_audit_context_by_hand():
    own_refusals, kept, contexts = [], set(), []
    for name, tree in _app_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith(("Refused", "Broken")):
                if name == "config/services.py" and node.name == "Refused":
                    continue
                bases = {ast.unparse(base) for base in node.bases}
                if (name, node.name) in REFUSALS_KEPT and "Refused" in bases:
                    kept.add((name, node.name))
                else:
                    own_refusals.append(f"{name}: {node.name}")
            is_context_call = isinstance(node, ast.Call) and ast.unparse(node.func) in {
                "pghistory.context",
                "context",
            }
            if is_context_call and name != "config/services.py":
                contexts.append(f"{name}:{node.lineno}")
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "pghistory"
                and any(alias.name == "context" for alias in node.names)
            ):
                contexts.append(f"{name}:{node.lineno} imports pghistory's context")

    assert own_refusals == [], "raise config.services.Refused instead"
    assert kept == REFUSALS_KEPT
    assert contexts == [], "open the audit context with config.services.audited_write"
