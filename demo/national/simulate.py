"""Families through time: each family's conferences, children's plans, decisions, core groups and
episodes, simulated a family at a time (families are independent) and written as COPY rows.

A family arrives at its initial conference (pre-birth, transfer in, or inquorate and re-convened
now and then); the conference decides for each child; a plan's first review falls 3 months after
it starts and later reviews 6 months apart, until the review that ends it; reviews falling after
today are booked up to eight weeks ahead. A family whose plans have all ended may come back for
another initial conference later (repeat plans).
"""

import bisect
import random
from datetime import date

from demo.census import upn_for
from demo.national import shapes
from demo.national.calendar import FastCalendar
from demo.national.copying import Ids, Sink, array, flag, ref
from demo.national.reference import Reference
from rules.working_days import add_months

YEAR = 365.25
STARTS_TEXT = [f"{hour:02d}:{minute:02d}:00" for hour, minute in shapes.STARTS]
MULTIPLE_REASON = (
    "The concerns span more than one category and each needs its own part of the plan."
)
LATE_REASON = "The locality asked for the conference late; the first date the family could attend."
INQUORATE_REASON = "Only children's social care and one other agency attended."
ATTENDEES = "Social worker\\nParent\\nHealth visitor\\nSchool"
CORE_GROUP_ACTIONS = "Plan actions reviewed; dates agreed for the next steps."
REFERRAL_SOURCES = (("6", 30), ("2A", 20), ("3B", 8), ("3A", 7), ("5A", 10), ("1A", 10), ("8", 15))
CLOSURE_FOR_END = {"moved_away": "RC5"}
TZ = "Europe/London"


class Chooser:
    """A weighted choice by bisection: ``random.choices`` rebuilds its table every call."""

    def __init__(self, table):
        self.values = [value for value, _ in table]
        self.cumulative, total = [], 0.0
        for _, weight in table:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


SIZE = Chooser(shapes.FAMILY_SIZES)
OUTCOME = Chooser(shapes.INITIAL_OUTCOMES)
REVIEWS = Chooser(shapes.REVIEWS_TO_END)
END_REASON = Chooser(shapes.END_REASONS)
CATEGORY = Chooser(shapes.CATEGORIES)
FACTOR = Chooser(shapes.FACTORS)
ETHNICITY = Chooser(shapes.ETHNICITIES)
AGE_BAND = Chooser(shapes.AGE_BANDS)
ATTENDANCE = Chooser(shapes.ATTENDANCE)
MODE = Chooser(shapes.ATTENDANCE_MODES)
SOURCE = Chooser(REFERRAL_SOURCES)


class Kid:
    __slots__ = (
        "born",
        "categories",
        "elsewhere",
        "episodes",
        "ethnicity",
        "expected",
        "first_name",
        "id",
        "notified",
        "plans",
        "s47",
        "sex",
    )


class Plan:
    __slots__ = ("categories", "core_groups", "end", "end_reason", "id", "kid", "reviews", "start")


class Place:
    __slots__ = (
        "categories",
        "decision",
        "due",
        "end_reason",
        "factors",
        "kid",
        "next_review",
        "plan",
        "stage",
    )

    def __init__(self, kid, stage, due, decision="", plan=None):
        self.kid, self.stage, self.due, self.decision, self.plan = kid, stage, due, decision, plan
        self.categories, self.factors, self.end_reason, self.next_review = (), (), "", None


class Meeting:
    __slots__ = ("day", "held", "inquorate", "late", "places")

    def __init__(self, day, places, held, late=False, inquorate=False):
        self.day, self.places, self.held, self.late, self.inquorate = (
            day,
            places,
            held,
            late,
            inquorate,
        )


class National:
    """The whole history, from the warm-up year to ``until`` (today), at ``scale``."""

    def __init__(
        self, *, scale: float, until: date, seed: int, reference: Reference, fake, calendar
    ):
        self.rng = random.Random(seed)  # noqa: S311 - invented benchmark data, not security
        self.scale, self.ref = scale, reference
        self.first = date(shapes.FIRST_YEAR, 4, 1).toordinal()
        self.until = until.toordinal()
        self.cal = FastCalendar(date(shapes.FIRST_YEAR - 18, 1, 1), until, calendar)
        self.ids, self.sink = Ids(), Sink()
        self.surnames = sorted({fake.last_name() for _ in range(600)})
        self.first_names = sorted({fake.first_name() for _ in range(600)})
        self.families = 0

    def arrivals(self) -> list[int]:
        """Days of new families' first conferences, in order: each year's initial children
        at this scale, less those who come back (their later conferences count too)."""
        rng, days = self.rng, []
        mean_size = sum(s * w for s, w in shapes.FAMILY_SIZES) / sum(
            w for _, w in shapes.FAMILY_SIZES
        )
        for year, children in shapes.INITIAL_CHILDREN_A_YEAR.items():
            start = max(date(year, 4, 1).toordinal(), self.first)
            end = min(date(year + 1, 3, 31).toordinal(), self.until)
            if end < start:
                continue
            working = [d for d in range(start, end + 1) if self.cal.is_working(d)]
            share = (end - start + 1) / (date(year + 1, 4, 1).toordinal() - start)
            count = children * self.scale * share * (1 - shapes.RETURN_AFTER_END) / mean_size
            whole = int(count) + (rng.random() < count - int(count))
            days.extend(rng.choice(working) for _ in range(whole))
        return sorted(days)

    def run(self, progress=None) -> dict[str, int]:
        arrivals = self.arrivals()
        for number, day in enumerate(arrivals, start=1):
            self.family(day)
            if self.sink.pending > 200_000:
                self.sink.flush()
                if progress:
                    progress(number, len(arrivals))
        self.sink.flush()
        self.ids.set_sequences()
        return dict(self.sink.rows)

    # One family: its children, then each episode of conferences until no one comes back.

    def family(self, first_day: int) -> None:
        rng, ref = self.rng, self.ref
        family_id = self.ids.take("conferences.Family")
        locality = rng.randrange(len(ref.localities))
        own_chair = rng.choice(ref.chairs_of_locality[locality])
        social_worker = rng.choice(ref.social_workers[locality])
        size = SIZE(rng)
        roll = rng.random()
        kind = (
            "receiving_in"
            if roll < shapes.RECEIVING_IN_SHARE
            else "pre_birth"
            if roll < shapes.RECEIVING_IN_SHARE + shapes.PRE_BIRTH_SHARE
            else "initial"
        )
        ethnicity = ETHNICITY(rng)
        categories = CATEGORY(rng)
        kids = []
        for number in range(size):
            kid = Kid()
            kid.id = self.ids.take("conferences.Child")
            kid.first_name = rng.choice(self.first_names)
            kid.ethnicity = (
                ethnicity if rng.random() < shapes.SIBLINGS_SHARE_ETHNICITY else ETHNICITY(rng)
            )
            kid.categories = (
                categories if rng.random() < shapes.SIBLINGS_SHARE_CATEGORY else CATEGORY(rng)
            )
            kid.s47 = kid.notified = None
            kid.elsewhere = int(rng.random() < shapes.PLANS_ELSEWHERE_SHARE)
            kid.episodes, kid.plans = [], []
            if kind == "pre_birth" and number == 0:
                kid.expected = first_day + rng.randint(14, 120)
                kid.born = kid.expected + rng.randint(-14, 7)
            else:
                youngest, oldest = AGE_BAND(rng)
                age = rng.randint(youngest * 365, oldest * 365 + 364)
                kid.expected, kid.born = None, first_day - max(age, 20)
            kid.sex = "U" if kid.born > self.until else ("M" if rng.random() < 0.51 else "F")
            kids.append(kid)
        meetings: list[Meeting] = []
        day, episode_kind, present = first_day, kind, kids
        while True:
            ended_on = self.episode(day, present, episode_kind, meetings)
            if ended_on is None or rng.random() >= shapes.RETURN_AFTER_END:
                break
            day = ended_on + rng.randint(*shapes.RETURN_GAP_DAYS)
            if day > self.until:
                break
            day = self.cal.on_or_after(day)
            present = [k for k in kids if k.born <= day and day - k.born < 17 * YEAR]
            if day > self.until or not present:
                break
            episode_kind = "initial"
        self.write(family_id, first_day, kids, meetings, locality, own_chair, social_worker)
        self.families += 1

    def episode(self, day: int, kids: list[Kid], kind: str, meetings: list[Meeting]):
        """An initial conference and the plans it starts, to the review that ends the last
        one. Returns the day the episode ended, or None if it is still going on."""
        rng, cal = self.rng, self.cal
        if kind == "receiving_in":
            notified = cal.add(day, -rng.randint(5, 18))
            s47, due = None, cal.add(notified, 15)
        else:
            notified = None
            s47 = cal.add(day, -rng.randint(6, 18))  # within 15 working days about 77% of the time
            due = cal.add(s47, 15)
        for kid in kids:
            kid.s47 = s47 or kid.s47
            kid.notified = notified or kid.notified

        def stage_of(kid: Kid, on: int) -> str:
            if kind == "receiving_in":
                return "receiving_in"
            return "pre_birth" if kid.born > on else "initial"

        deciding_day = day
        if kind != "receiving_in" and rng.random() < shapes.INQUORATE_SHARE:
            places = [Place(kid, stage_of(kid, day), due, "adjourned") for kid in kids]
            meetings.append(Meeting(day, places, day <= self.until, inquorate=True))
            deciding_day = cal.add(day, rng.randint(5, 10))
        if deciding_day > self.until:
            if deciding_day <= self.until + shapes.UPCOMING_DAYS:
                stage = "reconvened" if deciding_day != day else None
                places = [Place(k, stage or stage_of(k, day), due) for k in kids]
                meetings.append(Meeting(deciding_day, places, held=False))
            return None
        outcome = OUTCOME(rng)
        places, planned = [], []
        for kid in kids:
            stage = "reconvened" if deciding_day != day else stage_of(kid, day)
            decision = outcome
            if outcome == "plan" and len(kids) > 1 and rng.random() < shapes.SIBLING_LEFT_OUT:
                decision = "child_in_need"
            place = Place(kid, stage, due if stage != "reconvened" else cal.add(day, 10), decision)
            if decision == "plan":
                plan = Plan()
                plan.id = self.ids.take("conferences.ChildProtectionPlan")
                plan.kid, plan.start, plan.end, plan.end_reason = kid, deciding_day, None, ""
                plan.categories, plan.core_groups = kid.categories, []
                plan.reviews = REVIEWS(rng)
                place.plan, place.categories, place.factors = plan, kid.categories, FACTOR(rng)
                kid.plans.append(plan)
                planned.append(plan)
            places.append(place)
            self.open_episode(kid, s47, notified, deciding_day, due)
        meetings.append(Meeting(deciding_day, places, True))
        if planned and rng.random() < shapes.SIBLINGS_END_TOGETHER:
            for plan in planned[1:]:
                plan.reviews = planned[0].reviews
        ended = self.reviews(deciding_day, planned, meetings, places)
        for kid in kids:
            episode = kid.episodes[-1]
            plan = next((p for p in planned if p.kid is kid), None)
            if plan is None:
                episode[6], episode[7] = deciding_day, "RC7"
            elif plan.end is not None:
                episode[6], episode[7] = plan.end, CLOSURE_FOR_END.get(plan.end_reason, "RC7")
        return ended

    def open_episode(self, kid: Kid, s47, notified, decided: int, target) -> None:
        rng = self.rng
        referral = (s47 or notified or decided) - rng.randint(1, 10)
        if kid.episodes and referral <= (kid.episodes[-1][6] or decided):
            referral = kid.episodes[-1][6] + 1
        if kid.born > self.until or kid.born > decided:
            referral = max(referral, (kid.expected or kid.born) - 280 + 1)
        if s47 is not None:
            s47 = max(s47, referral)
        # referral, source, s47, target, assessment started, authorised, closed, reason
        assessed = None if notified else referral
        kid.episodes.append(
            [
                referral,
                SOURCE(rng),
                s47,
                target if s47 else None,
                assessed,
                decided if assessed else None,
                None,
                "",
            ]
        )

    def reviews(self, start: int, planned: list[Plan], meetings, places) -> int | None:
        """Review conferences until every plan has ended; None if one is still open."""
        rng, cal = self.rng, self.cal
        previous = {place.kid: place for place in places if place.plan}
        held_on, number = start, 1
        while True:
            open_plans = [plan for plan in planned if plan.end is None]
            if not open_plans:
                return held_on
            months = 3 if number == 1 else 6
            due = add_months(date.fromordinal(held_on), months).toordinal()
            late = rng.random() >= shapes.REVIEW_ON_TIME
            day = (
                cal.on_or_after(due + rng.randint(1, 20))
                if late
                else cal.on_or_before(due - rng.randint(0, 14))
            )
            day = max(day, cal.add(held_on, 5))
            late = day > due
            stage = "first_review" if number == 1 else "review"
            if day > self.until:
                if day <= self.until + shapes.UPCOMING_DAYS:
                    meeting_places = [Place(p.kid, stage, due, plan=p) for p in open_plans]
                    meetings.append(Meeting(day, meeting_places, held=False))
                for plan in open_plans:
                    previous[plan.kid].next_review = day
                return None
            meeting_places = []
            for plan in open_plans:
                kid = plan.kid
                place = Place(kid, stage, due, plan=plan)
                previous[kid].next_review = day
                if plan.reviews <= number:
                    place.decision = "plan_ends"
                    plan.end, plan.end_reason = day, END_REASON(rng)
                else:
                    place.decision = "plan_continues"
                    if rng.random() < shapes.CATEGORY_CHANGES_AT_REVIEW:
                        plan.categories = CATEGORY(rng)
                    place.categories = plan.categories
                    previous[kid] = place
                meeting_places.append(place)
            meetings.append(Meeting(day, meeting_places, True, late=late))
            held_on, number = day, number + 1

    def write(self, family_id, first_day, kids, meetings, locality, own_chair, social_worker):
        rng, ref, cal, sink, ids = self.rng, self.ref, self.cal, self.sink, self.ids
        iso = cal.iso
        surname = rng.choice(self.surnames)
        sink.add(
            "conferences.Family",
            (str(family_id), surname, f"{iso(first_day - 14)} 11:00:00 {TZ}", "f", "1"),
        )
        for kid in kids:
            unborn = kid.born > self.until
            born = None if unborn else kid.born
            old_enough = born is not None and self.until - born >= 6 * YEAR
            sink.add(
                "conferences.Child",
                (
                    str(kid.id),
                    str(family_id),
                    f"NAT{kid.id:09d}",
                    "" if unborn else kid.first_name,
                    surname,
                    iso(born),
                    iso(kid.expected),
                    kid.sex,
                    kid.ethnicity,
                    "{}",
                    "English",
                    str(ref.localities[locality]),
                    str(social_worker),
                    iso(kid.s47),
                    iso(kid.notified),
                    str(kid.elsewhere),
                    upn_for(kid.id) if old_enough else "",
                    "" if old_enough else ("UN6" if unborn else "UN1"),
                    "f",
                    "f",
                    "1",
                ),
            )
            for episode in kid.episodes:
                referral, source, s47, target, assessed, authorised, closed, reason = episode
                sink.add(
                    "conferences.CinEpisode",
                    (
                        str(ids.take("conferences.CinEpisode")),
                        str(kid.id),
                        iso(referral),
                        source,
                        "N1",
                        iso(s47),
                        iso(target),
                        "f",
                        iso(assessed),
                        iso(authorised),
                        "{}",
                        iso(closed),
                        reason,
                        "1",
                    ),
                )
            for plan in kid.plans:
                sink.add(
                    "conferences.ChildProtectionPlan",
                    (
                        str(plan.id),
                        str(kid.id),
                        iso(plan.start),
                        iso(plan.end),
                        plan.end_reason,
                        array(plan.categories),
                        "",
                        "",
                        "{}",
                        "1",
                    ),
                )
                self.write_core_groups(plan)
        chairs = ref.chairs_of_locality[locality]
        for meeting in meetings:
            chair = (
                own_chair
                if rng.random() < shapes.CHAIR_CONTINUITY
                else rng.choice(chairs if rng.random() < 0.7 else ref.chairs)
            )
            self.write_meeting(family_id, meeting, locality, chair, social_worker)

    def write_core_groups(self, plan: Plan) -> None:
        rng, cal = self.rng, self.cal
        last = min(plan.end or self.until, self.until)
        day = cal.add(plan.start, rng.randint(3, 12))
        first = None
        while day < last or (plan.end is None and day <= last):
            first = first or day
            self.sink.add(
                "conferences.CoreGroupMeeting",
                (
                    str(self.ids.take("conferences.CoreGroupMeeting")),
                    str(plan.kid.id),
                    str(plan.id),
                    cal.iso(day),
                    ATTENDEES,
                    CORE_GROUP_ACTIONS,
                    str(rng.choice(self.ref.clerks)),
                ),
            )
            day = cal.add(day, rng.randint(*shapes.CORE_GROUP_GAP_WORKING_DAYS))
        plan.core_groups = first

    def write_meeting(self, family_id, meeting, locality, chair, social_worker) -> None:
        rng, ref, cal, sink, ids = self.rng, self.ref, self.cal, self.sink, self.ids
        iso = cal.iso
        day = meeting.day
        venue = str(rng.choice(ref.venues[locality]))
        clerk = str(rng.choice(ref.clerks))
        rebooked_from = None
        roll = rng.random()
        if meeting.held and roll < shapes.POSTPONED_SHARE + shapes.CANCELLED_SHARE:
            postponed = roll < shapes.POSTPONED_SHARE
            earlier = cal.add(day, -rng.randint(3, 12) if postponed else -rng.randint(15, 30))
            booking = ids.take("conferences.Conference")
            self.conference_row(
                booking,
                family_id,
                earlier,
                venue,
                chair,
                "postponed" if postponed else "cancelled",
                clerk,
                reason=rng.choice(ref.postponement_reasons),
            )
            for place in meeting.places:
                sink.add(
                    "conferences.ConferenceChild",
                    (
                        str(ids.take("conferences.ConferenceChild")),
                        str(booking),
                        str(place.kid.id),
                        place.stage,
                        iso(place.due),
                    ),
                )
            rebooked_from = booking if postponed else None
        conference = ids.take("conferences.Conference")
        self.conference_row(
            conference,
            family_id,
            day,
            venue,
            chair,
            "held" if meeting.held else "booked",
            clerk,
            rebooked_from=rebooked_from,
            late=any(p.due is not None and day > p.due for p in meeting.places),
        )
        place_ids = []
        for place in meeting.places:
            place_id = ids.take("conferences.ConferenceChild")
            place_ids.append(place_id)
            sink.add(
                "conferences.ConferenceChild",
                (str(place_id), str(conference), str(place.kid.id), place.stage, iso(place.due)),
            )
        self.invitations(conference, meeting, locality, social_worker)
        if not meeting.held:
            return
        record = ids.take("conferences.ConferenceRecord")
        signed = f"{iso(cal.add(day, rng.choice((0, 0, 1, 1, 2))))} 16:30:00 {TZ}"
        letter = cal.add(day, 1 if rng.random() < 0.92 else rng.randint(2, 4))
        distributed = cal.add(
            day, rng.randint(4, 14) if rng.random() < 0.85 else rng.randint(16, 30)
        )
        sink.add(
            "conferences.ConferenceRecord",
            (
                str(record),
                str(conference),
                "finalised",
                flag(rng.random() < 0.9),
                INQUORATE_REASON if meeting.inquorate else "",
                "",
                "",
                signed,
                str(chair),
                iso(letter),
                iso(distributed),
                signed,
                "1",
            ),
        )
        for place, place_id in zip(meeting.places, place_ids, strict=True):
            keeps_plan = place.decision in ("plan", "plan_continues")
            first_core_group = (
                place.plan.core_groups if place.decision == "plan" and place.plan else None
            )
            next_review = place.next_review
            if keeps_plan and next_review is None:
                next_review = add_months(date.fromordinal(day), 3).toordinal()
            sink.add(
                "conferences.ChildDecision",
                (
                    str(ids.take("conferences.ChildDecision")),
                    str(record),
                    str(place_id),
                    place.decision,
                    place.plan.end_reason if place.decision == "plan_ends" else "",
                    array(place.categories) if keeps_plan else "{}",
                    MULTIPLE_REASON if keeps_plan and len(place.categories) > 1 else "",
                    array(place.factors) if place.decision == "plan" else "{}",
                    iso(next_review) if keeps_plan else "\\N",
                    iso(first_core_group),
                ),
            )

    def conference_row(
        self,
        pk,
        family_id,
        day,
        venue,
        chair,
        status,
        clerk,
        *,
        reason=None,
        rebooked_from=None,
        late=False,
    ) -> None:
        rng, cal = self.rng, self.cal
        iso = cal.iso
        held = status == "held"
        family_report = chair_report = None
        family_missing = chair_missing = False
        if held:
            family_missing = rng.random() < shapes.REPORT_NOT_RECEIVED
            chair_missing = rng.random() < shapes.REPORT_NOT_RECEIVED
            family_report = None if family_missing else cal.add(day, -rng.randint(0, 4))
            chair_report = None if chair_missing else cal.add(day, -rng.randint(0, 4))
        booked = min(day - rng.randint(10, 40), self.until)
        self.sink.add(
            "conferences.Conference",
            (
                str(pk),
                str(family_id),
                f"{iso(day)} {rng.choice(STARTS_TEXT)} {TZ}",
                "120",
                venue,
                str(chair),
                status,
                "f",
                LATE_REASON if late else "",
                ref(rebooked_from),
                ref(reason),
                "",
                iso(family_report),
                flag(family_missing),
                iso(chair_report),
                flag(chair_missing),
                clerk,
                f"{iso(booked)} 11:00:00 {TZ}",
                "1",
            ),
        )

    def invitations(self, conference: int, meeting: Meeting, locality: int, social_worker) -> None:
        rng, cal, ids = self.rng, self.cal, self.ids
        partners = self.ref.partners[locality]
        day = meeting.day
        ages = [day - place.kid.born for place in meeting.places]
        agencies = ["police", "gp"]
        agencies.append("health_visitor" if min(ages) < 5 * YEAR else "school_nurse")
        if max(ages) >= 4 * YEAR:
            agencies.append("school")
        if max(ages) < 0:
            agencies.append("midwife")
        invited = [social_worker] + [rng.choice(partners[agency]) for agency in agencies]
        sent = cal.iso(min(day - rng.randint(8, 20), self.until))
        for professional in invited:
            if meeting.held:
                attendance = ATTENDANCE(rng)
                mode = MODE(rng) if attendance == "attended" else ""
                report = attendance != "absent" and rng.random() < 0.75
                report_on = cal.iso(cal.add(day, -rng.randint(1, 5))) if report else "\\N"
                agreed = flag(rng.random() < 0.8) if report else "\\N"
            else:
                attendance, mode, report_on, agreed = "", "", "\\N", "\\N"
            self.sink.add(
                "conferences.Invitation",
                (
                    str(ids.take("conferences.Invitation")),
                    str(conference),
                    str(professional),
                    sent,
                    attendance,
                    mode,
                    report_on,
                    agreed,
                ),
            )
