"""The year's main figures in plain hand-written SQL, the yardstick the dashboard is measured
against (issue 18): children on plans at each quarter end by category and by ethnicity,
conferences by type per quarter, plans started and ended, and a ten-year trend.

Ordinary SQL on the ordinary indexes, each figure one statement: not the app's rules (no
restricted records, imported plans or scopes), so its numbers are close to the dashboard's, not
equal; only its time is compared. Read-only.
"""

import time
from datetime import date

from django.db import connection

from rules.periods import Period

# The statements are built from this module's own constants; values go in as parameters.
# ruff: noqa: S608

HELD_ON = "timezone('Europe/London', c.starts_at)::date"
# The financial quarter (1 = April to June) of a date.
QUARTER = "((extract(month FROM {day})::int + 8) %% 12) / 3 + 1"  # %% for the driver
OPEN_AT = "p.started_on <= q.ends AND (p.ended_on IS NULL OR p.ended_on > q.ends)"

ON_PLANS_BY_CATEGORY = f"""
SELECT q.n, CASE WHEN cardinality(l.categories) > 1 THEN 'MUL'
                 ELSE coalesce(l.categories[1], '') END AS category, count(*)
FROM unnest(%(ends)s::date[]) WITH ORDINALITY AS q(ends, n)
JOIN conferences_childprotectionplan p ON {OPEN_AT}
LEFT JOIN LATERAL (
    SELECT d.categories
    FROM conferences_conferencechild cc
    JOIN conferences_conference c ON c.id = cc.conference_id AND c.status = 'held'
    JOIN conferences_childdecision d ON d.place_id = cc.id
    JOIN conferences_conferencerecord r ON r.id = d.record_id AND r.status = 'finalised'
    WHERE cc.child_id = p.child_id AND cardinality(d.categories) > 0
      AND {HELD_ON} BETWEEN p.started_on AND q.ends
    ORDER BY c.starts_at DESC
    LIMIT 1
) l ON true
GROUP BY 1, 2
"""

ON_PLANS_BY_ETHNICITY = f"""
SELECT q.n, ch.ethnicity, count(*)
FROM unnest(%(ends)s::date[]) WITH ORDINALITY AS q(ends, n)
JOIN conferences_childprotectionplan p ON {OPEN_AT}
JOIN conferences_child ch ON ch.id = p.child_id
GROUP BY 1, 2
"""

CONFERENCES_BY_TYPE = f"""
SELECT quarter, kind, count(*)
FROM (
    SELECT c.id, {QUARTER.format(day=HELD_ON)} AS quarter,
           string_agg(DISTINCT cc.stage, '/' ORDER BY cc.stage) AS kind
    FROM conferences_conference c
    JOIN conferences_conferencechild cc ON cc.conference_id = c.id
    WHERE c.status = 'held' AND {HELD_ON} BETWEEN %(start)s AND %(end)s
    GROUP BY c.id
) meetings
GROUP BY 1, 2
"""

PLANS_STARTED_AND_ENDED = f"""
SELECT 'started', {QUARTER.format(day="started_on")}, count(*)
FROM conferences_childprotectionplan WHERE started_on BETWEEN %(start)s AND %(end)s GROUP BY 2
UNION ALL
SELECT 'ended', {QUARTER.format(day="ended_on")}, count(*)
FROM conferences_childprotectionplan WHERE ended_on BETWEEN %(start)s AND %(end)s GROUP BY 2
"""

TEN_YEAR_TREND = f"""
SELECT 'on plans', q.ends, count(*)
FROM unnest(%(march_ends)s::date[]) AS q(ends)
JOIN conferences_childprotectionplan p ON {OPEN_AT}
GROUP BY 2
UNION ALL
SELECT 'started', make_date(y.year + 1, 3, 31), count(p.id)
FROM generate_series(%(first_year)s, %(year)s) AS y(year)
JOIN conferences_childprotectionplan p
  ON p.started_on BETWEEN make_date(y.year, 4, 1) AND make_date(y.year + 1, 3, 31)
GROUP BY 2
"""

FIGURES = {
    "children on plans at quarter ends, by category": ON_PLANS_BY_CATEGORY,
    "children on plans at quarter ends, by ethnicity": ON_PLANS_BY_ETHNICITY,
    "conferences by type, by quarter": CONFERENCES_BY_TYPE,
    "plans started and ended, by quarter": PLANS_STARTED_AND_ENDED,
    "ten-year trend (on plans at 31 March, started)": TEN_YEAR_TREND,
}


def parameters(year: int) -> dict:
    period = Period(year)
    return {
        "start": period.start,
        "end": period.end,
        "ends": [quarter.end for quarter in period.quarters()],
        "year": year,
        "first_year": year - 9,
        "march_ends": [date(y + 1, 3, 31) for y in range(year - 9, year + 1)],
    }


def run_all(year: int) -> dict[str, tuple[float, list]]:
    """Each figure's rows and the milliseconds it took, in one connection, one after another."""
    found = {}
    with connection.cursor() as cursor:
        for name, sql in FIGURES.items():
            started = time.perf_counter()
            cursor.execute(sql, parameters(year))
            rows = cursor.fetchall()
            found[name] = ((time.perf_counter() - started) * 1000, rows)
    return found
