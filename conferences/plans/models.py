"""Child protection plans (one open plan per child, never overlapping) and their core groups."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q

from conferences.cases.models import Child
from conferences.choices import (
    PlanCategory,
    PlanEndReason,
)
from config.audit import audited
from config.concurrency import Versioned


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


@audited()
class ChildProtectionPlan(Versioned):
    """One child's plan, from the conference that started it to the one that ended it."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=PlanEndReason.choices, blank=True)
    categories = ArrayField(
        models.CharField(max_length=3, choices=PlanCategory.choices), default=list, blank=True
    )
    # A plan imported from a census file has no conferences in Convene: the census's own
    # initial and latest categories (NEG PHY EMO SAB MUL) and review dates are kept on it.
    imported_initial_category = models.CharField(max_length=3, blank=True)
    imported_latest_category = models.CharField(max_length=3, blank=True)
    imported_review_dates = ArrayField(models.DateField(), default=list, blank=True)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_plan_a_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="plan_ends_after_it_starts",
            ),
            ExclusionConstraint(
                name="plans_for_a_child_never_overlap",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (
                        DateRange("started_on", "ended_on", models.Value("[)")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"Plan from {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


@audited()
class CoreGroupMeeting(models.Model):
    child = models.ForeignKey(
        "conferences.Child", on_delete=models.PROTECT, related_name="core_groups"
    )
    plan = models.ForeignKey(
        "conferences.ChildProtectionPlan", on_delete=models.PROTECT, related_name="core_groups"
    )
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line.")
    actions_updated = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"Core group on {self.held_on:%d %b %Y}"


class PlanCategorySpan(models.Model):
    """A plan's latest category over a run of days, from ``valid_from`` up to (not including)
    ``valid_to``; the last span of a plan has no end, since the category as at a day after the
    plan ended is the one it ended with. A fact the figures read, kept by the database in the
    transaction of every write it depends on (``rules.categories``), never by Convene's code:
    derived from audited records, so not audited itself."""

    # The unique index below leads with the plan, so the plan needs no index of its own. The
    # database keeps these rows: deleting a plan or child never reaches them through Django.
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.DO_NOTHING, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    category = models.CharField(
        max_length=3, choices=[*PlanCategory.choices, ("MUL", "Multiple")], blank=True
    )

    class Meta:
        constraints = [
            # Serves "the span of this plan covering day D" as one index-only probe: the
            # last span starting on or before D.
            models.UniqueConstraint(
                fields=["plan", "valid_from"],
                include=["category"],
                name="one_category_span_a_plan_a_day",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="category_span_ends_after_it_starts",
            ),
        ]
        indexes = [
            # The data quality page's "plan with no category" (reporting/quality.py): the few
            # plans with a span in no category, the only ones (with plans that have no span)
            # whose latest category it need work out.
            models.Index(
                fields=["plan"],
                condition=Q(category=""),
                name="category_spans_in_no_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or 'No category'} from {self.valid_from:%d %b %Y}"
