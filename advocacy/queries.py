"""Which referrals a user may see. Every read of a referral goes through ``referrals_visible_to``.

- Advocates see the referrals assigned to them and the unassigned ones (which they may take);
  a restricted child's referral only if they are named on the record (or it was assigned to
  them). Nothing else of the case record.
- IROs see only what the advocate shares with them: a referral whose young person's views are
  recorded, for a conference they chair and may see (``conferences/queries.py``). Read-only.
- Clerks and managers see the referrals of the children they may see. Read-only.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, User
from accounts.permissions import has_any_role
from advocacy.models import Referral, ReferralConference
from conferences.cases.access_log import get_shown_or_404
from conferences.models import Child, Family
from conferences.queries import among, children_visible_to, conferences_visible_to


def _named_on_record(user: User) -> Q:
    """The same rule as ``children_visible_to``: restricted child and restricted family each
    need the user named on them."""
    named_on_child = Exists(
        Child.named_staff.through.objects.filter(child_id=OuterRef("child_id"), user_id=user.pk)
    )
    named_on_family = Exists(
        Family.named_staff.through.objects.filter(
            family_id=OuterRef("child__family_id"), user_id=user.pk
        )
    )
    return (Q(child__is_restricted=False) | named_on_child) & (
        Q(child__family__is_restricted=False) | named_on_family
    )


def _advocates_referrals(user: User) -> Q:
    return Q(advocate=user) | (Q(advocate__isnull=True) & _named_on_record(user))


def _shared_with_chair(user: User) -> Q:
    chaired_here = ReferralConference.objects.filter(
        among(conferences_visible_to(user), "conference_id"),
        referral=OuterRef("pk"),
        conference__chair=user,
    )
    return (
        Exists(chaired_here)
        & ~Q(young_person_views="")
        & among(children_visible_to(user), "child_id")
    )


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    referrals = Referral.objects.select_related("child__family", "advocate")
    allowed = []
    if has_any_role(user, Role.CLERK, Role.MANAGER):
        allowed.append(among(children_visible_to(user), "child_id"))
    if has_any_role(user, Role.ADVOCATE):
        allowed.append(_advocates_referrals(user))
    if has_any_role(user, Role.IRO):
        allowed.append(_shared_with_chair(user))
    if not allowed:
        return referrals.none()
    return referrals.filter(reduce(or_, allowed))


def get_referral_for(user: User, referral_id: int) -> Referral:
    return get_shown_or_404(referrals_visible_to(user), pk=referral_id)


def referral_conferences_visible_to(user: User) -> QuerySet[ReferralConference]:
    """Which of a visible referral's conferences this user may see on it: an advocate every one
    (they record attendance); clerks and managers those ``conferences_visible_to`` lets them
    see; an IRO only those they also chair."""
    links = ReferralConference.objects.filter(
        among(referrals_visible_to(user), "referral_id")
    ).select_related("conference__chair")
    if has_any_role(user, Role.ADVOCATE):
        return links
    allowed = []
    if has_any_role(user, Role.CLERK, Role.MANAGER):
        allowed.append(among(conferences_visible_to(user), "conference_id"))
    if has_any_role(user, Role.IRO):
        allowed.append(
            among(conferences_visible_to(user), "conference_id") & Q(conference__chair=user)
        )
    return links.filter(reduce(or_, allowed)) if allowed else links.none()


def conferences_of_referral_for(user: User, referral: Referral) -> QuerySet[ReferralConference]:
    return (
        referral_conferences_visible_to(user)
        .filter(referral=referral)
        .order_by("conference__starts_at")
    )


def views_shared_at(user: User, conference) -> QuerySet[Referral]:
    """The young people's views the advocate has recorded for this conference, as this user
    may see them (the chair's record page)."""
    return (
        referrals_visible_to(user)
        .filter(conferences__conference=conference)
        .exclude(young_person_views="")
    )
