"""Facts about a child protection plan, derived from the decisions that shaped it."""

from collections.abc import Sequence

from rules.categories import finalised_decisions, initial_category, latest_category

from .choices import REVIEW_STAGES, Decision, Stage
from .models import ChildDecision, ChildProtectionPlan
from .record_models import RecordStatus


def _finalised_decisions(plan: ChildProtectionPlan):
    decisions = ChildDecision.objects.filter(
        place__child=plan.child, record__status=RecordStatus.FINALISED
    ).select_related("place__conference")
    decisions = decisions.filter(place__conference__starts_at__date__gte=plan.started_on)
    if plan.ended_on:
        decisions = decisions.filter(place__conference__starts_at__date__lte=plan.ended_on)
    return decisions.order_by("place__conference__starts_at")


def categories(plans: Sequence[ChildProtectionPlan]) -> dict[int, tuple[str, str]]:
    """Each plan's initial and latest category, as census codes (rules.categories), read in
    one query whatever the number of plans."""
    decisions = finalised_decisions({plan.child_id for plan in plans})
    return {
        plan.pk: (
            initial_category(plan, decisions[plan.child_id]),
            latest_category(plan, decisions[plan.child_id]),
        )
        for plan in plans
    }


def review_dates(plan: ChildProtectionPlan) -> list:
    return [
        decision.place.conference.held_on
        for decision in _finalised_decisions(plan)
        if decision.place.stage in REVIEW_STAGES
    ]


def previous_plan_count(plan: ChildProtectionPlan) -> int:
    """Plans before this one: in Convene, plus those recorded from before or elsewhere."""
    earlier = ChildProtectionPlan.objects.filter(
        child=plan.child, started_on__lt=plan.started_on
    ).count()
    return earlier + plan.child.previous_plans_elsewhere


def is_repeat_plan(plan: ChildProtectionPlan) -> bool:
    return previous_plan_count(plan) > 0


def ended_at_first_review(plan: ChildProtectionPlan) -> bool:
    if plan.ended_on is None:
        return False
    return any(
        decision.place.stage == Stage.FIRST_REVIEW and decision.decision == Decision.PLAN_ENDS
        for decision in _finalised_decisions(plan)
    )
