"""Step 7, complaints, appeals and agency dissent in 2014-15 (5.6)."""

from datetime import date

from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason, ComplaintStage
from conferences.choices import Decision, Stage
from demo.history.in_memory import History, Kid, Place, age, meetings_2014_15
from demo.history.reference import Rows

COMPLAINTS = (  # the seeded reasons (complaints migration 0002), how many, and who complained
    ("Parent disputed accuracy of agency information presented to the conference", 3, "parent"),
    ("Parent dispute over the process or conduct of the meeting", 4, "parent"),
    (
        "Young person complaint over conduct of meeting and exclusion from meeting",
        1,
        "young_person",
    ),
    ("Parent complaint on sharing information within the conference", 1, "parent"),
)


def _full_name(kid: Kid) -> str:
    return f"{kid.first_name} {kid.household.name}"


def write_complaints(history: History, rows: Rows) -> None:
    """Nine complaints in 2014-15, one from a young person, all resolved at stage 1 (5.6.1)."""
    rng, calendar, fake = history.rng, history.calendar, history.fake
    meetings = rng.sample(meetings_2014_15(history, before=date(2015, 2, 20)), 40)
    complaints, stages = [], []
    for label, how_many, complainant in COMPLAINTS:
        reason = ComplaintReason.objects.get_or_create(label=label)[0]
        for _ in range(how_many):
            if complainant == "young_person":
                meeting, kid = next(
                    (m, p.kid) for m in meetings for p in m.places if age(p.kid, m.held_on) >= 12
                )
                name = _full_name(kid)
            else:
                meeting = meetings[0]
                kid = meeting.places[0].kid
                name = f"{fake.first_name()} {meeting.household.name}"
            meetings.remove(meeting)
            received = calendar.add_working_days(meeting.held_on, rng.randint(2, 12))
            complaint = Complaint(
                complainant=complainant,
                complainant_name=name,
                conference=meeting.row,
                child=kid.row,
                received_on=received,
                reason=reason,
                is_closed=True,
                resolved_at_stage=1,
                logged_by=rows.manager,
            )
            complaints.append(complaint)
            stages.append(
                ComplaintStage(
                    complaint=complaint,
                    stage=1,
                    started_on=received,
                    response_due_on=calendar.add_working_days(received, 10),
                    responded_on=calendar.add_working_days(received, rng.randint(4, 10)),
                    response="The team manager met the complainant and explained the process.",
                    outcome=rng.choice(("not_upheld", "not_upheld", "partly", "upheld")),
                )
            )
    Complaint.objects.bulk_create(complaints)
    ComplaintStage.objects.bulk_create(stages)


def appeal_places(history: History) -> list[Place]:
    """Two young people appealed against being made subject to a plan (5.6.1), with the
    advocate who began supporting them when the conference was booked (from May, so that their
    support began in 2014-15)."""
    places = [
        p
        for m in meetings_2014_15(history, before=date(2015, 2, 1))
        for p in m.places
        if m.held_on >= date(2014, 5, 1)
        and p.decision == Decision.PLAN
        and p.stage == Stage.INITIAL
        and age(p.kid, p.meeting.held_on) >= 12
    ]
    return history.rng.sample(places, 2)


def write_appeals_and_dissent(history: History, rows: Rows, appeals: list[Place]) -> None:
    rng, calendar = history.rng, history.calendar
    rows_appeals = []
    for place in appeals:
        received = calendar.add_working_days(place.meeting.held_on, rng.randint(3, 8))
        rows_appeals.append(
            Appeal(
                conference=place.meeting.row,
                child=place.kid.row,
                appellant="young_person",
                supported_by_advocate=True,
                received_on=received,
                grounds="I was not listened to; I do not think I need a child protection plan.",
                iro_meeting_on=calendar.add_working_days(received, rng.randint(3, 8)),
                outcome="Resolved when the IRO met the young person with the advocate: the plan "
                "stands and their views are recorded in it.",
            )
        )
    Appeal.objects.bulk_create(rows_appeals)
    transfer = next(
        m for m in meetings_2014_15(history) if Stage.RECEIVING_IN in m.stages
    )  # the agency representative came from the authority the family left
    AgencyDissent.objects.create(
        conference=transfer.row,
        agency=rows.agencies["Rutland County Council children's services"],
        point="Disagreed that the threshold for a plan was still met after the move.",
        raised_on=transfer.held_on,
        escalated_to="team_manager",
        resolved_on=calendar.add_working_days(transfer.held_on, 9),
        resolution="Resolved by letter and telephone discussion with the representative.",
    )
