"""The "my work" home page: each role's trays, each a link to the page that holds that work."""

from dataclasses import dataclass

from accounts.models import Role, User


@dataclass(frozen=True)
class Tray:
    title: str
    description: str
    url_name: str


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
    ),
    Role.IRO: (
        Tray(
            "Conferences you chair",
            "Your coming conferences and their social work reports.",
            "conferences:my_conferences",
        ),
        Tray(
            "Challenges awaiting response",
            "Challenges you raised that are still open.",
            "conferences:challenge_tray",
        ),
    ),
    Role.MANAGER: (
        Tray(
            "Quarterly dashboard",
            "Every table of the annual report, counted from the records as they are.",
            "reporting:dashboard",
        ),
        Tray(
            "Challenges and escalations",
            "Challenges awaiting a response, and every step of each, escalations included.",
            "conferences:challenge_tray",
        ),
    ),
    Role.ADVOCATE: (
        Tray(
            "Referrals",
            "Young people referred to the advocacy service, newest first.",
            "advocacy:tray",
        ),
    ),
    Role.ADMINISTRATOR: (
        Tray(
            "Staff accounts",
            "Create, deactivate and unlock staff accounts.",
            "staff:account_list",
        ),
    ),
}


def trays_for(user: User) -> list[tuple[str, tuple[Tray, ...]]]:
    """The user's trays grouped under each role they hold, in the order roles are defined."""
    return [(role.label, TRAYS_BY_ROLE[role]) for role in Role if user.has_role(role)]
