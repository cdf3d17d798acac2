"""Ofsted ILACS Annex A, list 7: every child protection plan open in a period, one query."""

import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import BinaryIO, TextIO

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from conferences.choices import Disability
from conferences.models import ChildProtectionPlan
from config.spreadsheets import csv_writer, workbook
from rules.ages import AgeInYears
from rules.categories import initial_category_sql, latest_category_sql
from rules.plans import latest_review_sql, previous_plan_count_sql

COLUMNS = [
    "Child ID",
    "Gender",
    "Ethnicity",
    "Date of birth",
    "Age",
    "Disability",
    "Plan start date",
    "Initial category of abuse",
    "Latest category of abuse",
    "Date of last statutory visit",
    "Seen alone",
    "Date of latest review conference",
    "Plan end date",
    "Emergency protection order or police protection in the last six months",
    "Number of previous plans",
    "Allocated team",
    "Allocated worker",
]

# Convene records conferences, not social work visits or court orders: these stay blank for
# the authority to fill from its case management system.
NOT_RECORDED = [
    "Date of last statutory visit",
    "Seen alone",
    "Emergency protection order or police protection in the last six months",
]

SHEET_TITLE = "List 7"

# The annotation behind each recorded column, in COLUMNS order.
_FIELDS = {
    "Child ID": "child__local_case_id",
    "Gender": "child__sex",
    "Ethnicity": "child__ethnicity",
    "Date of birth": "birth_on",
    "Age": "age",
    "Disability": "disability",
    "Plan start date": "started_on",
    "Initial category of abuse": "initial_category",
    "Latest category of abuse": "latest_category",
    "Date of latest review conference": "latest_review_on",
    "Plan end date": "end_on",
    "Number of previous plans": "previous_plans",
    "Allocated team": "team",
    "Allocated worker": "worker",
}


def _plans(start: date, end: date):
    if start > end:
        raise ValueError("The list's start date must be on or before its end date.")
    open_in_range = Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    born = Q(child__date_of_birth__isnull=False, child__date_of_birth__lte=end)
    return (
        ChildProtectionPlan.objects.filter(open_in_range)
        .annotate(
            birth_on=Coalesce("child__date_of_birth", "child__expected_date_of_birth"),
            # A child born after the list's end was unborn then: no age, as for the unborn.
            age=Case(When(born, then=AgeInYears(F("child__date_of_birth"), end)), default=None),
            disability=Case(
                When(child__disabilities__len=0, then=Value("")),
                When(child__disabilities__contained_by=[Disability.NONE], then=Value("No")),
                default=Value("Yes"),
            ),
            initial_category=initial_category_sql(),
            latest_category=latest_category_sql(end),
            latest_review_on=latest_review_sql(end),
            end_on=Case(When(ended_on__lte=end, then=F("ended_on")), default=None),
            previous_plans=previous_plan_count_sql(),
            team=Coalesce("child__locality__name", Value("")),
            worker=Coalesce("child__social_worker__full_name", Value("")),
        )
        .order_by("child__local_case_id", "started_on")
    )


def rows(start: date, end: date) -> list[list]:
    """List 7 for the plans open at any time from ``start`` to ``end`` inclusive, restricted
    children included (a statutory return): one row per plan, in COLUMNS order, dates as dates
    and blanks as empty strings; one query whatever the number of plans."""
    found = _plans(start, end).values(*_FIELDS.values())
    return [[_cell(record, heading) for heading in COLUMNS] for record in found]


def count(start: date, end: date) -> int:
    """How many plans list 7 has for the range: what a prepared download counts its progress by."""
    return _plans(start, end).count()


def rows_as_read(start: date, end: date, *, chunk: int = 2000) -> Iterator[list]:
    """The rows of ``rows``, in its order, read from the database ``chunk`` plans at a time."""
    for record in _plans(start, end).values(*_FIELDS.values()).iterator(chunk_size=chunk):
        yield [_cell(record, heading) for heading in COLUMNS]


def _cell(record: dict, heading: str):
    value = record[_FIELDS[heading]] if heading in _FIELDS else None
    return "" if value is None else value


def csv_text(plan_rows: Iterable[list]) -> str:
    """List 7 as CSV: the header row, then a row per plan, dates as yyyy-mm-dd."""
    out = io.StringIO()
    write_csv(plan_rows, out)
    return out.getvalue()


def write_csv(plan_rows: Iterable[list], out: TextIO) -> None:
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(plan_rows)


def xlsx_bytes(plan_rows: Iterable[list]) -> bytes:
    """List 7 as an XLSX workbook: one sheet, a bold header row, dates as Excel dates."""
    out = io.BytesIO()
    write_xlsx(plan_rows, out)
    return out.getvalue()


def write_xlsx(plan_rows: Iterable[list], out: BinaryIO) -> None:
    book = workbook()
    sheet = book.add_sheet(SHEET_TITLE)
    sheet.freeze_header()
    sheet.append_header(COLUMNS)
    for row in plan_rows:
        sheet.append(row)
    book.save(out)
