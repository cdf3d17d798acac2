"""Questionnaires: agency links are single-use, expire and show nothing about the child; the
parent's kiosk signs the IRO out and ends after one response."""

import importlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Attendance, ConferenceStatus, Stage
from conferences.questionnaires.models import FeedbackLink, FeedbackResponse, Respondent
from conferences.questionnaires.services import QUESTIONS
from conferences.questionnaires.services import _hash as feedback_hash
from notifications import outbox
from notifications.models import Notification, NotificationStatus
from tests.factories import (
    ChildFactory,
    ProfessionalFactory,
    UserFactory,
    at,
    invite,
    make_conference,
)

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


SUBJECT = "Your feedback on a child protection conference"


def _links_emailed() -> list[str]:
    """Send what is waiting, then read the questionnaire links out of the emails themselves."""
    outbox.dispatch_pending()
    return [
        re.search(r"^https?://[^/\s]+(/feedback/[\w-]+/)$", message.body, re.M).group(1)
        for message in mail.outbox
        if message.subject == SUBJECT
    ]


def _tables_holding(text: str) -> list[str]:
    """Every table in the database (records, history, logs, sessions ...) with a row that
    contains the text anywhere."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        holding = []
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT 1 FROM {quoted} AS t WHERE t::text LIKE %s LIMIT 1",
                [f"%{text}%"],
            )
            if cursor.fetchone():
                holding.append(table)
    return holding


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
    assert len(_links_emailed()) == 2


def test_only_the_email_holds_a_working_questionnaire_link_no_table_or_history_does(
    clerk_client, held
):
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    paths = _links_emailed()
    assert len(paths) == 2
    for path in paths:
        token = path.split("/")[2]
        assert _tables_holding(token) == []
        assert Client().get(path).status_code == 200  # the emailed link works
    for stored in Notification.pgh_event_model.objects.values_list("body", flat=True):
        assert "/feedback/" not in stored
        assert outbox.LINK_PLACEHOLDER in stored
    page = clerk_client.get(reverse("conferences:notification_log")).content.decode()
    assert "/feedback/" not in page


def test_every_attempt_at_a_questionnaire_email_carries_the_same_working_link(clerk_client, held):
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    row = Notification.objects.filter(kind="agency_questionnaire").first()
    outbox.deliver(outbox.claim(row.pk))  # the provider accepted it ... and the worker died
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        outbox.dispatch_pending()  # the retry, flagged as a possible duplicate
    first, retry = [m.body for m in mail.outbox if m.to == [row.recipient_email]]
    assert first == retry
    assert Client().get(_links_emailed()[0]).status_code == 200


def test_a_failed_questionnaire_email_sent_again_later_carries_a_link_that_works(
    clerk_client, clerk, held, settings
):
    settings.EMAIL_BACKEND = "tests.conferences.failing_email.FailingBackend"
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    now = timezone.now()
    for minutes in (0, 2, 10, 45, 170):
        with time_machine.travel(now + timedelta(minutes=minutes), tick=False):
            outbox.dispatch_pending()
    failed = list(Notification.objects.filter(status=NotificationStatus.FAILED))
    assert len(failed) == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(now + timedelta(days=20), tick=False):  # past the first 14 days
        for row in failed:
            outbox.resend(actor=clerk, notification=row)  # "Send again" on the log
        paths = _links_emailed()
        assert len(paths) == 2
        for path in paths:
            assert Client().get(path).status_code == 200
            assert _tables_holding(path.split("/")[2]) == []


def test_a_questionnaire_email_waiting_when_the_secret_key_changes_still_gets_a_working_link(
    clerk_client, held, settings
):
    clerk_client.post(reverse("conferences:feedback_agencies", args=[held.pk]))
    settings.SECRET_KEY = "a-new-key-" + "k" * 50
    for path in _links_emailed():
        assert Client().get(path).status_code == 200


def test_links_that_older_emails_stored_in_plain_text_stop_working_and_are_sent_fresh(held):
    """The migration that took links out of stored bodies (0010)."""
    invitation = held.invitations.filter(attendance=Attendance.ATTENDED).first()
    old_token = "old-token-that-was-stored-in-plain-text"
    link = FeedbackLink.objects.create(
        token_hash=feedback_hash(old_token),
        respondent=Respondent.AGENCY,
        conference=held,
        invitation=invitation,
        expires_at=timezone.now() + timedelta(days=14),
    )
    Notification.objects.create(
        key=f"agency-questionnaire:{invitation.pk}",
        kind="agency_questionnaire",
        recipient_email=invitation.professional.email,
        subject=SUBJECT,
        body=f"Thank you.\n\nhttp://127.0.0.1:8000/feedback/{old_token}/",
    )
    assert Client().get(f"/feedback/{old_token}/").status_code == 200

    migration = importlib.import_module(
        "conferences.migrations.0010_questionnaire_links_made_when_sent"
    )
    migration.take_links_out_of_bodies(apps, None)

    assert Client().get(f"/feedback/{old_token}/").status_code == 410
    (path,) = _links_emailed()
    assert Client().get(path).status_code == 200
    assert Notification.objects.get().body == f"Thank you.\n\n{outbox.LINK_PLACEHOLDER}"
    assert link.pk == Notification.objects.get().feedback_link_id


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
    from tests.conftest import _signed_in

    page = _signed_in(held.chair).get(reverse("conferences:conference_detail", args=[held.pk]))
    assert "Answers so far: 1 from parents and carers, 0 from agency" in page.content.decode()
