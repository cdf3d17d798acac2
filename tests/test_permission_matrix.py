"""Every URL of every app, for every role, and for a restricted child in three states.

Each route is declared once below: the roles that get through, whether it is read or posted, and
whether it shows a child's case (then a restricted child changes the answer). A route with no
entry fails the meta-test, so a new page cannot be added without saying who may open it.

States of the child every case route is about:
- open: not restricted. Declared roles get through (200 or a redirect); others get 403.
- named: restricted, with the signed-in user named on it. As open.
- nobody: restricted, nobody named. Nobody gets through: 404 for the declared roles (the record
  does not exist for them), 403 or 404 for the others.
- other: restricted, another user named. As nobody.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from config.public import PUBLIC_VIEW_NAMES
from tests.factories import (
    ChildFactory,
    LocalityFactory,
    ProfessionalFactory,
    TeamFactory,
    UserFactory,
    at,
    invite,
    make_conference,
)
from tests.urlwalk import all_routes

ADMIN, ADVOCATE, CLERK, IRO, MANAGER = (
    Role.ADMINISTRATOR,
    Role.ADVOCATE,
    Role.CLERK,
    Role.IRO,
    Role.MANAGER,
)
EVERYONE = frozenset(Role)
CASE_STAFF = frozenset({CLERK, IRO, MANAGER})
RECORD_KEEPERS = frozenset({CLERK, MANAGER})
NOBODY = frozenset()


@dataclass(frozen=True)
class Entry:
    roles: frozenset
    post: bool = False
    case: bool = False  # shows or changes one child's case: restriction applies
    # Answers that mean "got through": the page, or a redirect; an empty post may also be told
    # what is missing (400). A questionnaire link that is not real answers 410 whoever asks.
    through: frozenset = frozenset({200, 302})
    # The answer to a role not declared: 403. Pages whose scoped fetch comes first answer 404 to
    # those who may not see the record at all, and 403 to those who see it but may not act.
    refused: frozenset = frozenset({403})


SCOPED_FIRST = frozenset({403, 404})


def read(roles, *, case=False, refused=frozenset({403})):
    return Entry(frozenset(roles), case=case, refused=refused)


def write(roles, *, case=False, refused=frozenset({403})):
    return Entry(
        frozenset(roles), post=True, case=case, through=frozenset({200, 302, 400}), refused=refused
    )


MATRIX: dict[str, Entry] = {
    # --- the site ---------------------------------------------------------------------------
    "home": read(EVERYONE),
    "health": read(EVERYONE),
    "session_status": read(EVERYONE),
    "session_extend": write(EVERYONE),
    "signed_out_inactive": read(EVERYONE),
    "accessibility": read(EVERYONE),
    # --- signing in (django-allauth) ----------------------------------------------------------
    "account_login": read(EVERYONE),
    "account_logout": read(EVERYONE),
    "account_inactive": read(EVERYONE),
    "account_reauthenticate": read(EVERYONE),
    "account_change_password": read(EVERYONE),
    "account_reset_password": read(EVERYONE),
    "account_reset_password_from_key_done": read(EVERYONE),
    "account_reset_password_from_key": read(EVERYONE),
    "account_reset_password_done": read(EVERYONE),
    "mfa_index": read(EVERYONE),
    "mfa_authenticate": read(EVERYONE),
    "mfa_reauthenticate": read(EVERYONE),
    "mfa_activate_totp": read(EVERYONE),
    "mfa_view_recovery_codes": read(EVERYONE),
    "mfa_generate_recovery_codes": read(EVERYONE),
    "mfa_download_recovery_codes": read(EVERYONE),
    "usersessions_list": read(EVERYONE),
    # --- staff accounts and teams (administrators) --------------------------------------------
    "staff:account_list": read({ADMIN}),
    "staff:account_add": read({ADMIN}),
    "staff:account_detail": read({ADMIN}),
    "staff:account_edit": read({ADMIN}),
    "staff:account_deactivate": write({ADMIN}),
    "staff:account_reactivate": write({ADMIN}),
    "staff:account_reset_second_factor": write({ADMIN}),
    "staff:account_unlock": write({ADMIN}),
    # A second administrator decides a grant another administrator asked for (not this one).
    "staff:grant_approve": write({ADMIN}),
    "staff:grant_reject": write({ADMIN}),
    "staff:security_log": read({ADMIN}),
    "staff:team_list": read({ADMIN}),
    "staff:team_add": read({ADMIN}),
    "staff:team_edit": read({ADMIN}),
    # --- case records ------------------------------------------------------------------------
    "conferences:child_search": read(CASE_STAFF),
    "conferences:child_detail": read(CASE_STAFF, case=True),
    "conferences:child_edit": read(RECORD_KEEPERS, case=True),
    "conferences:child_birth": read(RECORD_KEEPERS, case=True),
    "conferences:child_access_log": read({MANAGER}, case=True),
    "conferences:family_add": read(RECORD_KEEPERS),
    "conferences:family_detail": read(CASE_STAFF, case=True),
    "conferences:child_add": read(RECORD_KEEPERS, case=True),
    "conferences:book": read(RECORD_KEEPERS, case=True),
    "conferences:conference_detail": read(CASE_STAFF, case=True),
    "conferences:invitations_sent": write(RECORD_KEEPERS, case=True),
    "conferences:report_receipt": write(RECORD_KEEPERS, case=True),
    "conferences:attendance": read(RECORD_KEEPERS, case=True),
    "conferences:postpone": read(RECORD_KEEPERS, case=True),
    "conferences:clerk_tray": read(RECORD_KEEPERS),
    "conferences:my_conferences": read({IRO}),
    "conferences:chair_week": read(CASE_STAFF),
    "conferences:professional_list": read(CASE_STAFF),
    "conferences:professional_add": read(RECORD_KEEPERS),
    "conferences:professional_edit": read(RECORD_KEEPERS),
    "conferences:reference_lists": read({MANAGER, ADMIN}),
    "conferences:reference_list": read({MANAGER, ADMIN}),
    # The conference record, for users who are not its chair (the chair's own rights are tested
    # in tests/conferences/test_record_views.py): the editor sends them to the read-only view.
    "conferences:record_edit": read(CASE_STAFF, case=True),
    "conferences:record_start": write(NOBODY, case=True),  # only the conference's own chair
    "conferences:record_autosave": write(NOBODY, case=True),
    "conferences:record_finalise": write(NOBODY, case=True),
    "conferences:record_view": read(RECORD_KEEPERS, case=True),
    "conferences:record_release": write(RECORD_KEEPERS, case=True),
    "conferences:release_pdf": read(RECORD_KEEPERS, case=True, refused=SCOPED_FIRST),
    "conferences:decision_letter": read(RECORD_KEEPERS, case=True),
    "conferences:record_distribution": write(RECORD_KEEPERS, case=True),
    "conferences:projector": read({MANAGER}, case=True),
    "conferences:projector_data": read({MANAGER}, case=True),
    "conferences:core_groups": read(CASE_STAFF, case=True),
    "conferences:transfer_out": read(RECORD_KEEPERS, case=True),
    "conferences:notification_log": read(CASE_STAFF),
    "conferences:notification_resend": write(RECORD_KEEPERS, case=True),
    "conferences:challenge_tray": read({IRO, MANAGER}),
    "conferences:challenge_raise": read({IRO}),
    # An IRO sees the challenges they raised (this user did not raise it).
    "conferences:challenge_detail": read({MANAGER}, case=True, refused=SCOPED_FIRST),
    "conferences:challenge_respond": write({MANAGER}, case=True, refused=SCOPED_FIRST),
    "conferences:challenge_escalate": write({MANAGER}, case=True, refused=SCOPED_FIRST),
    "conferences:good_practice": read({IRO, MANAGER}),
    "conferences:feedback_kiosk": write(NOBODY, case=True),  # only the conference's own chair
    "conferences:feedback_agencies": write(RECORD_KEEPERS, case=True),  # and its chair
    "conferences:cusab_add": read(CASE_STAFF, case=True),
    "conferences:cusab_list": read(CASE_STAFF),
    "conferences:cusab_edit": read(CASE_STAFF, case=True),
    "conferences:episode_add": read(RECORD_KEEPERS, case=True),
    "conferences:episode_edit": read(RECORD_KEEPERS, case=True),
    # --- advocacy ----------------------------------------------------------------------------
    "advocacy:tray": read({ADVOCATE, CLERK, MANAGER}),
    # The referral is unassigned, with no views shared: any advocate may see and take it; only
    # the assigned advocate records views or moves it on; an IRO reads only shared views.
    "advocacy:referral_detail": read({ADVOCATE, CLERK, MANAGER}, case=True, refused=SCOPED_FIRST),
    "advocacy:take_referral": write({ADVOCATE}, case=True, refused=SCOPED_FIRST),
    "advocacy:move_referral": write(NOBODY, case=True, refused=SCOPED_FIRST),
    "advocacy:record_views": write(NOBODY, case=True, refused=SCOPED_FIRST),
    "advocacy:refer": read(RECORD_KEEPERS, case=True),
    # --- complaints, appeals and dissent -----------------------------------------------------
    "complaints:tray": read(RECORD_KEEPERS),
    "complaints:complaint_add": read(RECORD_KEEPERS, case=True),
    "complaints:appeal_add": read(RECORD_KEEPERS, case=True),
    "complaints:dissent_add": read(RECORD_KEEPERS, case=True),
    "complaints:complaint_detail": read(RECORD_KEEPERS, case=True, refused=SCOPED_FIRST),
    "complaints:complaint_respond": write(RECORD_KEEPERS, case=True, refused=SCOPED_FIRST),
    "complaints:complaint_escalate": write(RECORD_KEEPERS, case=True, refused=SCOPED_FIRST),
    # --- reporting ---------------------------------------------------------------------------
    "reporting:dashboard": read({MANAGER}),
    "reporting:dashboard_xlsx": read({MANAGER}),
    "reporting:table_csv": read({MANAGER}),
    "reporting:records_behind": read({MANAGER}),
    "reporting:definitions": read({MANAGER}),
    "reporting:data_quality": read({MANAGER}),
    "reporting:annual_list": read({MANAGER}),
    "reporting:annual_report": read({MANAGER}),
    "reporting:action_add": read({MANAGER}),
    "reporting:action_edit": read({MANAGER}),
    "reporting:action_remove": write({MANAGER}),
    # Making the PDF needs the named permission (this manager has not got it).
    "reporting:generate": write(NOBODY),
    "reporting:generation": read({MANAGER}),
    "reporting:generation_status": read({MANAGER}),
    "reporting:generation_pdf": read({MANAGER}),
    "reporting:thematic": read({MANAGER}),
    "reporting:thematic_csv": read({MANAGER}),
    # Statutory returns: only managers granted the named permission (this manager is not).
    "reporting:statutory_returns": read(NOBODY),
    "reporting:census_prepare": write(NOBODY),
    "reporting:census_checks_prepare": write(NOBODY),
    "reporting:annex_a_prepare": write(NOBODY),
    # A prepared export is its asker's alone (404 to anyone else: tests/reporting/
    # test_prepared_exports.py); the world's is a census this manager asked for, so it is theirs
    # only while they hold the named permission (they do not).
    "reporting:prepared_export": read(NOBODY),
    "reporting:prepared_export_status": read(NOBODY),
    "reporting:prepared_export_file": read(NOBODY),
    "reporting:incomplete_children": read(RECORD_KEEPERS),
    "reporting:audit_log": read({MANAGER, ADMIN}),
    # The history of the child's own row: restriction applies to history as to the record.
    "reporting:record_history": read({MANAGER, ADMIN}, case=True),
    # --- public questionnaire ----------------------------------------------------------------
    "feedback:questionnaire": Entry(EVERYONE, through=frozenset({200, 410})),
}

# Pages that need a query string to show anything: the first column of the category table.
QUERIES = {"reporting:records_behind": "?year=2014&row=total&column=q1"}

ROUTES = [route for route in all_routes() if route.name is not None]
STATES = ["open", "named", "nobody", "other"]


def test_every_named_route_of_every_app_is_in_the_matrix():
    assert {route.name for route in ROUTES} == set(MATRIX)


def test_the_matrix_declares_every_public_page_open_to_all():
    for name in PUBLIC_VIEW_NAMES:
        assert MATRIX[name].roles == EVERYONE, name


def _world(user) -> dict[str, int | str]:
    """One of each record, all about one child, and the ids each route's path takes."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from django.core.files.base import ContentFile

    from accounts.models import GrantRequest
    from advocacy.models import Referral
    from complaints.models import Complaint, ComplaintReason, ComplaintStage
    from conferences.choices import Stage
    from conferences.models import Challenge, ChallengeReason, CinEpisode, CusabMeeting
    from conferences.record.models import ConferenceRecord, RecordStatus
    from conferences.record.services import copy_recipients, release_record, start_record
    from notifications.models import Notification
    from reporting.annual.models import (
        AnnualReport,
        GenerationStatus,
        ReportGeneration,
        ReportPdf,
        WorkAction,
    )
    from reporting.prepared.models import ExportKind, PreparationStatus, PreparedExport

    child = ChildFactory(date_of_birth=date(2012, 1, 1))
    chair = UserFactory(roles=[IRO])
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL)],
        chair=chair,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    invite(conference, ProfessionalFactory())
    record = start_record(actor=conference.chair, conference=conference)
    ConferenceRecord.objects.filter(pk=record.pk).update(status=RecordStatus.FINALISED)
    release = release_record(
        actor=chair, record=record, recipient=copy_recipients(conference)["family"]
    )
    target = UserFactory(roles=[IRO])
    report = AnnualReport.objects.create(year=2014, created_by=UserFactory(roles=[MANAGER]))
    generation = ReportGeneration.objects.create(
        report=report, requested_by=user, status=GenerationStatus.DONE
    )
    ReportPdf.objects.create(generation=generation, content=b"%PDF-1.7", size=8)
    export = PreparedExport.objects.create(
        requested_by=user,
        kind=ExportKind.CIN_CENSUS,
        parameters={"year": 2014, "la": "855"},
        status=PreparationStatus.DONE,
        records=0,
        file=ContentFile(b"<Message />", name="census.xml"),
    )
    RecoveryCodes.activate(user)
    complaint = Complaint.objects.create(
        complainant="parent",
        complainant_name="A parent",
        conference=conference,
        child=child,
        received_on=date(2026, 1, 6),
        reason=ComplaintReason.objects.get_or_create(label="Process")[0],
        logged_by=UserFactory(roles=[CLERK]),
    )
    ComplaintStage.objects.create(
        complaint=complaint,
        stage=1,
        started_on=date(2026, 1, 6),
        response_due_on=date(2026, 1, 27),
    )
    return {
        "child": child,
        "child_id": child.pk,
        "family_id": child.family_id,
        "conference_id": conference.pk,
        "release_id": release.pk,
        "notification_id": Notification.objects.create(
            key=f"matrix:{conference.pk}",
            kind="test",
            recipient_email="jo@csc.example",
            subject="Report due",
            body="B",
            conference=conference,
            status="failed",
        ).pk,
        "professional_id": ProfessionalFactory().pk,
        "challenge_id": Challenge.objects.create(
            raised_by=chair,
            level=1,
            reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
            detail="Drift",
            raised_on=date(2026, 1, 5),
            response_due_on=date(2026, 1, 12),
            raised_with_team=LocalityFactory(),
            child=child,
        ).pk,
        "episode_id": CinEpisode.objects.create(
            child=child, referral_on=date(2026, 1, 2), referral_source="6", primary_need="N1"
        ).pk,
        "meeting_id": CusabMeeting.objects.create(
            child=child,
            held_on=date(2026, 1, 5),
            chaired_by="locality_manager",
            locality_manager="A manager",
            recorded_by=UserFactory(roles=[CLERK]),
        ).pk,
        "referral_id": Referral.objects.create(child=child).pk,
        "complaint_id": complaint.pk,
        "report_id": report.pk,
        "action_id": WorkAction.objects.create(report=report, action="Audit plans").pk,
        "generation_id": generation.pk,
        "export_key": export.key,
        "user_id": target.pk,
        "grant_id": GrantRequest.objects.create(
            user=target, roles=[MANAGER], requested_by=UserFactory(roles=[ADMIN])
        ).pk,
        "team_id": TeamFactory().pk,
        "slug": "category",
        "kind": "agencies",
        "fmt": "csv",
        "model_label": "conferences.Child",
        "object_id": child.pk,
        "token": "not-a-real-link",
    }


def _path(route, ids: dict) -> str:
    match = get_resolver().resolve(route.path)
    path = reverse(route.name, kwargs={name: ids[name] for name in match.kwargs})
    return path + QUERIES.get(route.name, "")


def _restrict(child, state: str, user) -> None:
    """Restrict the child and their family (family pages hide too); name the user or another."""
    if state == "open":
        return
    for record in (child, child.family):
        record.is_restricted = True
        record.save(update_fields=["is_restricted"])
        if state == "named":
            record.named_staff.add(user)
        elif state == "other":
            record.named_staff.add(UserFactory(roles=[MANAGER]))


def _answers_expected(entry: Entry, role, state: str) -> set[int]:
    allowed = role in entry.roles
    hidden = entry.case and state in ("nobody", "other")
    if hidden:
        return {404} if allowed else {403, 404}
    return set(entry.through if allowed else entry.refused)


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_gets_exactly_the_declared_answer_on_every_route(client, role, state):
    user = UserFactory(roles=[role])
    ids = _world(user)
    _restrict(ids["child"], state, user)

    wrong = []
    for route in ROUTES:
        entry = MATRIX[route.name]
        if route.name in PUBLIC_VIEW_NAMES or route.name == "account_logout":
            continue  # answered the same to everyone: see test_sign_in_required.py
        client.force_login(user)
        path = _path(route, ids)
        # Each request sees the same world: what one posts (taking a referral, say) is undone.
        with transaction.atomic():
            response = client.post(path) if entry.post else client.get(path)
            transaction.set_rollback(True)
        expected = _answers_expected(entry, role, state)
        if response.status_code not in expected:
            wrong.append(f"{route.name}: {response.status_code}, expected {sorted(expected)}")
    assert wrong == [], "\n".join(wrong)
