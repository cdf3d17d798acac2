"""Each conference's meeting type, kept by the database in the transaction of every write to
its children's places: after any sequence of writes it is the type worked out afresh, and the
type the rule gives for the stages."""

import io
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from conferences.choices import ConferenceStatus, MeetingType, Stage
from conferences.models import Conference, ConferenceChild
from rules.meetings import (
    FOLLOWING_TRIGGER,
    KEEPING,
    PLACE_TABLE,
    install_meeting_types,
    meeting_type,
    refresh_all_meeting_types,
)
from tests.factories import ChildFactory, FamilyFactory, at, make_conference

pytestmark = pytest.mark.django_db


def _kept() -> dict[int, str]:
    return dict(Conference.objects.values_list("pk", "meeting_type"))


def _afresh() -> dict[int, str]:
    """The types worked out from scratch, in a savepoint rolled back."""
    with transaction.atomic():
        refresh_all_meeting_types()
        types = _kept()
        transaction.set_rollback(True)
    return types


def _by_the_rule() -> dict[int, str]:
    stages = {pk: [] for pk in Conference.objects.values_list("pk", flat=True)}
    for conference_id, stage in ConferenceChild.objects.values_list("conference_id", "stage"):
        stages[conference_id].append(stage)
    return {pk: meeting_type(found) if found else "" for pk, found in stages.items()}


def _assert_kept_is_the_rule() -> None:
    kept = _kept()
    assert kept == _afresh()
    assert kept == _by_the_rule()


# --- writes at random ------------------------------------------------------------------------


def _book(rng, chair, family) -> None:
    """A conference for one to three of the family's children, each at a stage of its own."""
    children = list(family.children.all())
    chosen = rng.sample(children, k=rng.randint(1, len(children)))
    make_conference(
        children_stages=[(child, rng.choice(list(Stage))) for child in chosen],
        chair=chair,
        starts_at=at(date(2014, 6, 2) + timedelta(days=rng.randrange(300)), hour=10),
        status=rng.choice([ConferenceStatus.HELD, ConferenceStatus.BOOKED]),
    )


def _places(family):
    return ConferenceChild.objects.filter(conference__family=family)


def _restage(rng, chair, family) -> None:
    ConferenceChild.objects.filter(pk__in=_places(family).order_by("?")[:1]).update(
        stage=rng.choice(list(Stage))
    )


def _restage_many(rng, chair, family) -> None:
    """One statement over several conferences' places."""
    ConferenceChild.objects.filter(pk__in=ConferenceChild.objects.order_by("?")[:4]).update(
        stage=rng.choice(list(Stage))
    )


def _restage_one_by_save(rng, chair, family) -> None:
    place = _places(family).order_by("?").first()
    if place is not None:
        place.stage = rng.choice(list(Stage))
        place.save()


def _remove_a_child(rng, chair, family) -> None:
    _places(family).filter(pk__in=_places(family).order_by("?")[:1]).delete()


def _add_a_child(rng, chair, family) -> None:
    conference = Conference.objects.filter(family=family).order_by("?").first()
    if conference is not None:
        ConferenceChild.objects.create(
            conference=conference,
            child=ChildFactory(family=family),
            stage=rng.choice(list(Stage)),
        )


def _move_a_place(rng, chair, family) -> None:
    """A place moved to another of the family's conferences: both conferences change."""
    place = _places(family).order_by("?").first()
    if place is None:
        return
    other = Conference.objects.filter(family=family).exclude(attendees__child=place.child_id)
    target = other.order_by("?").first()
    if target is not None:
        ConferenceChild.objects.filter(pk=place.pk).update(conference=target)


def _stale_save(rng, chair, family) -> None:
    """A Conference read, its children then changed, and the one read saved whole: the save
    writes back the type as it was read, which must not stick."""
    conference = Conference.objects.filter(family=family).order_by("?").first()
    if conference is not None:
        ConferenceChild.objects.filter(conference=conference).update(stage=rng.choice(list(Stage)))
        conference.duration_minutes = rng.choice([60, 90, 120])
        conference.save()


def _remove_a_conference(rng, chair, family) -> None:
    conference = Conference.objects.filter(family=family).order_by("?").first()
    if conference is not None:
        conference.delete()


WRITES = [
    _book,
    _book,
    _book,
    _restage,
    _restage_many,
    _restage_one_by_save,
    _remove_a_child,
    _add_a_child,
    _move_a_place,
    _stale_save,
    _remove_a_conference,
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_types_are_the_types_worked_out_afresh_after_any_writes(iro, seed):
    rng = random.Random(seed)
    families = []
    for _ in range(3):
        family = FamilyFactory()
        for _ in range(3):
            ChildFactory(family=family)
        families.append(family)
    written = set()
    for _ in range(40):
        write = rng.choice(WRITES)
        with transaction.atomic():
            write(rng, iro, rng.choice(families))
        written.add(write.__name__)
        _assert_kept_is_the_rule()
    assert len(written) >= 8
    assert set(_kept().values()) - {""}


# --- each write to the places is followed -----------------------------------------------------


@pytest.fixture
def siblings_at_review(iro):
    """A conference for two siblings at subsequent reviews."""
    family = FamilyFactory()
    older, younger = ChildFactory(family=family), ChildFactory(family=family)
    return make_conference(
        children_stages=[(older, Stage.REVIEW), (younger, Stage.REVIEW)],
        chair=iro,
        starts_at=at(date(2014, 6, 2)),
        status=ConferenceStatus.HELD,
    )


def _type(conference) -> str:
    return Conference.objects.values_list("meeting_type", flat=True).get(pk=conference.pk)


# Plain statements, past every service: only the database sees them, and keeps the type.
WRITES_PAST_THE_SERVICES = {
    "a child restaged": (
        lambda c: ConferenceChild.objects.filter(pk=c.attendees.first().pk).update(
            stage=Stage.INITIAL
        ),
        MeetingType.REVIEW_AND_INITIAL,
    ),
    "every child restaged": (
        lambda c: c.attendees.update(stage=Stage.FIRST_REVIEW),
        MeetingType.FIRST_REVIEW,
    ),
    "a child added": (
        lambda c: ConferenceChild.objects.create(
            conference=c, child=ChildFactory(family=c.family), stage=Stage.PRE_BIRTH
        ),
        MeetingType.REVIEW_AND_INITIAL,
    ),
    "every child removed": (lambda c: c.attendees.all().delete(), ""),
}


@pytest.mark.parametrize("write", WRITES_PAST_THE_SERVICES, ids=str)
def test_a_plain_write_to_the_places_changes_the_type(siblings_at_review, write):
    statement, expected = WRITES_PAST_THE_SERVICES[write]
    assert _type(siblings_at_review) == MeetingType.REVIEW

    statement(siblings_at_review)

    assert _type(siblings_at_review) == expected
    assert _kept() == _afresh()


def test_a_place_moved_to_another_conference_changes_both(iro, siblings_at_review):
    other = make_conference(
        children_stages=[(ChildFactory(family=siblings_at_review.family), Stage.PRE_BIRTH)],
        chair=iro,
        starts_at=at(date(2014, 7, 7)),
    )
    ConferenceChild.objects.filter(pk=siblings_at_review.attendees.first().pk).update(
        conference=other
    )
    assert _type(other) == MeetingType.REVIEW_AND_INITIAL
    assert _type(siblings_at_review) == MeetingType.REVIEW
    siblings_at_review.attendees.update(conference=other)
    assert _type(siblings_at_review) == ""


def test_a_conference_saved_whole_keeps_the_type_the_database_worked_out(siblings_at_review):
    read_before = Conference.objects.get(pk=siblings_at_review.pk)
    siblings_at_review.attendees.update(stage=Stage.INITIAL)
    read_before.duration_minutes = 60
    read_before.save()  # writes meeting_type = "review", as it was read
    assert _type(siblings_at_review) == MeetingType.INITIAL
    Conference.objects.filter(pk=siblings_at_review.pk).update(meeting_type=MeetingType.REVIEW)
    assert _type(siblings_at_review) == MeetingType.INITIAL


def test_keeping_the_type_writes_no_history_of_the_conference(siblings_at_review):
    events = siblings_at_review.events
    before = events.count()
    siblings_at_review.attendees.update(stage=Stage.INITIAL)
    assert _type(siblings_at_review) == MeetingType.INITIAL
    assert events.count() == before


def test_an_update_that_changes_no_stage_leaves_the_conference_row_alone(siblings_at_review):
    def row_version() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xmin::text FROM conferences_conference WHERE id = %s",
                [siblings_at_review.pk],
            )
            return cursor.fetchone()[0]

    with transaction.atomic():  # a later statement of this transaction would share the xmin
        before = row_version()
    ConferenceChild.objects.update(due_on=date(2014, 9, 1))
    siblings_at_review.attendees.update(stage=Stage.REVIEW)  # as it was
    assert row_version() == before


def test_the_places_carry_the_triggers_for_inserts_updates_and_deletes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE %s",
            [f"{FOLLOWING_TRIGGER}%"],
        )
        found = set(cursor.fetchall())
    assert found == {
        (PLACE_TABLE, f"{FOLLOWING_TRIGGER}_{event}") for event in ("insert", "update", "delete")
    }


def test_migrate_works_every_type_out_afresh_when_the_installed_rule_is_not_this_one(
    siblings_at_review,
):
    _forget_the_types()
    install_meeting_types()
    assert _type(siblings_at_review) == ""  # the same rule installed: nothing worked out again
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON FUNCTION refresh_meeting_types(bigint[]) IS 'older'")
    install_meeting_types()
    assert _type(siblings_at_review) == MeetingType.REVIEW


def _forget_the_types() -> None:
    """As a loader with the triggers off leaves them (past the guard, as the refresh is)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [KEEPING])
        cursor.execute("UPDATE conferences_conference SET meeting_type = ''")
        cursor.execute("SELECT set_config(%s, '', true)", [KEEPING])


def test_the_command_works_every_type_out_afresh_after_a_load_with_the_triggers_off(
    siblings_at_review,
):
    _forget_the_types()
    out = io.StringIO()
    call_command("refresh_meeting_types", stdout=out)
    assert _type(siblings_at_review) == MeetingType.REVIEW
    assert out.getvalue() == "1 meeting types worked out afresh.\n"
