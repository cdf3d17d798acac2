"""Invented people and records for demo mode: one account per role, and a few teams."""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.db import transaction

from accounts import services
from accounts.models import Role, Team, User
from config.services import audited_write

DEMO_PASSWORD = "convene-demo-password"  # noqa: S105 - demo only; load_demo refuses outside demo mode
# Every demo account's authenticator app uses this secret: add it to an authenticator app, or run
# `manage.py demo_code` for the current code.
DEMO_TOTP_SECRET = "CONVENEDEMOSECRETKEYFORDEMOUSERS"  # noqa: S105 - demo only

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
    # Giving anyone a role takes two administrators: one asks, the other approves.
    DemoUser(
        "admin2@demo.convene.test",
        "Ben Achterberg (second administrator)",
        (Role.ADMINISTRATOR,),
        "IRO service",
    ),
)


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create whatever demo data is missing; running it again changes nothing."""
    with audited_write(None, "load_demo"):
        teams = {}
        for name in DEMO_TEAMS:
            teams[name] = Team.objects.filter(name=name).first() or services.create_team(
                actor=None, name=name
            )
        for person in DEMO_USERS:
            user = User.objects.filter(email=person.email).first()
            if user is None:
                user = services.create_staff_account(
                    actor=None,
                    email=person.email,
                    full_name=person.full_name,
                    roles=person.roles,
                    team=teams[person.team],
                    password=DEMO_PASSWORD,
                )
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
            if Role.MANAGER in person.roles:
                # The demo manager may make the annual report PDF and export the statutory
                # returns; other managers are granted these by an administrator.
                for codename in ("generate_annual_report", "export_statutory_returns"):
                    user.user_permissions.add(Permission.objects.get(codename=codename))
    return list(DEMO_USERS)
