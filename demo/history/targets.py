"""The reference report's figures the history reproduces, and what every step shares."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from rules.periods import financial_year_of

HISTORY_START = date(2011, 4, 1)
HISTORY_END = date(2015, 3, 31)
BATCH = 2000

# --- Targets: the reference report's figures ---------------------------------------------------

# Initial-type meetings per financial year (5.1.2). An inquorate initial that is re-convened
# counts as an initial meeting, and its re-convened meeting as "reconvened". 2011-12 gives only a
# total (5.1.1): its split is invented so that the year adds up to 1,165.
INITIAL_MEETINGS = {
    2011: {"initial": 298, "pre_birth": 55, "receiving_in": 24, "reconvened": 1},
    2012: {"initial": 256, "pre_birth": 57, "receiving_in": 21, "reconvened": 2},
    2013: {"initial": 274, "pre_birth": 64, "receiving_in": 25, "reconvened": 2},
    2014: {"initial": 264, "pre_birth": 76, "receiving_in": 19, "initial_pre_birth": 3},
}
FIRST_REVIEWS = {2012: 284, 2013: 296, 2014: 334}
# 2014-15 has 398 subsequent reviews and one Review/Initial meeting: a review at which a newborn
# sibling has an initial conference. The plan lengths are chosen for 399 reviews, and one of them
# becomes the Review/Initial meeting.
SUBSEQUENT_REVIEWS = {2012: 485, 2013: 370, 2014: 399}
MEETINGS_2011 = 1165
ON_PLAN = {  # children on a plan at the end of the day (5.1.2, Table 3 totals)
    date(2012, 3, 31): 524,
    date(2013, 3, 31): 393,
    date(2014, 3, 31): 446,
    date(2014, 6, 30): 428,
    date(2014, 9, 30): 466,
    date(2014, 12, 31): 421,
    date(2015, 3, 31): 394,
}
QUARTER_ENDS = [date(2014, 6, 30), date(2014, 9, 30), date(2014, 12, 31), date(2015, 3, 31)]
ENDED_AT_FIRST_REVIEW = {2013: 149, 2014: 117}  # children (5.1.4)
REPEAT_SHARE = {2013: 12.6, 2014: 17.2}  # % of children whose plan started in the year
# Table 3, by quarter end. The report's one plan with no category (Q2) is counted as Multiple.
CATEGORIES = {
    "NEG": (67, 58, 78, 81),
    "PHY": (25, 31, 23, 33),
    "EMO": (81, 98, 70, 74),
    "SAB": (15, 16, 21, 22),
    "MUL": (240, 263, 229, 184),
}
# Table 5, by quarter end, with the DfE codes each group is written with (and their weights).
ETHNICITY = {
    "White": ((376, 412, 368, 336), {"WBRI": 90, "WOTH": 6, "WIRI": 2, "WROM": 1, "WIRT": 1}),
    "Asian or Asian British": ((16, 16, 11, 17), {"APKN": 4, "AIND": 4, "ABAN": 1, "AOTH": 1}),
    "Black or Black British": ((7, 5, 5, 4), {"BAFR": 2, "BCRB": 2, "BOTH": 1}),
    "Mixed": ((27, 22, 19, 14), {"MWBC": 4, "MWAS": 2, "MWBA": 2, "MOTH": 2}),
    "Not stated": ((1, 3, 8, 12), {"NOBT": 7, "REFU": 3}),
    "Other ethnic group": ((1, 6, 3, 5), {"OOTH": 4, "CHNE": 1}),
    "Blank": ((0, 2, 7, 6), {"": 1}),
}
# Ages at 31 March 2015 of the children on plans (5.1.7): 0-4 is 43% (an unborn baby counts
# here), 0-9 is 70%.
AGES_AT_END = {"0-4": 169, "5-9": 107, "16+": 13}  # 10-15: the rest of the 394
# Table 6: when families received the social work report, % of 2014-15 meetings each quarter
# (5.2.2); the Q2 and Q3 on-the-day and previous-day shares, and all "not received", are
# invented to continue the trend.
FAMILY_RECEIPT = {
    "earlier": (17.2, 19.7, 24.2, 29.6),
    "on_the_day": (55.6, 51.8, 46.0, 39.3),
    "previous_day": (22.3, 24.5, 26.8, 28.9),
}
MEETINGS_APRIL_MAY_2014 = 195  # so that 900 are held from June 2014 to March 2015 (5.2.3)
CHAIR_RECEIPT_NOT_RECORDED = 259  # of those 900
DOMESTIC_ABUSE = {"initial": 344, "receiving_in": 15, "review": 505}  # 2014-15 (5.1.6)

DAY = timedelta(days=1)


class TargetsUnmet(ValueError):
    """One attempt at the skeleton could not meet a target; the next attempt may."""


def aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def in_year(day: date | None, year: int) -> bool:
    return day is not None and financial_year_of(day) == year
