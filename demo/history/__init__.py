"""Four years of invented case history, 2011-12 to 2014-15, that the figures read as the
reference report (appendix 3 and sections 5 to 7).

The history is planned in memory first (``plan_history``: pure, and the same for the same seed),
then written with bulk_create in one transaction. Every target is met by construction, in this
order, because each step fixes what the later ones build on:

1. the skeleton: initial meetings per year and type, which of them start plans (first reviews
   per year), how long each plan runs (subsequent reviews per year), and a few meetings moved
   across month ends (May/June 2014 and the 2014-15 quarter ends);
2. family sizes, so that children on plans at each 31 March and 2014-15 quarter end, and plans
   ended at their first review, are exact (if a seed's skeleton cannot be fitted, another is
   drawn from the same random stream, so a seed always gives the same history);
3. the children: repeat plans, ages at 31 March 2015 and ethnicity at each quarter end;
4. the decisions: categories at each quarter end and domestic abuse as a factor;
5. the meetings: chairs, times, venues, postponements, report receipt and core groups;
6. writing the rows (records, decisions and invitations included);
7. the service's other records: complaints, challenges, CUSAB, advocacy and questionnaires.

The modules follow those steps. ``targets`` holds the report's figures and ``in_memory`` the
planned history; step 1 is ``episodes``, ``lengths`` and ``month_ends``, step 2 ``sizes``,
step 3 ``families``, ``meetings`` and ``children``, step 4 ``decisions``, step 5
``arrangements``, and ``planning`` runs them in order. Steps 6 and 7 are ``reference`` (staff,
places and partners) and the ``write_*`` modules, which ``load_history`` below calls in order:
the order is the random stream's, so changing it changes the history.
"""

from datetime import time

from django.db import transaction

from conferences.models import Conference
from config.services import audited_write
from demo.census import record_census_details
from demo.history.planning import plan_history
from demo.history.reference import reference_rows
from demo.history.targets import DAY, HISTORY_END, aware
from demo.history.write_advocacy import write_advocacy
from demo.history.write_cases import write_conferences, write_people
from demo.history.write_challenges import write_challenges
from demo.history.write_complaints import appeal_places, write_appeals_and_dissent, write_complaints
from demo.history.write_cusab import write_cusab
from demo.history.write_invitations import write_invitations
from demo.history.write_questionnaires import write_questionnaires
from demo.history.write_records import write_core_groups, write_records
from rules.working_days import working_calendar

__all__ = ["load_history"]


def load_history(*, seed: int = 2015) -> None:
    """Write four years of invented history (2011-12 to 2014-15) whose figures are the
    reference report's, once: if any conference before April 2015 exists, nothing is done."""
    with transaction.atomic():
        if Conference.objects.filter(starts_at__lt=aware(HISTORY_END + DAY, time(0))).exists():
            return
        history = plan_history(seed=seed, calendar=working_calendar())
        with audited_write(None, "load_demo_history", bulk=True):
            rows = reference_rows(history.fake)
            write_people(history, rows)
            write_conferences(history, rows)
            write_records(history, rows)
            write_core_groups(history, rows)
            invitations = write_invitations(history, rows)
            appeals = appeal_places(history)
            write_complaints(history, rows)
            write_appeals_and_dissent(history, rows, appeals)
            write_challenges(history, rows)
            write_cusab(history, rows)
            write_advocacy(history, rows, appeals)
            write_questionnaires(history, rows, invitations)
            record_census_details(seed=seed)
