"""Chair continuity by the window agrees with the old correlated subquery on the demo history
(its own module: the history stays loaded for every test in a module that loads it)."""

import pytest

from conferences.models import Conference
from reporting.figures import Scope
from rules.periods import Period
from tests.reporting.test_chair_continuity import assert_agrees_with_the_old_definition


@pytest.mark.django_db
def test_chair_continuity_agrees_with_the_old_subquery_on_the_demo_history(loaded):
    years = [Scope(Period(year)) for year in range(2011, 2015)]
    chairs = (
        Conference.objects.order_by("chair_id").values_list("chair_id", flat=True).distinct()[:3]
    )
    scoped = [Scope(Period(2013), chair_id=chair) for chair in chairs]
    assert assert_agrees_with_the_old_definition(years + scoped) > 100
