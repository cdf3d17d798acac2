"""The rest of the service: advocacy, complaints, challenges, CUSAB, questionnaires and the
IROs' own work (reference report sections 4, 5.4 to 5.7 and 7)."""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.lookups import Exact

from advocacy.models import Referral
from complaints.models import AgencyDissent, Appeal, Complaint, ComplaintReason
from conferences.challenges.models import Challenge, ChallengeLevel
from conferences.choices import REVIEW_STAGES
from conferences.cusab.models import CusabChair, CusabMeeting, WhyIroChaired
from conferences.models import ConferenceChild
from conferences.questionnaires.models import Answer, FeedbackResponse, Respondent
from conferences.questionnaires.services import QUESTIONS
from reporting.figures.base import Column, ConditionFigure, Figure, Row, Table, share, span
from reporting.figures.sql import chaired_as_before, held_between, held_conferences, held_in


def _in(column: Column, field: str) -> Q:
    return Q(**{f"{field}__gte": column.start, f"{field}__lte": column.end})


class Advocacy(ConditionFigure):
    slug = "advocacy"
    title = "Advocacy for young people"
    subject_field = "child_id"
    row_labels = {
        "referred": "Referrals made",
        "supported": "Young people supported",
        "carried_over": "Of whom support began before the period",
        "declined": "Referrals declined",
    }
    definition = (
        "Referrals to the advocacy service made in the period; young people supported at any "
        "time in it (support accepted or begun on or before its last day and not closed before "
        "its first), including those whose support began earlier; referrals declined."
    )

    def base(self, scope, column):
        found = Referral.objects.all()
        if scope.locality_id:
            found = found.filter(child__locality_id=scope.locality_id)
        return found

    def in_column(self, column):
        return Q()  # each row's condition names the column's dates

    def conditions(self, scope, column):
        began_by_end = Q(accepted_on__lte=column.end) | Q(support_started_on__lte=column.end)
        open_then = Q(closed_on__isnull=True) | Q(closed_on__gte=column.start)
        began_before = Q(accepted_on__lt=column.start) | Q(support_started_on__lt=column.start)
        return {
            "referred": _in(column, "referred_on"),
            "supported": began_by_end & open_then,
            "carried_over": began_before & open_then,
            "declined": _in(column, "declined_on"),
        }


class ComplaintsAppealsDissent(Figure):
    slug = "complaints"
    title = "Complaints, appeals and agency dissent"
    counts = "cases"
    subject_model = "conferences.Conference"
    definition = (
        "Complaints received in the period, by reason, with those from young people and those "
        "resolved at stage 1; appeals against a conference decision received in the period, "
        "with those by young people; disagreements (dissent) raised by agencies."
    )

    def rows(self, scope):
        reasons = [
            (f"reason:{label}", label)
            for label in ComplaintReason.objects.values_list("label", flat=True)
        ]
        return [
            ("complaints", "Complaints"),
            *reasons,
            ("young_person", "Complaints from young people"),
            ("stage_1", "Complaints resolved at stage 1"),
            ("appeals", "Appeals"),
            ("appeals_young_person", "Appeals by young people"),
            ("dissent", "Agency dissent"),
        ]

    def _sets(self, column):
        complaints = Complaint.objects.filter(_in(column, "received_on"))
        appeals = Appeal.objects.filter(_in(column, "received_on"))
        dissent = AgencyDissent.objects.filter(_in(column, "raised_on"))
        return complaints, appeals, dissent

    def count(self, scope, column):
        complaints, appeals, dissent = self._sets(column)
        counts = complaints.aggregate(
            complaints=Count("pk"),
            young_person=Count("pk", filter=Q(complainant="young_person")),
            stage_1=Count("pk", filter=Q(resolved_at_stage=1)),
        )
        for item in complaints.values("reason__label").annotate(n=Count("pk")):
            counts[f"reason:{item['reason__label']}"] = item["n"]
        counts |= appeals.aggregate(
            appeals=Count("pk"),
            appeals_young_person=Count("pk", filter=Q(appellant="young_person")),
        )
        counts["dissent"] = dissent.count()
        return counts

    def count_columns(self, scope, columns):
        # Three queries for every column: complaints (by reason, with the totals their
        # groups add up to), appeals and dissent, each column a filtered count.
        complaints, appeals, dissent = self._sets(span(columns))
        counted = [dict.fromkeys(("complaints", "young_person", "stage_1"), 0) for _ in columns]
        by_reason = complaints.order_by().values("reason__label")
        for item in by_reason.annotate(
            **self._per_column(
                columns,
                "received_on",
                {
                    "n": Q(),
                    "young_person": Q(complainant="young_person"),
                    "stage_1": Q(resolved_at_stage=1),
                },
            )
        ):
            for i, found in enumerate(counted):
                found[f"reason:{item['reason__label']}"] = item[f"n_{i}"]
                found["complaints"] += item[f"n_{i}"]
                found["young_person"] += item[f"young_person_{i}"]
                found["stage_1"] += item[f"stage_1_{i}"]
        appealed = appeals.aggregate(
            **self._per_column(
                columns,
                "received_on",
                {
                    "appeals": Q(),
                    "appeals_young_person": Q(appellant="young_person"),
                },
            )
        )
        raised = dissent.aggregate(**self._per_column(columns, "raised_on", {"dissent": Q()}))
        for i, found in enumerate(counted):
            for key in ("appeals", "appeals_young_person"):
                found[key] = appealed[f"{key}_{i}"]
            found["dissent"] = raised[f"dissent_{i}"]
        return counted

    def _per_column(self, columns, field, conditions):
        return {
            f"{key}_{i}": Count("pk", filter=_in(column, field) & condition)
            for i, column in enumerate(columns)
            for key, condition in conditions.items()
        }

    def subjects(self, scope, column, row_key):
        complaints, appeals, dissent = self._sets(column)
        chosen = {
            "complaints": complaints,
            "young_person": complaints.filter(complainant="young_person"),
            "stage_1": complaints.filter(resolved_at_stage=1),
            "appeals": appeals,
            "appeals_young_person": appeals.filter(appellant="young_person"),
            "dissent": dissent,
        }.get(row_key)
        if chosen is None and row_key.startswith("reason:"):
            chosen = complaints.filter(reason__label=row_key.removeprefix("reason:"))
        return (chosen if chosen is not None else complaints.none()).values("conference_id")


class Challenges(ConditionFigure):
    slug = "challenges"
    title = "IRO challenges and escalations"
    counts = "challenge steps"
    subject_model = "conferences.Challenge"
    row_labels = {
        **{f"level:{level.value}": f"Raised at: {level.label}" for level in ChallengeLevel},
        "resolved": "Resolved",
    }
    definition = (
        "Challenge steps raised in the period at each level (an escalation is a new step at "
        "the next level), and steps resolved in the period. The thematic report breaks them "
        "down by reason, team or agency and time to resolve."
    )

    def base(self, scope, column):
        return Challenge.objects.all()

    def in_column(self, column):
        return Q()  # each row's condition names the column's dates

    def conditions(self, scope, column):
        raised = _in(column, "raised_on")
        return {
            **{f"level:{level.value}": raised & Q(level=level.value) for level in ChallengeLevel},
            "resolved": _in(column, "resolved_on"),
        }


class CusabMeetings(ConditionFigure):
    slug = "cusab"
    title = "CUSAB risk meetings"
    counts = "meetings"
    subject_model = "conferences.CusabMeeting"
    row_labels = {
        "iro": "Chaired by an IRO",
        **{f"why:{why.value}": f"IRO chaired: {why.label.lower()}" for why in WhyIroChaired},
        "locality_manager": "Chaired by a locality team manager",
    }
    definition = (
        "Risk meetings for children using sexually abusive behaviour held in the period, by "
        "who chaired them and, for an IRO, why (looked after, arrested or charged, complex)."
    )

    def base(self, scope, column):
        found = CusabMeeting.objects.filter(_in(column, "held_on"))
        if scope.locality_id:
            found = found.filter(child__locality_id=scope.locality_id)
        return found

    def in_column(self, column):
        return _in(column, "held_on")

    def conditions(self, scope, column):
        return {
            "iro": Q(chaired_by=CusabChair.IRO),
            **{f"why:{why.value}": Q(why_iro_chaired=why.value) for why in WhyIroChaired},
            "locality_manager": Q(chaired_by=CusabChair.LOCALITY_MANAGER),
        }


class Questionnaire(Figure):
    counts = "responses"
    subject_model = "conferences.Conference"

    def __init__(self, respondent: str):
        self.respondent = respondent
        parent = respondent == Respondent.PARENT
        self.slug = f"questionnaire-{respondent}"
        self.title = (
            "Parents' questionnaire (Table 7)" if parent else "Agencies' questionnaire (Table 8)"
        )
        self.definition = (
            "Questionnaires answered in the period, by the answer to each question, with each "
            "answer's share of the responses to that question (rounded to one decimal place)."
        )

    def columns(self, scope):
        p = scope.period
        return [Column(str(answer.value), answer.label, p.start, p.end) for answer in Answer]

    def rows(self, scope):
        return QUESTIONS[self.respondent]

    def _responses(self, scope):
        found = FeedbackResponse.objects.filter(
            respondent=self.respondent,
            submitted_at__date__range=(scope.period.start, scope.period.end),
        )
        if scope.chair_id:
            found = found.filter(conference__chair_id=scope.chair_id)
        return found

    def table(self, scope):
        # One query: a filtered count per (question, answer), and the notes' two totals.
        columns, questions = self.columns(scope), self.rows(scope)
        counted = self._responses(scope).aggregate(
            responses=Count("pk"),
            conferences=Count("conference", distinct=True),
            **{
                f"c{i}_{j}": Count(
                    "pk", filter=Q(Exact(KeyTextTransform(key, "answers"), column.key))
                )
                for i, (key, _) in enumerate(questions)
                for j, column in enumerate(columns)
            },
        )
        rows = [
            Row(key, label, [counted[f"c{i}_{j}"] for j in range(len(columns))])
            for i, (key, label) in enumerate(questions)
        ]
        return self._table(columns, rows, counted["responses"], counted["conferences"])

    def table_by_column(self, scope):
        # The reference: one query per question, across all answers, and one per note.
        columns = self.columns(scope)
        rows = []
        for key, label in self.rows(scope):
            answered = dict(
                self._responses(scope)
                .annotate(answer=KeyTextTransform(key, "answers"))
                .values_list("answer")
                .annotate(n=Count("pk"))
            )
            cells = [answered.get(column.key, 0) for column in columns]
            rows.append(Row(key, label, cells))
        responses = self._responses(scope)
        return self._table(
            columns, rows, responses.count(), responses.values("conference").distinct().count()
        )

    def _table(self, columns, rows, responses: int, conferences: int) -> Table:
        shares = [
            Row(
                f"{row.key}_share",
                f"{row.label} (%)",
                [share(n, sum(row.cells)) for n in row.cells],
            )
            for row in rows
        ]
        table = Table(self.slug, self.title, self.definition, self.counts, columns, rows + shares)
        table.notes.append(f"{responses} responses from {conferences} conferences.")
        return table

    def subjects(self, scope, column, row_key):
        return (
            self._responses(scope)
            .annotate(answer=KeyTextTransform(row_key, "answers"))
            .filter(answer=column.key)
            .values("conference_id")
        )


class IroWorkload(Figure):
    slug = "iro-workload"
    total_label = "All meetings"
    title = "Meetings chaired by each IRO"
    counts = "meetings"
    subject_model = "conferences.Conference"
    definition = "Meetings held in the period, by the IRO who chaired them."

    def rows(self, scope):
        chairs = (
            get_user_model()
            .objects.filter(
                chaired_conferences__in=held_conferences(
                    scope, Column("year", "", scope.period.start, scope.period.end)
                )
            )
            .distinct()
            .order_by("full_name")
        )
        return [(str(user.pk), user.full_name) for user in chairs]

    def records(self, scope, column):
        return held_conferences(scope, column).annotate(
            row=Cast("chair_id", CharField()), subject=F("pk")
        )

    def in_column(self, column):
        return held_in(column.start, column.end)


class ChairContinuity(ConditionFigure):
    slug = "chair-continuity"
    title = "Chair continuity at reviews"
    counts = "children at reviews"
    subject_model = "conferences.Conference"
    subject_field = "conference_id"
    row_labels = {
        "reviews": "Children at review meetings held",
        "same_chair": "Chaired by the IRO who chaired their previous meeting",
    }
    definition = (
        "Children at review meetings held in the period, and how many of them had the same "
        "chair as at their previous meeting held: the continuity families are promised."
    )

    def base(self, scope, column):
        places = ConferenceChild.objects.filter(
            held_between(column.start, column.end, "conference__"), stage__in=REVIEW_STAGES
        )
        if scope.chair_id:
            places = places.filter(conference__chair_id=scope.chair_id)
        if scope.locality_id:
            places = places.filter(child__locality_id=scope.locality_id)
        return places

    def count(self, scope, column):
        same_chair = self.conditions(scope, column)["same_chair"]
        return self.base(scope, column).aggregate(
            reviews=Count("pk"), same_chair=Count("pk", filter=same_chair)
        )

    def conditions(self, scope, column):
        children = self.base(scope, column).values("child_id")
        return {"reviews": Q(), "same_chair": Q(pk__in=chaired_as_before(column.end, children))}

    def count_columns(self, scope, columns):
        # One query: the places at reviews in any column, grouped by whether the chair is the
        # one before (worked out once, to the last column's end: a meeting after a place does
        # not change which came before it), each column a filtered count.
        whole = span(columns)
        places = self.base(scope, whole)
        same_chair = Q(pk__in=chaired_as_before(whole.end, places.values("child_id")))
        found = (
            places.annotate(same_chair=ExpressionWrapper(same_chair, output_field=BooleanField()))
            .order_by()
            .values("same_chair")
            .annotate(
                **{
                    f"column_{i}": Count(
                        "pk", filter=held_in(column.start, column.end, "conference__")
                    )
                    for i, column in enumerate(columns)
                }
            )
        )
        counted = [{"reviews": 0, "same_chair": 0} for _ in columns]
        for item in found:
            for i, column_counts in enumerate(counted):
                column_counts["reviews"] += item[f"column_{i}"]
                if item["same_chair"]:
                    column_counts["same_chair"] += item[f"column_{i}"]
        return counted

    def derived_rows(self, table):
        reviews, same = table.rows[0].cells, table.rows[1].cells
        return [
            Row("share", "Same chair, %", [share(s, r) for s, r in zip(same, reviews, strict=True)])
        ]
