"""Invented case records for demo mode: localities, agencies, families, children, conferences."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from conferences.choices import AgencyKind, ConferenceStatus, Ethnicity, Sex, Stage
from conferences.models import (
    Agency,
    Child,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    Family,
    Invitation,
    IroDetails,
    Locality,
    Professional,
    Venue,
)
from config.services import audited_write

LOCALITIES = ("Hinckley", "Loughborough", "Melton")
AGENCIES = (
    ("Children's social care", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Constabulary child protection unit", AgencyKind.POLICE),
    ("Health visiting service", AgencyKind.HEALTH_VISITOR),
    ("Brookside Primary School", AgencyKind.SCHOOL),
    ("Riverside GP surgery", AgencyKind.GP),
)
PROFESSIONALS = (
    ("Sam Taylor", "Team manager", "Children's social care", None),
    ("Jo Bennett", "Social worker", "Children's social care", "Sam Taylor"),
    ("PC Dev Malik", "Child protection officer", "Constabulary child protection unit", None),
    ("Helen Price", "Health visitor", "Health visiting service", None),
    ("Mr Owen Hart", "Designated safeguarding lead", "Brookside Primary School", None),
)
VENUES = ("County Hall, Room 4", "Hinckley Hub, Meeting Room 2", "Video call")


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_case_demo() -> None:
    """Create the demo case records once; running again changes nothing."""
    if Family.objects.filter(name="Fenwick").exists():
        return
    today = timezone.localdate()
    iro = User.objects.get(email="iro@demo.convene.test")
    clerk = User.objects.get(email="clerk@demo.convene.test")
    with audited_write(None, "load_demo"):
        IroDetails.objects.get_or_create(user=iro, defaults={"fte": 1})
        localities = {name: Locality.objects.get_or_create(name=name)[0] for name in LOCALITIES}
        agencies = {
            name: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in AGENCIES
        }
        people = {}
        for name, title, agency, manager in PROFESSIONALS:
            people[name] = Professional.objects.create(
                full_name=name,
                job_title=title,
                email=f"{name.split()[-1].lower()}@partner.demo.convene.test",
                agency=agencies[agency],
                manager=people.get(manager),
                locality=localities["Hinckley"],
            )
        venues = [Venue.objects.get_or_create(name=name)[0] for name in VENUES]

        fenwick = Family.objects.create(name="Fenwick")
        ruby = Child.objects.create(
            family=fenwick,
            local_case_id="DEMO0001",
            first_name="Ruby",
            last_name="Fenwick",
            date_of_birth=today - timedelta(days=365 * 7),
            sex=Sex.FEMALE,
            ethnicity=Ethnicity.WBRI,
            locality=localities["Hinckley"],
            social_worker=people["Jo Bennett"],
            strategy_discussion_on=today - timedelta(days=100),
        )
        Child.objects.create(
            family=fenwick,
            local_case_id="DEMO0002",
            first_name="Leo",
            last_name="Fenwick",
            date_of_birth=today - timedelta(days=365 * 2),
            sex=Sex.MALE,
            locality=localities["Hinckley"],
            social_worker=people["Jo Bennett"],
            strategy_discussion_on=today - timedelta(days=4),
        )
        initial = Conference.objects.create(
            family=fenwick,
            starts_at=_at(today - timedelta(days=80), 10),
            venue=venues[0],
            chair=iro,
            status=ConferenceStatus.HELD,
            is_past_record=True,
            booked_by=clerk,
        )
        ConferenceChild.objects.create(conference=initial, child=ruby, stage=Stage.INITIAL)
        for name in ("Jo Bennett", "PC Dev Malik", "Helen Price"):
            Invitation.objects.create(
                conference=initial,
                professional=people[name],
                sent_on=today - timedelta(days=90),
                attendance="attended",
                attendance_mode="in_person",
            )
        ChildProtectionPlan.objects.create(
            child=ruby, started_on=initial.starts_at.date(), categories=["NEG"]
        )

        okafor = Family.objects.create(name="Okafor")
        Child.objects.create(
            family=okafor,
            local_case_id="DEMO0003",
            last_name="Okafor",
            expected_date_of_birth=today + timedelta(days=40),
            sex=Sex.UNKNOWN,
            locality=localities["Melton"],
            strategy_discussion_on=today - timedelta(days=2),
        )
        restricted = Family.objects.create(name="Quill", is_restricted=True)
        restricted.named_staff.add(iro)
        Child.objects.create(
            family=restricted,
            local_case_id="DEMO0004",
            first_name="Orla",
            last_name="Quill",
            date_of_birth=today - timedelta(days=365 * 12),
            sex=Sex.FEMALE,
            locality=localities["Loughborough"],
            strategy_discussion_on=today - timedelta(days=1),
        )
