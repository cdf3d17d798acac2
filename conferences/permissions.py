"""Who may do what with case records, and fetch-and-authorise helpers that answer 404.

Each fetcher notes what it hands the view (``access_log.note_shown``), so a page that answers
2xx writes the child's access log without code of its own.
"""

from accounts.models import Role, User
from accounts.permissions import has_any_role, role_required
from conferences.cases.access_log import get_shown_or_404
from conferences.models import Child, CinEpisode, Conference, CusabMeeting, Family
from conferences.queries import (
    CASE_ROLES,
    among,
    children_visible_to,
    conferences_visible_to,
    cusab_meetings_visible_to,
    families_visible_to,
)

# The gate on every case page: clerks, IROs and managers; what each may see is scoped further.
case_staff_only = role_required(*CASE_ROLES)


def can_manage_records(user: User) -> bool:
    """Clerks and managers create and change families, children and bookings."""
    return has_any_role(user, Role.CLERK, Role.MANAGER)


def can_read_access_log(user: User) -> bool:
    """Managers review who opened a child's record."""
    return has_any_role(user, Role.MANAGER)


def get_family_for(user: User, family_id: int) -> Family:
    return get_shown_or_404(families_visible_to(user), pk=family_id)


def get_child_for(user: User, child_id: int) -> Child:
    return get_shown_or_404(
        children_visible_to(user).select_related("family", "locality", "social_worker"),
        pk=child_id,
    )


def get_conference_for(user: User, conference_id: int) -> Conference:
    return get_shown_or_404(
        conferences_visible_to(user).select_related("family", "venue", "chair"),
        pk=conference_id,
    )


def get_episode_for(user: User, episode_id: int) -> CinEpisode:
    """A children in need episode (a census referral) of a child the user may see."""
    visible = CinEpisode.objects.filter(among(children_visible_to(user), "child_id"))
    return get_shown_or_404(visible.select_related("child"), pk=episode_id)


def get_cusab_meeting_for(user: User, meeting_id: int) -> CusabMeeting:
    """A CUSAB meeting of a child the user may see."""
    return get_shown_or_404(cusab_meetings_visible_to(user), pk=meeting_id)
