"""Step 7, the Signs of Safety prototype's parent and agency questionnaires (5.4)."""

import hashlib
from datetime import date, time, timedelta

from conferences.choices import AgencyKind, Attendance, Stage
from conferences.models import Invitation
from conferences.questionnaires.models import FeedbackLink, FeedbackResponse, Respondent
from demo.history.in_memory import History, meetings_2014_15
from demo.history.reference import Rows
from demo.history.targets import aware

PARENT_ANSWERS = {  # Table 7: responses per answer, 1 (not at all) to 5 (completely)
    "prepared": (3, 11, 13, 19, 14),
    "chair_helped": (0, 6, 4, 18, 32),
    "clear_language": (0, 4, 4, 18, 34),  # the report's 37% "A lot" cannot add up; 18 of 60
    "involved": (0, 4, 12, 16, 28),
    "understood_result": (0, 3, 7, 14, 36),
}
AGENCY_ANSWERS = {  # Table 8
    "clarity_concerns": (2, 2, 2, 3, 2),
    "clarity_strengths": (2, 2, 3, 2, 2),
    "wall": (1, 2, 3, 3, 2),
    "plan_clear_family": (1, 2, 4, 3, 1),
    "plan_clear_professionals": (2, 1, 4, 4, 0),
    "changed_view": (5, 3, 1, 2, 0),
}
PARENT_COMMENTS = (
    "It's better on the wall as you can read what's said and if you forget, you can look at it.",
    "It's better this way, more clearer.",
    "Better on the wall, could prepare well, seeing the past shocked me.",
    "Better being able to read what people have said, can see all the positives.",
)
AGENCY_COMMENTS = (
    "This is a complex and enduring case that the format was unable to bring improved clarity to.",
    "It was clearly difficult for the Chair to write on the wall and chair the meeting.",
    "I feel that the new format is far clearer for the family and far more inclusive.",
)
PROTOTYPE = ("Hinckley", date(2014, 9, 1), date(2014, 12, 19))  # Signs of Safety reviews (5.4.1)


def _answers(rng, table: dict[str, tuple], respondents: int) -> list[dict[str, int]]:
    """Each question's answers exactly as the table counts them, given to respondents in order
    of how well the conference went for them, so each one's answers hang together."""
    mood = sorted(range(respondents), key=lambda _: rng.random())
    answers = [{} for _ in range(respondents)]
    for question, counts in table.items():
        values = [answer for answer, n in enumerate(counts, start=1) for _ in range(n)]
        order = sorted(range(respondents), key=lambda r: mood[r] + rng.random() * 8)
        for respondent, value in zip(order, values, strict=True):
            answers[respondent][question] = value
    return answers


def _token(kind: str, number: int) -> str:
    return hashlib.sha256(f"demo-history:{kind}:{number}".encode()).hexdigest()


def write_questionnaires(history: History, rows: Rows, invitations: list[Invitation]) -> None:
    """The Signs of Safety prototype (5.4, Tables 7 and 8): 60 parents' answers from 34 review
    conferences in one locality, September to December 2014, given on the chair's tablet after
    the meeting; 11 agency answers online after the three-month evaluation."""
    rng = history.rng
    locality, first, last = PROTOTYPE
    reviews = [
        m
        for m in meetings_2014_15(history)
        if first <= m.held_on <= last
        and m.household.locality == locality
        and m.stages <= {Stage.FIRST_REVIEW, Stage.REVIEW}
    ]
    conferences = sorted(rng.sample(reviews, 34), key=lambda m: m.held_on)
    parents = [m for n, m in enumerate(conferences) for _ in range(2 if n < 26 else 1)]  # 60
    links, responses = [], []
    for number, (meeting, answers) in enumerate(
        zip(parents, _answers(rng, PARENT_ANSWERS, len(parents)), strict=True)
    ):
        opened = aware(meeting.held_on, meeting.starts_at) + timedelta(hours=2)
        link = FeedbackLink(
            token_hash=_token("parent", number),
            respondent=Respondent.PARENT,
            conference=meeting.row,
            created_at=opened,
            expires_at=opened + timedelta(hours=2),
            used_at=opened + timedelta(minutes=10),
        )
        links.append(link)
        responses.append(
            FeedbackResponse(
                respondent=Respondent.PARENT,
                conference=meeting.row,
                link=link,
                answers=answers,
                comments=PARENT_COMMENTS[number // 15] if number % 15 == 0 else "",
                submitted_at=link.used_at,
            )
        )
    rows_of = {m.row.pk for m in conferences}
    attended = [
        i
        for i in invitations
        if i.conference_id in rows_of
        and i.attendance == Attendance.ATTENDED
        and i.professional.agency.kind != AgencyKind.CHILDRENS_SOCIAL_CARE
    ]
    sent = aware(date(2015, 1, 5), time(9, 0))
    for number, (invitation, answers) in enumerate(
        zip(rng.sample(attended, 11), _answers(rng, AGENCY_ANSWERS, 11), strict=True)
    ):
        link = FeedbackLink(
            token_hash=_token("agency", number),
            respondent=Respondent.AGENCY,
            conference_id=invitation.conference_id,
            invitation=invitation,
            created_at=sent,
            expires_at=sent + timedelta(days=14),
            used_at=sent + timedelta(days=rng.randint(0, 10), hours=rng.randint(1, 7)),
        )
        links.append(link)
        responses.append(
            FeedbackResponse(
                respondent=Respondent.AGENCY,
                conference_id=invitation.conference_id,
                link=link,
                answers=answers,
                comments=AGENCY_COMMENTS[number // 4] if number % 4 == 0 else "",
                submitted_at=link.used_at,
            )
        )
    FeedbackLink.objects.bulk_create(links)
    FeedbackResponse.objects.bulk_create(responses)
