"""Complaints by stage with working-day due dates, appeals, dissent, and who may see them."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from complaints import services
from complaints.models import Complaint, ComplaintReason
from conferences import sweeps
from conferences.choices import ConferenceStatus, Stage
from conferences.models import Notification
from config.services import Refused
from tests.factories import AgencyFactory, ChildFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(iro):
    return make_conference(
        children_stages=[(ChildFactory(first_name="Ruby"), Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2026, 12, 1)),
        status=ConferenceStatus.HELD,
    )


@pytest.fixture
def reason():
    return ComplaintReason.objects.get_or_create(
        label="Parent dispute over the process or conduct of the meeting"
    )[0]


def _log(clerk, conference, reason, received=date(2026, 11, 16)):
    return services.log_complaint(
        actor=clerk,
        conference=conference,
        child=conference.attendees.get().child,
        complainant="parent",
        complainant_name="Dana Hartley",
        received_on=received,
        reason=reason,
    )


AFTER_CHRISTMAS = time_machine.travel("2027-01-25 09:00 +0000", tick=False)


@AFTER_CHRISTMAS
def test_stage_response_due_dates_count_working_days_across_christmas(clerk, conference, reason):
    complaint = _log(clerk, conference, reason, received=date(2026, 12, 14))
    # Stage 1: 10 working days after Mon 14 Dec, skipping 25 and 28 Dec: Wed 30 Dec.
    assert complaint.current_stage.response_due_on == date(2026, 12, 30)
    stage_two = services.escalate(actor=clerk, complaint=complaint, on=date(2026, 12, 18))
    # Stage 2: 20 working days after Fri 18 Dec, skipping 25, 28 Dec and 1 Jan: Wed 20 Jan.
    assert stage_two.response_due_on == date(2027, 1, 20)
    assert complaint.stages.count() == 2  # stage 1's record is kept


@AFTER_CHRISTMAS
def test_bad_complaint_input_is_refused(clerk, conference, reason):
    complaint = _log(clerk, conference, reason)
    with pytest.raises(Refused, match="before the complaint was received"):
        services.respond(
            actor=clerk,
            complaint=complaint,
            responded_on=date(2026, 11, 10),
            response="",
            outcome="",
            close=False,
        )
    with pytest.raises(Refused, match="date of the response before giving an outcome"):
        services.respond(
            actor=clerk,
            complaint=complaint,
            responded_on=None,
            response="",
            outcome="upheld",
            close=False,
        )
    services.respond(
        actor=clerk,
        complaint=complaint,
        responded_on=date(2026, 11, 20),
        response="Sorry",
        outcome="partly",
        close=True,
    )
    complaint.refresh_from_db()
    assert (complaint.is_closed, complaint.resolved_at_stage) == (True, 1)
    with pytest.raises(Refused, match="A closed complaint cannot be escalated"):
        services.escalate(actor=clerk, complaint=complaint, on=date(2026, 11, 21))


def test_a_clerk_logs_a_complaint_through_the_page(clerk_client, conference, reason):
    child = conference.attendees.get().child
    response = clerk_client.post(
        reverse("complaints:complaint_add", args=[conference.pk]),
        {
            "complainant": "parent",
            "complainant_name": "Dana Hartley",
            "child": child.pk,
            "received_on_0": 14,
            "received_on_1": 11,
            "received_on_2": 2026,
            "reason": reason.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:complaint_detail", args=[complaint.pk])


def test_an_advocate_cannot_open_any_complaint(client, clerk, conference, reason):
    complaint = _log(clerk, conference, reason)
    client.force_login(UserFactory(roles=[Role.ADVOCATE]))
    assert (
        client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).status_code == 404
    )
    assert client.get(reverse("complaints:tray")).status_code == 403


def test_appeals_and_dissent_are_recorded_beside_the_conference(clerk_client, conference):
    child = conference.attendees.get().child
    clerk_client.post(
        reverse("complaints:appeal_add", args=[conference.pk]),
        {
            "child": child.pk,
            "appellant": "young_person",
            "supported_by_advocate": "on",
            "received_on_0": 3,
            "received_on_1": 12,
            "received_on_2": 2026,
            "grounds": "I was not heard",
        },
    )
    agency = AgencyFactory(name="Neighbouring council")
    clerk_client.post(
        reverse("complaints:dissent_add", args=[conference.pk]),
        {
            "agency": agency.pk,
            "point": "Disagree with the category",
            "escalated_to": "team_manager",
            "raised_on_0": 2,
            "raised_on_1": 12,
            "raised_on_2": 2026,
            "resolved_on_0": 1,
            "resolved_on_1": 12,
            "resolved_on_2": 2026,
        },
    )
    tray = clerk_client.get(reverse("complaints:tray")).content.decode()
    assert "supported by the advocate" in tray
    assert "Neighbouring council" not in tray  # resolved before it was raised: refused


def test_responses_due_are_in_the_managers_tray_and_reminded(
    manager, manager_client, clerk, conference, reason
):
    complaint = _log(clerk, conference, reason, received=timezone.localdate() - timedelta(days=12))
    assert str(complaint) in manager_client.get(reverse("complaints:tray")).content.decode()
    assert sweeps.complaint_responses_due() == 1
    assert Notification.objects.get().recipient_email == manager.email


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_reaches_only_the_complaint_pages_it_should(
    client, conference, reason, clerk, role
):
    complaint = _log(clerk, conference, reason)
    client.force_login(UserFactory(roles=[role]))
    codes = [
        client.get(reverse("complaints:tray")).status_code,
        client.get(reverse("complaints:complaint_add", args=[conference.pk])).status_code,
        client.get(reverse("complaints:appeal_add", args=[conference.pk])).status_code,
        client.get(reverse("complaints:dissent_add", args=[conference.pk])).status_code,
        client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).status_code,
    ]
    allowed = role in (Role.CLERK, Role.MANAGER)
    assert codes == ([200] * 5 if allowed else [403, 403, 403, 403, 404])
