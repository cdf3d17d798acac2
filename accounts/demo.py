"""Invented people and records for demo mode: one account per role, and a few teams."""

from dataclasses import dataclass

import pghistory
from django.db import transaction

from . import services
from .models import Role, Team, User

DEMO_PASSWORD = "convene-demo-password"  # noqa: S105 - demo only; load_demo refuses outside demo mode

DEMO_TEAMS = ("IRO service", "Hinckley locality", "Loughborough locality", "Melton locality")


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    roles: tuple[Role, ...]
    team: str


DEMO_USERS = (
    DemoUser("iro@demo.convene.test", "Imogen Reid (IRO)", (Role.IRO,), "IRO service"),
    DemoUser("clerk@demo.convene.test", "Colin Lewis (clerk)", (Role.CLERK,), "IRO service"),
    DemoUser("manager@demo.convene.test", "Mona Ashe (manager)", (Role.MANAGER,), "IRO service"),
    DemoUser("advocate@demo.convene.test", "Ade Okoro (advocate)", (Role.ADVOCATE,), "IRO service"),
    DemoUser(
        "admin@demo.convene.test",
        "Abi Mensah (administrator)",
        (Role.ADMINISTRATOR,),
        "IRO service",
    ),
)


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create whatever demo data is missing; running it again changes nothing."""
    with pghistory.context(action="load_demo"):
        teams = {}
        for name in DEMO_TEAMS:
            teams[name] = Team.objects.filter(name=name).first() or services.create_team(
                actor=None, name=name
            )
        for person in DEMO_USERS:
            if not User.objects.filter(email=person.email).exists():
                services.create_staff_account(
                    actor=None,
                    email=person.email,
                    full_name=person.full_name,
                    roles=person.roles,
                    team=teams[person.team],
                    password=DEMO_PASSWORD,
                )
    return list(DEMO_USERS)
