"""Counting the dashboard ahead of the managers: every few minutes (Celery beat), if the records
have changed since the last time, this year's and last year's figures are computed into the
cache. A manager who opens the dashboard before that gets figures computed there and then:
the cache only ever holds figures for the records as they are."""

from django.core.cache import cache

from reporting.figures import Scope, compute
from reporting.freshness import fingerprint
from rules.periods import Period, financial_year_of
from rules.timescales import today

WARMED_KEY = "dashboard-warmed-for"
LOCK_KEY = "dashboard-warming"
LOCK_SECONDS = 15 * 60


def warm() -> bool:
    """Compute the figures managers open most; False if there was nothing new to do."""
    version = fingerprint()
    if cache.get(WARMED_KEY) == version or not cache.add(LOCK_KEY, version, LOCK_SECONDS):
        return False
    try:
        this_year = financial_year_of(today())
        for year in (this_year, this_year - 1):
            compute(Scope(Period(year)))
        cache.set(WARMED_KEY, version, None)
    finally:
        cache.delete(LOCK_KEY)
    return True
