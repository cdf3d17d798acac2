"""Where the reference annual report (IRO child protection, 2014-15) disagrees with itself."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Contradiction:
    where: str
    report_says: str
    records_give: str
    convene_does: str


CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        where="Section 5.1.2",
        report_says=(
            "Children on plans at 31 March show a 'steady reduction' over three years: "
            "524 (2011-12), 393 (2012-13), 446 (2013-14) and 398 (2014-15)."
        ),
        records_give=(
            "The figures do not show a steady reduction. They fell by 131 (524 to 393), rose by 53 "
            "(393 to 446), then fell by 52 to the 394 in Table 3 (or by 48 to the text's 398)."
        ),
        convene_does=(
            "Shows the count at each 31 March from the plan records, with the change from the "
            "year before. It does not add trend words that the figures do not support."
        ),
    ),
    Contradiction(
        where="Sections 5.1.2 and 5.1.5, Tables 3 and 5",
        report_says="398 children were on plans at 31 March 2015 (the end of Q4).",
        records_give=(
            "Table 3 (by category) and Table 5 (by ethnicity) both give 394 for Q4, and the rows "
            "of both tables add up to 394. The text is 4 children higher."
        ),
        convene_does=(
            "Counts children on plans at 31 March from the plan records: 394. "
            "The text's 398 is not reproduced."
        ),
    ),
    Contradiction(
        where="Section 5.1.2 and Table 3",
        report_says=(
            "Q2 and Q3 show an increase in children on plans, which may explain the rise in "
            "conferences."
        ),
        records_give=(
            "Table 3 gives 428 (Q1), 466 (Q2), 421 (Q3) and 394 (Q4). Only Q2 rose, by 38. "
            "Q3 fell by 45, to below the Q1 figure."
        ),
        convene_does=(
            "Shows children on plans at each quarter end from the plan records: 428, 466, 421 "
            "and 394. Only Q2 shows a rise."
        ),
    ),
    Contradiction(
        where="Section 5.1.3",
        report_says=(
            "In April 2014 the number on plans was 31 lower than at the end of the previous "
            "period (March 2013). It then rose by 60 between May and August, to the year's peak "
            "of 473 in August."
        ),
        records_give=(
            "The previous period ended in March 2014, not March 2013. 446 at 31 March 2014, "
            "less 31, is 415. Adding 60 gives 475, not 473: the figures are 2 apart."
        ),
        convene_does=(
            "Counts children on plans on any date from the same plan records, so the April dip, "
            "the monthly changes and the August peak always agree. The previous year ends on "
            "31 March 2014."
        ),
    ),
    Contradiction(
        where="Section 5.1.4",
        report_says=(
            "117 plans (29%) ended at the first review this year, against 149 (33%) last year, "
            "'taken as at 31st March'."
        ),
        records_give=(
            "Both shares are taken of the children on plans at 31 March, not of the plans that "
            "ended: 149 of 446 is 33.4%, and 117 of 398 is 29.4%. With the tables' 394, "
            "117 is 29.7%, which rounds to 30%, not 29%."
        ),
        convene_does=(
            "Counts plans that ended at their first review (117) and shows the base next to the "
            "share. The base is all plans that ended in the year. Measured against the 394 "
            "children on plans at 31 March, 117 would be 29.7%."
        ),
    ),
    Contradiction(
        where="Section 5.1.5 and Table 3",
        report_says=(
            "Of the children on plans at the end of Q4, 20% had the Neglect category, 19% "
            "Emotional and 47% Multiple."
        ),
        records_give=(
            "Table 3 for Q4 gives Neglect 81, Emotional 74 and Multiple 184 of 394: 20.6%, 18.8% "
            "and 46.7%. So Neglect rounds to 21%, not 20%. No single total gives both 20% and "
            "47%: 20% needs a total of 396 to 415, and 47% needs 388 to 395."
        ),
        convene_does=(
            "Works out every share from the same count of 394: Neglect 81 (20.6%), Physical 33 "
            "(8.4%), Emotional 74 (18.8%), Sexual 22 (5.6%) and Multiple 184 (46.7%)."
        ),
    ),
    Contradiction(
        where="Section 5.2.3",
        report_says=(
            "Chairs did not record receiving the report for 42% of conferences (259 of the "
            "900 conferences from June 2014 to March 2015)."
        ),
        records_give="259 of 900 is 28.8%. 42% of 900 would be 378 conferences.",
        convene_does=(
            "Records for each conference the date the chair received the report, or that it did "
            "not arrive. It shows the count and the share from those records: no record for "
            "259 of 900 conferences, 28.8%."
        ),
    ),
    Contradiction(
        where="Sections 5.5.2 and 5.5.3",
        report_says=(
            "5.5.2 says advocacy is offered to every young person 'over 10 years old'. "
            "5.5.3 says the clerks identify young people 'aged 10 and over'."
        ),
        records_give=(
            "The two rules differ for children who are exactly 10. Only one of them can be the "
            "rule the clerks follow."
        ),
        convene_does=(
            "Refers every young person aged 10 or over on the date of the conference. "
            "The age is a setting, set to 10."
        ),
    ),
    Contradiction(
        where="Table 3",
        report_says=(
            "Q2 has a row 'None' with 1 plan: a plan with no category of abuse. "
            "The Q2 total of 466 includes it."
        ),
        records_give=(
            "A child protection plan always has at least one category. Without the 'None' row "
            "the Q2 categories add up to 465."
        ),
        convene_does=(
            "Every plan must have a category; the one plan without a category is treated as "
            "Multiple, so Q2 Multiple is 263."
        ),
    ),
    Contradiction(
        where="Table 7, third question",
        report_says=(
            "'Did the use of clear language help you understand the conference?': Not at all 0%, "
            "A little 7%, Somewhat 7%, A lot 37%, Completely 57%, from 60 responses."
        ),
        records_give=(
            "These add up to 108%. Out of 60 they are 0, 4, 4, 22 and 34 parents, which is 64: "
            "4 more than answered. The true split cannot be worked out. If the other rows are "
            "right, 'A lot' is 18 of 60 (30%)."
        ),
        convene_does=(
            "Shows counts and percentages computed from the responses, so the counts add up to "
            "the number who answered and the percentages to 100% (give or take rounding)."
        ),
    ),
    Contradiction(
        where="Table 8, last question",
        report_says=(
            "'Did the approach change your view of the way forward for the family?': "
            "Not at all 46%, from 11 responses."
        ),
        records_give=(
            "With 11 responses each answer is worth 9.1%, so 46% is impossible: 5 of 11 is 45.5% "
            "and 6 of 11 is 54.5%. The other rows (27%, 9%, 18%, 0%) are 3, 1, 2 and 0 "
            "agencies, which leaves 5 for 'Not at all'."
        ),
        convene_does=(
            "Shows counts and percentages computed from the responses; with 11 responses, "
            "the nearest possible share is 5 of 11 = 45.5%."
        ),
    ),
)
