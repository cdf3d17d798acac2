"""A child's age in whole years on a day: the advocacy offer (10 and over), the dashboard's age
bands and Annex A count by it.

The rule is here twice, side by side: in Python for a child in hand (``age_on``), and in SQL for
rows (``AgeInYears``). tests/rules/test_ages.py holds the two to the same answer.
"""

from datetime import date

from django.db.models import DateField, Func, IntegerField, Value


def age_on(born: date, day: date) -> int:
    """Whole years; someone born on 29 February is a year older on 1 March in other years."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class AgeInYears(Func):
    """Whole years from a birth date to ``day``, by PostgreSQL's age(): a child born on
    29 February turns a year older on 1 March in other years, as the advocacy age rule does."""

    output_field = IntegerField()

    def __init__(self, birth, day):
        # ``day``: a date, or an expression for one (a day per row, as the dashboard's join to
        # its quarter ends gives).
        if not hasattr(day, "resolve_expression"):
            day = Value(day, output_field=DateField())
        super().__init__(birth, day)

    def as_sql(self, compiler, connection, **extra):
        (birth, birth_params), (day, day_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return (
            f"(date_part('year', age({day}, {birth})))::integer",
            (*day_params, *birth_params),
        )
