"""Which referrals a user may see. Advocates see the young people referred to the service and
nothing else of the case record; restricted records stay with their named staff."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.permissions import has_any_role
from conferences.models import Child, Family
from conferences.queries import children_visible_to

from .models import Referral


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    referrals = Referral.objects.select_related("child__family", "advocate")
    if has_any_role(user, Role.CLERK, Role.MANAGER, Role.IRO):
        return referrals.filter(child__in=children_visible_to(user))
    if has_any_role(user, Role.ADVOCATE):
        named_on_child = Exists(
            Child.named_staff.through.objects.filter(child_id=OuterRef("child_id"), user_id=user.pk)
        )
        named_on_family = Exists(
            Family.named_staff.through.objects.filter(
                family_id=OuterRef("child__family_id"), user_id=user.pk
            )
        )
        unrestricted = Q(child__is_restricted=False, child__family__is_restricted=False)
        return referrals.filter(
            unrestricted
            | Q(advocate=user)
            | (named_on_child & Q(child__family__is_restricted=False))
            | named_on_family
        )
    return referrals.none()


def get_referral_for(user: User, referral_id: int) -> Referral:
    return get_object_or_404(referrals_visible_to(user), pk=referral_id)
