"""Step 6, the reference rows: history staff, localities, agencies, venues and partners."""

from dataclasses import dataclass

from faker import Faker

from accounts.models import Role, Team, User
from conferences.choices import AgencyKind
from conferences.models import Agency, IroDetails, Locality, PostponementReason, Professional, Venue
from demo.history.arrangements import POSTPONEMENT_REASONS, ROSTER, VENUES
from demo.history.families import LOCALITY_WEIGHTS, SOCIAL_WORKERS_A_LOCALITY

STAFF_DOMAIN = "history.demo.convene.test"
AGENCIES = (
    ("Children's social care", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Constabulary child protection unit", AgencyKind.POLICE),
    ("Health visiting service", AgencyKind.HEALTH_VISITOR),
    ("School nursing service", AgencyKind.SCHOOL_NURSE),
    ("Midwifery service", AgencyKind.MIDWIFE),
    ("Riverside GP surgery", AgencyKind.GP),
    ("Brookside Primary School", AgencyKind.SCHOOL),
    ("Castle Hill Academy", AgencyKind.SCHOOL),
    ("Probation service", AgencyKind.PROBATION),
    ("Adult mental health service", AgencyKind.ADULT_MENTAL_HEALTH),
    ("Substance misuse service", AgencyKind.SUBSTANCE_MISUSE),
    ("Rutland County Council children's services", AgencyKind.OTHER_LOCAL_AUTHORITY),
)
PARTNERS = {  # agency name: (job title, how many)
    "Constabulary child protection unit": ("Child protection officer", 4),
    "Health visiting service": ("Health visitor", 4),
    "School nursing service": ("School nurse", 3),
    "Midwifery service": ("Midwife", 2),
    "Riverside GP surgery": ("GP", 3),
    "Brookside Primary School": ("Designated safeguarding lead", 1),
    "Castle Hill Academy": ("Designated safeguarding lead", 1),
    "Probation service": ("Probation officer", 1),
    "Adult mental health service": ("Community psychiatric nurse", 1),
    "Substance misuse service": ("Recovery worker", 1),
    "Rutland County Council children's services": ("Team manager", 1),
}


@dataclass
class Rows:
    """The reference rows the history uses: staff, places and partners."""

    iros: list[User]
    clerks: list[User]
    manager: User
    advocate: User
    localities: dict[str, Locality]
    agencies: dict[str, Agency]
    venues: dict[str, Venue]
    social_workers: dict[str, list[Professional]]
    team_managers: dict[str, Professional]
    partners: dict[str, list[Professional]]
    postponement_reasons: dict[str, PostponementReason]


def _staff_user(email: str, full_name: str, role: Role, team: Team | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:  # no usable password: history staff are never signed in as
        user = User.objects.create_user(email=email, full_name=full_name, roles=[role], team=team)
    return user


def reference_rows(fake: Faker) -> Rows:
    """Staff, localities, agencies, venues and partners: the existing rows where the present-day
    demo made them, new ones otherwise."""
    team = Team.objects.filter(name="IRO service").first()
    iros = []
    for number, (basis, fte, _, _) in enumerate(ROSTER, start=1):
        email = f"iro{number:02d}@{STAFF_DOMAIN}"
        user = _staff_user(email, fake.name(), Role.IRO, team)
        IroDetails.objects.get_or_create(user=user, defaults={"fte": fte, "basis": basis})
        iros.append(user)
    clerks = [
        _staff_user(f"clerk{n}@{STAFF_DOMAIN}", fake.name(), Role.CLERK, team) for n in (1, 2, 3)
    ]
    manager = _staff_user(f"manager@{STAFF_DOMAIN}", fake.name(), Role.MANAGER, team)
    advocate = _staff_user(f"advocate@{STAFF_DOMAIN}", fake.name(), Role.ADVOCATE, team)
    localities = {name: Locality.objects.get_or_create(name=name)[0] for name in LOCALITY_WEIGHTS}
    agencies = {
        name: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in AGENCIES
    }
    venues = {
        name: Venue.objects.get_or_create(name=name)[0]
        for names in VENUES.values()
        for name in names
    }
    reasons = {}
    for label in POSTPONEMENT_REASONS:
        reasons[label] = PostponementReason.objects.get_or_create(
            label=label, defaults={"needs_detail": label == "Other"}
        )[0]
    team_managers, social_workers, partners = _professionals(fake, localities, agencies)
    return Rows(
        iros,
        clerks,
        manager,
        advocate,
        localities,
        agencies,
        venues,
        social_workers,
        team_managers,
        partners,
        reasons,
    )


def _professional(fake: Faker, title: str, agency: Agency, **fields) -> Professional:
    name = fake.name()
    email = f"{name.split()[-1].lower()}.{fake.random_int(10, 99)}@partner.demo.convene.test"
    return Professional(full_name=name, job_title=title, email=email, agency=agency, **fields)


def _professionals(fake: Faker, localities: dict, agencies: dict):
    csc = agencies["Children's social care"]
    team_managers = {
        name: _professional(fake, "Locality team manager", csc, locality=locality)
        for name, locality in localities.items()
    }
    Professional.objects.bulk_create(team_managers.values())
    social_workers = {
        name: [
            _professional(
                fake, "Social worker", csc, locality=locality, manager=team_managers[name]
            )
            for _ in range(SOCIAL_WORKERS_A_LOCALITY)
        ]
        for name, locality in localities.items()
    }
    partners = {
        agency: [_professional(fake, title, agencies[agency]) for _ in range(count)]
        for agency, (title, count) in PARTNERS.items()
    }
    Professional.objects.bulk_create(
        [p for people in (*social_workers.values(), *partners.values()) for p in people]
    )
    return team_managers, social_workers, partners
