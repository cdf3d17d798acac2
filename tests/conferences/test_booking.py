"""Booking conferences: stages per child, timescales, continuity, clashes and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.booking.services import (
    BookingRequest,
    ChildAtBooking,
    ParticipantAtBooking,
    book_conference,
)
from conferences.choices import ConferenceStatus, Stage
from conferences.models import Conference, Invitation
from config.services import Refused
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    PlanFactory,
    UserFactory,
    VenueFactory,
    at,
    make_conference,
    police_officer,
)

pytestmark = pytest.mark.django_db


def in_days(days: int, hour: int = 10):
    return at(timezone.localdate() + timedelta(days=days), hour)


@pytest.fixture
def siblings():
    family = FamilyFactory(name="Hartley")
    older = ChildFactory(family=family, first_name="Ruby")
    PlanFactory(child=older, started_on=timezone.localdate() - timedelta(days=80))
    make_conference(
        children_stages=[(older, Stage.INITIAL)],
        chair=UserFactory(roles=[Role.IRO]),
        starts_at=at(timezone.localdate() - timedelta(days=80)),
        status=ConferenceStatus.HELD,
    )
    younger = ChildFactory(family=family, first_name="Leo")
    return family, older, younger


def _request(family, places, *, chair, days=5, **extra):
    return BookingRequest(
        family=family,
        children=[ChildAtBooking(child=child, stage=stage) for child, stage in places],
        starts_at=in_days(days),
        venue=extra.pop("venue", None) or VenueFactory(name="Room 1"),
        chair=chair,
        **extra,
    )


def test_siblings_at_different_stages_share_one_review_initial_meeting(clerk, iro, siblings):
    family, older, younger = siblings
    conference = book_conference(
        actor=clerk,
        request=_request(
            family,
            [(older, Stage.FIRST_REVIEW), (younger, Stage.INITIAL)],
            chair=iro,
            out_of_timescale_reason="",
        ),
    )
    stages = dict(conference.attendees.values_list("child__first_name", "stage"))
    assert stages == {"Ruby": Stage.FIRST_REVIEW, "Leo": Stage.INITIAL}
    from rules.meetings import MeetingType, meeting_type

    assert meeting_type(stages.values()) == MeetingType.REVIEW_AND_INITIAL
    conference.refresh_from_db()  # kept by the database as the places were booked
    assert conference.meeting_type == MeetingType.REVIEW_AND_INITIAL


def test_each_child_gets_their_own_due_date(clerk, iro, siblings):
    family, older, younger = siblings
    conference = book_conference(
        actor=clerk,
        request=_request(
            family, [(older, Stage.FIRST_REVIEW), (younger, Stage.INITIAL)], chair=iro
        ),
    )
    due = dict(conference.attendees.values_list("child__first_name", "due_on"))
    from rules.working_days import WorkingCalendar, add_months

    assert due["Ruby"] == add_months(older.plans.get().started_on, 3)
    assert due["Leo"] == WorkingCalendar().add_working_days(younger.strategy_discussion_on, 15)


def _refusal(clerk, request) -> dict:
    before = Conference.objects.count()
    with pytest.raises(Refused) as refused:
        book_conference(actor=clerk, request=request)
    assert Conference.objects.count() == before  # nothing half-saved
    return refused.value.errors


def test_a_chair_who_is_already_booked_at_that_time_is_refused(clerk, iro, siblings):
    family, _, younger = siblings
    other = ChildFactory()
    make_conference(children_stages=[(other, Stage.INITIAL)], chair=iro, starts_at=in_days(5, 11))
    errors = _refusal(clerk, _request(family, [(younger, Stage.INITIAL)], chair=iro))
    assert "already chairing a conference at that time" in errors["chair"][0]


def test_a_venue_already_booked_is_refused(clerk, iro, siblings):
    family, _, younger = siblings
    room = VenueFactory(name="Room 1")
    make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=UserFactory(roles=[Role.IRO]),
        starts_at=in_days(5, 9),
        venue=room,
    )
    errors = _refusal(clerk, _request(family, [(younger, Stage.INITIAL)], chair=iro, venue=room))
    assert "Room 1 is already booked at that time" in errors["venue"][0]


def test_a_child_already_booked_at_that_time_is_refused(clerk, iro, siblings):
    family, _, younger = siblings
    make_conference(
        children_stages=[(younger, Stage.INITIAL)],
        chair=UserFactory(roles=[Role.IRO]),
        starts_at=in_days(5, 10),
    )
    errors = _refusal(clerk, _request(family, [(younger, Stage.INITIAL)], chair=iro))
    assert "already has a conference at that time" in errors["children"][-1]


def test_back_to_back_conferences_do_not_clash(clerk, iro, siblings):
    family, _, younger = siblings
    make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)], chair=iro, starts_at=in_days(5, 8)
    )
    assert book_conference(
        actor=clerk, request=_request(family, [(younger, Stage.INITIAL)], chair=iro)
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("review_without_plan", "has no open child protection plan"),
        ("initial_with_plan", "already has an open child protection plan"),
        ("pre_birth_for_born_child", "has been born"),
        ("before_birth", "before"),
        ("in_the_past", "The date is in the past"),
        ("chair_not_iro", "is not an IRO"),
        ("interpreter_in_family", "must not be a family member or connected to the family"),
    ],
)
def test_bad_bookings_are_refused_with_a_clear_message(clerk, iro, siblings, setup, message):
    family, older, younger = siblings
    chair, days, places, extra = iro, 5, [(younger, Stage.INITIAL)], {}
    if setup == "review_without_plan":
        places = [(younger, Stage.REVIEW)]
    elif setup == "initial_with_plan":
        places = [(older, Stage.INITIAL)]
    elif setup == "pre_birth_for_born_child":
        places = [(younger, Stage.PRE_BIRTH)]
    elif setup == "before_birth":
        younger.date_of_birth = timezone.localdate() + timedelta(days=30)
        younger.save()
        extra["is_past_record"] = True
    elif setup == "in_the_past":
        days = -2
    elif setup == "chair_not_iro":
        chair = UserFactory(roles=[Role.CLERK])
    elif setup == "interpreter_in_family":
        extra["participants"] = [
            ParticipantAtBooking(
                kind="parent",
                name="Dana Hartley",
                attendance_mode="in_person",
                interpreter_language="Polish",
                interpreter_connected_to_family=True,
            )
        ]
    errors = _refusal(clerk, _request(family, places, chair=chair, days=days, **extra))
    assert any(message in text for texts in errors.values() for text in texts), errors


def test_a_past_conference_can_be_recorded_when_marked_as_such(clerk, iro, siblings):
    family, _, younger = siblings
    younger.strategy_discussion_on = timezone.localdate() - timedelta(days=10)
    younger.save()
    conference = book_conference(
        actor=clerk,
        request=_request(
            family, [(younger, Stage.INITIAL)], chair=iro, days=-2, is_past_record=True
        ),
    )
    assert conference.is_past_record


def test_a_conference_after_the_due_date_needs_a_reason(clerk, iro, siblings):
    family, _, younger = siblings
    younger.strategy_discussion_on = timezone.localdate() - timedelta(days=40)
    younger.save()
    errors = _refusal(clerk, _request(family, [(younger, Stage.INITIAL)], chair=iro))
    assert "after the due date" in errors["out_of_timescale_reason"][0]
    conference = book_conference(
        actor=clerk,
        request=_request(
            family,
            [(younger, Stage.INITIAL)],
            chair=iro,
            out_of_timescale_reason="Mother in hospital until the 12th",
        ),
    )
    assert conference.out_of_timescale_reason == "Mother in hospital until the 12th"


def test_the_previous_chair_is_suggested_first_with_their_week(clerk_client, siblings):
    family = siblings[0]
    previous = Conference.objects.get(family=family).chair
    UserFactory(roles=[Role.IRO], full_name="Aaron Abbott")

    response = clerk_client.get(reverse("conferences:book", args=[family.pk]))

    choices = response.context["form"].fields["chair"].choices
    assert choices[1][0] == previous.pk
    assert "chaired this family's last conference" in choices[1][1]
    assert "booked in week of" in choices[1][1]
    assert response.context["form"]["chair"].value() == previous.pk


def test_booking_through_the_page_with_a_police_invitation_warns_of_short_notice(
    clerk_client, iro, siblings
):
    family, older, younger = siblings
    officer = police_officer(full_name="PC Sam Patel")
    day = timezone.localdate() + timedelta(days=5)
    response = clerk_client.post(
        reverse("conferences:book", args=[family.pk]),
        {
            f"stage_{older.pk}": Stage.FIRST_REVIEW,
            f"stage_{younger.pk}": Stage.INITIAL,
            "held_on_0": day.day,
            "held_on_1": day.month,
            "held_on_2": day.year,
            "start_time": "10:00",
            "duration_minutes": 120,
            "venue": VenueFactory(name="Room 2").pk,
            "chair": iro.pk,
            "invitees": [officer.pk],
            "participants-TOTAL_FORMS": 2,
            "participants-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Review/Initial conference" in body
    assert "Short notice for the police: PC Sam Patel gets 5 days" in body
    assert Invitation.objects.filter(professional=officer).exists()


def test_a_booking_form_error_is_shown_beside_the_field_and_in_the_summary(clerk_client, siblings):
    family, _, younger = siblings
    response = clerk_client.post(
        reverse("conferences:book", args=[family.pk]),
        {
            f"stage_{younger.pk}": Stage.INITIAL,
            "start_time": "25:99",
            "duration_minutes": 120,
            "participants-TOTAL_FORMS": 2,
            "participants-INITIAL_FORMS": 0,
        },
    )
    body = response.content.decode()
    assert body.count("Enter the start time like 10:00 or 14:30") == 2
    assert body.count("Select the venue") == 2
    assert "<title>Error:" in body
    assert not Conference.objects.filter(family=family, status=ConferenceStatus.BOOKED).exists()


def test_a_half_filled_participant_row_is_explained_in_the_summary(clerk_client, iro, siblings):
    family, _, younger = siblings
    day = timezone.localdate() + timedelta(days=5)
    response = clerk_client.post(
        reverse("conferences:book", args=[family.pk]),
        {
            f"stage_{younger.pk}": Stage.INITIAL,
            "held_on_0": day.day,
            "held_on_1": day.month,
            "held_on_2": day.year,
            "start_time": "10:00",
            "duration_minutes": 120,
            "venue": VenueFactory(name="Room 3").pk,
            "chair": iro.pk,
            "participants-TOTAL_FORMS": 2,
            "participants-INITIAL_FORMS": 0,
            "participants-0-kind": "parent",
            "participants-0-attendance_mode": "in_person",
            "participants-0-interpreter_language": "Polish",
            "participants-1-attendance_mode": "in_person",
        },
    )
    body = response.content.decode()
    assert body.count("Enter the person&#x27;s name") == 2
    assert not Conference.objects.filter(family=family, status=ConferenceStatus.BOOKED).exists()


def test_the_chair_of_a_conference_hidden_from_the_clerk_is_not_suggested(clerk_client, siblings):
    family, older, _ = siblings
    visible_chair = Conference.objects.get(family=family).chair
    hidden = ChildFactory(family=family, first_name="Kai", is_restricted=True)
    secret_chair = UserFactory(roles=[Role.IRO], full_name="Ophelia Quist")
    make_conference(
        children_stages=[(older, Stage.FIRST_REVIEW), (hidden, Stage.INITIAL)],
        chair=secret_chair,
        starts_at=at(timezone.localdate() - timedelta(days=10)),
        status=ConferenceStatus.HELD,
    )

    response = clerk_client.get(reverse("conferences:book", args=[family.pk]))

    labels = dict(response.context["form"].fields["chair"].choices)
    assert "chaired this family's last conference" not in labels[secret_chair.pk]
    assert "chaired this family's last conference" in labels[visible_chair.pk]
    assert response.context["form"]["chair"].value() == visible_chair.pk


def test_rebooking_a_conference_of_another_family_is_not_found(clerk_client, iro, siblings):
    family = siblings[0]
    elsewhere = make_conference(
        children_stages=[(ChildFactory(), Stage.INITIAL)],
        chair=iro,
        starts_at=in_days(3),
        status=ConferenceStatus.POSTPONED,
    )
    url = reverse("conferences:book", args=[family.pk])

    assert clerk_client.get(f"{url}?rebook={elsewhere.pk}").status_code == 404
    assert clerk_client.get(f"{url}?rebook=not-a-number").status_code == 404
