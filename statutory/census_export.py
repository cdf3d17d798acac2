"""The children in need census file (child protection part) as the DfE's XML structure."""

import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import BinaryIO
from xml.etree import ElementTree as ET

from django.utils import timezone

from rules.periods import Period
from statutory.census_data import CensusChild, CensusEpisode, CensusPlan, gather

SOFTWARE = "Convene"
RELEASE = "1.0"


def census_xml(year: int, la: str) -> bytes:
    """The census for financial year ``year`` (2014: the 2014-15 census, Year 2015)."""
    return to_xml(Period(year), la, gather(Period(year)))


def to_xml(period: Period, la: str, children: Iterable[CensusChild]) -> bytes:
    out = io.BytesIO()
    write_xml(period, la, children, out)
    return out.getvalue()


def write_xml(period: Period, la: str, children: Iterable[CensusChild], out: BinaryIO) -> int:
    """Write the census file to ``out`` a child at a time; returns how many children."""
    written = 0
    for part, children_so_far in _parts(period, la, children):
        out.write(part)
        written = children_so_far
    return written


def xml_parts(period: Period, la: str, children: Iterable[CensusChild]) -> Iterator[bytes]:
    """The census file in pieces, a child at a time, for a download that streams."""
    for part, _children_so_far in _parts(period, la, children):
        yield part


def _parts(period, la, children) -> Iterator[tuple[bytes, int]]:
    """The file's bytes a child at a time, so memory stays flat however many children there
    are; joined, they are the bytes of the whole file indented at once."""
    written = 0
    before, after = _around_children(period, la)
    for found in children:
        written += 1
        yield (before if written == 1 else _BETWEEN_CHILDREN) + _child_bytes(found), written
    yield (after if written else _empty_file(period, la)), written


_PLACE = "ConveneChildrenGoHere"
_BETWEEN_CHILDREN = b"\n    "  # a Child's indentation inside Message > Children


def _message(period: Period, la: str) -> tuple[ET.Element, ET.Element]:
    message = ET.Element("Message")
    header = _sub(message, "Header")
    details = _sub(header, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", str(period.end.year))
    _text(details, "ReferenceDate", period.end)
    source = _sub(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", la)
    _text(source, "SoftwareCode", SOFTWARE)
    _text(source, "Release", RELEASE)
    _text(source, "SerialNo", "1")
    _text(source, "DateTime", timezone.localtime().replace(microsecond=0, tzinfo=None).isoformat())
    return message, _sub(message, "Children")


def _around_children(period: Period, la: str) -> tuple[bytes, bytes]:
    """The file's bytes before its first child and after its last, cut from the whole file
    made with one placeholder child."""
    message, listed = _message(period, la)
    ET.SubElement(listed, _PLACE)
    ET.indent(message)
    text = ET.tostring(message, encoding="utf-8", xml_declaration=True)
    before, after = text.split(f"<{_PLACE} />".encode())
    return before, after


def _empty_file(period: Period, la: str) -> bytes:
    message, _listed = _message(period, la)
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True)


def _child_bytes(found: CensusChild) -> bytes:
    holder = ET.Element("Children")
    _child(holder, found)
    element = holder[0]
    ET.indent(element, level=2)  # Message > Children > Child
    element.tail = None
    return ET.tostring(element, encoding="utf-8")


def _child(parent, found: CensusChild) -> None:
    child = found.child
    element = _sub(parent, "Child")
    identifiers = _sub(element, "ChildIdentifiers")
    _text(identifiers, "LAchildID", child.local_case_id)
    if child.upn:
        _text(identifiers, "UPN", child.upn)
    elif child.upn_unknown_reason:
        _text(identifiers, "UPNunknown", child.upn_unknown_reason)
    birth_tag = "ExpectedPersonBirthDate" if found.unborn_at_census else "PersonBirthDate"
    _text(identifiers, birth_tag, found.birth)
    _text(identifiers, "Sex", found.sex)
    _text(identifiers, "PersonDeathDate", found.death)
    characteristics = _sub(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", found.ethnicity)
    disabilities = _sub(characteristics, "Disabilities")
    for code in found.disabilities:
        _text(disabilities, "Disability", code)
    for episode in found.episodes:
        _episode(element, episode)


def _episode(parent, episode: CensusEpisode) -> None:
    element = _sub(parent, "CINdetails")
    _text(element, "CINreferralDate", episode.referral_on)
    _text(element, "ReferralSource", episode.referral_source)
    _text(element, "PrimaryNeedCode", episode.primary_need)
    _text(element, "CINclosureDate", episode.closed_on)
    _text(element, "ReasonForClosure", episode.closure_reason)
    _text(element, "DateOfInitialCPC", episode.transfer_icpc)
    _text(element, "ReferralNFA", "0")
    if episode.assessment:
        started, authorised, factors = episode.assessment
        assessment = _sub(element, "Assessments")
        _text(assessment, "AssessmentActualStartDate", started)
        _text(assessment, "AssessmentAuthorisationDate", authorised)
        if authorised and factors:
            listed = _sub(assessment, "FactorsIdentifiedAtAssessment")
            for code in factors:
                _text(listed, "AssessmentFactors", code)
    if episode.s47:
        started, target, icpc, not_required = episode.s47
        section = _sub(element, "Section47")
        _text(section, "S47ActualStartDate", started)
        _text(section, "InitialCPCtarget", target)
        _text(section, "DateOfInitialCPC", icpc)
        _text(section, "ICPCnotRequired", "1" if not_required else "0")
    for plan in episode.plans:
        _plan(element, plan)


def _plan(parent, plan: CensusPlan) -> None:
    element = _sub(parent, "ChildProtectionPlans")
    _text(element, "CPPstartDate", plan.start)
    _text(element, "CPPendDate", plan.end)
    _text(element, "InitialCategoryOfAbuse", plan.initial_category)
    _text(element, "LatestCategoryOfAbuse", plan.latest_category)
    _text(element, "NumberOfPreviousCPP", str(plan.previous_plans))
    if plan.reviews:
        # The DfE's shape: one Reviews group for the plan, holding every review date.
        reviews = _sub(element, "Reviews")
        for day in plan.reviews:
            _text(reviews, "CPPreviewDate", day)


def _sub(parent, tag: str):
    return ET.SubElement(parent, tag)


def _text(parent, tag: str, value) -> None:
    """An element only when there is something to say: the census leaves unknowns out."""
    if value in (None, ""):
        return
    text = value.isoformat() if isinstance(value, date) else str(value)
    ET.SubElement(parent, tag).text = text
