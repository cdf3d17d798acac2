"""The service navigation: which sections each role sees."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Role, User


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None = None  # None: every signed-in user
    permission: str = ""  # a named permission the user must also hold

    @property
    def url(self) -> str:
        return reverse(self.url_name)


CASE_ROLES = frozenset({Role.CLERK, Role.IRO, Role.MANAGER})

NAV_ITEMS = (
    NavItem("My work", "home"),
    NavItem("Find a child", "conferences:child_search", CASE_ROLES),
    NavItem("Clerk's tray", "conferences:clerk_tray", frozenset({Role.CLERK, Role.MANAGER})),
    NavItem("My conferences", "conferences:my_conferences", frozenset({Role.IRO})),
    NavItem("Chairs' weeks", "conferences:chair_week", CASE_ROLES),
    NavItem("Contacts", "conferences:professional_list", CASE_ROLES),
    NavItem("Notifications", "conferences:notification_log", CASE_ROLES),
    NavItem(
        "Advocacy",
        "advocacy:tray",
        frozenset({Role.ADVOCATE, Role.CLERK, Role.MANAGER}),
    ),
    NavItem("Dashboard", "reporting:dashboard", frozenset({Role.MANAGER})),
    NavItem("Annual report", "reporting:annual_list", frozenset({Role.MANAGER})),
    NavItem(
        "Statutory returns",
        "reporting:statutory_returns",
        frozenset({Role.MANAGER}),
        permission="reporting.export_statutory_returns",
    ),
    NavItem("Challenges", "conferences:challenge_tray", frozenset({Role.IRO, Role.MANAGER})),
    NavItem("Complaints", "complaints:tray", frozenset({Role.CLERK, Role.MANAGER})),
    NavItem("Staff accounts", "staff:account_list", frozenset({Role.ADMINISTRATOR})),
    NavItem("Teams", "staff:team_list", frozenset({Role.ADMINISTRATOR})),
    NavItem("Sign-in log", "staff:security_log", frozenset({Role.ADMINISTRATOR})),
    NavItem("Lists", "conferences:reference_lists", frozenset({Role.ADMINISTRATOR})),
    NavItem("Audit trail", "reporting:audit_log", frozenset({Role.MANAGER, Role.ADMINISTRATOR})),
)


def items_for(user: User) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    held = set(user.roles)
    return [
        item
        for item in NAV_ITEMS
        if (item.roles is None or item.roles & held)
        and (not item.permission or user.has_perm(item.permission))
    ]
