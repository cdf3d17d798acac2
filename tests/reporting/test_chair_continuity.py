"""Chair continuity, counted by a window over each child's held meetings, gives the numbers the
correlated subquery it replaced gave."""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from conferences.choices import REVIEW_STAGES, ConferenceStatus, Stage
from conferences.models import ConferenceChild
from reporting.figures import Scope, figure
from reporting.figures.base import quarter_columns
from rules.periods import Period
from tests.factories import ChildFactory, FamilyFactory, UserFactory, make_conference


def old_same_chair_places(scope, column) -> set[int]:
    """The definition before the window, kept as the reference: each review place's previous
    chair by a correlated subquery (the child's latest held meeting before this one)."""
    previous_chair = Subquery(
        ConferenceChild.objects.filter(
            child=OuterRef("child_id"),
            conference__status=ConferenceStatus.HELD,
            conference__starts_at__lt=OuterRef("conference__starts_at"),
        )
        .order_by("-conference__starts_at")
        .values("conference__chair_id")[:1]
    )
    places = ConferenceChild.objects.filter(
        conference__status=ConferenceStatus.HELD,
        conference__starts_at__date__gte=column.start,
        conference__starts_at__date__lte=column.end,
        stage__in=REVIEW_STAGES,
    )
    if scope.chair_id:
        places = places.filter(conference__chair_id=scope.chair_id)
    if scope.locality_id:
        places = places.filter(child__locality_id=scope.locality_id)
    return set(
        places.annotate(previous_chair=previous_chair)
        .filter(previous_chair=F("conference__chair_id"))
        .values_list("pk", flat=True)
    )


def assert_agrees_with_the_old_definition(scopes) -> int:
    """Compares place by place and cell by cell; returns how many same-chair places it saw."""
    continuity, seen = figure("chair-continuity"), 0
    for scope in scopes:
        table = continuity.table(scope)
        for column in quarter_columns(scope):
            new = continuity.base(scope, column).filter(
                continuity.conditions(scope, column)["same_chair"]
            )
            old = old_same_chair_places(scope, column)
            assert set(new.values_list("pk", flat=True)) == old, (scope, column)
            assert table.cell("same_chair", column.key) == len(old)
            seen += len(old)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_chair_continuity_agrees_with_the_old_subquery_on_random_records(seed):
    """Many families; meetings held, postponed, cancelled or still booked; several on one day
    (also just after midnight in summer, the day before in UTC); three chairs, so that the same
    chair comes round often but not always."""
    rng = random.Random(seed)
    chairs = UserFactory.create_batch(3)
    statuses = [ConferenceStatus.HELD] * 6 + [
        ConferenceStatus.POSTPONED,
        ConferenceStatus.CANCELLED,
        ConferenceStatus.BOOKED,
    ]
    for _ in range(25):
        family = FamilyFactory()
        children = ChildFactory.create_batch(rng.randint(1, 3), family=family)
        days = [date(2013, 1, 1) + timedelta(days=rng.randint(0, 900)) for _ in range(6)]
        days += rng.sample(days, 2)  # more than one meeting on some days
        moments = {
            (day, rng.choice([time(0, 30), time(10), time(14), time(23, 30)])) for day in days
        }
        for day, clock in moments:  # one family meeting at a time, as booking ensures
            at = timezone.make_aware(datetime.combine(day, clock))
            there = rng.sample(children, rng.randint(1, len(children)))
            make_conference(
                children_stages=[(child, rng.choice(list(Stage))) for child in there],
                chair=rng.choice(chairs),
                starts_at=at,
                status=rng.choice(statuses),
            )
    years = [Scope(Period(year)) for year in (2012, 2013, 2014, 2015)]
    scoped = [Scope(Period(2014), chair_id=chair.pk) for chair in chairs]
    assert assert_agrees_with_the_old_definition(years + scoped) > 0


@pytest.mark.django_db
def test_a_review_counts_as_same_chair_only_after_a_held_meeting_with_that_chair(iro):
    other = UserFactory()
    child = ChildFactory()

    def meeting(day, chair, stage, status=ConferenceStatus.HELD):
        at = timezone.make_aware(datetime.combine(day, time(10)))
        make_conference(children_stages=[(child, stage)], chair=chair, starts_at=at, status=status)

    meeting(date(2014, 4, 10), iro, Stage.INITIAL)
    meeting(date(2014, 6, 10), other, Stage.FIRST_REVIEW, ConferenceStatus.POSTPONED)
    meeting(date(2014, 7, 10), iro, Stage.FIRST_REVIEW)  # same chair as the initial
    meeting(date(2014, 12, 10), other, Stage.REVIEW)  # a new chair
    meeting(date(2015, 1, 10), other, Stage.REVIEW)  # same again
    table = figure("chair-continuity").table(Scope(Period(2014)))
    assert table.cell("reviews", "year") == 3
    assert table.cell("same_chair", "year") == 2
    assert table.cell("same_chair", "q2") == 1
    assert table.cell("same_chair", "q3") == 0
    assert table.cell("same_chair", "q4") == 1
