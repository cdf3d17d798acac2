"""Trays, the chair's calendars, the challenge tray, the notification log and the data quality
page show a bounded list, say how many more there are, and run the same number of queries for 3
records as for 30."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.booking import tray_views
from conferences.challenges import views as challenge_views
from conferences.choices import ConferenceStatus, Stage
from conferences.models import Challenge, ChallengeReason
from notifications import views as notification_views
from notifications.models import Notification
from reporting import quality
from statutory import views as statutory_views
from tests.conferences.test_query_counts import _busy_family
from tests.factories import ChildFactory, LocalityFactory, at, make_conference

pytestmark = pytest.mark.django_db


def _family(chair, number: int) -> None:
    _busy_family(chair)


def _challenge(raised_by, number: int) -> None:
    Challenge.objects.create(
        raised_by=raised_by,
        level=1,
        reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
        detail="Drift",
        raised_on=timezone.localdate() - timedelta(days=3),
        response_due_on=timezone.localdate() + timedelta(days=2),
        raised_with_team=LocalityFactory(),
        child=ChildFactory(),
    )


def _notification(iro, number: int) -> None:
    Notification.objects.create(
        key=f"bounded:{number}",
        kind="test",
        recipient_email="jo@csc.example",
        subject="Report due",
        body="B",
        status="failed",
    )


def _imported(iro, number: int) -> None:
    ChildFactory(local_case_id=f"IMP{number:03}", needs_completion=True)


def _in_chairs_week(chair, number: int) -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    make_conference(
        children_stages=[(ChildFactory(), Stage.REVIEW)],
        chair=chair,
        starts_at=at(monday + timedelta(days=number % 5), hour=8 + number % 9),
        status=ConferenceStatus.BOOKED,
    )


def _in_future(chair, number: int) -> None:
    make_conference(
        children_stages=[(ChildFactory(), Stage.REVIEW)],
        chair=chair,
        starts_at=at(timezone.localdate() + timedelta(days=1 + number)),
        status=ConferenceStatus.BOOKED,
    )


# Each page: the client that reads it, its address, and how to add one more of what it lists.
PAGES = {
    "clerk's tray": ("clerk_client", lambda iro: reverse("conferences:clerk_tray"), _family),
    "chair's week": (
        "iro_client",
        lambda iro: reverse("conferences:chair_week") + f"?chair={iro.pk}",
        _in_chairs_week,
    ),
    "my conferences": ("iro_client", lambda iro: reverse("conferences:my_conferences"), _in_future),
    "challenges": ("iro_client", lambda iro: reverse("conferences:challenge_tray"), _challenge),
    "notification log": (
        "clerk_client",
        lambda iro: reverse("conferences:notification_log"),
        _notification,
    ),
    "data quality": ("manager_client", lambda iro: reverse("reporting:data_quality"), _family),
    "imported children to complete": (
        "clerk_client",
        lambda iro: reverse("reporting:incomplete_children"),
        _imported,
    ),
}


def _add(adder, iro, how_many: int, start: int) -> None:
    for number in range(start, start + how_many):
        adder(iro, number)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_a_list_page_runs_as_many_queries_for_30_records_as_for_3(request, iro, page):
    client_name, url_of, adder = PAGES[page]
    client, url = request.getfixturevalue(client_name), url_of(iro)
    client.get(url)  # the session's one-off work
    _add(adder, iro, 3, 0)
    with_three = _queries(client, url)
    _add(adder, iro, 27, 3)
    assert _queries(client, url) == with_three


BOUNDS = [
    ("clerk's tray", tray_views, "TRAY_LISTED", 5),  # each of its five lists
    ("chair's week", tray_views, "CHAIR_LISTED", 1),
    ("my conferences", tray_views, "CHAIR_LISTED", 1),
    ("challenges", challenge_views, "AWAITING_LISTED", 1),
    ("challenges", challenge_views, "ALL_LISTED", 1),
    ("notification log", notification_views, "LISTED", 1),
    ("imported children to complete", statutory_views, "INCOMPLETE_LISTED", 1),
]


@pytest.mark.parametrize(("page", "module", "bound", "lists"), BOUNDS)
def test_a_list_shows_its_first_rows_and_says_how_many_more(
    request, iro, monkeypatch, page, module, bound, lists
):
    # A bound of 4 stands for the page's own (50 to 200), so the test needs only 7 records.
    monkeypatch.setattr(module, bound, 4)
    client_name, url_of, adder = PAGES[page]
    _add(adder, iro, 7, 100)
    text = request.getfixturevalue(client_name).get(url_of(iro)).content.decode()
    assert text.count("Showing the first 4 of 7. 3 more") == lists


def test_data_quality_lists_its_first_records_and_says_how_many_more(
    manager_client, iro, monkeypatch
):
    monkeypatch.setattr(quality, "LISTED", 4)
    _add(_family, iro, 7, 0)
    text = manager_client.get(reverse("reporting:data_quality")).content.decode()
    assert "Unborn child past the expected date of birth: 7" in text
    assert "The first 4 are listed; 3 more are not." in text


def test_the_notification_log_counts_up_to_its_ceiling_and_says_more_than(
    clerk_client, iro, monkeypatch
):
    # A national log holds millions: past the ceiling the page says "more than", not how many.
    monkeypatch.setattr(notification_views, "LISTED", 2)
    monkeypatch.setattr(notification_views, "COUNTED_UP_TO", 4)
    _add(_notification, iro, 7, 200)
    text = clerk_client.get(reverse("conferences:notification_log")).content.decode()
    assert "Showing the first 2 of more than 4. More than 2 more" in text


def test_the_notification_log_counts_exactly_up_to_its_ceiling(clerk_client, iro, monkeypatch):
    monkeypatch.setattr(notification_views, "LISTED", 2)
    monkeypatch.setattr(notification_views, "COUNTED_UP_TO", 4)
    _add(_notification, iro, 4, 300)
    text = clerk_client.get(reverse("conferences:notification_log")).content.decode()
    assert "Showing the first 2 of 4. 2 more" in text
