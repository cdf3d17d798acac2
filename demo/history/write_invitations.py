"""Step 6, writing the invitations of 2013-14 and 2014-15 and how each invitee took part."""

from datetime import date

from conferences.choices import Attendance, AttendanceMode, Stage
from conferences.models import Invitation, Professional
from demo.history.in_memory import History, Meeting, age
from demo.history.reference import Rows
from demo.history.targets import BATCH, DAY


def _invitees(rng, meeting: Meeting, rows: Rows) -> list[tuple[Professional, str]]:
    """Who was invited and how they took part (agency-attendance figure)."""
    household, held = meeting.household, meeting.held_on
    ages = [age(p.kid, held) for p in meeting.places if p.kid.born_on <= held]
    people = rows.partners
    chosen = [
        (rows.social_workers[household.locality][household.social_worker], "csc"),
        (rng.choice(people["Constabulary child protection unit"]), "police"),
    ]
    if not ages or min(ages) < 5:
        chosen.append((rng.choice(people["Health visiting service"]), "health"))
    if any(4 <= age <= 16 for age in ages):
        chosen.append((rng.choice(people["School nursing service"]), "health"))
        school = rng.choice(("Brookside Primary School", "Castle Hill Academy"))
        chosen.append((people[school][0], "school"))
    if Stage.PRE_BIRTH in meeting.stages:
        chosen.append((rng.choice(people["Midwifery service"]), "health"))
    if rng.random() < 0.7:
        chosen.append((rng.choice(people["Riverside GP surgery"]), "gp"))
    if rng.random() < 0.15:
        chosen.append((people["Adult mental health service"][0], "health"))
    if rng.random() < 0.1:
        chosen.append((people["Substance misuse service"][0], "other"))
    return chosen


ATTENDANCE = {  # how each kind of invitee took part: attended, report only, absent
    "csc": (97, 3, 0),
    "police": (55, 30, 15),
    "health": (80, 12, 8),
    "school": (55, 20, 25),
    "gp": (10, 45, 45),
    "other": (60, 20, 20),
}


def write_invitations(history: History, rows: Rows) -> list[Invitation]:
    """Invitations and attendance for the meetings of 2013-14 and 2014-15."""
    rng = history.rng
    invitations = []
    for meeting in history.meetings:
        if meeting.held_on < date(2013, 4, 1):
            continue
        notice = (5, 10) if meeting.stages & {Stage.INITIAL, Stage.PRE_BIRTH} else (8, 20)
        for professional, kind in _invitees(rng, meeting, rows):
            attendance = rng.choices(
                (Attendance.ATTENDED, Attendance.REPORT_ONLY, Attendance.ABSENT),
                ATTENDANCE[kind],
            )[0]
            mode = ""
            if attendance == Attendance.ATTENDED:
                mode = AttendanceMode.PHONE if rng.random() < 0.12 else AttendanceMode.IN_PERSON
            report = attendance != Attendance.ABSENT and rng.random() < 0.8
            invitations.append(
                Invitation(
                    conference=meeting.row,
                    professional=professional,
                    sent_on=meeting.held_on - DAY * rng.randint(*notice),
                    attendance=attendance,
                    attendance_mode=mode,
                    report_received_on=(
                        meeting.held_on - DAY * rng.randint(0, 4) if report else None
                    ),
                    report_in_agreed_format=(
                        (kind in ("csc", "health") or rng.random() < 0.3) if report else None
                    ),
                )
            )
    return Invitation.objects.bulk_create(invitations, batch_size=BATCH)
