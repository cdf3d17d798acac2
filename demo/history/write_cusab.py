"""Step 7, CUSAB risk meetings in 2014-15 (section 7)."""

from datetime import date, time

from conferences.choices import Sex
from conferences.cusab.models import CusabChair, CusabMeeting, WhyIroChaired
from conferences.models import Child, Family
from demo.history.episodes import working_days_by_month
from demo.history.families import surname
from demo.history.in_memory import History
from demo.history.reference import Rows
from demo.history.targets import DAY, aware

CUSAB = {CusabChair.IRO: 35, CusabChair.LOCALITY_MANAGER: 9}  # 7.3; localities since October


def write_cusab(history: History, rows: Rows) -> None:
    """CUSAB risk meetings in 2014-15: 35 chaired by IROs (until October 2014 any case; since
    then only looked-after, arrested or charged, or complex ones) and, since October, some by
    locality team managers (section 7)."""
    rng, calendar, fake = history.rng, history.calendar, history.fake
    households = [
        Family(name=surname(fake), created_at=aware(date(2014, 3, 3), time(11, 0)))
        for _ in range(30)
    ]
    Family.objects.bulk_create(households)
    children = []
    for family in households:
        locality = rng.choice(list(rows.localities.values()))
        sex = rng.choice((Sex.MALE, Sex.MALE, Sex.FEMALE))
        children.append(
            Child(
                family=family,
                local_case_id=f"HIST{next(history.kid_keys):05d}",
                first_name=fake.first_name_male() if sex == Sex.MALE else fake.first_name_female(),
                last_name=family.name,
                date_of_birth=date(2014, 4, 1) - DAY * rng.randint(11 * 365, 17 * 365),
                sex=sex,
                ethnicity="WBRI",
                locality=locality,
            )
        )
    Child.objects.bulk_create(children)
    days = working_days_by_month(calendar, 2014)
    meetings = []
    lead_iro, other_iro = rows.iros[0], rows.iros[1]  # the lead IRO for CUSAB chairs most
    for chaired_by, total in CUSAB.items():
        by_iro = chaired_by == CusabChair.IRO
        months = range(12) if by_iro else range(6, 12)  # localities chair some from October
        for n in range(total):
            month = months[n * len(months) // total]
            held = rng.choice(days[month])
            why, iro, manager = "", None, ""
            if by_iro:
                weights = (25, 25, 50) if month < 6 else (30, 30, 40)
                why = rng.choices(list(WhyIroChaired), weights)[0]
                iro = lead_iro if rng.random() < 0.7 else other_iro
            else:
                manager = rng.choice(list(rows.team_managers.values())).full_name
            next_on = held + DAY * rng.randint(42, 70) if rng.random() < 0.5 else None
            meetings.append(
                CusabMeeting(
                    child=rng.choice(children),
                    held_on=held,
                    chaired_by=chaired_by,
                    iro=iro,
                    locality_manager=manager,
                    why_iro_chaired=why,
                    outcome="Risk assessment agreed; safety plan and review date set.",
                    next_meeting_on=next_on,
                    recorded_by=rows.clerks[0],
                )
            )
    CusabMeeting.objects.bulk_create(meetings)
