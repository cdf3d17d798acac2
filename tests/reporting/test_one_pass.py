"""Each figure counted in one pass gives exactly the table it gives counted column by column
(the definition the drill-down lists), on seeded random records full of edge cases; and the
whole year's dashboard is counted in a fixed, small number of queries however many records
there are."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from advocacy.models import Referral
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason
from conferences.challenges.models import Challenge, ChallengeLevel, ChallengeReason
from conferences.choices import AgencyKind, Attendance, ConferenceStatus, Decision, Stage
from conferences.cusab.models import CusabChair, CusabMeeting, WhyIroChaired
from conferences.models import (
    ChildDecision,
    ConferenceRecord,
    CoreGroupMeeting,
    PostponementReason,
)
from conferences.questionnaires.models import FeedbackLink, FeedbackResponse, Respondent
from conferences.questionnaires.services import QUESTIONS
from conferences.record.models import RecordStatus
from reporting.figures import FIGURES, Scope
from rules.periods import Period
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    FamilyFactory,
    LocalityFactory,
    PlanFactory,
    ProfessionalFactory,
    UserFactory,
    at,
    invite,
    make_conference,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2010, 10, 1), date(2015, 9, 30)  # the four-year trends reach back to 2011
QUARTER_ENDS = [
    date(year, month, day)
    for year in range(2011, 2016)
    for month, day in ((3, 31), (6, 30), (9, 30), (12, 31))
]
ETHNICITIES = ["WBRI", "WIRT", "AIND", "BAFR", "MWBC", "CHNE", "OOTH", "REFU", "NOBT", ""]
CATEGORIES = [[], ["NEG"], ["EMO"], ["PHY"], ["SAB"], ["NEG", "EMO"]]
FACTORS = ["1A", "2B", "3A", "3C", "4B", "5A", "6C", "7A", "20"]


def _day(rng: random.Random) -> date:
    """Any day in the years counted, a quarter's last or first day one time in three."""
    if rng.random() < 1 / 3:
        end = rng.choice(QUARTER_ENDS)
        return end + timedelta(days=rng.choice((0, 0, 1, -1)))
    return FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))


def _maybe(rng: random.Random, value, chance: float = 0.5):
    return value if rng.random() < chance else None


def build_random_records(seed: int, families: int = 20):
    """Families of one to three children, plans (some back to back, some starting or ending on
    a quarter's last day), meetings held, postponed and cancelled (some just after midnight, so
    that the day in England is not the day in UTC), decisions, letters, invitations, core
    groups, and the rest of the service's records. Returns the chairs and localities used."""
    rng = random.Random(seed)
    localities = [LocalityFactory(name="North"), LocalityFactory(name="South")]
    chairs = [UserFactory(roles=[Role.IRO]) for _ in range(3)]
    agencies = [
        AgencyFactory(name=f"{kind.label} agency", kind=kind)
        for kind in (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.POLICE, AgencyKind.GP)
    ]
    professionals = [ProfessionalFactory(agency=agency) for agency in agencies]
    reasons = [PostponementReason.objects.get_or_create(label=f"Reason {n}")[0] for n in (0, 1)]
    complaint_reasons = [
        ComplaintReason.objects.get_or_create(label=f"Complaint {n}")[0] for n in (0, 1)
    ]
    challenge_reason = ChallengeReason.objects.get_or_create(label="Drift")[0]
    _edge_cases(chairs, localities)
    links = FeedbackLink.objects.count()
    for _ in range(families):
        family = FamilyFactory()
        children = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            born = _maybe(rng, _day(rng) - timedelta(days=rng.randrange(0, 18 * 365)), 0.9)
            children.append(
                ChildFactory(
                    family=family,
                    date_of_birth=born,
                    expected_date_of_birth=None if born else _day(rng),
                    ethnicity=rng.choice(ETHNICITIES),
                    locality=rng.choice([*localities, None]),
                    previous_plans_elsewhere=rng.choice((0, 0, 0, 1)),
                )
            )
        for child in children:
            started = _day(rng)
            for _ in range(rng.choice((0, 1, 1, 2))):
                ended = _maybe(rng, started + timedelta(days=rng.randrange(1, 700)), 0.7)
                if ended and rng.random() < 0.3:
                    ended = min(QUARTER_ENDS, key=lambda end: abs((end - ended).days))
                    ended = max(ended, started + timedelta(days=1))
                plan = PlanFactory(
                    child=child,
                    started_on=started,
                    ended_on=ended,
                    categories=rng.choice(CATEGORIES),
                )
                for _ in range(rng.choice((0, 1, 2))):
                    CoreGroupMeeting.objects.create(
                        child=child,
                        plan=plan,
                        held_on=started + timedelta(days=rng.randrange(0, 40)),
                        attendees="Social worker",
                        recorded_by=chairs[0],
                    )
                if ended is None:
                    break
                started = ended + timedelta(days=rng.choice((0, 30, 200)))  # back to back too
            if rng.random() < 0.4:
                referred = _day(rng)
                Referral.objects.create(
                    child=child,
                    referred_on=referred,
                    accepted_on=_maybe(rng, referred + timedelta(days=rng.randrange(0, 20))),
                    declined_on=_maybe(rng, referred + timedelta(days=5), 0.2),
                    support_started_on=_maybe(rng, referred + timedelta(days=rng.randrange(5, 60))),
                    closed_on=_maybe(rng, referred + timedelta(days=rng.randrange(60, 400))),
                )
            if rng.random() < 0.3:
                by_iro = rng.random() < 0.6
                CusabMeeting.objects.create(
                    child=child,
                    held_on=_day(rng),
                    chaired_by=CusabChair.IRO if by_iro else CusabChair.LOCALITY_MANAGER,
                    iro=rng.choice(chairs) if by_iro else None,
                    why_iro_chaired=rng.choice(list(WhyIroChaired)) if by_iro else "",
                    locality_manager="" if by_iro else "A locality manager",
                    recorded_by=chairs[0],
                )
            if rng.random() < 0.3:
                raised = _day(rng)
                Challenge.objects.create(
                    raised_by=rng.choice(chairs),
                    child=child,
                    level=rng.choice(list(ChallengeLevel)),
                    reason=challenge_reason,
                    detail="Plan drifting",
                    raised_on=raised,
                    response_due_on=raised + timedelta(days=5),
                    resolved_on=_maybe(rng, raised + timedelta(days=rng.randrange(1, 120))),
                )
        for _ in range(rng.randrange(2, 7)):
            day = _day(rng)
            # Some meetings just after midnight: the day in England is a day after UTC's.
            hour, minute = rng.choice(((10, 0), (14, 30), (0, 30)))
            status = rng.choices(
                [ConferenceStatus.HELD, ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED],
                weights=(8, 2, 1),
            )[0]
            present = rng.sample(children, rng.randrange(1, len(children) + 1))
            conference = make_conference(
                children_stages=[(child, rng.choice(list(Stage))) for child in present],
                chair=rng.choice(chairs),
                starts_at=at(day, hour, minute),
                status=status,
            )
            if status != ConferenceStatus.HELD:
                conference.postponement_reason = rng.choice([*reasons, None])
            conference.report_to_family_on = _maybe(rng, day - timedelta(rng.randrange(-1, 6)))
            conference.report_to_family_not_received = rng.random() < 0.1
            conference.report_to_chair_on = _maybe(rng, day - timedelta(rng.randrange(-1, 6)))
            conference.save()
            for place in conference.attendees.all():
                place.due_on = _maybe(rng, day + timedelta(days=rng.randrange(-20, 20)), 0.8)
                place.save()
            for professional in rng.sample(professionals, rng.randrange(0, 3)):
                invite(
                    conference,
                    professional,
                    attendance=rng.choice([*Attendance, ""]),
                    report_received_on=_maybe(rng, day - timedelta(days=2)),
                )
            if status == ConferenceStatus.HELD and rng.random() < 0.7:
                record = ConferenceRecord.objects.create(
                    conference=conference,
                    status=rng.choice((RecordStatus.FINALISED,) * 3 + (RecordStatus.DRAFT,)),
                    decision_letter_sent_on=_maybe(rng, day + timedelta(rng.randrange(0, 5))),
                    record_distributed_on=_maybe(rng, day + timedelta(rng.randrange(5, 40))),
                )
                for place in conference.attendees.all():
                    ChildDecision.objects.create(
                        record=record,
                        place=place,
                        decision=rng.choice(list(Decision)),
                        categories=rng.choice(CATEGORIES),
                        factors=rng.sample(FACTORS, rng.randrange(0, 4)),
                    )
            if rng.random() < 0.25:
                Complaint.objects.create(
                    complainant=rng.choice(("parent", "young_person", "agency")),
                    complainant_name="A complainant",
                    conference=conference,
                    child=present[0],
                    received_on=_day(rng),
                    reason=rng.choice(complaint_reasons),
                    resolved_at_stage=rng.choice((1, 2, None)),
                    logged_by=chairs[0],
                )
            if rng.random() < 0.2:
                Appeal.objects.create(
                    conference=conference,
                    child=present[0],
                    appellant=rng.choice(("parent", "young_person")),
                    received_on=_day(rng),
                    grounds="Grounds",
                )
            if rng.random() < 0.2:
                AgencyDissent.objects.create(
                    conference=conference, agency=agencies[1], point="Point", raised_on=_day(rng)
                )
            for respondent in Respondent:
                if status != ConferenceStatus.HELD or rng.random() < 0.5:
                    continue
                links += 1
                link = FeedbackLink.objects.create(
                    token_hash=f"{links:064d}",
                    respondent=respondent,
                    conference=conference,
                    expires_at=at(day) + timedelta(days=14),
                    used_at=at(day),
                )
                answers = {
                    key: rng.randrange(1, 6)
                    for key, _ in QUESTIONS[respondent]
                    if rng.random() < 0.9
                }
                FeedbackResponse.objects.create(
                    respondent=respondent,
                    conference=conference,
                    link=link,
                    answers=answers,
                    submitted_at=at(day + timedelta(days=rng.randrange(0, 10))),
                )
    return chairs, localities


def _edge_cases(chairs, localities) -> None:
    """Records on the edges, whatever the seed: a plan from one quarter's last day to the
    next's, a child reviewed by the chair of their last meeting, a review just after
    midnight on 1 July (30 June in UTC), two children at one meeting, one postponed."""
    first, second = (
        ChildFactory(locality=localities[0], date_of_birth=date(2010, 6, 30)) for _ in range(2)
    )
    second.family = first.family
    second.save()
    PlanFactory(child=first, started_on=date(2014, 6, 30), ended_on=date(2014, 9, 30))
    PlanFactory(child=second, started_on=date(2014, 3, 31), categories=["NEG"])
    both = [(first, Stage.INITIAL), (second, Stage.FIRST_REVIEW)]
    chair, other = chairs[0], chairs[1]
    make_conference(
        children_stages=both,
        chair=chair,
        starts_at=at(date(2014, 6, 30)),
        status=ConferenceStatus.HELD,
    )
    make_conference(
        children_stages=[(first, Stage.FIRST_REVIEW)],
        chair=chair,
        starts_at=at(date(2014, 9, 30)),
        status=ConferenceStatus.HELD,
    )
    make_conference(
        children_stages=[(second, Stage.REVIEW)],
        chair=chair,
        starts_at=at(date(2014, 7, 1), 0, 30),
        status=ConferenceStatus.HELD,
    )
    make_conference(
        children_stages=both,
        chair=other,
        starts_at=at(date(2014, 12, 31)),
        status=ConferenceStatus.POSTPONED,
    )


def scopes_for(year: int, chair_id: int, locality_id: int) -> list[Scope]:
    return [
        Scope(Period(year)),
        Scope(Period(year, 1)),
        Scope(Period(year, 4)),
        Scope(Period(year), locality_id=locality_id),
        Scope(Period(year), chair_id=chair_id),
        Scope(Period(year, 3), locality_id=locality_id, chair_id=chair_id),
    ]


def assert_one_pass_agrees(scopes: list[Scope]) -> None:
    """Every figure, for every scope: the table counted in one pass is the table counted
    column by column, cell for cell (shares and totals too)."""
    differing = [
        (figure.slug, scope)
        for scope in scopes
        for figure in FIGURES
        if figure.table(scope) != figure.table_by_column(scope)
    ]
    assert differing == []


@pytest.mark.parametrize("seed", [18, 1803])
def test_each_figure_counted_in_one_pass_equals_it_counted_column_by_column(seed):
    chairs, localities = build_random_records(seed)
    year = Scope(Period(2014))
    empty = [f.slug for f in FIGURES if not any(any(r.cells) for r in f.table(year).rows)]
    assert empty == []  # every figure has something to count
    for year_ in (2013, 2014):
        assert_one_pass_agrees(scopes_for(year_, chairs[0].pk, localities[0].pk))


# Queries each table takes, for any number of records: one; and a list of its rows' labels
# where those are records (reasons, chairs), or the council's closure days where it counts
# working days.
QUERIES = {figure.slug: 1 for figure in FIGURES} | {
    "postponements": 2,
    "complaints": 4,  # reasons; complaints, appeals and dissent are three tables
    "iro-workload": 2,
    "report-to-family": 2,
    "report-to-chair": 2,
    "distribution": 2,
    "core-groups": 2,
}


def _queries_by_table(scope: Scope) -> dict[str, int]:
    counted = {}
    for figure in FIGURES:
        with CaptureQueriesContext(connection) as captured:
            figure.table(scope)
        counted[figure.slug] = len(captured)
    return counted


def test_the_years_dashboard_takes_one_query_a_table_however_many_records(settings):
    from reporting.figures import compute

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    year = Scope(Period(2014))
    build_random_records(5, families=3)
    assert _queries_by_table(year) == QUERIES
    build_random_records(6, families=12)
    assert _queries_by_table(year) == QUERIES
    chair = UserFactory(roles=[Role.IRO])
    filtered = Scope(Period(2014, 2), locality_id=LocalityFactory().pk, chair_id=chair.pk)
    assert _queries_by_table(filtered) == QUERIES
    with CaptureQueriesContext(connection) as captured:
        compute(year)  # with no cache: every table counted, after the records' fingerprint
    assert len(captured) == 1 + sum(QUERIES.values()) == 34
