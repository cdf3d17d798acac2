"""The figures' day-held filter is the expression Conference's held_on index is built on."""

from datetime import date

import pytest
from django.db import connection

from conferences.models import Conference
from reporting.figures.sql import held_between


@pytest.mark.django_db
def test_the_figures_filter_meetings_on_the_day_held_by_the_indexed_expression():
    index = next(i for i in Conference._meta.indexes if i.name == "conference_held_on")
    with connection.schema_editor() as editor:
        created = str(index.create_sql(Conference, editor))
    held = Conference.objects.filter(held_between(date(2014, 4, 1), date(2015, 3, 31)))
    sql = str(held.query)
    indexed = '(timezone(Europe/London, "conferences_conference"."starts_at"))::date'
    assert "(timezone('Europe/London', \"starts_at\"))::date" in created
    assert f"{indexed} >= 2014-04-01" in sql
    assert f"{indexed} <= 2015-03-31" in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        query, params = held.query.sql_with_params()
        cursor.execute(f"EXPLAIN {query}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "conference_held_on" in plan
