"""The children in need census import: a good file is written whole and only once; a bad or hostile
one is refused with every problem named, and nothing anywhere changes."""

import io
from datetime import date

import pytest
from defusedxml.ElementTree import fromstring, tostring
from django.apps import apps
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from conferences.cases.census_codes import UPN_CHECK_LETTERS
from conferences.cases.episode_models import CinEpisode
from conferences.cases.episode_services import EpisodeDetails, record_episode
from conferences.choices import ConferenceStatus, Decision, Stage
from conferences.models import (
    Child,
    ChildDecision,
    ChildProtectionPlan,
    Conference,
    ConferenceRecord,
    Family,
)
from conferences.record.models import RecordStatus
from rules.timescales import due_date, history_of
from rules.working_days import working_calendar
from statutory import census_export, census_read
from statutory.census_import import CensusRefused, import_census
from tests.factories import ChildFactory, PlanFactory, UserFactory, at, make_conference

pytestmark = pytest.mark.django_db

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection><Year>2015</Year><ReferenceDate>2015-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel><LEA>855</LEA><SoftwareCode>Convene</SoftwareCode>
      <Release>1.0</Release><SerialNo>1</SerialNo><DateTime>2015-04-10T09:00:00</DateTime>
    </Source>
  </Header>
  <Children>
{children}
  </Children>
</Message>
"""

FIRST = """
<Child>
  <ChildIdentifiers>
    <LAchildID>HIST00001</LAchildID>
    <UPNunknown>UN1</UPNunknown>
    <PersonBirthDate>2010-01-02</PersonBirthDate>
    <Sex>F</Sex>
  </ChildIdentifiers>
  <ChildCharacteristics>
    <Ethnicity>WBRI</Ethnicity>
    <Disabilities><Disability>NONE</Disability></Disabilities>
  </ChildCharacteristics>
  <CINdetails>
    <CINreferralDate>2014-04-10</CINreferralDate>
    <ReferralSource>6</ReferralSource>
    <PrimaryNeedCode>N1</PrimaryNeedCode>
    <CINclosureDate>2015-01-10</CINclosureDate>
    <ReasonForClosure>RC7</ReasonForClosure>
    <ReferralNFA>0</ReferralNFA>
    <Assessments>
      <AssessmentActualStartDate>2014-04-11</AssessmentActualStartDate>
      <AssessmentAuthorisationDate>2014-05-20</AssessmentAuthorisationDate>
      <FactorsIdentifiedAtAssessment>
        <AssessmentFactors>3B</AssessmentFactors>
        <AssessmentFactors>4B</AssessmentFactors>
      </FactorsIdentifiedAtAssessment>
    </Assessments>
    <Section47>
      <S47ActualStartDate>2014-04-15</S47ActualStartDate>
      <InitialCPCtarget>2014-05-06</InitialCPCtarget>
      <DateOfInitialCPC>2014-05-01</DateOfInitialCPC>
      <ICPCnotRequired>false</ICPCnotRequired>
    </Section47>
    <ChildProtectionPlans>
      <CPPstartDate>2014-05-01</CPPstartDate>
      <CPPendDate>2014-11-03</CPPendDate>
      <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
      <LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>
      <NumberOfPreviousCPP>2</NumberOfPreviousCPP>
      <Reviews><CPPreviewDate>2014-11-03</CPPreviewDate></Reviews>
      <Reviews><CPPreviewDate>2014-08-01</CPPreviewDate></Reviews>
      <Reviews><CPPreviewDate>2014-08-01</CPPreviewDate></Reviews>
    </ChildProtectionPlans>
  </CINdetails>
  <CINdetails>
    <CINreferralDate>2015-02-01</CINreferralDate>
    <ReferralSource>1A</ReferralSource>
    <PrimaryNeedCode>N4</PrimaryNeedCode>
    <ReferralNFA>1</ReferralNFA>
  </CINdetails>
</Child>
"""

SECOND = """
<Child>
  <ChildIdentifiers>
    <LAchildID>HIST00002</LAchildID>
    <UPNunknown>UN6</UPNunknown>
    <ExpectedPersonBirthDate>2015-05-01</ExpectedPersonBirthDate>
    <Sex>U</Sex>
  </ChildIdentifiers>
  <ChildCharacteristics>
    <Ethnicity>NOBT</Ethnicity>
  </ChildCharacteristics>
  <CINdetails>
    <CINreferralDate>2015-01-05</CINreferralDate>
    <ReferralSource>3B</ReferralSource>
    <PrimaryNeedCode>N1</PrimaryNeedCode>
    <DateOfInitialCPC>2015-01-20</DateOfInitialCPC>
    <ReferralNFA>0</ReferralNFA>
    <ChildProtectionPlans>
      <CPPstartDate>2015-01-20</CPPstartDate>
      <InitialCategoryOfAbuse>MUL</InitialCategoryOfAbuse>
      <LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>
      <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
    </ChildProtectionPlans>
  </CINdetails>
</Child>
"""


def _census(*children: str) -> bytes:
    return HEADER.format(children="".join(children)).encode()


VALID = _census(FIRST, SECOND)
EVENT_MODELS = ["ChildEvent", "FamilyEvent", "ChildProtectionPlanEvent", "CinEpisodeEvent"]


def _events() -> dict[str, int]:
    return {name: apps.get_model("conferences", name).objects.count() for name in EVENT_MODELS}


def _snapshot() -> dict:
    """Every row of every table the application owns, history and audit context included."""
    labels = {"accounts", "conferences", "advocacy", "complaints", "reporting", "pghistory"}
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in labels and model._meta.managed and not model._meta.proxy
    }


def _refused(data: bytes) -> list:
    with pytest.raises(CensusRefused) as refused:
        import_census(data)
    return refused.value.problems


# --- a good file ---------------------------------------------------------------------------


def test_a_valid_file_creates_incomplete_children_with_their_episodes_and_plans():
    result = import_census(VALID)

    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    assert result.skipped_no_further_action == 1
    assert result.incomplete_children == ["HIST00001", "HIST00002"]
    first = Child.objects.get(local_case_id="HIST00001")
    assert (first.first_name, first.last_name, first.needs_completion) == ("", "Not recorded", True)
    assert first.family.name == "Census import HIST00001"
    assert (first.sex, first.ethnicity, first.disabilities) == ("F", "WBRI", [])
    assert (first.date_of_birth, first.upn, first.upn_unknown_reason) == (
        date(2010, 1, 2),
        "",
        "UN1",
    )
    assert first.previous_plans_elsewhere == 2


def test_an_imported_episode_keeps_every_census_field():
    import_census(VALID)

    episode = CinEpisode.objects.get(child__local_case_id="HIST00001")  # the NFA one is skipped
    assert episode.referral_on == date(2014, 4, 10)
    assert (episode.referral_source, episode.primary_need) == ("6", "N1")
    assert (episode.closed_on, episode.closure_reason) == (date(2015, 1, 10), "RC7")
    assert episode.assessment_started_on == date(2014, 4, 11)
    assert episode.assessment_authorised_on == date(2014, 5, 20)
    assert episode.assessment_factors == ["3B", "4B"]
    assert (episode.s47_started_on, episode.icpc_target_on) == (date(2014, 4, 15), date(2014, 5, 6))
    assert (episode.imported_icpc_on, episode.icpc_not_required) == (date(2014, 5, 1), False)


def test_an_imported_plan_keeps_its_categories_and_sorted_unique_reviews():
    import_census(VALID)

    plan = ChildProtectionPlan.objects.get(child__local_case_id="HIST00001")
    assert (plan.started_on, plan.ended_on) == (date(2014, 5, 1), date(2014, 11, 3))
    assert (plan.imported_initial_category, plan.imported_latest_category) == ("NEG", "PHY")
    assert plan.categories == ["PHY"]
    assert plan.imported_review_dates == [date(2014, 8, 1), date(2014, 11, 3)]


def test_an_unborn_child_transferred_in_on_a_multiple_category_plan():
    import_census(VALID)

    child = Child.objects.get(local_case_id="HIST00002")
    assert (child.date_of_birth, child.expected_date_of_birth) == (None, date(2015, 5, 1))
    assert (child.sex, child.ethnicity, child.upn_unknown_reason) == ("U", "NOBT", "UN6")
    assert child.cin_episodes.get().imported_icpc_on == date(2015, 1, 20)
    plan = child.plans.get()
    assert (plan.ended_on, plan.imported_latest_category, plan.categories) == (None, "MUL", [])


def test_the_import_is_audited_as_the_command_with_no_user():
    import_census(VALID)

    events = apps.get_model("conferences", "ChildEvent").objects.filter(pgh_label="insert")
    assert [event.pgh_context.metadata for event in events] == [
        {"action": "import_cin_census", "source": "command"}
    ] * 2


def _numbered(first: int, count: int) -> bytes:
    """A file of ``count`` new children like the first, numbered from ``first``."""
    return _census(
        *(FIRST.replace("HIST00001", f"BULK{number:05d}") for number in range(first, first + count))
    )


def test_new_children_are_written_in_the_same_few_statements_however_many_there_are():
    with CaptureQueriesContext(connection) as few:
        import_census(_numbered(1, 2))
    with CaptureQueriesContext(connection) as many:
        result = import_census(_numbered(100, 40))

    assert len(many) == len(few)
    assert (result.created, len(result.incomplete_children)) == (120, 40)
    # Every row written has its history row, with the import's audit context.
    for name in EVENT_MODELS:
        events = apps.get_model("conferences", name).objects.filter(pgh_label="insert")
        assert events.count() == 42
        assert {event.pgh_context.metadata["action"] for event in events} == {"import_cin_census"}


def test_known_children_are_updated_in_the_same_few_statements_however_many_there_are():
    """A second year's file ending the plans of children Convene holds, and adding an episode
    each: a statement for each kind of record, not one or more for each child."""
    import_census(_numbered(1, 2))
    import_census(_numbered(100, 40))

    def ended(data: bytes) -> bytes:
        extra = "<CINdetails><CINreferralDate>2015-03-01</CINreferralDate>"
        extra += "<ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
        extra += "<ReferralNFA>0</ReferralNFA></CINdetails>"
        data = data.replace(b"<CPPendDate>2014-11-03", b"<CPPendDate>2014-11-04")
        return data.replace(b"</CINdetails>\n</Child>", f"</CINdetails>{extra}</Child>".encode())

    with CaptureQueriesContext(connection) as few:
        import_census(ended(_numbered(1, 2)))
    with CaptureQueriesContext(connection) as many:
        result = import_census(ended(_numbered(100, 40)))

    assert len(many) == len(few)
    assert result.updated == 40
    assert result.created == 40
    plans = ChildProtectionPlan.objects.filter(child__local_case_id__startswith="BULK")
    assert set(plans.values_list("ended_on", flat=True)) == {date(2015 - 1, 11, 4)}
    assert set(plans.values_list("version", flat=True)) == {2}
    assert CinEpisode.objects.filter(referral_on=date(2015, 3, 1)).count() == 42


def test_a_known_childs_booked_conference_is_due_again_by_the_imported_birth_date():
    """Due dates hang on the birth date: an unborn child's pre-birth first review is due by the
    date of birth the census brings, as when a clerk records the birth."""
    unborn = ChildFactory(
        local_case_id="HIST00002", date_of_birth=None, expected_date_of_birth=date(2015, 5, 1)
    )
    PlanFactory(child=unborn, started_on=date(2015, 1, 20))
    chair = UserFactory(roles=[Role.IRO])
    make_conference(
        children_stages=[(unborn, Stage.PRE_BIRTH)],
        chair=chair,
        starts_at=at(date(2015, 1, 20)),
        status=ConferenceStatus.HELD,
    )
    review = make_conference(
        children_stages=[(unborn, Stage.FIRST_REVIEW)], chair=chair, starts_at=at(date(2015, 6, 1))
    )
    place = review.attendees.get()
    due_before = place.due_on
    born = SECOND.replace(
        "<ExpectedPersonBirthDate>2015-05-01</ExpectedPersonBirthDate>",
        "<PersonBirthDate>2015-04-20</PersonBirthDate>",
    )

    import_census(_census(born))

    unborn.refresh_from_db()
    place.refresh_from_db()
    assert unborn.date_of_birth == date(2015, 4, 20)
    expected = due_date(
        unborn, Stage.FIRST_REVIEW, history_of(unborn, before=date(2015, 6, 1)), working_calendar()
    )
    assert place.due_on == expected
    assert place.due_on != due_before


def test_importing_the_same_file_again_changes_nothing():
    import_census(VALID)
    events, rows = _events(), _snapshot()

    result = import_census(VALID)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert result.incomplete_children == []
    assert _events() == events
    assert _snapshot() == rows


def test_an_existing_child_is_updated_but_keeps_names_and_family():
    child = ChildFactory(local_case_id="HIST00001", first_name="Amy", last_name="Ashworth", sex="M")
    family = child.family
    PlanFactory(child=child, started_on=date(2013, 1, 1), ended_on=date(2013, 6, 1))
    version = child.version

    result = import_census(_census(FIRST))

    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.family) == ("Amy", "Ashworth", family)
    assert (child.sex, child.ethnicity, child.needs_completion) == ("F", "WBRI", False)
    assert child.version == version + 1
    assert child.previous_plans_elsewhere == 1  # two before, one of them in Convene
    assert Family.objects.count() == 1
    assert (result.created, result.updated, result.incomplete_children) == (2, 1, [])


def test_not_known_answers_do_not_overwrite_what_convene_knows():
    child = ChildFactory(
        local_case_id="HIST00002",
        sex="F",
        ethnicity="BAFR",
        date_of_birth=None,
        expected_date_of_birth=date(2015, 5, 1),
    )

    import_census(_census(SECOND))

    child.refresh_from_db()
    assert (child.sex, child.ethnicity) == ("F", "BAFR")


def test_an_open_plan_in_convene_is_ended_by_the_file_and_a_later_plan_added():
    child = ChildFactory(local_case_id="HIST00001")
    open_plan = PlanFactory(child=child, started_on=date(2014, 5, 1))
    later = FIRST.replace(
        "</CINdetails>\n  <CINdetails>",
        """<ChildProtectionPlans>
      <CPPstartDate>2014-12-01</CPPstartDate>
      <InitialCategoryOfAbuse>EMO</InitialCategoryOfAbuse>
      <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
    </ChildProtectionPlans>
  </CINdetails>
  <CINdetails>""",
    )

    import_census(_census(later))

    open_plan.refresh_from_db()
    assert open_plan.ended_on == date(2014, 11, 3)
    assert list(child.plans.values_list("started_on", "ended_on")) == [
        (date(2014, 5, 1), date(2014, 11, 3)),
        (date(2014, 12, 1), None),
    ]


def test_a_file_with_no_end_date_keeps_the_end_convene_recorded():
    child = ChildFactory(local_case_id="HIST00002", date_of_birth=date(2015, 4, 30))
    PlanFactory(child=child, started_on=date(2015, 1, 20), ended_on=date(2015, 9, 1))

    import_census(_census(SECOND))

    assert child.plans.get().ended_on == date(2015, 9, 1)
    child.refresh_from_db()
    assert child.date_of_birth == date(2015, 4, 30)  # an expected date never unborns a child


# --- refusals ------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Message [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Message><Header><CollectionDetails><Collection>&lol9;</Collection></CollectionDetails></Header>
</Message>"""


def _first(old: str, new: str) -> bytes:
    assert old in FIRST
    return _census(FIRST.replace(old, new, 1), SECOND)


def _plans_in_first(*plans: tuple[str, str | None]) -> bytes:
    listed = "".join(
        f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>"
        + (f"<CPPendDate>{end}</CPPendDate>" if end else "")
        + "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
        + "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse></ChildProtectionPlans>"
        for start, end in plans
    )
    body = FIRST.split("<ChildProtectionPlans>")[0] + listed + "</CINdetails></Child>"
    return _census(body)


HOSTILE = {
    "not XML": (b"%PDF-1.4 a scanned letter", "", "Message", "not complete, well-formed XML"),
    "the wrong root": (b"<Census><Children/></Census>", "", "Message", "must be <Message>"),
    "not a CIN collection": (
        VALID.replace(b"<Collection>CIN<", b"<Collection>SCHOOL<"),
        "",
        "Message/Header/CollectionDetails/Collection",
        "Collection must be CIN",
    ),
    "billion laughs": (BILLION_LAUGHS, "", "Message", "document type or entities"),
    "an external entity": (
        b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID>"
        b"</ChildIdentifiers></Child></Children></Message>",
        "",
        "Message",
        "document type or entities",
    ),
    "an external document type": (
        b'<?xml version="1.0"?><!DOCTYPE Message SYSTEM "file:///etc/passwd"><Message/>',
        "",
        "Message",
        "document type or entities",
    ),
    "truncated": (VALID[: len(VALID) // 2], "", "Message", "it may be cut short"),
    "a date that does not exist": (
        _first("<PersonBirthDate>2010-01-02<", "<PersonBirthDate>2010-02-30<"),
        "HIST00001",
        "ChildIdentifiers/PersonBirthDate",
        "is not a real date in the form yyyy-mm-dd",
    ),
    "a date in another form": (
        _first("<CINreferralDate>2014-04-10<", "<CINreferralDate>10/04/2014<"),
        "HIST00001",
        "CINdetails[1]/CINreferralDate",
        "is not a real date",
    ),
    "a missing referral date": (
        _first("<CINreferralDate>2014-04-10</CINreferralDate>", ""),
        "HIST00001",
        "CINdetails[1]/CINreferralDate",
        "The referral date is missing",
    ),
    "a plan ending before it starts": (
        _first("<CPPendDate>2014-11-03<", "<CPPendDate>2014-04-30<"),
        "HIST00001",
        "CINdetails[1]/ChildProtectionPlans[1]/CPPendDate",
        "ends on or before the day it starts",
    ),
    "a category of abuse that is not a census code": (
        _first("<LatestCategoryOfAbuse>PHY<", "<LatestCategoryOfAbuse>XYZ<"),
        "HIST00001",
        "CINdetails[1]/ChildProtectionPlans[1]/LatestCategoryOfAbuse",
        "is not a census code: use NEG, PHY, EMO, SAB, MUL",
    ),
    "an ethnicity that is not a census code": (
        _first("<Ethnicity>WBRI<", "<Ethnicity>ZZZZ<"),
        "HIST00001",
        "ChildCharacteristics/Ethnicity",
        "Ethnicity is not a census code",
    ),
    "a sex that is not a census code": (
        _first("<Sex>F<", "<Sex>female<"),
        "HIST00001",
        "ChildIdentifiers/Sex",
        "use M, F, U",
    ),
    "an unknown assessment factor": (
        _first("<AssessmentFactors>4B<", "<AssessmentFactors>99Z<"),
        "HIST00001",
        "CINdetails[1]/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors[2]",
        "not a census code",
    ),
    "an unknown reason for no UPN": (
        _first("<UPNunknown>UN1<", "<UPNunknown>UN99<"),
        "HIST00001",
        "ChildIdentifiers/UPNunknown",
        "not a census code",
    ),
    "an empty birth date": (
        _first("<PersonBirthDate>2010-01-02</PersonBirthDate>", "<PersonBirthDate/>"),
        "HIST00001",
        "ChildIdentifiers/PersonBirthDate",
        "Give PersonBirthDate, or ExpectedPersonBirthDate for an unborn child.",
    ),
    "a closure with no reason": (
        _first("<ReasonForClosure>RC7</ReasonForClosure>", ""),
        "HIST00001",
        "CINdetails[1]/CINclosureDate",
        "Give both the closure date and the reason, or neither.",
    ),
    "a closure before the referral": (
        _first("<CINclosureDate>2015-01-10<", "<CINclosureDate>2014-04-01<"),
        "HIST00001",
        "CINdetails[1]/CINclosureDate",
        "closes before its referral date",
    ),
    "an LAchildID that is not letters and digits": (
        _first("<LAchildID>HIST00001<", "<LAchildID>HIST-00001<"),
        "",
        "Message/Children/Child[1]/ChildIdentifiers/LAchildID",
        "not 1 to 20 letters and digits",
    ),
    "overlapping plans": (
        _plans_in_first(("2014-05-01", "2014-09-01"), ("2014-08-01", "2014-12-01")),
        "HIST00001",
        "CINdetails[1]/ChildProtectionPlans[2]/CPPstartDate",
        "overlaps another of the child's plans (CINdetails[1]/ChildProtectionPlans[1])",
    ),
    "two open plans": (
        _plans_in_first(("2014-05-01", None), ("2014-08-01", None)),
        "HIST00001",
        "CINdetails[1]/ChildProtectionPlans[2]/CPPstartDate",
        "two open plans",
    ),
}


@pytest.fixture
def existing_records():
    """Something the import could wrongly change: a known child with a plan and an episode."""
    child = ChildFactory(local_case_id="HIST00001", first_name="Amy", last_name="Ashworth")
    PlanFactory(child=child, started_on=date(2013, 1, 1), ended_on=date(2013, 6, 1))
    CinEpisode.objects.create(
        child=child, referral_on=date(2014, 4, 10), referral_source="5A", primary_need="N5"
    )
    return child


@pytest.mark.parametrize(("data", "child", "where", "message"), HOSTILE.values(), ids=HOSTILE)
def test_a_bad_or_hostile_file_is_refused_and_changes_nothing(
    existing_records, data, child, where, message
):
    before = _snapshot()

    problems = _refused(data)

    assert [(p.child, p.where) for p in problems] == [(child, where)]
    assert message in problems[0].message
    assert _snapshot() == before


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENTS")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        "<Message><Header><CollectionDetails><Collection>&x;</Collection></CollectionDetails>"
        "</Header></Message>"
    ).encode()

    problems = _refused(data)

    assert "SECRET" not in "".join(str(problem) for problem in problems)
    assert "document type or entities" in problems[0].message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings, monkeypatch):
    settings.CONVENE_CENSUS_MAX_BYTES = 1000

    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(census_read, "fromstring", never)  # the XML library, not ours

    problems = _refused(VALID)

    assert [(p.child, p.where) for p in problems] == [("", "Message")]
    assert problems[0].message == "The file is larger than the 1,000 bytes a census file may be."
    assert Child.objects.count() == 0


def test_a_file_at_the_size_limit_is_read(settings):
    settings.CONVENE_CENSUS_MAX_BYTES = len(VALID)

    assert import_census(VALID).created == 6


def test_a_good_child_is_not_written_when_another_is_bad_and_every_problem_is_named():
    bad = SECOND.replace("<LatestCategoryOfAbuse>MUL<", "<LatestCategoryOfAbuse>XYZ<").replace(
        "<CINreferralDate>2015-01-05<", "<CINreferralDate>2015-13-05<"
    )

    problems = _refused(_census(FIRST, bad))

    assert {problem.child for problem in problems} == {"HIST00002"}
    assert sorted(problem.where for problem in problems) == [
        "CINdetails[1]/CINreferralDate",
        "CINdetails[1]/ChildProtectionPlans[1]/LatestCategoryOfAbuse",
    ]
    assert Child.objects.count() == 0
    assert Family.objects.count() == 0


def test_messages_name_no_personal_data_beyond_the_child_id():
    bad = FIRST.replace("<PersonBirthDate>2010-01-02<", "<PersonBirthDate>2010-01-32<").replace(
        "<Ethnicity>WBRI<", "<Ethnicity>White British<"
    )

    problems = _refused(_census(bad))

    text = " ".join(str(problem) for problem in problems)
    assert len(problems) == 2
    assert "2010-01-32" not in text
    assert "White British" not in text


def test_a_plan_overlapping_one_already_in_convene_is_refused(existing_records):
    PlanFactory(child=existing_records, started_on=date(2014, 3, 1))  # still open
    before = _snapshot()

    problems = _refused(VALID)

    assert [(p.child, p.where) for p in problems] == [
        ("HIST00001", "CINdetails[1]/ChildProtectionPlans[1]/CPPstartDate")
    ]
    assert (
        problems[0].message == "This plan overlaps another of the child's plans already in Convene."
    )
    assert _snapshot() == before


def test_a_child_listed_twice_is_refused():
    problems = _refused(_census(FIRST, FIRST))

    assert [(p.child, p.where) for p in problems] == [("HIST00001", "ChildIdentifiers/LAchildID")]
    assert "appears more than once" in problems[0].message


# --- the command ---------------------------------------------------------------------------


def test_the_command_prints_a_summary(tmp_path):
    path = tmp_path / "census.xml"
    path.write_bytes(VALID)
    out = io.StringIO()

    call_command("import_cin_census", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "Imported: 6 records created, 0 updated, 0 unchanged (children, episodes and plans).",
        "1 referral(s) with no further action skipped.",
        "2 new child record(s) need names and a family: HIST00001, HIST00002",
        "1 item(s) in the file were not stored (nothing else was left out):",
        "LAchildID HIST00001, CINdetails[2]: A referral with no further action is not stored.",
    ]


def test_the_command_refuses_an_empty_file(tmp_path):
    path = tmp_path / "census.xml"
    path.write_bytes(b"")
    errors = io.StringIO()

    with pytest.raises(CommandError, match="refused with 1 problem"):
        call_command("import_cin_census", str(path), stderr=errors)

    assert errors.getvalue().startswith("Message: The file is not complete, well-formed XML")


def test_the_command_says_when_it_cannot_read_the_file(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.xml: No such file"):
        call_command("import_cin_census", str(tmp_path / "missing.xml"))


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_and_lists_each_problem(tmp_path, capsys):
    path = tmp_path / "census.xml"
    path.write_bytes(_first("<CPPendDate>2014-11-03<", "<CPPendDate>2014-04-30<"))

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_cin_census", str(path)]).execute()

    assert exited.value.code == 1
    errors = capsys.readouterr().err
    assert (
        "LAchildID HIST00001, CINdetails[1]/ChildProtectionPlans[1]/CPPendDate: "
        "The plan ends on or before the day it starts." in errors
    )
    assert "refused with 1 problem(s): nothing was imported" in errors
    assert Child.objects.count() == 0


# --- round trip through the exporter -------------------------------------------------------


def _valid_upn(digits: str) -> str:
    values = [int(c) for c in digits]
    total = sum(value * weight for value, weight in zip(values, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23] + digits


def _meeting(chair, child, on: date, stage: Stage, decision: Decision, categories: list[str]):
    conference = make_conference(
        children_stages=[(child, stage)],
        chair=chair,
        starts_at=at(on),
        status=ConferenceStatus.HELD,
    )
    record = ConferenceRecord.objects.create(conference=conference, status=RecordStatus.FINALISED)
    ChildDecision.objects.create(
        record=record, place=conference.attendees.get(), decision=decision, categories=categories
    )


def _case_records(iro) -> None:
    """Four children of the 2014-15 census, made as the services and booking would leave them."""
    a = ChildFactory(
        date_of_birth=date(2010, 1, 2),
        sex="F",
        ethnicity="WBRI",
        upn_unknown_reason="UN1",
        previous_plans_elsewhere=1,
    )
    record_episode(
        actor=iro,
        child=a,
        details=EpisodeDetails(
            referral_on=date(2014, 4, 10),
            referral_source="6",
            primary_need="N1",
            s47_started_on=date(2014, 4, 15),
            icpc_target_on=date(2014, 5, 6),
            assessment_started_on=date(2014, 4, 11),
            assessment_authorised_on=date(2014, 5, 20),
            assessment_factors=["3B", "4B"],
            closed_on=date(2015, 1, 10),
            closure_reason="RC7",
        ),
    )
    PlanFactory(
        child=a, started_on=date(2014, 5, 1), ended_on=date(2014, 11, 3), categories=["NEG"]
    )
    _meeting(iro, a, date(2014, 5, 1), Stage.INITIAL, Decision.PLAN, ["NEG"])
    _meeting(iro, a, date(2014, 8, 1), Stage.FIRST_REVIEW, Decision.PLAN_CONTINUES, ["PHY"])
    _meeting(iro, a, date(2014, 10, 20), Stage.REVIEW, Decision.PLAN_CONTINUES, ["PHY", "EMO"])

    b = ChildFactory(date_of_birth=None, expected_date_of_birth=date(2015, 5, 1), ethnicity="BAFR")
    record_episode(
        actor=iro,
        child=b,
        details=EpisodeDetails(
            referral_on=date(2015, 1, 5),
            referral_source="3B",
            primary_need="N1",
            s47_started_on=date(2015, 1, 6),
            icpc_target_on=date(2015, 1, 27),
            assessment_started_on=date(2015, 1, 5),
        ),
    )
    PlanFactory(child=b, started_on=date(2015, 1, 20), categories=["NEG", "EMO"])
    _meeting(iro, b, date(2015, 1, 20), Stage.PRE_BIRTH, Decision.PLAN, ["NEG", "EMO"])

    c = ChildFactory(
        sex="M", ethnicity="", disabilities=["LD", "AUT"], upn=_valid_upn("801200000015")
    )
    PlanFactory(
        child=c, started_on=date(2012, 6, 1), ended_on=date(2013, 1, 10), categories=["NEG"]
    )
    record_episode(
        actor=iro,
        child=c,
        details=EpisodeDetails(
            referral_on=date(2014, 8, 20),
            referral_source="2A",
            primary_need="N1",
            s47_started_on=date(2014, 8, 21),
        ),
    )
    PlanFactory(child=c, started_on=date(2014, 9, 1), categories=["EMO"])

    d = ChildFactory(sex="M", ethnicity="AIND")
    record_episode(
        actor=iro,
        child=d,
        details=EpisodeDetails(
            referral_on=date(2014, 6, 1),
            referral_source="1A",
            primary_need="N4",
            s47_started_on=date(2014, 6, 2),
            icpc_not_required=True,
            closed_on=date(2014, 7, 1),
            closure_reason="RC8",
        ),
    )


def _wipe_case_records() -> None:
    with transaction.atomic():
        ChildDecision.objects.all().delete()
        ConferenceRecord.objects.all().delete()
        Conference.objects.all().delete()
        ChildProtectionPlan.objects.all().delete()
        CinEpisode.objects.all().delete()
        Child.objects.all().delete()
        Family.objects.all().delete()


def _comparable(data: bytes) -> bytes:
    message = fromstring(data, forbid_dtd=True)
    source = message.find("Header/Source")
    source.remove(source.find("DateTime"))
    return tostring(message)


def _plans(data: bytes) -> list[tuple]:
    """Each plan's dates, categories and review dates, as the census gives them."""
    return [
        (
            plan.findtext("CPPstartDate"),
            plan.findtext("CPPendDate"),
            plan.findtext("InitialCategoryOfAbuse"),
            plan.findtext("LatestCategoryOfAbuse"),
            [day.text for day in plan.findall("Reviews/CPPreviewDate")],
        )
        for plan in fromstring(data, forbid_dtd=True).iter("ChildProtectionPlans")
    ]


def test_an_exported_census_imported_into_an_empty_database_exports_the_same(iro):
    _case_records(iro)
    exported = census_export.census_xml(2014, "855")
    assert exported.count(b"<Child>") == 4
    assert exported.count(b"<ChildProtectionPlans>") == 3
    assert ("2014-05-01", "2014-11-03", "NEG", "MUL", ["2014-08-01", "2014-10-20"]) in _plans(
        exported
    )

    _wipe_case_records()
    result = import_census(exported)

    assert (result.created, len(result.incomplete_children)) == (4 + 4 + 3, 4)
    again = census_export.census_xml(2014, "855")
    assert _plans(again) == _plans(exported)
    assert _comparable(again) == _comparable(exported)
    assert result.not_stored == []
