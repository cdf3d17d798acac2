"""Injection sweep (issue 16): typed text is shown as text everywhere it lands, never run.

One world of records is built once for the module, with a payload in every free-text field
(CharField and TextField) of every model of accounts, conferences, advocacy, complaints and
reporting. The fields are found by introspection: a field added to a model that already has a
row here is filled automatically, and a model with no row here fails the coverage test until
the world gains one. Only fields listed in SKIPPED (each with its reason), fields with choices
(the value is one of our codes), email addresses and pghistory's copies are left out.

Each payload starts like a spreadsheet formula (=HYPERLINK, +1, -1, @SUM) and carries markup
(<b id=..>, a hidden <input name=..>, "><img onerror>, <script>) whose id or name is a marker
(zq001...) that says which field it came from. The sweep then
- requests every URL of every app as each role (the routes from tests/urlwalk.py, with this
  world's ids), parses each HTML page as a browser would and fails on any element that a
  payload made, or on any server error;
- reads the record PDF and the decision letter with pypdf: the payloads are there as literal text;
- reads every CSV and XLSX download (dashboard tables and workbook, thematic CSV, Annex A) and
  the census XML: no cell holding a payload starts like a formula (it starts with ');
- sends the outbox's emails and the staff invitation: plain text only, with no HTML part.
"""

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pghistory.models
import pytest
from defusedxml import ElementTree as DefusedET
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import DatabaseError, models, transaction
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import GrantRequest, Role, SecurityEvent, SecurityEventKind, Team, User
from advocacy.models import Referral, ReferralConference, ReferralStatus
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason, ComplaintStage
from conferences.booking.services import (
    BookingRequest,
    ChildAtBooking,
    ParticipantAtBooking,
    book_conference,
)
from conferences.cases.census_codes import PrimaryNeed, ReferralSource
from conferences.cases.reference_views import REFERENCE_LISTS
from conferences.challenges.models import Challenge, ChallengeReason, GoodPracticeNote
from conferences.choices import (
    AgencyKind,
    Attendance,
    AttendanceMode,
    ConferenceStatus,
    Decision,
    EntryKind,
    ParticipantKind,
    SafetyColumn,
    ScoreGiver,
    Stage,
    Visibility,
)
from conferences.cusab.models import CusabChair, CusabMeeting
from conferences.models import (
    Agency,
    Child,
    ChildProtectionPlan,
    CinEpisode,
    ClosureDay,
    Conference,
    ConferenceChild,
    Family,
    Invitation,
    IroDetails,
    Locality,
    Participant,
    PostponementReason,
    Professional,
    RecordAccess,
    Venue,
)
from conferences.plans.models import CoreGroupMeeting
from conferences.questionnaires.models import FeedbackLink, FeedbackResponse, Respondent
from conferences.questionnaires.services import open_kiosk
from conferences.record.models import (
    ChildDecision,
    ConferenceRecord,
    Dissent,
    PlanAction,
    RecordAmendment,
    RecordStatus,
    SafetyEntry,
    SafetyScore,
)
from conferences.record.services import release_record
from notifications.models import Notification, NotificationStatus
from notifications.outbox import send_one
from reporting.annual.models import AnnualReport, ReportGeneration, WorkAction
from reporting.annual.services import generate
from reporting.dashboard.pages import scope_from
from reporting.figures import FIGURES
from reporting.prepared.models import ExportKind
from reporting.prepared.services import prepare, request_export
from rules.audience import Recipient
from rules.periods import financial_year_of
from tests.factories import UserFactory, at
from tests.html_elements import elements
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

SWEPT_APPS = ("accounts", "conferences", "advocacy", "complaints", "reporting")

# Free-text fields deliberately not filled, each with why.
SKIPPED = {
    "accounts.User.password": "a password hash",
    "conferences.FeedbackLink.token_hash": "a SHA-256 of the link's token",
    "conferences.ReleasedCopy.sha256": "a SHA-256 of the stored PDF",
    "conferences.Notification.key": "the outbox's idempotency key, built by Convene, never shown",
    "conferences.Notification.message_id": "the Message-ID header, built by Convene",
    "conferences.RecordRelease.recipient_reference": "built by Convene (participant:<id>)",
    "conferences.ChildProtectionPlan.imported_initial_category": "a 3-letter census code",
    "conferences.ChildProtectionPlan.imported_latest_category": "a 3-letter census code",
}

FORMULAS = ('=HYPERLINK("http://x.example")', "+1", "-1", "@SUM(1)")
MARKUPS = (
    "<b id={m}>",
    "<input type=hidden name={m} value=everyone>",
    '"><img src=x id={m} onerror=alert(1)>',
    "<script id={m}>alert(1)</script>",
)
MARKER = re.compile(r"zq\d{3}")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _label(model, field_name: str) -> str:
    return f"{model._meta.label}.{field_name}"


class Payloads:
    """Hands out a new payload for each field it fills, and remembers where each came from."""

    def __init__(self):
        self.origin: dict[str, str] = {}
        self.text: dict[str, str] = {}

    def __call__(self, model, field_name: str) -> str:
        number = len(self.origin) + 1
        marker = f"zq{number:03d}"
        formula = FORMULAS[number % len(FORMULAS)]
        markup = MARKUPS[(number // len(FORMULAS)) % len(MARKUPS)].format(m=marker)
        limit = model._meta.get_field(field_name).max_length or 10_000
        for candidate in (formula + markup, f"{formula[0]}<b id={marker}>"):
            if len(candidate) <= limit:
                self.origin[marker] = _label(model, field_name)
                self.text[marker] = candidate
                return candidate
        raise AssertionError(f"{_label(model, field_name)} is too short for a payload: skip it")

    def of(self, model, field_name: str) -> list[str]:
        label = _label(model, field_name)
        return [self.text[m] for m, origin in self.origin.items() if origin == label]


def swept_models() -> list[type[models.Model]]:
    return [
        model
        for app in SWEPT_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, pghistory.models.Event)  # history copies of the fields swept
    ]


def free_text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField)  # an address, validated wherever it is typed
        and not f.choices  # one of our codes; the label shown is ours
        and _label(model, f.name) not in SKIPPED
    ]


@dataclass
class World:
    payloads: Payloads
    users: dict[Role, User]
    ids: dict[str, list] = field(default_factory=dict)
    kiosk_token: str = ""


def _build(p: Payloads) -> World:
    today = timezone.localdate()
    team = Team.objects.create(name=p(Team, "name"))
    users = {
        role: UserFactory(
            roles=[role],
            full_name=p(User, "full_name"),
            email=f"{role.value}@sweep.example",
            team=team,
        )
        for role in Role
    }
    iro, clerk, manager = users[Role.IRO], users[Role.CLERK], users[Role.MANAGER]
    manager.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reporting",
            codename__in=["generate_annual_report", "export_statutory_returns"],
        )
    )
    grant = GrantRequest.objects.create(
        user=clerk, roles=[Role.IRO], requested_by=users[Role.ADMINISTRATOR]
    )
    SecurityEvent.objects.create(
        kind=SecurityEventKind.SIGN_IN_FAILED, attempted_email=p(SecurityEvent, "attempted_email")
    )
    IroDetails.objects.create(user=iro)
    ClosureDay.objects.create(
        day=today + timedelta(days=400), description=p(ClosureDay, "description")
    )

    locality = Locality.objects.create(name=p(Locality, "name"))
    agency = Agency.objects.create(name=p(Agency, "name"), kind=AgencyKind.POLICE)
    professional = Professional.objects.create(
        full_name=p(Professional, "full_name"),
        email="worker@partner.example",
        phone=p(Professional, "phone"),
        job_title=p(Professional, "job_title"),
        agency=agency,
        locality=locality,
    )
    family = Family.objects.create(name=p(Family, "name"))
    child = Child.objects.create(
        family=family,
        local_case_id=p(Child, "local_case_id"),
        first_name=p(Child, "first_name"),
        last_name=p(Child, "last_name"),
        date_of_birth=today - timedelta(days=12 * 365),
        first_language=p(Child, "first_language"),
        upn=p(Child, "upn"),
        locality=locality,
        social_worker=professional,
        strategy_discussion_on=today - timedelta(days=10),
    )
    plan = ChildProtectionPlan.objects.create(
        child=child, started_on=today - timedelta(days=1), categories=["NEG"]
    )
    CinEpisode.objects.create(
        child=child,
        referral_on=today - timedelta(days=30),
        referral_source=ReferralSource.FAMILY,
        primary_need=PrimaryNeed.ABUSE_OR_NEGLECT,
    )
    venue = Venue.objects.create(name=p(Venue, "name"))
    PostponementReason.objects.create(label=p(PostponementReason, "label"))

    conference = Conference.objects.create(
        family=family,
        starts_at=at(today - timedelta(days=1)),
        venue=venue,
        chair=iro,
        status=ConferenceStatus.HELD,
        is_past_record=True,
        out_of_timescale_reason=p(Conference, "out_of_timescale_reason"),
        postponement_detail=p(Conference, "postponement_detail"),
        booked_by=clerk,
    )
    place = ConferenceChild.objects.create(conference=conference, child=child, stage=Stage.INITIAL)
    invitation = Invitation.objects.create(
        conference=conference,
        professional=professional,
        sent_on=today - timedelta(days=5),
        attendance=Attendance.ATTENDED,
        attendance_mode=AttendanceMode.IN_PERSON,
    )
    participant = Participant.objects.create(
        conference=conference,
        kind=ParticipantKind.PARENT,
        name=p(Participant, "name"),
        interpreter_language=p(Participant, "interpreter_language"),
        interpreter_preference=p(Participant, "interpreter_preference"),
    )

    record = ConferenceRecord.objects.create(
        conference=conference,
        status=RecordStatus.FINALISED,
        pre_meeting_held=True,
        inquorate_reason=p(ConferenceRecord, "inquorate_reason"),
        child_views=p(ConferenceRecord, "child_views"),
        parent_views=p(ConferenceRecord, "parent_views"),
        finalised_at=timezone.now(),
        finalised_by=iro,
    )
    for position, (column, kind) in enumerate(
        [
            (SafetyColumn.WORRIES, EntryKind.DANGER),
            (SafetyColumn.WORKING_WELL, EntryKind.STRENGTH),
            (SafetyColumn.NEXT, EntryKind.GOAL),
        ]
    ):
        entry = SafetyEntry.objects.create(
            record=record, column=column, kind=kind, text=p(SafetyEntry, "text"), position=position
        )
    SafetyScore.objects.create(record=record, entry=entry, score=4, given_by=ScoreGiver.CHAIR)
    SafetyEntry.objects.create(
        record=record,
        column=SafetyColumn.WORRIES,
        kind=EntryKind.COMPLICATING,
        text=p(SafetyEntry, "text"),
        visibility=Visibility.NOT_NAMED,
        legacy_hidden_from=p(SafetyEntry, "legacy_hidden_from"),
        position=9,
    )
    Dissent.objects.create(
        record=record, dissenter=p(Dissent, "dissenter"), words=p(Dissent, "words")
    )
    ChildDecision.objects.create(
        record=record,
        place=place,
        decision=Decision.PLAN,
        categories=["NEG"],
        multiple_categories_reason=p(ChildDecision, "multiple_categories_reason"),
        next_review_on=today + timedelta(days=90),
        first_core_group_on=today + timedelta(days=9),
    )
    PlanAction.objects.create(
        record=record,
        who=p(PlanAction, "who"),
        what=p(PlanAction, "what"),
        by_when=today + timedelta(days=30),
    )
    RecordAmendment.objects.create(
        record=record, reason=p(RecordAmendment, "reason"), amended_by=iro
    )
    CoreGroupMeeting.objects.create(
        child=child,
        plan=plan,
        held_on=today,
        attendees=p(CoreGroupMeeting, "attendees"),
        actions_updated=p(CoreGroupMeeting, "actions_updated"),
        recorded_by=clerk,
    )

    reason = ChallengeReason.objects.create(label=p(ChallengeReason, "label"))
    challenge = Challenge.objects.create(
        raised_by=iro,
        child=child,
        conference=conference,
        level=1,
        raised_with_team=locality,
        reason=reason,
        detail=p(Challenge, "detail"),
        raised_on=today,
        response_due_on=today + timedelta(days=5),
        response=p(Challenge, "response"),
        outcome=p(Challenge, "outcome"),
    )
    GoodPracticeNote.objects.create(
        noted_by=iro,
        child=child,
        credited_to=p(GoodPracticeNote, "credited_to"),
        what_went_well=p(GoodPracticeNote, "what_went_well"),
        noted_on=today,
    )
    cusab = CusabMeeting.objects.create(
        child=child,
        held_on=today - timedelta(days=1),
        chaired_by=CusabChair.LOCALITY_MANAGER,
        locality_manager=p(CusabMeeting, "locality_manager"),
        outcome=p(CusabMeeting, "outcome"),
        recorded_by=clerk,
    )
    used_link = FeedbackLink.objects.create(
        token_hash="0" * 64,
        respondent=Respondent.PARENT,
        conference=conference,
        expires_at=timezone.now() + timedelta(hours=1),
        used_at=timezone.now(),
    )
    FeedbackResponse.objects.create(
        respondent=Respondent.PARENT,
        conference=conference,
        link=used_link,
        answers={},
        comments=p(FeedbackResponse, "comments"),
    )

    referral = Referral.objects.create(
        child=child,
        status=ReferralStatus.ACCEPTED,
        referred_by=clerk,
        advocate=users[Role.ADVOCATE],
        accepted_on=today,
        young_person_views=p(Referral, "young_person_views"),
    )
    ReferralConference.objects.create(referral=referral, conference=conference)

    complaint_reason = ComplaintReason.objects.create(label=p(ComplaintReason, "label"))
    complaint = Complaint.objects.create(
        complainant="parent",
        complainant_name=p(Complaint, "complainant_name"),
        conference=conference,
        child=child,
        received_on=today,
        reason=complaint_reason,
        logged_by=clerk,
    )
    ComplaintStage.objects.create(
        complaint=complaint,
        stage=1,
        started_on=today,
        response_due_on=today + timedelta(days=20),
        response=p(ComplaintStage, "response"),
    )
    Appeal.objects.create(
        conference=conference,
        child=child,
        appellant="parent",
        grounds=p(Appeal, "grounds"),
        outcome=p(Appeal, "outcome"),
    )
    AgencyDissent.objects.create(
        conference=conference,
        agency=agency,
        point=p(AgencyDissent, "point"),
        resolution=p(AgencyDissent, "resolution"),
    )

    report = AnnualReport.objects.create(
        year=financial_year_of(today),
        created_by=manager,
        **{
            f.name: p(AnnualReport, f.name)
            for f in AnnualReport._meta.concrete_fields
            if isinstance(f, models.TextField)
        },
    )
    action = WorkAction.objects.create(
        report=report,
        action=p(WorkAction, "action"),
        who=p(WorkAction, "who"),
        when=p(WorkAction, "when"),
        commentary=p(WorkAction, "commentary"),
    )
    generation = ReportGeneration.objects.create(report=report, requested_by=manager)
    generate(generation.pk)
    kiosk_token = open_kiosk(actor=iro, conference=conference)
    # A booking through the service writes the outbox rows the email test sends.
    book_conference(
        actor=clerk,
        request=BookingRequest(
            family=family,
            children=[ChildAtBooking(child=child, stage=Stage.REVIEW)],
            starts_at=at(today + timedelta(days=21)),
            venue=venue,
            chair=iro,
            invitees=[professional],
            participants=[
                ParticipantAtBooking(
                    kind=ParticipantKind.PARENT,
                    name=p(Participant, "name"),
                    attendance_mode=AttendanceMode.IN_PERSON,
                )
            ],
        ),
    )

    # One export still waiting, so its words (step, error) are filled with payloads below.
    year = financial_year_of(timezone.localdate())
    census = {"year": year - 1, "la": "855"}
    annex_a = {"start": f"{year}-04-01", "end": f"{year + 1}-03-31"}
    waiting = request_export(actor=manager, kind=ExportKind.CIN_CENSUS, parameters=census)

    _fill_the_rest(p)

    # The returns, made as the worker makes them, from records holding payloads.
    made = [
        request_export(actor=manager, kind=kind, parameters=parameters)
        for kind, parameters in (
            (ExportKind.CIN_CENSUS, census),
            (ExportKind.ANNEX_A_CSV, annex_a),
            (ExportKind.ANNEX_A_XLSX, annex_a),
        )
    ]
    for export in made:
        prepare(export.pk)

    # Copies and access logs are append-only: written once the rest is filled.
    releases = [
        release_record(actor=clerk, record=record, recipient=recipient)
        for recipient in (Recipient.participant(participant), Recipient.invited(invitation))
    ]
    RecordAccess.objects.create(user=clerk, child=child, page=p(RecordAccess, "page"))

    return World(
        payloads=p,
        users=users,
        kiosk_token=kiosk_token,
        ids={
            "child_id": [child.pk],
            "family_id": [family.pk],
            "conference_id": [conference.pk],
            "release_id": [release.pk for release in releases],
            "notification_id": [Notification.objects.order_by("pk").first().pk],
            "challenge_id": [challenge.pk],
            "meeting_id": [cusab.pk],
            "episode_id": [CinEpisode.objects.get(child=child).pk],
            "professional_id": [professional.pk],
            "user_id": [users[Role.IRO].pk],
            "team_id": [team.pk],
            "grant_id": [grant.pk],
            "referral_id": [referral.pk],
            "complaint_id": [complaint.pk],
            "report_id": [report.pk],
            "action_id": [action.pk],
            "generation_id": [generation.pk],
            "export_key": [waiting.key, *(export.key for export in made)],
            "kind": list(REFERENCE_LISTS),
            "slug": [figure.slug for figure in FIGURES],
            "fmt": ["csv", "xlsx"],
            "token": [kiosk_token],
        },
    )


def _fill_the_rest(p: Payloads) -> None:
    """Every free-text field no row holds a payload in yet gets one in every row (so a new field
    is swept without anyone remembering to add it). Append-only tables refuse: their rows are
    written with payloads in _build."""
    for model in swept_models():
        for f in free_text_fields(model):
            if model.objects.filter(**{f"{f.name}__contains": "zq"}).exists():
                continue
            for pk in model.objects.values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=pk).update(**{f.name: p(model, f.name)})
                except DatabaseError:
                    break


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The records, built once for the module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build(Payloads())
        transaction.set_rollback(True)


def test_every_free_text_field_of_every_model_holds_a_payload(world):
    unfilled = [
        _label(model, f.name)
        for model in swept_models()
        for f in free_text_fields(model)
        if not model.objects.filter(**{f"{f.name}__contains": "zq"}).exists()
    ]
    assert unfilled == [], "add a row with a payload for these to _build in this module"


# Pages ------------------------------------------------------------------------------------

# Routes not requested, and why.
SKIPPED_ROUTES = {
    "account_logout": "ends the session the sweep is using",
    "account_reset_password_from_key": "needs allauth's one-use key; shows no record",
}
# Routes requested as some roles only, to keep the sweep fast: the pages many times over (one
# per figure, list or audited model) as the roles they are for, and a user's own account pages
# (which show no case record) once. Who may open what is the permission matrix's test.
ROLES_FOR = {
    "reporting:table_csv": (Role.MANAGER,),
    "reporting:records_behind": (Role.MANAGER,),
    "reporting:record_history": (Role.MANAGER, Role.ADMINISTRATOR),
    "conferences:reference_list": (Role.MANAGER, Role.ADMINISTRATOR),
}
OWN_ACCOUNT_PAGES = ("account_", "mfa_", "usersessions_")


def _queries(name: str, kwargs: dict) -> list[str]:
    today = timezone.localdate()
    year = financial_year_of(today)
    if name == "reporting:records_behind":
        _form, scope = scope_from(RequestFactory().get("/"))
        found = next(figure for figure in FIGURES if figure.slug == kwargs["slug"])
        column = found.columns(scope)[-1].key
        row = found.rows(scope)[0][0]
        return [f"?column={column}&row={row}"]
    if name == "reporting:statutory_returns":
        return ["", f"?year={year - 1}&la=855"]
    if name == "conferences:child_search":
        return ["", "?q=zq"]
    return [""]


def _history_urls(world: World) -> list[str]:
    """One history page for each audited model with a row holding a payload."""
    from reporting.audit.trail import tracked_models

    urls = []
    for label, model in tracked_models().items():
        fields = free_text_fields(model)
        if not fields:
            continue
        holding = models.Q()
        for f in fields:
            holding |= models.Q(**{f"{f.name}__contains": "zq"})
        row = model.objects.filter(holding).first()
        if row is not None:
            urls.append(
                reverse(
                    "reporting:record_history", kwargs={"model_label": label, "object_id": row.pk}
                )
            )
    return urls


def _urls(world: World) -> list[tuple[str, str]]:
    """(route name, url) for every named route, with this world's ids."""
    urls, missing = [], []
    for route in all_routes():
        if route.name is None or route.name in SKIPPED_ROUTES:
            continue
        if route.name == "reporting:record_history":
            urls += [(route.name, url) for url in _history_urls(world)]
            continue
        names = sorted(resolve(route.path).kwargs)
        if any(name not in world.ids for name in names):
            missing.append(route.name)
            continue
        for values in itertools.product(*(world.ids[name] for name in names)):
            kwargs = dict(zip(names, values, strict=True))
            base = reverse(route.name, kwargs=kwargs)
            urls += [(route.name, base + query) for query in _queries(route.name, kwargs)]
    assert missing == [], "give the sweep's world an id for these routes' arguments"
    return urls


@dataclass
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def planted_in_html(html: str, payloads: Payloads) -> list[str]:
    """Elements a payload made: an id or name that is a marker, a script holding one, or an
    inline event handler."""
    found = []
    for element in elements(html):
        for attribute in ("id", "name"):
            value = element.get(attribute) or ""
            if MARKER.fullmatch(value):
                found.append(f"<{element.tag} {attribute}={value}> from {payloads.origin[value]}")
        if element.tag == "script" and MARKER.search(element.text or ""):
            found.append(f"a <script> holding {MARKER.search(element.text).group()}")
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        if handlers:
            found.append(f"<{element.tag}> with {handlers}")
    return found


def _check(response, where: str, world: World, findings: list[Finding], seen: dict) -> None:
    content_type = response.get("Content-Type", "")
    # A prepared export is read from its file, a block at a time.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "text/html" in content_type:
        html = body.decode()
        findings += [Finding(where, what) for what in planted_in_html(html, world.payloads)]
        seen["html"] |= set(MARKER.findall(html))
    elif "application/pdf" in content_type:
        seen["pdf"].append((where, _pdf_text(body)))
    elif "text/csv" in content_type:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        findings += [Finding(where, what) for what in _formula_cells(itertools.chain(*rows))]
        seen["sheet"] += [cell for row in rows for cell in row if MARKER.search(cell)]
    elif "spreadsheetml" in content_type:
        cells = _xlsx_cells(body)
        findings += [Finding(where, what) for what in _formula_cells(cells)]
        seen["sheet"] += [cell for cell in cells if MARKER.search(str(cell))]
    elif "xml" in content_type:
        root = DefusedET.fromstring(body)  # markup in a value would not parse, or add tags
        tags = {element.tag.split("}")[-1] for element in root.iter()}
        if tags & {"b", "input", "img", "script"}:
            findings.append(Finding(where, f"XML elements made by payloads: {tags}"))


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cells.append(f"=FORMULA {cell.value}")  # a formula cell is always a finding
                elif cell.value is not None:
                    cells.append(cell.value)
    return cells


def _formula_cells(cells) -> list[str]:
    return [
        f"cell {cell!r} would run as a formula"
        for cell in cells
        if isinstance(cell, str)
        and (
            cell.startswith("=FORMULA ")
            or (MARKER.search(cell) and cell.startswith(FORMULA_STARTS))
        )
    ]


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="module")
def swept(world, django_db_blocker):
    """Every page and download as every role: the findings, and which markers were seen where."""
    findings: list[Finding] = []
    seen = {"html": set(), "sheet": [], "pdf": []}
    statuses = {}
    with django_db_blocker.unblock(), transaction.atomic():
        clients = {role: _client(user) for role, user in world.users.items()}
        for name, url in _urls(world):
            if name == "feedback:questionnaire":
                visitors = {"anyone": _client()}
            elif name.startswith(OWN_ACCOUNT_PAGES):
                visitors = {Role.IRO.value: clients[Role.IRO]}
            else:
                roles = ROLES_FOR.get(name, tuple(clients))
                visitors = {role.value: clients[role] for role in roles}
            for who, client in visitors.items():
                response = client.get(url)
                where = f"{url} as {who}"
                statuses[where] = response.status_code
                if response.status_code >= 500:
                    findings.append(Finding(where, f"server error {response.status_code}"))
                elif response.status_code == 200:
                    _check(response, where, world, findings, seen)
        transaction.set_rollback(True)
    return findings, seen, statuses


def test_no_page_or_download_interprets_a_payload(swept):
    findings, _seen, _statuses = swept
    assert [str(finding) for finding in findings] == []


def test_the_sweep_reached_the_pages_that_show_the_records(world, swept):
    """Guards the sweep itself: if the world's ids or roles were wrong, pages would be refused
    and the sweep would pass without looking at anything."""
    _findings, seen, statuses = swept
    shown = {world.payloads.origin[m] for m in seen["html"]}
    for label in (
        "conferences.Child.first_name",
        "conferences.SafetyEntry.text",
        "conferences.Dissent.words",
        "advocacy.Referral.young_person_views",
        "complaints.Appeal.grounds",
        "reporting.WorkAction.commentary",
        "accounts.SecurityEvent.attempted_email",
        "conferences.Notification.subject",
    ):
        assert label in shown, f"no page showed {label}"
    assert sum(status == 200 for status in statuses.values()) > 100


def test_pdfs_show_payloads_as_literal_text(world, swept):
    _findings, seen, _statuses = swept
    texts = dict(seen["pdf"])
    p = world.payloads
    expected = {
        "release": [
            *p.of(Child, "first_name"),
            *p.of(ConferenceRecord, "child_views"),
            *p.of(PlanAction, "what"),
            p.of(SafetyEntry, "text")[0],
            p.of(Participant, "name")[0],
        ],
        "letter": [*p.of(Child, "first_name"), *p.of(User, "full_name")[:1]],
        "annual": [*p.of(AnnualReport, "strengths"), *p.of(WorkAction, "commentary")],
    }

    def squeezed(text: str) -> str:
        return re.sub(r"\s+", "", text)

    missing = []
    for kind, needles in expected.items():
        found = [text for where, text in texts.items() if _pdf_kind(where) == kind]
        assert found, f"no {kind} PDF was read"
        for needle in needles:
            if not any(squeezed(needle) in squeezed(text) for text in found):
                missing.append(f"{kind}: {needle}")
    assert missing == []


def _pdf_kind(where: str) -> str:
    if "/record/releases/" in where:
        return "release"
    if "/record/letter/" in where:
        return "letter"
    if "/annual/made/" in where:
        return "annual"
    return "other"


def test_spreadsheet_downloads_carry_payloads_as_text(world, swept):
    """The CSV and XLSX checks in the sweep are not vacuous: text typed by users is in them,
    behind the ' that keeps a spreadsheet from running it."""
    _findings, seen, _statuses = swept
    guarded = {
        world.payloads.origin[MARKER.search(cell).group()]
        for cell in seen["sheet"]
        if cell[:1] == "'" and cell[1:] in world.payloads.text.values()
    }
    assert "conferences.Child.local_case_id" in guarded  # Annex A
    assert "conferences.ChallengeReason.label" in guarded  # thematic CSV
    assert "conferences.Locality.name" in guarded  # dashboard tables and workbook


# Emails -----------------------------------------------------------------------------------


def test_emails_are_plain_text_and_name_no_child(world):
    from accounts.invitations import send_invitation

    pending = Notification.objects.filter(status=NotificationStatus.PENDING)
    assert pending.exists()
    for notification_id in pending.values_list("pk", flat=True):
        assert send_one(notification_id)
    send_invitation(user_id=world.users[Role.CLERK].pk)

    p = world.payloads
    child_markers = {
        MARKER.search(text).group()
        for model, name in [(Child, "first_name"), (Child, "last_name"), (Family, "name")]
        for text in p.of(model, name)
    }
    problems = []
    for message in mail.outbox:
        if message.content_subtype != "plain" or getattr(message, "alternatives", []):
            problems.append(f"{message.subject!r} has an HTML part")
        if "\n" in message.subject or "\r" in message.subject:
            problems.append(f"{message.subject!r} spans lines")
        named = child_markers & set(MARKER.findall(message.subject + message.body))
        if named:
            problems.append(f"{message.subject!r} names the child ({named})")
    assert problems == []
    assert any(MARKER.search(message.body) for message in mail.outbox), "no email held a payload"
