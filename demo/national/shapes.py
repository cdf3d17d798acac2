"""England's shapes, which the national generator draws from (DfE "Characteristics of children in
need", 2014-15 to 2024-25, rounded; the issue's targets where the statistics give none).

Every table here is (value, weight); weights need not add to 100.
"""

# Children at a new family's first initial conference each year, at scale 1.0. Families who
# come back later add their own initial conferences, so from 2016-17 on this gives England's
# 70,000-77,000 children a year at an initial conference, about 60,000 plans started and
# 50,000 children on plans at each 31 March. The first years are raised to stand in for the
# families who would be coming back from before 2012 (an authority's records do not start
# empty), so that 2014-15 is near England's 62,000 plans started and 49,700 on plans.
INITIAL_CHILDREN_A_YEAR = {
    2012: 88_000,
    2013: 82_000,
    2014: 80_000,
    2015: 77_000,
    2016: 76_000,
    2017: 76_000,
    2018: 77_000,
    2019: 75_000,
    2020: 70_000,
    2021: 72_000,
    2022: 73_000,
    2023: 72_000,
    2024: 72_000,
    2025: 72_000,
    2026: 72_000,
}
# Two warm-up years, not benchmarked: they fill the plans open at 1 April 2014 (and earlier
# plans for the repeat count), as a real authority's records would.
FIRST_YEAR = 2012

# Children at a family's meeting: about 1.7 on average (the reference report's conference
# activity balances with 1.7 children a meeting).
FAMILY_SIZES = ((1, 55), (2, 25), (3, 12), (4, 5), (5, 3))

# What kind of first conference a family has.
RECEIVING_IN_SHARE = 0.04  # transferred in from another authority
PRE_BIRTH_SHARE = 0.08  # one child not yet born
INQUORATE_SHARE = 0.01  # adjourned, then re-convened within 10 working days

# The initial conference's decision for the family (about 86% of children get a plan).
INITIAL_OUTCOMES = (("plan", 86), ("child_in_need", 11), ("no_further_action", 3))
SIBLING_LEFT_OUT = 0.05  # a planned family's child who is not made subject to a plan

# A repeat plan is a second or later one: about 20% of plans started (the return rate after a
# family's plans have ended is set a little higher because later returns fall after today).
RETURN_AFTER_END = 0.23
RETURN_GAP_DAYS = (60, 900)
PLANS_ELSEWHERE_SHARE = 0.03  # a child with a plan before Convene or in another authority

# Which review ends a plan: the first review (3 months) ends over a quarter of plans; the median
# plan runs to the second review (9 months); a long tail runs two years and more. With about
# 60,000 plans started a year this keeps about 50,000 children on plans at each 31 March.
REVIEWS_TO_END = ((1, 28), (2, 40), (3, 18), (4, 8), (5, 3), (6, 2), (7, 1))
SIBLINGS_END_TOGETHER = 0.85
REVIEW_ON_TIME = 0.9
END_REASONS = (
    ("no_longer_at_risk", 72),
    ("looked_after", 17),
    ("moved_away", 6),
    ("other", 5),
)

# Category of abuse at the start of a plan (neglect ~50%, emotional ~36%, physical ~8%,
# sexual ~4%, multiple ~2%).
CATEGORIES = (
    (("NEG",), 50),
    (("EMO",), 36),
    (("PHY",), 8),
    (("SAB",), 4),
    (("NEG", "EMO"), 1.2),
    (("EMO", "PHY"), 0.5),
    (("NEG", "PHY"), 0.3),
)
CATEGORY_CHANGES_AT_REVIEW = 0.05
SIBLINGS_SHARE_CATEGORY = 0.9
FACTORS = (
    (("3B",), 35),
    (("4B",), 15),
    (("2B",), 10),
    (("3B", "4B"), 12),
    (("1B", "3B"), 8),
    ((), 20),
)

# Ethnicity of children on plans (DfE codes).
ETHNICITIES = (
    ("WBRI", 67),
    ("WIRI", 0.3),
    ("WIRT", 0.3),
    ("WOTH", 4.5),
    ("WROM", 0.7),
    ("MWBC", 2.5),
    ("MWBA", 1.2),
    ("MWAS", 1.5),
    ("MOTH", 3),
    ("AIND", 0.8),
    ("APKN", 2.5),
    ("ABAN", 1),
    ("AOTH", 1.5),
    ("BCRB", 1),
    ("BAFR", 3),
    ("BOTH", 1),
    ("CHNE", 0.1),
    ("OOTH", 2.5),
    ("REFU", 0.3),
    ("NOBT", 3.3),
)
SIBLINGS_SHARE_ETHNICITY = 0.92

# Age at the first conference, by band: (youngest, oldest) in years, weight.
AGE_BANDS = (((0, 4), 45), ((5, 9), 28), ((10, 15), 24), ((16, 17), 3))

# Meetings.
POSTPONED_SHARE = 0.04
CANCELLED_SHARE = 0.01
UPCOMING_DAYS = 56  # reviews falling due after today are booked up to eight weeks ahead
STARTS = ((9, 30), (10, 0), (11, 0), (13, 30), (14, 0))
REPORT_NOT_RECEIVED = 0.05
CHAIR_CONTINUITY = 0.85  # meetings chaired by the family's own chair
ATTENDANCE = (("attended", 72), ("report_only", 14), ("absent", 14))
ATTENDANCE_MODES = (("in_person", 60), ("video", 35), ("phone", 5))
CORE_GROUP_GAP_WORKING_DAYS = (40, 70)  # the first within 10 working days

# People and places, per scale 1.0 (at least the minimum at tiny scales).
LOCALITIES = (100, 4)
CHAIRS = (150, 6)
CLERKS = (40, 3)
SOCIAL_WORKERS_A_LOCALITY = 8
PARTNERS_A_LOCALITY = {  # agency: how many in each locality
    "police": 3,
    "health_visitor": 3,
    "school_nurse": 2,
    "gp": 3,
    "school": 4,
    "midwife": 1,
}
