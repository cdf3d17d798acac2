"""Import a DfE children in need census file: every child is checked, then all is written or none.

What the file states replaces what Convene holds; what it leaves out is kept, so an older file
never erases a later date of birth, closure or plan end. "Not known" answers (sex U, ethnicity
NOBT) never overwrite a known one. Children are matched by LAchildID (the local case ID),
episodes by referral date and plans by start date; a child Convene does not know is created
with no names and a placeholder family, and marked as needing completion.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from xml.etree.ElementTree import Element, ParseError

import pghistory
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.models import User
from conferences.census_codes import (
    ClosureReason,
    PrimaryNeed,
    ReferralSource,
    UpnUnknown,
    upn_problem,
)
from conferences.census_models import CinEpisode
from conferences.choices import AssessmentFactor, Disability, Ethnicity, PlanCategory, Sex
from conferences.models import Child, ChildProtectionPlan, Family
from conferences.services import _recompute_due_dates
from config.concurrency import EditConflict, save_if_unchanged

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,20}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CATEGORIES = [*PlanCategory.values, "MUL"]
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


class CensusRefused(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"The census file was refused with {len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    """Counts of records (children, children in need episodes and plans)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_no_further_action: int = 0
    incomplete_children: list[str] = field(default_factory=list)


def max_bytes() -> int:
    return getattr(settings, "CONVENE_CENSUS_MAX_BYTES", DEFAULT_MAX_BYTES)


def import_census(data: bytes, *, actor: User | None = None) -> ImportResult:
    """Check every child in a census file, then write them all in one transaction, or raise
    CensusRefused with every problem found and write nothing. Re-importing the same file changes
    nothing. ``actor`` is None when the import is run from the command line."""
    rows = _read(data)
    source = {"user": actor.pk, "source": "web"} if actor else {"source": "command"}
    try:
        with transaction.atomic(), pghistory.context(action="import_cin_census", **source):
            return _write(rows)
    except (EditConflict, IntegrityError):
        # Checked above, so only a change made by someone else meanwhile can clash.
        raise CensusRefused(
            [
                _file_problem(
                    "Some of these records were changed while the file was being imported, so "
                    "nothing was saved. Import the file again."
                )
            ]
        ) from None


# --- reading the file ----------------------------------------------------------------------


@dataclass
class _PlanRow:
    where: str
    started_on: date
    values: dict
    previous_plans: int | None


@dataclass
class _EpisodeRow:
    where: str
    referral_on: date
    is_no_further_action: bool
    values: dict
    plans: list[_PlanRow]


@dataclass
class _ChildRow:
    local_case_id: str
    values: dict
    when_created: dict  # "not known" answers: given to a new child, never to a known one
    episodes: list[_EpisodeRow]

    @property
    def plans(self) -> list[_PlanRow]:
        return [plan for episode in self.episodes for plan in episode.plans]


def _file_problem(message: str, where: str = "Message") -> Problem:
    return Problem(child="", where=where, message=message)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def _read(data: bytes) -> list[_ChildRow]:
    limit = max_bytes()
    if len(data) > limit:
        raise CensusRefused(
            [_file_problem(f"The file is larger than the {_size(limit)} a census file may be.")]
        )
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise CensusRefused(
            [
                _file_problem(
                    "The file declares a document type or entities (<!DOCTYPE ...>), which a "
                    "census file never does, so it was not read. Export the census again."
                )
            ]
        ) from None
    except ParseError as error:
        line, column = error.position
        raise CensusRefused(
            [
                _file_problem(
                    "The file is not complete, well-formed XML (it may be cut short, or not a "
                    f"census file at all): reading stopped at line {line}, column {column}."
                )
            ]
        ) from None
    if root.tag != "Message":
        raise CensusRefused(
            [_file_problem("This is not a census file: its outer element must be <Message>.")]
        )
    problems = []
    if (root.findtext("Header/CollectionDetails/Collection") or "").strip() != "CIN":
        problems.append(
            _file_problem(
                "This is not a children in need census file: Collection must be CIN.",
                "Message/Header/CollectionDetails/Collection",
            )
        )
    listed = root.find("Children")
    if listed is None:
        problems.append(_file_problem("The file has no Children element.", "Message/Children"))
    rows, seen = [], set()
    children = listed.findall("Child") if listed is not None else []
    for position, element in enumerate(children, start=1):
        rows.append(_read_child(element, position, problems, seen))
    if problems:
        raise CensusRefused(problems)
    return rows


class _Reader:
    """Reads one child's elements, noting every problem instead of stopping at the first."""

    def __init__(self, child: str, prefix: str, problems: list[Problem]):
        self.child, self.prefix, self.problems = child, prefix, problems
        self.count = 0

    def problem(self, where: str, message: str) -> None:
        self.count += 1
        self.problems.append(Problem(self.child, self.prefix + where, message))

    @staticmethod
    def text(parent: Element, tag: str) -> str:
        return (parent.findtext(tag) or "").strip()

    def date(self, parent, tag, where, what, *, required=False) -> date | None:
        raw = self.text(parent, tag)
        if not raw:
            if required:
                self.problem(where + tag, f"{what} is missing: give it as yyyy-mm-dd.")
            return None
        if ISO_DATE.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        self.problem(where + tag, f"{what} is not a real date in the form yyyy-mm-dd.")
        return None

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


def _read_child(element: Element, position: int, problems: list, seen: set) -> _ChildRow:
    identifiers = _section(element, "ChildIdentifiers")
    local_case_id = _Reader.text(identifiers, "LAchildID")
    if LA_CHILD_ID.fullmatch(local_case_id):
        reader = _Reader(local_case_id, "", problems)
        if local_case_id in seen:
            reader.problem(
                "ChildIdentifiers/LAchildID",
                "This child appears more than once: list each child once, with all their "
                "CINdetails.",
            )
        seen.add(local_case_id)
    else:
        reader = _Reader("", f"Message/Children/Child[{position}]/", problems)
        reader.problem(
            "ChildIdentifiers/LAchildID",
            "The LAchildID is missing or is not 1 to 20 letters and digits.",
        )
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
    return _ChildRow(local_case_id, values, when_created, episodes)


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
        reason = reader.code(reason, where + "UPNunknown", "UPNunknown", UpnUnknown.values)
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
    sex = reader.code(raw_sex, where + "Sex", "Sex", Sex.values, required=True)
    characteristics = _section(element, "ChildCharacteristics")
    ethnicity = reader.code(
        reader.text(characteristics, "Ethnicity"),
        "ChildCharacteristics/Ethnicity",
        "Ethnicity",
        Ethnicity.values,
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
        code = reader.code((element.text or "").strip(), where, "Disability", Disability.values)
        if code and code not in codes:
            codes.append(code)
    if Disability.NONE in codes and len(codes) > 1:
        reader.problem(
            "ChildCharacteristics/Disabilities", "NONE cannot be given with other disabilities."
        )
    # Convene records "no disability" as an empty list; the export writes it back as NONE.
    return [code for code in codes if code != Disability.NONE]


def _read_episode(reader: _Reader, element: Element, where: str) -> _EpisodeRow | None:
    before = reader.count
    referral = reader.date(element, "CINreferralDate", where, "The referral date", required=True)
    no_further_action = reader.flag(element, "ReferralNFA", where, "ReferralNFA")
    values = {
        "referral_source": reader.code(
            reader.text(element, "ReferralSource"),
            where + "ReferralSource",
            "The referral source",
            ReferralSource.values,
            required=not no_further_action,
        ),
        "primary_need": reader.code(
            reader.text(element, "PrimaryNeedCode"),
            where + "PrimaryNeedCode",
            "The primary need",
            PrimaryNeed.values,
            required=not no_further_action,
        ),
    }
    closed = reader.date(element, "CINclosureDate", where, "The closure date")
    reason = reader.code(
        reader.text(element, "ReasonForClosure"),
        where + "ReasonForClosure",
        "The reason for closure",
        ClosureReason.values,
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
    if "imported_icpc_on" not in values and transfer_icpc:
        values["imported_icpc_on"] = transfer_icpc
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
    return _EpisodeRow(where, referral, no_further_action, values, plans)


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
            AssessmentFactor.values,
            hint="one of the census's factor codes (1A to 24A)",
        )
        if code and code not in factors:
            factors.append(code)
    factors_where = where + "FactorsIdentifiedAtAssessment"
    if "21" in factors and len(factors) > 1:
        reader.problem(factors_where, "Factor 21 (no factors identified) must be given alone.")
    if factors and not authorised:
        reader.problem(factors_where, "Factors are given only once the assessment is authorised.")
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


def _read_plan(reader: _Reader, element: Element, where: str) -> _PlanRow | None:
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
    for number, review in enumerate(element.findall("Reviews"), start=1):
        review_where = f"{where}Reviews[{number}]/"
        day = reader.date(review, "CPPreviewDate", review_where, "The review date", required=True)
        if day and started and (day <= started or (ended and day > ended)):
            reader.problem(
                review_where + "CPPreviewDate",
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
    return _PlanRow(where, started, values, int(previous) if previous else None)


# --- writing -------------------------------------------------------------------------------


def _write(rows: list[_ChildRow]) -> ImportResult:
    ids = [row.local_case_id for row in rows]
    children = {
        child.local_case_id: child
        for child in Child.objects.select_for_update().filter(local_case_id__in=ids)
    }
    plans, episodes = defaultdict(dict), defaultdict(dict)
    for plan in ChildProtectionPlan.objects.filter(child__in=children.values()):
        plans[plan.child_id][plan.started_on] = plan
    for episode in CinEpisode.objects.filter(child__in=children.values()):
        episodes[episode.child_id][episode.referral_on] = episode
    problems = []
    for row in rows:
        child = children.get(row.local_case_id)
        current = plans[child.pk] if child else {}
        problems += _plan_problems(row, current)
        problems += _episode_problems(row, episodes[child.pk] if child else {})
    if problems:
        raise CensusRefused(problems)
    result = ImportResult()
    for row in rows:
        child = children.get(row.local_case_id)
        _write_child(row, child, plans[child.pk] if child else {}, episodes, result)
    return result


def _plan_problems(row: _ChildRow, current: dict) -> list[Problem]:
    """The child's plans as they would be after the import must never overlap (the database
    refuses it too, but without saying which plan)."""
    spans = [(plan.started_on, plan.ended_on, None) for plan in current.values()]
    spans = [span for span in spans if span[0] not in {p.started_on for p in row.plans}]
    for plan in row.plans:
        matched = current.get(plan.started_on)
        ended = plan.values.get("ended_on", matched.ended_on if matched else None)
        spans.append((plan.started_on, ended, plan.where))
    spans.sort(key=lambda span: span[0])
    problems = []
    for index, (_, end, where) in enumerate(spans):
        for later_start, later_end, later_where in spans[index + 1 :]:
            if not (where or later_where) or (end is not None and end <= later_start):
                continue
            if end is None and later_end is None:
                message = "The child would have two open plans (no CPPendDate): one may be open."
            else:
                message = "This plan overlaps another of the child's plans"
                message += (
                    f" ({where.rstrip('/')})." if where and later_where else " already in Convene."
                )
            problems.append(
                Problem(row.local_case_id, (later_where or where) + "CPPstartDate", message)
            )
    return problems


def _episode_problems(row: _ChildRow, current: dict) -> list[Problem]:
    problems = []
    for episode in row.episodes:
        matched = current.get(episode.referral_on)
        started = episode.values.get(
            "assessment_started_on", matched.assessment_started_on if matched else None
        )
        authorised = episode.values.get(
            "assessment_authorised_on", matched.assessment_authorised_on if matched else None
        )
        if authorised and (started is None or authorised < started):
            problems.append(
                Problem(
                    row.local_case_id,
                    episode.where + "Assessments/AssessmentActualStartDate",
                    "The assessment would start after Convene's recorded authorisation date.",
                )
            )
    return problems


def _changed(instance, values: dict, result: ImportResult) -> bool:
    """Save only what differs, so that an unchanged record gets no new version or history."""
    fields = [name for name, value in values.items() if getattr(instance, name) != value]
    if not fields:
        result.unchanged += 1
        return False
    for name in fields:
        setattr(instance, name, values[name])
    save_if_unchanged(instance, expected_version=instance.version, fields=fields)
    result.updated += 1
    return True


def _previous_plans(row: _ChildRow, current: dict) -> dict:
    """The census's count of plans before the child's earliest plan in the file, less those
    Convene holds, is the number from before Convene or elsewhere."""
    earliest = min(row.plans, key=lambda plan: plan.started_on, default=None)
    if earliest is None or earliest.previous_plans is None:
        return {}
    known = sum(1 for started_on in current if started_on < earliest.started_on)
    return {"previous_plans_elsewhere": max(0, earliest.previous_plans - known)}


def _write_child(row, child, current_plans, episodes, result: ImportResult) -> None:
    values = row.values | _previous_plans(row, current_plans)
    if child is None:
        family = Family.objects.create(name=f"Census import {row.local_case_id}")
        child = Child.objects.create(
            family=family,
            local_case_id=row.local_case_id,
            last_name="Not recorded",
            needs_completion=True,
            **row.when_created,
            **values,
        )
        result.created += 1
        result.incomplete_children.append(row.local_case_id)
        is_new, has_changed = True, False
    else:
        is_new, has_changed = False, _changed(child, values, result)
    current_episodes = episodes[child.pk]
    for episode in row.episodes:
        if episode.is_no_further_action:
            result.skipped_no_further_action += 1
        elif episode.referral_on in current_episodes:
            _changed(current_episodes[episode.referral_on], episode.values, result)
        else:
            CinEpisode.objects.create(
                child=child, referral_on=episode.referral_on, **episode.values
            )
            result.created += 1
    # Existing plans first: an end date recorded there may make room for a new plan.
    for plan in sorted(row.plans, key=lambda plan: plan.started_on not in current_plans):
        if plan.started_on in current_plans:
            has_changed |= _changed(current_plans[plan.started_on], plan.values, result)
        else:
            ChildProtectionPlan.objects.create(
                child=child, started_on=plan.started_on, **plan.values
            )
            result.created += 1
            has_changed = True
    if has_changed and not is_new:
        # Booked conferences' due dates hang on the birth date and the open plan.
        _recompute_due_dates(child)
