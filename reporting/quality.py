"""The data quality panel: what is missing, whose it is to fix, and links to the records."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from conferences.choices import ConferenceStatus
from conferences.models import ChildProtectionPlan, PlanCategorySpan
from conferences.queries import children_visible_to, conferences_visible_to
from conferences.record.models import RecordStatus
from rules.categories import NO_CATEGORY, latest_category_sql
from rules.meetings import report_receipt_not_recorded_sql
from rules.timescales import sign_off_overdue_if_held_before, today
from rules.working_days import working_calendar

LISTED = 50


@dataclass
class Problem:
    title: str
    whose: str
    kind: str  # "conference" or "child": which page fixes it
    total: int
    records: list
    not_shown: int  # restricted from this user
    more: int = 0  # visible to this user, past the first LISTED


def _problem(title, whose, kind, everything, visible) -> Problem:
    total = everything.count()
    records = list(visible[:LISTED])
    # Counted only when the list is full: a short list is its own count (as config.bounded).
    shown_count = len(records) if len(records) < LISTED else visible.count()
    return Problem(
        title, whose, kind, total, records, total - shown_count, shown_count - len(records)
    )


def problems(user, period) -> list[Problem]:
    """Meetings in the financial year asked for, and children as they are today. Counts include
    every record; the lists show only what this user may open."""
    from conferences.models import Child, Conference

    now = today()
    in_year = Q(starts_at__date__gte=period.start, starts_at__date__lte=period.end)
    overdue_if_held_before = sign_off_overdue_if_held_before(now, working_calendar())
    not_signed_off = Q(
        status=ConferenceStatus.HELD, starts_at__date__lt=overdue_if_held_before
    ) & ~Q(record__status=RecordStatus.FINALISED)
    still_booked = Q(status=ConferenceStatus.BOOKED, starts_at__date__lt=now)
    family_receipt = Q(status=ConferenceStatus.HELD) & report_receipt_not_recorded_sql("family")
    chair_receipt = Q(status=ConferenceStatus.HELD) & report_receipt_not_recorded_sql("chair")
    on_plan = ChildProtectionPlan.objects.filter(ended_on__isnull=True).values("child_id")
    blank_ethnicity = Q(ethnicity="", pk__in=on_plan)
    overdue_birth = Q(date_of_birth__isnull=True, expected_date_of_birth__lt=now)
    # As the category table counts them (rules.categories): a plan imported as MUL, or given
    # categories at a review since, has a category. The rule is worked out only for the plans
    # it can find in no category (every plan's latest category is one probe each, too many at
    # national scale): those with a span in no category (category_spans_in_no_category), and
    # those with no span at all, whose category the rule reads from the plan's own record.
    # They are picked out first, on their own (joined to the rule in one query, PostgreSQL
    # worked out the rule for every plan before it looked for a span), then their children
    # once for the three lists below.
    spans = PlanCategorySpan.objects.filter(plan=OuterRef("pk"))
    in_no_category = PlanCategorySpan.objects.filter(category=NO_CATEGORY)
    without_spans = ChildProtectionPlan.objects.filter(~Exists(spans))
    could_be = list(
        in_no_category.values_list("plan_id", flat=True).union(
            without_spans.values_list("pk", flat=True)
        )
    )
    uncategorised = (
        ChildProtectionPlan.objects.filter(pk__in=could_be)
        .annotate(category=latest_category_sql())
        .filter(category=NO_CATEGORY)
    )
    no_category = Q(pk__in=list(uncategorised.values_list("child_id", flat=True)))
    conferences, children = Conference.objects.filter(in_year), Child.objects
    seen_conferences = conferences_visible_to(user).filter(in_year)
    seen_children = children_visible_to(user)
    return [
        _problem(
            "Outcome not signed off",
            "The chair",
            "conference",
            conferences.filter(not_signed_off),
            seen_conferences.filter(not_signed_off).order_by("starts_at"),
        ),
        _problem(
            "Past meeting still shown as booked (held, postponed or cancelled?)",
            "The clerks",
            "conference",
            conferences.filter(still_booked),
            seen_conferences.filter(still_booked).order_by("starts_at"),
        ),
        _problem(
            "When the family got the report is not recorded",
            "The clerks",
            "conference",
            conferences.filter(family_receipt),
            seen_conferences.filter(family_receipt).order_by("-starts_at"),
        ),
        _problem(
            "When the chair got the report is not recorded",
            "The chair",
            "conference",
            conferences.filter(chair_receipt),
            seen_conferences.filter(chair_receipt).order_by("-starts_at"),
        ),
        _problem(
            "Child on a plan with no ethnicity recorded",
            "The clerks, from the social worker",
            "child",
            children.filter(blank_ethnicity),
            seen_children.filter(blank_ethnicity),
        ),
        _problem(
            "Unborn child past the expected date of birth",
            "The clerks, from the social worker",
            "child",
            children.filter(overdue_birth),
            seen_children.filter(overdue_birth),
        ),
        _problem(
            "Plan with no category of abuse (counted in no category)",
            "The chair",
            "child",
            children.filter(no_category),
            seen_children.filter(no_category),
        ),
    ]
