"""Reads of case data, always scoped to what the user may see.

Restricted children and families are visible only to the staff named on them: nobody else can
find them, list them or open them, managers included.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, User
from accounts.permissions import has_any_role
from conferences.models import Child, Conference, ConferenceChild, Family

CASE_ROLES = (Role.CLERK, Role.IRO, Role.MANAGER)


def _named(model, user: User, outer: str = "pk"):
    through = model.named_staff.through
    owner = f"{model._meta.model_name}_id"
    return Exists(through.objects.filter(**{owner: OuterRef(outer), "user_id": user.pk}))


def among(records: QuerySet, column: str = "pk") -> Exists:
    """The row whose ``column`` names one of ``records``, as a correlated ``EXISTS``. Filter
    (or exclude) with it rather than ``column__in=records``: PostgreSQL turns ``EXISTS`` and
    ``NOT EXISTS`` into semi- and anti-joins, while a ``NOT IN (subquery)`` over every visible
    record at national scale no longer fits in memory to hash and is searched row by row."""
    return Exists(records.filter(pk=OuterRef(column)))


def none_or_among(records: QuerySet, column: str) -> Exists:
    """The row whose nullable foreign key ``column`` is empty or names one of ``records``, as a
    ``NOT EXISTS`` of a record it names that is not among them. PostgreSQL anti-joins that
    once against the few hidden records; ``IS NULL OR EXISTS`` it can only test row by row."""
    named_but_not_among = records.model.objects.filter(pk=OuterRef(column)).exclude(among(records))
    return ~Exists(named_but_not_among)


def _can_see_cases(user: User) -> bool:
    return user.is_authenticated and user.is_active and bool(set(user.roles) & set(CASE_ROLES))


def families_visible_to(user: User) -> QuerySet[Family]:
    if not _can_see_cases(user):
        return Family.objects.none()
    return families_not_hidden_from(user)


def children_visible_to(user: User) -> QuerySet[Child]:
    if not _can_see_cases(user):
        return Child.objects.none()
    return children_not_hidden_from(user)


def conferences_visible_to(user: User) -> QuerySet[Conference]:
    """Conferences for visible families at which every child is visible: a conference must not
    reveal a restricted sibling."""
    return _conferences_of(families_visible_to(user), children_visible_to(user))


# The restriction rule alone, whatever roles the user holds. Only for saying that a record exists
# and who changed it when (the audit trail administrators read): never for showing its contents.
def families_not_hidden_from(user: User) -> QuerySet[Family]:
    """Families whose restriction does not hide them from this user."""
    return Family.objects.filter(Q(is_restricted=False) | _named(Family, user))


def children_not_hidden_from(user: User) -> QuerySet[Child]:
    """Children whose restriction (or their family's) does not hide them from this user."""
    return Child.objects.filter(
        Q(is_restricted=False) | _named(Child, user),
        Q(family__is_restricted=False) | _named(Family, user, "family_id"),
    )


def conferences_not_hidden_from(user: User) -> QuerySet[Conference]:
    """Conferences no restriction hides from this user (family and every child)."""
    return _conferences_of(families_not_hidden_from(user), children_not_hidden_from(user))


def _conferences_of(families: QuerySet[Family], children: QuerySet[Child]) -> QuerySet[Conference]:
    hidden_child_here = ConferenceChild.objects.filter(conference=OuterRef("pk")).exclude(
        among(children, "child_id")
    )
    return Conference.objects.filter(among(families, "family_id")).exclude(
        Exists(hidden_child_here)
    )


def search_children(user: User, text: str) -> QuerySet[Child]:
    """Children matching a name, a local case ID, or a date of birth (dd/mm/yyyy)."""
    from conferences.fields import parse_uk_date

    text = " ".join(text.split())
    children = children_visible_to(user).select_related("family", "locality")
    if not text:
        return children.none()
    day = parse_uk_date(text)
    if day is not None:
        return children.filter(Q(date_of_birth=day) | Q(expected_date_of_birth=day))
    condition = Q(local_case_id__iexact=text)
    for word in text.split(" "):
        condition |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return children.filter(condition)


def cusab_meetings_visible_to(user: User) -> QuerySet:
    """CUSAB meetings of the children this user may see."""
    from conferences.cusab.models import CusabMeeting

    return CusabMeeting.objects.filter(among(children_visible_to(user), "child_id")).select_related(
        "child", "iro"
    )


def challenges_visible_to(user: User) -> QuerySet:
    """Challenges a manager may see (all about children they may see, and those about no child);
    an IRO sees the ones they raised."""
    from conferences.challenges.models import Challenge

    visible = Challenge.objects.select_related(
        "reason", "raised_with_team", "raised_with_agency", "raised_by"
    ).filter(none_or_among(children_visible_to(user), "child_id"))
    if has_any_role(user, Role.MANAGER):
        return visible
    if has_any_role(user, Role.IRO):
        return visible.filter(raised_by=user)
    return visible.none()
