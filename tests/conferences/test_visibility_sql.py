"""Permission-scoped reads are correlated EXISTS, never IN (subquery), and see the same rows.

A ``NOT IN (subquery)`` over every visible child cannot be hashed in PostgreSQL's default
memory at national scale and is then searched row by row; ``EXISTS`` / ``NOT EXISTS`` become
semi- and anti-joins. The old ``__in`` definitions are kept here as the reference.
"""

import importlib
import inspect
import pkgutil
import random
from datetime import timedelta

import pytest
from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role
from advocacy import queries as advocacy_queries
from advocacy.models import Referral, ReferralConference
from complaints import queries as complaints_queries
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason, ComplaintStage
from conferences import queries
from conferences.challenges.models import Challenge, ChallengeReason
from conferences.choices import Stage
from conferences.cusab.models import CusabChair, CusabMeeting
from conferences.models import Agency, Conference, ConferenceChild
from notifications.models import Notification
from notifications.views import _visible_notifications
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    LocalityFactory,
    UserFactory,
    at,
    make_conference,
)

pytestmark = pytest.mark.django_db

PRODUCT = ("accounts", "advocacy", "complaints", "conferences", "notifications", "reporting")
PRODUCT += ("rules", "statutory")
SCOPED = ("_visible_to", "_not_hidden_from")
ROLE_SETS = [
    [Role.CLERK],
    [Role.IRO],
    [Role.MANAGER],
    [Role.ADVOCATE],
    [Role.CLERK, Role.IRO, Role.MANAGER, Role.ADVOCATE],
]


def _queries_modules():
    for package_name in PRODUCT:
        package = importlib.import_module(package_name)
        yield from _walk(package)


def _walk(package):
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if info.name.rsplit(".", 1)[-1] == "queries":
            yield importlib.import_module(info.name)


def scoped_helpers() -> dict[str, object]:
    """Every ``*_visible_to(user)`` and ``*_not_hidden_from(user)`` in a queries module."""
    found = {}
    for module in _queries_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or not name.endswith(SCOPED):
                continue
            if list(inspect.signature(function).parameters) == ["user"]:
                found[f"{module.__name__}.{name}"] = function
    return found


def _sql(queryset) -> str | None:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # .none() for a role that may see nothing: no SQL to run
        return None


def test_the_walk_finds_the_helpers_we_know_of():
    names = set(scoped_helpers())
    assert {
        "conferences.queries.conferences_visible_to",
        "conferences.queries.conferences_not_hidden_from",
        "conferences.queries.children_visible_to",
        "complaints.queries.complaints_visible_to",
        "advocacy.queries.referrals_visible_to",
        "advocacy.queries.referral_conferences_visible_to",
    } <= names


@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda roles: "+".join(roles))
def test_no_scoped_query_has_an_in_subquery(roles):
    user = UserFactory(roles=roles)
    compiled = {name: _sql(helper(user)) for name, helper in scoped_helpers().items()}
    stages = ComplaintStage.objects.all()
    compiled["complaints.queries.responses_due_for"] = _sql(
        complaints_queries.responses_due_for(user, stages)
    )
    compiled["notifications.views._visible_notifications"] = _sql(_visible_notifications(user))
    for name, sql in compiled.items():
        if sql is None:
            continue
        assert "NOT IN (SELECT" not in sql, name
        assert " IN (SELECT" not in sql, name
    assert any(sql and "EXISTS" in sql for sql in compiled.values())


# The definitions before: the same rules written with __in.
def _old_conferences_of(families, children):
    hidden_child_here = ConferenceChild.objects.filter(conference=OuterRef("pk")).exclude(
        child__in=children
    )
    return Conference.objects.filter(family__in=families).exclude(Exists(hidden_child_here))


def old_conferences_visible_to(user):
    return _old_conferences_of(queries.families_visible_to(user), queries.children_visible_to(user))


def old_conferences_not_hidden_from(user):
    return _old_conferences_of(
        queries.families_not_hidden_from(user), queries.children_not_hidden_from(user)
    )


def old_cusab_meetings_visible_to(user):
    return CusabMeeting.objects.filter(child__in=queries.children_visible_to(user))


def old_challenges_visible_to(user):
    visible = Challenge.objects.filter(
        Q(child__isnull=True) | Q(child__in=queries.children_visible_to(user))
    )
    if user.has_role(Role.MANAGER):
        return visible
    if user.has_role(Role.IRO):
        return visible.filter(raised_by=user)
    return visible.none()


def old_complaints_visible_to(user):
    if not (user.has_role(Role.CLERK) or user.has_role(Role.MANAGER)):
        return Complaint.objects.none()
    return Complaint.objects.filter(
        conference__in=old_conferences_visible_to(user),
        child__in=queries.children_visible_to(user),
    )


def old_appeals_visible_to(user):
    if not (user.has_role(Role.CLERK) or user.has_role(Role.MANAGER)):
        return Appeal.objects.none()
    return Appeal.objects.filter(
        conference__in=old_conferences_visible_to(user),
        child__in=queries.children_visible_to(user),
    )


def old_dissents_visible_to(user):
    if not (user.has_role(Role.CLERK) or user.has_role(Role.MANAGER)):
        return AgencyDissent.objects.none()
    return AgencyDissent.objects.filter(conference__in=old_conferences_visible_to(user))


def old_responses_due_for(user, stages):
    return stages.filter(complaint__in=old_complaints_visible_to(user))


def old_referrals_visible_to(user):
    allowed = []
    if user.has_role(Role.CLERK) or user.has_role(Role.MANAGER):
        allowed.append(Q(child__in=queries.children_visible_to(user)))
    if user.has_role(Role.ADVOCATE):
        allowed.append(advocacy_queries._advocates_referrals(user))
    if user.has_role(Role.IRO):
        chaired_here = ReferralConference.objects.filter(
            referral=OuterRef("pk"),
            conference__chair=user,
            conference__in=old_conferences_visible_to(user),
        )
        allowed.append(
            Exists(chaired_here)
            & ~Q(young_person_views="")
            & Q(child__in=queries.children_visible_to(user))
        )
    if not allowed:
        return Referral.objects.none()
    either = allowed[0]
    for condition in allowed[1:]:
        either |= condition
    return Referral.objects.filter(either)


def old_referral_conferences_visible_to(user):
    links = ReferralConference.objects.filter(referral__in=old_referrals_visible_to(user))
    if user.has_role(Role.ADVOCATE):
        return links
    allowed = Q(pk__in=[])
    if user.has_role(Role.CLERK) or user.has_role(Role.MANAGER):
        allowed |= Q(conference__in=old_conferences_visible_to(user))
    if user.has_role(Role.IRO):
        allowed |= Q(conference__in=old_conferences_visible_to(user), conference__chair=user)
    return links.filter(allowed)


def old_visible_notifications(user):
    return Notification.objects.filter(
        (Q(conference__isnull=True) | Q(conference__in=old_conferences_visible_to(user)))
        & (Q(child__isnull=True) | Q(child__in=queries.children_visible_to(user)))
    )


REFERENCE = {
    queries.conferences_visible_to: old_conferences_visible_to,
    queries.conferences_not_hidden_from: old_conferences_not_hidden_from,
    queries.cusab_meetings_visible_to: old_cusab_meetings_visible_to,
    queries.challenges_visible_to: old_challenges_visible_to,
    complaints_queries.complaints_visible_to: old_complaints_visible_to,
    complaints_queries.appeals_visible_to: old_appeals_visible_to,
    complaints_queries.dissents_visible_to: old_dissents_visible_to,
    advocacy_queries.referrals_visible_to: old_referrals_visible_to,
    advocacy_queries.referral_conferences_visible_to: old_referral_conferences_visible_to,
    _visible_notifications: old_visible_notifications,
}


def _maybe_restrict(record, rng, viewers) -> None:
    """Restricted about half the time, naming none, one or several of the viewers."""
    if rng.random() < 0.5:
        return
    record.is_restricted = True
    record.save(update_fields=["is_restricted"])
    record.named_staff.add(*rng.sample(viewers, rng.randint(0, 2)))


def _world(rng, viewers):
    """Families with restricted members and siblings, and every record the helpers scope."""
    today = timezone.localdate()
    chairs = [viewer for viewer in viewers if viewer.has_role(Role.IRO)]
    advocates = [None, *[viewer for viewer in viewers if viewer.has_role(Role.ADVOCATE)]]
    agency = Agency.objects.create(name="Health")
    complaint_reason = ComplaintReason.objects.create(label="Process")
    challenge_reason = ChallengeReason.objects.create(label="Drift")
    locality = LocalityFactory()
    Challenge.objects.create(
        raised_by=chairs[0], level=1, reason=challenge_reason, detail="No child", raised_on=today,
        response_due_on=today, raised_with_team=locality,
    )  # fmt: skip
    Notification.objects.create(key="none", kind="t", recipient_email="a@b.example", subject="S")
    for _family in range(8):
        family = FamilyFactory()
        _maybe_restrict(family, rng, viewers)
        children = [ChildFactory(family=family) for _ in range(rng.randint(1, 3))]
        for child in children:
            _maybe_restrict(child, rng, viewers)
            CusabMeeting.objects.create(
                child=child, held_on=today, chaired_by=CusabChair.LOCALITY_MANAGER,
                locality_manager="L", recorded_by=viewers[0],
            )  # fmt: skip
            Challenge.objects.create(
                raised_by=rng.choice(chairs), child=child, level=1, reason=challenge_reason,
                detail="D", raised_on=today, response_due_on=today, raised_with_team=locality,
            )  # fmt: skip
            Notification.objects.create(
                key=f"child:{child.pk}", kind="t", recipient_email="a@b.example", subject="S",
                child=child,
            )  # fmt: skip
        referrals = {
            child: Referral.objects.create(
                child=child,
                advocate=rng.choice(advocates),
                young_person_views=rng.choice(["", "I want to stay"]),
            )
            for child in children
        }
        for number in range(2):
            present = rng.sample(children, rng.randint(1, len(children)))
            conference = make_conference(
                children_stages=[(child, Stage.INITIAL) for child in present],
                chair=rng.choice(chairs),
                starts_at=at(today + timedelta(days=number + 1)),
            )
            AgencyDissent.objects.create(conference=conference, agency=agency, point="P")
            Notification.objects.create(
                key=f"conference:{conference.pk}", kind="t", recipient_email="a@b.example",
                subject="S", conference=conference,
            )  # fmt: skip
            for child in present:
                complaint = Complaint.objects.create(
                    complainant="parent", complainant_name="P", conference=conference,
                    child=child, received_on=today, reason=complaint_reason,
                    logged_by=viewers[0],
                )  # fmt: skip
                ComplaintStage.objects.create(
                    complaint=complaint, stage=1, started_on=today, response_due_on=today
                )
                Appeal.objects.create(conference=conference, child=child, appellant="parent")
                Notification.objects.create(
                    key=f"both:{conference.pk}:{child.pk}", kind="t",
                    recipient_email="a@b.example", subject="S", conference=conference,
                    child=child,
                )  # fmt: skip
                ReferralConference.objects.create(referral=referrals[child], conference=conference)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_exists_helpers_see_exactly_what_the_in_definitions_saw(seed):
    rng = random.Random(seed)
    viewers = [UserFactory(roles=roles) for roles in ROLE_SETS]
    viewers += [UserFactory(roles=[Role.IRO]), UserFactory(roles=[Role.CLERK, Role.ADVOCATE])]
    _world(rng, viewers)
    hidden_somewhere = False
    for viewer in viewers:
        for helper, reference in REFERENCE.items():
            new = set(helper(viewer).values_list("pk", flat=True))
            old = set(reference(viewer).values_list("pk", flat=True))
            assert new == old, (helper.__name__, viewer.roles)
        everyone = set(Conference.objects.values_list("pk", flat=True))
        seen = set(queries.conferences_visible_to(viewer).values_list("pk", flat=True))
        hidden_somewhere |= bool(seen) and seen != everyone
        stages = ComplaintStage.objects.all()
        assert set(complaints_queries.responses_due_for(viewer, stages)) == set(
            old_responses_due_for(viewer, stages)
        )
    assert hidden_somewhere  # restriction really hid some conferences and showed others


def test_the_notification_log_anti_joins_hidden_records_rather_than_testing_every_row():
    sql = str(_visible_notifications(UserFactory(roles=[Role.CLERK])).query)
    assert "IS NULL OR" not in sql
    assert "WHERE (NOT EXISTS(" in sql
