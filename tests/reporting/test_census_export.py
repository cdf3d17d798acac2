"""The children in need census file from a small known record set, element by element, and
Convene's own checks before export."""

from datetime import UTC, date, datetime

import pytest
from defusedxml.ElementTree import fromstring
from django.core.management import call_command
from django.core.management.base import CommandError

from conferences.cases.episode_models import CinEpisode
from conferences.choices import ConferenceStatus, Decision, Stage
from conferences.models import ChildDecision, ConferenceRecord
from conferences.record.models import RecordStatus
from rules.periods import Period
from statutory.census_checks import problems
from statutory.census_data import gather
from statutory.census_export import census_xml
from statutory.census_validator import validate
from tests.factories import ChildFactory, PlanFactory, at, make_conference

pytestmark = pytest.mark.django_db
UPN = "V855100123456"  # a well-formed UPN (check letter V)


def _held(chair, on: date, child, stage, **decision):
    conference = make_conference(children_stages=[(child, stage)], chair=chair, starts_at=at(on))
    conference.status = ConferenceStatus.HELD
    conference.save()
    record = ConferenceRecord.objects.create(conference=conference, status=RecordStatus.FINALISED)
    place = conference.attendees.get(child=child)
    ChildDecision.objects.create(record=record, place=place, **decision)
    return conference


def _episode(child, **fields):
    defaults = {"referral_source": "6", "primary_need": "N1"}
    return CinEpisode.objects.create(child=child, **(defaults | fields))


@pytest.fixture
def known(iro):
    """Five children: on a plan started and ended in the year; transferred in, unborn; a plan
    carried from an earlier year with imported details; a plan that ended before the year (not
    in the census); a restricted child whose initial conference made no plan."""
    ann = ChildFactory(
        local_case_id="LC1", date_of_birth=date(2010, 1, 2), sex="F", ethnicity="WBRI", upn=UPN
    )
    _episode(
        ann,
        referral_on=date(2014, 5, 1),
        s47_started_on=date(2014, 5, 6),
        icpc_target_on=date(2014, 5, 28),
        assessment_started_on=date(2014, 5, 1),
        assessment_authorised_on=date(2014, 5, 20),
        closed_on=date(2015, 2, 10),
        closure_reason="RC7",
    )
    _held(
        iro,
        date(2014, 5, 20),
        ann,
        Stage.INITIAL,
        decision=Decision.PLAN,
        categories=["NEG"],
        factors=["3B", "16A"],
    )
    _held(
        iro,
        date(2014, 8, 12),
        ann,
        Stage.FIRST_REVIEW,
        decision=Decision.PLAN_CONTINUES,
        categories=["NEG", "EMO"],
    )
    _held(iro, date(2015, 2, 10), ann, Stage.REVIEW, decision=Decision.PLAN_ENDS)
    PlanFactory(
        child=ann, started_on=date(2014, 5, 20), ended_on=date(2015, 2, 10), categories=["NEG"]
    )

    ben = ChildFactory(
        local_case_id="LC2",
        date_of_birth=None,
        expected_date_of_birth=date(2015, 6, 1),
        sex="M",
        ethnicity="",
        disabilities=["HEAR"],
    )
    _episode(ben, referral_on=date(2014, 8, 28), referral_source="5C")
    _held(
        iro, date(2014, 9, 3), ben, Stage.RECEIVING_IN, decision=Decision.PLAN, categories=["PHY"]
    )
    PlanFactory(child=ben, started_on=date(2014, 9, 3), categories=["PHY"])

    cal = ChildFactory(
        local_case_id="LC3",
        date_of_birth=date(2005, 3, 3),
        sex="M",
        ethnicity="BAFR",
        upn_unknown_reason="UN2",
        previous_plans_elsewhere=1,
    )
    _episode(
        cal,
        referral_on=date(2013, 1, 2),
        s47_started_on=date(2013, 1, 5),
        imported_icpc_on=date(2013, 1, 15),
        closed_on=date(2014, 4, 30),
        closure_reason="RC7",
    )
    PlanFactory(
        child=cal,
        started_on=date(2013, 1, 15),
        ended_on=date(2014, 4, 30),
        imported_initial_category="SAB",
        imported_latest_category="SAB",
        imported_review_dates=[date(2013, 4, 10), date(2014, 4, 2)],
    )

    dot = ChildFactory(local_case_id="LC4", date_of_birth=date(2008, 8, 8))
    PlanFactory(child=dot, started_on=date(2013, 6, 1), ended_on=date(2014, 3, 1))

    eve = ChildFactory(
        local_case_id="LC5",
        date_of_birth=date(2012, 12, 12),
        sex="F",
        ethnicity="MWBC",
        is_restricted=True,
        upn_unknown_reason="UN1",
    )
    _episode(
        eve,
        referral_on=date(2014, 10, 20),
        s47_started_on=date(2014, 10, 22),
        closed_on=date(2014, 11, 4),
        closure_reason="RC7",
    )
    _held(iro, date(2014, 11, 4), eve, Stage.INITIAL, decision=Decision.NO_FURTHER_ACTION)
    return {"ann": ann, "ben": ben, "cal": cal, "eve": eve}


def _tree(element):
    """(tag, text, children) all the way down: the file as data, element by element."""
    text = (element.text or "").strip() or None
    return (element.tag, text, [_tree(child) for child in element])


def E(tag, *children_or_text):  # reads like the XML it stands for
    if len(children_or_text) == 1 and isinstance(children_or_text[0], str):
        return (tag, children_or_text[0], [])
    return (tag, None, list(children_or_text))


def _identifiers(la_id, *rest):
    return E("ChildIdentifiers", E("LAchildID", la_id), *rest)


EXPECTED_CHILDREN = E(
    "Children",
    E(
        "Child",
        _identifiers("LC1", E("UPN", UPN), E("PersonBirthDate", "2010-01-02"), E("Sex", "F")),
        E(
            "ChildCharacteristics",
            E("Ethnicity", "WBRI"),
            E("Disabilities", E("Disability", "NONE")),
        ),
        E(
            "CINdetails",
            E("CINreferralDate", "2014-05-01"),
            E("ReferralSource", "6"),
            E("PrimaryNeedCode", "N1"),
            E("CINclosureDate", "2015-02-10"),
            E("ReasonForClosure", "RC7"),
            E("ReferralNFA", "0"),
            E(
                "Assessments",
                E("AssessmentActualStartDate", "2014-05-01"),
                E("AssessmentAuthorisationDate", "2014-05-20"),
                E(
                    "FactorsIdentifiedAtAssessment",
                    E("AssessmentFactors", "16A"),
                    E("AssessmentFactors", "3B"),
                ),
            ),
            E(
                "Section47",
                E("S47ActualStartDate", "2014-05-06"),
                E("InitialCPCtarget", "2014-05-28"),
                E("DateOfInitialCPC", "2014-05-20"),
                E("ICPCnotRequired", "0"),
            ),
            E(
                "ChildProtectionPlans",
                E("CPPstartDate", "2014-05-20"),
                E("CPPendDate", "2015-02-10"),
                E("InitialCategoryOfAbuse", "NEG"),
                E("LatestCategoryOfAbuse", "MUL"),
                E("NumberOfPreviousCPP", "0"),
                # The DfE's shape: one Reviews group holding every date.
                E("Reviews", E("CPPreviewDate", "2014-08-12"), E("CPPreviewDate", "2015-02-10")),
            ),
        ),
    ),
    E(
        "Child",
        _identifiers("LC2", E("ExpectedPersonBirthDate", "2015-06-01"), E("Sex", "U")),
        E(
            "ChildCharacteristics",
            E("Ethnicity", "NOBT"),
            E("Disabilities", E("Disability", "HEAR")),
        ),
        E(
            "CINdetails",
            E("CINreferralDate", "2014-08-28"),
            E("ReferralSource", "5C"),
            E("PrimaryNeedCode", "N1"),
            E("DateOfInitialCPC", "2014-09-03"),  # a transfer-in: no Section47 block
            E("ReferralNFA", "0"),
            E(
                "ChildProtectionPlans",
                E("CPPstartDate", "2014-09-03"),
                E("InitialCategoryOfAbuse", "PHY"),
                E("LatestCategoryOfAbuse", "PHY"),
                E("NumberOfPreviousCPP", "0"),
            ),
        ),
    ),
    E(
        "Child",
        _identifiers(
            "LC3", E("UPNunknown", "UN2"), E("PersonBirthDate", "2005-03-03"), E("Sex", "M")
        ),
        E(
            "ChildCharacteristics",
            E("Ethnicity", "BAFR"),
            E("Disabilities", E("Disability", "NONE")),
        ),
        E(
            "CINdetails",
            E("CINreferralDate", "2013-01-02"),
            E("ReferralSource", "6"),
            E("PrimaryNeedCode", "N1"),
            E("CINclosureDate", "2014-04-30"),
            E("ReasonForClosure", "RC7"),
            E("ReferralNFA", "0"),
            E(
                "ChildProtectionPlans",
                E("CPPstartDate", "2013-01-15"),
                E("CPPendDate", "2014-04-30"),
                E("InitialCategoryOfAbuse", "SAB"),
                E("LatestCategoryOfAbuse", "SAB"),
                E("NumberOfPreviousCPP", "1"),
                E("Reviews", E("CPPreviewDate", "2014-04-02")),  # the 2013 one is not this year's
            ),
        ),
    ),
    E(
        "Child",
        _identifiers(
            "LC5", E("UPNunknown", "UN1"), E("PersonBirthDate", "2012-12-12"), E("Sex", "F")
        ),
        E(
            "ChildCharacteristics",
            E("Ethnicity", "MWBC"),
            E("Disabilities", E("Disability", "NONE")),
        ),
        E(
            "CINdetails",
            E("CINreferralDate", "2014-10-20"),
            E("ReferralSource", "6"),
            E("PrimaryNeedCode", "N1"),
            E("CINclosureDate", "2014-11-04"),
            E("ReasonForClosure", "RC7"),
            E("ReferralNFA", "0"),
            E(
                "Section47",
                E("S47ActualStartDate", "2014-10-22"),
                E("DateOfInitialCPC", "2014-11-04"),
                E("ICPCnotRequired", "0"),
            ),
        ),
    ),
)


def test_the_census_file_matches_the_known_records_element_by_element(known):
    root = fromstring(census_xml(2014, "855"))
    assert root.tag == "Message"
    header = _tree(root.find("Header"))
    details = header[2][0]
    assert details == E(
        "CollectionDetails",
        E("Collection", "CIN"),
        E("Year", "2015"),
        E("ReferenceDate", "2015-03-31"),
    )
    source = {tag: text for tag, text, _ in header[2][1][2]}
    assert (source["LEA"], source["SourceLevel"]) == ("855", "L")
    assert _tree(root.find("Children")) == EXPECTED_CHILDREN


def test_a_plan_ending_after_the_census_day_is_sent_open_and_later_reviews_left_out(iro):
    child = ChildFactory(local_case_id="LC9", date_of_birth=date(2011, 1, 1), ethnicity="WBRI")
    _episode(child, referral_on=date(2015, 1, 2), s47_started_on=date(2015, 1, 5))
    _held(iro, date(2015, 1, 20), child, Stage.INITIAL, decision=Decision.PLAN, categories=["EMO"])
    _held(iro, date(2015, 4, 14), child, Stage.FIRST_REVIEW, decision=Decision.PLAN_ENDS)
    PlanFactory(child=child, started_on=date(2015, 1, 20), ended_on=date(2015, 4, 14))
    plan = fromstring(census_xml(2014, "855")).find(".//ChildProtectionPlans")
    assert plan.find("CPPendDate") is None
    assert plan.find("Reviews") is None
    assert plan.findtext("LatestCategoryOfAbuse") == "EMO"


def test_checks_name_each_problem_with_the_record_to_fix(iro, known):
    found = {(p.local_case_id, p.rule): p for p in problems(gather(Period(2014)))}
    assert set(found) == {("LC2", "4220")}  # blank ethnicity, sent as NOBT
    assert found["LC2", "4220"].fix_url == f"/children/{known['ben'].pk}/edit/"

    orphan = ChildFactory(local_case_id="LC-6", date_of_birth=date(2012, 2, 2), ethnicity="WBRI")
    _held(
        iro, date(2014, 6, 7), orphan, Stage.INITIAL, decision=Decision.PLAN, categories=["NEG"]
    )  # a Saturday, with no referral recorded
    PlanFactory(child=orphan, started_on=date(2014, 6, 7), categories=["NEG"])
    late = known["eve"].cin_episodes.get()
    late.s47_started_on = date(2014, 11, 5)  # after the initial conference
    late.save()
    ended = known["cal"].cin_episodes.get()  # closed 30 April 2014; a new plan in June
    PlanFactory(child=known["cal"], started_on=date(2014, 6, 2), categories=["NEG"])
    rules = {(p.local_case_id, p.rule) for p in problems(gather(Period(2014)))}
    assert {("LC-6", "1570/1580"), ("LC-6", "8590/8600"), ("LC5", "8615")} <= rules
    assert ("LC3", "8565") in rules
    assert ended.closed_on == date(2014, 4, 30)


def test_the_dfe_validator_finds_the_errors_a_broken_file_has(known):
    """Guards the validator harness: a census with errors in it must not pass."""
    good = census_xml(2014, "855").decode()
    assert [f.rule for f in validate(good.encode()) if f.is_error] == []
    broken = good.replace("<S47ActualStartDate>2014-05-06</S47ActualStartDate>", "").replace(
        "<CPPstartDate>2014-09-03</CPPstartDate>", "<CPPstartDate>2015-09-03</CPPstartDate>"
    )
    rules = {f.rule for f in validate(broken.encode()) if f.is_error}
    assert {"8615", "8720"} <= rules  # no enquiry start; a plan starting after the census day


def test_the_command_writes_the_file_and_reports_the_checks(known, tmp_path, capsys):
    out = tmp_path / "census.xml"
    call_command("export_cin_census", "--year", "2014", "--la", "855", "--out", str(out))
    assert _tree(fromstring(out.read_bytes()).find("Children")) == EXPECTED_CHILDREN
    captured = capsys.readouterr()
    assert "4 children written" in captured.out
    assert "LC2: rule 4220: Ethnicity not recorded" in captured.err
    with pytest.raises(CommandError, match="three-digit"):
        call_command("export_cin_census", "--year", "2014", "--la", "85", "--out", str(out))


def _indented_whole(period, la, children) -> bytes:
    """The census file as it was made before it was streamed: the whole tree, indented once."""
    from xml.etree import ElementTree as ET

    from statutory.census_export import _child, _message

    message, listed = _message(period, la)
    for found in children:
        _child(listed, found)
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True)


@pytest.mark.django_db
def test_the_file_written_a_child_at_a_time_is_the_file_indented_whole(known, time_machine):
    from statutory.census_export import to_xml

    time_machine.move_to(datetime(2015, 5, 1, 12, 0, tzinfo=UTC), tick=False)
    period = Period(2014)
    children = gather(period)
    assert len(children) >= 3
    for some in (children, children[:1], []):
        assert to_xml(period, "855", some) == _indented_whole(period, "855", some)


@pytest.mark.django_db
def test_a_census_read_in_batches_is_the_census_read_at_once_in_a_fixed_number_of_queries(known):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from statutory.census_data import children_in_batches

    period = Period(2014)
    with CaptureQueriesContext(connection) as at_once:
        whole = list(children_in_batches(period, size=1000))
    with CaptureQueriesContext(connection) as by_twos:
        in_twos = list(children_in_batches(period, size=2))
    assert [c.child.pk for c in in_twos] == [c.child.pk for c in whole]
    assert in_twos == whole
    per_batch = len(at_once) - 1  # one query finds the children's ids
    batches = -(-len(whole) // 2)
    assert len(by_twos) == 1 + per_batch * batches


@pytest.mark.django_db
def test_the_checks_page_lists_the_first_problems_and_counts_them_all(known, monkeypatch):
    from django.contrib.auth.models import Permission
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role
    from reporting.prepared.models import PreparedExport
    from statutory import pages
    from tests.factories import UserFactory

    for number in range(3):  # three more children, each with problems (a blank ethnicity...)
        child = ChildFactory(local_case_id=f"LC-B{number}", date_of_birth=date(2011, 3, 3))
        child.ethnicity = ""
        child.save()
        PlanFactory(child=child, started_on=date(2014, 7, 1), categories=["NEG"])
    total = len(problems(gather(Period(2014))))
    assert total > 2
    monkeypatch.setattr(pages, "PROBLEMS_LISTED", 2)
    manager = UserFactory(roles=[Role.MANAGER])
    manager.user_permissions.add(Permission.objects.get(codename="export_statutory_returns"))
    client = Client()
    client.force_login(manager)

    from reporting.prepared import services

    client.post(reverse("reporting:census_checks_prepare"), {"year": 2014, "la": "855"})
    services.prepare(PreparedExport.objects.get().pk)  # as the worker would
    page = client.get(reverse("reporting:statutory_returns"), {"year": 2014, "la": "855"})

    html = page.content.decode()
    assert page.status_code == 200
    assert f"{total} problems to fix" in html
    assert html.count("fix this record") == 2
    assert "export_cin_census" in html
