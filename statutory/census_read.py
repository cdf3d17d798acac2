"""Reading a DfE children in need census file: parsed only with defusedxml (no DTDs, entities
or external references) after a size check, and every child checked, every problem collected
with the element it is about. Nothing here writes."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings

from conferences.cases.census_codes import (
    LA_CHILD_ID,
    ClosureReason,
    PrimaryNeed,
    ReferralSource,
    UpnUnknown,
    factors_problem,
    upn_problem,
)
from conferences.choices import AssessmentFactor, Disability, Ethnicity, PlanCategory, Sex
from config.services import Refused
from statutory.census_contents import CHILD, MESSAGE, unread

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CATEGORIES = [*PlanCategory.values, "MUL"]
# Each code list made once (a choices class makes its list afresh each time it is asked).
CODES = {
    choices: tuple(choices.values)
    for choices in (
        UpnUnknown,
        Sex,
        Ethnicity,
        Disability,
        ReferralSource,
        PrimaryNeed,
        ClosureReason,
        AssessmentFactor,
    )
}
FLAGS = {"0": False, "false": False, "1": True, "true": True}
NOT_KNOWN = {"sex": Sex.UNKNOWN, "ethnicity": Ethnicity.NOBT}


@dataclass(frozen=True)
class Problem:
    """Why a file was refused. ``child`` is the LAchildID ("" for the file as a whole, or a child
    without a usable ID); ``where`` is the element's path; no other personal data is given."""

    child: str
    where: str
    message: str

    def __str__(self) -> str:
        who = f"LAchildID {self.child}, " if self.child else ""
        return f"{who}{self.where}: {self.message}"


@dataclass(frozen=True)
class NotStored(Problem):
    """Something in the file the import does not store, listed in its report so that nothing is
    dropped silently; named as a problem is, by LAchildID and path, never by its value."""


class CensusRefused(Refused):
    """The file has problems; nothing was imported. The one refusal, with each problem kept
    whole (child and place in the file) for the import's report."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"The census file was refused with {len(problems)} problem(s)")
        self.problems = problems


def max_bytes() -> int:
    return settings.CONVENE_CENSUS_MAX_BYTES


@dataclass
class PlanRow:
    where: str
    started_on: date
    values: dict
    previous_plans: int | None


@dataclass
class EpisodeRow:
    where: str
    referral_on: date
    is_no_further_action: bool
    values: dict
    plans: list[PlanRow]


@dataclass
class ChildRow:
    local_case_id: str
    values: dict
    when_created: dict  # "not known" answers: given to a new child, never to a known one
    episodes: list[EpisodeRow]

    @property
    def plans(self) -> list[PlanRow]:
        return [plan for episode in self.episodes for plan in episode.plans]


@dataclass
class CensusFile:
    children: list[ChildRow]
    not_stored: list[NotStored]
    year: tuple[date, date] | None  # the census year's first and last days, from ReferenceDate

    def is_in_year(self, day: date) -> bool:
        """Whether a date is in the file's census year; with no year known, every date is."""
        return self.year is None or self.year[0] <= day <= self.year[1]


def file_problem(message: str, where: str = "Message") -> Problem:
    return Problem(child="", where=where, message=message)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def read_census(data: bytes) -> CensusFile:
    limit = max_bytes()
    if len(data) > limit:
        raise CensusRefused(
            [file_problem(f"The file is larger than the {_size(limit)} a census file may be.")]
        )
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise CensusRefused(
            [
                file_problem(
                    "The file declares a document type or entities (<!DOCTYPE ...>), which a "
                    "census file never does, so it was not read. Export the census again."
                )
            ]
        ) from None
    except ParseError as error:
        line, column = error.position
        raise CensusRefused(
            [
                file_problem(
                    "The file is not complete, well-formed XML (it may be cut short, or not a "
                    f"census file at all): reading stopped at line {line}, column {column}."
                )
            ]
        ) from None
    if root.tag != "Message":
        raise CensusRefused(
            [file_problem("This is not a census file: its outer element must be <Message>.")]
        )
    problems, notes = [], []
    unread(_Reader("", "", problems, notes), root, MESSAGE, "Message/")
    if (root.findtext("Header/CollectionDetails/Collection") or "").strip() != "CIN":
        problems.append(
            file_problem(
                "This is not a children in need census file: Collection must be CIN.",
                "Message/Header/CollectionDetails/Collection",
            )
        )
    listed = root.find("Children")
    if listed is None:
        problems.append(file_problem("The file has no Children element.", "Message/Children"))
    rows, seen = [], set()
    children = listed.findall("Child") if listed is not None else []
    for position, element in enumerate(children, start=1):
        rows.append(_read_child(element, position, problems, notes, seen))
    if problems:
        raise CensusRefused(problems)
    return CensusFile(rows, notes, _census_year(root))


def _census_year(root: Element) -> tuple[date, date] | None:
    """The year ending on the file's ReferenceDate (the last day of the census year)."""
    raw = (root.findtext("Header/CollectionDetails/ReferenceDate") or "").strip()
    try:
        last = date.fromisoformat(raw) if ISO_DATE.fullmatch(raw) else None
    except ValueError:
        last = None
    if last is None or (last.month, last.day) == (2, 29):
        return None
    return date(last.year - 1, last.month, last.day) + timedelta(days=1), last


class _Reader:
    """Reads one child's elements, noting every problem instead of stopping at the first."""

    def __init__(self, child: str, prefix: str, problems: list[Problem], notes: list[NotStored]):
        self.child, self.prefix, self.problems, self.notes = child, prefix, problems, notes
        self.count = 0

    def problem(self, where: str, message: str) -> None:
        self.count += 1
        self.problems.append(Problem(self.child, self.prefix + where, message))

    def note(self, where: str, message: str) -> None:
        self.notes.append(NotStored(self.child, self.prefix + where, message))

    @staticmethod
    def text(parent: Element, tag: str) -> str:
        return (parent.findtext(tag) or "").strip()

    def parse_date(self, raw: str, where: str, what: str, *, required=False) -> date | None:
        if not raw:
            if required:
                self.problem(where, f"{what} is missing: give it as yyyy-mm-dd.")
            return None
        if ISO_DATE.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        self.problem(where, f"{what} is not a real date in the form yyyy-mm-dd.")
        return None

    def date(self, parent, tag, where, what, *, required=False) -> date | None:
        return self.parse_date(self.text(parent, tag), where + tag, what, required=required)

    def code(self, raw, where, what, codes, *, required=False, hint="") -> str | None:
        if not raw:
            if required:
                self.problem(where, f"{what} is missing.")
            return None
        if raw not in codes:
            self.problem(where, f"{what} is not a census code: use {hint or ', '.join(codes)}.")
            return None
        return raw

    def flag(self, parent, tag, where, what) -> bool:
        raw = self.text(parent, tag).lower()
        if raw and raw not in FLAGS:
            self.problem(where + tag, f"{what} must be 0 or 1 (or false or true).")
        return FLAGS.get(raw, False)


def _section(parent: Element, tag: str) -> Element:
    """A child element, or an empty one so that what it lacks is reported field by field."""
    found = parent.find(tag)
    return found if found is not None else Element(tag)


def _read_child(
    element: Element, position: int, problems: list, notes: list, seen: set
) -> ChildRow:
    identifiers = _section(element, "ChildIdentifiers")
    local_case_id = _Reader.text(identifiers, "LAchildID")
    if LA_CHILD_ID.fullmatch(local_case_id):
        reader = _Reader(local_case_id, "", problems, notes)
        if local_case_id in seen:
            reader.problem(
                "ChildIdentifiers/LAchildID",
                "This child appears more than once: list each child once, with all their "
                "CINdetails.",
            )
        seen.add(local_case_id)
    else:
        reader = _Reader("", f"Message/Children/Child[{position}]/", problems, notes)
        reader.problem(
            "ChildIdentifiers/LAchildID",
            "The LAchildID is missing or is not 1 to 20 letters and digits.",
        )
    unread(reader, element, CHILD, "")
    values, when_created = _child_values(reader, identifiers, element)
    episodes = [
        _read_episode(reader, episode, f"CINdetails[{number}]/")
        for number, episode in enumerate(element.findall("CINdetails"), start=1)
    ]
    if not episodes:
        reader.problem("CINdetails", "The child has no CINdetails: each child needs at least one.")
    episodes = [episode for episode in episodes if episode is not None]
    _check_unique(
        reader, [(e.referral_on, e.where + "CINreferralDate") for e in episodes], "referral"
    )
    plans = [plan for episode in episodes for plan in episode.plans]
    _check_unique(reader, [(p.started_on, p.where + "CPPstartDate") for p in plans], "plan start")
    return ChildRow(local_case_id, values, when_created, episodes)


def _check_unique(reader: _Reader, keyed: list, what: str) -> None:
    seen = set()
    for key, where in keyed:
        if key is not None and key in seen:
            reader.problem(where, f"Another entry for this child has the same {what} date.")
        seen.add(key)


def _child_values(reader: _Reader, identifiers: Element, element: Element):
    values, where = {}, "ChildIdentifiers/"
    upn, reason = reader.text(identifiers, "UPN"), reader.text(identifiers, "UPNunknown")
    if upn and reason:
        reader.problem(where + "UPN", "Give either a UPN or UPNunknown, not both.")
    elif upn:
        wrong = upn_problem(upn)
        if wrong:
            reader.problem(where + "UPN", f"{wrong}.")
        values |= {"upn": upn, "upn_unknown_reason": ""}
    elif reason:
        reason = reader.code(reason, where + "UPNunknown", "UPNunknown", CODES[UpnUnknown])
        values |= {"upn": "", "upn_unknown_reason": reason}
    born = reader.date(identifiers, "PersonBirthDate", where, "The date of birth")
    expected = reader.date(identifiers, "ExpectedPersonBirthDate", where, "The expected date")
    if not (_has(identifiers, "PersonBirthDate") or _has(identifiers, "ExpectedPersonBirthDate")):
        reader.problem(
            where + "PersonBirthDate",
            "Give PersonBirthDate, or ExpectedPersonBirthDate for an unborn child.",
        )
    values |= {"date_of_birth": born} if born else {}
    values |= {"expected_date_of_birth": expected} if expected else {}
    died = reader.date(identifiers, "PersonDeathDate", where, "The date of death")
    if died and born and died < born:
        reader.problem(where + "PersonDeathDate", "The date of death is before the birth date.")
    values |= {"date_of_death": died} if died else {}
    raw_sex = reader.text(identifiers, "Sex")
    sex = reader.code(raw_sex, where + "Sex", "Sex", CODES[Sex], required=True)
    characteristics = _section(element, "ChildCharacteristics")
    ethnicity = reader.code(
        reader.text(characteristics, "Ethnicity"),
        "ChildCharacteristics/Ethnicity",
        "Ethnicity",
        CODES[Ethnicity],
        required=True,
    )
    chosen = {"sex": sex, "ethnicity": ethnicity}
    when_created = {name: code for name, code in chosen.items() if code == NOT_KNOWN[name]}
    values |= {name: code for name, code in chosen.items() if code and name not in when_created}
    disabilities = characteristics.find("Disabilities")
    if disabilities is not None:
        values["disabilities"] = _disabilities(reader, disabilities)
    return values, when_created


def _has(parent: Element, tag: str) -> bool:
    """Whether the element is there with something in it."""
    return bool(_Reader.text(parent, tag))


def _disabilities(reader: _Reader, listed: Element) -> list[str]:
    codes = []
    for number, element in enumerate(listed.findall("Disability"), start=1):
        where = f"ChildCharacteristics/Disabilities/Disability[{number}]"
        code = reader.code((element.text or "").strip(), where, "Disability", CODES[Disability])
        if code and code not in codes:
            codes.append(code)
    if Disability.NONE in codes and len(codes) > 1:
        reader.problem(
            "ChildCharacteristics/Disabilities", "NONE cannot be given with other disabilities."
        )
    # Convene records "no disability" as an empty list; the export writes it back as NONE.
    return [code for code in codes if code != Disability.NONE]


def _read_episode(reader: _Reader, element: Element, where: str) -> EpisodeRow | None:
    before = reader.count
    referral = reader.date(element, "CINreferralDate", where, "The referral date", required=True)
    no_further_action = reader.flag(element, "ReferralNFA", where, "ReferralNFA")
    values = {
        "referral_source": reader.code(
            reader.text(element, "ReferralSource"),
            where + "ReferralSource",
            "The referral source",
            CODES[ReferralSource],
            required=not no_further_action,
        ),
        "primary_need": reader.code(
            reader.text(element, "PrimaryNeedCode"),
            where + "PrimaryNeedCode",
            "The primary need",
            CODES[PrimaryNeed],
            required=not no_further_action,
        ),
    }
    closed = reader.date(element, "CINclosureDate", where, "The closure date")
    reason = reader.code(
        reader.text(element, "ReasonForClosure"),
        where + "ReasonForClosure",
        "The reason for closure",
        CODES[ClosureReason],
    )
    if _has(element, "CINclosureDate") != _has(element, "ReasonForClosure"):
        reader.problem(
            where + "CINclosureDate", "Give both the closure date and the reason, or neither."
        )
    elif closed and referral and closed < referral:
        reader.problem(where + "CINclosureDate", "The episode closes before its referral date.")
    elif closed and reason:
        values |= {"closed_on": closed, "closure_reason": reason}
    transfer_icpc = reader.date(
        element, "DateOfInitialCPC", where, "The initial conference date (transfer in)"
    )
    values |= _assessment(reader, element.find("Assessments"), where + "Assessments/", referral)
    values |= _section47(reader, element.find("Section47"), where + "Section47/", referral)
    if values.get("imported_icpc_on") is None:
        values["imported_icpc_on"] = transfer_icpc
    elif transfer_icpc and transfer_icpc != values["imported_icpc_on"]:
        reader.note(
            where + "DateOfInitialCPC",
            "The Section47 gives another initial conference date, which is the one stored: "
            "this one was not.",
        )
    plans = [
        _read_plan(reader, plan, f"{where}ChildProtectionPlans[{number}]/")
        for number, plan in enumerate(element.findall("ChildProtectionPlans"), start=1)
    ]
    if no_further_action and plans:
        reader.problem(
            where + "ReferralNFA", "A referral with no further action cannot have plans."
        )
    if reader.count > before:
        return None
    values = {name: value for name, value in values.items() if value is not None}
    return EpisodeRow(where, referral, no_further_action, values, plans)


def _assessment(reader: _Reader, element: Element | None, where: str, referral) -> dict:
    if element is None:
        return {}
    started = reader.date(
        element, "AssessmentActualStartDate", where, "The assessment start", required=True
    )
    authorised = reader.date(
        element, "AssessmentAuthorisationDate", where, "The assessment authorisation"
    )
    if started and referral and started < referral:
        reader.problem(
            where + "AssessmentActualStartDate", "The assessment starts before the referral."
        )
    if started and authorised and authorised < started:
        reader.problem(
            where + "AssessmentAuthorisationDate", "The assessment is authorised before it starts."
        )
    factors = []
    for number, listed in enumerate(
        element.findall("FactorsIdentifiedAtAssessment/AssessmentFactors"), start=1
    ):
        code = reader.code(
            (listed.text or "").strip(),
            f"{where}FactorsIdentifiedAtAssessment/AssessmentFactors[{number}]",
            "The assessment factor",
            CODES[AssessmentFactor],
            hint="one of the census's factor codes (1A to 24A)",
        )
        if code and code not in factors:
            factors.append(code)
    if problem := factors_problem(factors, authorised):
        reader.problem(where + "FactorsIdentifiedAtAssessment", f"{problem}.")
    values = {"assessment_started_on": started, "assessment_authorised_on": authorised}
    return values | ({"assessment_factors": factors} if factors else {})


def _section47(reader: _Reader, element: Element | None, where: str, referral) -> dict:
    if element is None:
        return {}
    started = reader.date(
        element, "S47ActualStartDate", where, "The section 47 start", required=True
    )
    if started and referral and started < referral:
        reader.problem(where + "S47ActualStartDate", "The enquiry starts before the referral.")
    return {
        "s47_started_on": started,
        "icpc_target_on": reader.date(element, "InitialCPCtarget", where, "The ICPC target"),
        "imported_icpc_on": reader.date(element, "DateOfInitialCPC", where, "The ICPC date"),
        "icpc_not_required": reader.flag(element, "ICPCnotRequired", where, "ICPCnotRequired"),
    }


def _read_plan(reader: _Reader, element: Element, where: str) -> PlanRow | None:
    before = reader.count
    started = reader.date(element, "CPPstartDate", where, "The plan's start date", required=True)
    ended = reader.date(element, "CPPendDate", where, "The plan's end date")
    if started and ended and ended <= started:
        reader.problem(where + "CPPendDate", "The plan ends on or before the day it starts.")
        ended = None  # said once: the reviews are not then measured against it too
    initial = reader.code(
        reader.text(element, "InitialCategoryOfAbuse"),
        where + "InitialCategoryOfAbuse",
        "The initial category of abuse",
        CATEGORIES,
        required=True,
    )
    latest = reader.code(
        reader.text(element, "LatestCategoryOfAbuse"),
        where + "LatestCategoryOfAbuse",
        "The latest category of abuse",
        CATEGORIES,
        required=True,
    )
    previous = reader.text(element, "NumberOfPreviousCPP")
    if previous and not previous.isdigit():
        reader.problem(where + "NumberOfPreviousCPP", "NumberOfPreviousCPP must be 0 or more.")
    reviews = set()
    for number, group in enumerate(element.findall("Reviews"), start=1):
        listed = group.findall("CPPreviewDate")
        if not listed:
            reader.problem(
                f"{where}Reviews[{number}]/CPPreviewDate",
                "The review date is missing: give it as yyyy-mm-dd.",
            )
        # The DfE's shape is one Reviews group holding every date; each date is read.
        for item_number, item in enumerate(listed, start=1):
            review_where = f"{where}Reviews[{number}]/CPPreviewDate[{item_number}]"
            raw = (item.text or "").strip()
            day = reader.parse_date(raw, review_where, "The review date", required=True)
            if day and started and (day <= started or (ended and day > ended)):
                reader.problem(
                    review_where,
                    "The review is not within the plan: after its start, and not after its end.",
                )
            reviews.add(day)
    if reader.count > before:
        return None
    values = {"imported_initial_category": initial, "imported_latest_category": latest}
    if latest != "MUL":
        values["categories"] = [latest]
    if ended:
        values["ended_on"] = ended
    if reviews:
        values["imported_review_dates"] = sorted(reviews)
    return PlanRow(where, started, values, int(previous) if previous else None)
