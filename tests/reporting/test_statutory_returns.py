"""The statutory returns page: who may use it, the downloads and their record, and the census
details recorded on a child."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts import services
from accounts.models import Role
from conferences.cases.episode_models import CinEpisode
from reporting.prepared import services as prepared_services
from reporting.prepared.models import PreparedExport
from statutory.models import StatutoryExport
from tests.factories import ChildFactory, PlanFactory, ProfessionalFactory, UserFactory

pytestmark = pytest.mark.django_db
CENSUS = {"year": 2014, "la": "855"}
ANNEX_A = {"start_0": 1, "start_1": 4, "start_2": 2014, "end_0": 31, "end_1": 3, "end_2": 2015}


def _exporter(**fields):
    user = UserFactory(roles=[Role.MANAGER], **fields)
    user.user_permissions.add(Permission.objects.get(codename="export_statutory_returns"))
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _prepared(client: Client, url: str, data: dict):
    """Ask for a return, make it as the worker would (the same service, here in the test's
    transaction: tests/reporting/test_prepared_exports.py runs it on a real worker), download."""
    asked = client.post(url, data)
    export = PreparedExport.objects.get(key=asked["Location"].split("/")[-2])
    assert asked["Location"] == reverse("reporting:prepared_export", args=[export.key])
    prepared_services.prepare(export.pk)
    return client.get(reverse("reporting:prepared_export_file", args=[export.key]))


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_a_manager_with_the_named_permission_reaches_the_returns(role):
    plain = _client(UserFactory(roles=[role]))
    census, annex_a = (
        reverse("reporting:census_prepare"),
        reverse("reporting:annex_a_prepare", args=["csv"]),
    )
    assert plain.get(reverse("reporting:statutory_returns")).status_code == 403
    assert plain.post(census, CENSUS).status_code == 403
    assert plain.post(annex_a, ANNEX_A).status_code == 403
    assert PreparedExport.objects.count() == 0
    if role == Role.MANAGER:
        allowed = _client(_exporter())
        assert allowed.get(reverse("reporting:statutory_returns")).status_code == 200
        assert allowed.post(census, CENSUS).status_code == 302
        assert allowed.post(annex_a, ANNEX_A).status_code == 302
        assert PreparedExport.objects.count() == 2


def test_the_menu_offers_the_returns_only_to_holders_of_the_permission(manager_client):
    assert "Statutory returns" not in manager_client.get(reverse("home")).content.decode()
    holder = _client(_exporter())
    assert "Statutory returns" in holder.get(reverse("home")).content.decode()


def test_downloading_the_census_is_recorded_with_who_and_when():
    user = _exporter()
    PlanFactory(child=ChildFactory(local_case_id="LC1"), started_on=date(2014, 6, 2))
    client = _client(user)
    response = _prepared(client, reverse("reporting:census_prepare"), CENSUS)
    assert response["Content-Disposition"] == 'attachment; filename="cin-census-855-2015.xml"'
    assert response.streaming  # read from the stored file a block at a time
    assert b"<LAchildID>LC1</LAchildID>" in b"".join(response.streaming_content)
    export = StatutoryExport.objects.get()
    assert (export.kind, export.records, export.exported_by) == ("cin_census", 1, user)
    assert (export.period_start, export.period_end) == (date(2014, 4, 1), date(2015, 3, 31))
    assert export.events.count() == 1  # the audit trail holds it too


def test_the_page_lists_convenes_checks_each_with_a_link_to_fix():
    child = ChildFactory(local_case_id="LC-1", ethnicity="")
    PlanFactory(child=child, started_on=date(2014, 6, 2), categories=["NEG"])
    client = _client(_exporter())
    page_url = reverse("reporting:statutory_returns")
    before = client.get(page_url, CENSUS).content.decode()
    assert "You have not checked this census yet" in before
    assert "must be 1 to 20 letters and digits" not in before  # nothing checked on a GET

    asked = client.post(reverse("reporting:census_checks_prepare"), CENSUS)
    export = PreparedExport.objects.get(kind="census_checks")
    assert asked["Location"] == reverse("reporting:prepared_export", args=[export.key])
    prepared_services.prepare(export.pk)  # as the worker would: test_prepared_exports runs one
    text = client.get(page_url, CENSUS).content.decode()
    assert "1 child with child protection activity" in text
    assert "must be 1 to 20 letters and digits" in text
    assert f'href="/children/{child.pk}/edit/"' in text
    assert f'href="/children/{child.pk}/referrals/"' in text  # no referral recorded


def test_bad_choices_are_named_beside_the_field_and_nothing_is_exported():
    client = _client(_exporter())
    for asking in ("reporting:census_prepare", "reporting:census_checks_prepare"):
        bad_la = client.post(reverse(asking), {"year": 2014, "la": "85"})
        assert bad_la.status_code == 400
        assert "Enter the authority&#x27;s three-digit DfE" in bad_la.content.decode()
    backwards = client.post(
        reverse("reporting:annex_a_prepare", args=["csv"]),
        {"start_0": 1, "start_1": 4, "start_2": 2015} | {"end_0": 1, "end_1": 4, "end_2": 2014},
    )
    assert backwards.status_code == 400
    assert "The end of the range must be on or after its start" in backwards.content.decode()
    unknown = reverse("reporting:annex_a_prepare", args=["pdf"])
    assert client.post(unknown, ANNEX_A).status_code == 404
    assert PreparedExport.objects.count() == 0
    assert StatutoryExport.objects.count() == 0


def test_annex_a_downloads_agree_and_a_formula_in_a_name_is_not_run():
    worker = ProfessionalFactory(full_name="=HYPERLINK(1)")
    child = ChildFactory(local_case_id="LC7", social_worker=worker)
    PlanFactory(child=child, started_on=date(2014, 6, 2), categories=["NEG"])
    client = _client(_exporter())
    csv_file = _prepared(client, reverse("reporting:annex_a_prepare", args=["csv"]), ANNEX_A)
    assert csv_file["Content-Disposition"] == (
        'attachment; filename="annex-a-list-7-2014-04-01-2015-03-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(csv_file.streaming_content).decode())))
    assert rows[1][0] == "LC7"
    assert rows[1][-1] == "'=HYPERLINK(1)"
    xlsx = _prepared(client, reverse("reporting:annex_a_prepare", args=["xlsx"]), ANNEX_A)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(2, 17).value == "'=HYPERLINK(1)"
    assert sheet.cell(2, 17).data_type == "s"
    assert list(StatutoryExport.objects.values_list("kind", "records")) == [
        ("annex_a_xlsx", 1),
        ("annex_a_csv", 1),
    ]


def test_an_administrator_grants_and_withdraws_the_returns_permission(
    administrator_client, manager, clerk
):
    url = reverse("staff:account_edit", args=[manager.pk])
    form = {"full_name": manager.full_name, "roles": ["manager"], "version": manager.version}
    administrator_client.post(url, form | {"submits_statutory_returns": "on"})
    # A grant applies only when a second administrator approves it (tests/accounts/test_grants.py).
    second = UserFactory(roles=["administrator"])
    services.approve_grant(actor=second, grant=manager.grant_requests.get())
    fresh = manager.__class__.objects.get(pk=manager.pk)
    assert fresh.has_perm("reporting.export_statutory_returns")
    refused = administrator_client.post(
        reverse("staff:account_edit", args=[clerk.pk]),
        {"full_name": clerk.full_name, "roles": ["clerk"], "version": clerk.version}
        | {"submits_statutory_returns": "on"},
    )
    assert "Only a manager may export statutory returns" in refused.content.decode()
    administrator_client.post(url, form | {"version": fresh.version})
    assert not manager.__class__.objects.get(pk=manager.pk).has_perm(
        "reporting.export_statutory_returns"
    )


def test_imported_children_to_complete_are_listed_as_far_as_the_viewer_may_see(clerk_client):
    shown = ChildFactory(local_case_id="IMP1", needs_completion=True)
    ChildFactory(local_case_id="IMP2", needs_completion=True, is_restricted=True)
    ChildFactory(local_case_id="DONE1")
    text = clerk_client.get(reverse("reporting:incomplete_children")).content.decode()
    assert f'href="/children/{shown.pk}/"' in text
    assert "IMP2" not in text
    assert "DONE1" not in text


def _episode_form(**changes):
    form = {
        "referral_on_0": "2",
        "referral_on_1": "6",
        "referral_on_2": "2014",
        "referral_source": "6",
        "primary_need": "N1",
        "s47_started_on_0": "4",
        "s47_started_on_1": "6",
        "s47_started_on_2": "2014",
    }
    return form | changes


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"referral_source": ""}, "referral_source", "Select the source of the referral"),
        (
            {"s47_started_on_0": "1"},
            "s47_started_on",
            "The section 47 enquiry cannot start before the referral",
        ),
        (
            {
                "assessment_authorised_on_0": "9",
                "assessment_authorised_on_1": "6",
                "assessment_authorised_on_2": "2014",
            },
            "assessment_started_on",
            "Enter when the assessment started",
        ),
        ({"assessment_factors": ["3B"]}, "assessment_factors", "Factors are recorded once"),
        ({"closure_reason": "RC7"}, "closed_on", "Enter the date the episode closed"),
    ],
)
def test_a_bad_referral_is_named_beside_the_field_and_nothing_saved(
    clerk_client, changes, field, message
):
    child = ChildFactory()
    url = reverse("conferences:episode_add", args=[child.pk])
    response = clerk_client.post(url, _episode_form(**changes))
    text = response.content.decode()
    assert message in text
    assert f'href="#id_{field}' in text  # in the error summary, linked to the field
    assert CinEpisode.objects.count() == 0


def test_a_referral_is_recorded_then_a_stale_edit_is_refused(clerk_client, manager_client):
    child = ChildFactory()
    clerk_client.post(reverse("conferences:episode_add", args=[child.pk]), _episode_form())
    episode = CinEpisode.objects.get()
    assert (episode.referral_on, episode.s47_started_on) == (date(2014, 6, 2), date(2014, 6, 4))
    assert episode.events.count() == 1
    url = reverse("conferences:episode_edit", args=[episode.pk])
    stale = _episode_form(version=str(episode.version))
    clerk_client.post(url, _episode_form(version=str(episode.version), primary_need="N4"))
    conflict = manager_client.post(url, stale | {"primary_need": "N5"})
    assert conflict.status_code == 409
    assert CinEpisode.objects.get().primary_need == "N4"


def test_a_upn_with_the_wrong_check_letter_is_refused_on_the_child(clerk_client):
    child = ChildFactory()
    form = {
        "local_case_id": child.local_case_id,
        "last_name": child.last_name,
        "sex": "U",
        "date_of_birth_0": "4",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2016",
        "upn": "A855100123456",
        "version": str(child.version),
    }
    response = clerk_client.post(reverse("conferences:child_edit", args=[child.pk]), form)
    assert "The UPN&#x27;s check letter does not match its digits: check the number" in (
        response.content.decode()
    )
    response = clerk_client.post(
        reverse("conferences:child_edit", args=[child.pk]), form | {"upn": "v855100123456"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.upn == "V855100123456"
