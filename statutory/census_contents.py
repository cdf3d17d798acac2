"""What a children in need census file may hold, and what the import keeps of each element.

The import reads the elements named here; anything else in a file (an element of the census
Convene does not hold, one the census does not have, an attribute, stray text, a second copy of
an element read once) is listed in the import's report by LAchildID and path, or refuses the file,
so that nothing is dropped without a word. Decided element by element:

- Header: Collection is checked; the rest (year, reference date, source) describes the file, not
  a child, and is checked by the DfE's own validator, so it is read past without a note.
- Reviews: every CPPreviewDate of every Reviews group is stored (the DfE's shape is one group
  holding all of a plan's dates; one group per date is read the same).
- Assessments, Section47: the census allows several per referral; Convene holds one, so the first
  is stored and each later one listed.
- An element the census allows once, given twice: refused, as only one of the two could be kept.
- FormerUPN, CINPlanDates, AssessmentInternalReviewDate and anything not in the census: listed.
"""

from collections import Counter
from xml.etree.ElementTree import Element

TEXT: dict = {}  # an element holding a value, and nothing else

HEADER = {
    "CollectionDetails": {"Collection": TEXT, "Year": TEXT, "ReferenceDate": TEXT},
    "Source": {
        "SourceLevel": TEXT,
        "LEA": TEXT,
        "SoftwareCode": TEXT,
        "Release": TEXT,
        "SerialNo": TEXT,
        "DateTime": TEXT,
    },
    "Content": {"CBDSLevels": {"CBDSLevel": TEXT}},  # files before 2022
}

PER_CHILD = None  # read child by child, not with the file as a whole

MESSAGE = {"Header": HEADER, "Children": {"Child": PER_CHILD}}

CHILD = {
    "ChildIdentifiers": {
        "LAchildID": TEXT,
        "UPN": TEXT,
        "UPNunknown": TEXT,
        "PersonBirthDate": TEXT,
        "ExpectedPersonBirthDate": TEXT,
        "Sex": TEXT,
        "PersonDeathDate": TEXT,
    },
    "ChildCharacteristics": {"Ethnicity": TEXT, "Disabilities": {"Disability": TEXT}},
    "CINdetails": {
        "CINreferralDate": TEXT,
        "ReferralSource": TEXT,
        "PrimaryNeedCode": TEXT,
        "CINclosureDate": TEXT,
        "ReasonForClosure": TEXT,
        "DateOfInitialCPC": TEXT,
        "ReferralNFA": TEXT,
        "Assessments": {
            "AssessmentActualStartDate": TEXT,
            "AssessmentAuthorisationDate": TEXT,
            "FactorsIdentifiedAtAssessment": {"AssessmentFactors": TEXT},
        },
        "Section47": {
            "S47ActualStartDate": TEXT,
            "InitialCPCtarget": TEXT,
            "DateOfInitialCPC": TEXT,
            "ICPCnotRequired": TEXT,
        },
        "ChildProtectionPlans": {
            "CPPstartDate": TEXT,
            "CPPendDate": TEXT,
            "InitialCategoryOfAbuse": TEXT,
            "LatestCategoryOfAbuse": TEXT,
            # Stored for the child's earliest plan in the file; a later plan's count follows
            # from it and the plans in between, so it is read and needs no note.
            "NumberOfPreviousCPP": TEXT,
            "Reviews": {"CPPreviewDate": TEXT},
        },
    },
}

# Elements that may come more than once where they are; every one is read.
REPEATED = {
    "Child",
    "CINdetails",
    "Disability",
    "AssessmentFactors",
    "ChildProtectionPlans",
    "Reviews",
    "CPPreviewDate",
}
# Elements the census allows several of in a referral, of which Convene holds one.
FIRST_ONLY = {
    "Assessments": "Convene holds one assessment for each referral: the first is stored, not "
    "this one.",
    "Section47": "Convene holds one section 47 enquiry for each referral: the first is stored, "
    "not this one.",
}
# Census elements Convene does not hold.
NOT_HELD = {
    "FormerUPN": "Convene holds only the current UPN, so this was not stored.",
    "CINPlanDates": "Convene does not hold children in need plans, so this was not stored.",
    "AssessmentInternalReviewDate": "Convene does not hold assessment review dates, so this was "
    "not stored.",
}
NOT_IN_CENSUS = "This is not an element Convene imports, so it was not stored."
# Attributes saying where the file's schema is describe the file, not a child.
SCHEMA_INSTANCE = "{http://www.w3.org/2001/XMLSchema-instance}"


def unread(reader, element: Element, contents: dict, where: str) -> None:
    """Note on ``reader`` (``note`` to list, ``problem`` to refuse) everything in ``element`` that
    the import does not read; ``where`` is the path of the element's contents ("CINdetails[1]/")."""
    here = where.rstrip("/") or element.tag
    for name in element.attrib:
        if not name.startswith(SCHEMA_INSTANCE):
            reader.note(
                f"{here}/@{name}", "Attributes are not part of the census, so this was not stored."
            )
    stray = [element.text] if contents is not TEXT else []
    if any((text or "").strip() for text in [*stray, *(item.tail for item in element)]):
        reader.note(here, "Text outside the census's elements is not stored.")
    seen = Counter()
    for item in element:
        if not isinstance(item.tag, str):
            continue  # a comment or processing instruction: not data
        tag = item.tag
        seen[tag] += 1
        count = seen[tag]
        path = f"{where}{tag}[{count}]" if tag in REPEATED or count > 1 else f"{where}{tag}"
        if tag not in contents:
            reader.note(path, NOT_HELD.get(tag, NOT_IN_CENSUS))
        elif count > 1 and tag in FIRST_ONLY:
            reader.note(path, FIRST_ONLY[tag])
        elif count > 1 and tag not in REPEATED:
            reader.problem(path, f"{tag} is given more than once here: give it once.")
        elif contents[tag] is not PER_CHILD:
            unread(reader, item, contents[tag], path + "/")
