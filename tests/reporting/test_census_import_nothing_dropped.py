"""The census import drops nothing silently: every review date of every Reviews group is stored,
and whatever the import does not store is listed in its report (by LAchildID and path, never by
value) or refuses the file."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from conferences.cases.episode_models import CinEpisode
from conferences.models import Child, ChildProtectionPlan
from statutory.census_import import import_census
from tests.factories import ChildFactory, PlanFactory
from tests.reporting.test_census_import import FIRST, SECOND, _census, _refused, _snapshot

pytestmark = pytest.mark.django_db

ONE_DATE_PER_GROUP = """
      <Reviews><CPPreviewDate>2014-08-01</CPPreviewDate></Reviews>
      <Reviews><CPPreviewDate>2014-09-15</CPPreviewDate></Reviews>
      <Reviews><CPPreviewDate>2014-11-03</CPPreviewDate></Reviews>
"""
ONE_GROUP = """
      <Reviews>
        <CPPreviewDate>2014-08-01</CPPreviewDate>
        <CPPreviewDate>2014-09-15</CPPreviewDate>
        <CPPreviewDate>2014-11-03</CPPreviewDate>
      </Reviews>
"""
REVIEWS_IN_FIRST = """
      <Reviews><CPPreviewDate>2014-11-03</CPPreviewDate></Reviews>
      <Reviews><CPPreviewDate>2014-08-01</CPPreviewDate></Reviews>
      <Reviews><CPPreviewDate>2014-08-01</CPPreviewDate></Reviews>
"""


def _first(old: str, new: str) -> str:
    assert old in FIRST
    return FIRST.replace(old, new, 1)


def _with_reviews(reviews: str) -> bytes:
    return _census(_first(REVIEWS_IN_FIRST.strip("\n"), reviews.strip("\n")), SECOND)


def _listed(result) -> list[tuple[str, str]]:
    return [(note.child, note.where) for note in result.not_stored]


# --- reviews -------------------------------------------------------------------------------


@pytest.mark.parametrize("reviews", [ONE_DATE_PER_GROUP, ONE_GROUP], ids=["per date", "one group"])
def test_every_review_date_is_stored_whether_in_one_group_or_one_group_each(reviews):
    result = import_census(_with_reviews(reviews))

    plan = ChildProtectionPlan.objects.get(child__local_case_id="HIST00001")
    assert plan.imported_review_dates == [date(2014, 8, 1), date(2014, 9, 15), date(2014, 11, 3)]
    assert not [note for note in result.not_stored if "Reviews" in note.where]


def test_a_later_date_in_a_reviews_group_is_checked_against_the_plan_too():
    outside = ONE_GROUP.replace("2014-09-15", "2014-12-01")  # after the plan ends

    problems = _refused(_with_reviews(outside))

    assert [(p.child, p.where) for p in problems] == [
        ("HIST00001", "CINdetails[1]/ChildProtectionPlans[1]/Reviews[1]/CPPreviewDate[2]")
    ]
    assert "not within the plan" in problems[0].message


def test_an_empty_review_date_in_a_group_is_refused():
    problems = _refused(_with_reviews(ONE_GROUP.replace("2014-09-15", "")))

    assert [p.where for p in problems] == [
        "CINdetails[1]/ChildProtectionPlans[1]/Reviews[1]/CPPreviewDate[2]"
    ]
    assert "review date is missing" in problems[0].message


# --- what the import does not store --------------------------------------------------------

NOT_HELD = _first(
    "<UPNunknown>UN1</UPNunknown>",
    "<UPNunknown>UN1</UPNunknown><FormerUPN>A801200000015</FormerUPN>",
)
NOT_HELD = NOT_HELD.replace(
    "<ReferralNFA>0</ReferralNFA>",
    "<ReferralNFA>0</ReferralNFA>"
    "<CINPlanDates><CINPlanStartDate>2014-06-01</CINPlanStartDate></CINPlanDates>",
    1,
)
NOT_HELD = NOT_HELD.replace(
    "<LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>",
    '<LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse><KeyWorker grade="7">Jo Bloggs</KeyWorker>',
    1,
)
NOT_HELD = NOT_HELD.replace("<Child>", '<Child status="open">', 1)


def test_elements_and_attributes_the_import_does_not_store_are_listed_by_child_and_path():
    result = import_census(_census(NOT_HELD, SECOND))

    assert _listed(result) == [
        ("HIST00001", "Child/@status"),
        ("HIST00001", "ChildIdentifiers/FormerUPN"),
        ("HIST00001", "CINdetails[1]/CINPlanDates"),
        ("HIST00001", "CINdetails[1]/ChildProtectionPlans[1]/KeyWorker"),
        ("HIST00001", "CINdetails[2]"),  # the referral with no further action
    ]
    assert "current UPN" in result.not_stored[1].message
    assert "children in need plans" in result.not_stored[2].message
    assert "not an element Convene imports" in result.not_stored[3].message
    assert Child.objects.count() == 2  # listed, and the rest imported


def test_the_report_names_no_value_from_the_file():
    result = import_census(_census(NOT_HELD, SECOND))

    text = " ".join(str(note) for note in result.not_stored)
    for value in ("A801200000015", "Jo Bloggs", "2014-06-01", "open", "7"):
        assert value not in text


def test_a_valid_file_lists_only_the_referral_with_no_further_action():
    result = import_census(_census(FIRST, SECOND))

    assert _listed(result) == [("HIST00001", "CINdetails[2]")]
    assert result.not_stored[0].message == "A referral with no further action is not stored."


def test_what_is_outside_the_children_is_listed_for_the_file():
    data = _census(FIRST, SECOND).replace(
        b"</Header>", b"<Comment>Sent late</Comment></Header><Extra/>"
    )

    result = import_census(data)

    assert _listed(result)[:2] == [("", "Message/Header/Comment"), ("", "Message/Extra")]


def test_stray_text_inside_a_group_is_listed():
    result = import_census(_census(_first("<Ethnicity>", "Loose words<Ethnicity>"), SECOND))

    assert ("HIST00001", "ChildCharacteristics") in _listed(result)


def test_a_second_assessment_and_enquiry_in_a_referral_are_listed_and_the_first_stored():
    second = """
    <Assessments><AssessmentActualStartDate>2014-09-01</AssessmentActualStartDate></Assessments>
    <Section47><S47ActualStartDate>2014-09-02</S47ActualStartDate></Section47>
    <ChildProtectionPlans>"""

    result = import_census(_census(_first("\n    <ChildProtectionPlans>", second), SECOND))

    assert _listed(result)[:2] == [
        ("HIST00001", "CINdetails[1]/Assessments[2]"),
        ("HIST00001", "CINdetails[1]/Section47[2]"),
    ]
    assert "one assessment for each referral" in result.not_stored[0].message
    episode = CinEpisode.objects.get(child__local_case_id="HIST00001")
    assert (episode.assessment_started_on, episode.s47_started_on) == (
        date(2014, 4, 11),
        date(2014, 4, 15),
    )


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("<Sex>F</Sex>", "<Sex>F</Sex><Sex>M</Sex>", "ChildIdentifiers/Sex[2]"),
        (
            "<CPPendDate>2014-11-03</CPPendDate>",
            "<CPPendDate>2014-11-03</CPPendDate><CPPendDate>2014-12-03</CPPendDate>",
            "CINdetails[1]/ChildProtectionPlans[1]/CPPendDate[2]",
        ),
        (
            "<ChildCharacteristics>",
            "<ChildCharacteristics><Ethnicity>WIRI</Ethnicity></ChildCharacteristics>"
            "<ChildCharacteristics>",
            "ChildCharacteristics[2]",
        ),
    ],
    ids=["a value", "a plan's end", "a group"],
)
def test_an_element_given_twice_where_the_census_allows_one_is_refused(old, new, where):
    before = _snapshot()

    problems = _refused(_census(_first(old, new), SECOND))

    assert [(p.child, p.where) for p in problems] == [("HIST00001", where)]
    assert "given more than once here: give it once" in problems[0].message
    assert _snapshot() == before


def test_an_episode_initial_conference_date_other_than_the_enquirys_is_listed():
    differing = _first(
        "<ReferralNFA>0</ReferralNFA>",
        "<DateOfInitialCPC>2014-05-02</DateOfInitialCPC><ReferralNFA>0</ReferralNFA>",
    )

    result = import_census(_census(differing, SECOND))

    assert _listed(result)[0] == ("HIST00001", "CINdetails[1]/DateOfInitialCPC")
    episode = CinEpisode.objects.get(child__local_case_id="HIST00001")
    assert episode.imported_icpc_on == date(2014, 5, 1)  # the enquiry's


def test_an_episode_initial_conference_date_is_stored_when_the_enquiry_gives_none():
    no_date = _first("<DateOfInitialCPC>2014-05-01</DateOfInitialCPC>", "").replace(
        "<ReferralNFA>0</ReferralNFA>",
        "<DateOfInitialCPC>2014-05-01</DateOfInitialCPC><ReferralNFA>0</ReferralNFA>",
        1,
    )

    result = import_census(_census(no_date, SECOND))

    episode = CinEpisode.objects.get(child__local_case_id="HIST00001")
    assert episode.imported_icpc_on == date(2014, 5, 1)
    assert _listed(result) == [("HIST00001", "CINdetails[2]")]


def test_a_not_known_answer_for_a_known_child_is_listed():
    ChildFactory(
        local_case_id="HIST00002",
        sex="F",
        ethnicity="BAFR",
        date_of_birth=None,
        expected_date_of_birth=date(2015, 5, 1),
    )

    result = import_census(_census(SECOND))

    assert _listed(result) == [
        ("HIST00002", "ChildIdentifiers/Sex"),
        ("HIST00002", "ChildCharacteristics/Ethnicity"),
    ]


def test_the_command_lists_what_was_not_stored(tmp_path):
    path = tmp_path / "census.xml"
    path.write_bytes(_census(NOT_HELD, SECOND))
    out = io.StringIO()

    call_command("import_cin_census", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[3] == "5 item(s) in the file were not stored (nothing else was left out):"
    assert lines[4:6] == [
        "LAchildID HIST00001, Child/@status: Attributes are not part of the census, so this "
        "was not stored.",
        "LAchildID HIST00001, ChildIdentifiers/FormerUPN: Convene holds only the current UPN, "
        "so this was not stored.",
    ]


# --- what Convene already holds ------------------------------------------------------------


def test_review_dates_from_another_census_year_are_kept_when_an_older_file_is_imported():
    child = ChildFactory(
        local_case_id="HIST00002", date_of_birth=None, expected_date_of_birth=date(2015, 5, 1)
    )
    PlanFactory(
        child=child,
        started_on=date(2015, 1, 20),
        imported_review_dates=[date(2015, 3, 1), date(2015, 6, 10)],  # 2014-15 and 2015-16
    )
    reviewed = SECOND.replace(
        "</ChildProtectionPlans>",
        "<Reviews><CPPreviewDate>2015-03-20</CPPreviewDate></Reviews></ChildProtectionPlans>",
    )

    import_census(_census(reviewed))

    # The 2014-15 file replaces that year's review dates and leaves the next year's alone.
    assert child.plans.get().imported_review_dates == [date(2015, 3, 20), date(2015, 6, 10)]
