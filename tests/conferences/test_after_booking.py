"""After booking: invitations sent, postponing and rebooking, attendance and report receipt."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.choices import AgencyKind, ConferenceStatus, Stage
from conferences.models import Conference, PostponementReason
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    ProfessionalFactory,
    VenueFactory,
    at,
    invite,
    make_conference,
    police_officer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(iro):
    child = ChildFactory()
    return make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() + timedelta(days=9)),
        venue=VenueFactory(name="Room 9"),
    )


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_recording_invitations_as_sent_clears_them_from_the_tray(clerk_client, booked):
    invitation = invite(booked, police_officer())
    assert (
        booked.family.name in clerk_client.get(reverse("conferences:clerk_tray")).content.decode()
    )

    today = timezone.localdate()
    response = clerk_client.post(
        reverse("conferences:invitations_sent", args=[booked.pk]),
        {**_date("sent_on", today), "invitations": [invitation.pk]},
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.sent_on == today


def test_postponing_keeps_the_history_and_the_rebooking_links_back(clerk_client, booked, iro):
    reason, _ = PostponementReason.objects.get_or_create(label="Family request")
    response = clerk_client.post(
        reverse("conferences:postpone", args=[booked.pk]),
        {"action": "postpone", "reason": reason.pk, "version": booked.version},
    )
    assert response["Location"].endswith(f"?rebook={booked.pk}")
    booked.refresh_from_db()
    assert booked.status == ConferenceStatus.POSTPONED

    child = booked.attendees.get().child
    day = timezone.localdate() + timedelta(days=12)
    clerk_client.post(
        response["Location"],
        {
            f"stage_{child.pk}": Stage.INITIAL,
            **_date("held_on", day),
            "start_time": "13:30",
            "duration_minutes": 90,
            "venue": booked.venue_id,
            "chair": iro.pk,
            "out_of_timescale_reason": "Family asked for a later date",
            "participants-TOTAL_FORMS": 0,
            "participants-INITIAL_FORMS": 0,
        },
    )
    rebooked = Conference.objects.get(rebooked_from=booked)
    assert rebooked.status == ConferenceStatus.BOOKED
    page = clerk_client.get(reverse("conferences:conference_detail", args=[booked.pk]))
    assert "Postponed: Family request" in page.content.decode()


def test_other_as_a_reason_needs_an_explanation(clerk_client, booked):
    other, _ = PostponementReason.objects.get_or_create(
        label="Other", defaults={"needs_detail": True}
    )
    response = clerk_client.post(
        reverse("conferences:postpone", args=[booked.pk]),
        {"action": "cancel", "reason": other.pk, "detail": "", "version": booked.version},
    )
    assert "Explain the reason" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == ConferenceStatus.BOOKED


def test_attendance_makes_the_conference_held_and_shows_the_quorum(clerk_client, iro):
    child = ChildFactory()
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    social_worker = ProfessionalFactory(
        agency=AgencyFactory(name="Children's social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    )
    police = police_officer()
    health = ProfessionalFactory(
        agency=AgencyFactory(name="Health", kind=AgencyKind.HEALTH_VISITOR)
    )
    rows = [invite(conference, person) for person in (social_worker, police, health)]
    data = {}
    for row, attendance in zip(rows, ["attended", "attended", "report_only"], strict=True):
        data[f"i{row.pk}-attendance"] = attendance
        data[f"i{row.pk}-attendance_mode"] = "in_person" if attendance == "attended" else ""

    response = clerk_client.post(reverse("conferences:attendance", args=[conference.pk]), data)

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD
    page = clerk_client.get(reverse("conferences:conference_detail", args=[conference.pk]))
    assert "Not quorate" in page.content.decode()


def test_report_receipt_is_classified_on_the_conference_page(clerk_client, iro):
    child = ChildFactory()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)], chair=iro, starts_at=at(monday)
    )
    clerk_client.post(
        reverse("conferences:report_receipt", args=[conference.pk]),
        {**_date("family_received_on", monday - timedelta(days=2)), "chair_not_received": "on"},
    )
    body = clerk_client.get(
        reverse("conferences:conference_detail", args=[conference.pk])
    ).content.decode()
    assert "Received: Previous working day" in body
    assert "Received: Not received" in body
