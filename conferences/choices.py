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


class MeetingType(models.TextChoices):
    """A meeting's type, from its children's stages (the rule is rules.meetings.meeting_type;
    the codes are here so that Conference can keep the type as a column)."""

    INITIAL = "initial", "Initial"
    PRE_BIRTH = "pre_birth", "Initial pre-birth"
    INITIAL_AND_PRE_BIRTH = "initial_pre_birth", "Initial/Pre-birth initial"
    RECEIVING_IN = "receiving_in", "Initial receiving-in"
    RECONVENED = "reconvened", "Initial re-convened"
    FIRST_REVIEW = "first_review", "First review"
    REVIEW_AND_INITIAL = "review_initial", "Review/Initial"
    REVIEW = "review", "Subsequent review"


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


class SafetyColumn(models.TextChoices):
    WORRIES = "worries", "What are we worried about?"
    WORKING_WELL = "working_well", "What's working well?"
    NEXT = "next", "What needs to happen?"


class EntryKind(models.TextChoices):
    HARM = "harm", "Harm"
    DANGER = "danger", "Danger statement"
    COMPLICATING = "complicating", "Complicating factor"
    STRENGTH = "strength", "Existing strength"
    SAFETY = "safety", "Existing safety"
    GOAL = "goal", "Safety goal"
    NEXT_STEP = "next_step", "Next step"


COLUMN_OF_KIND = {
    EntryKind.HARM: SafetyColumn.WORRIES,
    EntryKind.DANGER: SafetyColumn.WORRIES,
    EntryKind.COMPLICATING: SafetyColumn.WORRIES,
    EntryKind.STRENGTH: SafetyColumn.WORKING_WELL,
    EntryKind.SAFETY: SafetyColumn.WORKING_WELL,
    EntryKind.GOAL: SafetyColumn.NEXT,
    EntryKind.NEXT_STEP: SafetyColumn.NEXT,
}


class Visibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone at the conference"
    NOT_FAMILY = "not_family", "Not for the family (professionals only)"
    NOT_NAMED = "not_named", "Not for a named person"


class ScoreGiver(models.TextChoices):
    FAMILY = "family", "Family"
    AGENCIES = "agencies", "Agencies"
    CHAIR = "chair", "Chair"


class Decision(models.TextChoices):
    PLAN = "plan", "Subject to a child protection plan"
    CHILD_IN_NEED = "child_in_need", "Not subject to a plan: child in need plan"
    NO_FURTHER_ACTION = "no_further_action", "Not subject to a plan: no further action"
    ADJOURNED_INQUORATE = "adjourned", "Adjourned as inquorate (re-convene)"
    PLAN_CONTINUES = "plan_continues", "The plan continues"
    PLAN_ENDS = "plan_ends", "The plan ends"


DECISIONS_BY_STAGE = {
    "initial": (
        Decision.PLAN,
        Decision.CHILD_IN_NEED,
        Decision.NO_FURTHER_ACTION,
        Decision.ADJOURNED_INQUORATE,
    ),
    "pre_birth": (
        Decision.PLAN,
        Decision.CHILD_IN_NEED,
        Decision.NO_FURTHER_ACTION,
        Decision.ADJOURNED_INQUORATE,
    ),
    "reconvened": (Decision.PLAN, Decision.CHILD_IN_NEED, Decision.NO_FURTHER_ACTION),
    "receiving_in": (Decision.PLAN, Decision.CHILD_IN_NEED, Decision.NO_FURTHER_ACTION),
    "first_review": (Decision.PLAN_CONTINUES, Decision.PLAN_ENDS),
    "review": (Decision.PLAN_CONTINUES, Decision.PLAN_ENDS),
}
STARTS_OR_KEEPS_PLAN = frozenset({Decision.PLAN, Decision.PLAN_CONTINUES})
SENSITIVE_END_REASONS = frozenset({"died", "miscarriage", "stillbirth"})


class AssessmentFactor(models.TextChoices):
    F1A = "1A", "Alcohol misuse: child"
    F1B = "1B", "Alcohol misuse: parent"
    F1C = "1C", "Alcohol misuse: other person"
    F2A = "2A", "Drug misuse: child"
    F2B = "2B", "Drug misuse: parent"
    F2C = "2C", "Drug misuse: other person"
    F3A = "3A", "Domestic abuse: child"
    F3B = "3B", "Domestic abuse: parent"
    F3C = "3C", "Domestic abuse: other person"
    F4A = "4A", "Mental health: child"
    F4B = "4B", "Mental health: parent"
    F4C = "4C", "Mental health: other person"
    F5A = "5A", "Learning disability: child"
    F5B = "5B", "Learning disability: parent"
    F5C = "5C", "Learning disability: other person"
    F6A = "6A", "Physical disability or illness: child"
    F6B = "6B", "Physical disability or illness: parent"
    F6C = "6C", "Physical disability or illness: other person"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas child to be adopted"
    F8C = "8C", "Privately fostered: overseas child with parents overseas"
    F8D = "8D", "Privately fostered: UK child, educational reasons"
    F8E = "8E", "Privately fostered: UK child, parents' situation"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Abuse or neglect: neglect"
    F17A = "17A", "Abuse or neglect: emotional abuse"
    F18B = "18B", "Abuse or neglect: physical abuse by a parent"
    F18C = "18C", "Abuse or neglect: physical abuse by another person"
    F19B = "19B", "Abuse or neglect: sexual abuse by a parent"
    F19C = "19C", "Abuse or neglect: sexual abuse by another person"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"
