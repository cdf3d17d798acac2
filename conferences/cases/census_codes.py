"""Code lists of the DfE Children in Need census that Convene records (CIN census guide).

The codes are what the census carries; the labels are for the people choosing them.
"""

import re
from datetime import timedelta

from django.db import models


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and child minders)"
    SELF = "1C", "Individual: self"
    OTHER_INDIVIDUAL = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION = "2B", "Education services"
    GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Health services: other primary health services"
    EMERGENCY = "3E", "Health services: A&E (emergency department)"
    OTHER_HEALTH = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "Local authority services: social care"
    LA_INTERNAL = "5B", "Local authority services: other internal department"
    LA_EXTERNAL = "5C", "Local authority services: external (another local authority)"
    EARLY_HELP = "5D", "Local authority services: early help"
    POLICE = "6", "Police"
    LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    DISABILITY = "N2", "Child's disability or illness"
    PARENTAL_ILLNESS = "N3", "Parental illness or disability"
    ACUTE_STRESS = "N4", "Family in acute stress"
    DYSFUNCTION = "N5", "Family dysfunction"
    BEHAVIOUR = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_IN_NEED = "N9", "Cases other than children in need"
    NOT_STATED = "N0", "Not stated"


class ClosureReason(models.TextChoices):
    ADOPTED = "RC1", "Adopted"
    DIED = "RC2", "Died"
    ARRANGEMENTS_ORDER = "RC3", "Child arrangements order"
    SPECIAL_GUARDIANSHIP = "RC4", "Special guardianship order"
    ANOTHER_AUTHORITY = "RC5", "Transferred to services of another local authority"
    ADULT_SERVICES = "RC6", "Transferred to adult social care"
    CEASED = "RC7", "Services ceased for any other reason, including no longer in need"
    NFA_AFTER_ASSESSMENT = "RC8", "Case closed after assessment: no further action"
    EARLY_HELP = "RC9", "Case closed after assessment: referred to early help"


class UpnUnknown(models.TextChoices):
    UNDER_SIX = "UN1", "Aged under 6 and not yet attending school"
    NEVER_IN_SCHOOL = "UN2", "Has never attended a school in England"
    OUTSIDE_ENGLAND = "UN3", "Educated outside England or at home"
    NEWLY_ARRIVED = "UN4", "Newly arrived in the UK"
    DISCREPANCY = "UN5", "Sources collating UPNs disagree"
    UNBORN = "UN6", "Unborn"
    NO_FURTHER_ACTION = "UN7", "Referral with no further action"
    NOT_KNOWN = "UN8", "Not known"
    PENDING = "UN10", "A UPN has been requested"


UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# The census's LA child ID: 1 to 20 letters and digits (DfE rules 1570 and 1580).
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,20}")
# A referral may come at most 40 weeks before the (expected) birth (DfE rule 8606).
FORTY_WEEKS = timedelta(weeks=40)


def factors_problem(factors: list[str], authorised) -> str | None:
    """Why an assessment's factors break the census's rules (8614, 8869), or None."""
    if "21" in factors and len(factors) > 1:
        return "'No factors identified' (21) cannot be given with other factors"
    if factors and not authorised:
        return "Factors are recorded once the assessment is authorised"
    return None


def upn_problem(upn: str) -> str | None:
    """Why a unique pupil number is malformed, or None. The DfE check letter is character 1:
    the weighted sum (weights 2 to 13) of characters 2 to 13, modulo 23."""
    if len(upn) != 13:
        return "A UPN has 13 characters"
    if upn[0] not in UPN_CHECK_LETTERS:
        return "A UPN starts with a check letter"
    if not upn[1:12].isdigit():
        return "Characters 2 to 12 of a UPN are digits"
    last = upn[12]
    if not (last.isdigit() or last in UPN_CHECK_LETTERS):
        return "Character 13 of a UPN is a digit or a letter from the DfE list"
    values = [int(c) if c.isdigit() else UPN_CHECK_LETTERS.index(c) for c in upn[1:]]
    total = sum(value * weight for value, weight in zip(values, range(2, 14), strict=True))
    if UPN_CHECK_LETTERS[total % 23] != upn[0]:
        return "The UPN's check letter does not match its digits"
    return None
