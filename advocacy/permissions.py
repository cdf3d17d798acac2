"""Who may act on an advocacy referral. Seeing one is decided by ``queries.referrals_visible_to``;
acting on it is narrower: the young person's views belong to the advocate working with them."""

from accounts.models import Role, User
from accounts.permissions import has_any_role
from advocacy.models import Referral


def may_act_on(user: User, referral: Referral) -> bool:
    """Only the advocate assigned to a referral records the young person's views, attendance
    and appeal support, and moves the referral on."""
    return has_any_role(user, Role.ADVOCATE) and referral.advocate_id == user.pk


def may_take(user: User, referral: Referral) -> bool:
    """An advocate may take an open referral nobody is assigned to (they can already see it)."""
    return has_any_role(user, Role.ADVOCATE) and referral.advocate_id is None and referral.is_open


def sees_whole_referral(user: User) -> bool:
    """Advocates, clerks and managers who may see a referral see all of it; an IRO sees only
    what the advocate shared for the conference they chair (the views and that conference)."""
    return has_any_role(user, Role.ADVOCATE, Role.CLERK, Role.MANAGER)
