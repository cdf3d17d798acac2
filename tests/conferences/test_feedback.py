"""Questionnaires: agency links are single-use, expire and show nothing about the child; the
parent's kiosk signs the IRO out and ends after one response."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Attendance, ConferenceStatus, Stage
from conferences.feedback import QUESTIONS
from conferences.feedback_models import FeedbackLink, FeedbackResponse, Respondent
from conferences.outbox_models import Notification

from ..factories import ChildFactory, ProfessionalFactory, UserFactory, at, invite, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def child():
    return ChildFactory(first_name="Persephone", last_name="Quillfeather")


@pytest.fixture
def held(iro, child):
    conference = make_conference(
        children_stages=[(child, Stage.REVIEW)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
        status=ConferenceStatus.HELD,
    )
    for name in ("Dr Ottoline Vantablack", "PC Ignatius Wobble"):
        invite(conference, ProfessionalFactory(full_name=name), attendance=Attendance.ATTENDED)
    invite(conference, ProfessionalFactory(), attendance=Attendance.ABSENT)
    return conference


def _answers(respondent, value=4) -> dict:
    return {key: str(value) for key, _ in QUESTIONS[respondent]}


def _case_markers(conference, child) -> list[str]:
    return [
        child.first_name,
        child.last_name,
        conference.family.name,
        f"C{conference.pk:06d}",
        conference.chair.full_name,
        "Ottoline",
        "Ignatius",
        f"{conference.starts_at:%-d %B %Y}",
    ]


def _links_emailed() -> list[str]:
    bodies = Notification.objects.filter(kind="agency_questionnaire").values_list("body", flat=True)
    return [re.search(r"(/feedback/[\w-]+/)", body).group(1) for body in bodies]


def test_attending_agencies_are_emailed_one_link_each_that_says_nothing_about_the_child(
    clerk_client, held, child
):
    response = clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    assert response.status_code == 302
    emails = Notification.objects.filter(kind="agency_questionnaire")
    assert emails.count() == 2  # the absent professional gets none
    for email in emails:
        for marker in (child.first_name, child.last_name, held.family.name):
            assert marker not in email.body
        assert "Sign in" not in email.body  # agencies have no accounts
    assert len(set(_links_emailed())) == 2
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    assert emails.count() == 2  # sending again adds nothing
    # Only a hash is stored: no link can be rebuilt from the database.
    for link in FeedbackLink.objects.all():
        assert all(link.token_hash not in path for path in _links_emailed())


def test_an_agency_link_works_once_and_its_page_shows_no_case_data(clerk_client, held, child):
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    path = _links_emailed()[0]
    agency = Client()

    page = agency.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert QUESTIONS[Respondent.AGENCY][0][1] in html
    for marker in _case_markers(held, child):
        assert marker not in html

    done = agency.post(path, {**_answers(Respondent.AGENCY, 2), "comments": "Clearer plan"})
    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    saved = FeedbackResponse.objects.get()
    assert saved.respondent == Respondent.AGENCY
    assert saved.conference == held
    assert set(saved.answers.values()) == {2}
    assert saved.comments == "Clearer plan"

    again = agency.post(path, _answers(Respondent.AGENCY, 5))
    assert again.status_code == 410
    assert "cannot be used" in again.content.decode()
    assert agency.get(path).status_code == 410
    assert FeedbackResponse.objects.count() == 1


def test_an_expired_link_gets_a_clear_page_and_records_nothing(clerk_client, held):
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    path = _links_emailed()[0]
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        response = Client().post(path, _answers(Respondent.AGENCY))
    assert response.status_code == 410
    assert "Nothing has been recorded" in response.content.decode()
    assert FeedbackResponse.objects.count() == 0
    assert FeedbackLink.objects.filter(used_at__isnull=False).count() == 0


def test_an_unanswered_question_is_named_and_the_link_stays_usable(clerk_client, held):
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    path = _links_emailed()[0]
    answers = _answers(Respondent.AGENCY)
    del answers["wall"]
    response = Client().post(path, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose an answer to this question" in html
    assert FeedbackResponse.objects.count() == 0
    assert Client().post(path, _answers(Respondent.AGENCY)).status_code == 200


def test_an_unknown_link_is_refused_like_a_used_one(db):
    assert Client().get("/feedback/not-a-real-token/").status_code == 410


def test_questionnaire_pages_are_rate_limited_per_address(settings, db):
    settings.CONVENE_FEEDBACK_RATE = (3, 600)
    visitor = Client(REMOTE_ADDR="203.0.113.9")
    codes = [visitor.get(f"/feedback/guess-{n}/").status_code for n in range(4)]
    assert codes == [410, 410, 410, 429]
    assert Client(REMOTE_ADDR="203.0.113.10").get("/feedback/guess/").status_code == 410


def test_the_kiosk_signs_the_iro_out_and_closes_after_one_response(iro_client, held, child):
    response = iro_client.post(reverse("conferences:feedback_kiosk", args=[held.pk]))
    kiosk = response["Location"]
    assert kiosk.startswith("/feedback/")
    # The tablet holds no session: the case is out of reach.
    assert iro_client.get(reverse("conferences:conference_detail", args=[held.pk]))[
        "Location"
    ].startswith(reverse("account_login"))

    page = iro_client.get(kiosk)
    html = page.content.decode()
    assert page.status_code == 200
    assert QUESTIONS[Respondent.PARENT][0][1] in html
    for marker in _case_markers(held, child):
        assert marker not in html

    done = iro_client.post(kiosk, _answers(Respondent.PARENT, 5))
    assert "hand the device back" in done.content.decode()
    assert iro_client.get(kiosk).status_code == 410
    assert iro_client.post(kiosk, _answers(Respondent.PARENT, 1)).status_code == 410
    assert list(FeedbackResponse.objects.values_list("respondent", flat=True)) == ["parent"]


def test_only_the_chair_opens_the_kiosk_and_only_once_the_conference_is_under_way(
    client, iro, held, child
):
    client.force_login(UserFactory(roles=[Role.IRO]))
    assert client.post(reverse("conferences:feedback_kiosk", args=[held.pk])).status_code == 403
    upcoming = make_conference(
        children_stages=[(child, Stage.REVIEW)],
        chair=iro,
        starts_at=at(timezone.localdate() + timedelta(days=3)),
    )
    client.force_login(iro)
    response = client.post(reverse("conferences:feedback_kiosk", args=[upcoming.pk]))
    assert response["Location"] == reverse("conferences:conference_detail", args=[upcoming.pk])
    assert FeedbackLink.objects.count() == 0


def test_the_conference_page_counts_the_answers(iro_client, held):
    iro_client.post(reverse("conferences:feedback_kiosk", args=[held.pk]))
    link = FeedbackLink.objects.get()
    FeedbackResponse.objects.create(
        respondent=Respondent.PARENT, conference=held, link=link, answers={}
    )
    from ..conftest import _signed_in

    page = _signed_in(held.chair).get(reverse("conferences:conference_detail", args=[held.pk]))
    assert "Answers so far: 1 from parents and carers, 0 from agency" in page.content.decode()
