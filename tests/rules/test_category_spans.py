"""Each plan's category spans, kept by the database in the transaction of every write: after
any sequence of writes they are the spans worked out afresh, and they say what the rule says
on every day."""

import io
import random
import uuid
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from conferences.choices import (
    INITIAL_STAGES,
    REVIEW_STAGES,
    ConferenceStatus,
    Decision,
    PlanEndReason,
    Stage,
)
from conferences.models import (
    ChildDecision,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceRecord,
    PlanCategorySpan,
)
from conferences.record.models import RecordStatus
from conferences.record.services import (
    DecisionData,
    RecordData,
    finalise_record,
    save_record,
    start_record,
)
from config.database_roles import grant_app_role
from config.services import Refused
from reporting import freshness
from rules.categories import (
    FOLLOWED,
    FOLLOWING_TRIGGER,
    MULTIPLE,
    SPANS_TABLE,
    finalised_decisions,
    install_plan_category_spans,
    latest_category,
    latest_category_sql,
    refresh_all_plan_category_spans,
)
from statutory.census_import import import_census
from tests.factories import ChildFactory, PlanFactory, at, make_conference
from tests.reporting.test_census_import import VALID

pytestmark = pytest.mark.django_db

FIRST_DAY, LAST_DAY = date(2014, 4, 1), date(2015, 9, 30)
CATEGORY_SETS = [[], ["NEG"], ["PHY"], ["EMO", "SAB"], ["NEG", "PHY", "EMO"]]


def _kept() -> set[tuple]:
    return set(
        PlanCategorySpan.objects.values_list(
            "plan_id", "child_id", "valid_from", "valid_to", "category"
        )
    )


def _afresh() -> set[tuple]:
    """The spans worked out from scratch, in a savepoint rolled back."""
    with transaction.atomic():
        refresh_all_plan_category_spans()
        spans = _kept()
        transaction.set_rollback(True)
    return spans


def _assert_spans_say_what_the_rule_says() -> None:
    """For every plan: spans run without gap or overlap from its first day, the last with no
    end; and on each day the category could change, and the day before, the span covering the
    day holds the rule's category for it (and no span covers a day before the plan)."""
    spans = defaultdict(list)
    for plan_id, _child, valid_from, valid_to, category in _kept():
        spans[plan_id].append((valid_from, valid_to, category))
    plans = list(ChildProtectionPlan.objects.all())
    decisions = finalised_decisions({plan.child_id for plan in plans})
    assert set(spans) <= {plan.pk for plan in plans}
    for plan in plans:
        decided = decisions[plan.child_id]
        ordered = sorted(spans[plan.pk])
        assert ordered[0][0] == plan.started_on
        assert ordered[-1][1] is None
        assert all(one[1] == after[0] for one, after in pairwise(ordered))
        assert all(one[2] != after[2] for one, after in pairwise(ordered))
        turns = {plan.started_on, plan.ended_on, *(d.held_on for d in decided)} - {None}
        for day in sorted(
            turns | {turn + timedelta(days=step) for turn in turns for step in (-1, 1)}
        ):
            covering = [
                c for start, end, c in ordered if start <= day and (end is None or day < end)
            ]
            expected = [] if day < plan.started_on else [latest_category(plan, decided, on=day)]
            assert covering == expected, (plan, day)
        assert ordered[-1][2] == latest_category(plan, decided)


# --- writes at random ------------------------------------------------------------------------


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))


def _sign_off(rng, chair, child) -> None:
    """Book, hold and sign off one conference for the child through the record's services,
    with the decision the child's plans allow: a plan started, continued or ended."""
    day = _day(rng)
    open_plan = child.plans.filter(ended_on__isnull=True).first()
    categories = rng.choice(CATEGORY_SETS[1:])
    if open_plan is None or open_plan.started_on >= day:
        stage = rng.choice(sorted(INITIAL_STAGES - {Stage.RECEIVING_IN}))
        decision = rng.choice([Decision.PLAN, Decision.PLAN, Decision.NO_FURTHER_ACTION])
    else:
        stage = rng.choice(sorted(REVIEW_STAGES))
        decision = rng.choice([Decision.PLAN_CONTINUES, Decision.PLAN_ENDS])
    if decision == Decision.PLAN_ENDS and rng.random() < 0.5:
        categories = []
    conference = make_conference(
        children_stages=[(child, stage)],
        chair=chair,
        starts_at=at(day, hour=rng.choice([0, 9, 11, 23]), minute=30),
    )
    record = start_record(actor=chair, conference=conference)
    save_record(
        actor=chair,
        record=record,
        expected_version=record.version,
        data=RecordData(
            decisions=[
                DecisionData(
                    place_id=conference.attendees.get().pk,
                    decision=decision,
                    categories=categories,
                    multiple_categories_reason="Both" if len(categories) > 1 else "",
                    end_reason=PlanEndReason.NO_LONGER_AT_RISK
                    if decision == Decision.PLAN_ENDS
                    else "",
                )
            ]
        ),
    )
    record.refresh_from_db()
    finalise_record(actor=chair, record=record, expected_version=record.version)


def _amend_categories(rng, chair, child) -> None:
    """The chair amends a signed-off record's categories (save_record, with a reason)."""
    decision = (
        ChildDecision.objects.filter(place__child=child, record__status=RecordStatus.FINALISED)
        .select_related("record")
        .first()
    )
    if decision is None:
        return
    record = decision.record
    categories = rng.choice(CATEGORY_SETS)
    save_record(
        actor=chair,
        record=record,
        expected_version=record.version,
        amendment_reason="Categories corrected",
        data=RecordData(
            decisions=[
                DecisionData(
                    place_id=decision.place_id,
                    decision=decision.decision,
                    end_reason=decision.end_reason,
                    categories=categories,
                    multiple_categories_reason="Both" if len(categories) > 1 else "",
                )
            ]
        ),
    )


def _recorded_plan(rng, chair, child) -> None:
    """A plan recorded as it was (a factory row), perhaps already ended."""
    started_on = _day(rng)
    ended_on = rng.choice([None, started_on + timedelta(days=rng.randrange(1, 200))])
    PlanFactory(
        child=child,
        started_on=started_on,
        ended_on=ended_on,
        categories=rng.choice(CATEGORY_SETS),
        imported_latest_category=rng.choice(["", "", "PHY", MULTIPLE]),
    )


def _end_or_reopen_plan(rng, chair, child) -> None:
    plan = child.plans.order_by("?").first()
    if plan is not None:
        plan.ended_on = rng.choice([None, plan.started_on + timedelta(days=rng.randrange(1, 300))])
        plan.save()


def _move_plan_start(rng, chair, child) -> None:
    ChildProtectionPlan.objects.filter(child=child).update(
        started_on=_day(rng), categories=rng.choice(CATEGORY_SETS)
    )


def _census_categories(rng, chair, child) -> None:
    ChildProtectionPlan.objects.filter(child=child).update(
        imported_latest_category=rng.choice(["", "NEG", MULTIPLE])
    )


def _delete_plan(rng, chair, child) -> None:
    plan = child.plans.order_by("?").first()
    if plan is not None:
        plan.delete()


def _conference_status(rng, chair, child) -> None:
    """Held, postponed or cancelled, as a correction would set it."""
    Conference.objects.filter(pk__in=_conferences_of(child, rng)).update(
        status=rng.choice(
            [ConferenceStatus.HELD, ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED]
        )
    )


def _reschedule(rng, chair, child) -> None:
    for conference in Conference.objects.filter(pk__in=_conferences_of(child, rng)):
        conference.starts_at += timedelta(days=rng.randrange(-60, 60), hours=rng.choice([0, 13]))
        conference.save(update_fields=["starts_at"])


def _restage(rng, chair, child) -> None:
    ConferenceChild.objects.filter(conference__in=_conferences_of(child, rng), child=child).update(
        stage=rng.choice(list(Stage))
    )


def _unsign_or_sign(rng, chair, child) -> None:
    ConferenceRecord.objects.filter(conference__in=_conferences_of(child, rng)).update(
        status=rng.choice([RecordStatus.DRAFT, RecordStatus.FINALISED])
    )


def _recategorise_many(rng, chair, child) -> None:
    """One statement over several children's decisions."""
    ChildDecision.objects.filter(pk__in=ChildDecision.objects.order_by("?")[:4]).update(
        categories=rng.choice(CATEGORY_SETS)
    )


def _move_place_to_another_child(rng, chair, child) -> None:
    other = ChildFactory(family=child.family)
    ConferenceChild.objects.filter(
        pk__in=ConferenceChild.objects.filter(child=child).order_by("?")[:1]
    ).update(child=other)


def _remove_decision(rng, chair, child) -> None:
    ChildDecision.objects.filter(
        pk__in=ChildDecision.objects.filter(place__child=child).order_by("?")[:1]
    ).delete()


def _conferences_of(child, rng) -> list[int]:
    found = list(
        ConferenceChild.objects.filter(child=child).values_list("conference_id", flat=True)
    )
    return rng.sample(found, k=min(len(found), rng.choice([1, 2])))


WRITES = [
    _sign_off,
    _sign_off,
    _sign_off,
    _amend_categories,
    _recorded_plan,
    _end_or_reopen_plan,
    _move_plan_start,
    _census_categories,
    _delete_plan,
    _conference_status,
    _reschedule,
    _restage,
    _unsign_or_sign,
    _recategorise_many,
    _move_place_to_another_child,
    _remove_decision,
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_spans_are_the_spans_worked_out_afresh_after_any_writes(iro, seed):
    rng = random.Random(seed)
    import_census(VALID)  # two children with the census's own categories
    # The census again, its latest categories changed: the import's own batched writes. (Done
    # before the random writes, which may give a census child a plan the file then clashes with.)
    import_census(VALID.replace(b"<LatestCategoryOfAbuse>PHY", b"<LatestCategoryOfAbuse>EMO"))
    assert _kept() == _afresh()
    _assert_spans_say_what_the_rule_says()
    census_children = [plan.child for plan in ChildProtectionPlan.objects.select_related("child")]
    children = [ChildFactory() for _ in range(3)] + census_children
    written = 0
    for _ in range(45):
        write = rng.choice(WRITES)
        try:
            with transaction.atomic():
                write(rng, iro, rng.choice(children))
        except (Refused, DatabaseError):
            continue  # a write the records refuse: nothing changed
        written += 1
        assert _kept() == _afresh(), write.__name__
        _assert_spans_say_what_the_rule_says()
    assert written > 25


# --- each table the rule reads is followed --------------------------------------------------

QUARTER_END, FIRST_MONTH_END = date(2014, 12, 31), date(2014, 5, 31)


@pytest.fixture
def reviewed(iro):
    """A plan recorded with no category, made neglect at its initial conference and physical
    abuse at a review."""
    child = ChildFactory()
    plan = PlanFactory(child=child, started_on=date(2014, 4, 7), categories=[])
    for day, stage, categories in (
        (date(2014, 4, 7), Stage.INITIAL, ["NEG"]),
        (date(2014, 10, 6), Stage.REVIEW, ["PHY"]),
    ):
        conference = make_conference(
            children_stages=[(child, stage)],
            chair=iro,
            starts_at=at(day),
            status=ConferenceStatus.HELD,
        )
        record = ConferenceRecord.objects.create(
            conference=conference, status=RecordStatus.FINALISED
        )
        ChildDecision.objects.create(
            record=record, place=conference.attendees.get(), categories=categories
        )
    return plan


def _latest(plan, day: date) -> str:
    return (
        ChildProtectionPlan.objects.filter(pk=plan.pk)
        .annotate(latest=latest_category_sql(day))
        .values_list("latest", flat=True)
        .get()
    )


def _review(plan):
    return ChildDecision.objects.filter(
        place__child=plan.child_id, place__stage=Stage.REVIEW
    ).values_list("pk", flat=True)


def _review_conference(plan):
    return Conference.objects.filter(attendees__decision__in=_review(plan))


# Plain statements, past every service: only the database sees them, and keeps the spans. Each
# changes the category on the day given, to the one given.
WRITES_PAST_THE_SERVICES = {
    "decision recategorised": (
        lambda plan: ChildDecision.objects.filter(pk__in=_review(plan)).update(categories=["SAB"]),
        QUARTER_END,
        "SAB",
    ),
    "decision removed": (
        lambda plan: ChildDecision.objects.filter(pk__in=_review(plan)).delete(),
        QUARTER_END,
        "NEG",
    ),
    "record back to draft": (
        lambda plan: ConferenceRecord.objects.filter(decisions__in=_review(plan)).update(
            status=RecordStatus.DRAFT
        ),
        QUARTER_END,
        "NEG",
    ),
    "review cancelled": (
        lambda plan: _review_conference(plan).update(status=ConferenceStatus.CANCELLED),
        QUARTER_END,
        "NEG",
    ),
    "review moved past the quarter end": (
        lambda plan: _review_conference(plan).update(starts_at=at(date(2015, 1, 5))),
        QUARTER_END,
        "NEG",
    ),
    "review moved to the plan's first day, where it belongs to the plan before": (
        lambda plan: _review_conference(plan).update(starts_at=at(date(2014, 4, 7), hour=15)),
        QUARTER_END,
        "NEG",
    ),
    "review's place given to another child": (
        lambda plan: ConferenceChild.objects.filter(decision__in=_review(plan)).update(
            child=ChildFactory()
        ),
        QUARTER_END,
        "NEG",
    ),
    "initial restaged as a review, which does not count on the plan's first day": (
        lambda plan: ConferenceChild.objects.filter(
            child=plan.child_id, stage=Stage.INITIAL
        ).update(stage=Stage.REVIEW),
        FIRST_MONTH_END,
        "",
    ),
    "plan ended before the review": (
        lambda plan: ChildProtectionPlan.objects.filter(pk=plan.pk).update(
            ended_on=date(2014, 9, 1)
        ),
        QUARTER_END,
        "NEG",
    ),
    "plan moved after the quarter end, with a census category": (
        lambda plan: ChildProtectionPlan.objects.filter(pk=plan.pk).update(
            started_on=date(2015, 1, 5), imported_latest_category="EMO"
        ),
        QUARTER_END,
        "EMO",
    ),
    "plan removed and recorded again from the census": (
        lambda plan: (
            ChildProtectionPlan.objects.filter(pk=plan.pk).delete(),
            PlanFactory(
                child_id=plan.child_id,
                started_on=date(2014, 11, 3),
                imported_latest_category=MULTIPLE,
            ),
        ),
        QUARTER_END,
        MULTIPLE,
    ),
}


@pytest.mark.parametrize("write", WRITES_PAST_THE_SERVICES, ids=str)
def test_a_plain_write_to_any_table_the_rule_reads_changes_the_category(reviewed, write):
    statement, day, category = WRITES_PAST_THE_SERVICES[write]
    plan_of_the_child = ChildProtectionPlan.objects.filter(child=reviewed.child_id)
    assert _latest(reviewed, day) != category

    statement(reviewed)

    assert [_latest(plan, day) for plan in plan_of_the_child] == [category]
    assert _kept() == _afresh()


def test_every_table_the_rule_reads_carries_the_triggers_for_inserts_updates_and_deletes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE %s",
            [f"{FOLLOWING_TRIGGER}%"],
        )
        found = set(cursor.fetchall())
    assert found == {
        (table, f"{FOLLOWING_TRIGGER}_{event}")
        for table in FOLLOWED
        for event in ("insert", "update", "delete")
    }


def test_an_update_that_changes_nothing_the_rule_reads_leaves_the_spans_alone(reviewed):
    before = list(PlanCategorySpan.objects.order_by("pk").values_list("pk", flat=True))
    Conference.objects.update(duration_minutes=90, postponement_detail="")
    ChildProtectionPlan.objects.update(end_reason="")
    assert list(PlanCategorySpan.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_the_application_role_keeps_the_spans_with_its_own_grants(reviewed):
    role = f"convene_test_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    assert grant_app_role(role=role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        ChildDecision.objects.filter(pk__in=_review(reviewed)).update(categories=["EMO"])
        cursor.execute("RESET ROLE")
    assert _latest(reviewed, QUARTER_END) == "EMO"


def test_working_out_every_span_afresh_moves_the_dashboards_fingerprint(reviewed):
    assert SPANS_TABLE in freshness.counted_tables()
    with transaction.atomic():
        before = freshness.fingerprint()
        refresh_all_plan_category_spans()
        assert freshness.fingerprint() != before


def test_migrate_works_every_span_out_afresh_when_the_installed_rule_is_not_this_one(reviewed):
    kept = _kept()
    PlanCategorySpan.objects.all().delete()  # as a loader with the triggers off leaves them
    install_plan_category_spans()
    assert _kept() == set()  # the same rule installed: nothing to work out again
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON FUNCTION refresh_plan_category_spans(bigint[]) IS 'older'")
    install_plan_category_spans()
    assert _kept() == kept


def test_the_command_works_every_span_out_afresh_after_a_load_with_the_triggers_off(reviewed):
    kept = _kept()
    PlanCategorySpan.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_plan_category_spans", stdout=out)
    assert _kept() == kept
    assert out.getvalue() == f"{len(kept)} category spans worked out afresh.\n"
