"""The record access log: every page that shows a child's data logs it, through one mechanism.

The walk below requests every URL of every app, as each role, with real records in its path. A
page about a record that answers 2xx must have written one access row for each child it shows,
and nothing for a child it hides; any page whose body names a child must have logged it unless it
is declared a list. A new URL that shows a child without logging fails here.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.models import Role
from advocacy import services as advocacy_services
from complaints import services as complaint_services
from complaints.models import ComplaintReason
from conferences.cases.access_log import PAGE_LABELS
from conferences.choices import Decision, Stage
from conferences.models import (
    Challenge,
    ChallengeReason,
    CinEpisode,
    ConferenceRecord,
    CusabMeeting,
    Notification,
    RecordAccess,
    RecordRelease,
)
from conferences.record.services import start_record
from reporting.freshness import fingerprint
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    LocalityFactory,
    ProfessionalFactory,
    TeamFactory,
    UserFactory,
    at,
    make_conference,
)
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

CHILD_NAME, SIBLING_NAME, HIDDEN_NAME = "Zephyrine", "Bartholomew", "Ottoline"

# Path parameters that name a case record, and which of the world's children a page about that
# record shows. A route with one of these must log those children whenever it answers 2xx.
CASE_PARAMETERS = {
    "child_id": "child",
    "family_id": "family",  # the children of the family the user may see
    "conference_id": "conference",
    "release_id": "conference",
    "referral_id": "child",
    "episode_id": "child",
    "meeting_id": "child",
    "challenge_id": "child",
    "complaint_id": "child",
    "notification_id": "child",
}
# Path parameters that name nothing of a child's case. A route with a parameter in neither list
# fails the test until someone decides which it is.
OTHER_PARAMETERS = {
    "user_id",
    "team_id",
    "grant_id",  # an administrator's request for a role or permission
    "professional_id",
    "kind",
    "slug",
    "report_id",
    "action_id",
    "generation_id",
    "export_key",  # a prepared export: census or Annex A, recorded by the statutory log
    "fmt",
    "token",
    "key",
    "uidb36",
    "model_label",  # the audit trail's history of one record: judged by what its page shows
    "object_id",
}
# Lists name children in rows but open no child's record, and are not logged: a tray is opened
# many times a day by the person whose work it is, and a row per child per view would bury the
# record opens a manager looks for. Exports of many children are recorded by their own logs.
LISTS = {
    "home": "each role's trays",
    "conferences:child_search": "search results",
    "conferences:clerk_tray": "the clerk's tray",
    "conferences:my_conferences": "the chair's tray",
    "conferences:chair_week": "the chairs' week",
    "conferences:notification_log": "the notification log",
    "conferences:cusab_list": "CUSAB meetings",
    "conferences:challenge_tray": "challenges",
    "conferences:good_practice": "good practice notes",
    "advocacy:tray": "the advocate's tray",
    "complaints:tray": "complaints, appeals and dissent",
    "reporting:records_behind": "a figure's records",
    "reporting:thematic": "the thematic report",
    "reporting:thematic_csv": "the thematic report",
    "reporting:data_quality": "data quality",
    "reporting:incomplete_children": "imported children to complete",
    "reporting:audit_log": "the audit trail's latest changes",
}
# Routes about a record that only act and redirect (POST-only forms sent empty here): they show
# nothing, so they cannot be expected to answer 2xx.
ACT_AND_REDIRECT = {
    "conferences:invitations_sent",
    "conferences:report_receipt",
    "conferences:record_start",
    "conferences:record_finalise",
    "conferences:record_release",
    "conferences:record_distribution",
    "conferences:notification_resend",
    "conferences:feedback_kiosk",
    "conferences:record_autosave",  # an empty body is refused (400); the poll test covers it
    "conferences:feedback_agencies",
    "complaints:complaint_respond",  # every field is optional: an empty response is saved
    "advocacy:take_referral",
    "advocacy:move_referral",
    "advocacy:record_views",
}
TEXT_TYPES = ("text/", "application/json")


@dataclass
class World:
    child: object
    sibling: object
    hidden: object
    conference: object
    parameters: dict
    clients: dict = field(default_factory=dict)

    def children_of(self, kind: str) -> set[int]:
        if kind == "child":
            return {self.child.pk}
        return {self.child.pk, self.sibling.pk}  # the family and the conference: never hidden


def _sign_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def _record_form(conference, record) -> dict:
    data = {
        "version": record.version,
        "pre_meeting_held": "yes",
        "child_views": "Wants to stay at home",
        "parent_views": "",
        "overall_family": "6",
        "entries-TOTAL_FORMS": 1,
        "entries-INITIAL_FORMS": 0,
        "entries-0-kind": "danger",
        "entries-0-text": "Could be hurt when Dad drinks",
        "entries-0-visibility": "everyone",
        "entries-0-score_chair": "4",
        "dissents-TOTAL_FORMS": 0,
        "dissents-INITIAL_FORMS": 0,
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    for place in conference.attendees.all():
        data[f"decision-{place.pk}-decision"] = Decision.PLAN
        data[f"decision-{place.pk}-categories"] = ["NEG"]
    return data


def _sign_off_and_release(chair_client, clerk_client, conference) -> RecordRelease:
    edit = reverse("conferences:record_edit", args=[conference.pk])
    record = start_record(actor=conference.chair, conference=conference)
    saved = chair_client.post(edit, _record_form(conference, record))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    record = ConferenceRecord.objects.get(conference=conference)
    chair_client.post(
        reverse("conferences:record_finalise", args=[conference.pk]), {"version": record.version}
    )
    clerk_client.post(
        reverse("conferences:record_release", args=[conference.pk]), {"recipient": "family"}
    )
    return RecordRelease.objects.get(record__conference=conference)


@pytest.fixture
def world(iro, clerk, manager, advocate, administrator) -> World:
    return _world(iro, clerk, manager, advocate, administrator)


def _world(iro, clerk, manager, advocate, administrator) -> World:
    family = FamilyFactory(name="Quillfeather")
    child = ChildFactory(family=family, first_name=CHILD_NAME)
    sibling = ChildFactory(family=family, first_name=SIBLING_NAME)
    hidden = ChildFactory(family=family, first_name=HIDDEN_NAME, is_restricted=True)
    conference = make_conference(
        children_stages=[(child, Stage.INITIAL), (sibling, Stage.INITIAL)],
        chair=iro,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    )
    clients = {
        "chair": _sign_in(iro),
        "clerk": _sign_in(clerk),
        "manager": _sign_in(manager),
        "advocate": _sign_in(advocate),
        "administrator": _sign_in(administrator),
    }
    release = _sign_off_and_release(clients["chair"], clients["clerk"], conference)
    referral = advocacy_services.refer_manually(actor=clerk, child=child, advocate=advocate)
    complaint = complaint_services.log_complaint(
        actor=clerk,
        conference=conference,
        child=child,
        complainant="parent",
        complainant_name="A parent",
        received_on=timezone.localdate(),
        reason=ComplaintReason.objects.get_or_create(label="Conduct")[0],
    )
    challenge = Challenge.objects.create(
        raised_by=iro,
        level=1,
        reason=ChallengeReason.objects.get_or_create(label="Drift")[0],
        detail="Drift",
        raised_on=date(2026, 1, 5),
        response_due_on=date(2026, 1, 12),
        raised_with_team=LocalityFactory(),
        child=child,
    )
    episode = CinEpisode.objects.create(
        child=child, referral_on=date(2026, 1, 2), referral_source="6", primary_need="N1"
    )
    meeting = CusabMeeting.objects.create(
        child=child,
        held_on=date(2026, 1, 5),
        chaired_by="locality_manager",
        locality_manager="A manager",
        recorded_by=clerk,
    )
    notification = Notification.objects.create(
        key=f"access-log-test:{child.pk}",
        kind="test",
        recipient_email="someone@partner.example",
        subject="A test",
        body="A test",
        child=child,
    )
    parameters = {
        "child_id": child.pk,
        "family_id": family.pk,
        "conference_id": conference.pk,
        "release_id": release.pk,
        "referral_id": referral.pk,
        "episode_id": episode.pk,
        "meeting_id": meeting.pk,
        "challenge_id": challenge.pk,
        "complaint_id": complaint.pk,
        "notification_id": notification.pk,
        "user_id": UserFactory(roles=[Role.CLERK]).pk,
        "team_id": TeamFactory().pk,
        "grant_id": 1,
        "professional_id": ProfessionalFactory().pk,
        "kind": "agencies",
        "slug": "category",
        "report_id": 1,
        "action_id": 1,
        "generation_id": 1,
        "export_key": uuid.uuid4(),
        "fmt": "csv",
        "token": "sample",
        "key": "sample",
        "uidb36": "sample",
        "model_label": "conferences.Child",
        "object_id": child.pk,
    }
    return World(child, sibling, hidden, conference, parameters, clients)


def _path(route, parameters: dict) -> tuple[str, set[str]]:
    match = resolve(route.path)
    if not match.kwargs:
        return route.path, set()
    names = set(match.kwargs)
    unknown = names - set(CASE_PARAMETERS) - OTHER_PARAMETERS
    assert not unknown, f"{route.name}: decide whether {unknown} names a case record"
    return reverse(route.name, kwargs={name: parameters[name] for name in names}), names


def _request(client, path):
    if "_auth_user_id" not in client.session:  # the feedback kiosk signs its chair out
        client.force_login(client.user)
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


def _shows_a_childs_name(response, world: World) -> bool:
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    return bool(re.search(f"{CHILD_NAME}|{SIBLING_NAME}", text))


def _new_rows(since: int) -> list[tuple]:
    return list(
        RecordAccess.objects.filter(pk__gt=since).values_list("child_id", "page", "user_id")
    )


def _last_row() -> int:
    return RecordAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@dataclass
class Walk:
    wrong: list
    shown_by_someone: set
    pages_logged: set


WORLD_ROLES = (Role.IRO, Role.CLERK, Role.MANAGER, Role.ADVOCATE, Role.ADMINISTRATOR)


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Walk:
    """Every URL of every app as each role, once for the two tests that read it (a walk takes a
    minute or more); in a transaction rolled back after the module. Its users are its own, so the
    role fixtures of the module's other tests are untouched."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _world(*(UserFactory(roles=[role]) for role in WORLD_ROLES))
        wrong, shown_by_someone = _walk_every_page(world)
        pages_logged = set(RecordAccess.objects.values_list("page", flat=True))
        yield Walk(wrong, shown_by_someone, pages_logged)
        transaction.set_rollback(True)


def _walk_every_page(world: World) -> tuple[list, set]:
    wrong, shown_by_someone = [], set()
    for route in all_routes():
        if route.name is None or route.name.startswith(("account_", "mfa_", "usersessions")):
            continue  # allauth's own pages: sign-in and the account's second factor
        path, names = _path(route, world.parameters)
        about = {CASE_PARAMETERS[name] for name in names if name in CASE_PARAMETERS}
        expected = set().union(*(world.children_of(kind) for kind in about)) if about else set()
        for role, client in world.clients.items():
            since = _last_row()
            response = _request(client, path)
            rows = _new_rows(since)
            logged = {child_id for child_id, _, _ in rows}
            ok = 200 <= response.status_code < 300
            if not ok:
                if rows:
                    wrong.append((route.name, role, response.status_code, "logged a refusal"))
                continue
            if about:
                shown_by_someone.add(route.name)
            wanted = set(expected)
            if _shows_a_childs_name(response, world) and route.name not in LISTS:
                wanted.add(world.child.pk)
            if logged != wanted:
                wrong.append((route.name, role, response.status_code, logged, wanted))
            if world.hidden.pk in logged:
                wrong.append((route.name, role, "logged a child it hides"))
            if any(page != route.name for _, page, _ in rows) or len(rows) != len(logged):
                wrong.append((route.name, role, "one row per child, named after the page", rows))
    return wrong, shown_by_someone


def test_every_page_that_shows_a_child_logs_the_access_and_only_for_the_children_shown(walk):
    wrong, shown_by_someone = walk.wrong, walk.shown_by_someone
    assert wrong == [], "\n".join(map(str, wrong))
    about_a_record = {
        route.name
        for route in all_routes()
        if route.name and set(resolve(route.path).kwargs) & set(CASE_PARAMETERS)
    }
    assert about_a_record - ACT_AND_REDIRECT <= shown_by_someone
    assert not (set(LISTS) & about_a_record), "a page about one record is not a list"
    assert set(LISTS) <= {route.name for route in all_routes()}


def test_every_page_that_logs_has_a_name_a_manager_can_read(walk):
    assert walk.pages_logged
    assert walk.pages_logged - set(PAGE_LABELS) == set()


def test_a_refused_request_logs_nothing(iro_client, world):
    since = _last_row()
    # Fetched, then refused: an IRO does not change a child's details, so nothing was shown.
    child_edit = reverse("conferences:child_edit", args=[world.child.pk])
    assert iro_client.get(child_edit).status_code == 403
    outsider = _sign_in(UserFactory(roles=[Role.MANAGER]))
    for name in ("child_detail", "core_groups", "cusab_add", "child_edit", "child_access_log"):
        hidden = reverse(f"conferences:{name}", args=[world.hidden.pk])
        assert outsider.get(hidden).status_code == 404
    assert _new_rows(since) == []


def test_each_request_writes_one_row_per_child_in_one_insert(clerk, clerk_client):
    family = FamilyFactory()
    children = [ChildFactory(family=family) for _ in range(3)]
    url = reverse("conferences:family_detail", args=[family.pk])
    clerk_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        clerk_client.get(url)
    inserts = [q for q in captured if '"conferences_recordaccess"' in q["sql"]]
    assert len([q for q in inserts if q["sql"].startswith("INSERT")]) == 1
    rows = RecordAccess.objects.filter(user=clerk, page="conferences:family_detail")
    assert sorted(rows.values_list("child_id", flat=True)) == sorted([c.pk for c in children] * 2)


def test_the_family_page_keeps_a_constant_number_of_queries_as_the_children_it_logs_grow(
    clerk_client, assert_constant_queries
):
    family = FamilyFactory()

    def add():
        ChildFactory(family=family)

    assert_constant_queries(
        clerk_client, reverse("conferences:family_detail", args=[family.pk]), add
    )


def test_the_projector_logs_once_per_opening_not_at_every_poll(manager, manager_client, world):
    conference = world.conference
    data = reverse("conferences:projector_data", args=[conference.pk])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        manager_client.get(reverse("conferences:projector", args=[conference.pk]))
        for _ in range(20):  # the page polls every 3 seconds
            traveller.shift(3)
            assert manager_client.get(data).status_code == 200
        polls = RecordAccess.objects.filter(user=manager, page="conferences:projector_data")
        assert polls.count() == 2  # one row for each child, once
        traveller.shift(11 * 60)  # left open past the window: logged again
        manager_client.get(data)
        assert polls.count() == 4
    opened = RecordAccess.objects.filter(user=manager, page="conferences:projector")
    assert opened.count() == 2


def test_autosave_is_logged_once_in_a_while_not_at_every_keystroke(iro, world):
    conference = world.conference
    chair = world.clients["chair"]
    url = reverse("conferences:record_autosave", args=[conference.pk])
    for _ in range(5):
        response = chair.post(url, '{"child_views": ["typing"]}', content_type="application/json")
        assert response.status_code == 200
    rows = RecordAccess.objects.filter(user=iro, page="conferences:record_autosave")
    assert rows.count() == 2


def test_opening_records_is_not_a_change_the_dashboard_counts(clerk_client, world):
    before = fingerprint()
    since = _last_row()
    clerk_client.get(reverse("conferences:conference_detail", args=[world.conference.pk]))
    clerk_client.get(reverse("conferences:child_detail", args=[world.child.pk]))
    assert _new_rows(since)
    assert fingerprint() == before


def test_the_access_log_page_is_paged_and_names_each_page_in_words(manager_client, clerk, world):
    child = world.child
    RecordAccess.objects.bulk_create(
        [RecordAccess(user=clerk, child=child, page="conferences:core_groups")] * 60
    )
    url = reverse("conferences:child_access_log", args=[child.pk])
    first = manager_client.get(url)
    assert len(first.context["accesses"]) == 50
    page = first.content.decode()
    assert PAGE_LABELS["conferences:core_groups"] in page
    assert "conferences:core_groups" not in page
    rest = manager_client.get(url, {"page": 2})
    assert 10 <= len(rest.context["accesses"]) < 50
