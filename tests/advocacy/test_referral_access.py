"""Who may see an advocacy referral (404 otherwise) and who may act on it (403 otherwise)."""

from datetime import date

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from advocacy import services
from advocacy.models import Referral, ReferralConference
from conferences.choices import ConferenceStatus, Stage
from config.services import Refused
from tests.factories import ChildFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db
VIEWS = "I want to stay at my nan's"


def _referral(*, chair, advocate=None, views="", child=None, siblings=()):
    child = child or ChildFactory(first_name="Jordan", date_of_birth=date(2012, 1, 1))
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL), *((s, Stage.INITIAL) for s in siblings)],
        chair=chair,
        starts_at=at(date(2026, 12, 1)),
        status=ConferenceStatus.BOOKED,
    )
    referral = Referral.objects.create(child=child, advocate=advocate, young_person_views=views)
    ReferralConference.objects.create(referral=referral, conference=conference)
    return referral


def _signed_in(client, user):
    client.force_login(user)
    return client


def _urls(referral):
    return {
        name: reverse(f"advocacy:{name}", args=[referral.pk])
        for name in ("referral_detail", "take_referral", "record_views", "move_referral")
    }


def _writes(client, referral, *, take=True):
    """Post every change an advocate can make (taking it first, unless told not to); return
    each status."""
    today = timezone.localdate()
    urls = _urls(referral)
    return [
        *([client.post(urls["take_referral"]).status_code] if take else []),
        client.post(
            urls["record_views"], {"young_person_views": "Overwritten", "version": referral.version}
        ).status_code,
        client.post(
            urls["move_referral"],
            {
                "status": "contacted",
                "on_0": today.day,
                "on_1": today.month,
                "on_2": today.year,
                "version": referral.version,
            },
        ).status_code,
    ]


def _unchanged(referral):
    before = (referral.advocate_id, referral.status, referral.young_person_views)
    referral.refresh_from_db()
    return (referral.advocate_id, referral.status, referral.young_person_views) == before


def test_an_advocate_cannot_see_or_write_on_another_advocates_referral(client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE], full_name="Ada Vickers")
    ben = UserFactory(roles=[Role.ADVOCATE], full_name="Ben Okafor")
    referral = _referral(chair=iro, advocate=ada, views=VIEWS)
    _signed_in(client, ben)

    assert client.get(_urls(referral)["referral_detail"]).status_code == 404
    assert _writes(client, referral) == [404, 404, 404]
    assert _unchanged(referral)
    assert "Jordan" not in client.get(reverse("advocacy:tray")).content.decode()


def test_an_unassigned_referral_is_seen_by_every_advocate_and_taking_it_assigns_it(client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE], full_name="Ada Vickers")
    ben = UserFactory(roles=[Role.ADVOCATE], full_name="Ben Okafor")
    referral = _referral(chair=iro)
    for advocate in (ada, ben):
        _signed_in(client, advocate)
        assert "Jordan" in client.get(reverse("advocacy:tray")).content.decode()
        page = client.get(_urls(referral)["referral_detail"])
        assert page.status_code == 200
        assert "Take this referral" in page.content.decode()
    # Seeing it is not acting on it: an advocate takes it first.
    assert _writes(client, referral, take=False) == [403, 403]

    _signed_in(client, ada)
    response = client.post(_urls(referral)["take_referral"])

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.advocate == ada
    event = pghistory.models.Events.objects.filter(
        pgh_obj_model="advocacy.Referral", pgh_obj_id=referral.pk, pgh_label="update"
    ).get()
    assert event.pgh_context["user"] == ada.pk
    assert event.pgh_diff["advocate_id"] == [None, ada.pk]
    client.post(
        _urls(referral)["record_views"], {"young_person_views": VIEWS, "version": referral.version}
    )
    referral.refresh_from_db()
    assert referral.young_person_views == VIEWS
    _signed_in(client, ben)
    assert client.get(_urls(referral)["referral_detail"]).status_code == 404


def test_a_referral_taken_meanwhile_cannot_be_taken_again(iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    ben = UserFactory(roles=[Role.ADVOCATE])
    referral = _referral(chair=iro)
    as_ben_saw_it = Referral.objects.get(pk=referral.pk)
    services.take_referral(actor=ada, referral=referral)

    with pytest.raises(Refused, match="already taken"):
        services.take_referral(actor=ben, referral=as_ben_saw_it)
    with pytest.raises(PermissionDenied):
        services.take_referral(actor=ben, referral=referral)
    referral.refresh_from_db()
    assert referral.advocate == ada


def test_only_the_assigned_advocate_records_views_even_through_the_service(iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    ben = UserFactory(roles=[Role.ADVOCATE])
    referral = _referral(chair=iro, advocate=ada)
    with pytest.raises(PermissionDenied):
        services.record_views(
            actor=ben,
            referral=referral,
            views="Overwritten",
            supported_appeal=False,
            attended={},
            expected_version=referral.version,
        )
    with pytest.raises(PermissionDenied):
        services.move_referral(
            actor=ben,
            referral=referral,
            status="contacted",
            on=timezone.localdate(),
            expected_version=referral.version,
        )


def test_a_restricted_childs_unassigned_referral_is_seen_only_by_advocates_named_on_it(client, iro):
    named = UserFactory(roles=[Role.ADVOCATE])
    other = UserFactory(roles=[Role.ADVOCATE])
    child = ChildFactory(first_name="Jordan", date_of_birth=date(2012, 1, 1), is_restricted=True)
    child.named_staff.add(named, iro)
    referral = _referral(chair=iro, child=child)

    assert _signed_in(client, named).get(_urls(referral)["referral_detail"]).status_code == 200
    assert _signed_in(client, other).get(_urls(referral)["referral_detail"]).status_code == 404
    assert client.post(_urls(referral)["take_referral"]).status_code == 404


def test_the_chair_reads_the_shared_views_but_cannot_change_the_referral(client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    referral = _referral(chair=iro, advocate=ada, views=VIEWS)
    _signed_in(client, iro)

    page = client.get(_urls(referral)["referral_detail"])

    assert page.status_code == 200
    assert VIEWS.replace("'", "&#x27;") in page.content.decode()
    assert 'name="young_person_views"' not in page.content.decode()
    assert _writes(client, referral) == [403, 403, 403]
    assert _unchanged(referral)


def test_an_iro_sees_nothing_the_advocate_has_not_shared_with_them(client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    other_iro = UserFactory(roles=[Role.IRO])
    no_views_yet = _referral(chair=iro, advocate=ada)
    chaired_by_another = _referral(
        chair=other_iro,
        advocate=ada,
        views=VIEWS,
        child=ChildFactory(date_of_birth=date(2012, 1, 1)),
    )
    _signed_in(client, iro)

    assert client.get(_urls(no_views_yet)["referral_detail"]).status_code == 404
    assert client.get(_urls(chaired_by_another)["referral_detail"]).status_code == 404
    assert _writes(client, chaired_by_another) == [404, 404, 404]


def test_the_chair_cannot_read_views_about_a_child_hidden_from_them(client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    child = ChildFactory(date_of_birth=date(2012, 1, 1))
    hidden_sibling = ChildFactory(family=child.family, is_restricted=True)
    referral = _referral(
        chair=iro, advocate=ada, views=VIEWS, child=child, siblings=[hidden_sibling]
    )

    assert _signed_in(client, iro).get(_urls(referral)["referral_detail"]).status_code == 404


def test_a_clerk_reads_a_referral_but_cannot_change_it(clerk_client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    referral = _referral(chair=iro, advocate=ada, views=VIEWS)

    assert clerk_client.get(_urls(referral)["referral_detail"]).status_code == 200
    assert _writes(clerk_client, referral) == [403, 403, 403]
    assert _unchanged(referral)


def test_the_tray_does_not_show_a_conference_hidden_from_the_clerk(clerk_client, iro):
    ada = UserFactory(roles=[Role.ADVOCATE])
    child = ChildFactory(first_name="Jordan", date_of_birth=date(2012, 1, 1))
    hidden_sibling = ChildFactory(family=child.family, is_restricted=True)
    secret_chair = UserFactory(roles=[Role.IRO], full_name="Ophelia Quist")
    referral = _referral(chair=secret_chair, advocate=ada, child=child, siblings=[hidden_sibling])

    tray = clerk_client.get(reverse("advocacy:tray")).content.decode()
    detail = clerk_client.get(_urls(referral)["referral_detail"]).content.decode()

    assert "Jordan" in tray
    assert "Ophelia Quist" not in tray
    assert "Ophelia Quist" not in detail


def test_the_tray_takes_the_same_number_of_queries_for_more_referrals(advocate_client, iro):
    _referral(chair=iro)
    advocate_client.get(reverse("advocacy:tray"))  # the first request also records the session
    with CaptureQueriesContext(connection) as one:
        advocate_client.get(reverse("advocacy:tray"))
    for _ in range(3):
        _referral(chair=iro, child=ChildFactory(date_of_birth=date(2012, 1, 1)))
    with CaptureQueriesContext(connection) as four:
        page = advocate_client.get(reverse("advocacy:tray"))

    assert page.content.decode().count("Not assigned") == 4
    assert len(four) == len(one)
