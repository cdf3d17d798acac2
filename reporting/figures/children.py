"""Who the children on plans are: category (Table 3), ethnicity (Table 5), age, and the
significant factors recorded at conferences (Table 4)."""

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import GreaterThanOrEqual, IsNull, LessThanOrEqual

from conferences.choices import PlanCategory, Stage
from conferences.models import ChildDecision
from conferences.record.models import RecordStatus
from reporting.figures.base import Column, Figure, Scope, span
from reporting.figures.snapshots import SnapshotFigure
from reporting.figures.sql import held_between
from rules.ages import AgeInYears
from rules.categories import NO_CATEGORY, latest_category_sql, recorded_latest_category_sql

ETHNIC_GROUPS = {
    "White": ["WBRI", "WIRI", "WIRT", "WOTH", "WROM"],
    "Asian or Asian British": ["AIND", "APKN", "ABAN", "AOTH"],
    "Black or Black British": ["BCRB", "BAFR", "BOTH"],
    "Mixed": ["MWBC", "MWBA", "MWAS", "MOTH"],
    "Not stated": ["REFU", "NOBT"],
    "Other ethnic group": ["CHNE", "OOTH"],
}


class CategoryOfAbuse(SnapshotFigure):
    slug = "category"
    total_label = "Total"
    title = "Children on a plan by category of abuse (Table 3)"
    definition = (
        "Children on a plan at the end of the quarter, by the category of their plan on that "
        "day: the one set by the most recent signed-off conference on or before it (for a "
        "plan imported from a census, the census's latest category until a conference sets "
        "one; the initial category otherwise). Two or more categories count as Multiple."
    )

    def rows(self, scope):
        return [(c.value, c.label.replace(" abuse", "")) for c in PlanCategory] + [
            ("MUL", "Multiple"),
            ("NONE", "No category recorded"),
        ]

    def ingredients(self):
        return {"recorded_category": recorded_latest_category_sql()}

    def row_at(self, day, column):
        # A plan recorded without a category has a row of its own (the data quality panel
        # lists those), so the total is still every child on a plan.
        if column is F:  # column by column: the plan is the query's own row
            category = latest_category_sql(day)
        else:
            category = latest_category_sql(
                day, plan=column("id"), recorded=column("recorded_category")
            )
        return Coalesce(NullIf(category, Value(NO_CATEGORY)), Value("NONE"))


class Ethnicity_(SnapshotFigure):
    slug = "ethnicity"
    total_label = "Total"
    title = "Children on a plan by ethnicity (Table 5)"
    definition = (
        "Children on a plan at the end of the quarter, grouped by the DfE ethnicity codes: "
        "Chinese (CHNE) is in 'Other ethnic group'; refused (REFU) and not obtained (NOBT) "
        "are 'Not stated'; a child with no code recorded is 'Blank'."
    )

    def rows(self, scope):
        return [(group, group) for group in ETHNIC_GROUPS] + [("Blank", "Blank")]

    def ingredients(self):
        groups = [
            When(child__ethnicity__in=codes, then=Value(group))
            for group, codes in ETHNIC_GROUPS.items()
        ]
        return {"ethnic_group": Case(*groups, default=Value("Blank"), output_field=CharField())}

    def row_at(self, day, column):
        return column("ethnic_group")


AGE_BANDS = [("0-4", 0, 4), ("5-9", 5, 9), ("10-15", 10, 15), ("16+", 16, 200)]


class AgeBands(SnapshotFigure):
    slug = "age"
    total_label = "Total"
    title = "Children on a plan by age"
    definition = (
        "Children on a plan at the end of the quarter, by their age in whole years on that day. "
        "A child not yet born on that day is 'Unborn'."
    )

    def rows(self, scope):
        return [("unborn", "Unborn")] + [(key, key) for key, *_ in AGE_BANDS]

    def ingredients(self):
        return {"born_on": F("child__date_of_birth")}

    def row_at(self, day, column):
        born_on = column("born_on")
        age = AgeInYears(born_on, day)
        bands = [
            When(Q(GreaterThanOrEqual(age, low)) & Q(LessThanOrEqual(age, high)), then=Value(key))
            for key, low, high in AGE_BANDS
        ]
        born = Q(IsNull(born_on, False)) & Q(LessThanOrEqual(born_on, day))
        return Case(When(~born, then=Value("unborn")), *bands, output_field=CharField())


FACTOR_GROUPS = {
    "Domestic abuse": ["3A", "3B", "3C"],
    "Mental health": ["4A", "4B", "4C"],
    "Alcohol misuse": ["1A", "1B", "1C"],
    "Drug misuse": ["2A", "2B", "2C"],
    "Learning disability": ["5A", "5B", "5C"],
    "Physical disability or illness": ["6A", "6B", "6C"],
}
ALL_FACTOR_CODES = [code for codes in FACTOR_GROUPS.values() for code in codes]
STAGE_GROUPS = [
    ("initial", "Initial", [Stage.INITIAL, Stage.PRE_BIRTH, Stage.RECONVENED]),
    ("receiving_in", "Receiving-in", [Stage.RECEIVING_IN]),
    ("review", "Review", [Stage.FIRST_REVIEW, Stage.REVIEW]),
]


class SignificantFactors(Figure):
    slug = "factors"
    title = "Significant factors recorded at conferences (Table 4)"
    definition = (
        "For each stage, the children at meetings held in the period whose signed-off "
        "decision records the factor (assessment factor codes, whoever it concerns: the "
        "child, a parent or another person). A child counts once per meeting: a child at two "
        "reviews in the year counts twice, as the reference report counts them."
    )
    counts = "children at meetings"

    def columns(self, scope: Scope) -> list[Column]:
        p = scope.period
        return [Column(key, label, p.start, p.end) for key, label, _ in STAGE_GROUPS]

    def rows(self, scope):
        return [(group, group) for group in FACTOR_GROUPS]

    def count(self, scope, column):
        # One query per stage group, a filtered count per factor group (aliases are plain).
        groups = list(FACTOR_GROUPS.items())
        counted = self._decisions(scope, column, ALL_FACTOR_CODES).aggregate(
            **{
                f"group_{i}": Count("pk", filter=Q(factors__overlap=codes))
                for i, (_, codes) in enumerate(groups)
            }
        )
        return {group: counted[f"group_{i}"] for i, (group, _) in enumerate(groups)}

    def count_columns(self, scope, columns):
        # One query for every stage group: a filtered count per (stage group, factor group).
        groups = list(FACTOR_GROUPS.items())
        stages = {key: stages for key, _, stages in STAGE_GROUPS}
        counted = self._decisions(scope, span(columns), ALL_FACTOR_CODES).aggregate(
            **{
                f"c{i}_{j}": Count(
                    "pk",
                    filter=Q(place__stage__in=stages[column.key], factors__overlap=codes),
                )
                for i, column in enumerate(columns)
                for j, (_, codes) in enumerate(groups)
            }
        )
        return [
            {group: counted[f"c{i}_{j}"] for j, (group, _) in enumerate(groups)}
            for i in range(len(columns))
        ]

    def _decisions(self, scope, column, codes):
        # The span of several columns reads every stage group's decisions.
        stages = next(
            (stages for key, _, stages in STAGE_GROUPS if key == column.key),
            [stage for _, _, group in STAGE_GROUPS for stage in group],
        )
        found = ChildDecision.objects.filter(
            held_between(column.start, column.end, prefix="place__conference__"),
            record__status=RecordStatus.FINALISED,
            place__stage__in=stages,
            factors__overlap=codes,
        )
        if scope.locality_id:
            found = found.filter(place__child__locality_id=scope.locality_id)
        if scope.chair_id:
            found = found.filter(place__conference__chair_id=scope.chair_id)
        return found

    def subjects(self, scope, column, row_key):
        return self._decisions(scope, column, FACTOR_GROUPS[row_key]).values("place__child_id")
