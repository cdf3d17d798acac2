"""Complaints, appeals and dissent about a conference hidden from the user never reach them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import AgencyDissent, Appeal, ComplaintReason
from conferences.choices import ConferenceStatus, Stage
from tests.factories import AgencyFactory, ChildFactory, at, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_conference(iro, clerk):
    """Ruby's conference, which her restricted brother also attends: the clerk may see Ruby but
    not the conference (it would reveal him)."""
    ruby = ChildFactory(first_name="Ruby")
    brother = ChildFactory(family=ruby.family, first_name="Kai", is_restricted=True)
    return make_conference(
        children_stages=[(ruby, Stage.INITIAL), (brother, Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2026, 10, 1)),
        status=ConferenceStatus.HELD,
    )


@pytest.fixture
def records_about_it(hidden_conference, manager):
    ruby = hidden_conference.attendees.get(child__first_name="Ruby").child
    complaint = services.log_complaint(
        actor=manager,
        conference=hidden_conference,
        child=ruby,
        complainant="parent",
        complainant_name="Dana Hartley",
        received_on=timezone.localdate() - timedelta(days=12),
        reason=ComplaintReason.objects.get_or_create(label="Conduct of the meeting")[0],
    )
    appeal = Appeal.objects.create(
        conference=hidden_conference, child=ruby, appellant="parent", grounds="Not heard"
    )
    dissent = AgencyDissent.objects.create(
        conference=hidden_conference,
        agency=AgencyFactory(name="Neighbouring council"),
        point="Category",
    )
    return complaint, appeal, dissent


def test_the_tray_hides_complaints_appeals_and_dissent_about_a_hidden_conference(
    clerk_client, manager_client, records_about_it
):
    complaint, appeal, dissent = records_about_it

    for client in (clerk_client, manager_client):
        tray = client.get(reverse("complaints:tray")).content.decode()
        assert str(complaint) not in tray
        assert str(appeal) not in tray
        assert str(dissent) not in tray
        assert "Neighbouring council" not in tray
        detail = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
        assert detail.status_code == 404


def test_staff_named_on_the_hidden_child_see_them(clerk, clerk_client, records_about_it):
    complaint, appeal, dissent = records_about_it
    complaint.conference.attendees.get(child__first_name="Kai").child.named_staff.add(clerk)

    tray = clerk_client.get(reverse("complaints:tray")).content.decode()

    assert str(complaint) in tray
    assert str(appeal) in tray
    assert str(dissent) in tray
    detail = clerk_client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert detail.status_code == 200
