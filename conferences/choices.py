"""Code lists: the DfE CIN census codes where one exists, the service's own words otherwise."""

from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known or not yet recorded"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability"


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    POLICE = "police", "Police"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    GP = "gp", "GP"
    MIDWIFE = "midwife", "Midwife"
    SCHOOL = "school", "School"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    CAMHS = "camhs", "CAMHS"
    OTHER_LOCAL_AUTHORITY = "other_la", "Another local authority"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    INITIAL = "initial", "Initial"
    PRE_BIRTH = "pre_birth", "Initial pre-birth"
    RECEIVING_IN = "receiving_in", "Initial receiving-in (transfer in)"
    RECONVENED = "reconvened", "Initial re-convened"
    FIRST_REVIEW = "first_review", "First review"
    REVIEW = "review", "Subsequent review"


INITIAL_STAGES = frozenset({Stage.INITIAL, Stage.PRE_BIRTH, Stage.RECEIVING_IN, Stage.RECONVENED})
REVIEW_STAGES = frozenset({Stage.FIRST_REVIEW, Stage.REVIEW})


class ConferenceStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    REPORT_ONLY = "report_only", "Sent a report only"
    ABSENT = "absent", "Did not attend"


class ParticipantKind(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    FAMILY_MEMBER = "family", "Other family member"
    CHILD = "child", "The child or young person"
    ADVOCATE = "advocate", "Advocate"
    SUPPORTER = "supporter", "Supporter"


class PlanCategory(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"


class PlanEndReason(models.TextChoices):
    NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at risk of significant harm"
    LOOKED_AFTER = "looked_after", "Became looked after"
    MOVED_AWAY = "moved_away", "Moved to another local authority"
    REACHED_18 = "reached_18", "Reached 18"
    DIED = "died", "Died"
    MISCARRIAGE = "miscarriage", "Miscarriage"
    STILLBIRTH = "stillbirth", "Stillbirth"
    OTHER = "other", "Other"


class EmploymentBasis(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency (temporary)"
