"""The demo history: four years of invented records that the figures read as the reference
report. Loaded once for the module (in a transaction rolled back at the end); every target is
checked through reporting.figures, as a manager would see it."""

import time
from datetime import date

import pytest
from django.db.models import Count, Q

from advocacy.models import Referral
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason
from conferences.challenges.models import Challenge
from conferences.choices import AgencyKind, ConferenceStatus
from conferences.cusab.models import CusabMeeting
from conferences.models import (
    Child,
    ChildDecision,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    CoreGroupMeeting,
    Invitation,
)
from conferences.questionnaires.models import FeedbackResponse
from conferences.questionnaires.services import QUESTIONS
from demo.history import load_history
from reporting.figures import Scope, figure
from reporting.thematic.report import thematic_report
from rules.meetings import MeetingType
from rules.periods import Period
from tests.reporting.test_one_pass import assert_one_pass_agrees, scopes_for

pytestmark = pytest.mark.django_db  # each test in a savepoint inside the module's transaction
YEAR = Scope(Period(2014))  # 2014-15
HELD_IN_JUNE_2014 = Q(
    status=ConferenceStatus.HELD,
    starts_at__date__gte=date(2014, 6, 1),
    starts_at__date__lte=date(2014, 6, 30),
)


def _table(slug, year=2014):
    return figure(slug).table(Scope(Period(year)))


def _cells(table, row, columns=("q1", "q2", "q3", "q4")):
    return tuple(table.cell(row, column) for column in columns)


def _close(found, wanted, within=0.1):
    return found is not None and abs(found - wanted) <= within + 1e-9


@pytest.mark.parametrize(
    ("year", "counts"),
    [
        (2014, (264, 76, 3, 19, 0, 334, 1, 398)),
        (2013, (274, 64, 0, 25, 2, 296, 0, 370)),
        (2012, (256, 57, 0, 21, 2, 284, 0, 485)),
    ],
)
def test_meetings_held_by_type_are_the_reports(loaded, year, counts):
    table = _table("meetings-by-type", year)
    assert tuple(table.cell(kind.value, "year") for kind in MeetingType) == counts
    assert table.cell("total", "year") == sum(counts)


def test_meetings_held_each_year_are_the_reports_totals(loaded):
    table = _table("meetings-trend")
    assert _cells(table, "total", ("y2011", "y2012", "y2013", "y2014")) == (1165, 1105, 1031, 1095)


def test_every_quarter_of_2014_15_has_meetings_of_the_main_types(loaded):
    table = _table("meetings-by-type")
    for kind in ("initial", "pre_birth", "first_review", "review"):
        assert min(_cells(table, kind)) > 0


def test_children_on_plans_at_each_31_march_are_the_reports(loaded):
    table = _table("children-on-plans-trend")
    found = _cells(table, "on_plan", ("y2011", "y2012", "y2013", "y2014"))
    assert found == (524, 393, 446, 394)


def test_children_on_plans_at_each_2014_15_quarter_end_are_table_3s_totals(loaded):
    assert _cells(_table("children-on-plans"), "on_plan") == (428, 466, 421, 394)


def test_categories_at_each_quarter_end_are_table_3(loaded):
    table = _table("category")
    assert _cells(table, "NEG") == (67, 58, 78, 81)
    assert _cells(table, "PHY") == (25, 31, 23, 33)
    assert _cells(table, "EMO") == (81, 98, 70, 74)
    assert _cells(table, "SAB") == (15, 16, 21, 22)
    assert _cells(table, "MUL") == (240, 263, 229, 184)  # Q2 includes the report's "None"
    assert _cells(table, "total") == (428, 466, 421, 394)


def test_ethnicity_at_each_quarter_end_is_table_5(loaded):
    table = _table("ethnicity")
    assert _cells(table, "White") == (376, 412, 368, 336)
    assert _cells(table, "Asian or Asian British") == (16, 16, 11, 17)
    assert _cells(table, "Black or Black British") == (7, 5, 5, 4)
    assert _cells(table, "Mixed") == (27, 22, 19, 14)
    assert _cells(table, "Not stated") == (1, 3, 8, 12)
    assert _cells(table, "Other ethnic group") == (1, 6, 3, 5)
    assert _cells(table, "Blank") == (0, 2, 7, 6)


def test_plans_ended_at_the_first_review_are_the_reports(loaded):
    assert _table("plans-started-ended", 2013).cell("first_review", "year") == 149
    assert _table("plans-started-ended", 2014).cell("first_review", "year") == 117


def test_repeat_plans_are_the_reports_share_of_plans_started(loaded):
    assert _close(_table("plans-started-ended", 2013).cell("repeat_share", "year"), 12.6)
    assert _close(_table("plans-started-ended", 2014).cell("repeat_share", "year"), 17.2)


def test_some_repeat_plans_follow_an_earlier_plan_in_the_records(loaded):
    children = Child.objects.filter(plans__started_on__gte=date(2013, 4, 1))
    twice = children.filter(plans__started_on__lt=date(2013, 4, 1)).distinct()
    assert twice.count() >= 10


def test_when_families_received_the_report_is_table_6(loaded):
    table = _table("report-to-family")
    for found, wanted in zip(_cells(table, "earlier_share"), (17.2, 19.7, 24.2, 29.6), strict=True):
        assert _close(found, wanted)
    assert _close(table.cell("on_the_day_share", "q1"), 55.6)
    assert _close(table.cell("on_the_day_share", "q4"), 39.3)
    assert _close(table.cell("previous_day_share", "q1"), 22.3)
    assert _close(table.cell("previous_day_share", "q4"), 28.9)
    assert table.cell("not_recorded", "year") == 0


def test_the_chairs_receipt_went_unrecorded_for_259_of_900_meetings_from_june(loaded):
    table = _table("report-to-chair")
    june = Conference.objects.filter(HELD_IN_JUNE_2014)
    june_unrecorded = june.filter(
        report_to_chair_on__isnull=True, report_to_chair_not_received=False
    )
    held = sum(_cells(table, "total", ("q2", "q3", "q4"))) + june.count()
    unrecorded = sum(_cells(table, "not_recorded", ("q2", "q3", "q4"))) + june_unrecorded.count()
    assert (held, unrecorded) == (900, 259)
    april_and_may = table.cell("total", "q1") - june.count()
    assert table.cell("not_recorded", "q1") - june_unrecorded.count() == april_and_may == 195


def test_domestic_abuse_is_recorded_as_often_as_the_report_says(loaded):
    table = _table("factors")
    found = _cells(table, "Domestic abuse", ("initial", "receiving_in", "review"))
    assert found == (344, 15, 505)


def test_ages_of_children_on_plans_on_31_march_2015_are_the_reports(loaded):
    table = _table("age")
    total = table.cell("total", "year")
    under_5 = table.cell("0-4", "year") + table.cell("unborn", "year")
    under_10 = under_5 + table.cell("5-9", "year")
    assert total == 394
    assert abs(100 * under_5 / total - 43) <= 1
    assert abs(100 * table.cell("0-4", "year") / total - 43) <= 1
    assert abs(100 * under_10 / total - 70) <= 1


def test_complaints_appeals_and_dissent_are_the_reports(loaded):
    table = _table("complaints")
    labels = list(ComplaintReason.objects.order_by("pk").values_list("label", flat=True))
    assert [table.cell(f"reason:{label}", "year") for label in labels] == [3, 4, 1, 1]
    assert table.cell("complaints", "year") == 9
    assert table.cell("young_person", "year") == 1
    assert table.cell("stage_1", "year") == 9
    assert table.cell("appeals", "year") == table.cell("appeals_young_person", "year") == 2
    assert table.cell("dissent", "year") == 1
    assert not Complaint.objects.filter(is_closed=False).exists()
    assert Appeal.objects.filter(went_to_partnership_procedure=False).count() == 2
    dissent = AgencyDissent.objects.get()
    assert dissent.agency.kind == AgencyKind.OTHER_LOCAL_AUTHORITY


def test_challenges_are_the_reports(loaded):
    table = _table("challenges")
    assert table.cell("level:2", "year") == 10
    assert table.cell("level:3", "year") == 1
    report = thematic_report(Period(2014))
    assert report.challenges == 10
    reasons = dict(report.by_reason)
    assert max(reasons, key=reasons.get) == "Clarity of planning"
    assert dict(report.highest_level)["Service manager"] == 1
    assert sum(n for name, n in report.by_raised_with) == 10
    assert not Challenge.objects.filter(raised_with_team__isnull=True).exists()
    assert Challenge.objects.filter(escalated_from=None, detail__contains="Health").count() == 1


def test_iros_chaired_35_cusab_meetings(loaded):
    table = _table("cusab")
    assert table.cell("iro", "year") == 35
    reasons = ("why:looked_after", "why:arrested_or_charged", "why:complex")
    assert sum(table.cell(why, "year") for why in reasons) == 35
    assert min(table.cell(why, "year") for why in reasons) > 0
    assert _cells(table, "locality_manager", ("q1", "q2")) == (0, 0)
    assert CusabMeeting.objects.filter(chaired_by="iro", why_iro_chaired="").count() == 0


def test_advocacy_is_the_reports(loaded):
    table = _table("advocacy")
    assert table.cell("referred", "year") == 141
    assert table.cell("supported", "year") == 107
    assert table.cell("carried_over", "year") == 68
    assert not Referral.objects.filter(referred_on__lt=date(2013, 6, 3)).exists()


def test_parents_questionnaires_are_table_7(loaded):
    table = _table("questionnaire-parent")
    wanted = {
        "prepared": (3, 11, 13, 19, 14),
        "chair_helped": (0, 6, 4, 18, 32),
        "clear_language": (0, 4, 4, 18, 34),
        "involved": (0, 4, 12, 16, 28),
        "understood_result": (0, 3, 7, 14, 36),
    }
    assert [key for key, _ in QUESTIONS["parent"]] == list(wanted)
    for question, counts in wanted.items():
        assert _cells(table, question, ("1", "2", "3", "4", "5")) == counts
    assert table.notes == ["60 responses from 34 conferences."]
    parents = FeedbackResponse.objects.filter(respondent="parent")
    held = parents.values_list("conference__starts_at__date", flat=True)
    assert date(2014, 9, 1) <= min(held)
    assert max(held) <= date(2014, 12, 31)


def test_agencies_questionnaires_are_table_8(loaded):
    table = _table("questionnaire-agency")
    wanted = {
        "clarity_concerns": (2, 2, 2, 3, 2),
        "clarity_strengths": (2, 2, 3, 2, 2),
        "wall": (1, 2, 3, 3, 2),
        "plan_clear_family": (1, 2, 4, 3, 1),
        "plan_clear_professionals": (2, 1, 4, 4, 0),
        "changed_view": (5, 3, 1, 2, 0),
    }
    assert [key for key, _ in QUESTIONS["agency"]] == list(wanted)
    for question, counts in wanted.items():
        assert _cells(table, question, ("1", "2", "3", "4", "5")) == counts
    submitted = FeedbackResponse.objects.values_list("submitted_at__date", flat=True)
    assert date(2014, 9, 1) <= min(submitted)
    assert max(submitted) <= date(2015, 1, 31)


def test_conferences_are_held_on_weekdays_with_a_signed_off_decision_for_every_child(
    loaded,
):
    held = Conference.objects.filter(status=ConferenceStatus.HELD)
    assert not held.filter(starts_at__week_day__in=(1, 7)).exists()  # Sunday, Saturday
    assert not held.filter(record__isnull=True).exists()
    places = ConferenceChild.objects.filter(conference__status=ConferenceStatus.HELD)
    assert ChildDecision.objects.count() == places.count()


def _year(slug, key="year"):
    """One figure's counts for one 2014-15 column only (the slower figures, counted once)."""
    found = figure(slug)
    return found.count(YEAR, next(c for c in found.columns(YEAR) if c.key == key))


def test_the_other_dashboard_tables_are_not_empty(loaded):
    assert _year("postponements")["Agency non-attendance or not quorate"] > 0
    assert _year("agency-attendance", "attended")["police"] > 0
    timescale = _year("within-timescale")
    assert 0.8 <= timescale["review_within"] / timescale["review_held"] < 1
    core_groups = _year("core-groups")
    assert core_groups["on_time"] > core_groups["late"] > 0
    distribution = _year("distribution")
    assert distribution["record_on_time"] > distribution["record_late"] > 0
    continuity = _year("chair-continuity")
    assert continuity["same_chair"] > continuity["reviews"] / 2
    assert CoreGroupMeeting.objects.exists()
    assert Invitation.objects.exists()


def test_loading_again_adds_nothing(loaded):
    counted = (Conference, Child, ChildProtectionPlan, ChildDecision, Referral, Challenge)
    before = [model.objects.count() for model in counted]
    load_history()
    assert [model.objects.count() for model in counted] == before


def test_the_history_plans_end_after_march_2015_so_todays_trays_are_not_flooded(loaded):
    still_open = ChildProtectionPlan.objects.filter(
        ended_on__isnull=True, started_on__lte=date(2015, 3, 31)
    )
    assert still_open.count() == 0
    assert _table("children-on-plans", 2015).cell("on_plan", "q1") < 394


def test_the_annual_report_pdf_shows_table_3_and_table_5_as_the_dashboard_does(loaded, tmp_path):
    """Issue 10: the 2014-15 report made from the demo data, read back with pdftotext."""
    from accounts.models import Role
    from reporting.annual import services as annual_services
    from tests.factories import UserFactory
    from tests.reporting.test_annual import _pdf_text

    author = UserFactory(roles=[Role.MANAGER])
    report = annual_services.create_report(actor=author, year=2014)
    annual_services.save_narrative(
        actor=author,
        report=report,
        expected_version=report.version,
        strengths="- Conferences held within timescale",
    )
    annual_services.add_action(
        actor=author,
        report=report,
        details=annual_services.WorkActionDetails(
            for_next_year=False,
            action="Introduce Signs of Safety conferences",
            who="IRO team manager",
            when="September 2014",
            rag="G",
            commentary="Prototype in one locality",
        ),
    )
    generation = annual_services.request_generation(actor=author, report=report)
    started = time.perf_counter()
    annual_services.generate(generation.pk)
    assert time.perf_counter() - started < 60
    generation.refresh_from_db()
    text = _pdf_text(bytes(generation.pdf.content), tmp_path)
    words = " ".join(text.split())  # table cells wrap across lines
    assert "Conferences held within timescale" in words
    assert "Introduce Signs of Safety" in words
    assert "Prototype" in words
    appendix = text[text.rindex("Appendix 3: tables of figures") :]

    def printed(label_words: list[str], after: str) -> list[int]:
        start = appendix.index(after)
        for words in [line.split() for line in appendix[start:].splitlines()]:
            if words[: len(label_words)] == label_words:
                return [int(word) for word in words[len(label_words) :]]
        raise AssertionError(f"{label_words} not found after {after}")

    table3 = _table("category")
    for code, label in (("NEG", ["Neglect"]), ("EMO", ["Emotional"]), ("MUL", ["Multiple"])):
        assert (
            printed(label, "(Table 3)")
            == table3.rows[[row.key for row in table3.rows].index(code)].cells
        )
    assert printed(["Multiple"], "(Table 3)")[:4] == [240, 263, 229, 184]
    assert printed(["Total"], "(Table 3)")[:4] == [428, 466, 421, 394]
    table5 = _table("ethnicity")
    assert printed(["White"], "(Table 5)") == table5.rows[0].cells
    assert printed(["White"], "(Table 5)")[:4] == [376, 412, 368, 336]
    assert printed(["Asian", "or", "Asian", "British"], "(Table 5)")[:4] == [16, 16, 11, 17]


def test_each_figure_counted_in_one_pass_equals_it_counted_column_by_column(loaded):
    """For the year, quarters, the busiest locality and the busiest chair."""
    busiest = Conference.objects.filter(status=ConferenceStatus.HELD).values("chair_id")
    chair_id = busiest.annotate(n=Count("pk")).order_by("-n")[0]["chair_id"]
    in_localities = Child.objects.exclude(locality=None).values("locality_id")
    locality_id = in_localities.annotate(n=Count("pk")).order_by("-n")[0]["locality_id"]
    assert_one_pass_agrees(scopes_for(2014, chair_id, locality_id))
