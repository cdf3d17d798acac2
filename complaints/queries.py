"""Which complaints, appeals and dissent a user may see: only those about a conference and a
child the user may see (``conferences/queries.py``), so a tray never reveals a hidden record."""

from django.db.models import QuerySet

from accounts.models import Role, User
from accounts.permissions import has_any_role
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintStage
from conferences.queries import among, children_visible_to, conferences_visible_to

STAFF = (Role.CLERK, Role.MANAGER)


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    if not has_any_role(user, *STAFF):
        return Complaint.objects.none()
    return Complaint.objects.filter(
        among(conferences_visible_to(user), "conference_id"),
        among(children_visible_to(user), "child_id"),
    )


def appeals_visible_to(user: User) -> QuerySet[Appeal]:
    if not has_any_role(user, *STAFF):
        return Appeal.objects.none()
    return Appeal.objects.filter(
        among(conferences_visible_to(user), "conference_id"),
        among(children_visible_to(user), "child_id"),
    )


def dissents_visible_to(user: User) -> QuerySet[AgencyDissent]:
    if not has_any_role(user, *STAFF):
        return AgencyDissent.objects.none()
    return AgencyDissent.objects.filter(among(conferences_visible_to(user), "conference_id"))


def responses_due_for(user: User, stages: QuerySet[ComplaintStage]) -> QuerySet[ComplaintStage]:
    """The stages of ``stages`` whose complaint this user may see."""
    return stages.filter(among(complaints_visible_to(user), "complaint_id"))
