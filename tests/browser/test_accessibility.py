"""Every page, as every role, passes axe-core for WCAG 2.2 AA in Debian's Chromium."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from advocacy.models import Referral
from complaints.models import ComplaintReason
from complaints.services import log_complaint
from conferences.cases.episode_models import CinEpisode
from conferences.choices import Stage
from conferences.models import Challenge, ChallengeReason, CusabMeeting
from config.public import PUBLIC_VIEW_NAMES
from reporting.annual import services as annual_services
from reporting.annual.models import ReportGeneration
from reporting.prepared import services as prepared_services
from reporting.prepared.models import ExportKind, PreparationStatus, PreparedExport
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import (
    ChildFactory,
    PlanFactory,
    TeamFactory,
    at,
    invite,
    make_conference,
    police_officer,
)
from tests.urlwalk import all_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Routes that are not pages a person looks at, with the reason.
NOT_PAGES = {
    "health": "JSON for container health checks",
    "account_confirm_email": "not offered: answers 404 before allauth",
    "account_reset_password_from_key": "needs a valid emailed key; visited by its own test",
    "session_status": "JSON for the timeout warning",
    "session_extend": "JSON for the timeout warning (POST only)",
    "mfa_download_recovery_codes": "a text file download",
    "staff:account_deactivate": "POST-only action",
    "staff:account_reactivate": "POST-only action",
    "staff:account_reset_second_factor": "POST-only action",
    "staff:account_unlock": "POST-only action",
    "staff:grant_approve": "POST-only action",
    "staff:grant_reject": "POST-only action",
    "conferences:invitations_sent": "POST-only action",
    "conferences:report_receipt": "POST-only action",
    "conferences:record_start": "POST-only action",
    "conferences:record_autosave": "POST-only JSON",
    "conferences:record_finalise": "POST-only action",
    "conferences:record_release": "POST-only action (answers with a PDF)",
    "conferences:record_distribution": "POST-only action",
    "conferences:release_pdf": "a PDF download",
    "conferences:decision_letter": "a PDF download",
    "conferences:projector_data": "JSON for the projector",
    "conferences:notification_resend": "POST-only action",
    "conferences:feedback_kiosk": "POST-only action (signs out; its page is walked by a test)",
    "conferences:feedback_agencies": "POST-only action",
    "advocacy:take_referral": "POST-only action",
    "conferences:challenge_respond": "POST-only action (errors shown on the challenge page)",
    "conferences:challenge_escalate": "POST-only action (errors shown on the challenge page)",
    "reporting:action_remove": "POST-only action",
    "complaints:complaint_respond": "POST-only action (errors shown on the complaint page)",
    "complaints:complaint_escalate": "POST-only action (errors shown on the complaint page)",
    "advocacy:move_referral": "POST-only action (errors shown on the referral page)",
    "advocacy:record_views": "POST-only action (errors shown on the referral page)",
    "reporting:thematic_csv": "a CSV download",
    "reporting:table_csv": "a CSV download",
    "reporting:dashboard_xlsx": "an XLSX download",
    "reporting:generate": "POST-only action",
    "reporting:generation_status": "JSON for the progress bar",
    "reporting:generation_pdf": "a PDF download",
    "reporting:census_prepare": "POST-only action (errors shown on the statutory returns page)",
    "reporting:census_checks_prepare": (
        "POST-only action (errors shown on the statutory returns page)"
    ),
    "reporting:annex_a_prepare": "POST-only action (errors shown on the statutory returns page)",
    "reporting:prepared_export_status": "JSON for the progress bar",
    "reporting:prepared_export_file": "a file download",
}
# Pages that need a real record in their URL.
RECORD_PATHS = {
    "conferences:challenge_detail": lambda records: f"/challenges/{records['challenge'].pk}/",
    "complaints:complaint_add": (
        lambda records: f"/complaints/conference/{records['conference'].pk}/complaint/"
    ),
    "complaints:appeal_add": (
        lambda records: f"/complaints/conference/{records['conference'].pk}/appeal/"
    ),
    "complaints:dissent_add": (
        lambda records: f"/complaints/conference/{records['conference'].pk}/dissent/"
    ),
    "complaints:complaint_detail": lambda records: f"/complaints/{records['complaint'].pk}/",
    "advocacy:referral_detail": lambda records: f"/advocacy/referrals/{records['referral'].pk}/",
    "advocacy:refer": lambda records: f"/advocacy/refer/{records['child'].pk}/",
    "conferences:record_edit": lambda records: f"/conferences/{records['conference'].pk}/record/",
    "conferences:record_view": (
        lambda records: f"/conferences/{records['conference'].pk}/record/view/"
    ),
    "conferences:projector": lambda records: f"/conferences/{records['conference'].pk}/projector/",
    "conferences:core_groups": lambda records: f"/children/{records['child'].pk}/core-groups/",
    "conferences:episode_add": lambda records: f"/children/{records['child'].pk}/referrals/",
    "conferences:episode_edit": lambda records: f"/referrals/{records['episode'].pk}/",
    # With a census year chosen, the page lists what the manager's check of it found.
    "reporting:statutory_returns": lambda records: "/reporting/returns/?year=2025&la=855",
    "conferences:transfer_out": lambda records: f"/children/{records['child'].pk}/transfer-out/",
    "conferences:reference_list": lambda records: "/lists/closure-days/",
    "conferences:professional_edit": (
        lambda records: f"/contacts/{records['conference'].invitations.first().professional_id}/"
    ),
    "reporting:annual_report": lambda records: f"/reporting/annual/{records['annual'].pk}/",
    "reporting:action_add": lambda records: (
        f"/reporting/annual/{records['annual'].pk}/actions/add/"
    ),
    "reporting:action_edit": (
        lambda records: f"/reporting/annual/{records['annual'].pk}/actions/{records['action'].pk}/"
    ),
    "reporting:generation": lambda records: f"/reporting/annual/made/{records['made'].pk}/",
    "reporting:prepared_export": lambda records: f"/reporting/exports/{records['export'].key}/",
    "reporting:records_behind": (
        lambda records: "/reporting/dashboard/category/records/?column=q1&row=NEG"
    ),
    # A dead link shows the "cannot be used" page; test_feedback_kiosk walks a live one.
    "feedback:questionnaire": lambda records: "/feedback/not-a-live-link/",
    "conferences:cusab_add": lambda records: f"/children/{records['child'].pk}/cusab/",
    "conferences:cusab_edit": lambda records: f"/cusab/{records['cusab'].pk}/",
    "conferences:child_detail": lambda records: f"/children/{records['child'].pk}/",
    "conferences:child_edit": lambda records: f"/children/{records['child'].pk}/edit/",
    "conferences:child_birth": lambda records: f"/children/{records['unborn'].pk}/birth/",
    "conferences:child_access_log": (
        lambda records: f"/children/{records['child'].pk}/access-log/"
    ),
    "conferences:family_detail": lambda records: f"/families/{records['child'].family_id}/",
    "conferences:child_add": (
        lambda records: f"/families/{records['child'].family_id}/children/add/"
    ),
    "conferences:book": lambda records: f"/families/{records['child'].family_id}/book/",
    "conferences:conference_detail": (lambda records: f"/conferences/{records['conference'].pk}/"),
    "conferences:attendance": (
        lambda records: f"/conferences/{records['conference'].pk}/attendance/"
    ),
    "conferences:postpone": lambda records: f"/conferences/{records['conference'].pk}/postpone/",
    "staff:account_detail": lambda records: f"/staff/accounts/{records['account'].pk}/",
    "staff:account_edit": lambda records: f"/staff/accounts/{records['account'].pk}/edit/",
    "staff:team_edit": lambda records: f"/staff/teams/{records['team'].pk}/",
    "reporting:record_history": (
        lambda records: f"/reporting/audit/accounts.Team/{records['team'].pk}/"
    ),
}


def case_records(iro) -> dict:
    """A family with a child on a plan, an unborn sibling and a booked conference."""
    today = timezone.localdate()
    child = ChildFactory(first_name="Ava")
    PlanFactory(child=child, started_on=today - timedelta(days=60))
    unborn = ChildFactory(
        family=child.family, date_of_birth=None, expected_date_of_birth=today + timedelta(days=20)
    )
    conference = make_conference(
        children_stages=[(child, Stage.FIRST_REVIEW), (unborn, Stage.PRE_BIRTH)],
        chair=iro,
        starts_at=at(today + timedelta(days=10)),
    )
    invite(conference, police_officer())
    referral = Referral.objects.create(child=child)
    reason = ComplaintReason.objects.get_or_create(label="Process or conduct of the meeting")[0]
    complaint = log_complaint(
        actor=iro,
        conference=conference,
        child=child,
        complainant="parent",
        complainant_name="A parent",
        received_on=today,
        reason=reason,
    )
    challenge = Challenge.objects.create(
        raised_by=iro,
        level=1,
        reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
        detail="Plan drift",
        raised_on=today,
        response_due_on=today,
        child=child,
        raised_with_agency=conference.invitations.first().professional.agency,
    )
    cusab = CusabMeeting.objects.create(
        child=child,
        held_on=today,
        chaired_by="iro",
        iro=iro,
        why_iro_chaired="complex",
        recorded_by=iro,
    )
    episode = CinEpisode.objects.create(
        child=child,
        referral_on=today - timedelta(days=75),
        referral_source="6",
        primary_need="N1",
        s47_started_on=today - timedelta(days=70),
    )
    annual = annual_services.create_report(actor=iro, year=2014)
    action = annual_services.add_action(
        actor=iro,
        report=annual,
        details=annual_services.WorkActionDetails(
            for_next_year=False,
            action="Audit chairing",
            who="IRO manager",
            when="June 2014",
            rag="G",
            commentary="",
        ),
    )
    return {
        "annual": annual,
        "action": action,
        "made": ReportGeneration.objects.create(report=annual, requested_by=iro),
        "cusab": cusab,
        "episode": episode,
        "challenge": challenge,
        "child": child,
        "unborn": unborn,
        "conference": conference,
        "referral": referral,
        "complaint": complaint,
    }


def _pages(records) -> list[str]:
    paths = []
    for route in all_routes():
        if route.name is None or route.name in NOT_PAGES:
            continue
        if route.name in RECORD_PATHS:
            paths.append(RECORD_PATHS[route.name](records))
        else:
            needs_record = "sample" in route.path or "/1/" in route.path
            assert not needs_record, f"{route.name} needs a record: add it to RECORD_PATHS"
            paths.append(route.path)
    return sorted(set(paths))


def test_every_page_a_signed_out_visitor_can_reach_passes_axe(axe_page, live_server):
    failures = {}
    for route in all_routes():
        if route.name in PUBLIC_VIEW_NAMES and route.name not in NOT_PAGES:
            axe_page.goto(live_server.url + route.path)
            if violations := axe_violations(axe_page):
                failures[route.path] = violations
    axe_page.goto(live_server.url + "/no-such-page/")
    if violations := axe_violations(axe_page):
        failures["404"] = violations
    assert failures == {}


# Each role's walk runs axe-core on some 85 pages: about 45 seconds on a quiet machine.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_page_passes_axe_for_each_role(axe_page, live_server, users_by_role, role):
    records = case_records(users_by_role[Role.IRO])
    records |= {
        "team": TeamFactory(name="Coalville locality"),
        "account": users_by_role[Role.CLERK],
        # Half made, so the page shows its progress bar (only the manager may see it).
        "export": PreparedExport.objects.create(
            requested_by=users_by_role[role],
            kind=ExportKind.CIN_CENSUS,
            parameters={"year": 2014, "la": "855"},
            status=PreparationStatus.RUNNING,
            progress=40,
            step="Written 400 of 1,000 children",
        ),
    }
    if role == Role.MANAGER:  # named permissions open the annual report and statutory returns
        users_by_role[role].user_permissions.add(
            *Permission.objects.filter(
                codename__in=["generate_annual_report", "export_statutory_returns"]
            )
        )
        # A finished check, so the returns page walked below shows its table of problems.
        checks = prepared_services.request_export(
            actor=users_by_role[role],
            kind=ExportKind.CENSUS_CHECKS,
            parameters={"year": 2025, "la": "855"},
        )
        prepared_services.prepare(checks.pk)
    sign_in(axe_page, live_server, users_by_role[role])
    expect(axe_page.get_by_role("heading", name="My work")).to_be_visible()

    failures = {}
    visited = 0
    for path in _pages(records):
        axe_page.goto(live_server.url + path)
        visited += 1
        if violations := axe_violations(axe_page):
            failures[path] = violations

    assert visited >= 8
    assert failures == {}


def test_the_axe_check_reports_a_real_violation(axe_page):
    # Guards the harness itself: a page with an unlabelled field and an image without alt text.
    axe_page.set_content(
        '<html lang="en"><head><title>t</title></head>'
        '<body><main><img src="x.png"><input type="text"></main></body></html>'
    )
    found = {violation["id"] for violation in axe_violations(axe_page)}
    assert {"image-alt", "label"} <= found
