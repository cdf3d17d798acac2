"""The thematic quarterly report, computed from a known set of challenges and notes."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from conferences.challenges import services
from conferences.challenges.models import ChallengeReason
from reporting.thematic.report import thematic_report
from rules.periods import Period, quarter_of
from tests.factories import AgencyFactory, ChildFactory, LocalityFactory, UserFactory

pytestmark = pytest.mark.django_db
Q3 = Period(2026, 3)  # October to December 2026


def _respond(iro, step, on):
    services.record_response(
        actor=iro,
        challenge=step,
        response="Agreed",
        responded_on=on,
        outcome="Done",
        resolved=True,
        expected_version=step.version,
    )


@pytest.fixture
def known_records(iro):
    drift = ChallengeReason.objects.get_or_create(label="Plan drift")[0]
    late = ChallengeReason.objects.get_or_create(label="Report late or poor")[0]
    hinckley, police = LocalityFactory(name="Hinckley"), AgencyFactory(name="Constabulary")
    restricted = ChildFactory(is_restricted=True)

    def raise_(on, reason, **kwargs):
        return services.raise_challenge(
            actor=iro, level=1, reason=reason, detail="d", raised_on=on, **kwargs
        )

    def escalate(step, on):
        return services.escalate_challenge(actor=iro, challenge=step, on=on, detail="e")

    with time_machine.travel("2027-01-15 09:00 +0000", tick=False):
        a = raise_(date(2026, 10, 5), drift, raised_with_team=hinckley)
        _respond(iro, a, date(2026, 10, 7))  # 2 working days
        b = raise_(date(2026, 10, 12), late, raised_with_agency=police)
        b3 = escalate(escalate(b, date(2026, 10, 19)), date(2026, 10, 26))
        _respond(iro, b3, date(2026, 11, 6))  # 19 working days from the first step
        raise_(date(2026, 11, 2), drift, raised_with_team=hinckley)  # unresolved
        d = raise_(date(2026, 9, 20), drift, raised_with_team=hinckley)  # a Q2 challenge...
        escalate(d, date(2026, 10, 5))  # ...whose second step falls in Q3
        # A restricted child's challenge: counted, though the manager cannot open it.
        e = raise_(date(2026, 12, 3), drift, raised_with_agency=police, child=restricted)
        _respond(iro, e, date(2026, 12, 31))  # 18 working days: Christmas and Boxing Day out
    with time_machine.travel("2026-12-15 09:00 +0000", tick=False):
        for credited, text, child in (
            ("Hinckley team", "Clear plan", None),
            ("School nurse", "Quiet safety work", restricted),
        ):
            services.note_good_practice(
                actor=iro, credited_to=credited, what_went_well=text, child=child
            )
    with time_machine.travel("2026-09-30 09:00 +0000", tick=False):
        services.note_good_practice(actor=iro, credited_to="Q2 team", what_went_well="Earlier")


def test_the_figures_follow_the_counting_rules(known_records):
    report = thematic_report(Q3)
    assert report.challenges == 4
    reasons = {label: count for label, count in report.by_reason if count}
    assert reasons == {"Plan drift": 3, "Report late or poor": 1}
    assert dict(report.steps_by_level) == {
        "Informal practice discussion": 4,
        "Team manager": 2,
        "Service manager": 1,
        "Head of service": 0,
        "Director": 0,
    }
    assert dict(report.highest_level)["Informal practice discussion"] == 3
    assert dict(report.highest_level)["Service manager"] == 1
    assert dict(report.by_raised_with) == {"Hinckley": 2, "Constabulary": 2}
    assert dict(report.time_to_resolve) == {
        "Within 5 working days": 1,
        "6 to 10 working days": 0,
        "11 to 20 working days": 2,
        "More than 20 working days": 0,
        "Not resolved yet": 1,
    }
    assert report.good_practice == 2
    assert dict(report.good_practice_by_credit) == {"Hinckley team": 1, "School nurse": 1}
    assert thematic_report(Period(2026, 2)).challenges == 1


def test_the_page_and_its_csv_show_the_same_figures(known_records, manager_client):
    query = {"year": 2026, "quarter": 3}
    page = manager_client.get(reverse("reporting:thematic"), query).content.decode()
    assert "4 challenges raised in the quarter" in page
    assert "Clear plan" in page
    assert "Quiet safety work" not in page
    assert "1 note not shown" in page
    response = manager_client.get(reverse("reporting:thematic_csv"), query)
    assert response["Content-Disposition"] == 'attachment; filename="thematic-2026-27-q3.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    table = {(row["table"], row["row"]): int(row["count"]) for row in rows}
    assert table[("Challenges raised", "All")] == 4
    assert table[("Challenges by reason", "Plan drift")] == 3
    assert table[("Time to resolve", "11 to 20 working days")] == 2
    assert table[("Good practice notes by whom they credit", "School nurse")] == 1


def test_a_bad_period_is_named_and_the_current_quarter_shown(manager_client):
    response = manager_client.get(reverse("reporting:thematic"), {"year": 1999, "quarter": 7})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_quarters_follow_the_financial_year():
    assert (Q3.start, Q3.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (Period(2014, 4).start, Period(2014, 4).end) == (date(2015, 1, 1), date(2015, 3, 31))
    assert (Period(2014).start, Period(2014).end) == (date(2014, 4, 1), date(2015, 3, 31))
    assert quarter_of(date(2015, 3, 31)) == Period(2014, 4)
    assert quarter_of(date(2014, 4, 1)) == Period(2014, 1)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_managers_open_the_thematic_report(client, role):
    client.force_login(UserFactory(roles=[role]))
    codes = {
        client.get(reverse("reporting:thematic")).status_code,
        client.get(reverse("reporting:thematic_csv")).status_code,
    }
    assert codes == ({200} if role == Role.MANAGER else {403})
