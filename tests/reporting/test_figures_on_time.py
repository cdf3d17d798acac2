"""Letters, records and first core groups in time: something not done yet is counted as not
done, and never as on time as well."""

from datetime import date

import pytest

from conferences.choices import ConferenceStatus, Stage
from conferences.models import ConferenceRecord
from conferences.plans.models import CoreGroupMeeting
from conferences.record.models import RecordStatus
from reporting.figures import Scope, figure
from rules.periods import Period
from tests.factories import ChildFactory, PlanFactory, at, make_conference

pytestmark = pytest.mark.django_db
YEAR = Scope(Period(2014))  # 2014-15


def test_a_letter_and_record_not_sent_yet_are_not_counted_on_time(iro):
    for letter_sent_on in (None, date(2014, 12, 19), date(2014, 12, 22)):
        conference = make_conference(
            children_stages=[(ChildFactory(), Stage.REVIEW)],
            chair=iro,
            starts_at=at(date(2014, 12, 18)),  # a Thursday: the letter is due on Friday
            status=ConferenceStatus.HELD,
        )
        ConferenceRecord.objects.create(
            conference=conference,
            status=RecordStatus.FINALISED,
            decision_letter_sent_on=letter_sent_on,
        )
    table = figure("distribution").table(YEAR)
    counts = {row: table.cell(row, "year") for row in ("letter_on_time", "letter_late")}
    assert counts == {"letter_on_time": 1, "letter_late": 1}
    assert table.cell("letter_not_sent", "year") == 1
    assert (table.cell("record_on_time", "year"), table.cell("record_not_sent", "year")) == (0, 3)


def test_a_plan_with_no_core_group_yet_is_not_counted_on_time(iro):
    on_time = PlanFactory(started_on=date(2014, 12, 1))
    PlanFactory(started_on=date(2014, 12, 1))  # no core group yet
    CoreGroupMeeting.objects.create(
        child=on_time.child,
        plan=on_time,
        held_on=date(2014, 12, 15),  # the tenth working day
        attendees="Social worker",
        recorded_by=iro,
    )
    table = figure("core-groups").table(YEAR)
    counts = {row: table.cell(row, "year") for row in ("started", "on_time", "late", "none")}
    assert counts == {"started": 2, "on_time": 1, "late": 0, "none": 1}
