"""The "my work" home page: the trays each role will see, filled in as the service grows."""

from dataclasses import dataclass

from .models import Role, User


@dataclass(frozen=True)
class Tray:
    title: str
    description: str
    url_name: str | None = None  # None until the issue that builds the tray lands


TRAYS_BY_ROLE: dict[Role, tuple[Tray, ...]] = {
    Role.CLERK: (
        Tray(
            "Conferences to book",
            "Reviews due soon with no booking, invitations to send, short police notice, "
            "reports awaited, unborn children past their expected date.",
            "conferences:clerk_tray",
        ),
        Tray(
            "Search for a child",
            "Search by name, local case ID or date of birth.",
            "conferences:child_search",
        ),
        Tray("Records to distribute", "Conference records and decision letters not yet sent."),
    ),
    Role.IRO: (
        Tray(
            "Conferences you chair",
            "Your coming conferences and their social work reports.",
            "conferences:my_conferences",
        ),
        Tray("Outcomes to finalise", "Conferences held whose record you have not finalised."),
        Tray("Challenges awaiting response", "Challenges you raised that are still open."),
    ),
    Role.MANAGER: (
        Tray("Quarterly dashboard", "Every table of the annual report, computed live."),
        Tray("Escalations", "Challenges escalated to service manager level or above."),
    ),
    Role.ADVOCATE: (
        Tray(
            "Referrals",
            "Young people referred to the advocacy service, newest first.",
            "advocacy:tray",
        ),
    ),
    Role.ADMINISTRATOR: (Tray("Staff accounts", "Create, deactivate and unlock staff accounts."),),
}


def trays_for(user: User) -> list[tuple[str, tuple[Tray, ...]]]:
    """The user's trays grouped under each role they hold, in the order roles are defined."""
    return [(role.label, TRAYS_BY_ROLE[role]) for role in Role if user.has_role(role)]
