"""Automatic and manual referrals to the advocacy service, and what an advocate may see."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from advocacy import counts
from advocacy.models import Referral, ReferralConference
from conferences.booking.services import BookingRequest, ChildAtBooking, book_conference
from conferences.choices import Stage
from conferences.models import Notification
from rules.ages import age_on
from tests.factories import ChildFactory, UserFactory, VenueFactory, at

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 15)


def _book(clerk, iro, child, day=DAY, hour=10):
    return book_conference(
        actor=clerk,
        request=BookingRequest(
            family=child.family,
            children=[ChildAtBooking(child=child, stage=Stage.INITIAL)],
            starts_at=at(day, hour),
            venue=VenueFactory(name=f"Room {hour}"),
            chair=iro,
            is_past_record=day < timezone.localdate(),
            out_of_timescale_reason="Testing",
        ),
    )


@pytest.mark.parametrize(
    ("born", "referred"),
    [
        (date(2016, 12, 15), True),  # exactly 10 on the conference date
        (date(2016, 12, 16), False),  # 9 years and 364 days
        (date(2006, 12, 15), True),
    ],
)
def test_a_young_person_of_ten_on_the_conference_date_is_referred_at_booking(
    clerk, iro, born, referred
):
    child = ChildFactory(date_of_birth=born, strategy_discussion_on=DAY - timedelta(days=5))
    _book(clerk, iro, child)
    assert Referral.objects.filter(child=child).exists() is referred


def test_a_child_born_on_29_february_is_ten_only_from_1_march():
    born = date(2016, 2, 29)
    assert age_on(born, date(2026, 2, 28)) == 9
    assert age_on(born, date(2026, 3, 1)) == 10
    assert age_on(born, date(2024, 2, 29)) == 8


def test_no_referral_for_a_leap_day_child_before_their_birthday(clerk, iro):
    child = ChildFactory(date_of_birth=date(2017, 2, 28), strategy_discussion_on=date(2027, 2, 10))
    leap = ChildFactory(
        family=child.family,
        date_of_birth=date(2016, 2, 29),
        strategy_discussion_on=date(2026, 2, 10),
    )
    _book(clerk, iro, leap, day=date(2026, 2, 27))
    assert not Referral.objects.filter(child=leap).exists()


def test_later_conferences_attach_to_the_one_open_referral(clerk, iro):
    child = ChildFactory(
        date_of_birth=date(2012, 1, 1), strategy_discussion_on=DAY - timedelta(days=5)
    )
    _book(clerk, iro, child)
    _book(clerk, iro, child, day=DAY + timedelta(days=1), hour=11)
    referral = Referral.objects.get(child=child)
    assert ReferralConference.objects.filter(referral=referral).count() == 2
    assert Notification.objects.filter(kind="advocacy_referral").count() == 1


def test_a_restricted_childs_referral_goes_only_to_the_named_advocate(clerk, iro):
    advocate = UserFactory(roles=[Role.ADVOCATE], email="named@advocacy.example")
    child = ChildFactory(
        date_of_birth=date(2012, 1, 1),
        strategy_discussion_on=DAY - timedelta(days=5),
        is_restricted=True,
    )
    child.named_staff.add(advocate, clerk)
    _book(clerk, iro, child)
    referral = Referral.objects.get(child=child)
    assert referral.advocate == advocate
    assert (
        Notification.objects.get(kind="advocacy_referral").recipient_email
        == "named@advocacy.example"
    )


def test_an_advocate_sees_referred_young_people_but_not_others(client, clerk, iro):
    advocate = UserFactory(roles=[Role.ADVOCATE])
    client.force_login(advocate)
    referred = ChildFactory(
        date_of_birth=date(2012, 1, 1), strategy_discussion_on=DAY - timedelta(days=5)
    )
    _book(clerk, iro, referred)
    referral = Referral.objects.get(child=referred)
    restricted = ChildFactory(
        date_of_birth=date(2012, 1, 1),
        strategy_discussion_on=DAY - timedelta(days=5),
        is_restricted=True,
    )
    restricted.named_staff.add(clerk)
    _book(clerk, iro, restricted, hour=12)
    hidden = Referral.objects.get(child=restricted)

    assert client.get(reverse("advocacy:referral_detail", args=[referral.pk])).status_code == 200
    assert client.get(reverse("advocacy:referral_detail", args=[hidden.pk])).status_code == 404
    tray = client.get(reverse("advocacy:tray")).content.decode()
    assert escape(str(referred)) in tray  # a name like O'Neill is HTML-escaped on the page
    assert escape(str(restricted)) not in tray
    assert client.get(reverse("conferences:child_detail", args=[referred.pk])).status_code == 403


def test_the_advocate_moves_a_referral_on_and_records_views_the_chair_sees(
    client, clerk, iro, iro_client
):
    advocate = UserFactory(roles=[Role.ADVOCATE])
    client.force_login(advocate)
    child = ChildFactory(
        date_of_birth=date(2012, 1, 1), strategy_discussion_on=DAY - timedelta(days=5)
    )
    conference = _book(clerk, iro, child)
    referral = Referral.objects.get(child=child)
    client.post(reverse("advocacy:take_referral", args=[referral.pk]))
    referral.refresh_from_db()
    url = reverse("advocacy:move_referral", args=[referral.pk])
    today = timezone.localdate()
    skipped = client.post(
        url,
        {
            "status": "accepted",
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "version": referral.version,
        },
    )
    assert skipped.status_code == 400  # accepted is not offered before first contact
    client.post(
        url,
        {
            "status": "contacted",
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "version": referral.version,
        },
    )
    referral.refresh_from_db()
    assert (referral.status, referral.contacted_on) == ("contacted", today)
    client.post(
        reverse("advocacy:record_views", args=[referral.pk]),
        {"young_person_views": "I want my mum to stop shouting", "version": referral.version},
    )
    iro_client.post(reverse("conferences:record_start", args=[conference.pk]))
    record_page = iro_client.get(reverse("conferences:record_edit", args=[conference.pk]))
    assert "I want my mum to stop shouting" in record_page.content.decode()


def test_a_manual_referral_needs_a_conference(clerk_client):
    child = ChildFactory(date_of_birth=date(2020, 1, 1))
    response = clerk_client.post(reverse("advocacy:refer", args=[child.pk]), {})
    assert "has no conference" in response.content.decode()
    assert not Referral.objects.exists()


def test_counts_include_support_that_began_the_year_before():
    child = ChildFactory()
    Referral.objects.create(
        child=child,
        referred_on=date(2014, 2, 1),
        status="supporting",
        accepted_on=date(2014, 2, 10),
        support_started_on=date(2014, 2, 20),
    )
    other = ChildFactory()
    Referral.objects.create(
        child=other, referred_on=date(2014, 6, 1), status="declined", declined_on=date(2014, 6, 8)
    )
    year = (date(2014, 4, 1), date(2015, 3, 31))
    assert counts.referrals_made(*year) == 1
    assert counts.provided_to(*year) == 1
    assert counts.declined(*year) == 1
