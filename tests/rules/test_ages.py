"""The age rule's Python and SQL forms agree, leap-day birthdays included."""

from datetime import date

import pytest
from django.db.models import F

from conferences.models import Child
from rules.ages import AgeInYears, age_on
from tests.factories import ChildFactory

BIRTHS = [date(2016, 2, 29), date(2015, 3, 1), date(2016, 12, 31), date(2010, 6, 15)]
DAYS = [
    date(2026, 2, 28),
    date(2026, 3, 1),
    date(2024, 2, 29),
    date(2026, 6, 14),
    date(2026, 6, 15),
]


@pytest.mark.django_db
def test_the_sql_age_agrees_with_the_python_age_on_every_day():
    children = [ChildFactory(date_of_birth=born) for born in BIRTHS]
    for day in DAYS:
        in_sql = dict(
            Child.objects.filter(pk__in=[child.pk for child in children])
            .annotate(age=AgeInYears(F("date_of_birth"), day))
            .values_list("pk", "age")
        )
        in_python = {child.pk: age_on(child.date_of_birth, day) for child in children}
        assert in_sql == in_python, day


def test_a_leap_day_birthday_comes_on_the_first_of_march():
    born = date(2016, 2, 29)
    assert [age_on(born, day) for day in DAYS[:3]] == [9, 10, 8]
