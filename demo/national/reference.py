"""Staff, localities, venues, agencies and partners for the national history, made with the ORM
(a few thousand rows at most): the existing rows on a second load."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from faker import Faker

from accounts.models import Role, Team, User
from conferences.choices import AgencyKind
from conferences.models import Agency, IroDetails, Locality, PostponementReason, Professional, Venue
from demo.history.arrangements import POSTPONEMENT_REASONS
from demo.national import shapes

DOMAIN = "national.bench.convene.test"
AGENCIES = {
    "csc": ("Children's social care", AgencyKind.CHILDRENS_SOCIAL_CARE, "Social worker"),
    "police": ("Police child protection units", AgencyKind.POLICE, "Detective constable"),
    "health_visitor": ("Health visiting services", AgencyKind.HEALTH_VISITOR, "Health visitor"),
    "school_nurse": ("School nursing services", AgencyKind.SCHOOL_NURSE, "School nurse"),
    "gp": ("General practices", AgencyKind.GP, "GP"),
    "school": ("Schools", AgencyKind.SCHOOL, "Designated safeguarding lead"),
    "midwife": ("Midwifery services", AgencyKind.MIDWIFE, "Midwife"),
}


@dataclass
class Reference:
    chairs: list[int]
    clerks: list[int]
    manager: int
    localities: list[int]
    venues: list[list[int]]  # by locality
    social_workers: list[list[int]]  # by locality
    partners: list[dict[str, list[int]]]  # by locality: agency key -> professional ids
    postponement_reasons: list[int]
    chairs_of_locality: list[list[int]]


def scaled(pair: tuple[int, int], scale: float) -> int:
    national, least = pair
    return max(least, round(national * scale))


def _user(email: str, full_name: str, roles: list[str], team: Team) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:  # no usable password: signed in only by the benchmark's test client
        user = User.objects.create_user(email=email, full_name=full_name, roles=roles, team=team)
    return user


def reference_rows(fake: Faker, scale: float) -> Reference:
    team = Team.objects.get_or_create(name="National IRO service")[0]
    chairs = []
    for number in range(1, scaled(shapes.CHAIRS, scale) + 1):
        user = _user(f"iro{number:03d}@{DOMAIN}", fake.name(), [Role.IRO], team)
        IroDetails.objects.get_or_create(user=user)
        chairs.append(user.pk)
    clerks = [
        _user(f"clerk{number:03d}@{DOMAIN}", fake.name(), [Role.CLERK], team).pk
        for number in range(1, scaled(shapes.CLERKS, scale) + 1)
    ]
    manager = _user(f"manager@{DOMAIN}", fake.name(), [Role.MANAGER], team)
    manager.user_permissions.add(Permission.objects.get(codename="export_statutory_returns"))
    agencies = {
        key: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for key, (name, kind, _) in AGENCIES.items()
    }
    localities, venues, social_workers, partners = [], [], [], []
    for number in range(1, scaled(shapes.LOCALITIES, scale) + 1):
        locality, made = Locality.objects.get_or_create(name=f"National locality {number:03d}")
        localities.append(locality.pk)
        venues.append(
            [
                Venue.objects.get_or_create(name=f"{locality.name} {place}")[0].pk
                for place in ("civic centre", "family centre")
            ]
        )
        people = Professional.objects.filter(locality=locality, email__endswith=DOMAIN)
        if made or not people.exists():
            _professionals(fake, locality, agencies)
        by_agency = {}
        for pk, title in people.order_by("pk").values_list("pk", "job_title"):
            by_agency.setdefault(title, []).append(pk)
        social_workers.append(by_agency[AGENCIES["csc"][2]])
        partners.append({key: by_agency[title] for key, (_, _, title) in AGENCIES.items()})
    reasons = [
        PostponementReason.objects.get_or_create(
            label=label, defaults={"needs_detail": label == "Other"}
        )[0].pk
        for label in POSTPONEMENT_REASONS
    ]
    # Each locality has its own chairs (continuity): chairs are shared out among them.
    chairs_of_locality = [
        [chair for index, chair in enumerate(chairs) if index % len(localities) == number]
        or [chairs[number % len(chairs)]]
        for number in range(len(localities))
    ]
    return Reference(
        chairs,
        clerks,
        manager.pk,
        localities,
        venues,
        social_workers,
        partners,
        reasons,
        chairs_of_locality,
    )


def _professionals(fake: Faker, locality: Locality, agencies: dict[str, Agency]) -> None:
    counts = {"csc": shapes.SOCIAL_WORKERS_A_LOCALITY, **shapes.PARTNERS_A_LOCALITY}
    made = []
    for key, count in counts.items():
        _, _, title = AGENCIES[key]
        for _ in range(count):
            name = fake.name()
            made.append(
                Professional(
                    full_name=name,
                    email=f"{name.split()[-1].lower()}.{len(made)}.{locality.pk}@{DOMAIN}",
                    job_title=title,
                    agency=agencies[key],
                    locality=locality,
                )
            )
    Professional.objects.bulk_create(made)
