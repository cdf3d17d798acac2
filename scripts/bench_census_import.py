"""Time the children in need census import on a synthetic file of N new children (one episode
with an assessment and a plan each); when the import writes child by child, also children/s for
each tenth of it.

    DATABASE_URL=... .venv/bin/python scripts/bench_census_import.py 20000

Writes into the database it is given (use a throwaway one); the children are numbered from a
random start so it can be run again on the same database."""

import os
import secrets
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CONVENE_CENSUS_MAX_BYTES", str(1024 * 1024 * 1024))
django.setup()

from statutory import census_import  # noqa: E402

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2015</Year>
<ReferenceDate>2015-03-31</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>
<LEA>855</LEA><SoftwareCode>Convene</SoftwareCode><Release>1.0</Release><SerialNo>1</SerialNo>
<DateTime>2015-04-10T09:00:00</DateTime></Source></Header><Children>{children}</Children></Message>
"""
CHILD = """<Child><ChildIdentifiers><LAchildID>B{number:08d}</LAchildID><UPNunknown>UN1</UPNunknown>
<PersonBirthDate>2010-01-02</PersonBirthDate><Sex>F</Sex></ChildIdentifiers><ChildCharacteristics>
<Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities>
</ChildCharacteristics><CINdetails><CINreferralDate>2014-04-10</CINreferralDate>
<ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>
<Assessments><AssessmentActualStartDate>2014-04-11</AssessmentActualStartDate>
<AssessmentAuthorisationDate>2014-05-20</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment>
<AssessmentFactors>3B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
<ChildProtectionPlans><CPPstartDate>2014-05-01</CPPstartDate><CPPendDate>2014-11-03</CPPendDate>
<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>
<NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails></Child>
"""


def main(count: int) -> None:
    start = secrets.randbelow(10**7)
    data = HEADER.format(
        children="".join(CHILD.format(number=start + n) for n in range(count))
    ).encode()
    block = max(count // 10, 1)
    marks = []
    write_child = census_import._write_child

    def timed(*args, **kwargs):  # measures only: each block's rate
        write_child(*args, **kwargs)
        marks.append(time.monotonic())

    census_import._write_child = timed
    began = time.monotonic()
    result = census_import.import_census(data)
    ended = time.monotonic()
    if result.created != 3 * count:
        raise SystemExit(f"created {result.created} records, not {3 * count}")
    line = f"{count} children in {ended - began:.1f} s ({count / (ended - began):.0f}/s)"
    if len(marks) == count:  # written child by child: the rate for each tenth of the import
        rates, previous = [], began  # the first tenth includes reading and checking the file
        for end in range(block - 1, count, block):
            rates.append(block / (marks[end] - previous))
            previous = marks[end]
        line += "; by tenths: " + ", ".join(f"{rate:.0f}" for rate in rates)
    print(line)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
