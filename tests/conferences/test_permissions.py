"""Every case-record URL, for every role: who is refused (403) and who gets through."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Stage
from conferences.models import Challenge, ChallengeReason, CinEpisode, CusabMeeting

from ..factories import (
    ChildFactory,
    LocalityFactory,
    ProfessionalFactory,
    UserFactory,
    at,
    make_conference,
)
from ..urlwalk import all_routes

CLERK, IRO, MANAGER = Role.CLERK, Role.IRO, Role.MANAGER
MANAGERS_OF_RECORDS = {CLERK, MANAGER}
CASE_STAFF = {CLERK, IRO, MANAGER}

ALLOWED = {
    "conferences:child_search": CASE_STAFF,
    "conferences:child_detail": CASE_STAFF,
    "conferences:child_edit": MANAGERS_OF_RECORDS,
    "conferences:child_birth": MANAGERS_OF_RECORDS,
    "conferences:child_access_log": {MANAGER},
    "conferences:family_add": MANAGERS_OF_RECORDS,
    "conferences:family_detail": CASE_STAFF,
    "conferences:child_add": MANAGERS_OF_RECORDS,
    "conferences:book": MANAGERS_OF_RECORDS,
    "conferences:conference_detail": CASE_STAFF,
    "conferences:invitations_sent": MANAGERS_OF_RECORDS,
    "conferences:report_receipt": MANAGERS_OF_RECORDS,  # and the conference's own chair
    "conferences:attendance": MANAGERS_OF_RECORDS,
    "conferences:postpone": MANAGERS_OF_RECORDS,
    "conferences:clerk_tray": MANAGERS_OF_RECORDS,
    "conferences:my_conferences": {IRO},
    "conferences:chair_week": CASE_STAFF,
    "conferences:professional_list": CASE_STAFF,
    "conferences:professional_add": MANAGERS_OF_RECORDS,
    "conferences:professional_edit": MANAGERS_OF_RECORDS,
    "conferences:reference_lists": {MANAGER, Role.ADMINISTRATOR},
    "conferences:reference_list": {MANAGER, Role.ADMINISTRATOR},
    # The conference record: these users are not the conference's chair (see test_record_views).
    "conferences:record_edit": CASE_STAFF,  # everyone else is sent to the read-only view
    "conferences:record_autosave": set(),
    "conferences:record_finalise": set(),
    "conferences:record_view": MANAGERS_OF_RECORDS,
    "conferences:record_release": MANAGERS_OF_RECORDS,
    "conferences:release_pdf": MANAGERS_OF_RECORDS,
    "conferences:decision_letter": MANAGERS_OF_RECORDS,
    "conferences:record_distribution": MANAGERS_OF_RECORDS,
    "conferences:projector": {MANAGER},
    "conferences:projector_data": {MANAGER},
    "conferences:core_groups": CASE_STAFF,
    "conferences:transfer_out": MANAGERS_OF_RECORDS,
    "conferences:notification_log": CASE_STAFF,
    "conferences:notification_resend": MANAGERS_OF_RECORDS,
    "conferences:challenge_tray": {IRO, MANAGER},
    "conferences:challenge_raise": {IRO},
    # An IRO sees the challenges they raised (these users did not raise it); others get 404.
    "conferences:challenge_detail": {MANAGER},
    "conferences:good_practice": {IRO, MANAGER},
    "conferences:feedback_kiosk": set(),  # only the conference's own chair (not these users)
    "conferences:feedback_agencies": MANAGERS_OF_RECORDS,  # and the conference's own chair
    "conferences:cusab_add": CASE_STAFF,
    "conferences:cusab_list": CASE_STAFF,
    "conferences:cusab_edit": CASE_STAFF,
    "conferences:episode_add": MANAGERS_OF_RECORDS,
    "conferences:episode_edit": MANAGERS_OF_RECORDS,
}
POST_ONLY = {
    "conferences:invitations_sent",
    "conferences:report_receipt",
    "conferences:record_autosave",
    "conferences:record_finalise",
    "conferences:record_release",
    "conferences:record_distribution",
    "conferences:notification_resend",
    "conferences:feedback_kiosk",
    "conferences:feedback_agencies",
}
# Scoped fetches answer 404 to those who may not see the record, as for restricted children.
REFUSED_AS_NOT_FOUND = {"conferences:challenge_detail"}
ROUTES = [route for route in all_routes() if (route.name or "").startswith("conferences:")]


def test_every_case_record_route_is_in_the_permission_matrix():
    assert {route.name for route in ROUTES} == set(ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_reaches_only_the_case_pages_it_should(client, role):
    child = ChildFactory()
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=UserFactory(roles=[Role.IRO]),
        starts_at=at(timezone.localdate()),
    )
    client.force_login(UserFactory(roles=[role]))
    ids = {
        "child_id": child.pk,
        "family_id": child.family_id,
        "conference_id": conference.pk,
        "professional_id": ProfessionalFactory().pk,
        "challenge_id": Challenge.objects.create(
            raised_by=UserFactory(roles=[Role.IRO]),
            level=1,
            reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
            detail="Drift",
            raised_on=date(2026, 1, 5),
            response_due_on=date(2026, 1, 12),
            raised_with_team=LocalityFactory(),
        ).pk,
        "episode_id": CinEpisode.objects.create(
            child=child, referral_on=date(2026, 1, 2), referral_source="6", primary_need="N1"
        ).pk,
        "meeting_id": CusabMeeting.objects.create(
            child=child,
            held_on=date(2026, 1, 5),
            chaired_by="locality_manager",
            locality_manager="A manager",
            recorded_by=UserFactory(roles=[Role.CLERK]),
        ).pk,
    }

    wrong = []
    for route in ROUTES:
        path = route.path
        for name, value in ids.items():
            if f"<int:{name}>" in _pattern_of(route):
                path = path.replace("/1/", f"/{value}/", 1)
        response = client.post(path) if route.name in POST_ONLY else client.get(path)
        refused = response.status_code == (404 if route.name in REFUSED_AS_NOT_FOUND else 403)
        if refused == (role in ALLOWED[route.name]):
            wrong.append((route.name, response.status_code))
    assert wrong == []


def _pattern_of(route) -> str:
    from django.urls import get_resolver

    match = get_resolver().resolve(route.path)
    return str(match.route)
