"""Each sweep's rule, across the Christmas bank holidays, and that sweeps never repeat."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from accounts.models import Role
from conferences import sweeps
from conferences.choices import AgencyKind, ConferenceStatus, Stage
from conferences.models import ChildProtectionPlan, Notification
from conferences.record.services import end_sensitively
from notifications import outbox
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    ProfessionalFactory,
    TeamFactory,
    UserFactory,
    at,
    invite,
    make_conference,
    police_officer,
)

pytestmark = pytest.mark.django_db
# Tuesday 29 December 2026 follows Christmas Day (Fri) and Boxing Day observed (Mon 28th).
CONFERENCE_DAY = date(2026, 12, 29)


@pytest.fixture
def social_worker():
    care = AgencyFactory(name="Children's social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    manager = ProfessionalFactory(agency=care, full_name="Sam Manager", email="sam@csc.example")
    return ProfessionalFactory(
        agency=care, full_name="Jo Worker", email="jo@csc.example", manager=manager
    )


@pytest.fixture
def review(iro, social_worker):
    child = ChildFactory(social_worker=social_worker)
    ChildProtectionPlan.objects.create(child=child, started_on=date(2026, 9, 1))
    return make_conference(
        children_stages=[(child, Stage.REVIEW)], chair=iro, starts_at=at(CONFERENCE_DAY)
    )


def _kinds():
    return sorted(Notification.objects.values_list("kind", flat=True))


def run(sweep, day):
    with time_machine.travel(at(day, 6), tick=False):
        return sweep()


def test_the_report_reminder_counts_working_days_back_over_christmas(review):
    # Review report due to the family 3 working days before Tue 29 Dec: Mon 21 Dec... no:
    # 24 (Thu), 23 (Wed), 22 (Tue) -> due Tue 22 Dec; reminders start 2 working days earlier.
    assert run(sweeps.report_reminders, date(2026, 12, 17)) == 0
    assert run(sweeps.report_reminders, date(2026, 12, 18)) == 1
    reminder = Notification.objects.get()
    assert (reminder.kind, reminder.recipient_email, reminder.due_on) == (
        "report_reminder",
        "jo@csc.example",
        date(2026, 12, 22),
    )


def test_on_the_due_day_the_team_manager_is_told(review):
    run(sweeps.report_reminders, date(2026, 12, 22))
    assert Notification.objects.get().recipient_email == "sam@csc.example"
    assert _kinds() == ["report_escalation"]


def test_no_reminder_once_the_family_has_the_report(review):
    review.report_to_family_on = date(2026, 12, 18)
    review.save()
    assert run(sweeps.report_reminders, date(2026, 12, 22)) == 0


def test_short_police_notice_is_flagged_to_the_clerks(review):
    officer = invite(review, police_officer())
    officer.sent_on = date(2026, 12, 21)  # eight days before: enough
    officer.save()
    assert run(sweeps.invitation_chasers, date(2026, 12, 21)) == 0
    officer.sent_on = date(2026, 12, 23)  # six days before: short
    officer.save()
    assert run(sweeps.invitation_chasers, date(2026, 12, 23)) == 1
    assert _kinds() == ["police_notice"]


def test_unsent_invitations_are_chased_five_working_days_before(review):
    invite(review, ProfessionalFactory())
    # Five working days before Tue 29 Dec (28, 25 are holidays): 24, 23, 22, 21, 18 -> Fri 18 Dec.
    assert run(sweeps.invitation_chasers, date(2026, 12, 17)) == 0
    assert run(sweeps.invitation_chasers, date(2026, 12, 18)) == 1
    assert _kinds() == ["invitations_unsent"]


def test_an_unsigned_record_is_chased_with_the_chair_then_the_manager(iro):
    team = TeamFactory(name="IRO service")
    iro.team = team
    iro.save()
    manager = UserFactory(roles=[Role.MANAGER], team=team, email="manager@council.example")
    child = ChildFactory()
    make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2026, 12, 24)),
        status=ConferenceStatus.HELD,
    )
    assert run(sweeps.outcomes_not_finalised, date(2026, 12, 24)) == 0
    assert run(sweeps.outcomes_not_finalised, date(2026, 12, 29)) == 1  # the next working day
    assert run(sweeps.outcomes_not_finalised, date(2026, 12, 30)) == 1  # then the manager
    assert sorted(Notification.objects.values_list("recipient_email", flat=True)) == sorted(
        [iro.email, manager.email]
    )


def test_a_missing_first_core_group_is_chased_after_10_working_days(iro, social_worker):
    child = ChildFactory(social_worker=social_worker)
    make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=iro,
        starts_at=at(date(2026, 12, 14)),
        status=ConferenceStatus.HELD,
    )
    ChildProtectionPlan.objects.create(child=child, started_on=date(2026, 12, 14))
    # 10 working days after Mon 14 Dec, skipping 25 and 28 December: Wed 30 Dec.
    assert run(sweeps.core_groups_overdue, date(2026, 12, 30)) == 0
    assert run(sweeps.core_groups_overdue, date(2026, 12, 31)) == 2  # social worker and chair


def test_a_review_due_without_a_booking_is_emailed_to_the_clerks(social_worker):
    child = ChildFactory(social_worker=social_worker)
    ChildProtectionPlan.objects.create(child=child, started_on=date(2026, 10, 1))
    assert run(sweeps.reviews_due_unbooked, date(2026, 11, 1)) == 0  # due 1 January: beyond 6 weeks
    assert run(sweeps.reviews_due_unbooked, date(2026, 11, 25)) == 1


def test_old_due_dates_are_never_chased(social_worker):
    child = ChildFactory(social_worker=social_worker)
    ChildProtectionPlan.objects.create(child=child, started_on=date(2025, 1, 6))
    assert run(sweeps.reviews_due_unbooked, date(2026, 11, 25)) == 0


def test_sweeping_and_dispatching_twice_gives_one_row_and_one_email(review):
    for _ in range(2):
        run(sweeps.report_reminders, date(2026, 12, 18))
    assert Notification.objects.count() == 1
    for _ in range(2):
        run(outbox.dispatch_pending, date(2026, 12, 18))
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.extra_headers["Message-ID"] == Notification.objects.get().message_id
    assert "Jo Worker" not in sent.body  # no names, only a reference and a sign-in link
    assert "Sign in to Convene" in sent.body


def test_a_sensitive_end_cancels_what_is_pending_for_the_child(review):
    run(sweeps.report_reminders, date(2026, 12, 18))
    row = Notification.objects.get()
    row.child = review.attendees.get().child
    row.save()
    end_sensitively(child=row.child, on=date(2026, 12, 18))
    row.refresh_from_db()
    assert row.status == "cancelled"
    run(outbox.dispatch_pending, date(2026, 12, 18))
    assert mail.outbox == []
