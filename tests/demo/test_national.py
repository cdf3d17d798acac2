"""The national benchmark's generator loads valid records in England's shapes, and its report
runs end to end (both at a tiny scale: the timings themselves belong to `make bench`)."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from accounts.models import User
from conferences.models import (
    Child,
    ChildDecision,
    ChildProtectionPlan,
    CinEpisode,
    Conference,
    ConferenceChild,
    ConferenceRecord,
    CoreGroupMeeting,
    Invitation,
    Notification,
)
from demo.national import load_national, orphaned_references
from demo.national.copying import TABLES
from demo.national.reference import DOMAIN
from reporting.figures import Scope, compute
from rules.meetings import meeting_type
from rules.periods import Period

UNTIL = date(2016, 3, 31)
SCALE = 0.005  # about 1,200 plans from 2012 to March 2016


@pytest.fixture
def national(db):
    return load_national(scale=SCALE, until=UNTIL, seed=7)


def scalar(sql: str, params=()) -> float:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_every_table_is_loaded_and_every_reference_names_a_row(national):
    for model in (
        Child,
        ChildProtectionPlan,
        CinEpisode,
        Conference,
        ConferenceChild,
        ConferenceRecord,
        ChildDecision,
        Invitation,
        CoreGroupMeeting,
        Notification,
    ):
        assert model.objects.exists(), model
    assert national["rows"]["conferences.Conference"] == Conference.objects.count()
    assert orphaned_references([*TABLES, "conferences.Notification"]) == {}
    # The same, asked directly of the two references the figures lean on most.
    assert not ConferenceChild.objects.exclude(child__in=Child.objects.all()).exists()
    assert not ChildDecision.objects.exclude(place__in=ConferenceChild.objects.all()).exists()
    # The audit history the copied rows would have left, one insert event each.
    assert national["rows"]["history events"] >= Conference.objects.count()
    assert scalar("SELECT count(*) FROM conferences_conferenceevent") == Conference.objects.count()
    # The loaded sequences carry on after the copied ids.
    assert (
        Conference.objects.create(
            family_id=Conference.objects.first().family_id,
            starts_at="2016-03-30T10:00Z",
            venue_id=Conference.objects.first().venue_id,
            chair_id=Conference.objects.first().chair_id,
            booked_by_id=Conference.objects.first().booked_by_id,
        ).pk
        > national["rows"]["conferences.Conference"]
    )


def test_every_meeting_type_is_worked_out_after_the_copies(national):
    """The copies ran with the triggers that keep the type off: the load works them out."""
    stages = {}
    for conference_id, stage in ConferenceChild.objects.values_list("conference_id", "stage"):
        stages.setdefault(conference_id, []).append(stage)
    kept = dict(Conference.objects.values_list("pk", "meeting_type"))
    assert kept == {pk: meeting_type(stages[pk]) if pk in stages else "" for pk in kept}


def test_meetings_families_categories_and_ethnicity_are_in_national_proportions(national):
    per_meeting = scalar(
        "SELECT avg(n) FROM (SELECT count(*) n FROM conferences_conferencechild cc "
        "JOIN conferences_conference c ON c.id = cc.conference_id WHERE c.status = 'held' "
        "GROUP BY c.id) m"
    )
    assert 1.55 <= per_meeting <= 1.85
    starts = ChildDecision.objects.filter(decision="plan")
    total = starts.count()
    assert total > 800

    def share(**where) -> float:
        return 100 * starts.filter(**where).count() / total

    assert abs(share(categories=["NEG"]) - 50) <= 6
    assert abs(share(categories=["EMO"]) - 36) <= 6
    assert abs(share(categories=["PHY"]) - 8) <= 3
    assert abs(share(categories=["SAB"]) - 4) <= 2.5
    assert 0.5 <= share(categories__len=2) <= 4
    white_british = 100 * Child.objects.filter(ethnicity="WBRI").count() / Child.objects.count()
    assert abs(white_british - 67) <= 6
    postponed = Conference.objects.filter(status__in=["postponed", "cancelled"]).count()
    assert 3 <= 100 * postponed / Conference.objects.count() <= 7
    assert ConferenceChild.objects.filter(stage="receiving_in").exists()
    assert ConferenceChild.objects.filter(stage="pre_birth").exists()
    # Repeat plans: a child's second or later plan.
    repeats = scalar(
        "SELECT count(*) FROM conferences_childprotectionplan p WHERE EXISTS (SELECT 1 FROM "
        "conferences_childprotectionplan e WHERE e.child_id = p.child_id "
        "AND e.started_on < p.started_on)"
    )
    assert 5 <= 100 * repeats / ChildProtectionPlan.objects.count() <= 25
    median_days = scalar(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_on - started_on) "
        "FROM conferences_childprotectionplan WHERE ended_on IS NOT NULL"
    )
    assert 200 <= median_days <= 320  # about 9 months


def test_each_plan_decision_lies_within_its_plan(national):
    held_on = "timezone('Europe/London', c.starts_at)::date"
    outside = scalar(
        f"""
        SELECT count(*) FROM conferences_childdecision d
        JOIN conferences_conferencechild cc ON cc.id = d.place_id
        JOIN conferences_conference c ON c.id = cc.conference_id
        WHERE d.decision IN ('plan', 'plan_continues', 'plan_ends') AND NOT EXISTS (
            SELECT 1 FROM conferences_childprotectionplan p WHERE p.child_id = cc.child_id
            AND CASE d.decision
                WHEN 'plan' THEN p.started_on = {held_on}
                WHEN 'plan_ends' THEN p.ended_on = {held_on}
                ELSE {held_on} > p.started_on AND (p.ended_on IS NULL OR {held_on} < p.ended_on)
            END)
        """
    )
    assert outside == 0
    assert ChildDecision.objects.filter(decision="plan_ends").exists()
    # Every held conference has a signed-off record deciding for every child at it.
    held = Conference.objects.filter(status="held")
    assert ConferenceRecord.objects.filter(status="finalised").count() == held.count()
    assert (
        ChildDecision.objects.count()
        == ConferenceChild.objects.filter(conference__status="held").count()
    )


def test_the_2014_15_dashboard_renders_with_children_on_plans(national, settings):
    settings.MFA_REQUIRED = False
    manager = User.objects.get(email=f"manager@{DOMAIN}")
    client = Client()
    client.force_login(manager)
    assert client.get("/reporting/dashboard/", {"year": 2014}).status_code == 200
    tables = {table.slug: table for table in compute(Scope(Period(2014)))}
    on_plans = [cell for row in tables["children-on-plans"].rows for cell in row.cells if cell]
    assert sum(on_plans) > 0


@pytest.mark.timeout(120)
def test_the_report_runs_end_to_end_and_writes_its_json(national, tmp_path, settings):
    settings.MFA_REQUIRED = False
    written = tmp_path / "bench.json"
    call_command("bench_national", years="2014", runs=1, budget=60, json=str(written), stdout=None)
    report = json.loads(written.read_text())
    measured = {line["what"]: line for line in report["lines"]}
    assert measured["dashboard, all tables"]["queries"] > 0
    assert measured["ratio dashboard / hand-written (p50)"]["p50"] > 0
    for what in (
        "clerk's tray",
        "child page (longest history)",
        "family page (longest history)",
        "IRO's conferences (busiest chair)",
        "census export (XML)",
    ):
        assert measured[what]["status"] == 200, what
    assert not [line["what"] for line in report["lines"] if line["verdict"] == "ERROR"]
    assert len(report["slowest_queries"]["2014-15"]) == 10
